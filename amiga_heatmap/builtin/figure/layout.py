"""Where every part of the figure goes, in inches, computed before anything is drawn.

From left to right: the y title (rotated, centred on the rows drawn), the row dendrogram, the row
colour strip, the heatmap, the row labels, the colour bar (its label on its right, the missing-cell patch
under it), the colour-strip legends. From top to bottom: the title, the column dendrogram, the column
colour strip, the heatmap, the column labels, the x title. The y title is on the side of the rows away
from the colour bar, so neither reads as the other's title; it sits beside the rows when it is no longer
than the rows of the shortest page, and further left, clear of column labels slanting under the
heatmap's left edge, when it is longer.

Default size: cells of :data:`PREFERRED_ROW` x :data:`PREFERRED_COLUMN` inches (the heatmap at least
:data:`SMALLEST_HEATMAP` on a side, and as long as the axis title along it) plus what the labels, colour
bar and legends need, never more than :data:`~.options.AUTOMATIC_LARGEST_SIDE` (72) inches on a side:
larger matrices get smaller cells, and their labels are thinned (:mod:`.labels`). A figure that would
be taller than :data:`PAGE_HEIGHT` (a printed page) is made a page high instead, its rows at least
:data:`SMALLEST_DEFAULT_ROW` tall (so a few hundred rows fit a page, and larger matrices grow as
before), unless ``height``, ``rows_per_page`` or ``yticklabels`` is given: those ask for a size or for
labels of their own. With ``width``/``height``
given, the heatmap takes what the other parts leave. Label sizes depend on the cell size and the space
for labels on the label sizes, so the two are settled by a few rounds of arithmetic (no drawing).

Column labels are horizontal when ``x_rotation`` is not given and every label drawn fits across its
column at the font size vertical labels would get (``1``, ``2``, short strain names); else vertical.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ...errors import UsageError
from .labels import LINE_HEIGHT, SMALLEST_FONT, AxisTexts, LabelPlan, plan_labels, text_width
from .legends import LegendSpec
from .options import AUTOMATIC_LARGEST_SIDE, Drawing

PREFERRED_ROW = 0.22
PREFERRED_COLUMN = 0.3
SMALLEST_HEATMAP = 2.0
SMALLEST_DRAWABLE = 0.3
MARGIN = 0.15
GAP = 0.08
STRIP = 0.18
STRIP_GAP = 0.03
LABEL_PAD = 0.04
NAME_GAP = 0.1
PANEL_GAP = 0.2
COLORBAR_WIDTH = 0.16
COLORBAR_TICKS = 0.08  # tick length and padding
TITLE_FONT = 12.0
NAME_FONT = 10.0
COLORBAR_FONT_LARGEST = 9.0
COLORBAR_TICK_COUNT = 6
ROUNDS = 4
PAGE_HEIGHT = 11.0  # inches: a US Letter page (A4 is 11.7), the tallest default figure of up to a few
# hundred rows
SMALLEST_DEFAULT_ROW = 0.03  # inches (2.2 pt, 4 pixels at 150 dpi): rows of a default figure squeezed
# onto a page are no thinner; a taller matrix makes a taller figure
UPRIGHT = 90.0  # the column labels' angle when they do not fit horizontally and none is given


@dataclass(frozen=True)
class Box:
    """A rectangle in inches from the figure's bottom-left corner."""

    left: float
    bottom: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.bottom + self.height

    @property
    def right(self) -> float:
        return self.left + self.width

    def fractions(self, figure_width: float, figure_height: float) -> list[float]:
        """The box as ``[left, bottom, width, height]`` fractions of the figure (for ``add_axes``)."""
        return [
            self.left / figure_width,
            self.bottom / figure_height,
            self.width / figure_width,
            self.height / figure_height,
        ]

    def shifted(self, up: float) -> Box:
        return replace(self, bottom=self.bottom + up)


@dataclass(frozen=True)
class AxisLabels:
    """An axis's labels as the layout sees them: their texts (measured on demand) and how they are to
    be shown (``scale`` and ``mode`` from the options)."""

    texts: AxisTexts
    scale: float
    mode: bool | int | str

    @property
    def count(self) -> int:
        return len(self.texts.texts)

    @property
    def highlighted(self) -> Sequence[int]:
        return self.texts.highlighted


