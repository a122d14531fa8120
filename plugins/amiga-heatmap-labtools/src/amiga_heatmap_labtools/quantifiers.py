"""Filter quantifiers: the word after ``row`` or ``col`` in a filter clause.

- ``none``: no cell of the row (column) satisfies the comparison: ``row none >= 1.2``.
- ``most``: more than half of its non-missing cells do: ``col most > 0.5``.
- ``mean``, ``median``: the statistic of its non-missing cells does: ``row mean >= 1.2``. A row with no
  value has no mean, and is not kept.
- ``atleast(k)``: at least ``k`` of its cells do: ``row atleast(2) >= 1.2``; ``k`` is a whole number.

Every quantifier works on the whole matrix at once (numpy reductions along the axis).
"""

from __future__ import annotations

import warnings

from amiga_heatmap.components import Quantifier
from amiga_heatmap.errors import UsageError


def no_cell(values, compare, axis):
    """True where no cell along ``axis`` satisfies ``compare``."""
    import numpy as np

    return ~np.any(compare(values), axis=axis)


def most_cells(values, compare, axis):
    """True where more than half of the non-missing cells along ``axis`` satisfy ``compare``."""
    import numpy as np

    passing = np.count_nonzero(compare(values), axis=axis)
    present = np.count_nonzero(~np.isnan(values), axis=axis)
    return 2 * passing > present


def mean_of_cells(values, compare, axis):
    """Compare the mean of the non-missing cells along ``axis`` (NaN when there is none)."""
    import numpy as np

    present = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(present, values, 0.0).sum(axis=axis) / np.count_nonzero(present, axis=axis)
    return compare(means)


def median_of_cells(values, compare, axis):
    """Compare the median of the non-missing cells along ``axis`` (NaN when there is none)."""
    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing row has no median: NaN
        medians = np.nanmedian(values, axis=axis)
    return compare(medians)


def at_least(values, compare, axis, count):
    """True where at least ``count`` cells along ``axis`` satisfy ``compare``."""
    import numpy as np

    if count < 0 or count != int(count):
        raise UsageError(
            f"atleast(k) counts cells, so k must be a whole number of 0 or more, not {count:g}; "
            "for example 'row atleast(2) >= 1.2'."
        )
    return np.count_nonzero(compare(values), axis=axis) >= count


QUANTIFIERS = (
    Quantifier("none", no_cell, "keep a row (or column) when none of its cells satisfies the comparison"),
    Quantifier("most", most_cells, "keep it when more than half of its non-missing cells satisfy it"),
    Quantifier("mean", mean_of_cells, "keep it when the mean of its cells satisfies the comparison"),
    Quantifier("median", median_of_cells, "keep it when the median of its cells satisfies the comparison"),
    Quantifier("atleast", at_least, "keep it when at least k of its cells satisfy the comparison", ("k",)),
)
