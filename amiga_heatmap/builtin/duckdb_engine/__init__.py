"""The built-in ``duckdb`` engine: DuckDB (embedded, in-process) reads the summaries, subsets and
aggregates them in SQL within a memory limit, spilling to a private temporary folder, and hands back
only the cells. One module per job: :mod:`.sources` (reading and sniffing), :mod:`.sql` (the SQL),
:mod:`.failures` (DuckDB's errors in the built-in reader's words), :mod:`.progress` (progress and
Ctrl-C), :mod:`.settings` (``--engine-option``), :mod:`.cache` (the parsed-input cache of the text it
reads), :mod:`.engine` (the engine itself).

Importing this package imports neither duckdb nor pandas: they are imported when the engine runs.
"""

from __future__ import annotations

from ...plugin_system.components import Engine
from ...plugin_system.hookspecs import hookimpl
from .settings import SETTINGS


def _compute(sources, run):
    from .engine import compute

    return compute(sources, run)


DUCKDB_ENGINE = Engine(
    "duckdb", _compute,
    "DuckDB reads text or Parquet and aggregates in SQL within a memory limit, spilling to disk",
    options=SETTINGS,
)


@hookimpl
def register_engines(register):
    """Register the ``duckdb`` engine."""
    register(DUCKDB_ENGINE)
