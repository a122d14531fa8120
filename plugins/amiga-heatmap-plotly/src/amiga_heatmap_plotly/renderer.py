"""The ``plotly`` renderer: a heatmap result as one interactive, self-contained HTML file.

The file holds plotly.js itself (no CDN, no network access when opened) and the figure; hovering a cell
shows :func:`~amiga_heatmap_plotly.hover.hover_text`. Rows run top to bottom and columns left to right in
the order of ``result.matrix``, as in the PDF; colour bars (:mod:`~amiga_heatmap_plotly.strips`) sit
above the columns and left of the rows. The same result always gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from amiga_heatmap.components import Option, Renderer
from amiga_heatmap.errors import UsageError

from .hover import hover_text
from .strips import strip_trace

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from amiga_heatmap.result import HeatmapResult

OPTIONS = (
    Option("cmap", "plotly colour scale, e.g. Viridis, Cividis, RdBu; append _r to reverse (default Viridis)"),
    Option("vmin", "value at the bottom of the colour scale"),
    Option("vmax", "value at the top of the colour scale"),
    Option("center", "value at the centre of a diverging colour scale"),
    Option("annot", "true: write each cell's value in the cell"),
    Option("fmt", "number format of annotations, e.g. .2f (default .3g)"),
    Option("width", "figure width in inches, as for the PDF (--width-height); default: grows with the columns"),
    Option("height", "figure height in inches, as for the PDF (--width-height); default: grows with the rows"),
)

PIXELS_PER_INCH = 96  # the CSS inch, so --width-height means the same size on screen as on paper

DIV_ID = "amiga-heatmap"
PIXELS_PER_CELL = 22
PIXELS_PER_CHARACTER = 7
STRIP_PIXELS = 18
LARGEST_SIDE = 20000


def figure_size(result: HeatmapResult, strips: Mapping[str, Any]) -> tuple[int, int]:
    """Width and height in pixels: room for every cell, the longest labels and the colour bars."""
    rows, columns = result.matrix.shape
    longest_y = max((len(str(label)) for label in result.matrix.index), default=1)
    longest_x = max((len(str(label)) for label in result.matrix.columns), default=1)
    width = 260 + PIXELS_PER_CHARACTER * longest_y + max(240, 2 * PIXELS_PER_CELL * columns)
    height = 200 + PIXELS_PER_CHARACTER * longest_x + max(240, PIXELS_PER_CELL * rows)
    width += STRIP_PIXELS if "y" in strips else 0
    height += STRIP_PIXELS if "x" in strips else 0
    return min(width, LARGEST_SIDE), min(height, LARGEST_SIDE)


def colour_scale(name: str) -> str:
    """``name`` if plotly knows it as a colour scale (``_r`` reverses), else a UsageError listing some."""
    import plotly.colors

    known = plotly.colors.named_colorscales()
    if name.lower().removesuffix("_r") not in known:
        raise UsageError(
            f"The plotly renderer does not know the colour scale {name!r} (cmap in --kwargs). Plotly's "
            f"scales include {', '.join(sorted(known)[:12])}, ...; append _r to reverse one, e.g. RdBu_r."
        )
    return name


def build_figure(result: HeatmapResult, options: Mapping[str, Any], strips: Mapping[str, Any] | None = None) -> go.Figure:
    """The plotly Figure of ``result``, with the colour bars ``strips`` (default: the result's own)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    strips = result.colour_strips if strips is None else strips
    x_labels = result.matrix.columns.astype(str).tolist()
    y_labels = result.matrix.index.astype(str).tolist()
    has_x, has_y = "x" in strips, "y" in strips
    width, height = figure_size(result, strips)
    if "width" in options:
        width = round(float(options["width"]) * PIXELS_PER_INCH)
    if "height" in options:
        height = round(float(options["height"]) * PIXELS_PER_INCH)
    strip_share_x = STRIP_PIXELS / height if has_x else 0
    strip_share_y = STRIP_PIXELS / width if has_y else 0
    figure = make_subplots(
        rows=1 + has_x, cols=1 + has_y, shared_xaxes=True, shared_yaxes=True,
        specs=[[None if (has_x and has_y and row == column == 0) else {} for column in range(1 + has_y)]
               for row in range(1 + has_x)],
        row_heights=[strip_share_x, 1 - strip_share_x] if has_x else None,
        column_widths=[strip_share_y, 1 - strip_share_y] if has_y else None,
        horizontal_spacing=0.004, vertical_spacing=0.004,
    )
    main = {"row": 1 + has_x, "col": 1 + has_y}
    fmt = str(options.get("fmt", ".3g"))
    figure.add_trace(
        go.Heatmap(
            z=result.matrix.to_numpy(dtype=float).tolist(), x=x_labels, y=y_labels,
            customdata=hover_text(result).tolist(), hovertemplate="%{customdata}<extra></extra>",
            colorscale=colour_scale(str(options.get("cmap", "Viridis"))),
            zmin=options.get("vmin"), zmax=options.get("vmax"), zmid=options.get("center"),
            texttemplate=f"%{{z:{fmt}}}" if options.get("annot") else None,
            colorbar={"title": {"text": result.value}}, name=result.value,
        ),
        **main,
    )
    if has_x:
        figure.add_trace(strip_trace(strips["x"], "x", x_labels), row=1, col=main["col"])
    if has_y:
        figure.add_trace(strip_trace(strips["y"], "y", y_labels), row=main["row"], col=1)
    figure.update_xaxes(type="category", showgrid=False, tickangle=-90)
    figure.update_yaxes(type="category", showgrid=False, autorange="reversed")
    figure.update_xaxes(title_text=result.x, **main)
    figure.update_yaxes(title_text=result.y, **main)
    if has_x:
        figure.update_xaxes(showticklabels=False, row=1, col=main["col"])
        figure.update_yaxes(autorange=None, row=1, col=main["col"])
    if has_y:
        figure.update_yaxes(showticklabels=False, row=main["row"], col=1)
        figure.update_xaxes(tickangle=-90, row=main["row"], col=1)
    figure.update_layout(title={"text": html.escape(result.title)}, template="plotly_white",
                         width=width, height=height, autosize=False)
    return figure


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result`` to ``path`` as a self-contained HTML page titled with the figure title."""
    page = build_figure(result, options).to_html(
        include_plotlyjs=True, full_html=True, div_id=DIV_ID,
        config={"displaylogo": False, "toImageButtonOptions": {"format": "svg"}},
    )
    page = page.replace("<head>", f"<head>\n    <title>{html.escape(result.title)}</title>", 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)


PLOTLY_RENDERER = Renderer(
    name="plotly",
    formats=("html",),
    render=render,
    description="interactive HTML heatmap (plotly), self-contained: opens offline",
    options=OPTIONS,
    capabilities=frozenset({"colour_strips", "size"}),
    figure=build_figure,
)
