"""The summary rows of a run's sources as a dask.dataframe, one partition per block of a text file or
per file of another kind.

Text files the built-in readers handle (``.txt``, ``.tsv``, ``.csv``) larger than ``blocksize`` are
sniffed once here with the built-in reader's own rules (:func:`amiga_heatmap.builtin.table_sniffing.sniff`:
encoding, separator, decimal mark, header), then cut into blocks of ``blocksize`` bytes at line ends;
each block is parsed on a worker by pyarrow with those explicit parameters, metadata as text. Every other
file (a smaller text file, Parquet through the built-in reader, a plugin's format) is read whole, one per
partition, by its own reader on a worker, so it is read, and refused, exactly as the pandas engine reads
it. An in-memory DataFrame is split into partitions.

Every partition has the same columns: the run's input columns and the sample id, metadata as text (a
column a file lacks is missing there, as when the pandas engine concatenates files), the value column as
floats, and three columns of the engine's own (:data:`KIND`, :data:`FILE`, :data:`TEXT`) recording,
for each row, whether its value cell held a number, a missing-number word (``NA``, ``#N/A``, ...) or
other text, so that non-numeric values are reported exactly as the pandas engine reports them.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from amiga_heatmap.builtin.readers import MISSING_TOKENS, column_positions, read_delimited
from amiga_heatmap.builtin.table_sniffing import SAMPLE_BYTES, SEPARATOR_NAMES, UTF8_ENCODINGS, sniff
from amiga_heatmap.errors import DataError
from amiga_heatmap.pipeline.duplicate_wells import WELL_COLUMNS
from amiga_heatmap.pipeline.reading import check_columns, reader_of, takes_numbers
from amiga_heatmap.system_faults import read_fault

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from dask.dataframe import DataFrame

    from amiga_heatmap.pipeline.cell_table import Sources
    from amiga_heatmap.pipeline.run import Run

KIND, FILE, TEXT = "__kind", "__file", "__text"
"""The engine's own columns: the kind of each row's value cell, the number of its file among the
sources, and the cell's text where it is not a number (for messages)."""
NUMBER, MISSING_WORD, OTHER_TEXT = 0, 1, 2
"""Kinds of value cells: a number or blank; a word for a missing number; any other text. A missing-number
word counts as text (not a number) only in a file whose value column also holds other text, as for the
built-in readers."""


@dataclass(frozen=True)
class Layout:
    """What the rows of the run look like: the output ``columns`` in order (the metadata ones as text)
    and the ``value`` column."""

    columns: tuple[str, ...]
    value: str


