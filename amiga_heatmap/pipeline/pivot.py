"""From cells to the y x x matrix, and back from the matrix to the rows behind its cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .label_order import natural_positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def pivot(reduced: pd.Series, counts: pd.Series, x: str, y: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn the (y, x)-indexed results of :func:`aggregate` into the y x x matrix of floats (missing
    cells NaN), rows and columns sorted (:mod:`.label_order`), and the matching matrix of counts (0 where no value)."""
    matrix = _grid(reduced.astype(float), float("nan"))
    counts_matrix = _grid(counts.astype(int), 0)
    for table in (matrix, counts_matrix):
        table.columns.name = x
        table.index.name = y
    return matrix, counts_matrix


def _grid(cells: pd.Series, fill: float) -> pd.DataFrame:
    """Place the values of a (y, x)-indexed Series in a y x x table (``fill`` where no value), rows and
    columns in natural order (:mod:`.label_order`). Vectorised through the index's integer codes: ``unstack`` of an unsorted index
    costs a sort of every cell."""
    import numpy as np
    import pandas as pd

    index = cells.index.remove_unused_levels()
    y_labels, x_labels = index.levels
    y_order, x_order = natural_positions(y_labels), natural_positions(x_labels)
    y_rank, x_rank = np.empty_like(y_order), np.empty_like(x_order)
    y_rank[y_order], x_rank[x_order] = np.arange(len(y_order)), np.arange(len(x_order))
    grid = np.full((len(y_labels), len(x_labels)), fill, dtype=cells.dtype)
    grid[y_rank[index.codes[0]], x_rank[index.codes[1]]] = cells.to_numpy()
    return pd.DataFrame(grid, index=y_labels[y_order], columns=x_labels[x_order])


def order_single_column(matrix: pd.DataFrame, counts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A one-column heatmap is ordered by value, largest first (ties keep label order)."""
    if matrix.shape[1] != 1:
        return matrix, counts
    order = matrix.iloc[:, 0].sort_values(ascending=False, kind="stable").index
    return matrix.loc[order], counts.loc[order]


def rows_behind(rows: pd.DataFrame, matrix: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """The rows whose ``y`` and ``x`` values are both labels of ``matrix``: the rows behind its cells.

    When every row is behind a cell, a shallow copy (under copy-on-write, changing it never changes
    ``rows``), else a selection.
    """
    behind = rows[y].isin(matrix.index) & rows[x].isin(matrix.columns)
    return rows.copy(deep=False) if behind.all() else rows.loc[behind]
