"""What the ``duckdb`` engine reads, and how: one SQL ``SELECT`` over the input files (or the DataFrame)
giving the columns a run needs under their names, the value as a number (:func:`.sql.value_columns`).

Text tables (``.txt``, ``.tsv``, ``.csv``, the files the built-in readers read) are laid out by the
built-in reader's own sniffing (:func:`~amiga_heatmap.builtin.table_sniffing.sniff`: encoding,
separator, decimal mark, header), then handed to DuckDB's ``read_csv`` with every parameter explicit and
every column as text, so metadata stays exactly as written. The built-in reader's refusals are made the
same way, with its messages: the sniffing refuses empty, binary and badly encoded files; a needed column
named twice and a header without rows are refused here; a file holding zero bytes, or not in UTF-8, is
checked as the built-in reader's careful tier checks it (:func:`checked_encoding`) and, if it passes,
read from a UTF-8 copy in the run's work folder. Files with the same layout are read by one
``read_csv``.

With the parsed-input cache (:mod:`.cache`), each text table is read on its own: from its entry,
when one holds the columns (``read_parquet``, the same SQL as the text after it), or by DuckDB writing
the columns into a new entry, which the run then reads (:attr:`Source.fills`).

Parquet files (``.parquet``, ``.pq``) are read by ``read_parquet``: metadata stored as text is used as
it is, other metadata is cast to text; the value column is used as stored when it holds numbers.
"""

from __future__ import annotations

import codecs
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import UsageError
from ...pipeline.input_cache import Request
from ...pipeline.reading import reader_of
from ..parquet_reader import PARQUET_SUFFIXES
from ..readers import (
    check_row_lengths,
    column_positions,
    header_without_rows,
    warn_guessed_encoding,
)
from ..table_sniffing import UTF8_ENCODINGS, Layout, scan_bytes, sniff, whole_file_encoding
from . import sql

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pandas as pd

    from ...pipeline.cell_table import Sources
    from ...plugin_system.plugin_set import PluginSet
    from .cache import Fill, TextCache

TEXT_READERS = {"amiga-text": "\t", "csv": ","}
"""The built-in readers whose files DuckDB reads as text, with the separator each expects."""
UNNAMED_INDEX_PREFIX = "__index_level_"
MAX_LINE_BYTES = 1 << 21
"""The longest line DuckDB is allowed to read: DuckDB's own default, 2 MB, thousands of times a summary
row (the built-in reader has no limit). DuckDB sizes its read buffers from it, one per thread: at 64 MB
they took 1.4 GB of a 10^7-well run's 2.4 GB peak (docs/performance.md)."""
FILE_INDEX = "__file"
"""The position of each row's file among the input files, when a run needs it (the duplicate-wells check)."""
TRANSCODE_CHUNK = 1 << 22
LINE_BREAK = re.compile(rb"[\r\n]")


@dataclass(frozen=True)
class TextFile:
    """A text table: ``path`` as given, ``read_from`` the file DuckDB reads (the file itself, or a UTF-8
    copy), its sniffed ``layout``."""

    path: str
    read_from: str
    layout: Layout


@dataclass
class Source:
    """The input as SQL: ``select`` gives one row per well; ``labels`` maps each metadata column it gives
    to how it is stored (``text``, or a DuckDB type name for Parquet and DataFrames); ``columns`` is every
    column of the input (for messages about a missing one), in first-seen order; ``fills``, the cache
    entries to write (:meth:`.cache.TextCache.write`) before ``select`` reads them; ``reads_text``,
    whether it parses text tables itself (rather than reading them from cache entries);
    ``values_as_text``, whether any value cell is read from text, so that :data:`.sql.VALUE_TEXT` can hold
    something (for values stored as numbers, or no value column, it is NULL on every row)."""

    select: str
    labels: dict[str, str]
    columns: list[str]
    fills: list[Fill] = field(default_factory=list)
    reads_text: bool = False
    values_as_text: bool = True

    @property
    def numeric_labels(self) -> frozenset[str]:
        """The metadata columns stored as numbers (a subset also matches them as numbers)."""
        return frozenset(column for column, kind in self.labels.items()
                         if kind not in ("text", "VARCHAR") and not kind.startswith("VARCHAR"))


def kind_of(path: Path, plugins: PluginSet) -> str | None:
    """``"text"`` for a file a built-in text reader reads, ``"parquet"`` for a Parquet file, None for a
    file the engine cannot read itself."""
    if str(path).lower().endswith(PARQUET_SUFFIXES):
        return "parquet"
    reader = reader_of(path, plugins)
    builtin = plugins.readers.plugin_of(reader.name) == "builtin.readers"
    return "text" if builtin and reader.name in TEXT_READERS else None


