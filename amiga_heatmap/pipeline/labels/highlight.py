"""``--highlight-labels "y:LABEL,LABEL;x:LABEL"``: labels drawn in bold red and never thinned away.

Keys are ``x`` and ``y`` (or the names of the x and y columns); a label holding ``,``, ``:`` or ``;``
is quoted: ``y:"Tween 20, 1%"``. Labels are matched as text against the plotted labels; listed labels
that are not plotted (misspelled, or removed by the subset, the filter or missing cells) are reported
in one warning with the closest plotted labels.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ...errors import UsageError, closest_names, listed, shortened
from ...options.pipeline_options import option_name
from ...text_lists import parse_key_values, split_values
from ..spec import HighlightArgument
from .metadata import as_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

EXAMPLE = "'y:D-Glucose,L-Arabinose;x:ER1'"


def parse_highlight(spec: HighlightArgument, x: str, y: str) -> dict[str, list[str]]:
    """Normalise ``spec`` to ``{"x": [label text], "y": [label text]}``.

    Raises UsageError for a key that is neither ``x``/``y`` nor the x or y column name.
    """
    chosen: dict[str, list[str]] = {"x": [], "y": []}
    if spec is None:
        return chosen
    if isinstance(spec, Mapping):
        pairs = []
        for key, labels in spec.items():
            if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
                labels = [labels]
            pairs.append((str(key), [as_text(label) for label in labels]))
    else:
        pairs = [
            (key, split_values(raw, option_name("highlight")))
            for key, raw in parse_key_values(spec, option_name("highlight"), EXAMPLE)
        ]
    for key, labels in pairs:
        axis = {"x": "x", "y": "y", x: "x", y: "y"}.get(key, {"x": "x", "y": "y"}.get(key.lower()))
        if axis is None:
            raise UsageError(
                f"{option_name('highlight')}: {shortened(key)!r} is not an axis. Write y:LABEL,LABEL for rows and "
                f"x:LABEL for columns (or {y}:... and {x}:...), e.g. {EXAMPLE}."
            )
        chosen[axis] = list(dict.fromkeys([*chosen[axis], *labels]))
    return chosen


def resolve_highlight(chosen: dict[str, list[str]], matrix: pd.DataFrame) -> dict[str, list[object]]:
    """The plotted labels named in ``chosen``, per axis, in plotted order; warn about the others."""
    resolved: dict[str, list[object]] = {}
    unplotted: list[tuple[str, str, list[str]]] = []
    for axis, labels in (("y", matrix.index), ("x", matrix.columns)):
        texts = [as_text(label) for label in labels]
        wanted = set(chosen.get(axis, []))
        resolved[axis] = [label for label, text in zip(labels, texts) if text in wanted]
        unplotted.extend((axis, missing, texts) for missing in sorted(wanted - set(texts)))
    if unplotted:
        warnings.warn(
            f"These {option_name('highlight')} are not in the heatmap (misspelled, or removed by the subset, the "
            "filter or missing cells): " + listed(unplotted, text=_with_closest, separator="; ") + ".",
            stacklevel=3,
        )
    return resolved


def _with_closest(unplotted: tuple[str, str, list[str]]) -> str:
    """``axis:label (closest: 'a', 'b')``, looked up only for the labels a message shows."""
    axis, missing, texts = unplotted
    near = closest_names(missing, texts)
    hint = f" (closest: {', '.join(repr(shortened(name)) for name in near)})" if near else ""
    return f"{axis}:{shortened(missing)}{hint}"
