"""The command-line flags of order, clustering, colours, missing cells, size, labels and pages: each
reaches the API or the renderer, and mistakes are one-paragraph usage errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import leaves_list, linkage

BASE = ("-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any > 1.5")

from .conftest import natural


def matrix(path) -> pd.DataFrame:
    rows = pd.read_csv(path, sep="\t")
    means = natural(rows.groupby(["Substrate", "Isolate"])["norm(auc_lin)"].mean().unstack("Isolate"))
    return means[(means > 1.5).any(axis=1)]


def read_tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", index_col=0)


@pytest.mark.parametrize(
    "flags",
    [
        ["--cluster-y", "--cluster-method", "complete", "--cluster-metric", "cityblock"],
        ["--kwargs", "row_cluster:true", "--cluster-method", "complete", "--cluster-metric", "cityblock"],
    ],
)
def test_clustering_flags_and_amigas_kwargs_order_the_table_too(run_cli, normalized, flags) -> None:
    done = run_cli("-i", normalized, "-o", "clustered", *BASE, "--format", "tsv", *flags)
    assert done.exit_code == 0, done.stderr
    expected = matrix(normalized)
    order = leaves_list(linkage(expected.to_numpy(), "complete", metric="cityblock"))
    assert list(read_tsv(normalized.parent / "clustered.tsv").index) == list(expected.index[order])


def test_sort_flag(run_cli, normalized) -> None:
    done = run_cli("-i", normalized, "-o", "sorted", *BASE, "--format", "tsv", "--sort-x-by", "Strain")
    assert done.exit_code == 0, done.stderr
    assert list(read_tsv(normalized.parent / "sorted.tsv").columns) == ["ER3", "ER4", "ER1", "ER2"]


def test_figure_flags_reach_the_renderer(run_cli, normalized, tmp_path, monkeypatch) -> None:
    from amiga_heatmap.result import HeatmapResult

    from .figure_parts import axes_named

    saved = []
    real_save = HeatmapResult.save

    def recording_save(self, path, file_format=None, renderer=None, **options):
        saved.append((self, file_format, renderer, dict(options)))
        return real_save(self, path, file_format, renderer, **options)

    monkeypatch.setattr(HeatmapResult, "save", recording_save)
    scheme = tmp_path / "colours.txt"
    scheme.write_text("Strain\tColor\nUSA_1995\tnavy\nMEX_2020\tgold\n")
    done = run_cli(
        "-i", normalized, "-o", "flags", *BASE, "--format", "svg",
        "--width-height", "7", "9",
        "--colorbar-ratio", "0.04",
        "--color-x-by", "Strain", "--color-file-x", scheme,
        "--color-y-by", "PM", "--color-scheme-y", "1:black",  # PM 2 is left to --missing-color
        "--missing-color", "pink",
        "--color-x-ratio", "0.03", "--color-y-ratio", "0.05",  # different, so a swap shows
        "--legend", "both",
        "--cluster-x", "--cluster-y", "--cluster-method", "complete", "--cluster-metric", "cityblock",
        "--show-dendrogram",
        "--x-tick-labels-scale", "0.6", "--y-tick-labels-scale", "0.7", "--color-bar-labels-scale", "0.5",
        "--x-rotation", "60",
        "--highlight-labels", "y:Sucrose;x:ER1",
    )
    assert done.exit_code == 0, done.stderr

    # every renderer flag arrives under its own key with its own value
    [(result, file_format, renderer, options)] = saved
    assert (file_format, renderer) == ("svg", "seaborn")
    assert options == {
        "width": 7, "height": 9, "colorbar_ratio": 0.04, "color_x_ratio": 0.03, "color_y_ratio": 0.05,
        "x_tick_labels_scale": 0.6, "y_tick_labels_scale": 0.7, "color_bar_labels_scale": 0.5,
        "x_rotation": 60, "legend": "both", "show_dendrogram": True,
    }

    # the pipeline flags: colour strips (file, scheme, missing colour), clustering, highlights
    rows = pd.read_csv(normalized, sep="\t")
    strain = rows.drop_duplicates("Isolate").set_index("Isolate")["Strain"]
    assert result.x_colors.colors.to_dict() == {
        isolate: {"USA_1995": "#000080", "MEX_2020": "#ffd700"}[strain[isolate]] for isolate in result.matrix.columns
    }
    plate = rows.drop_duplicates("Substrate").set_index("Substrate")["PM"]
    assert result.y_colors.colors.to_dict() == {
        substrate: "#000000" if plate[substrate] == 1 else "#ffc0cb" for substrate in result.matrix.index
    }
    assert set(plate[result.matrix.index]) == {1, 2}  # both the scheme and the missing colour are used
    expected = matrix(normalized)
    rows_linkage = linkage(expected.to_numpy(), "complete", metric="cityblock")
    columns_linkage = linkage(expected.to_numpy().T, "complete", metric="cityblock")
    np.testing.assert_allclose(result.row_linkage, rows_linkage, rtol=1e-12)
    np.testing.assert_allclose(result.column_linkage, columns_linkage, rtol=1e-12)
    assert list(result.matrix.index) == list(expected.index[leaves_list(rows_linkage)])
    assert list(result.matrix.columns) == list(expected.columns[leaves_list(columns_linkage)])
    assert result.highlighted == {"x": ["ER1"], "y": ["Sucrose"]}

    # the shares of the figure the renderer gives the strips and the colour bar
    figure = result.figure(**options)
    assert tuple(figure.get_size_inches()) == (7, 9)
    assert axes_named(figure, "column colours").get_position().height == pytest.approx(0.03)
    assert axes_named(figure, "row colours").get_position().width == pytest.approx(0.05)
    assert axes_named(figure, "colour bar").get_position().width == pytest.approx(0.04)
    assert axes_named(figure, "row dendrogram") is not None and axes_named(figure, "column dendrogram") is not None

    # and the files written end to end
    svg = (normalized.parent / "flags.svg").read_text()
    assert 'width="504pt" height="648pt"' in svg  # 7 x 9 inches
    for written in ("flags_x_legend.svg", "flags_y_legend.svg"):
        assert (
            normalized.parent / written
        ).exists() and f"Wrote {normalized.parent / written}." in done.stdout
    assert "rotate(-60" in svg and "Sucrose" in svg


def test_rows_per_page_flag_writes_a_multi_page_pdf(run_cli, summary) -> None:
    from pypdf import PdfReader

    done = run_cli(
        "-i",
        summary,
        "-o",
        "paged",
        "-x",
        "Isolate",
        "-y",
        "Substrate",
        "-v",
        "gr",
        "-p",
        "mean",
        "--rows-per-page",
        "50",
    )
    assert done.exit_code == 0, done.stderr
    assert len(PdfReader(summary.parent / "paged.pdf").pages) == 4  # 191 substrates


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--width-height", "-2", "5"], "--width-height (width) must be a number at least 0.5"),
        (["--x-rotation", "100"], "--x-rotation (x_rotation) must be a number at least 0 and at most 90"),
        (["--kwargs", "cmap:no-such-map"], "'no-such-map' is not a colour map"),
        (
            ["--x-rotation", "30", "--kwargs", "x_rotation:45"],
            "--x-rotation and 'x_rotation' in --kwargs set the same option",
        ),
        (
            ["--width-height", "5", "5", "--format", "tsv"],
            "--width-height is a figure option, but the 'table' renderer",
        ),
        (["--rows-per-page", "10", "--format", "png"], "splits rows over the pages of a PDF"),
        (
            ["--cluster-x", "--cluster-method", "ward", "--cluster-metric", "cosine"],
            "euclidean distances only",
        ),
        (["--kwargs", "row_cluster:maybe"], "row_cluster in --kwargs must be true or false"),
        (["--color-scheme-y", "1:red"], "Add --color-y-by COLUMN"),
        (["--highlight-labels", "z:ER1"], "'z' is not an axis"),
    ],
)
def test_mistakes_fail_fast_with_exit_status_2(run_cli, normalized, flags, message) -> None:
    done = run_cli("-i", normalized, "-o", "bad", *BASE, *flags)
    assert done.exit_code == 2, done.stderr
    assert done.stderr.startswith("Error: ") and message in done.stderr
    assert not list(normalized.parent.glob("bad*"))
