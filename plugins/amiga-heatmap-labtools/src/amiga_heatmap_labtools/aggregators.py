"""Aggregators: how the replicate values of one cell become one number (``-p NAME``).

Each receives the value column grouped by cell (a pandas ``SeriesGroupBy``) and returns one number per
cell, computed by pandas' grouped reductions (no Python loop over cells). Missing values are skipped, as by
the built-in ``mean`` and ``median``.
"""

from __future__ import annotations

from amiga_heatmap.components import Aggregator
from amiga_heatmap.errors import DataError

EXAMPLES_SHOWN = 5


def geometric_mean(groups):
    """exp(mean(log(value))) of each cell's replicates.

    Raises DataError when a replicate is zero or negative: its logarithm does not exist, and silently
    dropping it would change the cell.
    """
    import numpy as np

    values = groups.obj
    bad = values <= 0
    if bad.any():
        examples = ", ".join(repr(float(value)) for value in values[bad].head(EXAMPLES_SHOWN))
        raise DataError(
            f"-p geomean needs positive values, but {int(bad.sum())} values of {values.name!r} are zero or "
            f"negative (for example {examples}). Use -p mean or -p median, or leave those rows out with "
            "--subset."
        )
    log_means = np.log(values).groupby(groups.ngroup()).mean()
    return np.exp(log_means).set_axis(groups.size().index)


def minimum(groups):
    """The smallest replicate of each cell."""
    return groups.min()


def maximum(groups):
    """The largest replicate of each cell."""
    return groups.max()


def standard_deviation(groups):
    """The sample standard deviation (n - 1 in the denominator); missing for a single replicate."""
    return groups.std(ddof=1)


def coefficient_of_variation(groups):
    """Sample standard deviation divided by the mean, as a ratio (0.1 is 10 %)."""
    return groups.std(ddof=1) / groups.mean()


def replicate_count(groups):
    """How many non-missing replicate values each cell has."""
    return groups.count().astype(float)


AGGREGATORS = (
    Aggregator("geomean", geometric_mean, "geometric mean of the replicates (all must be positive)"),
    Aggregator("min", minimum, "smallest replicate"),
    Aggregator("max", maximum, "largest replicate"),
    Aggregator("sd", standard_deviation, "sample standard deviation of the replicates (n - 1); "
               "missing for one replicate"),
    Aggregator("cv", coefficient_of_variation, "coefficient of variation: sd / mean, as a ratio"),
    Aggregator("count", replicate_count, "number of non-missing replicate values"),
)
