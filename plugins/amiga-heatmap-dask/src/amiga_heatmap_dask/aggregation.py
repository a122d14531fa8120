"""Replicate aggregation on dask: the standard forms the dask engine computes itself, and the refusal
of every other aggregator.

Each form is computed over the non-missing values of each (y, x) cell as
:data:`amiga_heatmap.components.AGGREGATION_FORMS` defines it: ``mean``, ``min``, ``max`` and ``count``
as tree reductions; ``median`` after a shuffle that brings each cell's values together; ``sd`` in two
passes (the cell means, then the squared deviations from them), which keeps the precision of the
pandas engine's result where a one-pass sum of squares would lose digits. The cells are few (at most a
few million), so every reduction gathers them into one partition (``split_out=1``) rather than
shuffling the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amiga_heatmap.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from dask.dataframe import DataFrame

    from amiga_heatmap.components import Aggregator

DASK_FORMS = ("mean", "median", "count", "sd", "min", "max")
DEVIATION, MEAN = "__squared_deviation", "__mean"


def dask_form(aggregator: Aggregator | None, plugin: str | None) -> str | None:
    """The form the dask engine computes for ``aggregator`` (None: one value per cell). Raises
    UsageError naming the aggregator and the engine, suggesting pandas, for one it cannot translate."""
    if aggregator is None or aggregator.form in DASK_FORMS:
        return None if aggregator is None else aggregator.form
    what = (f"it declares the form {aggregator.form!r}" if aggregator.form is not None
            else "it declares no standard form, only a reduce function")
    owner = f" of the plugin {plugin!r}" if plugin and plugin != aggregator.name else ""
    raise UsageError(
        f"The dask engine cannot combine replicates with the aggregator {aggregator.name!r}{owner}: {what}, and "
        f"the dask engine computes only the forms {', '.join(DASK_FORMS)}. Run with --engine pandas, which runs "
        "every aggregator, or choose one of those forms with -p."
    )


def grouped_values(rows: DataFrame, value: str, x: str, y: str):
    """The values of ``rows`` grouped by their (y, x) cell; rows whose x or y is missing are left out."""
    return rows[[y, x, value]].groupby([y, x], dropna=True, observed=True, sort=False)[value]


def first_pass(rows: DataFrame, value: str, x: str, y: str, form: str | None) -> dict[str, object]:
    """The lazy per-cell results computed in the same pass as the engine's checks: ``counts``
    (non-missing values), and ``sizes`` and ``first`` without a form, or the ``reduced`` values of a
    one-pass form, or the ``means`` and ``infinite`` counts the second pass of ``sd`` needs."""
    import numpy as np

    groups = grouped_values(rows, value, x, y)
    lazy: dict[str, object] = {"counts": groups.count(split_out=1)}
    if form is None:
        lazy.update(sizes=groups.size(split_out=1), first=groups.first(split_out=1))
    elif form == "mean":
        lazy["reduced"] = groups.mean(split_out=1)
    elif form == "median":
        lazy["reduced"] = groups.median()
    elif form in ("min", "max"):
        lazy["reduced"] = getattr(groups, form)(split_out=1)
    elif form == "sd":
        lazy["means"] = groups.mean(split_out=1)
        infinite = rows[[y, x]].assign(**{value: np.isinf(rows[value]).astype("int64")})
        lazy["infinite"] = infinite.groupby([y, x], dropna=True, observed=True, sort=False)[value].sum(split_out=1)
    return lazy


def sample_sd(rows: DataFrame, value: str, x: str, y: str, computed: dict[str, pd.Series]) -> pd.Series:
    """The sample standard deviation of each cell (second pass over ``rows``): the square root of the
    summed squared deviations from the cell means in ``computed["means"]`` over n - 1; missing for
    fewer than two values, and for a cell holding an infinite value (as pandas gives)."""
    import dask
    import numpy as np

    means = computed["means"].rename(MEAN).reset_index()
    joined = rows[[y, x, value]].dropna(subset=[y, x]).merge(means, on=[y, x], how="inner")
    squared = joined.assign(**{DEVIATION: (joined[value] - joined[MEAN]) ** 2})
    (sums,) = dask.compute(squared.groupby([y, x], observed=True, sort=False)[DEVIATION].sum(split_out=1))
    counts = computed["counts"]
    sums = sums.reindex(counts.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(sums / (counts - 1))
    return sd.where((counts >= 2) & (computed["infinite"].reindex(counts.index) == 0)).rename(value)