@dataclass(frozen=True)
class LayoutRequest:
    """Everything the layout depends on."""

    rows: int  # rows on a page
    row_labels: AxisLabels
    column_labels: AxisLabels
    drawing: Drawing
    title: str
    x_dendrogram: bool = False
    y_dendrogram: bool = False
    x_strip: bool = False
    y_strip: bool = False
    y_strip_name_width: float = 0.0  # points at 1 pt, drawn under the row strip
    legends: tuple[LegendSpec, ...] = ()
    missing_legend: LegendSpec | None = None
    colorbar_tick_width: float = 0.0  # points at 1 pt: the widest tick label
    x_title: str = ""  # "" for none
    y_title: str = ""
    colorbar_label: str = ""
    fewest_rows: int = 0  # rows on the shortest page (0: ``rows``)


@dataclass(frozen=True)
class Layout:
    """The planned figure: its size, each part's box (None when absent), fonts and label plans."""

    width: float
    height: float
    heatmap: Box
    cell_height: float
    row_plan: LabelPlan
    column_plan: LabelPlan
    rotation: float
    row_labels: Box | None
    column_labels: Box | None
    y_dendrogram: Box | None
    x_dendrogram: Box | None
    y_strip: Box | None
    x_strip: Box | None
    colorbar: Box | None
    colorbar_font: float
    colorbar_ticks: int
    colorbar_label_font: float
    missing_legend_at: tuple[float, float] | None
    legends_at: tuple[tuple[float, float, int], ...]  # (left, top, columns) per legend
    title_at: tuple[float, float]
    x_name_at: tuple[float, float]
    y_name_at: tuple[float, float]

    def for_page(self, rows: int, planned_rows: int) -> Layout:
        """The layout of a page holding ``rows`` of the ``planned_rows`` rows planned: same sizes, the
        heatmap shorter and everything under it moved up."""
        if rows == planned_rows:
            return self
        lift = (planned_rows - rows) * self.cell_height
        heatmap = Box(
            self.heatmap.left, self.heatmap.bottom + lift, self.heatmap.width, self.heatmap.height - lift
        )

        def shorter(box: Box | None) -> Box | None:
            return None if box is None else Box(box.left, box.bottom + lift, box.width, box.height - lift)

        return replace(
            self,
            heatmap=heatmap,
            row_labels=shorter(self.row_labels),
            y_dendrogram=shorter(self.y_dendrogram),
            y_strip=shorter(self.y_strip),
            column_labels=None if self.column_labels is None else self.column_labels.shifted(lift),
            x_name_at=(self.x_name_at[0], self.x_name_at[1] + lift),
            y_name_at=(self.y_name_at[0], self.y_name_at[1] + lift / 2),
        )


def plan_layout(request: LayoutRequest) -> Layout:
    """Plan the figure for ``request`` as the module docstring says; ``Layout.rotation`` is the column
    labels' angle, chosen when ``x_rotation`` is None.

    Raises UsageError when a given width or height leaves no room for the heatmap.
    """
    if request.drawing.x_rotation is not None:
        return _plan(request)
    upright = _plan(_rotated(request, UPRIGHT))
    flat = _rotated(request, 0.0)
    if _fits_flat(flat, upright):
        return _plan(flat)
    return upright


def _rotated(request: LayoutRequest, rotation: float) -> LayoutRequest:
    return replace(request, drawing=replace(request.drawing, x_rotation=rotation))


def _fits_flat(flat: LayoutRequest, upright: Layout) -> bool:
    """Whether horizontal column labels fit across the columns of the ``upright`` layout's heatmap at
    the font size (and spacing) the upright labels have there."""
    if upright.column_plan.empty:
        return False
    _, horizontal = _label_plans(flat, upright.heatmap.width, upright.heatmap.height)
    return horizontal.step == upright.column_plan.step and horizontal.font >= upright.column_plan.font


