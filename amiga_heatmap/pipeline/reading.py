"""``-i/--input``: find the summary files of a path and read them into one DataFrame.

A file is read by the reader registered for its suffix; a folder is searched recursively for files some
reader handles (hidden files and folders, and files amiga-heatmap wrote itself, are skipped; see
:mod:`amiga_heatmap.output.own_outputs`). Several files are concatenated with the union of
their columns, in sorted path order so that results never depend on the file system's listing order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, closest_names, known_list
from ..output.own_outputs import skip_own_outputs
from ..plugin_system.guard import call_guarded
from ..plugin_system.plugin_set import PluginSet
from .duplicate_wells import columns_for_check, refuse_duplicate_wells

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")


def find_summary_files(path: str | os.PathLike[str], plugins: PluginSet) -> list[Path]:
    """The files to read for ``path``: the file itself, or every readable file below a folder.

    Raises DataError for a missing path, a file no reader handles, or a folder without summary files.
    """
    path = Path(path)
    suffixes = plugins.suffixes
    if not path.exists():
        raise DataError(
            f"The input {str(path)!r} (given to -i/--input) does not exist. Check the path; it may be "
            "relative to the folder you run the command in."
        )
    if path.is_file():
        if plugins.reader_for(str(path)) is None:
            raise DataError(
                f"No reader handles the file {str(path)!r}: known suffixes are {known_list(suffixes)}. "
                "Rename the file or install a reader plugin for it."
            )
        return [path]
    found = sorted(
        candidate
        for candidate in path.rglob("*")
        if candidate.is_file()
        and not _is_hidden(candidate.relative_to(path))
        and plugins.reader_for(str(candidate)) is not None
    )
    found = skip_own_outputs(found)
    if not found:
        raise DataError(
            f"The folder {str(path)!r} holds no summary files (files ending in {known_list(suffixes)}). "
            "Point -i at the folder AMiGA wrote its summaries to, or at one summary file."
        )
    return found


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def read_summaries(
    files: Iterable[Path], plugins: PluginSet, columns: frozenset[str] | None,
    allow_duplicate_wells: bool = False,
) -> pd.DataFrame:
    """Read ``files`` with their readers and concatenate them (union of columns, rows in file order).

    ``columns`` is passed to the readers (None reads every column). Files that repeat each other's
    wells are a DataError unless ``allow_duplicate_wells`` (:mod:`.duplicate_wells`).
    """
    import pandas as pd

    files = list(files)
    frames = []
    for file in files:
        reader = plugins.reader_for(str(file))
        frame = call_guarded(
            plugins.readers.plugin_of(reader.name), f"reading {file}", reader.read, str(file),
            columns_for_check(columns, len(files)),
        )
        log.info("read %s: %d rows, %d columns (reader %s)", file, len(frame), frame.shape[1], reader.name)
        frames.append(frame)
    frames = refuse_duplicate_wells(frames, files, columns, allowed=allow_duplicate_wells)
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True, sort=False)


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
        reader = plugins.reader_for(str(file))
        for name in reader.header(str(file)):
            names.setdefault(name, None)
    return list(names)
