"""The order of the heatmap's rows and columns: sorted labels (the default), sorted by a metadata
column (``--sort-y-by``/``--sort-x-by``), or clustered (``--cluster-y``/``--cluster-x``), each within
the blocks of a split axis (``--split-y-by``/``--split-x-by``, :mod:`.blocks`). Sorting is natural:
case-insensitive, numbers in numeric order (:mod:`.label_order`).

Clustering wins over sorting on the same axis; asking for both warns that the sort is ignored.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..options.pipeline_options import option_name
from .blocks import AxisBlocks, axis_blocks, split_labels
from .clustering import cluster
from .label_order import sort_by_value
from .labels.metadata import value_per_label

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

log = logging.getLogger("amiga_heatmap")


@dataclass(frozen=True)
class AxisOrder:
    """How to order one axis: ``sort_by`` a metadata column, or ``clustered`` (which wins); with
    ``split_by``, in blocks of that column's values, each ordered on its own (:mod:`.blocks`)."""

    sort_by: str | None = None
    clustered: bool = False
    split_by: str | None = None


@dataclass(frozen=True)
class Ordered:
    """The reordered matrix and counts, the linkage of each clustered axis not split (None otherwise),
    and the blocks of each split axis (None otherwise)."""

    matrix: pd.DataFrame
    counts: pd.DataFrame
    row_linkage: np.ndarray | None
    column_linkage: np.ndarray | None
    row_blocks: AxisBlocks | None = None
    column_blocks: AxisBlocks | None = None


def order_axes(
    matrix: pd.DataFrame,
    counts: pd.DataFrame,
    rows: pd.DataFrame,
    y_order: AxisOrder,
    x_order: AxisOrder,
    method: str,
    metric: str,
    row_features: pd.DataFrame | None = None,
    column_features: pd.DataFrame | None = None,
) -> Ordered:
    """Reorder ``matrix`` (and ``counts`` alike) as ``y_order`` and ``x_order`` ask.

    ``rows`` are the input rows, where sort and split columns are looked up. Clustering uses the
    matrix values (see :mod:`amiga_heatmap.pipeline.clustering`), or ``row_features`` (indexed by the
    row labels) and ``column_features`` (indexed by the column labels) when given: one row of numbers
    per label, e.g. several parameters side by side.
    """
    y, x = matrix.index.name, matrix.columns.name
    row_features = matrix if row_features is None else row_features
    column_features = matrix.T if column_features is None else column_features
    row_labels, row_linkage, row_blocks = _ordered_labels(row_features, y, rows, y_order, "y", method, metric)
    column_labels, column_linkage, column_blocks = _ordered_labels(
        column_features, x, rows, x_order, "x", method, metric
    )
    matrix = matrix.loc[row_labels, column_labels]
    counts = counts.loc[row_labels, column_labels]
    matrix.index.name, matrix.columns.name = y, x
    return Ordered(matrix=matrix, counts=counts, row_linkage=row_linkage, column_linkage=column_linkage,
                   row_blocks=row_blocks, column_blocks=column_blocks)


def _ordered_labels(
    features: pd.DataFrame, variable: str, rows: pd.DataFrame, order: AxisOrder, axis: str, method: str, metric: str
) -> tuple[pd.Index, np.ndarray | None, AxisBlocks | None]:
    """The labels of ``features``' index in the asked order, the linkage when clustered and not split,
    and the blocks when split."""
    if order.clustered and order.sort_by is not None:
        warnings.warn(
            f"{option_name(f'sort_{axis}')} {order.sort_by} is ignored: {option_name(f'cluster_{axis}')} orders the {variable} "
            "labels by similarity instead.",
            stacklevel=4,
        )
    labels = features.index
    if order.split_by is None:
        ordered, linkage = _ordered_group(features, variable, rows, order, axis, method, metric, labels)
        return ordered, linkage, None
    groups = split_labels(rows, variable, order.split_by, labels, option_name(f"split_{axis}_by"))
    ordered_groups, linkages = [], []
    for value, members in groups:
        ordered, linkage = _ordered_group(features, variable, rows, order, axis, method, metric, members)
        ordered_groups.append((value, ordered))
        linkages.append(linkage)
    log.info("split the %s labels into %d blocks by %s", variable, len(groups), order.split_by)
    blocks = axis_blocks(order.split_by, ordered_groups, linkages)
    return blocks.of_label.index.rename(variable), None, blocks


def _ordered_group(
    features: pd.DataFrame,
    variable: str,
    rows: pd.DataFrame,
    order: AxisOrder,
    axis: str,
    method: str,
    metric: str,
    labels: pd.Index,
) -> tuple[pd.Index, np.ndarray | None]:
    """``labels`` (some or all of ``features``' index, in its order) in the asked order, and the linkage
    when clustered."""
    if order.clustered:
        what = f"{variable} {'rows' if axis == 'y' else 'columns'}"
        block = features.loc[labels]
        outcome = cluster(block.to_numpy(dtype=float), list(labels), method, metric, what)
        log.info("clustered %d %s (%s linkage, %s distance)", len(labels), what, method, metric)
        return labels[outcome.order], outcome.linkage
    if order.sort_by is not None:
        values = value_per_label(rows, variable, order.sort_by, list(labels), option_name(f"sort_{axis}"))
        log.info("sorted the %s labels by %s", variable, order.sort_by)
        return sort_by_value(values), None
    return labels, None
