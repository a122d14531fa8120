"""amiga-heatmap-plotly: the ``plotly`` renderer, writing ``--format html``.

One self-contained HTML file per heatmap: plotly.js is written into the file, so it opens offline and can
be mailed or archived as is. Hovering a cell shows its x and y labels, its value, the number of
replicates behind it and their spread (standard deviation and range). Rows and columns are in the order
of the result's matrix, the order the PDF shows.

Importing this package does not import plotly or pandas; rendering does.
"""

from amiga_heatmap import hookimpl

from .renderer import PLOTLY_RENDERER

__version__ = "0.1.0"


@hookimpl
def register_renderers(register):
    """Register the plotly renderer (format html)."""
    register(PLOTLY_RENDERER)
