"""Failures of the system rather than of amiga-heatmap or a plugin: a full disk, a file-size limit, a
refused permission, a read-only disk, a closed pipe.

Such an ``OSError`` may surface inside plugin code (a renderer writing its file), possibly hidden behind
another exception (matplotlib's PDF writer reports a full disk as a ``zlib.error`` whose context is the
``OSError``). :func:`system_fault` finds it in the chain, so that callers report the system's fault as a
:class:`~amiga_heatmap.errors.DataError` naming the path and the cause, never as a plugin bug.
"""

from __future__ import annotations

import errno
import os

from .errors import DataError, shown_path

_CAUSES = {
    "ENOSPC": "the disk is full",
    "EDQUOT": "the disk quota is used up",
    "EFBIG": "the file would be larger than the file-size limit (ulimit -f) or the file system allows",
    "EACCES": "permission denied",
    "EPERM": "the operation is not permitted",
    "EROFS": "the file system is read-only",
    "EISDIR": "it is a folder",
    "EIO": "the disk or network reported an input/output error",
    "ENAMETOOLONG": "the name or path is too long for the file system",
    "EMFILE": "too many files are open",
    "ENFILE": "too many files are open on the system",
    "ENOMEM": "the system is out of memory",
    "EPIPE": "the reading end of the pipe was closed",
    "ESTALE": "the network file handle went stale",
    "ENXIO": "the device is not available",
    "ETXTBSY": "the file is busy",
}
SYSTEM_ERRNOS = frozenset(getattr(errno, name) for name in _CAUSES if hasattr(errno, name))
"""The ``errno`` values that are the system's fault (not ENOENT: a plugin opening a wrong path is a bug)."""


def system_fault(error: BaseException | None) -> OSError | None:
    """The OSError with a :data:`SYSTEM_ERRNOS` code that ``error`` is, or was caused by (through
    ``__cause__`` and ``__context__``); None when there is none."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in SYSTEM_ERRNOS:
            return error
        error = error.__cause__ or error.__context__
    return None


def cause(error: OSError) -> str:
    """The reason ``error`` gives, in words, with its code: ``the disk is full (ENOSPC)``."""
    name = errno.errorcode.get(error.errno or 0, "")
    words = _CAUSES.get(name) or (error.strerror or str(error)).rstrip(".")
    return f"{words} ({name})" if name else words


def write_fault(path: str | os.PathLike[str], error: OSError) -> DataError:
    """A DataError for a failed write of ``path``: the cause, and that nothing half-written is left."""
    return DataError(
        f"Cannot write {shown_path(os.fspath(path))}: {cause(error)}. Nothing was written, and an older file "
        "of that name is unchanged. Free space or fix the permission, or choose another folder with "
        "--output-dir."
    )


def read_fault(path: str | os.PathLike[str], error: OSError) -> DataError:
    """A DataError for a failed read of ``path``."""
    return DataError(
        f"Cannot read {shown_path(os.fspath(path))}: {cause(error)}. Check that the file is readable."
    )


def standard_output_fault(error: OSError) -> DataError:
    """A DataError for a report that could not be printed: the outputs were written all the same."""
    return DataError(
        f"Cannot write to standard output: {cause(error)}. The output files were written; only this report "
        "of them is lost. Redirect standard output elsewhere (or not at all) to see it."
    )


def unexpected_fault(error: OSError) -> DataError:
    """A DataError for a system fault met anywhere else in a run."""
    where = f" on {shown_path(error.filename)}" if error.filename else ""
    return DataError(f"The system failed{where}: {cause(error)}. Fix the cause and run again.")
