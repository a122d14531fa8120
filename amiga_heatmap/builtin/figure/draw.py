"""The figure(s) of a heatmap result: one matplotlib Figure per page, laid out by :mod:`.layout`.

Figures are standalone (never pyplot). Each part sits on its own axes, named by its label so that
callers and tests can find it: ``heatmap``, ``row labels``, ``column labels``, ``row colours``,
``column colours``, ``row dendrogram``, ``column dendrogram``, ``colour bar``. Legends are figure
legends whose ``gid`` is ``x legend``, ``y legend`` or ``missing cells`` (``bins`` with ``bins``: the
categories come first; with ``mark`` the stars' lines follow); the stars are texts with the ``gid``
``mark`` (:mod:`.marks`); the title and the axis titles are figure texts with the ``gid`` ``title``,
``x name`` and ``y name`` (left out when ``x_title`` or ``y_title`` is ``''``). The colour bar's label
(``cbar_kws.label``, default the value's name) is the colour bar axes' own label.

The cell panel and the colour bar are drawn by ``seaborn.heatmap`` (:mod:`.cells`: over
:data:`~.cells.VECTOR_CELLS` cells as one image, so a 2,000 x 400 heatmap is a small PDF that opens
quickly, while text and lines stay vector). Row and column labels are :class:`.label_artist.LabelArtist`
objects (not axis ticks, nor one Text each, which cost several times more), regular and highlighted ones
apart.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ...pipeline.labels.metadata import as_text
from . import dendrogram
from .blocks import Spacing, block_dendrogram, draw_gaps, spacing_of
from .cells import SEAM_WIDTH, VECTOR_CELLS, contrasting, draw_cells, drawn_colours
from .label_artist import LabelArtist
from .labels import AxisTexts, report_thinning, text_width, thinned
from .layout import NAME_FONT, STRIP_GAP, TITLE_FONT, AxisLabels, Layout, LayoutRequest, plan_layout
from .legends import (
    INFINITE_CELLS,
    LEGEND_FONT,
    MASKED_CELLS,
    MISSING_CELLS,
    NONPOSITIVE_CELLS,
    OUTSIDE_BINS,
    LegendSpec,
    draw_legend,
)
from .marks import Marks, draw_marks, plan_marks
from .options import Drawing
from .scale import OUTSIDE_BINS_COLOR, ColourScale, colour_scale, shows_ratios

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.colorbar import Colorbar
    from matplotlib.figure import Figure

    from ...result import HeatmapResult

log = logging.getLogger("amiga_heatmap")

HIGHLIGHT = {"color": "red", "weight": "bold"}


@dataclass(frozen=True)
class Plan:
    """What every page shares: the matrix values, the user's mask (True: hidden; or None), the colour
    scale, the layout, the texts and the dendrograms."""

    values: np.ndarray
    mask: np.ndarray | None
    scale: ColourScale
    layout: Layout
    rows_per_page: int
    row_texts: list[str]
    column_texts: list[str]
    row_highlighted: np.ndarray
    column_highlighted: np.ndarray
    row_shapes: np.ndarray | None
    column_shapes: np.ndarray | None
    legends: tuple[LegendSpec, ...]
    missing_legend: LegendSpec | None
    marks: Marks | None = None
    spacing: Spacing | None = None  # the gaps of split axes (:mod:`.blocks`); values, mask, texts on its grid


def page_count(result: HeatmapResult, drawing: Drawing) -> int:
    """How many pages ``result`` takes with these options."""
    rows = len(spacing_of(result).rows)
    return max(1, math.ceil(rows / (drawing.rows_per_page or rows or 1)))


def figure_pages(result: HeatmapResult, drawing: Drawing) -> Iterator[Figure]:
    """Yield the figure of each page in turn (one page unless ``rows_per_page`` splits the rows)."""
    plan = plan_figure(result, drawing)
    rows = len(plan.row_texts)
    pages = page_count(result, drawing)
    for page in range(pages):
        start = page * plan.rows_per_page
        stop = min(rows, start + plan.rows_per_page)
        yield draw_page(result, drawing, plan, start, stop, page, pages)


def plan_figure(result: HeatmapResult, drawing: Drawing) -> Plan:
    """Compute the colour scale, legends, label measurements and layout shared by every page."""
    import numpy as np

    values = result.matrix.to_numpy(dtype=float)
    scale = colour_scale(values, shows_ratios(result), drawing)
    marks = plan_marks(result, drawing)
    spacing = spacing_of(result)
    row_texts = spacing.texts([as_text(label) for label in result.matrix.index], "y")
    column_texts = spacing.texts([as_text(label) for label in result.matrix.columns], "x")
    row_highlighted = spacing.positions(_positions(result.matrix.index, result.highlighted.get("y", [])), "y")
    column_highlighted = spacing.positions(_positions(result.matrix.columns, result.highlighted.get("x", [])), "x")
    rows_per_page = min(drawing.rows_per_page or len(row_texts), len(row_texts))
    fewest_rows = len(row_texts) - (page_count(result, drawing) - 1) * rows_per_page
    x_title, y_title = axis_titles(result, drawing)
    inside = drawing.legend in ("inside", "both")
    legends = tuple(
        LegendSpec(colors.column, colors.legend, f"{colors.axis} legend")
        for colors in (result.x_colors, result.y_colors)
        if colors is not None and inside
    )
    mask = _mask(drawing.mask, result.matrix)
    shown = values if mask is None else np.where(mask, 0.0, values)
    special = {MISSING_CELLS: drawing.missing_cell_color} if np.isnan(shown).any() else {}
    hatches = {}
    if np.isinf(shown).any():
        special[INFINITE_CELLS] = drawing.infinite_cell_color
        if drawing.infinite_cell_hatch:
            hatches[INFINITE_CELLS] = (drawing.infinite_cell_hatch, contrasting(drawing.infinite_cell_color))
    visible = np.ones(values.shape, dtype=bool) if mask is None else ~mask
    if (scale.unplaceable(values) & visible).any():
        special[NONPOSITIVE_CELLS] = drawing.nonpositive_cell_color
    if (scale.outside_bins(values) & visible).any():
        special[OUTSIDE_BINS] = OUTSIDE_BINS_COLOR
    if mask is not None and mask.any():
        special[MASKED_CELLS] = drawing.missing_cell_color
    if scale.categories:
        entries = {**scale.categories, **special, **(marks.legend if marks else {})}
        missing_legend = LegendSpec(drawing.cbar_kws.get("label", result.value), entries, "bins", hatches)
    else:
        special.update(marks.legend if marks else {})
        missing_legend = LegendSpec(None, special, "missing cells", hatches) if special else None
    tick_texts = [scale.tick_format.format(x=tick) for tick in scale.ticks(6)]
    row_shapes = _shapes(result.row_linkage, drawing, result.row_blocks, spacing, "y")
    column_shapes = _shapes(result.column_linkage, drawing, result.column_blocks, spacing, "x")
    if drawing.show_dendrogram and not _clustered(result):
        warnings.warn(
            "--show-dendrogram draws nothing: neither axis is clustered (add --cluster-x or --cluster-y).",
            stacklevel=3,
        )
    request = LayoutRequest(
        rows=rows_per_page,
        row_labels=AxisLabels(
            AxisTexts(row_texts, row_highlighted.tolist()), drawing.y_tick_labels_scale, drawing.yticklabels
        ),
        column_labels=AxisLabels(
            AxisTexts(column_texts, column_highlighted.tolist()),
            drawing.x_tick_labels_scale,
            drawing.xticklabels,
        ),
        drawing=drawing,
        title=result.title,
        x_dendrogram=column_shapes is not None,
        y_dendrogram=row_shapes is not None,
        x_strip=result.x_colors is not None,
        y_strip=result.y_colors is not None,
        y_strip_name_width=text_width(result.y_colors.column) if result.y_colors is not None else 0.0,
        legends=legends,
        missing_legend=missing_legend,
        colorbar_tick_width=max(text_width(text) for text in tick_texts),
        x_title=x_title,
        y_title=y_title,
        colorbar_label=colorbar_label(result, drawing) if drawing.cbar else "",
        fewest_rows=fewest_rows,
    )
    layout = plan_layout(request)
    report_thinning(
        layout.row_plan, rows_per_page, f"{result.y} (row)", "--y-tick-labels-scale or yticklabels"
    )
    report_thinning(
        layout.column_plan, len(column_texts), f"{result.x} (column)", "--x-tick-labels-scale or xticklabels"
    )
    log.info(
        "figure: %.1f x %.1f in, %d cells%s",
        layout.width,
        layout.height,
        values.size,
        " drawn as an image" if values.size > VECTOR_CELLS else "",
    )
    if spacing.split:
        values = spacing.grid(values, float("nan"))
        mask = spacing.gaps() if mask is None else spacing.grid(mask, False) | spacing.gaps()
        if marks is not None:
            marks = replace(marks, stars=spacing.grid(marks.stars, ""))
    return Plan(
        values,
        mask,
        scale,
        layout,
        rows_per_page,
        row_texts,
        column_texts,
        row_highlighted,
        column_highlighted,
        row_shapes,
        column_shapes,
        legends,
        missing_legend,
        marks,
        spacing,
    )


def axis_titles(result: HeatmapResult, drawing: Drawing) -> tuple[str, str]:
    """The x and y titles: ``x_title``/``y_title`` when given ('' for none), else the columns' names."""
    return (
        result.x if drawing.x_title is None else drawing.x_title,
        result.y if drawing.y_title is None else drawing.y_title,
    )


