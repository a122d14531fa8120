"""The cell panel, drawn by ``seaborn.heatmap`` on the axes the layout gives it.

seaborn draws the cells (a pcolormesh), the colour bar (in the layout's colour-bar axes, ``cbar_ax``),
the lines between cells and the annotations, with the user's seaborn keywords (``cbar_kws``,
``annot_kws``, pcolormesh keywords). What seaborn is given, and what is added around it:

- the colour scale of :mod:`.scale` (``cmap``, ``vmin``, ``vmax``), shared by every page; seaborn gets no
  ``center``/``robust`` of its own, as those would be computed from one page and would count infinite
  values;
- ``mask``: the user's mask plus the cells the scale gives no colour: infinite cells, which seaborn
  would colour as the top of the scale, cells at or below 0 on a log scale and cells outside every bin
  (:mod:`.scale`). Each kind is drawn over the panel as rectangles with no edge (nothing bleeds into
  the neighbours), a layer named by its ``gid``: infinite cells in ``infinite_cell_color`` (default
  magenta, on none of the default colour maps) under the hatch ``infinite_cell_hatch``, cells at or
  below 0 in ``nonpositive_cell_color``, cells outside the bins in
  :data:`~.scale.OUTSIDE_BINS_COLOR`; each is annotated with its value when ``annot`` is on;
- ``norm``: the scale's (linear, log, symmetric log or bins) for seaborn to draw with;
- ``xticklabels=False, yticklabels=False``: the label artists of :mod:`.draw` write the labels;
- seams: PDF viewers and pdftoppm smooth the edges of each filled rectangle on its own, so adjacent
  cells (and the colour bar's bands) let the page show through as hairlines. Cells drawn without lines
  between them are outlined in their own colour with :data:`SEAM_WIDTH`, which closes the gaps while
  overlapping the neighbours by a quarter of a point at most; so is the colour bar, which stays vector
  (matplotlib would rasterise it, which allocates an image the size of the whole figure).

Over :data:`VECTOR_CELLS` cells, the cells are drawn as one image with a pixel per cell (same values,
mask, colour map and norm; ``interpolation="none"``) instead of one rectangle per cell, so a 2,000 x 400
heatmap is a small PDF that opens quickly; lines between cells stay vector lines. seaborn still draws
them: while ``seaborn.heatmap`` runs, the panel's ``pcolormesh`` is :func:`_image_instead_of_mesh`, which
shows seaborn's masked cell values as that image, and seaborn builds its colour bar from it. Building
the mesh only to replace it cost more than the rest of the panel (1.3 s of mesh coordinates and data
limits for a 569 x 13,021 screen). With ``annot``, seaborn reads the colours of its mesh to colour the
annotations, so an annotated panel gets the mesh, which is then replaced by the same image.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from .options import Drawing
from .scale import OUTSIDE_BINS_COLOR, ColourScale
from .seaborn_import import seaborn_module

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.collections import QuadMesh
    from matplotlib.colorbar import Colorbar
    from matplotlib.image import AxesImage

VECTOR_CELLS = 5000
ANNOTATION_FONT_LARGEST = 9.0
SEAM_WIDTH = 0.5  # points: the outline in the cell's own colour that closes the seams
LIGHT = 0.408  # relative luminance above which text and hatching are dark (seaborn's threshold)
INFINITE_LAYER = "infinite cells"
NONPOSITIVE_LAYER = "nonpositive cells"
OUTSIDE_BINS_LAYER = "outside bins"


def draw_cells(
    axes: Axes,
    colorbar_axes: Axes | None,
    values: np.ndarray,
    mask: np.ndarray | None,
    scale: ColourScale,
    drawing: Drawing,
) -> Colorbar | None:
    """Draw the cells of ``values`` (one page of the matrix) on ``axes`` with ``seaborn.heatmap``, the
    colour bar in ``colorbar_axes`` (None: no colour bar), as the module says. ``mask``: the user's
    cells to hide, or None. Returns the colour bar, if any."""
    import numpy as np

    infinite = np.isinf(values)
    nonpositive = scale.unplaceable(values)
    outside = scale.outside_bins(values)
    hidden = infinite | nonpositive | outside
    hidden = hidden if mask is None else hidden | mask
    large = values.size > VECTOR_CELLS
    mesh_kws = dict(drawing.mesh_kws)
    lines = drawing.linewidths > 0
    if large:
        mesh_kws.pop("rasterized", None)  # one image anyway
        linewidths, linecolor = 0.0, drawing.linecolor
    elif lines or mesh_kws.get("alpha", 1.0) < 1.0:  # outlines would darken where see-through cells overlap
        linewidths, linecolor = drawing.linewidths, drawing.linecolor
    else:
        linewidths, linecolor = SEAM_WIDTH, "face"
    annot_kws = dict(drawing.annot_kws)
    if drawing.annot and "size" not in annot_kws:
        annot_kws["size"] = _annotation_font(axes, values, drawing.fmt)
    as_image = large and not drawing.annot  # seaborn colours annotations from its mesh (module docstring)
    with _image_instead_of_mesh(axes, values.shape) if as_image else nullcontext():
        seaborn_module().heatmap(
            values,
            ax=axes,
            cbar=colorbar_axes is not None,
            cbar_ax=colorbar_axes,
            cbar_kws=drawing.cbar_kws,
            cmap=scale.cmap,
            norm=scale.norm,
            mask=hidden,
            annot=drawing.annot,
            fmt=drawing.fmt,
            annot_kws=annot_kws,
            linewidths=linewidths,
            linecolor=linecolor,
            xticklabels=False,
            yticklabels=False,
            **mesh_kws,
        )
    if axes.images:  # seaborn's pcolormesh call drew the image
        bar = axes.images[0].colorbar
    else:  # a mesh (few cells, or annotated): shown as the same image when large
        mesh = _mesh(axes)
        bar = mesh.colorbar
        if large:
            _draw_as_image(axes, mesh, values.shape)
    if large and lines:
        _draw_lines(axes, values.shape, drawing)
    layers = (
        (INFINITE_LAYER, infinite, drawing.infinite_cell_color, drawing.infinite_cell_hatch),
        (NONPOSITIVE_LAYER, nonpositive, drawing.nonpositive_cell_color, ""),
        (OUTSIDE_BINS_LAYER, outside, OUTSIDE_BINS_COLOR, ""),
    )
    for name, cells, colour, hatch in layers:
        shown = cells if mask is None else cells & ~mask
        if shown.any():
            _draw_layer(axes, shown, name, colour, hatch, drawing, with_lines=lines and not large)
            if drawing.annot:
                _annotate_layer(axes, values, shown, colour, annot_kws, drawing)
    axes.set_axis_off()
    return bar


def drawn_colours(values: np.ndarray, mask: np.ndarray | None, scale: ColourScale, drawing: Drawing) -> np.ndarray:
    """The RGBA colour (rows x columns x 4) each cell of ``values`` is drawn in: the scale's, the
    colour of its layer (infinite, at or below 0, outside the bins), or the missing-cell colour for
    missing and masked cells."""
    import numpy as np
    from matplotlib.colors import to_rgba

    with np.errstate(invalid="ignore"):
        colours = np.array(scale.colour_of(np.ma.masked_invalid(values)), dtype=float)
    special = (
        (np.isinf(values), drawing.infinite_cell_color),
        (scale.unplaceable(values), drawing.nonpositive_cell_color),
        (scale.outside_bins(values), OUTSIDE_BINS_COLOR),
        (np.isnan(values), drawing.missing_cell_color),
        (np.zeros(values.shape, dtype=bool) if mask is None else mask, drawing.missing_cell_color),
    )
    for cells, colour in special:
        colours[cells] = to_rgba(colour)
    return colours


def _mesh(axes: Axes) -> QuadMesh:
    from matplotlib.collections import QuadMesh

    return next(artist for artist in axes.collections if isinstance(artist, QuadMesh))


@contextmanager
def _image_instead_of_mesh(axes: Axes, shape: tuple[int, int]) -> Iterator[None]:
    """Within the block, ``axes.pcolormesh(cells, cmap=..., norm=..., alpha=...)`` (seaborn's call) shows
    ``cells`` (rows x columns, masked where hidden) as one image a pixel per cell and returns it; its
    other keywords, which shape a mesh's edges, have nothing to draw on an image."""

    def as_image(cells, *, cmap, norm, alpha=None, **mesh_only: Any) -> AxesImage:
        return _draw_image(axes, cells, cmap, norm, alpha, shape)

    axes.pcolormesh = as_image  # type: ignore[method-assign]
    try:
        yield
    finally:
        del axes.pcolormesh


def _draw_as_image(axes: Axes, mesh: QuadMesh, shape: tuple[int, int]) -> None:
    """Replace seaborn's ``mesh`` by an image of the same cells, a pixel each."""
    _draw_image(axes, mesh.get_array().reshape(shape), mesh.get_cmap(), mesh.norm, mesh.get_alpha(), shape)
    mesh.remove()


def _draw_image(axes: Axes, cells: np.ndarray, cmap: Any, norm: Any, alpha: float | None,
                shape: tuple[int, int]) -> AxesImage:
    """``cells`` as one image on ``axes``, a pixel per cell, filling the panel's cell coordinates."""
    rows, columns = shape
    image = axes.imshow(
        cells, cmap=cmap, norm=norm, alpha=alpha, interpolation="none", aspect="auto", extent=(0, columns, rows, 0)
    )
    axes.set_xlim(0, columns)
    axes.set_ylim(rows, 0)
    return image


def _draw_lines(axes: Axes, shape: tuple[int, int], drawing: Drawing) -> None:
    """The lines between the cells of an image, as one vector line collection."""
    from matplotlib.collections import LineCollection

    rows, columns = shape
    across = [((0, row), (columns, row)) for row in range(rows + 1)]
    down = [((column, 0), (column, rows)) for column in range(columns + 1)]
    axes.add_collection(
        LineCollection(
            across + down,
            colors=drawing.linecolor,
            linewidths=drawing.linewidths,
            linestyles=drawing.mesh_kws.get("linestyle", "solid"),
        )
    )


def infinite_rectangles(infinite: np.ndarray, merge: bool) -> list[list[tuple[int, int]]]:
    """The rectangles (corner lists, in cell units) covering the True cells of ``infinite``: one per
    cell, or with ``merge`` one per horizontal run of adjacent cells (fewer shapes, the same area)."""
    import numpy as np

    rectangles = []
    for row in np.flatnonzero(infinite.any(axis=1)).tolist():
        line = np.concatenate([[False], infinite[row], [False]])
        changes = np.flatnonzero(line[1:] != line[:-1])
        for start, stop in zip(changes[::2].tolist(), changes[1::2].tolist()):
            spans = [(start, stop)] if merge else [(column, column + 1) for column in range(start, stop)]
            rectangles.extend(
                [(left, row), (right, row), (right, row + 1), (left, row + 1)] for left, right in spans
            )
    return rectangles


def _draw_layer(
    axes: Axes, cells: np.ndarray, name: str, colour: str, hatch: str, drawing: Drawing, with_lines: bool
) -> None:
    """The True ``cells`` in ``colour`` under ``hatch`` ('' for none) as one collection with the
    ``gid`` ``name``, with no edge (or the lines between cells, when those are drawn, so that they stay
    the same width everywhere)."""
    from matplotlib.collections import PolyCollection

    axes.add_collection(
        PolyCollection(
            infinite_rectangles(cells, merge=not with_lines),
            facecolors=colour,
            edgecolors=drawing.linecolor if with_lines else "none",
            linewidths=drawing.linewidths if with_lines else 0.0,
            hatch=hatch or None,
            hatchcolor=contrasting(colour),
            gid=name,
        )
    )


def contrasting(colour: Any) -> str:
    """Dark grey on a light ``colour``, white on a dark one (seaborn's rule for annotations)."""
    from matplotlib.colors import to_rgba

    luminance = seaborn_module().utils.relative_luminance(to_rgba(colour))
    return ".15" if luminance > LIGHT else "white"


def _annotation_font(axes: Axes, values: np.ndarray, fmt: str) -> float:
    """The largest annotation font (at most :data:`ANNOTATION_FONT_LARGEST` points) whose longest text
    fits its cell."""
    import numpy as np

    figure_width, figure_height = axes.figure.get_size_inches()
    box = axes.get_position()
    rows, columns = values.shape
    cell_height = box.height * figure_height * 72 / rows
    cell_width = box.width * figure_width * 72 / columns
    finite = values[np.isfinite(values)]
    lengths = [len(format(value, fmt)) for value in finite.tolist()]
    lengths += [len(str(value)) for value in np.unique(values[np.isinf(values)]).tolist()]
    longest = max(lengths, default=1) or 1
    return min(ANNOTATION_FONT_LARGEST, 0.45 * cell_height, 0.9 * cell_width / (0.6 * longest))


def _annotate_layer(
    axes: Axes, values: np.ndarray, cells: np.ndarray, colour: str, annot_kws: dict[str, Any], drawing: Drawing
) -> None:
    """Write the values of the True ``cells`` (drawn in ``colour``), which seaborn leaves out as masked,
    in the same style as its annotations: ``inf``/``-inf``, or the number in ``fmt``."""
    import numpy as np

    style = {"color": contrasting(colour), "ha": "center", "va": "center", **annot_kws}
    for row, column in zip(*(positions.tolist() for positions in np.nonzero(cells))):
        value = values[row, column]
        text = str(value) if np.isinf(value) else format(value, drawing.fmt)
        axes.text(column + 0.5, row + 0.5, text, **style)
