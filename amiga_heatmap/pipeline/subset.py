"""``-s/--subset``: keep the rows whose metadata match the given values.

The text form is ``Var:v1,v2;Var2:v3``: a row is kept when, for every variable named, its value is one
of that variable's listed values. Values are compared as text, exactly: the readers keep metadata as
written, so ``PM:1`` selects the rows whose PM is written ``1``, not ``01`` nor ``1.0`` (those are other
labels, and the warning about values that match nothing names them as the closest). A column of numbers
(in a DataFrame input, or from a reader plugin that returns numbers) also matches numerically:
``PM:1`` and ``PM:1.0`` both select the number 1. ``Var:!v1,v2`` leaves out instead: a row is kept when its value is
none of them (``Substrate:!Negative Control``; quote a value that itself starts with ``!``:
``Strain:"!x"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import DataError, UsageError, closest_names, listed, shortened
from ..text_lists import parse_key_values, split_values
from .labels.metadata import as_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd



class Excluded(list):
    """The values of one subset variable that rows must *not* have (``Var:!v1,v2``); a plain list of
    values is the values rows must have. Pass one in a mapping subset: ``{"Substrate":
    Excluded(["Negative Control"])}``."""


Selection = dict[str, list[str]]
"""Each subset variable and its values: a list to keep, or an :class:`Excluded` list to leave out."""


def parse_subset(subset: str | Mapping[str, Sequence[object] | object] | None) -> Selection:
    """Normalise a subset given as text (``Var:v1,v2;Var2:v3``) or as a mapping to ``{column: [text]}``.

    A mapping's values that are not text become the text of their number (:func:`as_text`: ``1`` and
    ``1.0`` both select a PM written ``1``); text is kept as it is.

    Raises UsageError for text that is not of that form, or a variable listed without values.
    """
    if subset is None:
        return {}
    if isinstance(subset, Mapping):
        selection: Selection = {}
        for column, values in subset.items():
            kind = Excluded if isinstance(values, Excluded) else list
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
                values = [values]
            selection[str(column)] = kind(as_text(value) for value in values)
        return selection
    selection = {}
    for column, raw in parse_key_values(subset, "--subset", "'Substrate:D-Glucose,Dextrin;PM:1'"):
        kind = Excluded if raw.startswith("!") else list
        values = split_values(raw[1:] if kind is Excluded else raw, "--subset")
        if not values:
            raise UsageError(
                f"The subset variable {column!r} has no values after ':'. List the values to keep, "
                f"separated by commas, e.g. '{column}:value1,value2' (or to leave out: '{column}:!value1')."
            )
        if column in selection and type(selection[column]) is not kind:
            raise UsageError(
                f"The subset variable {column!r} is given values to keep and values to leave out (after "
                f"'!'); give one of them, e.g. '{column}:{values[0]}' or '{column}:!{values[0]}'."
            )
        selection.setdefault(column, kind()).extend(values)
    return selection


def subset_text(column: str, values: Sequence[object], exclude: bool = False) -> str:
    """The ``-s`` text selecting (or, with ``exclude``, leaving out) ``values`` of ``column``, quoting
    values that hold a separator or start with ``!``: ``Substrate:!Negative Control``."""
    written = []
    for value in map(str, values):
        if any(character in value for character in ";:,\"'") or value.startswith("!"):
            quote = '"' if '"' not in value else "'"
            value = f"{quote}{value}{quote}"
        written.append(value)
    return f"{column}:{'!' if exclude else ''}{','.join(written)}"


def apply_subset(rows: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Return the rows of ``rows`` matching every variable of ``selection``.

    Raises DataError when a variable is not a column (naming the closest columns) or when nothing is
    left. Listed values that match no row are reported in one warning (values to keep and values to
    leave out apart), with the closest existing values, since they are most likely typing mistakes.
    """
    if not selection:
        return rows
    import numpy as np
    import pandas as pd

    keep = np.ones(len(rows), dtype=bool)
    unmatched: list[Unmatched] = []
    unmatched_excluded: list[Unmatched] = []
    for column, values in selection.items():
        if column not in rows.columns:
            suggestion = closest_names(column, rows.columns)
            hint = f" Closest columns: {', '.join(map(repr, suggestion))}." if suggestion else ""
            raise DataError(
                f"The subset variable {shortened(column)!r} (given to --subset) is not a column of the "
                f"input.{hint} Column names are case-sensitive."
            )
        excluded = isinstance(values, Excluded)
        matches = column_matches(rows[column], values)
        keep &= ~matches if excluded else matches
        distinct = rows[column].dropna().drop_duplicates()
        present = set(distinct.astype(str))
        hits = pd.Series(values, dtype=object).isin(present).to_numpy()
        if pd.api.types.is_numeric_dtype(distinct.dtype):
            numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy()
            hits = hits | np.isin(numbers, distinct.to_numpy(dtype=float))
        (unmatched_excluded if excluded else unmatched).extend(
            (column, value, present) for value, hit in zip(values, hits) if not hit
        )
    warn_unmatched_values(unmatched, unmatched_excluded)
    if not keep.any():
        raise nothing_selected(selection)
    return rows.loc[keep]


Unmatched = tuple[str, str, set[str]]
"""A subset value that matches no row: its column, the value, and the texts the column holds."""


def warn_unmatched_values(unmatched: list[Unmatched], unmatched_excluded: list[Unmatched]) -> None:
    """One warning for the listed values to keep that match no row, one for those to leave out, each
    value with the closest texts its column holds. Shared by every engine."""
    if unmatched:
        warnings.warn(
            "These --subset values match no row and select nothing: "
            + listed(unmatched, text=_with_closest, separator="; ") + ".",
            stacklevel=3,
        )
    if unmatched_excluded:
        warnings.warn(
            "These --subset values to leave out match no row, so they leave out nothing: "
            + listed([(column, f"!{value}", present) for column, value, present in unmatched_excluded],
                     text=_with_closest, separator="; ") + ".",
            stacklevel=3,
        )


def nothing_selected(selection: Selection) -> DataError:
    """The error of a subset that keeps no row. Shared by every engine."""
    return DataError(
        "The subset selects no rows: no row has all of "
        + "; ".join(
            f"{shortened(column)} {'not in' if isinstance(values, Excluded) else 'in'} "
            f"[{listed(values, text=repr)}]"
            for column, values in selection.items()
        )
        + ". Check the spelling of the values (they are compared as text) or widen the subset."
    )


def _with_closest(unmatched: tuple[str, str, set[str]]) -> str:
    """``Column:value (closest: 'a', 'b')`` for a value that matches nothing (looked up only for the
    values a message shows, as the search compares with every value present)."""
    column, value, present = unmatched
    near = closest_names(value, present)
    near_text = f" (closest: {', '.join(map(repr, map(shortened, near)))})" if near else ""
    return f"{shortened(column)}:{shortened(value)}{near_text}"


def column_matches(column: pd.Series, values: Sequence[str]):
    """Boolean ndarray: which cells of ``column`` equal one of ``values`` as text, exactly (or as
    numbers, for a column of numbers)."""
    import numpy as np
    import pandas as pd

    as_text = column.astype(str)
    hits = as_text.isin(list(values)).to_numpy()
    if pd.api.types.is_numeric_dtype(column.dtype):
        numbers = pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna().to_numpy()
        if len(numbers):
            hits = hits | np.isin(column.to_numpy(dtype=float, na_value=np.nan), numbers)
    return hits
