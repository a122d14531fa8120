"""Evaluating a parsed filter on a matrix: which rows and which columns it keeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ...errors import PluginError
from ...plugin_system.guard import call_guarded
from .language import ROW, VALUE_LAYER, And, Clause, FilterExpression, FilterNode, Not

Providers = Callable[[Clause], tuple[str, str]]
"""Names the plugins behind a clause, ``(quantifier's plugin, operator's plugin)``, for error messages."""


def evaluate_filter(
    expression: FilterExpression,
    values: np.ndarray,
    providers: Providers | None = None,
    layers: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(row_mask, column_mask)``: the rows and the columns of ``values`` that ``expression`` keeps.

    A clause naming a layer (``row any q < 0.05``) compares ``layers[name]`` instead of ``values``; each
    layer has the shape of ``values``.

    ``values`` is a 2-D array of floats (NaN marks a missing cell; ±inf are ordinary values). Each mask is
    a 1-D boolean ndarray, one entry per row or per column; an axis the filter puts no condition on keeps
    everything. Every clause is evaluated on the whole, unfiltered matrix, and a matrix with no rows or no
    columns gives empty masks where due. The masks may keep nothing: reporting that is the caller's job.

    Raises ``ValueError`` when ``values`` is not 2-D, and :class:`~amiga_heatmap.errors.PluginError`
    when a quantifier returns a result of the wrong shape or a quantifier or operator raises; the
    message names the clause and, given ``providers``, the plugin whose code raised (the operator's
    for a failing comparison, the quantifier's otherwise).
    """
    matrix = np.asarray(values, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"a filter is evaluated on a 2-D matrix, not on an array of shape {matrix.shape}")
    arrays = {VALUE_LAYER: matrix, **{name: np.asarray(layer, dtype=float) for name, layer in (layers or {}).items()}}
    row_count, column_count = matrix.shape
    return (
        _mask(expression.row_condition, arrays, row_count, providers),
        _mask(expression.column_condition, arrays, column_count, providers),
    )


def _mask(
    condition: FilterNode | None, arrays: Mapping[str, np.ndarray], length: int, providers: Providers | None
) -> np.ndarray:
    if condition is None:
        return np.ones(length, dtype=bool)
    return _evaluate(condition, arrays, providers)


def _evaluate(node: FilterNode, arrays: Mapping[str, np.ndarray], providers: Providers | None) -> np.ndarray:
    """The mask of ``node``, a condition on a single axis."""
    if isinstance(node, Clause):
        return _evaluate_clause(node, arrays[node.layer], providers)
    if isinstance(node, Not):
        return np.logical_not(_evaluate(node.operand, arrays, providers))
    combine = np.logical_and if isinstance(node, And) else np.logical_or
    return combine.reduce([_evaluate(operand, arrays, providers) for operand in node.operands])


def _evaluate_clause(clause: Clause, matrix: np.ndarray, providers: Providers | None) -> np.ndarray:
    axis = 1 if clause.axis == ROW else 0  # a row clause reduces along each row, a col clause each column
    compare_cells, threshold = clause.operator.compare, clause.threshold
    quantifier_plugin, operator_plugin = (
        providers(clause)
        if providers
        else (f"providing {clause.quantifier.name!r}", f"providing {clause.operator.symbol!r}")
    )
    stage = f"filtering with the clause '{clause.to_text()}'"

    def compare(cells: np.ndarray) -> np.ndarray:
        return call_guarded(operator_plugin, stage, compare_cells, cells, threshold)

    evaluated = call_guarded(
        quantifier_plugin, stage, clause.quantifier.evaluate, matrix, compare, axis, *clause.arguments
    )
    mask = np.asarray(evaluated, dtype=bool)
    expected_shape = (matrix.shape[1 - axis],)
    if mask.shape != expected_shape:
        raise PluginError(
            f"The quantifier {clause.quantifier.name!r} returned a result of shape {mask.shape} for the "
            f"clause '{clause.to_text()}' on a {matrix.shape[0]} x {matrix.shape[1]} matrix; it must "
            f"return one boolean per {'row' if axis == 1 else 'column'}, shape {expected_shape}."
        )
    return mask
