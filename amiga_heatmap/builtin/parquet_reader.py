"""The built-in ``parquet`` reader: summary tables stored as Parquet files (``.parquet``, ``.pq``), such
as ``amiga-heatmap convert`` writes them (:mod:`amiga_heatmap.output.parquet_storage`).

Only the columns a run needs are read from the file. Labels are text, as the text readers give them:

- a column stored as text comes back as stored;
- a metadata column stored as whole numbers comes back as each number's ``str`` (``1``, ``-3``), and one
  stored as floats as each number's ``repr`` (``0.5``, ``1.0``, ``1e-05``): exactly the text of the
  summary file, since ``convert`` stores a column as numbers only when that is so (its storage rule);
- other types (booleans, dates) come back as pyarrow's text of each value.

Missing (null) cells stay missing. A column of ``numbers`` (the growth parameters) stored as numbers
comes back as stored; one stored as text is parsed as the text readers parse it: with the decimal mark
recorded in the file by ``convert`` (a comma for a decimal-comma summary), the words for a missing number
(:data:`~amiga_heatmap.builtin.readers.MISSING_TOKENS`) missing, and returned as text when some cell is
no number at all, for the core to report. A pandas index saved in the file (``Sample_ID`` after
``set_index``) is an ordinary column; an unnamed saved index (``__index_level_0__``) is left out.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..errors import DataError
from ..plugin_system.components import Reader
from ..plugin_system.hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

PARQUET_SUFFIXES = (".parquet", ".pq")
"""The file names this reader reads; every part that treats Parquet files apart uses these."""
UNNAMED_INDEX_PREFIX = "__index_level_"
METADATA_KEY = b"amiga-heatmap"
"""The key of the Parquet schema metadata ``convert`` writes: JSON with ``decimal``, the summary's
decimal mark."""


def _schema(path: str) -> pa.Schema:
    import pyarrow as pa
    from pyarrow import parquet

    try:
        return parquet.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        if isinstance(error, OSError) and not isinstance(error, pa.ArrowException) and error.errno is not None:
            raise  # the system's fault (a permission, a vanished file): reported as a read fault
        raise unreadable(path, error) from error


def unreadable(path: str, error: Exception) -> DataError:
    """The error for a file that is not (or no longer) a whole Parquet file."""
    return DataError(
        f"Cannot read {path} as a Parquet file: {str(error).strip()}. Check that the file was written "
        "completely (amiga-heatmap convert, or pandas' DataFrame.to_parquet) or remove it from the input folder."
    )


def without_rows(path: str) -> DataError:
    """The error for a Parquet file with columns but no rows."""
    return DataError(
        f"The Parquet file {path} has columns but no rows, so it holds no wells. Convert the summary "
        "again, or remove the file from the input folder."
    )


def checked_decimal_mark(path: str) -> str:
    """The decimal mark of the Parquet file ``path`` (:func:`decimal_mark`), after the checks :func:`read`
    makes before reading: DataError for a file that is not whole Parquet or holds no rows (the same
    messages, for every engine reading Parquet)."""
    from pyarrow import parquet

    schema = _schema(path)
    try:
        rows = parquet.ParquetFile(path).metadata.num_rows
    except Exception as error:  # pyarrow raises its own and OSError subclasses for a cut file
        raise unreadable(path, error) from error
    if rows == 0:
        raise without_rows(path)
    return decimal_mark(schema)


def parquet_header(path: str) -> list[str]:
    """The file's column names in order, without an unnamed saved index."""
    return [name for name in _schema(path).names if not name.startswith(UNNAMED_INDEX_PREFIX)]


def decimal_mark(schema: pa.Schema) -> str:
    """The decimal mark of the summary the file was converted from (``.`` when not recorded)."""
    recorded = (schema.metadata or {}).get(METADATA_KEY)
    if recorded is None:
        return "."
    try:
        return json.loads(recorded).get("decimal", ".")
    except (ValueError, AttributeError):
        return "."


def read_parquet(path: str, columns: frozenset[str] | None, numbers: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Read ``path`` into a DataFrame with only ``columns`` (every column when None), the ``numbers``
    columns as numbers and every other column as text (see the module docstring). Raises DataError for
    a file that is not Parquet and for one without rows."""
    import pyarrow as pa
    from pyarrow import parquet

    schema = _schema(path)
    header = parquet_header(path)
    wanted = header if columns is None else [name for name in header if name in columns]
    wanted = wanted or header[:1]  # the first column counts the rows when nothing else is asked for
    try:
        table = parquet.read_table(path, columns=wanted)
    except pa.ArrowException as error:
        raise unreadable(path, error) from error
    if table.num_rows == 0:
        raise without_rows(path)
    decimal = decimal_mark(schema)
    arrays = {
        name: _number_column(table.column(name), decimal) if name in numbers else _label_column(table.column(name))
        for name in table.column_names
    }
    return _as_frame(arrays)


def _label_column(column: pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``column`` as text: whole numbers as ``str``, floats as ``repr``, text as stored."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..float_texts import float_texts

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column
    if pa.types.is_floating(kind):
        texts = float_texts(column.to_numpy().astype(float), nan_text="nan")
        return pc.if_else(column.is_null().combine_chunks(), pa.scalar(None, pa.string()), texts)
    return column.cast(pa.string())


def _number_column(column: pa.ChunkedArray, decimal: str) -> pa.Array | pa.ChunkedArray:
    """A column of numbers as stored; one stored as text parsed as the text readers parse it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .readers import MISSING_TOKENS

    kind = column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return column
    text = column.combine_chunks()
    missing = pc.or_(pc.is_in(text, pa.array(sorted(MISSING_TOKENS))), pc.equal(pc.utf8_trim_whitespace(text), ""))
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    cleaned = pc.if_else(pc.fill_null(missing, False), pa.scalar(None, text.type), text)
    try:
        return pc.cast(cleaned, pa.float64())
    except pa.ArrowInvalid:
        return column  # text that is no number: the core names the samples holding it


def _as_frame(arrays: dict) -> pd.DataFrame:
    import pyarrow as pa

    table = pa.table(arrays) if arrays else pa.table({})
    return table.to_pandas(ignore_metadata=True)


@hookimpl
def register_readers(register):
    """Register the Parquet reader."""
    register(
        Reader(
            name="parquet",
            suffixes=PARQUET_SUFFIXES,
            read=read_parquet,
            header=parquet_header,
            description="summary tables stored as Parquet files, e.g. by 'amiga-heatmap convert' (only the "
            "needed columns are read)",
        )
    )
