"""Aggregators: how the replicate values of one cell become one number (``-p NAME``, ``-p NAME(ARGS)``).

``min``, ``max``, ``sd`` and ``count`` are standard forms, which every engine computes itself. The others
are reductions over numpy arrays: ``values`` (the replicate values that reach a cell, NaN for a missing
one), ``groups`` (each value's cell, ``0 .. n_groups - 1``) and ``n_groups``, returning one number per
cell, computed on whole arrays (no Python loop over cells). Missing values are skipped, as by the
built-in ``mean`` and ``median``; infinite values count as the numbers they are.
"""

from __future__ import annotations

from amiga_heatmap.components import Aggregator
from amiga_heatmap.errors import DataError, UsageError

EXAMPLES_SHOWN = 5


def geometric_mean(values, groups, n_groups):
    """exp(mean(log(value))) of each cell's non-missing replicates.

    Raises DataError when a replicate that reaches a cell is zero or negative: its logarithm does not
    exist, and silently dropping it would change the cell.
    """
    import numpy as np

    present = ~np.isnan(values)
    bad = present & (values <= 0)
    if bad.any():
        examples = ", ".join(repr(float(value)) for value in values[bad][:EXAMPLES_SHOWN])
        raise DataError(
            f"-p geomean needs positive values, but {int(bad.sum())} replicate values are zero or negative "
            f"(for example {examples}). Use -p mean or -p median, or leave those rows out with --subset."
        )
    logarithms = np.bincount(groups[present], weights=np.log(values[present]), minlength=n_groups)
    counted = np.bincount(groups[present], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.exp(logarithms / counted)


def coefficient_of_variation(values, groups, n_groups):
    """Sample standard deviation divided by the mean, as a ratio (0.1 is 10 %); missing for one
    replicate."""
    import numpy as np

    present = ~np.isnan(values)
    values, groups = values[present], groups[present]
    counted = np.bincount(groups, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.bincount(groups, weights=values, minlength=n_groups) / counted
        deviations = values - means[groups]
        variances = np.bincount(groups, weights=deviations * deviations, minlength=n_groups) / (counted - 1)
        return np.where(counted > 1, np.sqrt(variances), np.nan) / means


def trimmed_mean(values, groups, n_groups, proportion):
    """The mean of each cell's non-missing replicates after cutting ``floor(proportion * n)`` of the
    smallest and as many of the largest (``scipy.stats.trim_mean``): ``-inf`` is the smallest value
    and ``inf`` the largest, so they are the first to go."""
    import numpy as np

    if not 0 <= proportion < 0.5:
        raise UsageError(
            f"trimmed(proportion) cuts that share of the replicates from each end, so proportion must be "
            f"at least 0 and below 0.5, not {proportion:g}; e.g. -p 'trimmed(0.2)'."
        )
    present = ~np.isnan(values)
    values, groups = values[present], groups[present]
    order = np.lexsort((values, groups))  # by cell, then by value within the cell
    values, groups = values[order], groups[order]
    sizes = np.bincount(groups, minlength=n_groups)
    starts = np.cumsum(sizes) - sizes
    rank = np.arange(len(values)) - starts[groups]
    cut = np.floor(proportion * sizes).astype(np.intp)
    kept = (rank >= cut[groups]) & (rank < (sizes - cut)[groups])
    totals = np.bincount(groups[kept], weights=values[kept], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return totals / np.bincount(groups[kept], minlength=n_groups)


AGGREGATORS = (
    Aggregator("geomean", geometric_mean, "geometric mean of the replicates (all must be positive)"),
    Aggregator("trimmed", trimmed_mean, "mean after cutting a proportion of the replicates from each end, "
               "e.g. trimmed(0.2)", parameters=("proportion",)),
    Aggregator("min", description="smallest replicate", form="min"),
    Aggregator("max", description="largest replicate", form="max"),
    Aggregator("sd", description="sample standard deviation of the replicates (n - 1); missing for one replicate",
               form="sd"),
    Aggregator("cv", coefficient_of_variation, "coefficient of variation: sd / mean, as a ratio"),
    Aggregator("count", description="number of non-missing replicate values", form="count"),
)
