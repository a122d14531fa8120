"""The built-in implementation of every stage hook, marked ``trylast`` so that a plugin's runs first.

Each function here is the whole stage as amiga-heatmap does it by default; the work itself lives in the
:mod:`amiga_heatmap.pipeline` module of that stage. A plugin replaces a stage by implementing its hook
and returning a result, or adds work around it with a wrapper (see
:mod:`amiga_heatmap.plugin_system.hookspecs`).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ..plugin_system.guard import call_guarded
from ..plugin_system.hookspecs import hookimpl

log = logging.getLogger("amiga_heatmap")


@hookimpl(trylast=True)
def compute_cells(sources, run):
    """Run the engine the spec chose (``--engine``; ``pandas`` by default)."""
    plugin = run.plugins.engines.plugin_of(run.engine.name)
    return call_guarded(plugin, f"computing the cells with the {run.engine.name!r} engine", run.engine.compute,
                        sources, run)


@hookimpl(trylast=True)
def pivot_cells(cells, run):
    """The y x x matrix of the cells' values and counts, labels in natural order."""
    from ..errors import DataError
    from ..pipeline.cell_table import COUNT, VALUE
    from ..pipeline.matrix_state import MatrixState
    from ..pipeline.pivot import pivot

    values, counts = pivot(cells.cells[VALUE], cells.cells[COUNT], cells.x, cells.y)
    log.info("aggregated with %s: %d %s x %d %s", run.operation_text or "no operation", values.shape[0], cells.y,
             values.shape[1], cells.x)
    if values.empty:
        raise DataError(f"No row has both an {cells.x!r} and a {cells.y!r} value; there is nothing to draw.")
    return MatrixState(values=values, counts=counts)


@hookimpl(trylast=True)
def handle_missing_cells(matrix, run):
    """Drop the rows (or columns) with missing cells, or keep them (``run.spec.missing``)."""
    from ..pipeline.missing_cells import handle_missing_cells as handle

    values, counts, dropped_rows, dropped_columns = handle(matrix.values, matrix.counts, run.spec.missing)
    return replace(matrix, values=values, counts=counts, dropped_rows=tuple(dropped_rows),
                   dropped_columns=tuple(dropped_columns))


@hookimpl(trylast=True)
def test_cells(matrix, cells, run):
    """``--test``: p- and q-values of every cell from its replicates (no change without ``--test``)."""
    from ..errors import DataError
    from ..pipeline.statistics import test_cells as tested

    if run.cell_test is None:
        return matrix
    if int(matrix.counts.to_numpy().max(initial=0)) < 2:
        raise DataError(
            f"--test needs at least 2 replicates in a cell, but every cell of the {matrix.values.shape[0]} x "
            f"{matrix.values.shape[1]} matrix has at most one {run.spec.value} value. Test data with "
            "replicates, or leave --test out."
        )
    results = tested(cells, matrix.values, run.cell_test)
    layers = {
        name: results[name].unstack(cells.x).reindex(index=matrix.values.index, columns=matrix.values.columns)
        for name in ("p", "q")
    }
    log.info("tested %d cells (%s): %d with a p-value", len(results), run.cell_test.name,
             int(results["p"].notna().sum()))
    return replace(matrix, layers={**matrix.layers, **layers}, tests=results)


@hookimpl(trylast=True)
def transform_matrix(matrix, run):
    """Apply ``--contrast`` to the reference, then ``--transform`` in order (no change without them)."""
    from ..pipeline.contrasts import apply_contrast
    from ..pipeline.transforms import apply_transforms

    spec = run.spec
    if spec.contrast is not None:
        matrix = apply_contrast(matrix, spec.contrast, spec.reference, spec.keep_reference)
    return apply_transforms(matrix, run.transforms, run.plugins) if run.transforms else matrix


@hookimpl(trylast=True)
def filter_matrix(matrix, run):
    """Keep the rows and columns ``-f`` keeps; a one-column matrix is then ordered by value."""
    from ..pipeline.filtering.stage import apply_filter
    from ..pipeline.pivot import order_single_column

    values, counts = matrix.values, matrix.counts
    if run.expression is not None:
        values, counts = apply_filter(run.expression, values, counts, run.plugins, matrix.layers)
    values, counts = order_single_column(values, counts)
    return matrix.select(values.index, values.columns)


@hookimpl(trylast=True)
def order_matrix(matrix, cells, run):
    """Sort or cluster each axis as the spec asks, within the blocks of a split axis; several values
    are clustered together, each scaled first (:mod:`amiga_heatmap.pipeline.panels`)."""
    from contextlib import nullcontext

    from ..pipeline.ordering import AxisOrder, order_axes
    from ..pipeline.panels import clustering_features
    from ..pipeline.pivot import rows_behind
    from ..timing import stage

    spec = run.spec
    with stage("cluster") if spec.clustered else nullcontext():
        labelled = rows_behind(cells.labels, matrix.values, cells.x, cells.y) if spec.label_columns() else cells.labels
        row_features, column_features = clustering_features(matrix, spec.values) if spec.clustered else (None, None)
        ordered = order_axes(
            matrix.values, matrix.counts, labelled, AxisOrder(spec.y.sort_by, spec.y.cluster, spec.y.split_by),
            AxisOrder(spec.x.sort_by, spec.x.cluster, spec.x.split_by), spec.cluster_method, spec.cluster_metric,
            row_features, column_features,
        )
    log.info("matrix: %d %s x %d %s", ordered.matrix.shape[0], cells.y, ordered.matrix.shape[1], cells.x)
    reordered = matrix.select(ordered.matrix.index, ordered.matrix.columns)
    return replace(reordered, row_linkage=ordered.row_linkage, column_linkage=ordered.column_linkage,
                   row_blocks=ordered.row_blocks, column_blocks=ordered.column_blocks)


@hookimpl(trylast=True)
def decorate_matrix(matrix, cells, run):
    """The colour strips (``--color-x-by``/``--color-y-by``) and the highlighted labels."""
    from ..pipeline.labels.colors import StripRequest, color_axes
    from ..pipeline.labels.highlight import resolve_highlight
    from ..pipeline.matrix_state import Decorations
    from ..pipeline.pivot import rows_behind

    spec = run.spec
    colors = {}
    if spec.x.color_by or spec.y.color_by:
        labelled = rows_behind(cells.labels, matrix.values, cells.x, cells.y)
        strips = [
            StripRequest(axis, spec.axis(axis).column, labels, spec.axis(axis).color_by, run.palettes.get(axis))
            for axis, labels in (("x", matrix.values.columns), ("y", matrix.values.index))
            if spec.axis(axis).color_by is not None
        ]
        colors = color_axes(labelled, strips, run.missing_color)  # one palette for both strips
    return Decorations(x_colors=colors.get("x"), y_colors=colors.get("y"),
                       highlighted=resolve_highlight(run.highlighted, matrix.values))
