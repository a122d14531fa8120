"""Dendrogram line segments from a scipy linkage matrix, without scipy's recursive ``dendrogram``.

Leaves sit at the centres of their cells (``0.5, 1.5, ...`` in plotted order); each merge is drawn as a
"U": down from the merge height to each child's height, at the children's positions, joined at the top;
a merged cluster sits midway between its two children. One pass over the merges, in the order scipy
made them (children always come first), so 10,000 leaves cost milliseconds and no recursion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.axes import Axes


def segments(linkage: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The U shapes of ``linkage`` as an array ``(merges, 4, 2)`` of (position, height) points.

    ``order`` is the plotted order of the leaves (``leaves_list(linkage)``), giving each leaf its
    position.
    """
    import numpy as np

    count = len(order)
    if count < 2:
        return np.empty((0, 4, 2))
    position = np.empty(2 * count - 1)
    position[np.asarray(order)] = np.arange(count) + 0.5
    height = np.zeros(2 * count - 1)
    left = linkage[:, 0].astype(int)
    right = linkage[:, 1].astype(int)
    height[count:] = linkage[:, 2]
    positions = position.tolist()
    for merge, (first, second) in enumerate(zip(left.tolist(), right.tolist())):
        positions[count + merge] = (positions[first] + positions[second]) / 2
    position = np.asarray(positions)
    top = linkage[:, 2]
    return np.stack(
        [
            np.column_stack([position[left], height[left]]),
            np.column_stack([position[left], top]),
            np.column_stack([position[right], top]),
            np.column_stack([position[right], height[right]]),
        ],
        axis=1,
    )


def draw(
    axes: Axes, shapes: np.ndarray, along: str, first: float, last: float, color: str = "#333333"
) -> None:
    """Draw ``shapes`` (from :func:`segments`) on ``axes``, leaves towards the heatmap.

    ``along`` is ``"x"`` for a column dendrogram (above the heatmap, root at the top) or ``"y"`` for a
    row dendrogram (left of it, root at the left). Only the leaf positions ``first``..``last`` are
    shown (a page of rows); shapes entirely outside are not drawn at all.
    """
    import numpy as np
    from matplotlib.collections import LineCollection

    span = shapes[:, :, 0]
    visible = shapes[(span.max(axis=1) > first) & (span.min(axis=1) < last)]
    tallest = float(shapes[:, :, 1].max()) if shapes.size else 1.0
    tallest = tallest if tallest > 0 else 1.0
    if along == "x":
        lines = visible
        axes.set_xlim(first, last)
        axes.set_ylim(0, tallest * 1.02)
    else:
        lines = visible[:, :, ::-1]
        axes.set_ylim(last, first)
        axes.set_xlim(tallest * 1.02, 0)
    axes.add_collection(LineCollection(np.ascontiguousarray(lines), colors=color, linewidths=0.6))
    axes.set_axis_off()
