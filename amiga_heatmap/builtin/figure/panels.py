"""Several values side by side (``-v`` repeated): one panel per value on one figure, left to right in
the order the values were given.

Each panel is a whole heatmap of its value, laid out and drawn as a figure of one value would be (its
own colour scale and colour bar, labelled with the value; its title is the value, after the
``--title`` when one is given), in the one row and column order all panels share. The panels' layouts
are placed next to each other on one figure (:func:`placed`): the figure is as wide as the panels
together and as tall as the tallest. The colour-strip legends are drawn once, beside the last panel;
the stars of ``--mark`` (the first value's tests) on the first panel only; ``--width-height`` gives the
size of each panel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from .draw import draw_parts, page_count, plan_figure
from .layout import Box, Layout

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ...result import HeatmapResult
    from .options import Drawing


def panel_results(result: HeatmapResult) -> list[HeatmapResult]:
    """One single-value result per panel: the panel's matrix, value and title, the rest shared."""
    given = result.spec.title if result.spec is not None else None
    return [
        replace(result, matrix=panel, value=value, title=value if given is None else f"{given}: {value}", values=())
        for value, panel in result.panels.items()
    ]


def panel_pages(result: HeatmapResult, drawing: Drawing) -> Iterator[Figure]:
    """Yield the figure of each page (``rows_per_page``), every panel on each."""
    import matplotlib
    from matplotlib.figure import Figure

    panels = panel_results(result)
    first = replace(drawing, legend="separate") if len(panels) > 1 else drawing
    others = replace(drawing, legend="separate", mark=None)
    last = replace(drawing, mark=None)
    drawings = [first, *[others] * (len(panels) - 2), last]  # legends beside the last; stars on the first
    plans = [plan_figure(panel, panel_drawing) for panel, panel_drawing in zip(panels, drawings)]
    rows = len(plans[0].row_texts)
    pages = page_count(result, drawing)
    rows_per_page = plans[0].rows_per_page
    for page in range(pages):
        start, stop = page * rows_per_page, min(rows, (page + 1) * rows_per_page)
        layouts = [plan.layout.for_page(stop - start, plan.rows_per_page) for plan in plans]
        width, height = sum(layout.width for layout in layouts), max(layout.height for layout in layouts)
        figure = Figure(figsize=(width, height))
        left = 0.0
        with matplotlib.rc_context({"text.parse_math": False}):
            for panel, panel_drawing, plan, layout in zip(panels, drawings, plans, layouts):
                on_figure = placed(layout, left, height - layout.height, width, height)
                draw_parts(figure, on_figure, panel, panel_drawing, plan, start, stop, page, pages)
                left += layout.width
        yield figure


def placed(layout: Layout, right: float, up: float, width: float, height: float) -> Layout:
    """``layout`` moved ``right`` and ``up`` inches on a figure of ``width`` x ``height`` inches: every
    box and every ``..._at`` position of it."""
    moved: dict[str, Any] = {"width": width, "height": height}
    for item in fields(layout):
        value = getattr(layout, item.name)
        if isinstance(value, Box):
            moved[item.name] = replace(value, left=value.left + right, bottom=value.bottom + up)
        elif item.name.endswith("_at") and value:
            moved[item.name] = _moved_points(value, right, up)
    return replace(layout, **moved)


def _moved_points(value: tuple, right: float, up: float) -> tuple:
    """An ``(x, y, ...)`` point, or a tuple of them, moved."""
    if isinstance(value[0], tuple):
        return tuple(_moved_points(point, right, up) for point in value)
    return (value[0] + right, value[1] + up, *value[2:])
