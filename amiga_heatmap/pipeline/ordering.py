"""The order of the heatmap's rows and columns: sorted labels (the default), sorted by a metadata
column (``--sort-y-by``/``--sort-x-by``), or clustered (``--cluster-y``/``--cluster-x``). Sorting is
natural: case-insensitive, numbers in numeric order (:mod:`.label_order`).

Clustering wins over sorting on the same axis; asking for both warns that the sort is ignored.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..options.pipeline_options import option_name
from .clustering import cluster
from .label_order import sort_by_value
from .labels.metadata import value_per_label

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

log = logging.getLogger("amiga_heatmap")


@dataclass(frozen=True)
class AxisOrder:
    """How to order one axis: ``sort_by`` a metadata column, or ``clustered`` (which wins)."""

    sort_by: str | None = None
    clustered: bool = False


@dataclass(frozen=True)
class Ordered:
    """The reordered matrix and counts, and the linkage of each clustered axis (None otherwise)."""

    matrix: pd.DataFrame
    counts: pd.DataFrame
    row_linkage: np.ndarray | None
    column_linkage: np.ndarray | None


def order_axes(
    matrix: pd.DataFrame,
    counts: pd.DataFrame,
    rows: pd.DataFrame,
    y_order: AxisOrder,
    x_order: AxisOrder,
    method: str,
    metric: str,
) -> Ordered:
    """Reorder ``matrix`` (and ``counts`` alike) as ``y_order`` and ``x_order`` ask.

    ``rows`` are the input rows, where sort columns are looked up. Clustering uses the matrix values
    (see :mod:`amiga_heatmap.pipeline.clustering`).
    """
    y, x = matrix.index.name, matrix.columns.name
    row_labels = _ordered_labels(matrix, rows, y_order, "y", method, metric)
    column_labels = _ordered_labels(matrix.T, rows, x_order, "x", method, metric)
    row_linkage = row_labels[1]
    column_linkage = column_labels[1]
    matrix = matrix.loc[row_labels[0], column_labels[0]]
    counts = counts.loc[row_labels[0], column_labels[0]]
    matrix.index.name, matrix.columns.name = y, x
    return Ordered(matrix=matrix, counts=counts, row_linkage=row_linkage, column_linkage=column_linkage)


def _ordered_labels(
    matrix: pd.DataFrame, rows: pd.DataFrame, order: AxisOrder, axis: str, method: str, metric: str
) -> tuple[pd.Index, np.ndarray | None]:
    """The labels of ``matrix``'s index in the asked order, and the linkage when clustered."""
    variable = matrix.index.name
    if order.clustered:
        if order.sort_by is not None:
            warnings.warn(
                f"{option_name(f'sort_{axis}')} {order.sort_by} is ignored: {option_name(f'cluster_{axis}')} orders the {variable} "
                "labels by similarity instead.",
                stacklevel=3,
            )
        what = f"{variable} {'rows' if axis == 'y' else 'columns'}"
        outcome = cluster(matrix.to_numpy(dtype=float), list(matrix.index), method, metric, what)
        log.info("clustered %d %s (%s linkage, %s distance)", len(matrix.index), what, method, metric)
        return matrix.index[outcome.order], outcome.linkage
    if order.sort_by is not None:
        values = value_per_label(rows, variable, order.sort_by, list(matrix.index), option_name(f"sort_{axis}"))
        log.info("sorted the %s labels by %s", variable, order.sort_by)
        return sort_by_value(values), None
    return matrix.index, None
