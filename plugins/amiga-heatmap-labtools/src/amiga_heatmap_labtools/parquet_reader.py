"""A reader for summary tables stored as Parquet files (``.parquet``, ``.pq``), with pyarrow.

Only the columns a run needs are read from the file. A pandas index saved in the file (for example
``Sample_ID`` after ``set_index``) comes back as an ordinary column, so the first column is the sample id
as in AMiGA's text files; an unnamed saved index (``__index_level_0__``) is left out.
"""

from __future__ import annotations

from amiga_heatmap.components import Reader
from amiga_heatmap.errors import DataError

UNNAMED_INDEX_PREFIX = "__index_level_"


def _schema(path: str):
    import pyarrow
    import pyarrow.parquet as parquet

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


def read_parquet(path: str, columns: frozenset[str] | None):
    """Read ``path`` into a DataFrame with only ``columns`` (every column when None)."""
    import pyarrow
    import pyarrow.parquet as parquet

    header = parquet_header(path)
    wanted = header if columns is None else [name for name in header if name in columns]
    try:
        table = parquet.read_table(path, columns=wanted)
    except (OSError, pyarrow.ArrowException) as error:
        raise DataError(f"Cannot read the columns {wanted} of the Parquet file {path}: {error}.") from error
    return table.to_pandas(ignore_metadata=True)


PARQUET_READER = Reader(
    name="parquet",
    suffixes=(".parquet", ".pq"),
    read=read_parquet,
    header=parquet_header,
    description="summary tables stored as Parquet files (read with pyarrow)",
)
