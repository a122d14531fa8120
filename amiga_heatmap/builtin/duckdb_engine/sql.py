"""The SQL the ``duckdb`` engine runs: names and texts quoted, the value column as numbers, the subset as
a predicate, the annotations as joins and the replicate aggregation per standard form.

Everything here returns text; nothing runs a query. The rows pass through three named relations,
built in :mod:`.engine`: ``summary_source`` (the columns read, from :mod:`.sources`), ``summary_rows``
(with the value as a number, a flag for value cells holding text, and the annotations' columns) and
``selected_rows`` (the subset of those).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ...errors import UsageError
from ..readers import MISSING_TOKENS

if TYPE_CHECKING:  # pragma: no cover
    from ...pipeline.subset import Selection
    from ...plugin_system.components import Aggregator

VALUE = "__value"
"""The value column as a number: NULL where missing (a blank cell, NaN or a missing-value word)."""
VALUE_TEXT = "__value_text"
"""The value cell as written where it is not a number: a missing-value word, a spelling of NaN, or text
(NULL for numbers and blank cells)."""


def name(identifier: str) -> str:
    """``identifier`` as a quoted SQL name: ``"norm(auc_lin)"``."""
    return '"' + str(identifier).replace('"', '""') + '"'


def text(value: object) -> str:
    """``value`` as a SQL text literal: ``'Negative Control'``."""
    return "'" + str(value).replace("'", "''") + "'"


def texts(values: Iterable[object]) -> str:
    """A parenthesised list of text literals: ``('ER1', 'ER2')``."""
    return "(" + ", ".join(text(value) for value in values) + ")"


def number_from_text(column: str, decimal: str) -> str:
    """The cell ``column`` (text) as a DOUBLE, NULL when it is not a number; decimal commas read."""
    cell = name(column) if decimal == "." else f"replace({name(column)}, ',', '.')"
    return f"TRY_CAST({cell} AS DOUBLE)"


def value_columns(column: str, kind: str, decimal: str = ".") -> str:
    """The select items for the value ``column``: :data:`VALUE` and :data:`VALUE_TEXT`.

    ``kind`` is ``"text"`` (cells as written) or ``"number"`` (stored as numbers). For text, a blank cell,
    ``NaN`` and the words of :data:`~amiga_heatmap.builtin.readers.MISSING_TOKENS` are missing and
    ``inf`` is infinite; every cell that is not a number keeps its text in :data:`VALUE_TEXT`
    (:func:`text_cell` tells the words apart from real text).
    """
    if kind == "number":
        return f"nullif(CAST({name(column)} AS DOUBLE), 'NaN'::DOUBLE) AS {VALUE}, NULL::VARCHAR AS {VALUE_TEXT}"
    cast = number_from_text(column, decimal)  # no missing-value word reads as a number but NaN
    return (
        f"nullif({cast}, 'NaN'::DOUBLE) AS {VALUE}, "
        f"CASE WHEN {name(column)} IS NOT NULL AND ({cast} IS NULL OR isnan({cast})) THEN {name(column)} END "
        f"AS {VALUE_TEXT}"
    )


def text_cell() -> str:
    """True where :data:`VALUE_TEXT` is text that no one would read as a number or as missing: the cells
    that make the value column not numeric. Once the column holds such text, the pandas engine counts
    the missing-value words and NaN among the offending cells too (its reader keeps such a column as
    text), so the error counts every :data:`VALUE_TEXT`."""
    return (f"({VALUE_TEXT} NOT IN {texts(sorted(MISSING_TOKENS))} "
            f"AND COALESCE(NOT isnan(TRY_CAST({VALUE_TEXT} AS DOUBLE)), true))")


def as_label(column: str, kind: str) -> str:
    """The metadata ``column`` as text (for a Parquet or DataFrame column stored as numbers: whole
    numbers without a decimal point, as the Parquet reader writes them)."""
    if kind in ("VARCHAR", "text"):
        return name(column)
    if kind in ("DOUBLE", "FLOAT"):
        return (
            f"CASE WHEN isfinite({name(column)}) AND {name(column)} = trunc({name(column)}) "
            f"THEN CAST(CAST({name(column)} AS HUGEINT) AS VARCHAR) ELSE CAST({name(column)} AS VARCHAR) END"
        )
    return f"CAST({name(column)} AS VARCHAR)"


def key_text(expression: str, kind: str) -> str:
    """A row's key ``expression`` written as annotation tables write keys: text without surrounding
    spaces, whole numbers without a decimal point
    (:func:`~amiga_heatmap.pipeline.annotation.key_texts`)."""
    if kind in ("DOUBLE", "FLOAT"):
        return (
            f"CASE WHEN isfinite({expression}) AND {expression} = trunc({expression}) "
            f"THEN CAST(CAST({expression} AS HUGEINT) AS VARCHAR) ELSE CAST({expression} AS VARCHAR) END"
        )
    return f"trim(CAST({expression} AS VARCHAR))"


def matches(column: str, values: Sequence[str], numeric: bool) -> str:
    """True where ``column`` is one of ``values`` as text, exactly (for a column of numbers, also where
    it equals one of them as a number); False, never NULL, for a missing cell
    (:func:`~amiga_heatmap.pipeline.subset.column_matches`)."""
    found = f"CAST({name(column)} AS VARCHAR) IN {texts(values)}"
    if numeric:
        numbers = [value for value in values if _is_number(value)]
        if numbers:
            found += f" OR CAST({name(column)} AS DOUBLE) IN ({', '.join(repr(float(value)) for value in numbers)})"
    return f"COALESCE({found}, false)"


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def subset_predicate(selection: Selection, numeric: frozenset[str]) -> str:
    """The WHERE condition of ``selection`` (every variable must match; an ``Excluded`` list must not),
    ``numeric`` naming the columns stored as numbers."""
    from ...pipeline.subset import Excluded

    if not selection:
        return "true"
    parts = []
    for column, values in selection.items():
        found = matches(column, values, column in numeric)
        parts.append(f"NOT ({found})" if isinstance(values, Excluded) else f"({found})")
    return " AND ".join(parts)


SQL_FORMS = {
    "mean": "avg({v})",
    "median": "median({v})",
    "quantile": "quantile_cont({v}, {q})",
    "min": "min({v})",
    "max": "max({v})",
    "sd": "stddev_samp({v})",
    "count": "CAST(count({v}) AS DOUBLE)",
}
"""Each standard form (:data:`~amiga_heatmap.plugin_system.components.AGGREGATION_FORMS`) in SQL, over
the non-missing values (SQL aggregates skip NULL). ``quantile_cont`` interpolates linearly between the
two nearest values, and gives their value when they are the same infinity, as the form asks."""


def reduction(aggregator: Aggregator | None, arguments: tuple[float, ...], plugin: str | None) -> str:
    """The SQL aggregate computing ``aggregator`` over :data:`VALUE` (``max`` of the one value when there
    is no aggregator: each cell then has one row). Raises UsageError, naming the aggregator and the
    engine and suggesting pandas, for an aggregator without a standard form."""
    if aggregator is None:
        return f"max({VALUE})"
    if aggregator.form is None:
        raise UsageError(
            f"The duckdb engine cannot run the aggregator {aggregator.name!r} (plugin {plugin!r}): it declares "
            "no standard form (mean, median, quantile, min, max, sd, count) that SQL computes, only a Python "
            "reduction. Run with --engine pandas, or declare the aggregator's form if it computes one of them."
        )
    q = float(arguments[0]) if aggregator.form == "quantile" else None
    return SQL_FORMS[aggregator.form].format(v=VALUE, q=repr(q))
