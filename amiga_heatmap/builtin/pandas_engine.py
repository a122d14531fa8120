"""The built-in ``pandas`` engine: read every file into one DataFrame, join the run's annotations, subset
it, aggregate it there.

Each file is read by the reader registered for its suffix, asking only for the columns the run needs
(every column with ``read_all_columns``); the rows are kept on the cell table, so the result can trace
every cell back to its input rows (``HeatmapResult.rows``, ``--save-filtered-table``) and the replicate
statistics are computed from them when first asked for.
"""

from __future__ import annotations

import logging

from ..pipeline.cell_table import COUNT, VALUE, CellTable
from ..plugin_system.components import Engine
from ..plugin_system.hookspecs import hookimpl
from ..timing import stage

log = logging.getLogger("amiga_heatmap")


def compute(sources, run):
    """The cell table of ``sources`` for ``run`` (see :class:`~amiga_heatmap.components.Engine`)."""
    import pandas as pd

    from ..pipeline.annotation import annotate
    from ..pipeline.cells import aggregate, numeric_values
    from ..pipeline.subset import apply_subset

    spec = run.spec
    with stage("read"):
        rows = sources.read(run)
        log.info("read %d rows", len(rows))
    if run.annotations:
        with stage("annotate"):
            rows = annotate(rows, run.annotations, None if spec.read_all_columns else run.columns)
            log.info("annotated with %s", ", ".join(annotation.name for annotation in run.annotations))
    with stage("subset"):
        rows = apply_subset(rows, run.selection)
        if run.selection:
            log.info("subset kept %d rows", len(rows))
    with stage("aggregate"):
        x, y = spec.x.column, spec.y.column
        rows = numeric_values(rows, spec.value, sources.sample_column)
        reduced, counts = aggregate(rows, spec.value, x, y, run.aggregator, run.aggregator_plugin,
                                   run.aggregator_arguments)
        cells = pd.DataFrame({VALUE: reduced.astype(float), COUNT: counts})
    return CellTable(cells=cells, x=x, y=y, value=spec.value, labels=rows, rows=rows, engine="pandas")


@hookimpl
def register_engines(register):
    """Register the ``pandas`` engine."""
    register(Engine("pandas", compute, "reads the input into one pandas DataFrame and aggregates it there"))
