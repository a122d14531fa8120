"""The command-line flags of order, clustering, colours, missing cells, size, labels and pages: each
reaches the API or the renderer, and mistakes are one-paragraph usage errors."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.cluster.hierarchy import leaves_list, linkage

BASE = ("-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any > 1.5")


def matrix(path) -> pd.DataFrame:
    rows = pd.read_csv(path, sep="\t")
    means = rows.groupby(["Substrate", "Isolate"])["norm(auc_lin)"].mean().unstack("Isolate")
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


def test_figure_flags_reach_the_renderer(run_cli, normalized, tmp_path) -> None:
    scheme = tmp_path / "colours.txt"
    scheme.write_text("Strain\tColor\nUSA_1995\tnavy\nMEX_2020\tgold\n")
    done = run_cli(
        "-i",
        normalized,
        "-o",
        "flags",
        *BASE,
        "--format",
        "svg",
        "--width-height",
        "7",
        "9",
        "--colorbar-ratio",
        "0.04",
        "--color-x-by",
        "Strain",
        "--color-file-x",
        scheme,
        "--color-y-by",
        "PM",
        "--color-scheme-y",
        "1:black;2:grey",
        "--missing-color",
        "pink",
        "--color-x-ratio",
        "0.03",
        "--color-y-ratio",
        "0.03",
        "--legend",
        "both",
        "--cluster-x",
        "--cluster-y",
        "--show-dendrogram",
        "--x-tick-labels-scale",
        "0.6",
        "--y-tick-labels-scale",
        "0.6",
        "--color-bar-labels-scale",
        "0.5",
        "--x-rotation",
        "60",
        "--highlight-labels",
        "y:Sucrose;x:ER1",
    )
    assert done.exit_code == 0, done.stderr
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
