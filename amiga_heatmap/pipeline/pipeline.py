"""The pipeline: a :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec` run through named stages, each done
by the plugins implementing its hook.

    Pipeline(spec, plugins).run(data) -> HeatmapResult

Stages, in order, with the hook called at each (:mod:`amiga_heatmap.plugin_system.hookspecs`):

==============  ======================  ==================================================
stage           hook                    built-in (``builtin.stages``, ``trylast``)
==============  ======================  ==================================================
prepare         (none)                  check and parse the spec (:func:`.run.prepare`), then key
                                        the annotations to the input (:mod:`.annotation`)
cells           ``compute_cells``       the chosen engine reads, annotates, subsets and aggregates
pivot           ``pivot_cells``         cells -> y x x matrix, labels in natural order
missing cells   ``handle_missing_cells`` drop rows or columns with missing cells, or keep
test            ``test_cells``          ``--test``: p- and q-values per cell from its replicates
transform       ``transform_matrix``    ``--transform`` calls, in order
filter          ``filter_matrix``       ``-f`` expression
order           ``order_matrix``        sort by metadata or cluster
decorate        ``decorate_matrix``     colour strips and highlighted labels
==============  ======================  ==================================================

With several values (``-v`` repeated) the cells, pivot, missing-cell, test and transform stages run once
per value, each with a run of that value alone, and the filter, order and decorate stages once over the
combined matrix (:mod:`.panels`).

Each stage logs what it did to the ``amiga_heatmap`` logger at INFO level (``--verbose``) and is timed for
:mod:`amiga_heatmap.timing` (``import``, then the engine's ``read``, ``subset`` and ``aggregate``, then
``pivot``, ``test`` with ``--test``, ``transform``, ``filter``, and ``cluster`` when an axis is clustered).
"""

from __future__ import annotations

import logging
import os
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from ..plugin_system.stage_calls import call_stage
from ..timing import Stopwatch, stage
from .annotation import bind_annotations
from .cell_table import Sources
from .matrix_state import MatrixState, StageRecord
from .panels import combine, shown_values, value_run
from .run import prepare

if TYPE_CHECKING:  # pragma: no cover

    from ..plugin_system.plugin_set import PluginSet
    from ..result import HeatmapResult
    from .cell_table import CellTable
    from .run import Run
    from .spec import HeatmapSpec

log = logging.getLogger("amiga_heatmap")


class Pipeline:
    """Runs one :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec` with a plugin set (default: the
    plugins of the current context, :func:`amiga_heatmap.plugins.get_plugins`)."""

    def __init__(self, spec: HeatmapSpec, plugins: PluginSet | None = None):
        from ..plugin_system.active import get_plugins

        self.spec = spec
        self.plugins = plugins or get_plugins()

    def run(self, data: Any) -> HeatmapResult:
        """Build the heatmap of ``data``: a summary file, a folder searched recursively for summary files,
        a list of such paths (read in the given order), or a DataFrame of summary rows (never modified).

        Raises UsageError for anything malformed in the spec (before reading), DataError for inputs that
        cannot give what the spec asks, PluginError naming the plugin whose stage failed.
        """
        from ..result import HeatmapResult

        clock = Stopwatch()
        import pandas  # noqa: F401  (imported here so that its cost is timed as "import", not "read")

        run = prepare(self.spec, self.plugins)
        manager = self.plugins.manager
        clock.lap("import")
        with stage("read"):
            sources = self.sources(data)
            run = bind_annotations(run, sources)
        records: list[StageRecord] = []

        def matrix_stage(hook: str, doing: str, before: MatrixState | None, **arguments: Any) -> MatrixState:
            after = call_stage(manager, hook, doing, **{"run": run, **arguments})
            records.append(StageRecord.between(hook, before, after))
            return after

        values = shown_values(self.spec)
        states, tables = [], []
        for value in values:  # one value (the usual case), or each of several in turn (see .panels)
            alone = run if len(values) == 1 else value_run(run, value)
            cells = call_stage(manager, "compute_cells", "computing the cells", sources=sources, run=alone)
            stages = matrix_stage if not states else _unrecorded(manager)
            states.append(_value_matrix(stages, alone, cells))
            tables.append(cells)
        cells = tables[0]
        matrix = states[0] if len(values) == 1 else combine(states, values, self.spec.missing)
        with stage("filter"):
            matrix = matrix_stage("filter_matrix", "filtering the matrix", matrix, matrix=matrix)
        matrix = matrix_stage("order_matrix", "ordering the matrix", matrix, matrix=matrix, cells=cells)
        decorations = call_stage(manager, "decorate_matrix", "decorating the matrix", matrix=matrix, cells=cells,
                                 run=run)
        spec = self.spec
        return HeatmapResult(
            source_rows=cells.rows,
            matrix=matrix.values,
            counts=matrix.counts,
            value=spec.value,
            x=spec.x.column,
            y=spec.y.column,
            title=spec.value if spec.title is None else spec.title,
            operation=run.operation_text,
            filter=spec.filter,
            dropped=list(matrix.dropped_rows),
            dropped_columns=list(matrix.dropped_columns),
            plugins=self.plugins,
            row_linkage=matrix.row_linkage,
            column_linkage=matrix.column_linkage,
            x_colors=decorations.x_colors,
            y_colors=decorations.y_colors,
            highlighted=decorations.highlighted,
            missing=spec.missing,
            transforms=matrix.transforms,
            cell_table=cells,
            spec=spec,
            stage_log=tuple(records),
            layers=matrix.layers,
            tests=matrix.tests,
            source_files=tuple(str(file) for file in sources.files),
            row_blocks=matrix.row_blocks,
            column_blocks=matrix.column_blocks,
            values=values,
        )

    def sources(self, data: Any) -> Sources:
        """The :class:`~amiga_heatmap.pipeline.cell_table.Sources` of ``data`` (see :meth:`run`). Raises
        DataError for a missing path or a folder without summary files, ValueError for an empty list."""
        import pandas as pd

        from .reading import find_summary_files

        if isinstance(data, pd.DataFrame):
            return Sources.from_frame(data)
        paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
        if not paths:
            raise ValueError("heatmap() was given an empty list of paths as data")
        files = [file for path in paths for file in find_summary_files(path, self.plugins)]
        return Sources.from_files(files, self.plugins)


def _value_matrix(matrix_stage: Any, run: Run, cells: CellTable) -> MatrixState:
    """The matrix of one value: the pivot, missing-cell, test and transform stages over its ``cells``,
    each called through ``matrix_stage(hook, doing, before, **arguments)`` with ``run``."""
    with stage("pivot"):
        matrix = matrix_stage("pivot_cells", "pivoting the cells", None, cells=cells, run=run)
        matrix = matrix_stage("handle_missing_cells", "handling missing cells", matrix, matrix=matrix, run=run)
    with stage("test") if run.cell_test is not None else nullcontext():
        matrix = matrix_stage("test_cells", "testing the cells", matrix, matrix=matrix, cells=cells, run=run)
    with stage("transform"):
        matrix = matrix_stage("transform_matrix", "transforming the matrix", matrix, matrix=matrix, run=run)
    return matrix


def _unrecorded(manager: Any) -> Any:
    """A ``matrix_stage`` that calls the stage without a record (the second and later values: the stage
    log and the provenance record follow the first)."""

    def matrix_stage(hook: str, doing: str, before: MatrixState | None, **arguments: Any) -> MatrixState:
        return call_stage(manager, hook, doing, **arguments)

    return matrix_stage