def _plan(request: LayoutRequest) -> Layout:
    drawing = request.drawing
    rows, columns = request.rows, request.column_labels.count
    wanted_width = max(SMALLEST_HEATMAP, columns * PREFERRED_COLUMN, _title_length(request.x_title))
    wanted_height = max(SMALLEST_HEATMAP, rows * PREFERRED_ROW, _title_length(request.y_title))
    heat_width = wanted_width if drawing.width is None else drawing.width / 2
    heat_height = wanted_height if drawing.height is None else drawing.height / 2
    for round_number in range(ROUNDS):
        width, height, heat_width, heat_height = _fit(
            request, wanted_width, wanted_height, heat_width, heat_height, final=round_number == ROUNDS - 1
        )
    if drawing.square:
        cell = min(heat_width / columns, heat_height / rows)
        wanted_width, wanted_height = cell * columns, cell * rows
        width, height, heat_width, heat_height = _fit(
            request, wanted_width, wanted_height, wanted_width, wanted_height
        )
        heat_width, heat_height = min(heat_width, wanted_width), min(heat_height, wanted_height)
    plans = _label_plans(request, heat_width, heat_height)
    return _place(request, width, height, heat_width, heat_height, *plans)


def _fit(
    request: LayoutRequest,
    wanted_width: float,
    wanted_height: float,
    heat_width: float,
    heat_height: float,
    final: bool = False,
) -> tuple[float, float, float, float]:
    """One round: the label plans for the current heatmap size, the figure size they lead to, and the
    heatmap size that figure leaves. Returns ``(width, height, heat_width, heat_height)``; in the
    ``final`` round, a heatmap squeezed to nothing by a given size is a UsageError."""
    drawing = request.drawing
    plans = _label_plans(request, heat_width, heat_height)
    across = _horizontal(request, heat_width, heat_height, *plans)
    down = _vertical(request, heat_width, heat_height, *plans)
    width = drawing.width or min(AUTOMATIC_LARGEST_SIDE, (wanted_width + across.fixed) / (1 - across.ratio))
    height = drawing.height or min(
        _tallest_default(request, down), (wanted_height + down.fixed) / (1 - down.ratio)
    )
    new_width = width * (1 - across.ratio) - across.fixed
    new_height = height * (1 - down.ratio) - down.fixed
    if final:
        _refuse_too_small(request, new_width, new_height, width - new_width, height - new_height)
    return width, height, max(new_width, SMALLEST_DRAWABLE / 2), max(new_height, SMALLEST_DRAWABLE / 2)


def _tallest_default(request: LayoutRequest, down: _Extent) -> float:
    """The largest default height: a page (or what rows of :data:`SMALLEST_DEFAULT_ROW` need, when
    more), unless ``rows_per_page`` or ``yticklabels`` is given; never more than 72 inches."""
    drawing = request.drawing
    if drawing.rows_per_page is not None or drawing.yticklabels != "auto":
        return AUTOMATIC_LARGEST_SIDE
    smallest_rows = (request.rows * SMALLEST_DEFAULT_ROW + down.fixed) / (1 - down.ratio)
    return min(AUTOMATIC_LARGEST_SIDE, max(PAGE_HEIGHT, smallest_rows))


@dataclass(frozen=True)
class _Extent:
    """Inches taken along one direction by everything but the heatmap: ``fixed + ratio * figure``."""

    fixed: float
    ratio: float


def _label_plans(
    request: LayoutRequest, heat_width: float, heat_height: float
) -> tuple[LabelPlan, LabelPlan]:
    rows, columns = request.row_labels, request.column_labels
    row_slot = heat_height / request.rows * 72
    rotation = math.radians(request.drawing.x_rotation)
    column_slot = heat_width / columns.count * 72
    if rotation > 0:
        column_plan = plan_labels(
            columns.count, column_slot * math.sin(rotation), columns.scale, columns.mode, columns.highlighted
        )
    else:
        column_plan = plan_labels(
            columns.count,
            column_slot,
            columns.scale,
            columns.mode,
            columns.highlighted,
            columns.texts.widest(),
        )
    row_plan = plan_labels(
        request.rows, row_slot, rows.scale, rows.mode, [i for i in rows.highlighted if i < request.rows]
    )
    return row_plan, column_plan


def _row_label_width(request: LayoutRequest, plan: LabelPlan) -> float:
    return 0.0 if plan.empty else LABEL_PAD + request.row_labels.texts.widest(plan.step) * plan.font / 72


