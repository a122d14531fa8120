"""amiga-heatmap-plotly on the real example data: the HTML file's figure, hover text and self-containment.

The figure is read back from the written file (the JSON plotly.js is called with) and compared with
values computed here with plain pandas. The plugin is registered with amiga-heatmap's
``amiga_heatmap_plugin`` fixture, so installed plugins play no part.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import amiga_heatmap_plotly
import numpy as np
import pandas as pd
import pytest
from amiga_heatmap_plotly.renderer import build_figure

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError
from amiga_heatmap.pipeline.labels.colors import ColourStrip

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "randomii"
COMMAND = ["-x", "Strain", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any > 1.2",
           "-t", "Normalized AUC"]


@pytest.fixture
def plotly_plugin(amiga_heatmap_plugin):
    return amiga_heatmap_plugin(amiga_heatmap_plotly, name="plotly")


@pytest.fixture
def normalized(tmp_path) -> Path:
    return Path(shutil.copy(EXAMPLES / "ER_all_summary_normalized.txt", tmp_path))


@pytest.fixture
def run_cli():
    from click.testing import CliRunner

    from amiga_heatmap.cli import main

    def run(*args):
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return run


def plotted(path: Path) -> tuple[str, list, dict]:
    """The div id, traces and layout that the HTML file hands to Plotly.newPlot."""
    page = path.read_text(encoding="utf-8")
    text = page[page.index("Plotly.newPlot(") + len("Plotly.newPlot("):]
    decoder, values, position = json.JSONDecoder(), [], 0
    while len(values) < 3:
        position = re.compile(r"[\s,]*").match(text, position).end()
        value, position = decoder.raw_decode(text, position)
        values.append(value)
    return values[0], values[1], values[2]


def natural(matrix: pd.DataFrame) -> pd.DataFrame:
    """``matrix`` with rows and columns in amiga-heatmap's label order: case-insensitive, numbers in
    numeric order (natsort's key), where pandas' groupby sorts by character code."""
    from natsort import index_natsorted, ns

    matrix = matrix.iloc[index_natsorted(matrix.index, alg=ns.INT | ns.IGNORECASE)]
    return matrix.iloc[:, index_natsorted(matrix.columns, alg=ns.INT | ns.IGNORECASE)]


def expected_matrix(path: Path) -> pd.DataFrame:
    rows = pd.read_csv(path, sep="\t")
    matrix = natural(rows.groupby(["Substrate", "Strain"])["norm(auc_lin)"].mean().unstack("Strain").dropna())
    return matrix[(matrix > 1.2).any(axis=1)]


def test_command_line_writes_one_self_contained_html_file(plotly_plugin, normalized, run_cli) -> None:
    done = run_cli("-i", normalized, "-o", "ER_norm_auc", "--format", "html", *COMMAND)
    assert done.exit_code == 0, done.stderr
    written = sorted(path.name for path in normalized.parent.iterdir() if not path.name.startswith("."))
    assert written == ["ER_all_summary_normalized.txt", "ER_norm_auc.html", "ER_norm_auc.provenance.json"], (
        "one file and its provenance record, nothing else beside it")
    page = (normalized.parent / "ER_norm_auc.html").read_text(encoding="utf-8")
    assert re.search(r"<script[^>]*\bsrc=", page) is None, "no script is fetched from anywhere"
    assert re.search(r"<link[^>]*\bhref=", page) is None
    assert "plotly.js v" in page and len(page) > 3_000_000, "plotly.js is inside the file"
    assert "<title>Normalized AUC</title>" in page


def test_cells_labels_and_order_are_the_matrix(plotly_plugin, normalized, run_cli) -> None:
    run_cli("-i", normalized, "-o", "fig", "--format", "html", *COMMAND)
    div, traces, layout = plotted(normalized.parent / "fig.html")
    expected = expected_matrix(normalized)
    assert div == "amiga-heatmap"
    (cells,) = traces
    assert cells["type"] == "heatmap"
    assert cells["x"] == list(expected.columns) == ["MEX_2020", "USA_1995"]
    assert cells["y"] == list(expected.index) and len(cells["y"]) == 24
    np.testing.assert_allclose(cells["z"], expected.to_numpy(), rtol=1e-15)
    assert layout["yaxis"]["autorange"] == "reversed", "first row at the top, as in the PDF"
    assert layout["title"]["text"] == "Normalized AUC"
    assert layout["xaxis"]["title"]["text"] == "Strain" and layout["yaxis"]["title"]["text"] == "Substrate"
    assert cells["colorbar"]["title"]["text"] == "norm(auc_lin)"


def drawn_row_labels(figure) -> list[str]:
    """The row labels of a built-in seaborn-renderer figure, top to bottom."""
    from amiga_heatmap.builtin.figure.label_artist import LabelArtist

    (axes,) = [axes for axes in figure.axes if axes.get_label() == "row labels"]
    placed = [
        (float(anchor[1]), text)
        for artist in axes.artists
        if isinstance(artist, LabelArtist)
        for text, anchor in zip(artist.texts, artist.anchors)
    ]
    return [text for _, text in sorted(placed)]


def test_order_is_the_order_of_the_pdf(plotly_plugin, normalized) -> None:
    result = heatmap(normalized, value="gr", x="Isolate", y="Substrate", operation="mean", subset="Isolate:ER3")
    pdf_rows = drawn_row_labels(result.figure(yticklabels=True))  # the seaborn figure, every row labelled
    html_rows = list(build_figure(result, {}).data[0].y)
    assert html_rows == pdf_rows and len(pdf_rows) == 191
    assert pdf_rows != sorted(pdf_rows), "a one-column heatmap is ordered by value"


def test_hover_shows_value_replicates_and_spread(plotly_plugin, normalized, run_cli) -> None:
    run_cli("-i", normalized, "-o", "fig", "--format", "html", *COMMAND)
    _, (cells,), _ = plotted(normalized.parent / "fig.html")
    assert cells["hovertemplate"] == "%{customdata}<extra></extra>"
    rows = pd.read_csv(normalized, sep="\t")
    replicates = rows[(rows.Substrate == "D-Sorbitol") & (rows.Strain == "USA_1995")]["norm(auc_lin)"]
    row, column = cells["y"].index("D-Sorbitol"), cells["x"].index("USA_1995")
    assert cells["customdata"][row][column].split("<br>") == [
        "Strain: USA_1995",
        "Substrate: D-Sorbitol",
        f"norm(auc_lin) (mean): {replicates.mean():.4g}",
        f"replicates: {replicates.count()}",
        f"SD: {replicates.std():.3g}",
        f"range: {replicates.min():.4g} – {replicates.max():.4g}",
    ]
    assert replicates.count() == 4


def test_same_result_same_bytes(plotly_plugin, normalized, tmp_path) -> None:
    result = heatmap(normalized, value="norm(gr)", x="Isolate", y="Substrate", operation="median",
                     filter="row all >= 1.1")
    [first], [second] = result.save(tmp_path / "a.html"), result.save(tmp_path / "b.html")
    assert Path(first).read_bytes() == Path(second).read_bytes()


def test_options_reach_the_figure(plotly_plugin, normalized) -> None:
    result = heatmap(normalized, value="norm(gr)", x="Isolate", y="Substrate", operation="mean",
                     filter="row any >= 1.5")
    figure = build_figure(result, {"cmap": "RdBu_r", "center": 1, "vmin": 0.5, "vmax": 2.5, "annot": True,
                                   "fmt": ".2f", "width": 9, "height": 7})
    cells = figure.data[0]
    assert (cells.zmid, cells.zmin, cells.zmax, cells.texttemplate) == (1, 0.5, 2.5, "%{z:.2f}")
    assert cells.colorscale[0][1] == "rgb(5,48,97)", "RdBu reversed starts dark blue"
    assert (figure.layout.width, figure.layout.height) == (9 * 96, 7 * 96)
    with pytest.raises(UsageError, match=r"does not know the colour scale 'mako'.*append _r"):
        build_figure(result, {"cmap": "mako"})


def test_unknown_option_is_refused_before_drawing(plotly_plugin, normalized, run_cli) -> None:
    done = run_cli("-i", normalized, "-o", "bad", "--format", "html", "--kwargs", "linewidths:1", *COMMAND)
    assert done.exit_code == 2 and "'annot', 'center', 'cmap'" in done.stderr
    assert not (normalized.parent / "bad.html").exists()


def test_missing_cells_are_gaps_with_a_dash_in_the_hover(plotly_plugin, normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                     filter="row any > 1.2")
    result.matrix.iloc[0, 0] = np.nan
    figure = build_figure(result, {})
    assert np.isnan(figure.data[0].z[0][0])
    assert "norm(auc_lin) (mean): –" in figure.data[0].customdata[0][0]


def test_colour_strips_are_drawn_above_columns_and_left_of_rows(plotly_plugin, normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     filter="row all > 2")
    rows = pd.read_csv(normalized, sep="\t")
    strain_of = rows.groupby("Isolate")["Strain"].first()
    colours = {"USA_1995": "#1f77b4", "MEX_2020": "#ff7f0e"}
    strains = [strain_of[isolate] for isolate in result.matrix.columns]
    by_pm = ["PM" + str(rows[rows.Substrate == label].PM.iloc[0]) for label in result.matrix.index]
    strips = {
        "x": ColourStrip("Strain", strains, [colours[strain] for strain in strains]),
        "y": ColourStrip("Plate", by_pm, ["#999999" if pm == "PM1" else "#333333" for pm in by_pm]),
    }
    figure = build_figure(result, {}, strips=strips)
    cells, column_strip, row_strip = figure.data
    assert list(column_strip.x) == list(cells.x) and list(row_strip.y) == list(cells.y)
    codes = np.asarray(column_strip.z)[0]
    # the scale holds two stops per category: code c spans stops 2c and 2c + 1
    assert [column_strip.colorscale[2 * code][1] for code in codes] == [colours[strain] for strain in strains]
    assert [column_strip.colorscale[2 * code + 1][1] for code in codes] == [colours[strain] for strain in strains]
    assert [text.split(": ")[1] for text in np.asarray(column_strip.customdata)[0]] == strains
    assert [text.split(": ")[1] for text in np.asarray(row_strip.customdata)[:, 0]] == by_pm
    row_strip_axis = figure.layout["yaxis" + row_strip.yaxis.removeprefix("y")]
    assert row_strip_axis.autorange == "reversed", "the rows of the strip follow the heatmap's"
    assert len([name for name in figure.layout if name.startswith("xaxis")]) == 3, "no empty corner axes"


def test_registers_the_html_format(plotly_plugin) -> None:
    assert plotly_plugin.renderer_for_format("html").name == "plotly"
    assert plotly_plugin.renderers.plugin_of("plotly") == "plotly"


def test_importing_the_plugin_is_light() -> None:
    code = ("import sys, amiga_heatmap_plotly\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'plotly', 'matplotlib'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
