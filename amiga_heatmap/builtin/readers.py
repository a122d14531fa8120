"""Built-in readers: delimited text summary tables, ``.txt``/``.tsv`` (AMiGA's own output) and ``.csv``.

Both readers take a table however an editor saved it (see :mod:`.text_layout`): UTF-8 with or without a
byte-order mark, Windows-1252 or UTF-16, any line endings, separated by tabs, semicolons or commas
(sniffed from the header and the first rows, so a ``.txt`` that is really comma-separated is read
right; the suffix only decides for a one-column file), with decimal points or decimal commas.

Labels are text, exactly as written: every column the run does not name in ``numbers`` (the growth
parameters) is metadata and comes back as ``str`` cells holding the characters of the file, so ``01``,
``1`` and ``1.0`` are three labels, and ``NA``, ``null``, ``TRUE``, ``1e3``, ``000123`` or `` x `` (with
its spaces) are kept as they are. Only a blank cell is missing in a metadata column.

Missing numbers: in a column of ``numbers``, a blank cell is missing, and so are the words spreadsheets
and pandas write for a missing number (:data:`MISSING_TOKENS`: ``NaN``, ``NA``, ``#N/A``, ``null``,
...) when every other cell of the column is a number. ``inf``, ``Infinity`` and ``-inf`` are infinite
numbers. A column of ``numbers`` holding other text is returned as text, for the core to report.

Reading has two tiers that give the same table for any file both can read:

- fast: AMiGA's own case, UTF-8 with decimal points, read by pandas' pyarrow engine, parsing only the
  columns the run needs (metadata as text, numbers as numbers);
- careful: every other file, and any file the fast tier stumbles on. The encoding is confirmed over the
  whole file, every row's number of cells is checked against the header, then pandas' C engine parses
  with the file's encoding and decimal mark.

Decisions, each refused with a :class:`~amiga_heatmap.errors.DataError` naming the file rather than
guessed at: a row with more or fewer cells than the header (blank lines are skipped); a column the run
needs whose name appears twice in the header (other repeated names are harmless and ignored); a header
with no rows; an empty or binary file. Column names lose surrounding white space.
"""

from __future__ import annotations

import logging
import warnings
from functools import partial
from typing import TYPE_CHECKING

