"""The built-in ``auto`` engine, the default: it runs the ``pandas`` engine or the ``duckdb`` engine,
whichever suits the input, and ``--verbose`` says which and why.

- A DataFrame given in Python: pandas (the rows are in memory already).
- An aggregator without a standard form (a Python reduction), or a file only a plugin's reader reads:
  pandas, the only engine that runs them.
- Any Parquet file: duckdb, which reads only the columns a run needs, within its memory limit.
- Text summaries: pandas below :data:`DUCKDB_FROM_BYTES` in all, duckdb from there on. The threshold
  was measured with the benchmark (docs/performance.md, "Choosing the engine"): below it both take
  about the same time and pandas keeps the rows for ``result.rows``; above it duckdb is faster and its
  memory no longer grows with the input.

The choice depends on the input alone, never on the parsed-input cache: each engine fills and reads
entries of its own kind, so a figure re-drawn runs on the engine that drew it first and reads that
engine's entry. An entry of the other engine (left by a run with an explicit ``--engine``) is not used.

The settings given with ``--engine-option`` are duckdb's; they are ignored (and logged) when pandas runs.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace

from ..plugin_system.components import Engine
from ..plugin_system.hookspecs import hookimpl
from .duckdb_engine.settings import SETTINGS

log = logging.getLogger("amiga_heatmap")

DUCKDB_FROM_BYTES = 200 * 10**6
"""The size of text input (all files together) from which ``auto`` runs duckdb rather than pandas."""


def choose(sources, run) -> tuple[str, str]:
    """The engine ``auto`` runs for ``sources`` and ``run``, and why (for the log)."""
    from .duckdb_engine.sources import kind_of

    if sources.frame is not None:
        return "pandas", "the input is a DataFrame in memory"
    aggregator = run.aggregator
    if aggregator is not None and aggregator.form is None:
        return "pandas", f"-p {aggregator.name} is a Python reduction, which only pandas runs"
    kinds = {file: kind_of(file, run.plugins) for file in sources.files}
    others = [file for file, kind in kinds.items() if kind is None]
    if others:
        return "pandas", f"{others[0]} is read by a plugin's reader"
    if "parquet" in kinds.values():
        return "duckdb", "the input holds Parquet files"
    size = sum(os.path.getsize(file) for file in sources.files)
    megabytes = f"{size / 1e6:,.0f} MB of text"
    if size >= DUCKDB_FROM_BYTES:
        return "duckdb", f"{megabytes}, at or above the {DUCKDB_FROM_BYTES / 1e6:.0f} MB threshold"
    return "pandas", f"{megabytes}, under the {DUCKDB_FROM_BYTES / 1e6:.0f} MB threshold"


def compute(sources, run):
    """Run the engine :func:`choose` picks (see :class:`~amiga_heatmap.components.Engine`)."""
    name, reason = choose(sources, run)
    log.info("engine auto: %s (%s)", name, reason)
    engine = run.plugins.engines.get(name)
    options = {key: value for key, value in run.engine_options.items() if engine.option(key) is not None}
    if options != run.engine_options:
        log.info("engine auto: the %s engine does not use %s", name, ", ".join(sorted(set(run.engine_options) - set(options))))
    return engine.compute(sources, replace(run, engine=engine, engine_options=options))


@hookimpl
def register_engines(register):
    """Register the ``auto`` engine."""
    register(Engine("auto", compute, "the default: pandas for small text inputs, duckdb for large ones and Parquet",
                    options=SETTINGS))
