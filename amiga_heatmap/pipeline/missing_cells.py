"""Missing cells of the pivoted matrix: drop the rows holding one, drop the columns, or keep them."""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING

from ..errors import DataError, shortened

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
