"""From summary rows to cells: the value column as numbers, and one aggregated value per (y, x) pair
(the pandas engine's aggregation)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import DataError, PluginError, shortened
from ..plugin_system.components import Aggregator, LegacyAggregatorWarning
from ..plugin_system.guard import call_guarded

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd
    from pandas.core.groupby import SeriesGroupBy

log = logging.getLogger("amiga_heatmap")

EXAMPLES_SHOWN = 5


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
            examples = list(zip(labels, offenders[value].astype(str)))[:EXAMPLES_SHOWN]
            raise not_numeric(value, int(bad.sum()) or len(rows), examples)
        rows = rows.assign(**{value: converted.astype(float)})
    elif column.dtype != float:
        rows = rows.assign(**{value: column.astype(float)})
    return rows


def not_numeric(value: str, count: int, examples: list[tuple[str, str]]) -> DataError:
    """The error of a value column holding text: ``count`` cells, ``examples`` a few ``(sample, text)``
    pairs. Shared by every engine."""
    shown = ", ".join(f"{shortened(label)} ({shortened(text)!r})" for label, text in examples[:EXAMPLES_SHOWN])
    return DataError(
        f"The value column {value!r} (given to -v/--value) is not numeric: {count} "
        f"cells hold text, for example samples {shown}. Choose a numeric growth parameter "
        "such as 'auc_lin', 'gr' or 'norm(auc_lin)', or fix those cells."
    )


def repeated_pairs(x: str, y: str, examples: list[tuple[object, object, int]], count: int) -> DataError:
    """The error of replicates without an aggregator: ``count`` (x, y) pairs with several rows,
    ``examples`` a few ``(x value, y value, rows)``. Shared by every engine."""
    shown = ", ".join(
        f"{x}={shortened(xv)!r} {y}={shortened(yv)!r} ({n} rows)" for xv, yv, n in examples[:EXAMPLES_SHOWN]
    )
    return DataError(
        f"{count} (x, y) pairs have more than one row (replicates), for example {shown}, "
        "but no -p/--operation was given to combine them. Add -p mean or -p median, or narrow "
        "the rows with --subset."
    )


def aggregate(
    rows: pd.DataFrame,
    value: str,
    x: str,
    y: str,
    aggregator: Aggregator | None,
    plugin: str | None = None,
    arguments: tuple[float, ...] = (),
) -> tuple[pd.Series, pd.Series]:
    """Reduce ``rows`` to one value per (y, x) pair: the pandas engine's aggregation.

    Returns ``(reduced, counts)``, two Series indexed by the (y, x) pairs in order of appearance (sorting
    the few labels of the pivoted matrix is much cheaper than sorting every group): the reduced value and
    how many non-missing values went into it. Rows whose x or y is missing are left out. Without an
    ``aggregator`` every (x, y) pair must occur once; otherwise DataError names a few repeated pairs and
    suggests ``-p mean``.

    An aggregator's declared ``form`` is computed by this engine (:data:`PANDAS_FORMS`); otherwise its
    ``reduce`` is called with the values and group codes (see
    :class:`~amiga_heatmap.plugin_system.components.Aggregator`) and ``arguments``, failures blamed on
    ``plugin``. An aggregator of the old ``reduce(groups)`` contract gets the ``SeriesGroupBy`` as before,
    with one :class:`~amiga_heatmap.plugin_system.components.LegacyAggregatorWarning`.
    """
    missing_keys = int((rows[x].isna() | rows[y].isna()).sum())
    if missing_keys:
        log.info("left out %d rows whose %s or %s is missing", missing_keys, x, y)
    # groupby leaves out missing keys itself (dropna=True), so the rows are never copied; the grouping
    # is computed once and shared by count() and the reduction.
    groups = rows.groupby([y, x], observed=True, sort=False)[value]
    counts = groups.count()
    if aggregator is None:
        return _single_values(groups, x, y), counts
    plugin = plugin or aggregator.name
    if aggregator.form is not None:
        reduced = PANDAS_FORMS[aggregator.form](groups, counts, arguments)
    elif aggregator.legacy:
        warnings.warn(_legacy_message(aggregator, plugin), LegacyAggregatorWarning, stacklevel=2)
        reduced = call_guarded(plugin, f"aggregating with {aggregator.name!r}", aggregator.reduce, groups)
    else:
        reduced = _reduce_by_codes(groups, counts.index, aggregator, plugin, arguments)
    return reduced, counts


def _single_values(groups: SeriesGroupBy, x: str, y: str) -> pd.Series:
    """Each pair's one value, or DataError naming repeated pairs (no aggregator was given)."""
    refuse_replicates(groups.size(), x, y)
    return groups.first()