def _column_label_extent(request: LayoutRequest, plan: LabelPlan) -> float:
    """Inches the column labels reach below the heatmap."""
    strip_name = request.y_strip_name_width * NAME_FONT / 72 if request.y_strip else 0.0
    if plan.empty:
        return LABEL_PAD + strip_name if strip_name else 0.0
    rotation = math.radians(request.drawing.x_rotation)
    length = request.column_labels.texts.widest(plan.step) * plan.font / 72
    thickness = LINE_HEIGHT * plan.font / 72
    return LABEL_PAD + max(length * math.sin(rotation) + thickness * math.cos(rotation), strip_name)


def _column_label_overhang(request: LayoutRequest, plan: LabelPlan, heat_width: float) -> float:
    """Inches the column labels reach left of the heatmap's left edge."""
    if plan.empty:
        return 0.0
    rotation = math.radians(request.drawing.x_rotation)
    length = request.column_labels.texts.widest(plan.step) * plan.font / 72
    if rotation == 0:
        return max(0.0, length / 2 - heat_width / request.column_labels.count / 2)
    if request.drawing.x_rotation >= 90:
        return 0.0
    return length * math.cos(rotation)


def _dendrogram_size(extent: float) -> float:
    return min(1.2, max(0.4, 0.12 * extent))


def _name_height() -> float:
    return NAME_GAP + LINE_HEIGHT * NAME_FONT / 72


def _title_length(title: str) -> float:
    """Inches an axis title (or the colour bar's label) takes along its axis at :data:`NAME_FONT`, with
    a margin for the text's box; 0 for none."""
    return text_width(title, size=NAME_FONT) / 72 + NAME_GAP if title else 0.0


def _x_title_height(request: LayoutRequest) -> float:
    return _name_height() if request.x_title else 0.0


def _left_of_heatmap(request: LayoutRequest, left_parts: float, overhang: float, heat_height: float):
    """``(reach, title)``: inches from the left margin to the heatmap, and from the y title's left edge
    to the heatmap (0 without a y title). The title sits beside ``left_parts`` (dendrogram and strip)
    when it is no longer than the rows of the shortest page, so it cannot meet column labels reaching
    ``overhang`` inches left under the heatmap; a longer one also clears those."""
    if not request.y_title:
        return max(left_parts, overhang), 0.0
    length = _title_length(request.y_title)
    shortest = heat_height * (request.fewest_rows or request.rows) / request.rows
    beside = left_parts if length <= shortest else max(left_parts, overhang)
    title = beside + _name_height()
    return max(title, overhang), title


def _colorbar_size(request: LayoutRequest, heat_height: float, below: float) -> tuple[float, float, int]:
    """Height of the colour bar (at least its label's length, room permitting), its tick font and
    number of ticks; ``below`` is the room under the heatmap's top for the bar and the missing-cell
    patch."""
    missing = request.missing_legend.size(1)[1] + GAP if request.missing_legend else 0.0
    label = _title_length(request.colorbar_label)
    height = min(max(1.0, min(4.0, 0.5 * heat_height), label), max(below - missing, 0.3))
    font = max(
        min(
            COLORBAR_FONT_LARGEST,
            request.drawing.color_bar_labels_scale * height * 72 / COLORBAR_TICK_COUNT / LINE_HEIGHT,
        ),
        4.0,
    )
    ticks = max(2, min(COLORBAR_TICK_COUNT, int(height * 72 / (2.5 * font))))
    return height, font, ticks


def _colorbar_label_font(request: LayoutRequest, bar_height: float) -> float:
    """The colour bar label's font: the axis titles' size, smaller (down to the smallest legible)
    when the label would be longer than the bar."""
    length = text_width(request.colorbar_label, size=1.0) / 72
    if length * NAME_FONT + NAME_GAP <= bar_height:
        return NAME_FONT
    return max(SMALLEST_FONT, (bar_height - NAME_GAP) / length)


