"""Stars on the cells a test found different: with ``mark`` (``q`` or ``p``), ``*``, ``**`` and ``***``
on the cells whose q-value (or p-value) of ``--test`` is below the first, second and third of
``mark_thresholds`` (0.05, 0.01, 0.001).

- The stars are taken from the test results by label (:func:`plan_marks`): each cell of the plotted
  matrix looks up its own (y, x) pair, so clustering, sorting, filtering and pages cannot move a star
  to another cell (drawing a matrix of marks computed before reordering, by position, is the
  annotation-after-clustering mistake seaborn users meet).
- Each mark is a text artist with the ``gid`` :data:`MARK_GID` anchored (its position, in the cell
  panel's data units) at its cell's centre, or in the cell's upper right corner when the cell's number
  is written (``annot``); the glyphs are centred on the anchor (hang from it, in the corner) by a shift
  in points. Marks are sized to the cell: its glyphs fill
  at most 70 % of the cell's height and 90 % of its width, at most :data:`LARGEST_MARK` points. Its
  colour is dark on light cells and white on dark ones, by the colour the cell is drawn in.
- The legend under the colour bar says what the stars mean, which test made them, that q is the
  Benjamini-Hochberg q-value, and how many plotted cells have no p-value (their ``note`` in the cell
  table says why).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...errors import UsageError
from ...options.declaration import option_label
from .cells import contrasting
from .options import OPTIONS, Drawing

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.axes import Axes

    from ...result import HeatmapResult

MARK_GID = "mark"
STAR = "*"
LARGEST_MARK = 16.0  # points
GLYPH_HEIGHT = 0.456  # the asterisk's ink height, in font sizes (DejaVu Sans)
GLYPH_MIDDLE = 0.514  # the height of its middle above the baseline, in font sizes
GLYPH_TOP = 0.742  # the height of its top above the baseline, in font sizes
CORNER = 0.04  # the gap between a corner mark and the cell's edges, in cells
STAR_WIDTH = 0.5  # the advance of one asterisk, in font sizes
ANNOTATED_SHARE = 0.5  # the size of a mark beside a cell's number, relative to a mark alone
LEGEND_WRAP = 34  # characters per line of the legend's test description
NOT_MARKED = "none"  # the legend colour of the marks' lines: text only


@dataclass(frozen=True)
class Marks:
    """The marks of the plotted matrix: ``stars`` (text per cell, '' for none, rows and columns as the
    matrix plots them) and ``legend`` (the lines explaining them, text -> :data:`NOT_MARKED`)."""

    stars: np.ndarray
    legend: dict[str, str]

    @property
    def widest(self) -> int:
        """The most stars on any cell: every page sizes its marks for it, so that all pages agree."""
        return max((len(text) for text in self.stars.ravel().tolist()), default=0)


def plan_marks(result: HeatmapResult, drawing: Drawing) -> Marks | None:
    """The marks of ``result`` for ``drawing.mark`` (None without ``mark``). Raises UsageError when
    ``result`` was not tested."""
    import numpy as np
    import pandas as pd

    if drawing.mark is None:
        return None
    if result.tests is None:
        label = option_label(next(option for option in OPTIONS if option.name == "mark"))
        raise UsageError(
            f"{label} {drawing.mark} draws stars from the {drawing.mark}-values of --test, but the heatmap "
            "was not tested. Add --test (with --reference LABEL to test against a column), or leave the "
            "stars out."
        )
    cells = pd.MultiIndex.from_product([result.matrix.index, result.matrix.columns])
    tested = result.tests.reindex(cells)
    levels = np.zeros(len(cells), dtype=int)
    chosen = tested[drawing.mark].to_numpy(dtype=float)
    for threshold in drawing.mark_thresholds:
        levels += np.nan_to_num(chosen, nan=1.0) < threshold
    stars = np.array([STAR * level for level in range(len(drawing.mark_thresholds) + 1)], dtype=object)
    shape = result.matrix.shape
    has_value = ~np.isnan(result.matrix.to_numpy(dtype=float)).ravel()
    without_p = int((np.isnan(tested["p"].to_numpy(dtype=float)) & has_value).sum())
    return Marks(stars[levels].reshape(shape), _legend(result, drawing, without_p))


def _legend(result: HeatmapResult, drawing: Drawing, without_p: int) -> dict[str, str]:
    names = result.tests["test"].dropna().unique().tolist()
    lines = [f"{STAR * (level + 1)}  {drawing.mark} < {threshold:g}"
             for level, threshold in enumerate(drawing.mark_thresholds)]
    lines += textwrap.wrap(f"{', '.join(names)};", LEGEND_WRAP)
    lines.append("q: Benjamini-Hochberg" if drawing.mark == "q" else "p: not adjusted for many tests")
    if without_p:
        lines.append(f"no p-value: {without_p} cell{'s' if without_p != 1 else ''}")
    return dict.fromkeys(lines, NOT_MARKED)


def draw_marks(axes: Axes, stars: np.ndarray, colours: np.ndarray, annotated: bool, widest: int) -> None:
    """Write ``stars`` (one page of :attr:`Marks.stars`) on the cell panel ``axes``; ``colours``: the
    RGBA colour each cell is drawn in (rows x columns x 4); ``annotated``: the cells' numbers are
    written, so the marks go in the cells' upper right corners; ``widest``: :attr:`Marks.widest`."""
    import numpy as np
    from matplotlib.transforms import offset_copy

    rows, columns = stars.shape
    figure_width, figure_height = axes.figure.get_size_inches()
    box = axes.get_position()
    cell_height = box.height * figure_height * 72 / rows
    cell_width = box.width * figure_width * 72 / columns
    if not widest:
        return
    size = min(LARGEST_MARK, 0.7 * cell_height / GLYPH_HEIGHT, 0.9 * cell_width / (STAR_WIDTH * widest))
    if annotated:
        size *= ANNOTATED_SHARE
        shift, align = GLYPH_TOP * size, "right"  # the glyphs' top at the anchor
    else:
        shift, align = GLYPH_MIDDLE * size, "center"  # the glyphs' middle at the anchor
    placed = offset_copy(axes.transData, fig=axes.figure, y=-shift, units="points")
    for row, column in zip(*(positions.tolist() for positions in np.nonzero(stars != ""))):
        x, y = (column + 1 - CORNER, row + CORNER) if annotated else (column + 0.5, row + 0.5)
        axes.text(
            x,
            y,
            stars[row, column],
            ha=align,
            va="baseline",
            fontsize=size,
            color=contrasting(tuple(colours[row, column])),
            parse_math=False,
            transform=placed,
            gid=MARK_GID,
        )
