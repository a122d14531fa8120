"""The built-in ``seaborn`` renderer: the heatmap as a PDF, PNG or SVG figure.

Figures are built on standalone :class:`matplotlib.figure.Figure` objects (never through pyplot), so
rendering changes no global matplotlib state and leaves no figure open. The drawing itself lives in
:mod:`amiga_heatmap.builtin.figure`; this module registers the renderer, checks its options, writes the
files (a PDF of several pages with ``rows_per_page``) and the separate legend files. Option values are
checked before drawing (:mod:`.figure.options`); a value matplotlib still rejects while drawing becomes
a UsageError too (:func:`amiga_heatmap.rendering.kwargs.option_values_checked`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..plugin_system.components import Renderer
from ..plugin_system.hookspecs import hookimpl
from ..rendering.kwargs import option_values_checked
from .figure.options import OPTIONS, read_options

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..result import HeatmapResult

log = logging.getLogger("amiga_heatmap")

SAVE_METADATA = {
    "pdf": {"CreationDate": None, "Producer": None},
    "svg": {"Date": None},
    "png": {},
}
# Text stays text: TrueType fonts in PDF (accepted by journals, editable in Illustrator or Inkscape) and
# real <text> elements in SVG. Applied only while saving, then restored.
SAVE_SETTINGS = {"pdf.fonttype": 42, "svg.fonttype": "none", "svg.hashsalt": "amiga-heatmap"}
DPI = 150
LARGEST_IMAGE = 30e6  # pixels: PNGs of larger figures get a lower resolution


def check_options(options: Mapping[str, Any], file_format: str | None) -> None:
    """Raise UsageError for a bad option value (see :mod:`.figure.options`)."""
    read_options(options, file_format)


def build_figure(result: HeatmapResult, options: Mapping[str, Any]) -> Figure:
    """Draw ``result`` on a new Figure and return it (one page: ``rows_per_page`` needs ``save``)."""
    from .figure.draw import page_count

    drawing = read_options(options, shape=result.matrix.shape)
    pages = page_count(result, drawing)
    if pages > 1:
        raise UsageError(
            f"rows_per_page={drawing.rows_per_page} splits the {result.matrix.shape[0]} rows over {pages} pages, "
            "which one Figure cannot hold; save a PDF with result.save('name.pdf', rows_per_page=...) instead."
        )
    with option_values_checked(options, "seaborn"):
        return next(_pages(result, drawing))


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result`` as a ``file_format`` figure to ``path``, with no time stamp in the metadata."""
    import matplotlib

    drawing = read_options(options, file_format, shape=result.matrix.shape)
    pages = _pages(result, drawing)
    with option_values_checked(options, "seaborn"), matplotlib.rc_context(SAVE_SETTINGS):
        if file_format == "pdf":
            from matplotlib.backends.backend_pdf import PdfPages

            with PdfPages(path, metadata=SAVE_METADATA["pdf"]) as document:
                for page in pages:
                    document.savefig(page)
        else:
            figure = next(pages)
            figure.savefig(
                path,
                format=file_format,
                metadata=SAVE_METADATA[file_format],
                dpi=image_dpi(figure, file_format),
            )


def _pages(result: HeatmapResult, drawing: Any) -> Iterator[Figure]:
    """The figure of each page: one heatmap, or a panel per value side by side (:mod:`.figure.panels`)."""
    if len(result.values) > 1:
        from .figure.panels import panel_pages

        return panel_pages(result, drawing)
    from .figure.draw import figure_pages

    return figure_pages(result, drawing)


def image_dpi(figure: Figure, file_format: str) -> float:
    """150 dots per inch, less for a PNG that would exceed :data:`LARGEST_IMAGE` pixels."""
    width, height = figure.get_size_inches()
    if file_format != "png" or width * height * DPI**2 <= LARGEST_IMAGE:
        return DPI
    dpi = math.floor(math.sqrt(LARGEST_IMAGE / (width * height)))
    log.info(
        "the %.0f x %.0f in figure is saved as PNG at %d dpi (at most %.0f million pixels)",
        width,
        height,
        dpi,
        LARGEST_IMAGE / 1e6,
    )
    return dpi


def companions(result: HeatmapResult, options: Mapping[str, Any], file_format: str) -> dict[str, Any]:
    """The separate legend files ``_x_legend.FORMAT`` / ``_y_legend.FORMAT`` of the colour strips
    (unless ``legend`` is ``inside``)."""
    drawing = read_options(options, file_format)
    if drawing.legend == "inside":
        return {}
    return {
        f"_{colors.axis}_legend.{file_format}": _legend_writer(
            colors.column, colors.legend, colors.axis, file_format
        )
        for colors in (result.x_colors, result.y_colors)
        if colors is not None
    }


def _legend_writer(title: str, entries: dict[str, str], axis: str, file_format: str):
    def write(path: str) -> None:
        import matplotlib

        from .figure.legends import LegendSpec, legend_figure

        figure = legend_figure(LegendSpec(title, entries, f"{axis} legend"))
        with matplotlib.rc_context(SAVE_SETTINGS):
            figure.savefig(path, format=file_format, metadata=SAVE_METADATA[file_format], dpi=DPI)

    return write


@hookimpl
def register_renderers(register):
    """Register the seaborn renderer."""
    register(
        Renderer(
            name="seaborn",
            formats=("pdf", "png", "svg"),
            render=render,
            description="heatmap figure (colour bar, colour strips, dendrograms, legends)",
            options=OPTIONS,
            capabilities=frozenset({"colour_strips", "highlights", "pages", "dendrograms", "size", "blocks",
                                    "panels"}),
            figure=build_figure,
            check_options=check_options,
            companions=companions,
        )
    )
