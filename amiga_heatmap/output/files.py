"""Where output files go, and writing them so that a failed run leaves nothing half-written."""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import DataError, UsageError
from .own_outputs import record_output

TIMESTAMP_FORMAT = "%Y-%m-%d_%H-%M-%S"
DEFAULT_FORMAT = "pdf"


def default_output_name(now: datetime.datetime | None = None) -> str:
    """AMiGA's default output name: the local time, e.g. ``2026-11-26_09-09-59``."""
    return (now or datetime.datetime.now()).strftime(TIMESTAMP_FORMAT)


def split_output_name(name: str | None, file_format: str | None, known_formats: Iterable[str]) -> tuple[str | None, str]:
    """``-o`` and ``--format`` as (base name, format): the format of a known extension on ``name``.

    ``-o fig.png`` gives ``("fig", "png")``; ``-o fig.png --format png`` the same; ``-o fig`` gives the
    ``--format`` (``pdf`` when not given). An extension that is no known format stays part of the name
    (``-o ER_0.5`` writes ``ER_0.5.pdf``). Raises UsageError when the extension is a known format other
    than ``--format`` (``-o fig.svg --format png``): the two contradict each other.
    """
    chosen = file_format.lower() if file_format else None
    if name is not None and "." in name.strip("."):
        stem, extension = name.rsplit(".", 1)
        extension = extension.lower()
        if extension in {known.lower() for known in known_formats}:
            if chosen is not None and chosen != extension:
                raise UsageError(
                    f"-o {name!r} ends in .{extension}, but --format asks for {chosen}; they contradict "
                    f"each other. Give one of them: -o {stem!r} --format {chosen}, or -o {name!r} alone."
                )
            return stem, extension
    return name, chosen or DEFAULT_FORMAT


def output_path(
    input_path: str | os.PathLike[str],
    name: str | None,
    file_format: str,
    output_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """The file a run writes: ``{folder}/{name}.{file_format}``.

    The folder is ``output_dir`` when given, else the input's folder (the input itself when it is a
    folder), as AMiGA does. ``name`` is a base name without folder or extension (``-o``, after
    :func:`split_output_name`); None gives a timestamp name. Raises UsageError for a name holding a folder.
    """
    if name is None:
        name = default_output_name()
    if not name or name in {".", ".."} or os.sep in name or (os.altsep and os.altsep in name) or "/" in name:
        raise UsageError(
            f"-o/--output takes a file name without a folder, but got {name!r}. Give the folder with "
            "--output-dir and the bare name with -o, e.g. '-o ER_norm_auc --output-dir figures'."
        )
    if output_dir is not None:
        folder = Path(output_dir)
    else:
        source = Path(input_path)
        folder = source if source.is_dir() else source.parent
    return folder / f"{name}.{file_format}"


def refuse_overwriting_inputs(target: Path, inputs: Iterable[Path]) -> None:
    """Raise UsageError when ``target`` is one of the input files: the same path, a symbolic link to
    one, or (when it exists) the same file under another name (a hard link, or other letter case on a
    case-insensitive file system)."""
    resolved = target.resolve()
    exists = os.path.exists(target)  # False, not an error, for a name too long for the file system
    for source in inputs:
        if Path(source).resolve() == resolved or (exists and os.path.samefile(source, target)):
            raise UsageError(
                f"The output {str(target)!r} is one of the input files; writing it would destroy the "
                "input. Choose another name with -o or another folder with --output-dir."
            )


def check_output_folder(path: str | os.PathLike[str]) -> Path:
    """Return the folder ``path`` is to be written in; raise DataError if it does not exist.

    The command line calls this before reading any data, so a mistyped --output-dir fails at once.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DataError(
            f"Cannot write {str(path)!r}: the folder {str(folder)!r} does not exist. Create it, or choose "
            "another folder with --output-dir."
        )
    return folder


def write_atomically(path: str | os.PathLike[str], write: Callable[[str], None]) -> None:
    """Call ``write(temporary_path)``, then move the finished file to ``path`` in one step.

    The temporary file sits in ``path``'s folder (so the final rename is atomic) and is removed if
    ``write`` fails; an existing file at ``path`` is only replaced by a complete one. The finished file
    is recorded as ours (:mod:`amiga_heatmap.output.own_outputs`), so folder inputs never read it back. Raises
    DataError when the folder does not exist or is not writable.
    """
    path = Path(path)
    folder = check_output_folder(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".part", dir=folder)
    except OSError as error:
        raise DataError(f"Cannot write into {str(folder)!r}: {error.strerror}. Choose another folder with --output-dir.") from error
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    record_output(path)


def _current_umask() -> int:
    """The process umask (mkstemp creates files private to the user; outputs get normal permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
