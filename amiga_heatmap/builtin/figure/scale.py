"""The colour scale: which colour each value gets, shared by every page of a figure.

- Kind (``color_scale``): ``linear``, ``log2``, ``log10`` or ``symlog``; ``auto`` (the default) is
  ``log2`` for ratio values and ``linear`` otherwise (also for ratios when ``vmin``, ``vmax`` or
  ``center`` is at or below 0, which only a linear scale can show). Ratio values are AMiGA's ``norm(...)`` columns and
  any column after ``--contrast ratio``, with no ``--transform`` after them (:func:`shows_ratios`): a
  log2 ratio or a z-score is no longer a ratio. On a ratio, half (0.5) and twice (2) are equally large
  effects; only a log scale draws them with equally strong colours.
- Limits: ``vmin``/``vmax`` when given, else the 2nd/98th percentiles with ``robust``, else the smallest
  and largest *finite* values (missing and infinite cells never set the scale; on a log scale neither
  do cells at or below 0).
- Centre: ``center`` when given; else 1 for ratio values and 0 on a ``symlog`` scale. A centred scale
  uses a diverging map (RdBu_r unless ``cmap`` is given) with its middle colour at the centre. Without
  ``vmin``/``vmax`` a log or symlog scale spans the same distance on both sides of the centre (0.25 to 4
  around 1: equal ratios, equal colours) and the colour bar shows all of it; a linear centred scale
  spans the same distance too, and its colour bar shows only the part the data cover, as seaborn does.
- Ticks: on a log scale written as ratios (0.25, 0.5, 1, 2, 4), powers of the log's base (of 2 when
  the base gives fewer than three), on both sides of 1 when the scale spans it.
- On a log scale a cell at or below 0 (no growth) has no colour on the scale: it is drawn in
  ``nonpositive_cell_color`` with a legend line of its own (:mod:`.cells`), never dropped.
- ``symlog``: linear within +-``linthresh`` of 0 (the median size of the non-zero values), logarithmic
  beyond, for differences with a long tail.
- ``bins`` (edges, e.g. 0, 0.5, 0.8, 1.25, 2, inf) replace the scale by one colour per bin, sampled
  evenly from the colour map, and the colour bar by a legend of the categories (``bin_labels``, or the
  intervals ``[0, 0.5)``); a bin holds the values from its lower edge (included) to its upper edge
  (excluded; the last bin includes a finite upper edge). A value outside every bin is drawn over the
  panel in :data:`OUTSIDE_BINS_COLOR` with a legend line of its own (:mod:`.cells`).
- Missing cells are drawn in ``missing_cell_color``, infinite ones (a ratio to a control that did not
  grow) in ``infinite_cell_color``; the legend under the colour bar explains both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import UsageError
from .options import Drawing

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.ticker import Locator

    from ...result import HeatmapResult

CENTRED_CMAP = "RdBu_r"
PLAIN_CMAP = "viridis"
ROBUST_PERCENTILES = (2, 98)
COLOURS_SAMPLED = 256
LOG_BASES = {"log2": 2.0, "log10": 10.0}
RATIO_STEPS = (1.5, 1.25, 1.1)  # ticks c and 1/c around 1 when no power of 2 but 1 is on the scale
OUTSIDE_BINS_COLOR = "#000000"


@dataclass(frozen=True)
class ColourScale:
    """``cmap`` and ``norm`` to draw with; ``vmin``/``vmax`` the limits shown; ``kind`` the scale
    (``linear``, ``log2``, ``log10``, ``symlog`` or ``bins``); ``categories``: with bins, each bin's
    label and colour, in order."""

    cmap: Colormap
    norm: Normalize
    vmin: float
    vmax: float
    kind: str = "linear"
    categories: dict[str, str] = field(default_factory=dict)

    @property
    def logarithmic(self) -> bool:
        """Whether cells at or below 0 have no colour on the scale (log2, log10)."""
        return self.kind in LOG_BASES

    def unplaceable(self, values: np.ndarray) -> np.ndarray:
        """The cells of ``values`` the scale gives no colour: at or below 0 on a log scale."""
        import numpy as np

        if not self.logarithmic:
            return np.zeros(values.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            return np.isfinite(values) & (values <= 0)

    def outside_bins(self, values: np.ndarray) -> np.ndarray:
        """With bins: the finite cells of ``values`` in no bin."""
        import numpy as np

        if self.kind != "bins":
            return np.zeros(values.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            return np.isfinite(values) & ((values < self.vmin) | (values > self.vmax))

    def colour_of(self, values: np.ndarray) -> np.ndarray:
        """The RGBA colour the scale gives each of ``values``."""
        return self.cmap(self.norm(values))

    def ticks(self, most: int) -> list[float]:
        """The colour-bar ticks within the limits, at most ``most`` intervals apart (see the module
        docstring)."""
        from matplotlib.ticker import MaxNLocator

        if self.logarithmic:
            return ratio_ticks(self.vmin, self.vmax, LOG_BASES[self.kind], most)
        if self.kind == "symlog":
            ticks = symlog_ticks(self.vmin, self.vmax, self.norm.linthresh, most)
            if len(ticks) >= 3:
                return ticks
        values = MaxNLocator(most).tick_values(self.vmin, self.vmax)
        return [float(tick) for tick in values if self.vmin <= tick <= self.vmax] or [self.vmin]

    def locator(self, most: int) -> Locator:
        """The colour bar's tick locator: :meth:`ticks` on log and symlog scales, round numbers on a
        linear one."""
        from matplotlib.ticker import FixedLocator, MaxNLocator

        return MaxNLocator(most) if self.kind == "linear" else FixedLocator(self.ticks(most))

    @property
    def tick_format(self) -> str:
        """The format of the colour bar's tick labels (``str.format`` with ``x``)."""
        return "{x:.3g}" if self.logarithmic else "{x:g}"


