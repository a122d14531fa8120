"""The transform stage: ``--transform NAME`` or ``NAME(ARGUMENTS)``, applied to the matrix in order.

A transform is written like a filter quantifier with arguments: ``log2``, ``zscore(col)``,
``center(row)``. Arguments are numbers or bare words, separated by commas. :func:`parse_transforms`
checks every call against the registered transforms before any data is read; :func:`apply_transforms`
runs them, each through :func:`~amiga_heatmap.plugin_system.guard.call_guarded` so that a failing plugin
transform is named.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import DataError, UsageError, shortened
from ..plugin_system.guard import call_guarded

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..plugin_system.components import Transform
    from ..plugin_system.plugin_set import PluginSet
    from .matrix_state import MatrixState

log = logging.getLogger("amiga_heatmap")

_CALL = re.compile(r"\s*([A-Za-z_][\w-]*)\s*(?:\((.*)\))?\s*", re.DOTALL)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
OPTION = "--transform"


@dataclass(frozen=True)
class TransformCall:
    """One parsed ``--transform``: the registered transform, its arguments and the text as written."""

    transform: Transform
    arguments: tuple[float | str, ...]
    text: str


def parse_transforms(texts: Sequence[str], plugins: PluginSet) -> tuple[TransformCall, ...]:
    """Parse each ``--transform`` text into a :class:`TransformCall`.

    Raises UsageError for malformed text, an unknown transform (closest names listed) or the wrong
    number of arguments.
    """
    return tuple(_parse_one(text, plugins) for text in texts)


def _parse_one(text: str, plugins: PluginSet) -> TransformCall:
    match = _CALL.fullmatch(text)
    if match is None:
        raise UsageError(
            f"{OPTION} {shortened(text)!r} is not a transform: write a name, optionally with arguments in "
            "parentheses, e.g. --transform log2 or --transform 'zscore(col)'."
        )
    name, inside = match.group(1), match.group(2)
    transform = plugins.transforms.get(name, option=OPTION)
    arguments = _arguments(inside, text) if inside is not None else ()
    if len(arguments) > len(transform.parameters):
        takes = (
            f"takes at most {len(transform.parameters)}: {', '.join(transform.parameters)}"
            if transform.parameters
            else "takes none"
        )
        raise UsageError(f"{OPTION} {shortened(text)!r}: {name} {takes}, but {len(arguments)} were given.")
    if transform.check is not None:
        plugin = plugins.transforms.plugin_of(name)
        call_guarded(plugin, f"checking the transform {text.strip()!r}", transform.check, *arguments)
    return TransformCall(transform, arguments, text.strip())


def _arguments(inside: str, text: str) -> tuple[float | str, ...]:
    if not inside.strip():
        return ()
    arguments: list[float | str] = []
    for part in (piece.strip() for piece in inside.split(",")):
        if _NUMBER.fullmatch(part):
            arguments.append(float(part))
        elif _WORD.fullmatch(part):
            arguments.append(part)
        else:
            raise UsageError(
                f"{OPTION} {shortened(text)!r}: the argument {shortened(part)!r} is neither a number nor a word."
            )
    return tuple(arguments)


def apply_transforms(matrix: MatrixState, calls: Sequence[TransformCall], plugins: PluginSet) -> MatrixState:
    """``matrix`` with each call applied to its values in order; ``transforms`` records them.

    A transform's result must keep the shape and labels; one that does not is the plugin's error. A
    transform that leaves no finite value is a DataError.
    """
    import numpy as np
    import pandas as pd

    values = matrix.values
    for call in calls:
        plugin = plugins.transforms.plugin_of(call.transform.name)
        result = call_guarded(plugin, f"applying the transform {call.text!r}", call.transform.apply, values,
                              *call.arguments)
        if (
            not isinstance(result, pd.DataFrame)
            or result.shape != values.shape
            or not result.index.equals(values.index)
            or not result.columns.equals(values.columns)
        ):
            from ..errors import PluginError

            raise PluginError(
                f"Plugin {plugin!r}: the transform {call.transform.name!r} must return a DataFrame with the "
                f"labels and shape ({values.shape[0]} x {values.shape[1]}) of the matrix it was given; "
                "report it to the plugin's author."
            )
        values = result.astype(float)
        values.index.name, values.columns.name = matrix.values.index.name, matrix.values.columns.name
        log.info("transform %s applied", call.text)
        if not np.isfinite(values.to_numpy()).any():
            raise DataError(
                f"The transform {call.text!r} leaves no finite value in the {values.shape[0]} x "
                f"{values.shape[1]} matrix; check that it suits the value column."
            )
    return replace(matrix, values=values, transforms=(*matrix.transforms, *(call.text for call in calls)))


def log2_where_positive(values: pd.DataFrame, warning: str) -> pd.DataFrame:
    """Base-2 logarithm of every cell of ``values``; cells at or below 0 have none and become missing,
    and ``warning`` (with ``{count}`` for their number) is issued when there are some."""
    import numpy as np

    undefined = int((values.to_numpy(dtype=float) <= 0).sum())
    if undefined:
        warnings.warn(warning.format(count=undefined), stacklevel=3)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2(values.where(values > 0))
