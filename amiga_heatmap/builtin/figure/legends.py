"""Legends: the colour strips' (value -> colour), the missing-cell patches, the bins' categories and the
marks' lines (drawn with no patch: colour ``none``), measured before drawing.

A legend's size is computed from matplotlib's legend metrics (handle length, spacing, padding, all in
font sizes) and measured text widths, so the layout can reserve room for it and split a long legend
into columns that fit the height available.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .labels import LINE_HEIGHT, text_width

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

LEGEND_FONT = 8.0
TITLE_FONT = 9.0
# matplotlib's legend defaults, in font sizes
HANDLE_LENGTH = 2.0
HANDLE_TEXT_PAD = 0.8
LABEL_SPACING = 0.5
COLUMN_SPACING = 2.0
BORDER_PAD = 0.4
SAFETY = 1.06
MISSING_CELLS = "no value"
INFINITE_CELLS = "infinite"
MASKED_CELLS = "masked"
NONPOSITIVE_CELLS = "0 or below"
OUTSIDE_BINS = "outside the bins"


@dataclass(frozen=True)
class LegendSpec:
    """What a legend shows: a ``title`` (or None) and ``entries`` text -> colour, in order; ``hatches``:
    text -> (hatch pattern, hatch colour) of the entries drawn hatched (the infinite cells)."""

    title: str | None
    entries: dict[str, str]
    name: str
    hatches: dict[str, tuple[str, str]] = field(default_factory=dict)

    def entry_width(self) -> float:
        """Inches taken by the widest entry (handle, gap and text)."""
        widest = max((text_width(text, size=LEGEND_FONT) for text in self.entries), default=0.0)
        return ((HANDLE_LENGTH + HANDLE_TEXT_PAD) * LEGEND_FONT + widest) / 72

    def size(self, columns: int) -> tuple[float, float]:
        """(width, height) in inches of the legend laid out in ``columns`` columns."""
        rows = math.ceil(len(self.entries) / columns)
        row_height = (LINE_HEIGHT + LABEL_SPACING) * LEGEND_FONT / 72
        title_height = (LINE_HEIGHT * TITLE_FONT + LABEL_SPACING * LEGEND_FONT) / 72 if self.title else 0.0
        title_width = text_width(self.title, size=TITLE_FONT) / 72 if self.title else 0.0
        width = max(
            columns * self.entry_width() + (columns - 1) * COLUMN_SPACING * LEGEND_FONT / 72, title_width
        )
        height = rows * row_height + title_height
        padding = 2 * BORDER_PAD * LEGEND_FONT / 72
        return (width + padding) * SAFETY, (height + padding) * SAFETY

    def columns_to_fit(self, height: float) -> int:
        """The fewest columns that keep the legend within ``height`` inches (at least one)."""
        for columns in range(1, max(len(self.entries), 1) + 1):
            if self.size(columns)[1] <= height:
                return columns
        return max(len(self.entries), 1)


def draw_legend(figure: Figure, spec: LegendSpec, left: float, top: float, columns: int) -> None:
    """Draw ``spec`` on ``figure`` with its top-left corner at (``left``, ``top``) in inches."""
    from matplotlib.patches import Patch

    width, height = figure.get_size_inches()
    handles = []
    for text, color in spec.entries.items():
        hatch, hatch_color = spec.hatches.get(text, (None, None))
        handles.append(
            Patch(facecolor=color, edgecolor="none", hatch=hatch, hatchcolor=hatch_color, label=text)
        )
    legend = figure.legend(
        handles=handles,
        title=spec.title,
        loc="upper left",
        bbox_to_anchor=(left / width, top / height),
        bbox_transform=figure.transFigure,
        borderaxespad=0.0,
        ncols=columns,
        frameon=False,
        fontsize=LEGEND_FONT,
        title_fontsize=TITLE_FONT,
        alignment="left",
    )
    legend.set_gid(spec.name)


def legend_figure(spec: LegendSpec) -> Figure:
    """A figure holding only ``spec``, in one column, with a small margin (the separate legend files)."""
    import matplotlib
    from matplotlib.figure import Figure

    margin = 0.1
    width, height = spec.size(1)
    figure = Figure(figsize=(width + 2 * margin, height + 2 * margin))
    with matplotlib.rc_context({"text.parse_math": False}):
        draw_legend(figure, spec, margin, height + margin, 1)
    return figure
