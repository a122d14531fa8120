"""From cells to the y x x matrix, and back from the matrix to the rows behind its cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .label_order import natural_positions

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


def pivot(reduced: pd.Series, counts: pd.Series, x: str, y: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn the (y, x)-indexed results of :func:`aggregate` into the y x x matrix of floats (missing
    cells NaN), rows and columns sorted (:mod:`.label_order`), and the matching matrix of counts (0 where
    no value)."""
    placement = _Placement(reduced.index)
    counts_placement = placement if counts.index.is_(reduced.index) else _Placement(counts.index)  # views too
    matrix = placement.grid(reduced.to_numpy(dtype=float), float("nan"))
    counts_matrix = counts_placement.grid(counts.to_numpy(dtype=int), 0)
    for table in (matrix, counts_matrix):
        table.columns.name = x
        table.index.name = y
    return matrix, counts_matrix


class _Placement:
    """Where each cell of a (y, x)-indexed Series goes in the y x x table whose rows and columns are in
    natural order (:mod:`.label_order`): its position in the flattened table, computed from the index's
    integer codes (``unstack`` of an unsorted index costs a sort of every cell, and indexing a 2-D
    table with two arrays of positions is several times slower than one flat position per cell)."""

    def __init__(self, index: pd.MultiIndex):
        import numpy as np

        levels_and_codes = zip(index.levels, index.codes)
        if not all(np.bincount(codes, minlength=len(level)).all() for level, codes in levels_and_codes):
            index = index.remove_unused_levels()  # a label no cell has (pandas' own check is much slower)
        y_labels, x_labels = index.levels
        y_order, x_order = natural_positions(y_labels), natural_positions(x_labels)
        self.rows, self.columns = y_labels[y_order], x_labels[x_order]
        y_codes, x_codes = index.codes
        # each cell's row, as a new array (the index's codes are left as they are), then its flat position
        self.flat = y_codes.astype(np.intp) if _is_identity(y_order) else _ranks(y_order)[y_codes]
        self.flat *= len(x_labels)
        self.flat += x_codes if _is_identity(x_order) else _ranks(x_order)[x_codes]

    def grid(self, values: np.ndarray, fill: float) -> pd.DataFrame:
        """The table holding ``values`` (in the index's order) at their cells and ``fill`` elsewhere."""
        import numpy as np
        import pandas as pd

        size = len(self.rows) * len(self.columns)
        # zeros: memory the system hands over already zeroed, with no pass of our own over it
        grid = np.zeros(size, dtype=values.dtype) if fill == 0 else np.full(size, fill, dtype=values.dtype)
        grid[self.flat] = values
        table = grid.reshape(len(self.rows), len(self.columns))
        return pd.DataFrame(table, index=self.rows, columns=self.columns, copy=False)


def _is_identity(order: np.ndarray) -> bool:
    """Whether ``order`` leaves everything where it is (levels already in natural order, as the duckdb
    engine numbers them)."""
    import numpy as np

    return bool((order == np.arange(len(order))).all())


def _ranks(order: np.ndarray) -> np.ndarray:
    """The rank of each position under ``order`` (its inverse permutation)."""
    import numpy as np

    ranks = np.empty_like(order)
    ranks[order] = np.arange(len(order))
    return ranks


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