def colorbar_label(result: HeatmapResult, drawing: Drawing) -> str:
    """The colour bar's label: ``cbar_kws.label`` when given, else the value's name."""
    return str(drawing.cbar_kws.get("label", result.value))


def _mask(mask, matrix) -> np.ndarray | None:
    """The user's ``mask`` as a boolean array of the matrix's shape (a DataFrame is matched by labels,
    cells it lacks shown), or None; a mask of another shape is a UsageError."""
    if mask is None:
        return None
    import numpy as np
    import pandas as pd

    from ...errors import UsageError

    if isinstance(mask, pd.DataFrame):
        mask = mask.reindex(index=matrix.index, columns=matrix.columns).fillna(False)
    array = np.asarray(mask)
    if array.shape != matrix.shape:
        raise UsageError(
            f"The mask has the shape {array.shape}, but the heatmap has {matrix.shape[0]} rows and "
            f"{matrix.shape[1]} columns; build it from result.matrix (e.g. result.matrix < 1.2)."
        )
    return array.astype(bool)


def _positions(labels, chosen) -> np.ndarray:
    import numpy as np

    if not len(chosen):
        return np.empty(0, dtype=int)
    found = labels.get_indexer(list(chosen))
    return np.sort(found[found >= 0])


def _clustered(result: HeatmapResult) -> bool:
    """Whether an axis of ``result`` is clustered, as a whole or block by block."""
    blocks = (result.row_blocks, result.column_blocks)
    return (result.row_linkage is not None or result.column_linkage is not None
            or any(linkage is not None for axis in blocks if axis is not None for linkage in axis.linkages))