from ..errors import DataError
from ..plugin_system.components import Reader
from ..plugin_system.hookspecs import hookimpl
from .table_sniffing import (
    ENCODING_NAMES,
    SEPARATOR_NAMES,
    UTF8_ENCODINGS,
    Layout,
    count_lines,
    scan_bytes,
    sniff,
    whole_file_encoding,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

ROWS_SHOWN = 5
TEXT_SHOWN = 60
MISSING_TOKENS = frozenset(
    {"#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
     "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
)
"""Cell texts that mean "no number" in a column of numbers (pandas' list, blank cells aside)."""


class GuessedEncodingWarning(UserWarning):
    """A file was not UTF-8, so its encoding was inferred (Windows-1252 or Latin-1)."""


def read_header(path: str, separator: str) -> list[str]:
    """The column names of the table in ``path``, in order, without reading its rows (``separator`` as
    for :func:`read_delimited`)."""
    return sniff(path, separator).names


def read_delimited(
    path: str, columns: frozenset[str] | None, separator: str, numbers: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Read the table in ``path``, keeping the columns named in ``columns`` (every column for None).

    ``numbers`` names the growth parameters, parsed as numbers; every other column is metadata, read as
    text exactly as written (see the module docstring). ``separator`` is the one to expect; a file whose
    first lines split consistently into more cells on another of tab, semicolon and comma is read with
    that one instead. The columns come in file order under their header names. Raises DataError for
    the files described in the module docstring.
    """
    layout = sniff(path, separator)
    positions = column_positions(path, layout, columns)
    text = [position for position in positions if layout.names[position] not in numbers]
    frame = None
    if layout.encoding in UTF8_ENCODINGS and layout.decimal == ".":
        frame = _read_fast(path, layout, positions, text)
    if frame is None:
        log.info("reading %s carefully: %s", path, layout.describe())
        frame = _read_careful(path, layout, positions, text)
    parsed = [layout.names[position] for position in positions if position not in text]
    frame = _missing_tokens_in_numbers(frame, layout.decimal, parsed)
    if len(frame) == 0:
        raise header_without_rows(path)
    return frame


def header_without_rows(path: str) -> DataError:
    """The error of a file with a header row and no data rows."""
    return DataError(
        f"The file {path} has a header row but no data rows, so it holds no wells. If it should "
        "hold data, the program that wrote it was probably interrupted: write it again. Otherwise "
        "remove it from the input folder."
    )


def column_positions(path: str, layout: Layout, columns: frozenset[str] | None) -> list[int]:
    """The 0-based positions of the columns to read, in file order.

    A needed name that appears more than once is a DataError; with ``columns`` None, the first of each
    repeated name is kept. The first column is read when nothing else is, to count the rows.
    """
    names = layout.names
    if columns is None:
        return [position for position, name in enumerate(names) if name and names.index(name) == position] or [0]
    positions = [position for position, name in enumerate(names) if name and name in columns]
    repeated = sorted({names[position] for position in positions if names.count(names[position]) > 1})
    if repeated:
        name = repeated[0]
        places = [str(position + 1) for position, other in enumerate(names) if other == name]
        raise DataError(
            f"The column name {name!r} appears {len(places)} times in the header of {path} (columns "
            f"{', '.join(places)}), and the run needs that column, so which one to use is ambiguous. "
            "Rename or delete the extra columns so that every name is used once."
        )
    return positions or [0]


def _read_fast(path: str, layout: Layout, positions: list[int], text: list[int]) -> pd.DataFrame | None:
    """Read with pyarrow's CSV reader (the columns at ``text`` as text, the others inferred, as pandas'
    pyarrow engine infers them), or return None when the careful tier must decide.

    None is returned when pyarrow cannot parse the file (ragged rows, text after numbers further down,
    bytes that are not UTF-8, zero bytes), infers a column type the C engine would not (dates, binary
    data), or, in a file holding quotes, returns fewer rows than the file has lines: reading blocks in
    parallel, pyarrow silently loses the rows after a quote that never closes. So both tiers always
    agree.
    """
    import pandas as pd

    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:  # pragma: no cover - pyarrow is a dependency; stay correct without it
        return None
    fields = [layout.fields[position] for position in positions]
    if "" in fields or any(layout.fields.count(field) > 1 for field in fields):
        return None  # pandas would rename such columns; the careful tier reads by position
    has_quote, zero = scan_bytes(path)
    if zero is not None:
        return None  # the careful tier names the damaged line
    # pyarrow directly: pandas' pyarrow engine given dtypes for some columns fails on integer columns
    # with blank cells in the others ("cannot convert NA to integer", pandas 3.1)
    text_fields = {layout.fields[position] for position in text}
    try:
        table = pa_csv.read_csv(
            path,
            parse_options=pa_csv.ParseOptions(delimiter=layout.separator),
            convert_options=pa_csv.ConvertOptions(
                include_columns=fields, column_types=dict.fromkeys(text_fields, pa.large_string()),
                null_values=[""], strings_can_be_null=True,
            ),
        )
    except (ValueError, KeyError, pa.ArrowException) as error:
        log.info("the fast reader passed %s to the careful one: %s", path, str(error).splitlines()[0][:200])
        return None
    blank = [position for position, kind in enumerate(table.schema.types) if pa.types.is_null(kind)]
    for position in blank:  # a column of numbers with only blank cells: missing numbers, as pandas reads it
        table = table.set_column(position, table.schema.field(position).name, table.column(position).cast(pa.float64()))
    frame = table.to_pandas()
    plain = all(
        pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_string_dtype(dtype) and dtype != object
        for dtype in frame.dtypes
    )
    if not plain:
        return None
    if has_quote and len(frame) != count_lines(path, zero_free=True) - 1:
        log.info("the fast reader passed %s to the careful one: the rows do not match the lines", path)
        return None
    frame = frame[fields]
    frame.columns = [layout.names[position] for position in positions]
    return frame


def _read_careful(path: str, layout: Layout, positions: list[int], text: list[int]) -> pd.DataFrame:
    """Confirm the encoding, check every row's length, then parse with pandas' C engine (the columns
    at ``text`` as text, the others inferred)."""
    import pandas as pd

    encoding = whole_file_encoding(path, layout)
    warn_guessed_encoding(path, encoding)
    check_row_lengths(path, layout, encoding)
    try:
        frame = pd.read_csv(
            path,
            sep=layout.separator,
            decimal=layout.decimal,
            encoding=encoding,
            header=0,
            names=[f"column {position}" for position in range(len(layout.fields))],  # rows checked: as wide
            usecols=positions,
            engine="c",
            low_memory=False,
            keep_default_na=False,
            na_values=[""],
            dtype={f"column {position}": str for position in text},
        )
    except (ValueError, pd.errors.ParserError) as error:
        raise DataError(
            f"Cannot read {path} as a {SEPARATOR_NAMES[layout.separator]}-separated table "
            f"({layout.describe()}): {str(error).strip()}. Check the rows near the place named."
        ) from error
    frame.columns = [layout.names[position] for position in positions]
    return frame


def warn_guessed_encoding(path: str, encoding: str) -> None:
    """Warn (:class:`GuessedEncodingWarning`) when ``path`` is read in an encoding inferred because it
    is not UTF-8 (Windows-1252 or Latin-1); nothing for UTF-8 and UTF-16."""
    if encoding not in UTF8_ENCODINGS + ("utf-16",):
        warnings.warn(
            f"{path} is not UTF-8; it was read as {ENCODING_NAMES[encoding]}, as Excel on Windows writes. "
            "If labels look wrong, save the file as UTF-8.",
            GuessedEncodingWarning,
            stacklevel=3,
        )


def _missing_tokens_in_numbers(frame: pd.DataFrame, decimal: str, numbers: list[str]) -> pd.DataFrame:
    """Turn each of the ``numbers`` columns read as text whose cells are all numbers or
    :data:`MISSING_TOKENS` into numbers, with those cells missing; other columns are left as read."""
    import pandas as pd

    converted = {}
    for column in numbers:
        cells = frame[column]
        if not pd.api.types.is_string_dtype(cells.dtype):
            continue
        tokens = cells.isin(MISSING_TOKENS)
        if not tokens.any():
            continue
        text = cells.mask(tokens)
        if decimal == ",":
            text = text.str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce")
        if (values.notna() | text.isna()).all():
            converted[column] = values.astype(float)
    return frame.assign(**converted) if converted else frame


def check_row_lengths(path: str, layout: Layout, encoding: str) -> None:
    """Raise DataError listing the rows of ``path`` whose number of cells differs from the header's."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if count_lines(path, encoding) < 2:
        return  # a header alone: no rows to check (zero bytes are refused on the way)
    width = len(layout.fields)
    names = [f"column {position}" for position in range(width)]
    ragged = []

    def note(row) -> str:
        ragged.append(row)
        return "skip"

    try:
        pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(encoding=encoding, use_threads=False, column_names=names, skip_rows=1),
            parse_options=pa_csv.ParseOptions(
                delimiter=layout.separator, newlines_in_values=True, invalid_row_handler=note
            ),
            convert_options=pa_csv.ConvertOptions(include_columns=names[:1], column_types={names[0]: pa.string()}),
        )
    except pa.ArrowException as error:
        raise DataError(
            f"Cannot read {path} as a {SEPARATOR_NAMES[layout.separator]}-separated table: "
            f"{str(error).strip()}. A quote that opens a cell must close it; check the file near there."
        ) from error
    if ragged:
        shown = "; ".join(
            f"row {row.number} has {row.actual_columns} cells ({_shorten(row.text)})" for row in ragged[:ROWS_SHOWN]
        )
        more = f"; and {len(ragged) - ROWS_SHOWN} more rows" if len(ragged) > ROWS_SHOWN else ""
        quote = (
            " A double quote that opens a cell and never closes joins the rest of the file into that cell;"
            " check the quotes in those rows."
            if any('"' in row.text for row in ragged[:ROWS_SHOWN])
            else ""
        )
        raise DataError(
            f"The file {path} has rows whose number of cells differs from the {width} columns of its "
            f"header ({SEPARATOR_NAMES[layout.separator]}-separated): {shown}{more}. Rows are counted "
            "with the header as row 1, skipping blank lines. Cells were probably added or lost when the "
            f"file was edited, or the file was cut short; fix or delete those rows.{quote}"
        )


def _shorten(text: str) -> str:
    return repr(text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "...")


@hookimpl
def register_readers(register):
    """Register the AMiGA text reader and the CSV reader."""
    register(
        Reader(
            name="amiga-text",
            suffixes=(".txt", ".tsv"),
            read=partial(read_delimited, separator="\t"),
            header=partial(read_header, separator="\t"),
            description="AMiGA summary files and other text tables: tab-, comma- or semicolon-separated",
        )
    )
    register(
        Reader(
            name="csv",
            suffixes=(".csv",),
            read=partial(read_delimited, separator=","),
            header=partial(read_header, separator=","),
            description="comma- (or semicolon-) separated summary tables with a header row",
        )
    )
