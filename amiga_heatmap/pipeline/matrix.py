"""From summary rows to the y x x matrix: numeric values, replicate aggregation, pivot, missing cells,
order.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING

from .components import Aggregator
from .errors import DataError, shortened
from .plugins import call_guarded

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

EXAMPLES_SHOWN = 5
KEEP_HINTS = (
    "--keep-rows-missing-data keeps them (dropping the incomplete columns instead)",
    "--keep-columns-missing-data keeps them",
)


class MissingCellsWarning(UserWarning):
    """Rows (or columns) of the heatmap were dropped because some of their cells have no value."""


def numeric_values(rows: pd.DataFrame, value: str, sample_column: str | None) -> pd.DataFrame:
    """Return ``rows`` with the ``value`` column as floats.

    Blank cells, ``NaN`` and ``inf`` are numbers (missing or infinite); any other text is a DataError
    naming the offending samples (by ``sample_column`` when given, else by row number) and their text.
    """
    import pandas as pd

    column = rows[value]
    if pd.api.types.is_bool_dtype(column.dtype) or not pd.api.types.is_numeric_dtype(column.dtype):
        converted = pd.to_numeric(column, errors="coerce")
        bad = converted.isna() & column.notna()
        if pd.api.types.is_bool_dtype(column.dtype) or bad.any():
            offenders = rows.loc[bad] if bad.any() else rows
            labels = (
                offenders[sample_column].astype(str) if sample_column in rows.columns else offenders.index.astype(str)
            )
            examples = ", ".join(
                f"{shortened(label)} ({shortened(text)!r})"
                for label, text in list(zip(labels, offenders[value].astype(str)))[:EXAMPLES_SHOWN]
            )
            raise DataError(
                f"The value column {value!r} (given to -v/--value) is not numeric: {int(bad.sum()) or len(rows)} "
                f"cells hold text, for example samples {examples}. Choose a numeric growth parameter "
                "such as 'auc_lin', 'gr' or 'norm(auc_lin)', or fix those cells."
            )
        rows = rows.assign(**{value: converted.astype(float)})
    elif column.dtype != float:
        rows = rows.assign(**{value: column.astype(float)})
    return rows


def aggregate(
    rows: pd.DataFrame, value: str, x: str, y: str, aggregator: Aggregator | None, plugin: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Reduce ``rows`` to one value per (y, x) pair.

    Returns ``(reduced, counts)``, two Series indexed by the (y, x) pairs in order of appearance (sorting
    the few labels of the pivoted matrix is much cheaper than sorting every group): the reduced value and
    how many non-missing values went into it. Rows whose x or y is missing are left out. Without an
    ``aggregator`` every (x, y) pair must occur once; otherwise DataError names a few repeated pairs and
    suggests ``-p mean``.
    """
    missing_keys = int((rows[x].isna() | rows[y].isna()).sum())
    if missing_keys:
        log.info("left out %d rows whose %s or %s is missing", missing_keys, x, y)
    # groupby leaves out missing keys itself (dropna=True), so the rows are never copied; the grouping
    # is computed once and shared by count() and the reduction.
    groups = rows.groupby([y, x], observed=True, sort=False)[value]
    counts = groups.count()
    if aggregator is None:
        sizes = groups.size()
        repeated = sizes[sizes > 1]
        if len(repeated):
            examples = ", ".join(f"{x}={shortened(xv)!r} {y}={shortened(yv)!r} ({n} rows)" for (yv, xv), n in repeated.head(EXAMPLES_SHOWN).items())
            raise DataError(
                f"{len(repeated)} (x, y) pairs have more than one row (replicates), for example {examples}, "
                "but no -p/--operation was given to combine them. Add -p mean or -p median, or narrow "
                "the rows with --subset."
            )
        reduced = groups.first()
    else:
        reduced = call_guarded(plugin or aggregator.name, f"aggregating with {aggregator.name!r}", aggregator.reduce, groups)
    return reduced, counts


