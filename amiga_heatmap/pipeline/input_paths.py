"""Checks of the paths a user gives, made before anything is opened: each must be what it is used as.

``-i/--input`` must be a regular file or a folder (a FIFO would block the read for ever, ``/dev/zero``
would fill the memory), and not the empty name (which would search the current folder); a colour file
must be a regular file. A folder search that fails on the way (a folder nested past the system's path
length, a folder that cannot be listed) is reported with the place it failed, its path shortened.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import AmigaHeatmapError, DataError, UsageError, shown_path
from ..system_faults import cause

Function = TypeVar("Function", bound=Callable[..., Any])


def file_kind(mode: int) -> str:
    """What a file of ``mode`` (``st_mode``) is, in words: ``a FIFO (named pipe)``, ``a device``..."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def checked_input(path: str | os.PathLike[str], option: str = "-i/--input") -> Path:
    """``path`` as a Path, once it is known to name a regular file or a folder.

    Raises UsageError for an empty name, DataError for a missing path, a path the system cannot look up
    (too long, no permission), and a FIFO, device or socket.
    """
    if not os.fspath(path):
        raise UsageError(f"{option} is empty; give a summary file or a folder of them (e.g. -i summaries/).")
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise DataError(
            f"The input {shown_path(path)} (given to {option}) does not exist. Check the path; it may be "
            "relative to the folder you run the command in."
        ) from None
    except OSError as error:
        raise DataError(
            f"Cannot look up the input {shown_path(path)} (given to {option}): {cause(error)}."
        ) from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise DataError(
            f"The input {shown_path(path)} (given to {option}) is {file_kind(mode)}, not a summary file or a "
            "folder. Give a file saved on disk (copy a stream to a file first)."
        )
    return path


def regular_file(path: str | os.PathLike[str], what: str) -> None:
    """Raise DataError unless ``path`` is a regular file (or a link to one); ``what`` names it in the
    message, e.g. ``"the colour file 'c.txt' (--color-file-x)"``. A missing file raises
    FileNotFoundError, for the caller to report."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise DataError(f"Cannot read {what}: it is {file_kind(mode)}. Give a text file saved on disk.")


def search_faults_reported(search: Function) -> Function:
    """Decorate a folder search ``search(path, ...)``: an OSError or RecursionError on the way (a folder
    nested past the path-length limit, one that cannot be listed) becomes a short DataError naming the
    folder searched."""

    @functools.wraps(search)
    def run(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Any:
        try:
            return search(path, *args, **kwargs)
        except AmigaHeatmapError:
            raise
        except RecursionError:
            reason = "its folders are nested too deeply to search"
        except OSError as error:
            where = f" at {shown_path(error.filename, 80)}" if error.filename else ""
            reason = f"{cause(error)}{where}"
        raise DataError(
            f"Cannot search the folder {shown_path(path)} (given to -i/--input) for summary files: {reason}. "
            "Move the summary files into a shallower folder, or point -i at them directly."
        )

    return run  # type: ignore[return-value]
