"""Colour bars along the heatmap's axes, as in the PDF: one coloured cell per label, coloured by the
value a metadata column has for that label (for example each isolate's strain).

The core attaches colour bars to a result when ``--color-x-by`` / ``--color-y-by`` ask for them:
``result.colour_strips`` is ``{"x": strip, "y": strip}`` (only the axes asked for), each strip an
:class:`amiga_heatmap.pipeline.labels.colors.ColourStrip`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from amiga_heatmap.pipeline.labels.colors import ColourStrip


def strip_trace(strip: ColourStrip, axis: str, labels: Sequence[str]):
    """A plotly heatmap trace drawing ``strip`` along ``axis`` for the axis ``labels`` (plotted order):
    each distinct value one colour, hover showing the label and the value."""
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go

    codes, distinct = pd.factorize(pd.Series(list(strip.values), dtype=str))
    colour_of = dict(zip(strip.values, strip.colours))
    count = max(len(distinct), 1)
    scale = []
    for index, value in enumerate(distinct):
        scale += [[index / count, colour_of[value]], [(index + 1) / count, colour_of[value]]]
    hover = np.char.add(f"{strip.variable}: ", np.asarray(list(strip.values), dtype=str))
    z, text = codes[None, :], hover[None, :]
    placement = {"x": list(labels), "y": [strip.variable]}
    if axis == "y":
        z, text, placement = codes[:, None], hover[:, None], {"x": [strip.variable], "y": list(labels)}
    return go.Heatmap(
        z=z.tolist(), customdata=text.tolist(), hovertemplate="%{customdata}<extra></extra>",
        colorscale=scale, zmin=-0.5, zmax=count - 0.5, showscale=False, name=strip.variable, **placement,
    )