@dataclass(frozen=True)
class TextBlock:
    """A piece of a delimited text file to parse: ``length`` bytes from ``offset`` (None: to the end),
    extended to whole lines; ``first`` when it holds the header line. ``encoding``, ``separator``,
    ``decimal`` and ``width`` (cells per row) come from sniffing the file; ``positions`` and ``names``
    are the header positions to read and their column names."""

    path: str
    file: int
    offset: int
    length: int | None
    first: bool
    encoding: str
    separator: str
    decimal: str
    width: int
    positions: tuple[int, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class SummaryRows:
    """What :func:`summary_rows` gives: the ``rows``, and what the engine's checks need to know of the
    files: the columns read from each (``file_columns``, in the order of the sources' files; empty for
    a DataFrame) and which were cut into blocks (``cut_files``, their positions)."""

    rows: DataFrame
    file_columns: tuple[frozenset[str], ...] = ()
    cut_files: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReaderFile:
    """A file read whole by its amiga-heatmap reader on a worker."""

    path: str
    file: int
    read: object
    wanted: frozenset[str]


def summary_rows(sources: Sources, run: Run, blocksize: int, partitions: int,
                 well_ids: bool = False) -> SummaryRows:
    """The rows of ``sources`` for ``run`` (see the module docstring), with the plate and well id
    columns the files have when ``well_ids`` (for the duplicate-wells check); ``partitions``: how many
    an in-memory DataFrame is split into. Raises DataError naming the closest names for a
    column the input lacks, and for the files the built-in readers refuse while sniffing (empty,
    binary, ...)."""
    import dask.dataframe as dd

    value = run.spec.value
    wanted = dict.fromkeys([*([sources.sample_column] if sources.sample_column else []), *run.input_columns,
                            *(WELL_COLUMNS if well_ids else ())])
    if sources.frame is not None:
        check_columns(sources.frame, run.input_columns, [], run.plugins)
        layout = Layout(tuple(column for column in wanted if column in sources.frame.columns), value)
        frame = sources.frame[list(layout.columns)]
        pieces = dd.from_pandas(frame, npartitions=max(1, min(partitions, len(frame))), sort=False)
        return SummaryRows(pieces.map_partitions(typed_partition, layout, 0, meta=empty_partition(layout)))
    pieces, seen, file_columns, cut_files = [], {}, [], []
    for number, path in enumerate(sources.files):
        reader = reader_of(path, run.plugins)
        separator = _builtin_separator(reader)
        if separator is not None and os.path.getsize(path) > blocksize:
            text = sniff(str(path), separator)
            names = [name for name in text.names if name in wanted]
            pieces.extend(_blocks(str(path), number, text, wanted, blocksize))
            cut_files.append(number)
        else:
            names = [name for name in reader.header(str(path)) if name in wanted]
            read = partial(reader.read, numbers=frozenset({value})) if takes_numbers(reader) else reader.read
            pieces.append(ReaderFile(str(path), number, read, frozenset(wanted)))
        seen.update(dict.fromkeys(names))
        file_columns.append(frozenset(names))
    layout = Layout(tuple(seen), value)
    check_columns(empty_partition(layout), run.input_columns, list(sources.files), run.plugins)
    rows = dd.from_map(partial(read_piece, layout=layout), pieces, meta=empty_partition(layout),
                       enforce_metadata=False, label="read-summaries")
    return SummaryRows(rows, tuple(file_columns), tuple(cut_files))


def _builtin_separator(reader) -> str | None:
    """The separator the built-in text reader ``reader`` expects, or None for any other reader."""
    read = reader.read
    if isinstance(read, partial) and read.func is read_delimited:
        return read.keywords.get("separator")
    return None


def _blocks(path: str, number: int, text, wanted: dict, blocksize: int) -> list[TextBlock]:
    """The blocks of the text file ``path`` (its sniffed layout ``text``)."""
    positions = column_positions(path, text, frozenset(wanted))  # refuses a needed name given twice
    names = tuple(text.names[position] for position in positions)
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        has_newline = b"\n" in handle.read(SAMPLE_BYTES)
    whole = text.encoding == "utf-16" or not has_newline or size <= blocksize
    starts = [0] if whole else list(range(0, size, blocksize))
    return [
        TextBlock(path, number, start, None if whole else blocksize, start == 0, text.encoding, text.separator,
                  text.decimal, len(text.fields), tuple(positions), names)
        for start in starts
    ]


def read_piece(piece: TextBlock | ReaderFile, layout: Layout) -> pd.DataFrame:
    """Parse one block or read one file (on a worker) into a partition of ``layout``."""
    if isinstance(piece, ReaderFile):
        try:
            frame = piece.read(piece.path, piece.wanted)
        except OSError as error:
            raise read_fault(piece.path, error) from error
        return typed_partition(frame, layout, piece.file)
    return _text_partition(piece, layout)


def _text_partition(block: TextBlock, layout: Layout) -> pd.DataFrame:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    data = _block_bytes(block)
    if not data:  # a block lying within one line: the block where that line starts reads it
        return empty_partition(layout)
    columns = [f"column {position}" for position in range(block.width)]
    read = dict(zip((columns[position] for position in block.positions), block.names))
    value_field = next((field for field, name in read.items() if name == layout.value), None)
    table = None
    if value_field is not None and block.decimal == ".":
        try:  # the common case, numbers only: parsed as numbers straight away
            table = _parse(block, data, columns, read, {value_field: pa.float64()})
        except pa.ArrowInvalid:
            table = None  # text in the value column (or a damaged row): parsed as text below
    if table is None:
        try:
            table = _parse(block, data, columns, read, {})
        except (pa.ArrowException, UnicodeDecodeError, ValueError) as error:
            reason = str(error).strip().splitlines()[0][:300]
            raise DataError(
                f"The dask engine cannot parse {block.path} as a {SEPARATOR_NAMES[block.separator]}-separated "
                f"table (in the block from byte {block.offset}): {reason}. Run it with --engine pandas, whose "
                "reader names the rows at fault, then fix or delete those rows."
            ) from error
    frame = table.to_pandas()
    frame.columns = [read[field] for field in table.column_names] if read else ["__row"]
    if value_field is None:
        return _finished(frame, layout, np.zeros(len(frame), dtype=np.int8), None, None, block.file)
    cells = frame[layout.value]
    if pd.api.types.is_float_dtype(cells.dtype):
        return _finished(frame, layout, np.zeros(len(frame), dtype=np.int8), cells.to_numpy(), None, block.file)
    value_text = cells.astype("str")
    words = value_text.isin(MISSING_TOKENS).to_numpy()
    cells = value_text.mask(words)
    dotted = np.zeros(len(frame), dtype=bool)
    if block.decimal == ",":  # a decimal point in a file of decimal commas is not a number there
        dotted = cells.str.contains(".", regex=False).to_numpy(dtype=bool, na_value=False)
        cells = cells.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    other = (np.isnan(numbers) & cells.notna().to_numpy()) | dotted
    numbers = np.where(other, np.nan, numbers)
    kinds = np.where(other, OTHER_TEXT, np.where(words, MISSING_WORD, NUMBER)).astype(np.int8)
    return _finished(frame, layout, kinds, numbers, value_text, block.file)


def _block_bytes(block: TextBlock) -> bytes:
    """The bytes of ``block``: whole lines, without a UTF-8 byte-order mark."""
    from fsspec.utils import read_block

    try:
        with open(block.path, "rb") as handle:
            data = read_block(handle, block.offset, block.length, delimiter=b"\n") if block.length else handle.read()
    except OSError as error:
        raise read_fault(block.path, error) from error
    if block.first and block.encoding in UTF8_ENCODINGS and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data


def _parse(block: TextBlock, data: bytes, columns: list[str], read: dict[str, str], types: dict):
    """``data`` parsed by pyarrow with the block's layout: the ``read`` columns, as text unless ``types``
    says otherwise, blank cells missing."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    fields = list(read) or columns[:1]
    return pa_csv.read_csv(
        pa.py_buffer(data),
        read_options=pa_csv.ReadOptions(column_names=columns, skip_rows=1 if block.first else 0, use_threads=False,
                                        encoding="utf8" if block.encoding in UTF8_ENCODINGS else block.encoding),
        parse_options=pa_csv.ParseOptions(delimiter=block.separator),
        convert_options=pa_csv.ConvertOptions(include_columns=fields,
                                              column_types={field: types.get(field, pa.string()) for field in fields},
                                              null_values=[""], strings_can_be_null=True),
    )


def typed_partition(frame: pd.DataFrame, layout: Layout, file: int) -> pd.DataFrame:
    """A partition of ``layout`` from rows a reader returned (or an in-memory DataFrame): metadata as
    text, the value as floats, text in the value column marked as the pandas engine judges it."""
    import numpy as np
    import pandas as pd

    if layout.value not in frame.columns:
        return _finished(frame, layout, np.full(len(frame), NUMBER, dtype=np.int8), None, None, file)
    cells = frame[layout.value]
    if pd.api.types.is_bool_dtype(cells.dtype):
        kinds = np.full(len(frame), OTHER_TEXT, dtype=np.int8)
        numbers = np.full(len(frame), np.nan)
    elif pd.api.types.is_numeric_dtype(cells.dtype):
        kinds = np.full(len(frame), NUMBER, dtype=np.int8)
        numbers = cells.to_numpy(dtype=float, na_value=np.nan)
    else:
        numbers = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        kinds = np.where(np.isnan(numbers) & cells.notna().to_numpy(), OTHER_TEXT, NUMBER).astype(np.int8)
    return _finished(frame, layout, kinds, numbers, cells.astype("str"), file)


def _finished(frame: pd.DataFrame, layout: Layout, kinds, numbers, value_text, file: int) -> pd.DataFrame:
    """The partition of ``layout`` made of ``frame``'s metadata (as text, missing columns missing), the
    value ``numbers`` (None: every value missing) and the engine's own columns."""
    import numpy as np
    import pandas as pd

    frame = frame.reset_index(drop=True)
    size = len(frame)
    nothing = pd.Series(np.full(size, None, dtype=object), dtype="str")
    parts = {}
    for name in layout.columns:
        if name == layout.value:
            parts[name] = pd.Series(np.full(size, np.nan) if numbers is None else np.asarray(numbers, dtype=float))
        elif name in frame.columns:
            column = frame[name]
            parts[name] = column if column.dtype == "str" else column.astype("str")
        else:
            parts[name] = nothing
    text = nothing if value_text is None else value_text.reset_index(drop=True).where(pd.Series(kinds > NUMBER))
    parts.update({KIND: pd.Series(kinds), FILE: pd.Series(np.full(size, file, dtype=np.int32)), TEXT: text})
    return pd.DataFrame(parts)


def empty_partition(layout: Layout) -> pd.DataFrame:
    """A partition of ``layout`` without rows: the dtypes every partition has."""
    import pandas as pd

    columns = {name: pd.Series([], dtype=float if name == layout.value else "str") for name in layout.columns}
    columns.update({KIND: pd.Series([], dtype="int8"), FILE: pd.Series([], dtype="int32"),
                    TEXT: pd.Series([], dtype="str")})
    return pd.DataFrame(columns)
