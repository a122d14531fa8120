"""The colour scale: which colour each value gets, shared by every page of a figure.

- Limits: ``vmin``/``vmax`` when given, else the 2nd/98th percentiles with ``robust``, else the smallest
  and largest *finite* values (missing and infinite cells never set the scale).
- Centre: ``center`` when given. Values named ``norm(...)`` are ratios to a control, so their scale is
  centred at 1 (a diverging map, RdBu_r unless ``cmap`` is given) unless the user sets center, vmin or
  vmax. A centred scale spans the same distance on both sides of the centre, and the colour bar shows
  only the part the data (or the limits) cover, as seaborn does.
- Missing cells are drawn in ``missing_cell_color``, infinite ones (a ratio to a control that did not
  grow) in ``infinite_cell_color``; the legend under the colour bar explains both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .options import Drawing

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.colors import Colormap, Normalize

CENTRED_CMAP = "RdBu_r"
PLAIN_CMAP = "viridis"
ROBUST_PERCENTILES = (2, 98)
COLOURS_SAMPLED = 256


@dataclass(frozen=True)
class ColourScale:
    """``cmap`` and ``norm`` to draw with; ``vmin``/``vmax`` the limits shown."""

    cmap: Colormap
    norm: Normalize
    vmin: float
    vmax: float

    def drawable(self, values: np.ndarray) -> np.ndarray:
        """``values`` as a masked array ready to draw: missing and infinite cells masked (infinite ones
        are drawn over them in their own colour, see :func:`.draw._draw_cells`)."""
        import numpy as np

        return np.ma.masked_invalid(values)


def colour_scale(values: np.ndarray, value_name: str, drawing: Drawing) -> ColourScale:
    """The colour scale for the matrix ``values`` of the column ``value_name``, as the module says."""
    import matplotlib
    import numpy as np
    from matplotlib.colors import ListedColormap, Normalize

    from .options import has_colour_map

    finite = values[np.isfinite(values)]
    if drawing.robust and finite.size:
        low, high = (float(limit) for limit in np.percentile(finite, ROBUST_PERCENTILES))
    elif finite.size:
        low, high = float(finite.min()), float(finite.max())
    else:
        low, high = 0.0, 1.0
    low = drawing.vmin if drawing.vmin is not None else low
    high = drawing.vmax if drawing.vmax is not None else high
    center = drawing.center
    if center is None and value_name.startswith("norm(") and drawing.vmin is None and drawing.vmax is None:
        center = 1.0
    if high <= low:
        half = abs(low) * 0.1 or 0.5
        low, high = low - half, high + half
    name = drawing.cmap or (CENTRED_CMAP if center is not None else PLAIN_CMAP)
    has_colour_map(name)
    base = matplotlib.colormaps[name]
    if center is not None:
        reach = max(high - center, center - low)
        around = Normalize(center - reach, center + reach)
        samples = np.linspace(float(around(low)), float(around(high)), COLOURS_SAMPLED)
        base = ListedColormap(base(samples), name=f"{base.name}_centred")
    cmap = base.with_extremes(bad=drawing.missing_cell_color)
    return ColourScale(cmap=cmap, norm=Normalize(low, high), vmin=low, vmax=high)
