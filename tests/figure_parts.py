"""Reading the parts of a heatmap Figure back: labels, cell values, strips, legends (see
amiga_heatmap/builtin/figure/draw.py for the names)."""

from __future__ import annotations

import numpy as np


def axes_named(figure, label):
    """The axes of ``figure`` labelled ``label``, or None."""
    found = [axes for axes in figure.axes if axes.get_label() == label]
    assert len(found) <= 1
    return found[0] if found else None


def labels(figure, axes_label: str) -> list[tuple[str, float, object]]:
    """(text, position along the axis, the artist drawing it) of every label drawn on ``axes_label``
    (``row labels`` or ``column labels``), in position order."""
    from amiga_heatmap.builtin.figure.label_artist import LabelArtist

    axes = axes_named(figure, axes_label)
    if axes is None:
        return []
    along = 1 if axes_label == "row labels" else 0
    found = [
        (text, float(anchor[along]), artist)
        for artist in axes.artists
        if isinstance(artist, LabelArtist)
        for text, anchor in zip(artist.texts, artist.anchors)
    ]
    return sorted(found, key=lambda item: item[1])


def row_labels(figure) -> list[str]:
    return [text for text, _, _ in labels(figure, "row labels")]


def column_labels(figure) -> list[str]:
    return [text for text, _, _ in labels(figure, "column labels")]


def cells_artist(figure):
    """What draws the heatmap's cells: seaborn's mesh, or the image that replaces it on large matrices."""
    from matplotlib.collections import QuadMesh

    heat = axes_named(figure, "heatmap")
    return heat.images[0] if heat.images else next(c for c in heat.collections if isinstance(c, QuadMesh))


def cell_values(figure) -> np.ma.MaskedArray:
    """The values drawn in the heatmap cells (vector mesh or image), masked where missing or infinite."""
    return cells_artist(figure).get_array()


def infinite_layer(figure):
    """The collection drawing the infinite cells over the others (gid ``infinite cells``), or None."""
    found = [c for c in axes_named(figure, "heatmap").collections if c.get_gid() == "infinite cells"]
    assert len(found) <= 1
    return found[0] if found else None


def infinite_cells(figure, shape: tuple[int, int]) -> np.ndarray:
    """Which cells of a matrix of ``shape`` the infinite layer covers (each rectangle, in cell units)."""
    covered = np.zeros(shape, dtype=bool)
    layer = infinite_layer(figure)
    for path in [] if layer is None else layer.get_paths():
        xs, ys = path.vertices[:, 0], path.vertices[:, 1]
        covered[round(ys.min()) : round(ys.max()), round(xs.min()) : round(xs.max())] = True
    return covered


def annotations(figure) -> dict[tuple[int, int], str]:
    """{(row, column): text} of the values written in the heatmap's cells."""
    return {
        (int(text.get_position()[1]), int(text.get_position()[0])): text.get_text()
        for text in axes_named(figure, "heatmap").texts
    }


def strip_colors(figure, label) -> list[str]:
    """The colours of a colour strip (``row colours`` or ``column colours``), as hex, in order."""
    from matplotlib.colors import to_hex

    pixels = np.asarray(axes_named(figure, label).images[0].get_array())
    return [to_hex(pixel) for pixel in pixels.reshape(-1, pixels.shape[-1])]


def legend(figure, gid):
    """``{entry text: hex colour}`` and the title of the figure legend with this gid."""
    from matplotlib.colors import to_hex

    for candidate in figure.legends:
        if candidate.get_gid() == gid:
            entries = {
                text.get_text(): to_hex(handle.get_facecolor())
                for text, handle in zip(candidate.texts, candidate.legend_handles)
            }
            return candidate.get_title().get_text(), entries
    return None


def text_with_gid(figure, gid) -> str | None:
    found = [text.get_text() for text in figure.texts if text.get_gid() == gid]
    return found[0] if found else None
