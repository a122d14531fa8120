"""Large matrices (over VECTOR_CELLS cells) are drawn by seaborn.heatmap straight into one image, never
through a mesh of every cell, with the same values, mask, colours and colour bar; the log and symlog
colour norms keep their limits without reading the data again."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.figure.cells import VECTOR_CELLS

from .figure_parts import annotations, axes_named, infinite_cells

ROWS, COLUMNS = 60, 100


def cell_values() -> np.ndarray:
    rng = np.random.default_rng(7)
    values = rng.lognormal(0.0, 0.4, size=(ROWS, COLUMNS))
    values[3, 10:14] = np.inf
    values[8, 50] = 0.0  # at or below 0: no colour on a log scale
    values[11, 20:25] = np.nan
    return values


@pytest.fixture
def ratios():
    """60 x 100 ratios (a ``norm(...)`` value: a log2 colour scale) with infinite, zero and missing cells."""
    values = cell_values()
    rows = pd.DataFrame(
        [{"x": f"c{c:03d}", "y": f"r{r:03d}", "norm(v)": values[r, c]} for r in range(ROWS) for c in range(COLUMNS)]
    )
    return heatmap(rows, value="norm(v)", x="x", y="y", missing="keep")


@pytest.fixture
def meshes(monkeypatch):
    """Every QuadMesh built while the test runs (the real class builds them)."""
    from matplotlib.collections import QuadMesh

    built = []
    real = QuadMesh.__init__

    def recording(self, *args, **keywords):
        built.append(self)
        real(self, *args, **keywords)

    monkeypatch.setattr(QuadMesh, "__init__", recording)
    return built


@pytest.fixture
def heatmap_calls(monkeypatch):
    """Every call of seaborn.heatmap (the real one runs)."""
    import seaborn

    calls = []
    real = seaborn.heatmap

    def recording(data, **keywords):
        calls.append(keywords)
        return real(data, **keywords)

    monkeypatch.setattr(seaborn, "heatmap", recording)
    return calls


def test_seaborn_draws_a_large_matrix_as_one_image_without_building_a_mesh(ratios, meshes, heatmap_calls) -> None:
    assert ratios.matrix.size > VECTOR_CELLS
    figure = ratios.figure()
    heat, bar = axes_named(figure, "heatmap"), axes_named(figure, "colour bar")
    [image] = heat.images
    assert len(heatmap_calls) == 1
    assert meshes == [image.colorbar.solids], "no mesh of the cells, not even one thrown away: the colour bar's only"
    assert "pcolormesh" not in vars(heat), "the panel's own pcolormesh is back after drawing"
    values = ratios.matrix.to_numpy()
    hidden = ~np.isfinite(values) | (values <= 0)  # missing, infinite and zero cells: drawn by other layers
    drawn = image.get_array()
    assert drawn.shape == values.shape
    np.testing.assert_array_equal(np.ma.getmaskarray(drawn), hidden)
    np.testing.assert_array_equal(drawn.compressed(), values[~hidden])
    assert image.get_extent() == [0, COLUMNS, ROWS, 0] and image.get_interpolation() == "none"
    assert (heat.get_xlim(), heat.get_ylim()) == ((0, COLUMNS), (ROWS, 0))
    # seaborn's colour bar, made from the image, in our colour-bar axes, on the image's scale
    assert image.colorbar is not None and image.colorbar.ax is bar
    assert image.colorbar.mappable is image
    assert bar.spines["outline"].get_linewidth() == 0, "seaborn's colour bar has no outline"
    assert image.norm is heatmap_calls[0]["norm"] and image.get_cmap() is heatmap_calls[0]["cmap"]
    assert infinite_cells(figure, values.shape).tolist() == np.isinf(values).tolist()


def test_the_image_has_one_pixel_per_cell_in_the_scale_s_colours(ratios) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = ratios.figure()
    FigureCanvasAgg(figure)
    [image] = axes_named(figure, "heatmap").images
    pixels, *_ = image.make_image(figure.canvas.get_renderer(), unsampled=True)
    values = ratios.matrix.to_numpy()
    assert pixels.shape == (*values.shape, 4)
    shown = np.isfinite(values) & (values > 0)
    expected = image.cmap(image.norm(values[shown]), bytes=True)
    np.testing.assert_array_equal(pixels[shown], expected)


def test_lines_alpha_and_an_annotated_large_matrix_keep_their_drawing(ratios, heatmap_calls) -> None:
    from matplotlib.collections import LineCollection, QuadMesh

    lined = axes_named(ratios.figure(linewidths=0.3, linecolor="white", alpha=0.6), "heatmap")
    [image] = lined.images
    assert image.get_alpha() == 0.6
    [lines] = [c for c in lined.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == ROWS + 1 + COLUMNS + 1, "the lines between cells stay vector lines"
    # seaborn colours its annotations from its mesh: an annotated panel gets one, then shows the image
    figure = ratios.figure(annot=True, fmt=".1f", annot_limit=ROWS * COLUMNS)
    heat = axes_named(figure, "heatmap")
    [image] = heat.images
    assert not [c for c in heat.collections if isinstance(c, QuadMesh)]
    values = ratios.matrix.to_numpy()
    written = annotations(figure)
    assert written[(0, 0)] == format(values[0, 0], ".1f")
    assert written[(3, 10)] == "inf" and (11, 20) not in written
    assert len(written) == np.isfinite(values).sum() + np.isinf(values).sum()


@pytest.mark.parametrize("kind", ["LogNorm", "SymLogNorm"])
def test_the_scale_norms_keep_set_limits_and_find_missing_ones_as_matplotlib_does(kind) -> None:
    import matplotlib.colors

    from amiga_heatmap.builtin.figure import norms

    data = np.ma.masked_invalid(np.array([[0.25, 4.0, np.nan], [np.inf, 1.0, 0.5]]))
    ours, theirs = (
        (getattr(module, kind)(linthresh=0.1) if kind == "SymLogNorm" else getattr(module, kind)())
        for module in (norms, matplotlib.colors)
    )
    ours.autoscale_None(data)
    theirs.autoscale_None(data)
    assert (ours.vmin, ours.vmax) == (theirs.vmin, theirs.vmax) == (data.min(), data.max())
    fixed = norms.LogNorm(0.5, 2.0)
    fixed.autoscale_None(data)
    assert (fixed.vmin, fixed.vmax) == (0.5, 2.0)
    np.testing.assert_allclose(fixed(data).filled(-1), matplotlib.colors.LogNorm(0.5, 2.0)(data).filled(-1))
    assert isinstance(fixed, matplotlib.colors.LogNorm) and type(fixed).__name__ == "LogNorm"
    copy = pickle.loads(pickle.dumps(fixed))
    assert type(copy) is norms.LogNorm and (copy.vmin, copy.vmax) == (0.5, 2.0)


def test_the_renderer_benchmark_draws_a_saved_matrix_and_reports_each_stage(ratios, tmp_path) -> None:
    import subprocess
    import sys

    from .conftest import REPOSITORY

    [matrix] = ratios.save(tmp_path / "matrix.tsv")
    done = subprocess.run(
        [sys.executable, str(REPOSITORY / "benchmarks" / "renderer.py"), matrix, "--repeat", "1", "--value", "norm(v)"],
        capture_output=True, text=True, check=True,
    )
    lines = done.stdout.splitlines()
    assert lines[0] == f"{ROWS} x {COLUMNS} matrix, 1 fresh processes, median seconds:"
    assert [line.split()[0] for line in lines[1:]] == ["import", "import", "plan", "draw", "savefig", "close", "total"]