def _shapes(linkage, drawing: Drawing, blocks=None, spacing: Spacing | None = None, axis: str = "y") -> np.ndarray | None:
    """The dendrogram shapes of one axis (one tree per block of a split axis), or None when not shown
    (not asked, or not clustered)."""
    if drawing.show_dendrogram and blocks is not None:
        return block_dendrogram(blocks, spacing, axis)
    if not drawing.show_dendrogram or linkage is None or not len(linkage):
        return None
    from scipy.cluster.hierarchy import leaves_list

    return dendrogram.segments(linkage, leaves_list(linkage))


def draw_page(
    result: HeatmapResult, drawing: Drawing, plan: Plan, start: int, stop: int, page: int, pages: int
) -> Figure:
    """The figure of rows ``start``..``stop`` (page ``page`` of ``pages``, counting from 0).

    Every text is drawn as written: a label such as ``$5 $\\alpha$`` is never read as mathematics.
    """
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        return _draw_page(result, drawing, plan, start, stop, page, pages)


def _draw_page(
    result: HeatmapResult, drawing: Drawing, plan: Plan, start: int, stop: int, page: int, pages: int
) -> Figure:
    from matplotlib.figure import Figure

    layout = plan.layout.for_page(stop - start, plan.rows_per_page)
    figure = Figure(figsize=(layout.width, layout.height))
    draw_parts(figure, layout, result, drawing, plan, start, stop, page, pages)
    return figure


