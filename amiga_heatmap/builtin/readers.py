"""Built-in readers: AMiGA summary text (tab-separated ``.txt``/``.tsv``) and comma-separated ``.csv``.

Both read a header row and one row per well; the first column is the sample id. Only the columns the run
needs are parsed. pandas is imported when a file is read, not when this plugin is registered.
"""

from __future__ import annotations

from functools import partial

from ..components import Reader
from ..errors import DataError
from ..hookspecs import hookimpl


def read_header(path: str, separator: str) -> list[str]:
    """The column names on the first line of ``path``, split on ``separator``.

    A UTF-8 byte-order mark and surrounding quotes are removed. Raises DataError for an empty file.
    """
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        first_line = handle.readline().rstrip("\r\n")
    if not first_line.strip():
        raise DataError(
            f"The file {path} is empty or its first line is blank: a summary file needs a header row "
            "naming its columns. Remove the file from the input folder or point -i at another file."
        )
    return [name.strip().strip('"') for name in first_line.split(separator)]


def read_delimited(path: str, columns: frozenset[str] | None, separator: str):
    """Read ``path`` as a delimited table with a header row, keeping only ``columns`` (all if None)."""
    import pandas as pd

    header = read_header(path, separator)
    wanted = None if columns is None else [name for name in header if name in columns]
    try:
        return pd.read_csv(path, sep=separator, usecols=wanted, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(
            f"Cannot read {path} as a {'tab' if separator == chr(9) else 'comma'}-separated summary "
            f"table: {error}. Check that every row has as many cells as the header."
        ) from error


@hookimpl
def register_readers(register):
    """Register the AMiGA text reader and the CSV reader."""
    register(
        Reader(
            name="amiga-text",
            suffixes=(".txt", ".tsv"),
            read=partial(read_delimited, separator="\t"),
            header=partial(read_header, separator="\t"),
            description="AMiGA summary files: tab-separated, header row, first column the sample id",
        )
    )
    register(
        Reader(
            name="csv",
            suffixes=(".csv",),
            read=partial(read_delimited, separator=","),
            header=partial(read_header, separator=","),
            description="comma-separated summary tables with a header row",
        )
    )
