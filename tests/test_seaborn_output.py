"""The seaborn renderer draws its cell panel with ``seaborn.heatmap``: seaborn's keywords in ``--kwargs``
(dotted for the nested ``cbar_kws`` and ``annot_kws``), infinite cells hatched without edges, and no
seams between cells or colour-bar bands in rasterised PDFs (issue 9 item 7, issue 13 items 6 and 7)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError
from amiga_heatmap.rendering.kwargs import check_accepted, parse_kwargs

from .conftest import REPOSITORY
from .figure_parts import annotations, axes_named, cells_artist, infinite_cells, infinite_layer, legend

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def small(normalized):
    """24 substrates x 2 strains of mean norm(auc_lin): 48 cells, drawn as vector rectangles."""
    return heatmap(
        normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean", filter="row any > 1.2"
    )


def with_infinite(values: dict[str, list[float]]):
    rows = pd.DataFrame([{"x": x, "y": y, "v": v} for y, row in values.items() for x, v in zip("abc", row)])
    return heatmap(rows, value="v", x="x", y="y")


@pytest.fixture
def spy(monkeypatch):
    """Every call of seaborn.heatmap (the real one runs): its keyword arguments and the data."""
    import seaborn

    calls = []
    real = seaborn.heatmap

    def recording(data, **keywords):
        calls.append({"data": np.array(data, dtype=float), **keywords})
        return real(data, **keywords)

    monkeypatch.setattr(seaborn, "heatmap", recording)
    return calls


# ------------------------------------------------------------------------- drawn by seaborn.heatmap


def test_the_cell_panel_and_colour_bar_are_drawn_by_seaborn_heatmap(small, spy) -> None:
    figure = small.figure()
    [call] = spy
    heat, bar = axes_named(figure, "heatmap"), axes_named(figure, "colour bar")
    assert call["ax"] is heat and call["cbar_ax"] is bar
    assert call["xticklabels"] is False and call["yticklabels"] is False, "our label artists write labels"
    assert call["annot"] is False, "no per-cell annotation work unless asked"
    np.testing.assert_array_equal(call["data"], small.matrix.to_numpy())
    # the mesh on our axes is seaborn's: its colour bar lives in our colour-bar axes
    assert cells_artist(figure).colorbar.ax is bar
    # a trait of seaborn's colour bar: no outline (matplotlib's own draws one)
    assert axes_named(figure, "colour bar").spines["outline"].get_linewidth() == 0


def test_every_page_is_drawn_by_seaborn_with_one_colour_scale(summary, spy) -> None:
    from amiga_heatmap.builtin.figure.draw import figure_pages
    from amiga_heatmap.builtin.figure.options import read_options

    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1")
    pages = list(figure_pages(result, read_options({"rows_per_page": 40})))
    assert len(pages) == len(spy) == 3
    values = result.matrix.to_numpy()
    for number, call in enumerate(spy):
        np.testing.assert_array_equal(call["data"], values[number * 40 : (number + 1) * 40])
    assert len({(call["norm"].vmin, call["norm"].vmax) for call in spy}) == 1
    assert (spy[0]["norm"].vmin, spy[0]["norm"].vmax) == (values.min(), values.max())


def test_large_matrices_are_drawn_by_seaborn_then_shown_as_one_image(spy) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(1.0, 0.2, size=(60, 100))
    values[5, 10:20] = np.inf
    rows = pd.DataFrame(
        [{"x": f"c{c:03d}", "y": f"r{r:03d}", "v": values[r, c]} for r in range(60) for c in range(100)]
    )
    figure = heatmap(rows, value="v", x="x", y="y").figure()
    assert len(spy) == 1
    heat = axes_named(figure, "heatmap")
    [image] = heat.images
    np.testing.assert_array_equal(np.ma.getmaskarray(image.get_array()), np.isinf(values))
    np.testing.assert_array_equal(image.get_array().compressed(), values[np.isfinite(values)])
    assert infinite_cells(figure, values.shape).tolist() == np.isinf(values).tolist()
    assert len(infinite_layer(figure).get_paths()) == 1, "a run of infinite cells is one rectangle"


# ------------------------------------------------------------------------------ seaborn's keywords


def test_dotted_kwargs_build_the_nested_seaborn_keywords() -> None:
    assert parse_kwargs("cbar_kws.label:Fold change;annot_kws.size:6;linewidths:0.5") == {
        "cbar_kws": {"label": "Fold change"},
        "annot_kws": {"size": 6},
        "linewidths": 0.5,
    }
    with pytest.raises(UsageError, match="'cbar_kws.label' is given twice"):
        parse_kwargs("cbar_kws.label:a;cbar_kws.label:b")
    with pytest.raises(UsageError, match="sets 'cbar_kws' and also 'cbar_kws.label' inside it"):
        parse_kwargs("cbar_kws:a;cbar_kws.label:b")
    with pytest.raises(UsageError, match="both whole and with dotted keys"):
        parse_kwargs("cbar_kws.label:b;cbar_kws:a")
    with pytest.raises(UsageError, match="has an empty part"):
        parse_kwargs("cbar_kws.:b")


def test_unknown_nested_keys_are_refused_with_the_closest_names(run_cli, summary, small) -> None:
    from amiga_heatmap.builtin.figure.options import OPTIONS

    accepted = {option.name: option.help for option in OPTIONS}
    with pytest.raises(UsageError, match=r"'cbar_kws.lable'.*Did you mean 'cbar_kws.label'"):
        check_accepted(parse_kwargs("cbar_kws.lable:x"), accepted, "seaborn")
    with pytest.raises(UsageError, match=r"'annot_kws.sise'.*Did you mean 'annot_kws.size'"):
        small.figure(annot_kws={"sise": 3})
    done = run_cli("-i", summary, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                   "--kwargs", "cbar_kws.shrink:0.5")
    assert done.exit_code == 2
    assert "does not accept the option 'cbar_kws.shrink'" in done.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cbar_kws.extend:sideways", r"^cbar_kws.extend must be one of neither, min, max, both"),
        ("cbar_kws.format:abc", "is not a tick format"),
        ("cbar_kws.ticks:0,one", "must be numbers separated by commas"),
        ("annot_kws.size:-1", "must be a number above 0"),
        ("annot_kws.color:nope", "must be a colour"),
        ("alpha:2", "must be a number at least 0 and at most 1"),
        ("linestyle:wavy", "solid, dashed, dotted, dashdot"),
        ("infinite_cell_hatch:abc", "is not a hatch pattern"),
        ("edgecolor:red;linecolor:blue", "edgecolor and linecolor"),
        ("mask:< 1.2", r"^mask cannot be written as text.*mask=result.matrix < 1.2"),
    ],
)
def test_bad_seaborn_keyword_values_are_usage_errors(small, text, message) -> None:
    # from Python an option is named by its key; the command line says "the option ... in --kwargs"
    with pytest.raises(UsageError, match=message):
        small.figure(**parse_kwargs(text))


def test_cbar_kws_label_is_the_colour_bar_label_in_the_svg(run_cli, normalized, tmp_path) -> None:
    done = run_cli("-i", normalized, "--output-dir", tmp_path, "-o", "labelled", "-x", "Strain",
                   "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any > 1.2",
                   "--format", "svg",
                   "--kwargs", "cbar_kws.label:Fold change;cbar_kws.format:{x:.2f}")
    assert done.exit_code == 0, done.stderr
    svg = ElementTree.parse(tmp_path / "labelled.svg")
    texts = {"".join(element.itertext()).strip(): element for element in svg.iter(SVG + "text")}
    assert "Fold change" in texts
    assert "rotate(-90" in texts["Fold change"].get("transform", ""), "the vertical colour bar's label"
    ticks = [text for text in texts if text.count(".") == 1 and text.replace(".", "").isdigit()]
    assert ticks and all(len(text.split(".")[1]) == 2 for text in ticks), "cbar_kws.format reaches the ticks"
    # cbar_kws.ticks places the ticks
    ticked = small_figure_ticks(normalized, "cbar_kws.ticks:1.5,2.5,3.5")
    assert ticked == [1.5, 2.5, 3.5]
    # without the option the colour bar is labelled with the value's name
    assert axes_named(heatmap(normalized, value="gr", x="Strain", y="Substrate", operation="mean").figure(),
                      "colour bar").get_ylabel() == "gr"


def small_figure_ticks(source, kwargs: str) -> list[float]:
    result = heatmap(source, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                     filter="row any > 1.2")
    return axes_named(result.figure(**parse_kwargs(kwargs)), "colour bar").get_yticks().tolist()


def test_annot_kws_reach_the_annotations(small) -> None:
    figure = small.figure(**parse_kwargs("annot:true;fmt:.3f;annot_kws.size:6;annot_kws.weight:bold"))
    texts = axes_named(figure, "heatmap").texts
    assert {text.get_fontsize() for text in texts} == {6.0}
    assert {text.get_fontweight() for text in texts} == {"bold"}
    # every cell's mean, computed here from the rows, written with the format
    rows = small.rows
    means = rows.groupby(["Substrate", "Strain"])["norm(auc_lin)"].mean().unstack()
    expected = means.loc[small.matrix.index, small.matrix.columns].to_numpy()
    written = annotations(figure)
    assert written == {(r, c): format(expected[r, c], ".3f") for r in range(24) for c in range(2)}


def test_linewidths_and_pcolormesh_keywords_reach_the_mesh(small) -> None:
    options = parse_kwargs("linewidths:0.5;linecolor:#123456;linestyle:dashed;alpha:0.8")
    mesh = cells_artist(small.figure(**options))
    assert mesh.get_linewidths().tolist() == [0.5]
    assert mesh.get_edgecolor().tolist() == [list(to_rgba("#123456", 0.8))]
    assert mesh.get_linestyle()[0][1] is not None, "dashed"
    assert mesh.get_alpha() == 0.8
    assert cells_artist(small.figure(edgecolor="#654321", linewidths=1)).get_edgecolor().tolist() == [
        list(to_rgba("#654321"))
    ]
    assert cells_artist(small.figure(rasterized=True)).get_rasterized() is True


def test_a_mask_from_python_hides_cells(small) -> None:
    mask = small.matrix < 1.2
    figure = small.figure(mask=mask)
    drawn = cells_artist(figure).get_array()
    np.testing.assert_array_equal(np.ma.getmaskarray(drawn), mask.to_numpy())
    assert legend(figure, "missing cells")[1] == {"masked": "#d0d0d0"}
    with pytest.raises(UsageError, match=r"The mask has the shape \(2, 2\), but the heatmap has 24 rows"):
        small.figure(mask=np.zeros((2, 2), dtype=bool))


# ------------------------------------------------------------------------------------ infinite cells


def test_infinite_cells_have_no_edge_their_own_colour_and_hatch() -> None:
    result = with_infinite({"r1": [0.0, 1.0, np.inf], "r2": [np.inf, np.inf, 0.5], "r3": [-np.inf, 2.0, 1.5]})
    figure = result.figure()
    layer = infinite_layer(figure)
    assert infinite_cells(figure, (3, 3)).tolist() == np.isinf(result.matrix.to_numpy()).tolist()
    assert layer.get_linewidths().tolist() == [0.0] and layer.get_edgecolor().size == 0, "no edge bleeds"
    assert layer.get_hatch() == "////"
    assert layer.get_facecolor().tolist() == [list(to_rgba("#ff00ff"))]
    # magenta is on none of the default colour maps
    from matplotlib import colormaps

    for name in ("viridis", "RdBu_r"):
        colours = colormaps[name](np.linspace(0, 1, 256))[:, :3]
        distances = np.abs(colours - to_rgba("#ff00ff")[:3]).sum(axis=1)
        assert distances.min() > 0.5, name
    assert legend(figure, "missing cells") == ("", {"infinite": "#ff00ff"})
    [handle] = next(item for item in figure.legends if item.get_gid() == "missing cells").legend_handles
    assert handle.get_hatch() == "////"
    # with lines between cells the infinite cells keep them, one rectangle per cell
    lined = infinite_layer(result.figure(linewidths=0.5, linecolor="#123456", infinite_cell_hatch="xx"))
    assert lined.get_linewidths().tolist() == [0.5] and lined.get_hatch() == "xx"
    assert len(lined.get_paths()) == 4


# ---------------------------------------------------------------------------------------------- seams


def test_cells_and_colour_bar_are_outlined_in_their_own_colour(small) -> None:
    from amiga_heatmap.builtin.figure.cells import SEAM_WIDTH

    figure = small.figure()
    mesh = cells_artist(figure)
    mesh.update_scalarmappable()
    assert mesh.get_linewidths().tolist() == [SEAM_WIDTH]
    np.testing.assert_array_equal(mesh.get_edgecolor(), mesh.get_facecolor())
    solids = mesh.colorbar.solids
    assert solids.get_rasterized() is False, "vector: no whole-figure rasterisation"
    solids.update_scalarmappable()
    np.testing.assert_array_equal(solids.get_edgecolor(), solids.get_facecolor())


def inside(pixels: np.ndarray, box, margin: int) -> np.ndarray:
    """The pixels of a page image within the axes position ``box`` (figure fractions), less ``margin``."""
    tall, wide = pixels.shape[:2]
    left, right = int(box.x0 * wide) + margin, int(box.x1 * wide) - margin
    top, bottom = int((1 - box.y1) * tall) + margin, int((1 - box.y0) * tall) - margin
    return pixels[top:bottom, left:right]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_rasterised_pdf_pages_show_no_seams_between_cells_or_colour_bar_bands(tmp_path) -> None:
    from PIL import Image

    # two pages of identical cells: every pixel inside the panel must be the same colour
    rows = pd.DataFrame([{"x": f"c{c}", "y": f"r{r:02d}", "v": 1.0 + (r == 0 and c == 0)}
                         for r in range(30) for c in range(4)])
    result = heatmap(rows, value="v", x="x", y="y")
    [path] = result.save(tmp_path / "pages.pdf", rows_per_page=15, cmap="viridis")
    from amiga_heatmap.builtin.figure.draw import figure_pages
    from amiga_heatmap.builtin.figure.options import read_options

    second = list(figure_pages(result, read_options({"rows_per_page": 15, "cmap": "viridis"})))[1]
    width, height = second.get_size_inches()
    heat = axes_named(second, "heatmap").get_position()
    bar = axes_named(second, "colour bar").get_position()
    for dpi in (60, 72, 100, 150, 200):
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "2", "-l", "2", path, tmp_path / f"p{dpi}"],
                       check=True)
        [png] = tmp_path.glob(f"p{dpi}*.png")
        pixels = np.asarray(Image.open(png).convert("RGB")).astype(int)
        assert pixels.shape[:2] == pytest.approx((height * dpi, width * dpi), abs=1.5)
        panel = inside(pixels, heat, 3)
        assert (np.abs(panel - panel[0, 0]).max(axis=2) <= 2).all(), f"seams between cells at {dpi} dpi"
        strip = inside(pixels, bar, 2)
        centre = strip[:, strip.shape[1] // 2]
        lightness = centre @ np.array([0.2126, 0.7152, 0.0722])
        bumps = (lightness[1:-1] > lightness[:-2] + 4) & (lightness[1:-1] > lightness[2:] + 4)
        assert not bumps.any(), f"bands in the colour bar at {dpi} dpi"


# ------------------------------------------------------------------------------------ import cost


def lean_run(summary, tmp_path, name: str, *extra: str) -> str:
    """Run the command line's process entry point in a fresh interpreter; return what it printed, and
    at exit which scipy modules were loaded and whether they can still be imported."""
    script = f"""