def _colorbar_block_width(request: LayoutRequest, font: float) -> float:
    if not request.drawing.cbar:
        return request.missing_legend.size(1)[0] if request.missing_legend else 0.0
    fixed = COLORBAR_WIDTH if request.drawing.colorbar_ratio is None else 0.0
    block = (
        fixed + COLORBAR_TICKS + request.colorbar_tick_width * font / 72 + GAP + LINE_HEIGHT * NAME_FONT / 72
    )
    if request.missing_legend:
        block = max(block, request.missing_legend.size(1)[0])
    return block


def _legend_columns(request: LayoutRequest, room: float) -> list[tuple[int, float]]:
    """(columns, width) of each strip legend, fitted to ``room`` inches of height."""
    fitted = []
    for spec in request.legends:
        columns = spec.columns_to_fit(room)
        fitted.append((columns, spec.size(columns)[0]))
    return fitted


def _horizontal(
    request: LayoutRequest, heat_width: float, heat_height: float, row_plan: LabelPlan, column_plan: LabelPlan
) -> _Extent:
    drawing = request.drawing
    fixed = 2 * MARGIN
    ratio = 0.0
    left_parts = 0.0
    if request.y_dendrogram:
        left_parts += _dendrogram_size(heat_width) + GAP
    if request.y_strip:
        if drawing.color_y_ratio is None:
            left_parts += STRIP + STRIP_GAP
        else:
            left_parts += STRIP_GAP
            ratio += drawing.color_y_ratio
    overhang = _column_label_overhang(request, column_plan, heat_width)
    fixed += _left_of_heatmap(request, left_parts, overhang, heat_height)[0]
    fixed += _row_label_width(request, row_plan)
    below = heat_height + _column_label_extent(request, column_plan) + _x_title_height(request)
    _, font, _ = _colorbar_size(request, heat_height, below)
    block = _colorbar_block_width(request, font)
    if block:
        fixed += PANEL_GAP + block
    if drawing.cbar and drawing.colorbar_ratio is not None:
        ratio += drawing.colorbar_ratio
    for _, legend_width in _legend_columns(request, below):
        fixed += GAP + legend_width
    return _Extent(fixed, ratio)


def _vertical(
    request: LayoutRequest, heat_width: float, heat_height: float, row_plan: LabelPlan, column_plan: LabelPlan
) -> _Extent:
    drawing = request.drawing
    fixed = 2 * MARGIN + _column_label_extent(request, column_plan) + _x_title_height(request)
    ratio = 0.0
    if request.title:
        fixed += _title_height()
    if request.x_dendrogram:
        fixed += _dendrogram_size(heat_height) + GAP
    if request.x_strip:
        if drawing.color_x_ratio is None:
            fixed += STRIP + STRIP_GAP
        else:
            fixed += STRIP_GAP
            ratio += drawing.color_x_ratio
    return _Extent(fixed, ratio)


def _title_height() -> float:
    return LINE_HEIGHT * TITLE_FONT * 1.4 / 72


def _refuse_too_small(
    request: LayoutRequest, heat_width: float, heat_height: float, other_width: float, other_height: float
) -> None:
    drawing = request.drawing
    for given, left, other, side in (
        (drawing.width, heat_width, other_width, "width"),
        (drawing.height, heat_height, other_height, "height"),
    ):
        if left < SMALLEST_DRAWABLE:
            if given is None:  # pragma: no cover - the default size always leaves room
                raise UsageError("The figure cannot fit its labels and legends within its largest default size.")
            raise UsageError(
                f"--width-height: a {side} of {given:g} in leaves {max(left, 0):.2f} in for the heatmap once the "
                f"labels, colour bar and legends take their {other:.1f} in. Give a {side} of at least "
                f"{other + 1:.0f} in, or make the labels smaller (--x-tick-labels-scale, --y-tick-labels-scale)."
            )


