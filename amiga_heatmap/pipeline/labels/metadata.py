"""One metadata value per heatmap label: what ``--sort-y-by`` sorts by and ``--color-y-by`` colours by.

A row label (a Substrate, say) stands for many input rows; the metadata column chosen must hold one
value for all of them. A label whose rows disagree (``Negative Control`` sits on plates 1 and 2, so it
has two ``PM`` values) is a DataError naming it. Missing metadata cells are ignored when the label has
other rows with a value, and give a missing value when it has none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...errors import DataError, listed, shortened

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

EXAMPLES_SHOWN = 5


def value_per_label(
    rows: pd.DataFrame, axis_column: str, column: str, labels: Sequence[object], option: str
) -> pd.Series:
    """The value of ``column`` for each of ``labels`` (values of ``axis_column``), indexed by label.

    ``option`` names the command-line option asking, for the error message. When ``column`` is
    ``axis_column`` itself, each label is its own value.
    """
    import pandas as pd

    index = pd.Index(labels, name=axis_column)
    if column == axis_column:
        return pd.Series(index.to_numpy(), index=index, name=column)
    pairs = rows[[axis_column, column]].dropna().drop_duplicates()
    pairs = pairs[pairs[axis_column].isin(index)]
    grouped = pairs.groupby(axis_column, sort=False)[column]
    distinct = grouped.nunique()
    ambiguous = distinct[distinct > 1]
    if len(ambiguous):
        from ..subset import subset_text  # the subset module reads labels with this one: imported late

        examples = []
        for label in ambiguous.index[:EXAMPLES_SHOWN]:
            values = sorted(map(as_text, pairs.loc[pairs[axis_column] == label, column]))
            examples.append(f"{shortened(repr(label))} ({listed(values)})")
        more = f" and {len(ambiguous) - EXAMPLES_SHOWN} more" if len(ambiguous) > EXAMPLES_SHOWN else ""
        leave_out = (
            f"Leave {'it' if len(ambiguous) == 1 else 'them'} out and keep every other row with "
            f"-s '{subset_text(axis_column, list(ambiguous.index), exclude=True)}', choose"
            if len(ambiguous) <= EXAMPLES_SHOWN
            else "Choose"
        )
        raise DataError(
            f"{option} {column}: each {axis_column} needs one {column} value, but "
            f"{len(ambiguous)} have several: {'; '.join(examples)}{more}. {leave_out} a column with one "
            f"value per {axis_column}, or keep the rows of one {column} value only (e.g. -s "
            f"'{subset_text(column, [as_text(pairs[column].iloc[0])])}')."
        )
    return grouped.first().reindex(index).rename(column)


def as_text(value: object) -> str:
    """A value as the text a user would type: text as it is (``01`` stays ``01``); for a number (from a
    DataFrame input or a reader returning numbers) ``1`` for the integer 1 or the float 1.0, ``0.5``."""
    import numbers

    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer():
            return str(int(number))
        return repr(number)
    return str(value)


def key_text(text: str) -> str:
    """Normalise a value typed by a user (in a colour scheme or file) so that it compares with
    :func:`as_text` of a column of numbers: ``"1.0"`` and ``"1"`` both become ``"1"``; other text is
    kept as it is. Never used on a column of text, whose values match exactly."""
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return as_text(number)