import atexit, sys
def report():
    print("LOADED", "seaborn" in sys.modules, "scipy.stats" in sys.modules, "scipy.cluster" in sys.modules)
    import scipy.cluster.hierarchy, scipy.stats  # still importable afterwards
    print("IMPORTABLE", scipy.stats.norm.cdf(0.0), len(scipy.cluster.hierarchy.linkage([[0.0], [1.0]])))
atexit.register(report)
sys.argv = ["amiga-heatmap", "-i", {str(summary)!r}, "--output-dir", {str(tmp_path)!r}, "-o", {name!r},
            "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "-s", "PM:1", *{list(extra)!r}]
from amiga_heatmap.cli.commands import run
run()
"""
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=REPOSITORY
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"{name}.pdf").stat().st_size > 0
    return done.stdout


def test_the_command_line_imports_seaborn_without_scipy(summary, tmp_path) -> None:
    printed = lean_run(summary, tmp_path, "lean")
    assert "LOADED True False False" in printed
    assert "IMPORTABLE 0.5 1" in printed
    # clustering imports scipy.cluster before drawing; seaborn then gets it as usual
    assert "LOADED True False True" in lean_run(summary, tmp_path, "clustered", "--cluster-y")


def test_seaborn_is_imported_whole_outside_the_command_line() -> None:
    script = """
import sys
from amiga_heatmap.builtin.figure.seaborn_import import seaborn_module
seaborn_module()
import seaborn.matrix, seaborn._statistics
print("WHOLE", not seaborn.matrix._no_scipy and not seaborn._statistics._no_scipy)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=REPOSITORY
    )
    assert "WHOLE True" in done.stdout, done.stderr