def pivot(reduced: pd.Series, counts: pd.Series, x: str, y: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn the (y, x)-indexed results of :func:`aggregate` into the y x x matrix of floats (missing
    cells NaN), rows and columns sorted, and the matching matrix of counts (0 where no value)."""
    matrix = _grid(reduced.astype(float), float("nan"))
    counts_matrix = _grid(counts.astype(int), 0)
    for table in (matrix, counts_matrix):
        table.columns.name = x
        table.index.name = y
    return matrix, counts_matrix


def _grid(cells: pd.Series, fill: float) -> pd.DataFrame:
    """Place the values of a (y, x)-indexed Series in a y x x table (``fill`` where no value), rows and
    columns sorted. Vectorised through the index's integer codes: ``unstack`` of an unsorted index
    costs a sort of every cell."""
    import numpy as np
    import pandas as pd

    index = cells.index.remove_unused_levels()
    y_labels, x_labels = index.levels
    y_order, x_order = y_labels.argsort(), x_labels.argsort()
    y_rank, x_rank = np.empty_like(y_order), np.empty_like(x_order)
    y_rank[y_order], x_rank[x_order] = np.arange(len(y_order)), np.arange(len(x_order))
    grid = np.full((len(y_labels), len(x_labels)), fill, dtype=cells.dtype)
    grid[y_rank[index.codes[0]], x_rank[index.codes[1]]] = cells.to_numpy()
    return pd.DataFrame(grid, index=y_labels[y_order], columns=x_labels[x_order])


MISSING_MODES = {
    "drop-rows": "drop the rows holding a missing cell (the default)",
    "drop-columns": "drop the columns holding a missing cell (--keep-rows-missing-data)",
    "keep": "keep every cell; missing ones are drawn in their own colour (both --keep-... options)",
}


def handle_missing_cells(
    matrix: pd.DataFrame, counts: pd.DataFrame, mode: str = "drop-rows"
) -> tuple[pd.DataFrame, pd.DataFrame, list[object], list[object]]:
    """Apply a missing-cell ``mode`` of :data:`MISSING_MODES` to the pivoted matrix.

    Returns ``(matrix, counts, dropped_rows, dropped_columns)``. Dropping warns with the labels
    dropped (MissingCellsWarning); a mode that would drop everything is a DataError. ``mode`` must be
    one of :data:`MISSING_MODES` (:func:`amiga_heatmap.api.heatmap` checks it before reading).
    """
    if mode == "keep":
        absent = matrix.isna().to_numpy()
        missing = int(absent.sum())
        if missing:
            log.info("kept %d missing cells", missing)
        if missing == absent.size:
            raise DataError(
                f"Every cell of the {matrix.shape[0]} x {matrix.shape[1]} heatmap is missing: the value "
                "column has no number for the rows selected. Choose another value column or subset."
            )
        return matrix, counts, [], []
    axis = 0 if mode == "drop-rows" else 1
    kept, kept_counts, dropped = _drop_incomplete(matrix, counts, axis)
    return (kept, kept_counts, dropped, []) if axis == 0 else (kept, kept_counts, [], dropped)


def _drop_incomplete(
    matrix: pd.DataFrame, counts: pd.DataFrame, axis: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[object]]:
    """Drop the rows (``axis`` 0) or columns (1) holding a missing cell; return what is left and the
    labels dropped."""
    complete = matrix.notna().all(axis=1 - axis)
    if complete.all():
        return matrix, counts, []
    labels = matrix.index if axis == 0 else matrix.columns
    dropped = labels[~complete.to_numpy()]
    kind = "rows" if axis == 0 else "columns"
    if not complete.any():
        other = matrix.columns.name if axis == 0 else matrix.index.name
        fix = (
            f"use --subset to leave out the {other} values without data, or keep the rows with "
            "--keep-rows-missing-data"
            if axis == 0
            else f"use --subset to leave out the {other} values without data, or keep the columns with "
            "--keep-columns-missing-data"
        )
        raise DataError(
            f"Every {kind[:-1]} of the heatmap has at least one missing cell (no value for some {other}), "
            f"so dropping incomplete {kind} leaves nothing. Choose another value column, or {fix}."
        )
    shown = ", ".join(map(shortened, dropped[: EXAMPLES_SHOWN * 4]))
    more = f" and {len(dropped) - EXAMPLES_SHOWN * 4} more" if len(dropped) > EXAMPLES_SHOWN * 4 else ""
    warnings.warn(
        f"Dropped {len(dropped)} of {len(labels)} {labels.name} {kind} that have missing cells: {shown}{more}. "
        f"{KEEP_HINTS[axis]}; give both --keep-... options to keep every cell.",
        MissingCellsWarning,
        stacklevel=3,
    )
    if axis == 0:
        return matrix.loc[complete], counts.loc[complete], list(dropped)
    return matrix.loc[:, complete], counts.loc[:, complete], list(dropped)


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
