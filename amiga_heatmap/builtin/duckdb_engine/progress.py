"""Running one DuckDB query: a progress bar on standard error for long ones (only on a terminal), and
Ctrl-C stopping DuckDB at once.

The query runs in a worker thread while the main thread waits for it, so Ctrl-C reaches Python at
once: the query is interrupted (``connection.interrupt()``), the worker is waited for, and the
KeyboardInterrupt goes on up, so the engine's work folder is removed on the way out.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

POLL_SECONDS = 0.2
SHOW_AFTER_SECONDS = 1.0
"""A query quicker than this shows no progress bar."""
BAR_WIDTH = 30
BUSY_RETRIES = 50
"""How often a query refused because the main thread was asking for its progress is tried again."""


def all_rows(connection: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """The rows of ``query`` as tuples."""
    return connection.execute(query).fetchall()


def run_query(connection: duckdb.DuckDBPyConnection, query: str, doing: str,
              fetch: Callable[[duckdb.DuckDBPyConnection, str], Any] = all_rows) -> Any:
    """Run ``query`` on ``connection`` and return what ``fetch(connection, query)`` makes of it (by
    default :func:`all_rows`), in a worker thread.
    ``doing`` (``"aggregating"``) names the work on the progress bar, shown on standard error after
    :data:`SHOW_AFTER_SECONDS` when that is a terminal. DuckDB's errors are raised as they are."""
    import duckdb

    busy = getattr(duckdb, "ResourceInUseException", ())
    outcome: dict[str, Any] = {}

    def work() -> None:
        for attempt in range(BUSY_RETRIES):
            try:
                outcome["result"] = fetch(connection, query)
                return
            except busy:  # the main thread was asking for the progress at that instant: ask again
                if attempt == BUSY_RETRIES - 1:
                    raise
                time.sleep(POLL_SECONDS / 10)

    def guarded() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread, raised there
            outcome["error"] = error

    worker = threading.Thread(target=guarded, name="amiga-heatmap-duckdb", daemon=True)
    started = monotonic()
    shown = False
    terminal = sys.stderr.isatty()
    try:
        worker.start()
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            if terminal and worker.is_alive() and monotonic() - started >= SHOW_AFTER_SECONDS:
                try:
                    percent = connection.query_progress()
                except duckdb.Error:
                    continue
                _draw(doing, percent, monotonic() - started)
                shown = True
    except KeyboardInterrupt:
        while worker.is_alive():  # stop DuckDB; it may be between two calls, so ask until it stops
            try:
                connection.interrupt()
            except duckdb.Error:
                pass
            worker.join(POLL_SECONDS / 4)
        raise
    finally:
        if shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _draw(doing: str, percent: float, seconds: float) -> None:
    """One progress line, redrawn in place: ``aggregating [#####.....] 48% 12 s``."""
    if percent is None or percent < 0:
        line = f"amiga-heatmap: {doing} ... {seconds:.0f} s"
    else:
        filled = int(BAR_WIDTH * min(percent, 100) / 100)
        line = f"amiga-heatmap: {doing} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3.0f}% {seconds:.0f} s"
    sys.stderr.write("\r" + line + "\033[K")
    sys.stderr.flush()
