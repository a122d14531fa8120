"""Split axes in the figure (``--split-y-by``/``--split-x-by``): the blocks of
:class:`~amiga_heatmap.pipeline.blocks.AxisBlocks` drawn apart.

The figure is drawn on a grid with a gap of :data:`GAP_CELLS` cell before each block: a gap row above
each block of rows, a gap column left of each block of columns. The gap holds the block's title (a
figure text with the ``gid`` ``row block title`` or ``column block title``; column titles run
downwards) and is painted in the figure's background colour (``gid`` ``block gaps``). The layout sees
the gaps as rows or columns with empty labels, so the figure grows by one cell per block and labels,
colour strips and dendrograms (one tree per clustered block) stay in line with their cells. Without
a split axis the grid is the matrix itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .cells import SEAM_WIDTH

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.axes import Axes

    from ...pipeline.blocks import AxisBlocks
    from ...result import HeatmapResult

GAP_CELLS = 1
TITLE_FONT_LARGEST = 8.0
TITLE_FONT_SMALLEST = 4.0
GAP = -1
"""The matrix position of a gap in :attr:`Spacing.rows` / :attr:`Spacing.columns`."""


@dataclass(frozen=True)
class Spacing:
    """Where each drawn row and column comes from: ``rows[i]`` is the matrix row drawn at grid row
    ``i`` (:data:`GAP` for a gap), ``columns`` likewise; ``row_titles`` / ``column_titles`` are the
    ``(grid position, title)`` of each gap."""

    rows: np.ndarray
    columns: np.ndarray
    row_titles: tuple[tuple[int, str], ...] = ()
    column_titles: tuple[tuple[int, str], ...] = ()

    @property
    def split(self) -> bool:
        """Whether any axis has gaps."""
        return bool(self.row_titles or self.column_titles)

    def grid(self, values: np.ndarray, fill: Any) -> np.ndarray:
        """``values`` (the matrix's shape) placed on the grid, ``fill`` in the gaps."""
        import numpy as np

        if not self.split:
            return values
        grid = np.full((len(self.rows), len(self.columns)), fill, dtype=values.dtype)
        grid[np.ix_(self.rows != GAP, self.columns != GAP)] = values
        return grid

    def gaps(self) -> np.ndarray:
        """True for the grid cells in a gap row or gap column."""

        return (self.rows == GAP)[:, None] | (self.columns == GAP)[None, :]

    def texts(self, texts: Sequence[str], axis: str) -> list[str]:
        """The labels ``texts`` of ``axis`` (``"y"``: rows) at their grid positions, empty in the gaps."""
        sources = self.rows if axis == "y" else self.columns
        return [texts[source] if source != GAP else "" for source in sources.tolist()]

    def positions(self, positions: np.ndarray, axis: str) -> np.ndarray:
        """The grid positions of the matrix positions ``positions`` of ``axis``."""
        import numpy as np

        sources = self.rows if axis == "y" else self.columns
        grid_of = np.flatnonzero(sources != GAP)
        return grid_of[np.asarray(positions, dtype=int)]

    def colours(self, colours: Sequence[Any], axis: str, background: Any) -> list[Any]:
        """A colour strip's ``colours`` at the grid positions of ``axis``, ``background`` in the gaps."""
        sources = self.rows if axis == "y" else self.columns
        return [colours[source] if source != GAP else background for source in sources.tolist()]


def spacing_of(result: HeatmapResult) -> Spacing:
    """The grid of ``result``: gaps before the blocks of its split axes (none without a split)."""
    rows, row_titles = _axis(result.row_blocks, result.matrix.shape[0])
    columns, column_titles = _axis(result.column_blocks, result.matrix.shape[1])
    return Spacing(rows, columns, row_titles, column_titles)


def _axis(blocks: AxisBlocks | None, count: int) -> tuple[np.ndarray, tuple[tuple[int, str], ...]]:
    import numpy as np

    if blocks is None:
        return np.arange(count), ()
    drawn: list[int] = []
    titles = []
    for block in blocks.blocks:
        titles.append((len(drawn), block.title))
        drawn.extend([GAP] * GAP_CELLS)
        drawn.extend(range(block.start, block.stop))
    return np.asarray(drawn, dtype=int), tuple(titles)


def block_dendrogram(blocks: AxisBlocks, spacing: Spacing, axis: str) -> np.ndarray | None:
    """The dendrogram shapes (:func:`.dendrogram.segments`) of every clustered block of ``axis``, at
    the blocks' grid positions; None when no block has a tree."""
    import numpy as np
    from scipy.cluster.hierarchy import leaves_list

    from . import dendrogram

    pieces = []
    for block, linkage in zip(blocks.blocks, blocks.linkages):
        if linkage is None or not len(linkage):
            continue
        shapes = dendrogram.segments(linkage, leaves_list(linkage)).copy()
        shapes[:, :, 0] += spacing.positions(np.asarray([block.start]), axis)[0]
        pieces.append(shapes)
    return np.concatenate(pieces) if pieces else None


def draw_gaps(heat: Axes, spacing: Spacing, start: int, stop: int, cell_height: float) -> None:
    """Paint the gaps of grid rows ``start``..``stop`` (a page) on the heatmap axes ``heat`` in the
    figure's background colour and write each block's title in its gap; ``cell_height`` in inches sizes
    the titles' font."""
    from matplotlib.collections import PolyCollection

    rows, columns = stop - start, len(spacing.columns)
    background = heat.figure.get_facecolor()
    rectangles = [
        [(0, row - start), (columns, row - start), (columns, row - start + 1), (0, row - start + 1)]
        for row, _ in spacing.row_titles
        if start <= row < stop
    ]
    rectangles += [
        [(column, 0), (column + 1, 0), (column + 1, rows), (column, rows)] for column, _ in spacing.column_titles
    ]
    if rectangles:
        # outlined in the background too: the masked cells under a gap have seam outlines reaching past it
        heat.add_collection(PolyCollection(rectangles, facecolors=background, edgecolors=background,
                                           linewidths=SEAM_WIDTH, gid="block gaps", zorder=3))
    font = min(TITLE_FONT_LARGEST, max(TITLE_FONT_SMALLEST, 0.8 * cell_height * 72 * GAP_CELLS))
    for row, title in spacing.row_titles:
        if start <= row < stop:
            heat.text(0.05, row - start + GAP_CELLS / 2, title, ha="left", va="center", fontsize=font,
                      fontweight="bold", parse_math=False, clip_on=False, zorder=4, gid="row block title")
    below = GAP_CELLS if any(row == start for row, _ in spacing.row_titles) else 0  # under a row title
    for column, title in spacing.column_titles:
        heat.text(column + GAP_CELLS / 2, below + 0.05, title, ha="center", va="top", rotation=90, fontsize=font,
                  fontweight="bold", parse_math=False, clip_on=False, zorder=4, gid="column block title")