def draw_parts(
    figure: Figure, layout: Layout, result: HeatmapResult, drawing: Drawing, plan: Plan, start: int, stop: int,
    page: int, pages: int,
) -> None:
    """Draw every part of the page on ``figure`` where ``layout`` (the page's, in inches on ``figure``,
    whose size ``layout.width`` x ``layout.height`` is) puts it; the panels of several values share one
    figure this way (:mod:`.panels`)."""
    import numpy as np

    size = (layout.width, layout.height)
    heat = figure.add_axes(layout.heatmap.fractions(*size), label="heatmap")
    colorbar_axes = None
    if layout.colorbar is not None:
        colorbar_axes = figure.add_axes(layout.colorbar.fractions(*size), label="colour bar")
    mask = None if plan.mask is None else plan.mask[start:stop]
    values = plan.values[start:stop]
    bar = draw_cells(heat, colorbar_axes, values, mask, plan.scale, drawing)
    if plan.spacing is not None and plan.spacing.split:
        draw_gaps(heat, plan.spacing, start, stop, layout.cell_height)
    if bar is not None:
        _style_colorbar(bar, layout, drawing, colorbar_label(result, drawing), plan.scale)
    if plan.marks is not None:
        stars = plan.marks.stars[start:stop] if mask is None else np.where(mask, "", plan.marks.stars[start:stop])
        colours = drawn_colours(values, mask, plan.scale, drawing)
        draw_marks(heat, stars, colours, drawing.annot, plan.marks.widest)
    _draw_row_labels(figure, layout, plan, start, stop)
    _draw_column_labels(figure, layout, plan)
    _draw_strips(figure, layout, result, start, stop, plan.spacing)
    if plan.row_shapes is not None:
        dendrogram.draw(
            figure.add_axes(layout.y_dendrogram.fractions(*size), label="row dendrogram"),
            plan.row_shapes,
            "y",
            start,
            stop,
        )
    if plan.column_shapes is not None:
        dendrogram.draw(
            figure.add_axes(layout.x_dendrogram.fractions(*size), label="column dendrogram"),
            plan.column_shapes,
            "x",
            0,
            len(plan.column_texts),
        )
    if plan.missing_legend is not None:
        draw_legend(figure, plan.missing_legend, *layout.missing_legend_at, 1)
    for spec, (left, top, columns) in zip(plan.legends, layout.legends_at):
        draw_legend(figure, spec, left, top, columns)
    _draw_names(figure, layout, result, drawing, page, pages)


def _draw_row_labels(figure: Figure, layout: Layout, plan: Plan, start: int, stop: int) -> None:
    if layout.row_labels is None:
        return
    import numpy as np

    axes = figure.add_axes(layout.row_labels.fractions(layout.width, layout.height), label="row labels")
    axes.set_xlim(0, 1)
    axes.set_ylim(stop - start, 0)
    axes.set_axis_off()
    on_page = plan.row_highlighted[(plan.row_highlighted >= start) & (plan.row_highlighted < stop)] - start
    shown = (
        thinned(stop - start, layout.row_plan.step, on_page)
        if layout.row_plan.step > 1
        else np.arange(stop - start)
    )
    for positions, style in _split_highlighted(shown, on_page):
        anchors = np.column_stack([np.zeros(len(positions)), positions + 0.5])
        texts = [plan.row_texts[start + position] for position in positions.tolist()]
        _add_labels(axes, LabelArtist(texts, anchors, layout.row_plan.font, "left", **style))


def _draw_column_labels(figure: Figure, layout: Layout, plan: Plan) -> None:
    if layout.column_labels is None:
        return
    import numpy as np

    axes = figure.add_axes(layout.column_labels.fractions(layout.width, layout.height), label="column labels")
    axes.set_xlim(0, len(plan.column_texts))
    axes.set_ylim(0, 1)
    axes.set_axis_off()
    for positions, style in _split_highlighted(layout.column_plan.shown, plan.column_highlighted):
        anchors = np.column_stack([positions + 0.5, np.ones(len(positions))])
        texts = [plan.column_texts[position] for position in positions.tolist()]
        artist = LabelArtist(
            texts, anchors, layout.column_plan.font, "below", rotation=layout.rotation, **style
        )
        _add_labels(axes, artist)


def _split_highlighted(shown: np.ndarray, highlighted: np.ndarray) -> list[tuple[np.ndarray, dict]]:
    """The regular and the highlighted positions of ``shown``, each with its text style."""
    import numpy as np

    marked = np.isin(shown, highlighted)
    return [(shown[~marked], {}), (shown[marked], HIGHLIGHT)]


def _add_labels(axes: Axes, artist: LabelArtist) -> None:
    artist.set_transform(axes.transData)
    axes.add_artist(artist)


