"""``-i/--input``: find the summary files of a path and read them into one DataFrame.

A file is read by the first reader, among those registered for its suffix, that accepts it
(:func:`choose_reader`); a folder is searched recursively for files some reader handles (hidden files
and folders, files amiga-heatmap wrote itself, see :mod:`amiga_heatmap.output.own_outputs`, and files
every reader declines are skipped). Several files are concatenated with the union of
their columns, in sorted path order so that results never depend on the file system's listing order.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, closest_names, known_list
from ..output.own_outputs import skip_own_outputs
from ..plugin_system.components import Reader
from ..plugin_system.guard import call_guarded
from ..plugin_system.plugin_set import PluginSet
from ..system_faults import read_fault
from .duplicate_wells import columns_for_check, refuse_duplicate_wells
from .input_paths import checked_input, search_faults_reported

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

FILES_SHOWN = 5
"""How many skipped files a warning names."""


@search_faults_reported
def find_summary_files(path: str | os.PathLike[str], plugins: PluginSet) -> list[Path]:
    """The files to read for ``path``: the file itself, or every file below a folder that a reader takes.

    In a folder, a file some reader's suffix matches but every such reader declines
    (:attr:`Reader.accepts <amiga_heatmap.plugin_system.components.Reader.accepts>`) is skipped, with one
    warning naming the files skipped so; each decline is logged at INFO level. Raises UsageError for an
    empty path; DataError for a missing path, one that is neither a regular file nor a folder
    (:func:`~.input_paths.checked_input`), a file no reader handles or every reader declines, a folder
    without summary files, or a folder that cannot be searched.
    """
    path = checked_input(path)
    suffixes = plugins.suffixes
    if path.is_file():
        reader_of(path, plugins)
        return [path]
    candidates = sorted(
        candidate
        for candidate in path.rglob("*")
        if candidate.is_file()
        and not _is_hidden(candidate.relative_to(path))
        and plugins.reader_for(str(candidate)) is not None
    )
    found, unread = [], []
    for candidate in skip_own_outputs(candidates):
        reader, declined = choose_reader(candidate, plugins)
        for name in declined:
            log.info("the reader %s declined %s", name, candidate)
        (found if reader is not None else unread).append(candidate)
    if unread:
        shown = ", ".join(str(file) for file in unread[:FILES_SHOWN])
        more = f" and {len(unread) - FILES_SHOWN} more (--verbose lists them)" if len(unread) > FILES_SHOWN else ""
        warnings.warn(
            f"Skipped {len(unread)} file(s) that no reader accepts: {shown}{more}. Their readers declined "
            "them as not their kind of file (a lock or metadata file, say); if one of them is a summary "
            "table, its reader plugin is wrong about it: --verbose names the reader.",
            SkippedFileWarning,
            stacklevel=2,
        )
    if not found:
        raise DataError(
            f"The folder {str(path)!r} holds no summary files (files ending in {known_list(suffixes)}). "
            "Point -i at the folder AMiGA wrote its summaries to, or at one summary file."
        )
    return found


class SkippedFileWarning(UserWarning):
    """A folder search skipped files that no reader accepts."""


def choose_reader(path: str | os.PathLike[str], plugins: PluginSet) -> tuple[Reader | None, list[str]]:
    """The reader that reads ``path`` and the names of the readers that declined it before.

    The readers claiming a suffix ``path`` ends with (ignoring case) are asked in turn, the longest
    suffix first and, for one suffix, plugins' readers before built-in ones; the first whose ``accepts``
    is None or returns True reads the file. ``(None, declined)`` when none does (``declined`` is empty
    when no reader claims the suffix).
    """
    lowered = str(path).lower()
    claims = []
    for name, entry in plugins.readers.entries():
        matched = [len(suffix) for suffix in entry.item.suffixes if lowered.endswith(suffix.lower())]
        if matched:
            claims.append((-max(matched), entry.builtin, name, entry))
    declined: list[str] = []
    for *_, entry in sorted(claims, key=lambda claim: claim[:3]):
        reader = entry.item
        if reader.accepts is None or call_guarded(
            entry.plugin, f"checking whether {reader.name!r} reads {path}", reader.accepts, str(path)
        ):
            return reader, declined
        declined.append(reader.name)
    return None, declined


def reader_of(path: str | os.PathLike[str], plugins: PluginSet) -> Reader:
    """The reader that reads ``path`` (see :func:`choose_reader`); DataError when no reader handles
    its suffix or every reader that does declines it."""
    reader, declined = choose_reader(path, plugins)
    if reader is not None:
        return reader
    if not declined:
        raise DataError(
            f"No reader handles the file {str(path)!r}: known suffixes are {known_list(plugins.suffixes)}. "
            "Rename the file or install a reader plugin for it."
        )
    raise DataError(
        f"Every reader for the file {str(path)!r} declined it as not its kind of file "
        f"({known_list(declined)}), so it cannot be read. Check that it is a summary table (not a "
        "lock file, a metadata file or a file of another program) and give -i the right file."
    )


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def read_summaries(
    files: Iterable[Path], plugins: PluginSet, columns: frozenset[str] | None,
    numbers: frozenset[str] = frozenset(),
    allow_duplicate_wells: bool = False,
    cache: bool = False,
) -> pd.DataFrame:
    """Read ``files`` with their readers and concatenate them (union of columns, rows in file order).

    ``columns`` is passed to the readers (None reads every column), and ``numbers`` (the growth
    parameters; every other column is metadata, read as text) to the readers that take it. Files that
    repeat each other's wells are a DataError unless ``allow_duplicate_wells`` (:mod:`.duplicate_wells`).
    With ``cache``, what is read from files other than Parquet is kept in, and served from, the
    parsed-input cache (:mod:`.input_cache`).
    """
    import pandas as pd

    files = list(files)
    frames = []
    for file in files:
        reader = reader_of(file, plugins)
        try:
            frame = _read_file(file, reader, plugins, columns_for_check(columns, len(files)), numbers, cache)
        except OSError as error:  # the system's fault (call_guarded passes only those)
            raise read_fault(file, error) from error
        log.info("read %s: %d rows, %d columns (reader %s)", file, len(frame), frame.shape[1], reader.name)
        frames.append(frame)
    frames = refuse_duplicate_wells(frames, files, columns, allowed=allow_duplicate_wells)
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True, sort=False)


def _read_file(file: Path, reader: Reader, plugins: PluginSet, columns: frozenset[str] | None,
               numbers: frozenset[str], cache: bool) -> pd.DataFrame:
    """What ``reader`` gives for ``file``, through the parsed-input cache when ``cache`` (Parquet files
    are read directly: that is what the cache would do)."""
    from ..builtin.parquet_reader import PARQUET_SUFFIXES
    from .input_cache import Request, cached_read

    def read(request: Request) -> pd.DataFrame:
        call = partial(reader.read, numbers=request.numbers) if takes_numbers(reader) else reader.read
        return call_guarded(plugins.readers.plugin_of(reader.name), f"reading {file}", call, str(file),
                            request.columns)

    request = Request(columns, numbers)
    if not cache or str(file).lower().endswith(PARQUET_SUFFIXES):
        return read(request)
    return cached_read(file, reader.name, request, read)


def takes_numbers(reader: Reader) -> bool:
    """Whether ``reader.read`` takes the opt-in ``numbers`` argument (see :class:`Reader`)."""
    import inspect

    try:
        return "numbers" in inspect.signature(reader.read).parameters
    except (TypeError, ValueError):  # a callable without a signature: called the classic way
        return False


def check_columns(
    rows: pd.DataFrame, wanted: dict[str, str], files: list[Path], plugins: PluginSet
) -> None:
    """Raise DataError when a column the run needs is not in the data.

    ``wanted`` maps each needed column to the option that asked for it (``{"norm(gr)": "-v/--value"}``).
    The message names the closest column names, read from the files' headers (from ``rows`` itself when
    there are no ``files``, i.e. for a DataFrame input).
    """
    for column, option in wanted.items():
        if column in rows.columns:
            continue
        available = all_column_names(files, plugins) if files else [str(name) for name in rows.columns]
        suggestion = closest_names(column, available)
        hint = (
            f" Closest column names: {', '.join(map(repr, suggestion))}."
            if suggestion
            else f" The input has the columns {known_list(available)}."
        )
        raise DataError(
            f"The column {column!r} (given to {option}) is not in the input.{hint} "
            "Column names are case-sensitive and must be written in full, e.g. 'norm(auc_lin)'."
        )


def all_column_names(files: Iterable[Path], plugins: PluginSet) -> list[str]:
    """Every column name in the headers of ``files``, in first-seen order."""
    names: dict[str, None] = {}
    for file in files:
        for name in reader_of(file, plugins).header(str(file)):
            names.setdefault(name, None)
    return list(names)
