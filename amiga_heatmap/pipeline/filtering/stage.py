"""The filter stage: keep the rows and columns of the matrix that a parsed filter expression keeps."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from ...errors import DataError
from ...plugin_system.plugin_set import PluginSet

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

COUNT_LAYER = "n"
"""The layer holding each cell's number of replicate values."""


def apply_filter(
    expression: Any,
    matrix: pd.DataFrame,
    counts: pd.DataFrame,
    plugins: PluginSet,
    layers: Mapping[str, pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows and columns of ``matrix`` (and ``counts``) that the parsed filter keeps. A clause
    may compare ``n`` (``counts``) or one of ``layers`` (aligned with ``matrix``) instead of the values.

    Raises DataError when it keeps no cell, giving the range of the values.
    """
    from .evaluation import evaluate_filter

    arrays = {COUNT_LAYER: counts.to_numpy(dtype=float)}
    arrays.update({name: layer.to_numpy(dtype=float) for name, layer in (layers or {}).items()})
    row_mask, column_mask = evaluate_filter(
        expression, matrix.to_numpy(dtype=float), partial(_filter_providers, plugins), arrays
    )
    if not row_mask.any() or not column_mask.any():
        raise DataError(
            f"The filter {expression.text!r} keeps no cells of the {matrix.shape[0]} x {matrix.shape[1]} matrix "
            f"(values range from {_range_text(matrix)}). Loosen the thresholds, or check that the "
            "comparison points the right way."
        )
    log.info(
        "filter kept %d of %d rows and %d of %d columns",
        int(row_mask.sum()), len(row_mask), int(column_mask.sum()), len(column_mask),
    )
    return matrix.loc[row_mask, column_mask], counts.loc[row_mask, column_mask]


def _filter_providers(plugins: PluginSet, clause: Any) -> tuple[str, str]:
    """The plugins providing a filter clause's quantifier and operator, for error messages."""
    return (
        plugins.quantifiers.plugin_of(clause.quantifier.name),
        plugins.operators.plugin_of(clause.operator.symbol),
    )


def _range_text(matrix: pd.DataFrame) -> str:
    values = matrix.to_numpy(dtype=float)
    return f"{float(_nan_reduce(values, 'min')):.4g} to {float(_nan_reduce(values, 'max')):.4g}"


def _nan_reduce(values: Any, how: str) -> float:
    import numpy as np

    finite = values[~np.isnan(values)]
    return getattr(finite, how)() if finite.size else float("nan")