def _place(
    request: LayoutRequest,
    width: float,
    height: float,
    heat_width: float,
    heat_height: float,
    row_plan: LabelPlan,
    column_plan: LabelPlan,
) -> Layout:
    drawing = request.drawing
    # left to right
    left_parts = (_dendrogram_size(heat_width) + GAP if request.y_dendrogram else 0.0) + (
        (STRIP if drawing.color_y_ratio is None else drawing.color_y_ratio * width) + STRIP_GAP
        if request.y_strip
        else 0.0
    )
    overhang = _column_label_overhang(request, column_plan, heat_width)
    reach, y_title_reach = _left_of_heatmap(request, left_parts, overhang, heat_height)
    x = MARGIN + reach - left_parts
    y_name_x = MARGIN + reach - y_title_reach
    y_dendrogram_x = y_strip_x = 0.0
    if request.y_dendrogram:
        y_dendrogram_x = x
        x += _dendrogram_size(heat_width) + GAP
    strip_width = STRIP if drawing.color_y_ratio is None else drawing.color_y_ratio * width
    if request.y_strip:
        y_strip_x = x
        x += strip_width + STRIP_GAP
    heat_left = x
    x += heat_width
    row_labels_x = x + LABEL_PAD
    x += _row_label_width(request, row_plan)
    # top to bottom
    y = height - MARGIN
    title_y = y
    if request.title:
        y -= _title_height()
    x_dendrogram_top = y
    if request.x_dendrogram:
        y -= _dendrogram_size(heat_height) + GAP
    strip_height = STRIP if drawing.color_x_ratio is None else drawing.color_x_ratio * height
    x_strip_top = y
    if request.x_strip:
        y -= strip_height + STRIP_GAP
    heat_top = y
    heat_bottom = heat_top - heat_height
    column_extent = _column_label_extent(request, column_plan)
    x_name_y = heat_bottom - column_extent - NAME_GAP
    below = heat_height + column_extent + _x_title_height(request)
    colorbar_height, colorbar_font, colorbar_ticks = _colorbar_size(request, heat_height, below)
    # the right-hand panel
    panel_x = x + PANEL_GAP
    colorbar = None
    if drawing.cbar:
        bar_width = COLORBAR_WIDTH if drawing.colorbar_ratio is None else drawing.colorbar_ratio * width
        colorbar = Box(panel_x, heat_top - colorbar_height, bar_width, colorbar_height)
    missing_at = None
    if request.missing_legend is not None:
        missing_at = (panel_x, heat_top - (colorbar_height + GAP if drawing.cbar else 0.0))
    x = (
        panel_x
        + _colorbar_block_width(request, colorbar_font)
        + (colorbar.width if colorbar and drawing.colorbar_ratio is not None else 0.0)
    )
    legends_at = []
    for columns, legend_width in _legend_columns(request, below):
        x += GAP
        legends_at.append((x, heat_top, columns))
        x += legend_width
    heatmap = Box(heat_left, heat_bottom, heat_width, heat_height)
    return Layout(
        width=width,
        height=height,
        heatmap=heatmap,
        cell_height=heat_height / request.rows,
        row_plan=row_plan,
        column_plan=column_plan,
        rotation=drawing.x_rotation,
        row_labels=None
        if row_plan.empty
        else Box(row_labels_x, heat_bottom, _row_label_width(request, row_plan) - LABEL_PAD, heat_height),
        column_labels=None
        if column_plan.empty
        else Box(heat_left, heat_bottom - column_extent, heat_width, column_extent - LABEL_PAD),
        y_dendrogram=Box(y_dendrogram_x, heat_bottom, _dendrogram_size(heat_width), heat_height)
        if request.y_dendrogram
        else None,
        x_dendrogram=Box(
            heat_left,
            x_dendrogram_top - _dendrogram_size(heat_height),
            heat_width,
            _dendrogram_size(heat_height),
        )
        if request.x_dendrogram
        else None,
        y_strip=Box(y_strip_x, heat_bottom, strip_width, heat_height) if request.y_strip else None,
        x_strip=Box(heat_left, x_strip_top - strip_height, heat_width, strip_height)
        if request.x_strip
        else None,
        colorbar=colorbar,
        colorbar_font=colorbar_font,
        colorbar_ticks=colorbar_ticks,
        colorbar_label_font=_colorbar_label_font(request, colorbar_height),
        missing_legend_at=missing_at,
        legends_at=tuple(legends_at),
        title_at=(heat_left + heat_width / 2, title_y),
        x_name_at=(heat_left + heat_width / 2, x_name_y),
        y_name_at=(y_name_x, heat_bottom + heat_height / 2),
    )
