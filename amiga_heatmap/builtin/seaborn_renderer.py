"""The built-in ``seaborn`` renderer: the heatmap as a PDF, PNG or SVG figure.

Figures are built on a standalone :class:`matplotlib.figure.Figure` (never through pyplot), so rendering
changes no global matplotlib state and leaves no figure open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..components import Renderer
from ..hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from ..result import HeatmapResult

OPTIONS_ACCEPTED = {
    "cmap": "colour map name, e.g. viridis, RdBu_r",
    "vmin": "value at the bottom of the colour scale",
    "vmax": "value at the top of the colour scale",
    "center": "value at the centre of a diverging colour scale",
    "robust": "true: set the colour range from the 2nd and 98th percentiles",
    "annot": "true: write each cell's value in the cell",
    "fmt": "number format of annotations, e.g. .2f",
    "linewidths": "width of the lines between cells",
    "linecolor": "colour of the lines between cells",
    "cbar": "false: draw no colour bar",
    "square": "true: square cells",
    "xticklabels": "true, false, or N to label every Nth column",
    "yticklabels": "true, false, or N to label every Nth row",
}

SAVE_METADATA = {
    "pdf": {"CreationDate": None, "Producer": None},
    "svg": {"Date": None},
    "png": {},
}

INCHES_PER_CELL = 0.3
INCHES_PER_CHARACTER = 0.09


def figure_size(result: HeatmapResult) -> tuple[float, float]:
    """Width and height in inches: room for every cell and the longest labels."""
    n_rows, n_columns = result.matrix.shape
    longest_y = max((len(str(label)) for label in result.matrix.index), default=1)
    longest_x = max((len(str(label)) for label in result.matrix.columns), default=1)
    width = 2.5 + INCHES_PER_CHARACTER * longest_y + max(1.5, INCHES_PER_CELL * n_columns * 2)
    height = 1.5 + INCHES_PER_CHARACTER * longest_x + max(1.5, INCHES_PER_CELL * n_rows)
    return min(width, 200.0), min(height, 200.0)


def build_figure(result: HeatmapResult, options: Mapping[str, Any]) -> Figure:
    """Draw ``result`` with seaborn on a new Figure and return it.

    Labels and titles are shown as written: ``$5 $10`` or ``$\\alpha$`` is not read as mathematical
    notation (which would typeset or reject it).
    """
    import matplotlib
    import seaborn as sns
    from matplotlib.figure import Figure

    from ..renderer_options import option_values_checked

    with option_values_checked(options, "seaborn"), matplotlib.rc_context({"text.parse_math": False}):
        figure = Figure(figsize=figure_size(result), layout="constrained")
        axes = figure.add_subplot()
        data, limits, colour_bar = infinite_cells(result.matrix, options)
        drawing = {"cmap": "viridis", "xticklabels": True, "yticklabels": True, **options, **limits}
        sns.heatmap(data, ax=axes, cbar_kws={"label": result.value, **colour_bar}, **drawing)
        axes.set_title(result.title)
        axes.set_xlabel(result.x)
        axes.set_ylabel(result.y)
    return figure


def infinite_cells(matrix: pd.DataFrame, options: Mapping[str, Any]) -> tuple[pd.DataFrame, dict, dict]:
    """How to draw a matrix with infinite cells (AMiGA writes ``inf`` for ``norm(p)`` when the control's
    ``p`` is 0).

    seaborn would leave such cells blank, like missing ones, and stretch the colour scale to infinity.
    Instead the scale spans the finite values (or ``vmin``/``vmax``, or the 2nd to 98th percentile with
    ``robust``), ``inf`` cells take the colour above its top and ``-inf`` cells the one below its bottom,
    the colour bar gets arrows saying so, and annotations still read ``inf``. Returns the matrix to draw,
    the extra ``sns.heatmap`` arguments and the extra colour-bar arguments (all unchanged without
    infinite cells).
    """
    import numpy as np

    values = matrix.to_numpy(dtype=float)
    above, below = np.isposinf(values), np.isneginf(values)
    if not (above.any() or below.any()):
        return matrix, {}, {}
    finite = values[np.isfinite(values)]
    if not finite.size:
        low, high = 0.0, 1.0
    elif options.get("robust"):
        low, high = np.percentile(finite, [2, 98])
    else:
        low, high = finite.min(), finite.max()
    low, high = float(options.get("vmin", low)), float(options.get("vmax", high))
    span = high - low or 1.0
    drawn = matrix.mask(above, high + span).mask(below, low - span)
    limits: dict[str, Any] = {"vmin": low, "vmax": high}
    if options.get("annot") is True:
        limits["annot"] = values
    extend = "both" if above.any() and below.any() else "max" if above.any() else "min"
    return drawn, limits, {"extend": extend}


# Text stays text: TrueType fonts in PDF (accepted by journals, editable in Illustrator or Inkscape) and
# real <text> elements in SVG. Applied only while saving, then restored.
SAVE_SETTINGS = {"pdf.fonttype": 42, "svg.fonttype": "none", "svg.hashsalt": "amiga-heatmap"}


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result`` as a ``file_format`` figure to ``path``, with no time stamp in the metadata."""
    import matplotlib

    figure = build_figure(result, options)
    with matplotlib.rc_context(SAVE_SETTINGS):
        figure.savefig(path, format=file_format, metadata=SAVE_METADATA[file_format], dpi=150)


@hookimpl
def register_renderers(register):
    """Register the seaborn renderer."""
    register(
        Renderer(
            name="seaborn",
            formats=("pdf", "png", "svg"),
            render=render,
            description="seaborn heatmap figure",
            options_accepted=OPTIONS_ACCEPTED,
            figure=build_figure,
        )
    )
