"""A reader for summary tables stored as Parquet files (``.parquet``, ``.pq``), with pyarrow.

Only the columns a run needs are read from the file. A pandas index saved in the file (for example
``Sample_ID`` after ``set_index``) comes back as an ordinary column, so the first column is the sample id
as in AMiGA's text files; an unnamed saved index (``__index_level_0__``) is left out.

Labels are text: every column the run does not name in ``numbers`` (the growth parameters) comes back
as text, like the built-in text readers' metadata. Text stored in the file is returned as stored
(``01``, ``NA`` and `` x `` stay as they are); a metadata column stored as numbers, booleans or dates is
turned into pyarrow's text for each value (``1`` for the integer 1 and the float 1.0, ``2.5``,
``true``). Missing (null) cells stay missing. The ``numbers`` columns come back as stored.
"""

from __future__ import annotations

from amiga_heatmap.components import Reader
from amiga_heatmap.errors import DataError

UNNAMED_INDEX_PREFIX = "__index_level_"


def _schema(path: str):
    import pyarrow
    from pyarrow import parquet

    try:
        return parquet.read_schema(path)
    except (OSError, pyarrow.ArrowException) as error:
        raise DataError(
            f"Cannot read {path} as a Parquet file: {error}. Check that the file was written completely "
            "(for example with pandas' DataFrame.to_parquet) or remove it from the input folder."
        ) from error


def parquet_header(path: str) -> list[str]:
    """The file's column names in order, without an unnamed saved index."""
    return [name for name in _schema(path).names if not name.startswith(UNNAMED_INDEX_PREFIX)]


def read_parquet(path: str, columns: frozenset[str] | None, numbers: frozenset[str] = frozenset()):
    """Read ``path`` into a DataFrame with only ``columns`` (every column when None), the ``numbers``
    columns as stored and every other column as text (see the module docstring)."""
    import pyarrow
    from pyarrow import parquet

    header = parquet_header(path)
    wanted = header if columns is None else [name for name in header if name in columns]
    try:
        table = parquet.read_table(path, columns=wanted)
        table = _metadata_as_text(table, numbers)
    except (OSError, pyarrow.ArrowException) as error:
        raise DataError(f"Cannot read the columns {wanted} of the Parquet file {path}: {error}.") from error
    return table.to_pandas(ignore_metadata=True)


def _metadata_as_text(table, numbers: frozenset[str]):
    """``table`` with every column not in ``numbers`` cast to text (null cells stay null)."""
    import pyarrow

    for position, field in enumerate(table.schema):
        if field.name in numbers or pyarrow.types.is_string(field.type) or pyarrow.types.is_large_string(field.type):
            continue
        table = table.set_column(position, field.name, table.column(position).cast(pyarrow.string()))
    return table


PARQUET_READER = Reader(
    name="parquet",
    suffixes=(".parquet", ".pq"),
    read=read_parquet,
    header=parquet_header,
    description="summary tables stored as Parquet files (read with pyarrow)",
)
