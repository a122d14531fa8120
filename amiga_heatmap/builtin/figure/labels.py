"""Label font sizes and thinning, computed arithmetically from the space each label has.

A label's *slot* is the distance between neighbouring labels measured across the text (a row's height
for row labels; for column labels rotated by ``r`` degrees, the column width times ``sin r``; for
horizontal column labels, the column width against the label's length). The font size is ``scale``
times the slot, at most :data:`LARGEST_FONT`. When that is below :data:`SMALLEST_FONT` (illegible),
only every ``step``-th label is drawn, with ``step`` the smallest that gives a legible font; highlighted
labels are always drawn, and regular labels too close to them are left out so nothing overlaps them.

Text widths are measured with matplotlib's font metrics (widths scale with the size), for the longest
of the labels drawn only, so the cost does not grow with the number of labels.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger("amiga_heatmap")

SMALLEST_FONT = 5.0  # points: the smallest size journals accept for figure text
LARGEST_FONT = 10.0
LINE_HEIGHT = 1.2  # a line of text is about 1.2 times its font size tall
MEASURED = 24  # how many of the longest labels are measured
FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class AxisTexts:
    """An axis's label texts and highlighted positions, with the widths of the labels measured on
    demand: :meth:`widest` measures only the longest of the labels drawn (bold for highlighted ones)."""

    texts: Sequence[str]
    highlighted: Sequence[int] = ()
    _cache: dict[int, float] = field(default_factory=dict, compare=False, repr=False)

    def widest(self, step: int = 1) -> float:
        """Width in points at a 1-point font of the widest label drawn when every ``step``-th label
        (and every highlighted one) is drawn."""
        if step not in self._cache:
            import numpy as np

            lengths = np.fromiter(map(len, self.texts), dtype=int, count=len(self.texts))
            highlighted = np.asarray(self.highlighted, dtype=int)
            regular = np.setdiff1d(np.arange(0, len(self.texts), step), highlighted)
            longest = regular[np.argsort(-lengths[regular], kind="stable")[:MEASURED]]
            widths = [text_width(self.texts[i]) for i in longest.tolist()]
            widths += [text_width(self.texts[i], bold=True) for i in highlighted.tolist()]
            self._cache[step] = max(widths, default=0.0)
        return self._cache[step]


@dataclass(frozen=True)
class LabelPlan:
    """Which labels of an axis are drawn, and how large.

    ``shown``: positions (0-based, in plotted order) of the labels drawn; ``font``: their size in
    points; ``step``: 1 when every label is drawn, else the spacing of the regular labels.
    """

    shown: np.ndarray
    font: float
    step: int

    @property
    def empty(self) -> bool:
        return self.shown.size == 0


def text_width(text: str, bold: bool = False, size: float = 1.0) -> float:
    """The width in points of ``text`` set in the figure font at ``size`` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    reference = 100.0  # measure large for precision, then scale
    prop = FontProperties(family=FONT_FAMILY, size=reference, weight="bold" if bold else "normal")
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width * size / reference


def plan_labels(
    count: int,
    slot: float,
    scale: float,
    mode: bool | int | str,
    highlighted: Sequence[int] = (),
    per_point: float = LINE_HEIGHT,
) -> LabelPlan:
    """Choose the labels to draw and their font size.

    ``slot``: points between neighbouring labels, across the text; ``per_point``: how many points of
    that slot one point of font size needs (a line height for stacked labels, a label's width for
    horizontal column labels); ``mode``: ``"auto"`` (thin when crowded), True (all, however small),
    False (none), or N (every Nth).
    """
    import numpy as np

    if mode is False or count == 0:
        return LabelPlan(shown=np.empty(0, dtype=int), font=LARGEST_FONT, step=1)
    raw = scale * slot / max(per_point, 1e-9)
    if mode is True:
        step = 1
    elif mode == "auto":
        step = 1 if raw >= SMALLEST_FONT else math.ceil(SMALLEST_FONT / max(raw, 1e-9))
    else:
        step = int(mode)
    font = min(LARGEST_FONT, raw * step)
    step = min(step, count)
    return LabelPlan(
        shown=thinned(count, step, np.asarray(sorted(highlighted), dtype=int)), font=font, step=step
    )


def thinned(count: int, step: int, highlighted: np.ndarray) -> np.ndarray:
    """Every ``step``-th position of ``count``, without those closer than ``step`` to a highlighted
    position, plus the highlighted positions (sorted, unique)."""
    import numpy as np

    regular = np.arange(0, count, step)
    if highlighted.size and step > 1:
        after = np.searchsorted(highlighted, regular)
        before_gap = np.abs(regular - highlighted[np.clip(after - 1, 0, highlighted.size - 1)])
        after_gap = np.abs(highlighted[np.clip(after, 0, highlighted.size - 1)] - regular)
        regular = regular[np.minimum(before_gap, after_gap) >= step]
    return np.union1d(regular, highlighted).astype(int)


def report_thinning(plan: LabelPlan, count: int, what: str, flag: str) -> None:
    """Say under --verbose when only some labels are drawn."""
    if plan.step > 1:
        log.info(
            "showing %d of %d %s labels (every %d%s, %.1f pt): all of them would overlap at this size. "
            "Make the figure larger with --width-height, split it with --rows-per-page, or set %s.",
            plan.shown.size,
            count,
            what,
            plan.step,
            _ordinal_suffix(plan.step),
            plan.font,
            flag,
        )


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