def refuse_names_alike(names: Iterable[str]) -> None:
    """UsageError for the first two of ``names`` (the columns a run reads) that differ only in case:
    DuckDB matches column names without regard to case, so it would read one of them for the other."""
    seen: dict[str, str] = {}
    for name in names:
        first = seen.setdefault(name.casefold(), name)
        if first != name:
            raise names_alike(first, name)


def names_alike(first: str, second: str) -> UsageError:
    """The error of two columns the duckdb engine cannot tell apart."""
    return UsageError(
        f"The duckdb engine cannot tell the columns {first!r} and {second!r} apart: DuckDB compares column "
        "names without regard to case. Run with --engine pandas, or rename one of them in the input."
    )


def unreadable(path: Path, plugins: PluginSet) -> UsageError:
    """The error of a file the engine reads neither as text nor as Parquet."""
    reader = reader_of(path, plugins)
    return UsageError(
        f"The duckdb engine reads text tables (.txt, .tsv, .csv) and Parquet files (.parquet, .pq), not "
        f"{str(path)!r}, which the reader {reader.name!r} reads. Run with --engine pandas (or --engine auto)."
    )


def input_source(
    sources: Sources, plugins: PluginSet, connection: duckdb.DuckDBPyConnection, folder: str,
    wanted: frozenset[str] | None, value: str, file_index: bool, transcode: Mapping[str, str] | None = None,
    cache: TextCache | None = None,
) -> Source:
    """The :class:`Source` of ``sources``: only the ``wanted`` columns (None: every column) and the
    ``value`` column; with ``file_index``, each row's file position as :data:`FILE_INDEX`. A DataFrame is
    registered on ``connection``; copies go to ``folder``. ``transcode`` gives the encoding of files that
    looked like UTF-8 but were found, further on, to be in another one (see :func:`checked_encoding`).
    Text tables are read through ``cache`` when given."""
    if sources.frame is not None:  # only the columns the run needs: DuckDB renames names alike in case
        frame = sources.frame
        if wanted is not None:
            frame = frame[[column for column in frame.columns if column in wanted or column == value]]
        connection.register("input_frame", frame)
        source = _typed_source(connection, "input_frame", wanted, value, None)
        return replace(source, columns=[str(column) for column in sources.frame.columns])
    files = [str(file) for file in sources.files]
    kinds = {file: kind_of(Path(file), plugins) for file in files}
    refused = [file for file, kind in kinds.items() if kind is None]
    if refused:
        raise unreadable(Path(refused[0]), plugins)
    text = [file for file in files if kinds[file] == "text"]
    parquet = [file for file in files if kinds[file] == "parquet"]
    selects, labels, columns, fills, reads_text, values_as_text = [], {}, {}, [], False, False
    if text:
        texts = _text_source(text, plugins, folder, wanted, value, transcode or {}, files if file_index else None,
                             cache)
        selects.append(texts.select)
        labels.update(texts.labels)
        columns.update(dict.fromkeys(texts.columns))
        fills, reads_text, values_as_text = texts.fills, texts.reads_text, texts.values_as_text
    for decimal, group in _parquet_by_decimal_mark(parquet).items():
        listed = ", ".join(sql.text(file) for file in group)
        reading = f"read_parquet([{listed}], union_by_name = true{', filename = true' if file_index else ''})"
        typed = _typed_source(connection, reading, wanted, value, files if file_index else None, decimal)
        selects.append(typed.select)
        labels.update({column: kind for column, kind in typed.labels.items() if column not in labels})
        columns.update(dict.fromkeys(typed.columns))
        values_as_text = values_as_text or typed.values_as_text
    select = " UNION ALL BY NAME ".join(f"({select})" for select in selects)
    return Source(select, labels, list(columns), fills, reads_text, values_as_text)