def shows_ratios(result: HeatmapResult) -> bool:
    """Whether ``result``'s matrix holds ratios: a ``norm(...)`` column untransformed, or any column
    after ``--contrast ratio`` with no ``--transform`` after it."""
    from ...pipeline.statistics import is_ratio

    if not result.transforms:
        return is_ratio(result.value)
    return len(result.transforms) == 1 and result.transforms[0].startswith("ratio to ")


def ratio_ticks(low: float, high: float, base: float, most: int) -> list[float]:
    """Ticks between ``low`` and ``high`` (both above 0): the powers of ``base`` within them, thinned to
    at most ``most`` intervals (as matplotlib's MaxNLocator counts) keeping 1; powers of 2 when ``base`` gives fewer than three; else 1 with the widest pair
    c, 1/c of :data:`RATIO_STEPS` that fits; else the two limits."""
    for candidate in dict.fromkeys((base, 2.0)):
        first = math.ceil(math.log(low, candidate) - 1e-9)
        last = math.floor(math.log(high, candidate) + 1e-9)
        exponents = list(range(first, last + 1))
        if len(exponents) >= 3:
            step = math.ceil((len(exponents) - 1) / max(most, 1))  # at most ``most`` intervals
            return [candidate**exponent for exponent in exponents if exponent % step == 0]
    if low <= 1 <= high:
        for step in RATIO_STEPS:
            if low <= 1 / step and step <= high:
                return [1 / step, 1.0, step]
        return [1.0]
    return [low, high]