def refuse_replicates(sizes: pd.Series, x: str, y: str) -> None:
    """Raise DataError naming a few (x, y) pairs of ``sizes`` (rows per pair, indexed by the (y, x)
    pairs) that have more than one row, when no aggregator was given (every engine checks with it)."""
    repeated = sizes[sizes > 1]
    if len(repeated):
        raise repeated_pairs(x, y, [(xv, yv, n) for (yv, xv), n in repeated.head(EXAMPLES_SHOWN).items()],
                             len(repeated))


def _codes_and_values(groups: SeriesGroupBy) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group code and value, for the rows that reach a cell (x and y present), read-only."""
    import numpy as np

    codes = groups.ngroup().to_numpy()
    values = groups.obj.to_numpy(dtype=float)
    if codes.dtype.kind == "f":  # NaN: the row's x or y is missing, so its value reaches no cell
        reaching = ~np.isnan(codes)
        codes, values = codes[reaching], values[reaching]
    codes, values = codes.astype(np.intp, copy=False).view(), values.view()
    codes.flags.writeable = values.flags.writeable = False  # views: the rows themselves stay writeable
    return codes, values


def _quantile(groups: SeriesGroupBy, counts: pd.Series, arguments: tuple[float, ...]) -> pd.Series:
    """The ``q = arguments[0]`` quantile of each group's non-missing values: linear interpolation between
    the two nearest, their value when they are equal (pandas' own grouped quantile gives NaN for a group
    of infinite values that also holds a missing one)."""
    import numpy as np
    import pandas as pd

    codes, values = _codes_and_values(groups)
    present = ~np.isnan(values)
    codes, values = codes[present], values[present]
    order = np.lexsort((values, codes))
    values = values[order]
    sizes = counts.to_numpy()
    position = (sizes - 1) * arguments[0]
    starts = np.cumsum(sizes) - sizes
    filled = sizes > 0
    low = values[(starts + np.floor(position).astype(np.intp))[filled]]
    high = values[(starts + np.ceil(position).astype(np.intp))[filled]]
    quantiles = np.full(len(sizes), np.nan)
    with np.errstate(invalid="ignore"):  # -inf and inf as the two nearest values: NaN
        fraction = (position - np.floor(position))[filled]
        quantiles[filled] = np.where(low == high, low, low + fraction * (high - low))
    return pd.Series(quantiles, index=counts.index, name=groups.obj.name)


PANDAS_FORMS: dict[str, Callable[[SeriesGroupBy, pd.Series, tuple[float, ...]], pd.Series]] = {
    "mean": lambda groups, counts, arguments: groups.mean(),
    "median": lambda groups, counts, arguments: groups.median(),
    "quantile": _quantile,
    "min": lambda groups, counts, arguments: groups.min(),
    "max": lambda groups, counts, arguments: groups.max(),
    "sd": lambda groups, counts, arguments: groups.std(ddof=1),
    "count": lambda groups, counts, arguments: counts.astype(float),
}
"""How the pandas engine computes each of
:data:`~amiga_heatmap.plugin_system.components.AGGREGATION_FORMS` from the grouped values (pandas' grouped
reductions skip missing values), the non-missing counts and the form's arguments."""


def _reduce_by_codes(
    groups: SeriesGroupBy, cells: pd.Index, aggregator: Aggregator, plugin: str, arguments: tuple[float, ...]
) -> pd.Series:
    """Call a v2 ``reduce(values, groups, n_groups, *arguments)`` and index its result by ``cells``."""
    import numpy as np
    import pandas as pd

    codes, values = _codes_and_values(groups)
    stage = f"aggregating with {aggregator.name!r}"
    returned = call_guarded(plugin, stage, aggregator.reduce, values, codes, len(cells), *arguments)
    try:
        reduced = np.asarray(returned, dtype=float)
    except (TypeError, ValueError):
        reduced = None
    if reduced is None or reduced.shape != (len(cells),):
        what = f"a result of shape {reduced.shape}" if reduced is not None else f"a {type(returned).__name__}"
        raise PluginError(
            f"The aggregator {aggregator.name!r} of the plugin {plugin!r} returned {what} for {len(cells)} "
            f"cells; it must return one number per cell, shape ({len(cells)},)."
        )
    return pd.Series(reduced, index=cells, name=groups.obj.name)


def _legacy_message(aggregator: Aggregator, plugin: str) -> str:
    return (
        f"The aggregator {aggregator.name!r} of the plugin {plugin!r} is written against the old contract "
        "reduce(groups) with a pandas SeriesGroupBy, which the next release drops. It gave the same result "
        "as before; to keep it working, change it to reduce(values, groups, n_groups), taking numpy arrays "
        "of the values and of their cells' codes and returning one number per cell, or declare a standard "
        "form such as form='max' (docs/plugins.md, register_aggregators)."
    )