def _text_source(
    files: list[str], plugins: PluginSet, folder: str, wanted: frozenset[str] | None, value: str,
    transcode: Mapping[str, str], indexed: list[str] | None, cache: TextCache | None,
) -> Source:
    """The source of the text ``files``: each read from its cache entry (a served one, or one this run
    writes) or, without one, by one ``read_csv`` per layout."""
    groups: dict[tuple, list[TextFile]] = defaultdict(list)
    columns: dict[str, None] = {}
    selects, fills = [], []
    labels: dict[str, str] = {}
    needed = None if wanted is None else wanted | {value}
    for path in files:
        reader = reader_of(path, plugins).name
        position = None if indexed is None else indexed.index(path)
        entry = None if cache is None else cache.entry(path, reader, Request(needed, frozenset()))
        if entry is not None:
            columns.update(dict.fromkeys(entry.record["names"]))
            selects.append(_entry_select(str(entry.place), entry.record["present"], needed, value,
                                         entry.record["decimal"], position, labels))
            continue
        with cache.reading(path) if cache is not None else nullcontext():
            table = prepared_text(path, TEXT_READERS[reader], folder, transcode.get(path))
        layout = table.layout
        names = [name for name in layout.names if name]
        columns.update(dict.fromkeys(names))
        positions = column_positions(path, layout, needed)
        fill = None if cache is None else cache.fill(path, reader, Request(needed, frozenset()))
        if fill is None:
            groups[(layout.separator, layout.decimal, layout.fields, tuple(positions))].append(table)
            continue
        written = _written_positions(path, layout, needed, fill.request.columns)
        fill.describe(_csv_select([table.read_from], layout, written, filename=False), names,
                      [layout.names[place] for place in written], layout.decimal, cache.caught(path))
        fills.append(fill)
        selects.append(_entry_select(str(fill.temporary), fill.record["present"], needed, value, layout.decimal,
                                     position, labels))
    for (_, decimal, _, positions), tables in groups.items():
        layout = tables[0].layout
        names = [layout.names[position] for position in positions]
        paths = [table.read_from for table in tables]
        inner = _csv_select(paths, layout, positions, filename=indexed is not None)
        file_column = _file_index([table.path for table in tables], paths, indexed)
        items = [*_text_items(names, value, decimal, labels), *file_column]
        selects.append(f"SELECT {', '.join(items)} FROM ({inner})")
    return Source(" UNION ALL BY NAME ".join(f"({select})" for select in selects), labels, list(columns), fills,
                  reads_text=bool(groups))


def _csv_select(paths: list[str], layout: Layout, positions: list[int], filename: bool) -> str:
    """The columns at ``positions`` of the text tables ``paths`` (all of ``layout``) under their names,
    as text, exactly as written; with ``filename``, DuckDB's column naming each row's file."""
    renamed = ", ".join(f"c{position} AS {sql.name(layout.names[position])}" for position in positions)
    types = "{" + ", ".join(f"'c{position}': 'VARCHAR'" for position in range(len(layout.fields))) + "}"
    reading = (
        f"read_csv([{', '.join(sql.text(path) for path in paths)}], delim = {sql.text(layout.separator)}, "
        f"quote = '\"', escape = '\"', header = true, auto_detect = false, columns = {types}, "
        f"strict_mode = true, null_padding = false, max_line_size = {MAX_LINE_BYTES}, encoding = 'utf-8'"
        f"{', filename = true' if filename else ''})"
    )
    return f"SELECT {renamed}{', filename' if filename else ''} FROM {reading}"


def _written_positions(path: str, layout: Layout, needed: frozenset[str] | None,
                       widened: frozenset[str] | None) -> list[int]:
    """The positions of the columns a new cache entry holds: those ``needed`` and those of the older
    entry (``widened``) that the header names once; every column for None."""
    if needed is None or widened is None:
        return column_positions(path, layout, None)
    kept = frozenset(column for column in widened - needed if layout.names.count(column) == 1)
    return column_positions(path, layout, needed | kept)


def _entry_select(place: str, held: list[str], needed: frozenset[str] | None, value: str, decimal: str,
                  position: int | None, labels: dict[str, str]) -> str:
    """The SELECT over a cache entry at ``place`` (holding the text columns ``held``), giving what the
    text would: the ``needed`` columns (None: all), the value read with the ``decimal`` mark, and the
    file's ``position`` as :data:`FILE_INDEX` unless None. Adds the labels to ``labels``."""
    chosen = [column for column in held if needed is None or column in needed]
    file_column = [] if position is None else [f"{position} AS {FILE_INDEX}"]
    items = [*_text_items(chosen, value, decimal, labels), *file_column]
    return f"SELECT {', '.join(items)} FROM read_parquet({sql.text(place)})"


def _text_items(names: list[str], value: str, decimal: str, labels: dict[str, str]) -> list[str]:
    """The select items of the text columns ``names`` as a run reads them: each label as text (added to
    ``labels``), and the value read with the ``decimal`` mark (NULL when ``names`` lacks it)."""
    for column in names:
        if column != value:
            labels.setdefault(column, "text")
    values = sql.value_columns(value, "text", decimal) if value in names else _no_values()
    return [*(sql.name(column) for column in names if column != value), values]


def _no_values() -> str:
    return f"NULL::DOUBLE AS {sql.VALUE}, NULL::VARCHAR AS {sql.VALUE_TEXT}"


def _file_index(paths: list[str], read_from: list[str], indexed: list[str] | None) -> list[str]:
    """The select item giving each row's position among ``indexed`` (the input files) from DuckDB's
    ``filename`` column (which names ``read_from``); none when not ``indexed``."""
    if indexed is None:
        return []
    cases = " ".join(f"WHEN {sql.text(source)} THEN {indexed.index(path)}" for path, source in zip(paths, read_from))
    return [f"CASE filename {cases} END AS {FILE_INDEX}"]