def _draw_strips(
    figure: Figure, layout: Layout, result: HeatmapResult, start: int, stop: int, spacing: Spacing | None = None
) -> None:
    import numpy as np
    from matplotlib.colors import to_rgb

    size = (layout.width, layout.height)
    background = figure.get_facecolor()

    def on_grid(colors, axis: str) -> list:
        return list(colors) if spacing is None else spacing.colours(list(colors), axis, background)

    if result.y_colors is not None:
        colours = np.array([to_rgb(color) for color in on_grid(result.y_colors.colors, "y")[start:stop]])
        axes = figure.add_axes(layout.y_strip.fractions(*size), label="row colours")
        axes.imshow(colours[:, None, :], interpolation="none", aspect="auto", extent=(0, 1, stop - start, 0))
        axes.set_axis_off()
        figure.text(
            layout.y_strip.left + layout.y_strip.width / 2,
            layout.heatmap.bottom - STRIP_GAP,
            result.y_colors.column,
            rotation=90,
            ha="center",
            va="top",
            fontsize=LEGEND_FONT,
            parse_math=False,
            transform=figure.dpi_scale_trans,
        )
    if result.x_colors is not None:
        colours = np.array([to_rgb(color) for color in on_grid(result.x_colors.colors, "x")])
        axes = figure.add_axes(layout.x_strip.fractions(*size), label="column colours")
        axes.imshow(colours[None, :, :], interpolation="none", aspect="auto", extent=(0, len(colours), 1, 0))
        axes.set_axis_off()
        figure.text(
            layout.heatmap.right + STRIP_GAP,
            layout.x_strip.bottom + layout.x_strip.height / 2,
            result.x_colors.column,
            ha="left",
            va="center",
            fontsize=LEGEND_FONT,
            parse_math=False,
            transform=figure.dpi_scale_trans,
        )


def _style_colorbar(bar: Colorbar, layout: Layout, drawing: Drawing, label: str, scale: ColourScale) -> None:
    """Our ticks (the ``scale``'s: ratios on a log scale), fonts and ``label`` on seaborn's colour bar
    (``cbar_kws.ticks``, ``.format`` and ``.label`` win), and no seams between its bands (see
    :mod:`.cells`)."""
    from matplotlib.ticker import StrMethodFormatter

    if bar.solids is not None:
        rasterized = bool(drawing.mesh_kws.get("rasterized", False))
        bar.solids.set_rasterized(rasterized)  # vector unless asked: no whole-figure rasterisation
        if not rasterized and drawing.mesh_kws.get("alpha", 1.0) == 1.0:
            bar.solids.set_edgecolor("face")
            bar.solids.set_linewidth(SEAM_WIDTH)
    if "ticks" not in drawing.cbar_kws:
        bar.locator = scale.locator(layout.colorbar_ticks)
        bar.minorticks_off()
    if "format" not in drawing.cbar_kws:
        bar.formatter = StrMethodFormatter(scale.tick_format)
    bar.update_ticks()
    bar.ax.tick_params(labelsize=layout.colorbar_font, length=3, width=0.6)
    bar.set_label(label, fontsize=layout.colorbar_label_font)


def _draw_names(
    figure: Figure, layout: Layout, result: HeatmapResult, drawing: Drawing, page: int, pages: int
) -> None:
    """The title and the axis titles (those not set to '')."""
    title = result.title if pages == 1 else f"{result.title} (page {page + 1} of {pages})"
    inches = figure.dpi_scale_trans
    if title:
        half = text_width(title, size=TITLE_FONT) / 72 / 2
        centre = min(max(layout.title_at[0], half + 0.1), layout.width - half - 0.1)
        figure.text(
            centre,
            layout.title_at[1],
            title,
            ha="center",
            va="top",
            fontsize=TITLE_FONT,
            parse_math=False,
            transform=inches,
            gid="title",
        )
    x_title, y_title = axis_titles(result, drawing)
    if x_title:
        figure.text(
            *layout.x_name_at,
            x_title,
            ha="center",
            va="top",
            fontsize=NAME_FONT,
            parse_math=False,
            transform=inches,
            gid="x name",
        )
    if y_title:
        figure.text(
            *layout.y_name_at,
            y_title,
            rotation=90,
            ha="left",
            va="center",
            fontsize=NAME_FONT,
            parse_math=False,
            transform=inches,
            gid="y name",
        )
