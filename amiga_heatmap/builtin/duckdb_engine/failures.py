"""DuckDB's errors in the words of the built-in reader and the pandas engine.

DuckDB reads text tables faster than the built-in reader checks them, so the checks are made only when
DuckDB fails: a file it cannot parse is then checked as the built-in reader's careful tier checks it
(:func:`.sources.checked_encoding`), which raises that reader's own message (rows with the wrong number
of cells, a quote that never closes, mixed encodings, zero bytes). A file that only turns out not to be
UTF-8 further on is read again from a UTF-8 copy (:class:`OtherEncoding`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ...errors import DataError
from ..table_sniffing import UTF8_ENCODINGS

if TYPE_CHECKING:  # pragma: no cover
    from .sources import TextFile


class OtherEncoding(Exception):
    """Files sniffed as UTF-8 are in another encoding further on: ``encodings`` maps each to its own."""

    def __init__(self, encodings: dict[str, str]):
        super().__init__(", ".join(encodings))
        self.encodings = encodings


def out_of_memory(settings: Mapping[str, Any], doing: str) -> DataError:
    """The error of DuckDB running out of the memory it may use (``settings``: the engine's checked
    settings) while ``doing`` (``"aggregating"``), though it spills what it can to disk."""
    from .settings import default_memory_limit

    limit = settings.get("memory_limit") or default_memory_limit()
    given = "memory_limit" in settings
    return DataError(
        f"DuckDB ran out of memory while {doing}: the {'given' if given else 'default'} limit of "
        f"{limit / 1e6:,.0f} MB holds less than the cells' running totals need, even with the rest spilled "
        "to disk. Give it more (--engine-option memory_limit=8GB), run on fewer threads "
        "(--engine-option threads=1, each thread keeps its own totals), or draw fewer cells with --subset."
    )


def is_reading_failure(error: BaseException) -> bool:
    """Whether DuckDB's ``error`` comes from parsing a text table (a CSV or Unicode error)."""
    import duckdb

    message = str(error)
    return isinstance(error, (duckdb.InvalidInputException, duckdb.ConversionException)) and (
        "CSV" in message or "unicode" in message.lower() or "UTF" in message
    )


def reading_failure(error: BaseException, tables: Iterable[TextFile]) -> Exception:
    """What to raise for DuckDB's ``error`` while reading ``tables``: the built-in reader's DataError for
    the first table its checks (or its own parse) refuse, :class:`OtherEncoding` for tables that are not
    UTF-8, or a DataError quoting DuckDB when the built-in reader reads every table."""
    from ..readers import read_delimited
    from .sources import checked_encoding

    tables = [table for table in tables if table.read_from == table.path]
    encodings = {}
    for table in tables:
        encoding = checked_encoding(table.path, table.layout)
        if encoding not in UTF8_ENCODINGS:
            encodings[table.path] = encoding
    if encodings:
        return OtherEncoding(encodings)
    for table in tables:  # the built-in reader's own parse, with its message for what it refuses
        read_delimited(table.path, frozenset(table.layout.names[:1]), table.layout.separator)
    reason = str(error).split("\n")[0].removeprefix("Invalid Input Error: ").strip()
    names = ", ".join(table.path for table in tables[:3]) + (" and more" if len(tables) > 3 else "")
    return DataError(
        f"The duckdb engine cannot read {names}: DuckDB says {reason!r}, although the built-in reader's "
        "checks pass. Run with --engine pandas, and report the file to amiga-heatmap's authors."
    )
