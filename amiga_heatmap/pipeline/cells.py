"""From summary rows to cells: the value column as numbers, and one aggregated value per (y, x) pair."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..errors import DataError, shortened
from ..plugin_system.components import Aggregator
from ..plugin_system.guard import call_guarded

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

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