def symlog_ticks(low: float, high: float, linthresh: float, most: int) -> list[float]:
    """Ticks of a symmetric log scale: 0 (when within the limits) and the powers of 10 from ``linthresh``
    outwards, on both sides, thinned to at most ``most`` intervals; fewer than three when the limits
    reach less than a decade past ``linthresh`` (a linear locator then does better)."""
    first = math.ceil(math.log10(linthresh) - 1e-9)
    last = math.floor(math.log10(max(abs(low), abs(high))) + 1e-9)
    decades = [10.0**exponent for exponent in range(first, last + 1)]
    ticks = sorted({*(-d for d in decades), 0.0, *decades})
    ticks = [tick for tick in ticks if low <= tick <= high]
    step = math.ceil((len(ticks) - 1) / max(most, 1)) if len(ticks) > 1 else 1
    zero = ticks.index(0.0) if 0.0 in ticks else 0
    return [tick for index, tick in enumerate(ticks) if (index - zero) % step == 0]


def colour_scale(values: np.ndarray, ratios: bool, drawing: Drawing) -> ColourScale:
    """The colour scale for the matrix ``values`` (``ratios``: whether they are ratios, see
    :func:`shows_ratios`), as the module says. Raises UsageError for limits or a centre at or below 0
    on a log scale."""
    import numpy as np

    if drawing.bins is not None:
        return _binned(ratios, drawing)
    kind = drawing.color_scale
    if kind == "auto":
        at_or_below_0 = any(
            given is not None and given <= 0 for given in (drawing.vmin, drawing.vmax, drawing.center)
        )
        kind = "log2" if ratios and not at_or_below_0 else "linear"
    # the cells the limits come from, copied out only for percentiles and symlog: a copy of a screen's
    # 7.4 million cells costs 0.1-0.3 s in a fresh process (its memory is new), a masked min/max 0.03 s
    placed = np.isfinite(values)
    if kind in LOG_BASES:
        for name in ("vmin", "vmax", "center"):
            given = getattr(drawing, name)
            if given is not None and given <= 0:
                raise UsageError(
                    f"{name} {given:g} is at or below 0, which a {kind} colour scale cannot show; give a "
                    f"{name} above 0, or --color-scale linear."
                )
        with np.errstate(invalid="ignore"):
            placed &= values > 0
    if drawing.robust and placed.any():
        low, high = (float(limit) for limit in np.percentile(values[placed], ROBUST_PERCENTILES))
    elif placed.any():
        low = float(np.min(values, where=placed, initial=np.inf))
        high = float(np.max(values, where=placed, initial=-np.inf))
    else:
        low, high = (0.5, 2.0) if kind in LOG_BASES else (0.0, 1.0)
    if kind in LOG_BASES:
        return _logarithmic(kind, low, high, ratios, drawing)
    if kind == "symlog":
        return _symlog(values[placed], low, high, drawing)
    return _linear(low, high, ratios, drawing)


def _linear(low: float, high: float, ratios: bool, drawing: Drawing) -> ColourScale:
    from matplotlib.colors import Normalize

    low = drawing.vmin if drawing.vmin is not None else low
    high = drawing.vmax if drawing.vmax is not None else high
    center = drawing.center
    if center is None and ratios and drawing.vmin is None and drawing.vmax is None:
        center = 1.0
    if high <= low:
        half = abs(low) * 0.1 or 0.5
        low, high = low - half, high + half
    cmap = _colour_map(drawing, center, low, high, lambda value: value)
    return ColourScale(cmap=cmap, norm=Normalize(low, high), vmin=low, vmax=high)


def _logarithmic(kind: str, low: float, high: float, ratios: bool, drawing: Drawing) -> ColourScale:
    """A log scale: symmetric around the centre (in ratios) unless ``vmin``/``vmax`` are given."""
    from .norms import LogNorm

    center = drawing.center if drawing.center is not None else (1.0 if ratios else None)
    if center is not None and drawing.vmin is None and drawing.vmax is None:
        reach = max(math.log(high / center), math.log(center / low)) or math.log(2.0)
        low, high = center / math.exp(reach), center * math.exp(reach)
    low = drawing.vmin if drawing.vmin is not None else low
    high = drawing.vmax if drawing.vmax is not None else high
    if high <= low:  # one limit given, the data all beyond it (both given: read_options refuses this)
        low, high = (high / 2, high) if drawing.vmax is not None else (low, low * 2)
    cmap = _colour_map(drawing, center, low, high, math.log)
    return ColourScale(cmap=cmap, norm=LogNorm(low, high), vmin=low, vmax=high, kind=kind)