def prepared_text(path: str, separator: str, folder: str, encoding: str | None = None) -> TextFile:
    """Sniff the text table ``path`` (the built-in reader's checks and messages, see the module
    docstring) and, when it is not plain UTF-8, check it whole and write a UTF-8 copy into ``folder``.
    ``encoding``: the file's encoding when already checked."""
    layout = sniff(path, separator)
    read_from = path
    if encoding is None and (scan_bytes(path)[1] is not None or layout.encoding not in UTF8_ENCODINGS):
        encoding = checked_encoding(path, layout)
    if encoding is not None and encoding not in UTF8_ENCODINGS:
        read_from = _utf8_copy(path, encoding, folder)
    if not _holds_rows(read_from):
        raise header_without_rows(path)
    return TextFile(path, read_from, layout)


def checked_encoding(path: str, layout: Layout) -> str:
    """The encoding of the whole of ``path``, checked as the built-in reader's careful tier checks it:
    a file mixing encodings, holding zero bytes, or with rows longer or shorter than the header is a
    DataError with that reader's message; a file guessed to be Windows-1252 or Latin-1 is warned about
    as it warns."""
    encoding = whole_file_encoding(path, layout)
    warn_guessed_encoding(path, encoding)
    check_row_lengths(path, layout, encoding)
    return encoding


def _utf8_copy(path: str, encoding: str, folder: str) -> str:
    """Write ``path`` decoded from ``encoding`` as UTF-8 into ``folder``, a chunk at a time; the copy's path."""
    copy = os.path.join(folder, f"input-{len(os.listdir(folder))}.txt")
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as source, open(copy, "w", encoding="utf-8", newline="") as target:
        target.writelines(decoder.decode(chunk) for chunk in iter(lambda: source.read(TRANSCODE_CHUNK), b""))
        target.write(decoder.decode(b"", final=True))
    return copy


def _holds_rows(path: str) -> bool:
    """Whether the UTF-8 table ``path`` holds anything but line breaks after its header line (whatever
    the line endings), read until something is found."""
    with open(path, "rb") as handle:
        header_ended = False
        for chunk in iter(lambda: handle.read(TRANSCODE_CHUNK), b""):
            if not header_ended:
                found = LINE_BREAK.search(chunk)
                if found is None:
                    continue
                header_ended, chunk = True, chunk[found.start():]
            if chunk.strip(b"\r\n"):
                return True
    return False


def _parquet_by_decimal_mark(files: Sequence[str]) -> dict[str, list[str]]:
    """The Parquet ``files`` grouped by the decimal mark of the summaries they were converted from (a
    decimal-comma summary keeps its numbers as text); DataError, as the Parquet reader words it, for a
    file that is not whole Parquet or holds no rows."""
    from ..parquet_reader import checked_decimal_mark

    groups: dict[str, list[str]] = defaultdict(list)
    for file in files:
        groups[checked_decimal_mark(file)].append(file)
    return dict(groups)


def _typed_source(
    connection: duckdb.DuckDBPyConnection, relation: str, wanted: frozenset[str] | None, value: str,
    indexed: list[str] | None, decimal: str = ".",
) -> Source:
    """The SELECT over a relation whose columns carry types (Parquet, a DataFrame): metadata as text
    for Parquet, as stored for a DataFrame; the value as a number (a value stored as text read with the
    ``decimal`` mark)."""
    described = connection.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    kinds = {str(row[0]): str(row[1]) for row in described
             if not str(row[0]).startswith(UNNAMED_INDEX_PREFIX) and str(row[0]) != "filename"}
    is_frame = relation == "input_frame"
    chosen = [column for column in kinds if (wanted is None or column in wanted) and column != value]
    items = [sql.name(column) if is_frame else f"{sql.as_label(column, kinds[column])} AS {sql.name(column)}"
             for column in chosen]
    numeric = True  # no value column: no value is text
    if value in kinds:
        numeric = kinds[value] in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT",
                                   "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT") or kinds[value].startswith("DECIMAL")
        items.append(sql.value_columns(value, "number" if numeric else "text", decimal))
    else:
        items.append(_no_values())
    if indexed is not None:
        cases = " ".join(f"WHEN {sql.text(path)} THEN {position}" for position, path in enumerate(indexed))
        items.append(f"CASE filename {cases} END AS {FILE_INDEX}")
    labels = {column: (kinds[column] if is_frame else "text") for column in chosen}
    return Source(f"SELECT {', '.join(items)} FROM {relation}", labels, list(kinds), values_as_text=not numeric)


def frame_of(connection: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    """The result of ``query`` as pandas, through Arrow, so that text columns get the dtype the built-in
    readers give them."""
    return connection.sql(query).to_arrow_table().to_pandas()
