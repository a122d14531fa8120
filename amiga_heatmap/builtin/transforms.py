"""Built-in matrix transforms: ``log2``, ``zscore(row|col)`` and ``center(row|col)``.

They run after the missing-cell stage and before the filter, so a filter compares transformed values
(``--transform log2 -f "row any >= 1"`` keeps rows with a cell at least twice the control).
"""

from __future__ import annotations

from ..errors import UsageError
from ..pipeline.transforms import OPTION, log2_where_positive
from ..plugin_system.components import Transform
from ..plugin_system.hookspecs import hookimpl

AXIS_WORDS = {"row": 1, "col": 0}


def check_axis_word(axis="row"):
    """Raise UsageError unless ``axis`` is ``row`` or ``col``."""
    if axis not in AXIS_WORDS:
        raise UsageError(f"{OPTION}: the argument {axis!r} is not an axis; write row (each row on its own) or col.")


def log2(values):
    """Base-2 logarithm of every cell; cells at or below 0 have none and become missing (a warning
    counts them)."""
    return log2_where_positive(
        values,
        "--transform log2: {count} cells hold a value at or below 0, which has no logarithm; they are drawn as "
        "missing.",
    )


def zscore(values, axis="row"):
    """Standard scores along each row (``row``) or column (``col``): (value - mean) / standard
    deviation, with the population standard deviation (ddof 0, as scipy.stats.zscore) over the
    non-missing cells. A row of equal values has no spread and becomes missing."""
    along = AXIS_WORDS[axis]
    mean = values.mean(axis=along, skipna=True)
    spread = values.std(axis=along, ddof=0, skipna=True)
    spread = spread.where(spread > 0)
    return values.sub(mean, axis=1 - along).div(spread, axis=1 - along)


def center(values, axis="row"):
    """Subtract each row's (``row``) or column's (``col``) median of the non-missing cells."""
    along = AXIS_WORDS[axis]
    return values.sub(values.median(axis=along, skipna=True), axis=1 - along)


@hookimpl
def register_transforms(register):
    """Register ``log2``, ``zscore`` and ``center``."""
    register(Transform("log2", log2, "base-2 logarithm; cells at or below 0 become missing"))
    register(Transform("zscore", zscore, "(value - mean) / sd along each row (default) or col",
                       parameters=("axis",), check=check_axis_word))
    register(Transform("center", center, "subtract the median of each row (default) or col",
                       parameters=("axis",), check=check_axis_word))