def _symlog(finite: np.ndarray, low: float, high: float, drawing: Drawing) -> ColourScale:
    """A symmetric log scale around ``center`` (default 0), linear within its ``linthresh``."""
    import numpy as np

    from .norms import SymLogNorm

    center = drawing.center if drawing.center is not None else 0.0
    sizes = np.abs(finite - center)
    sizes = sizes[sizes > 0]
    linthresh = float(np.median(sizes)) if sizes.size else 1.0
    if drawing.vmin is None and drawing.vmax is None:
        reach = max(high - center, center - low) or 1.0
        low, high = center - reach, center + reach
    low = drawing.vmin if drawing.vmin is not None else low
    high = drawing.vmax if drawing.vmax is not None else high
    if high <= low:
        half = abs(low) * 0.1 or 0.5
        low, high = low - half, high + half
    cmap = _colour_map(drawing, center, low, high, lambda value: value)
    norm = SymLogNorm(linthresh, vmin=low, vmax=high, base=10)
    return ColourScale(cmap=cmap, norm=norm, vmin=low, vmax=high, kind="symlog")


def _colour_map(drawing: Drawing, center: float | None, low: float, high: float, along) -> Colormap:
    """``cmap`` (or the default), with missing cells in ``missing_cell_color``; with a ``center``, only
    the part of a scale symmetric around it (measured ``along``: the identity or log) that
    ``low``..``high`` covers, so that the centre keeps the middle colour."""
    import matplotlib
    import numpy as np
    from matplotlib.colors import ListedColormap, Normalize

    from .options import has_colour_map

    name = drawing.cmap or (CENTRED_CMAP if center is not None else PLAIN_CMAP)
    has_colour_map(name)
    base = matplotlib.colormaps[name]
    if center is not None:
        middle = along(center)
        reach = max(along(high) - middle, middle - along(low))
        around = Normalize(middle - reach, middle + reach)
        samples = np.linspace(float(around(along(low))), float(around(along(high))), COLOURS_SAMPLED)
        if not np.allclose(samples[[0, -1]], [0.0, 1.0]):
            base = ListedColormap(base(samples), name=f"{base.name}_centred")
    return base.with_extremes(bad=drawing.missing_cell_color)


def _binned(ratios: bool, drawing: Drawing) -> ColourScale:
    """One colour per bin of ``bins``, sampled evenly from the colour map (a diverging one for ratios
    unless ``cmap`` is given)."""
    import matplotlib
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap, to_hex

    from .options import has_colour_map

    edges = list(drawing.bins)
    count = len(edges) - 1
    name = drawing.cmap or (CENTRED_CMAP if ratios else PLAIN_CMAP)
    has_colour_map(name)
    colours = [to_hex(colour) for colour in matplotlib.colormaps[name]((np.arange(count) + 0.5) / count)]
    labels = drawing.bin_labels or [bin_interval(edges, index) for index in range(count)]
    cmap = ListedColormap(colours, name=f"{name}_bins").with_extremes(bad=drawing.missing_cell_color)
    norm = BoundaryNorm(edges, count)
    return ColourScale(
        cmap=cmap, norm=norm, vmin=edges[0], vmax=edges[-1], kind="bins", categories=dict(zip(labels, colours))
    )


def bin_interval(edges: list[float], index: int) -> str:
    """The interval of bin ``index`` as a legend writes it: ``[0.5, 0.8)``, the last ``[2, 4]``."""
    low, high = edges[index], edges[index + 1]
    closing = "]" if index == len(edges) - 2 and math.isfinite(high) else ")"
    return f"[{low:g}, {high:g}{closing}"
