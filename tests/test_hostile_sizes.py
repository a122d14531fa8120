"""Hostile sizes and undrawable values: messages that would list thousands of things, filters nested a
thousand deep, annotations on huge matrices, number formats of ten thousand digits, infinite colour
limits.

Every message that lists things shows a few and counts the rest; parsers stop at a depth limit with a
usage error; work that grows with the input is refused before it starts, saying how to override it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError, UsageError, known_list, listed, shortened, shown_path

AXES = ("-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean")
SHORT = 1000  # characters: more than any message here needs


def many(prefix: str, count: int = 10_000) -> list[str]:
    return [f"{prefix}{number}" for number in range(count)]


@pytest.fixture
def rows(summary) -> pd.DataFrame:
    return pd.read_csv(summary, sep="\t")


# ------------------------------------------------------------------------------------------ listing


def test_listed_shows_a_few_and_counts_the_rest():
    assert listed(many("Q", 10_000)) == "Q0, Q1, Q2, Q3, Q4 and 9,995 more"
    assert listed(["a", "b"]) == "a, b"
    assert listed([]) == ""
    assert listed(["x" * 500]) == shortened("x" * 500)
    assert len(known_list(many("column", 10_000))) < 400


def test_shown_path_keeps_the_start_and_the_file_name():
    path = "/data/" + "nested/" * 1000 + "plate.txt"
    shown = shown_path(path)
    assert len(shown) < 220
    assert shown.startswith("'/data/nested/") and shown.endswith("/plate.txt' (7,015 characters)")


def test_a_subset_of_ten_thousand_values_matching_nothing_gives_a_short_error(summary, run_cli):
    result = run_cli("-i", summary, *AXES, "--format", "tsv", "-s", "Isolate:" + ",".join(many("Q")))
    assert result.exit_code == 1
    error = next(line for line in result.stderr.splitlines() if line.startswith("Error:"))
    warning = next(line for line in result.stderr.splitlines() if line.startswith("Warning:"))
    assert "and 9,995 more" in error and "and 9,995 more" in warning
    assert len(result.stderr) < 2 * SHORT


def test_a_subset_with_two_matches_among_ten_thousand_warns_briefly_and_keeps_the_matches(
    summary, rows, tmp_path, run_cli
):
    values = ["ER1", "ER2", *many("Q")]
    result = run_cli(
        "-i",
        summary,
        *AXES,
        "--format",
        "tsv",
        "-o",
        "two",
        "--output-dir",
        tmp_path,
        "-s",
        "Isolate:" + ",".join(values),
    )
    assert result.exit_code == 0, result.stderr
    assert len(result.stderr) < SHORT and "and 9,995 more" in result.stderr
    kept = rows[rows.Isolate.isin(["ER1", "ER2"])]
    expected = kept.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate").dropna()
    written = pd.read_csv(tmp_path / "two.tsv", sep="\t", index_col=0)
    assert list(written.columns) == ["ER1", "ER2"]
    assert np.allclose(written.loc[expected.index, expected.columns], expected)


def test_the_closest_values_are_still_suggested_for_the_values_shown(summary):
    with pytest.warns(UserWarning, match=r"Isolate:ER9 \(closest: 'ER"):
        heatmap(
            summary,
            value="gr",
            x="Isolate",
            y="Substrate",
            operation="mean",
            subset={"Isolate": ["ER1", "ER9"]},
        )


def test_ten_thousand_unknown_highlight_labels_warn_briefly(summary, run_cli, tmp_path):
    result = run_cli(
        "-i",
        summary,
        *AXES,
        "-s",
        "PM:1",
        "--format",
        "svg",  # a renderer that draws highlights (the table renderer refuses them)
        "--output-dir",
        tmp_path,
        "--highlight-labels",
        "y:" + ",".join(many("Substrate ")),
    )
    assert result.exit_code == 0, result.stderr
    assert len(result.stderr) < SHORT
    assert "and 9,995 more" in result.stderr


def test_a_missing_column_among_ten_thousand_lists_a_few_of_them(tmp_path, run_cli):
    table = pd.DataFrame(
        {
            "Isolate": ["ER1"],
            "Substrate": ["A"],
            "gr": [1.0],
            **{f"c{number}": [0] for number in range(10_000)},
        }
    )
    path = tmp_path / "wide.txt"
    table.to_csv(path, sep="\t", index=False)
    result = run_cli("-i", path, "-x", "Isolate", "-y", "Substrate", "-v", "zzzz_qqqq", "--format", "tsv")
    assert result.exit_code == 1
    assert "The input has the columns" in result.stderr and "and 9,983 more" in result.stderr
    assert len(result.stderr) < SHORT


def test_a_label_with_ten_thousand_values_of_a_colour_column_is_reported_briefly(rows):
    rows = rows.copy()
    rows["Batch"] = [f"batch{number}" for number in range(len(rows))]
    with pytest.raises(DataError) as caught:
        heatmap(rows, value="gr", x="Isolate", y="Substrate", operation="mean", color_y_by="Batch")
    assert len(caught.value.message) < SHORT


# ----------------------------------------------------------------------------------- filter depth


@pytest.mark.parametrize(
    "text",
    [
        "(" * 1000 + "row any > 1" + ")" * 1000,
        "NOT " * 1000 + "row any > 1",
        "(NOT " * 600 + "row any > 1" + ")" * 600,
    ],
)
def test_a_filter_nested_a_thousand_deep_is_a_usage_error(summary, run_cli, text):
    result = run_cli("-i", summary, *AXES, "--format", "tsv", "-f", text)
    assert result.exit_code == 2, result.stderr
    assert "nest more than 100 deep" in result.stderr
    assert "RecursionError" not in result.stderr
    assert len(result.stderr) < SHORT


def test_nesting_up_to_the_limit_is_read_and_means_what_it_says(summary, rows, tmp_path, run_cli):
    from amiga_heatmap.pipeline.filtering.language import MAX_DEPTH

    text = "NOT " * MAX_DEPTH + "row any > 0.4"  # an even number of NOTs: the clause itself
    result = run_cli(
        "-i", summary, *AXES, "--format", "tsv", "-o", "deep", "--output-dir", tmp_path, "-f", text
    )
    assert result.exit_code == 0, result.stderr
    matrix = rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate").dropna()
    expected = matrix[(matrix > 0.4).any(axis=1)]
    written = pd.read_csv(tmp_path / "deep.tsv", sep="\t", index_col=0)
    assert sorted(written.index) == sorted(expected.index)


def test_a_long_filter_is_shown_around_its_mistake(summary, run_cli):
    text = " AND ".join(["row any > 1"] * 2000 + ["row anny > 2"])
    result = run_cli("-i", summary, *AXES, "--format", "tsv", "-f", text)
    assert result.exit_code == 2
    assert "unknown quantifier 'anny'" in result.stderr
    lines = result.stderr.splitlines()
    shown, carets = lines[-2], lines[-1]
    assert shown.strip().startswith("\u2026") and shown.endswith("row anny > 2")
    assert shown[carets.index("^") :].startswith("anny")
    assert len(result.stderr) < SHORT


# ----------------------------------------------------------------------- annotations and formats


def test_annotations_on_more_cells_than_the_limit_are_refused_before_drawing(summary, run_cli, tmp_path):
    rows = pd.read_csv(summary, sep="\t")
    cells = rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate").dropna().size

    def annotated(limit: int):
        return run_cli("-i", summary, *AXES, "--output-dir", tmp_path, "-o", "a", "--format", "png",
                       "--kwargs", f"annot:true;annot_limit:{limit}")

    result = annotated(cells - 1)
    assert result.exit_code == 2, result.stderr
    assert f"each of the {cells:,} cells, more than annot_limit ({cells - 1:,})" in result.stderr
    assert f"annot_limit:{cells}" in result.stderr
    assert not (tmp_path / "a.png").exists()
    allowed = annotated(cells)
    assert allowed.exit_code == 0, allowed.stderr


def test_the_default_annotation_limit_refuses_a_large_matrix_at_once():
    from amiga_heatmap.builtin.figure.options import ANNOTATION_LIMIT
    from amiga_heatmap.result import HeatmapResult

    shape = (200, 2000)
    matrix = pd.DataFrame(
        np.random.default_rng(0).random(shape),
        index=pd.Index(many("s", shape[0]), name="y"),
        columns=pd.Index(many("i", shape[1]), name="x"),
    )
    result = HeatmapResult(
        source_rows=pd.DataFrame(), matrix=matrix, counts=matrix * 0 + 1, value="v", x="x", y="y", title="t"
    )
    with pytest.raises(UsageError, match=f"400,000 cells, more than annot_limit \\({ANNOTATION_LIMIT:,}\\)"):
        result.figure(annot=True)


@pytest.mark.parametrize("fmt", [".9999e", ".500f", "1000", ">200.2f"])
def test_a_number_format_writing_huge_numbers_is_refused(summary, run_cli, fmt):
    result = run_cli("-i", summary, *AXES, "--format", "png", "--kwargs", f"annot:true;fmt:'{fmt}'")
    assert result.exit_code == 2, result.stderr
    assert "more than the 24 a cell can show" in result.stderr
    assert len(result.stderr) < SHORT


@pytest.mark.parametrize("fmt", [".2f", ".3g", ".1e", "+.4f", ".1%"])
def test_ordinary_number_formats_are_accepted(fmt):
    from amiga_heatmap.builtin.figure.options import read_options

    assert read_options({"fmt": fmt}).fmt == fmt


# --------------------------------------------------------------------------- undrawable values


@pytest.mark.parametrize(
    "given",
    [
        "vmax:inf",
        "vmin:-inf",
        "center:inf",
        "center:-inf",
        "vmax:nan",
        "vmin:nan",
        "center:nan",
        "vmax:1e999",
        "linewidths:inf",
        "width:inf",
    ],
)
def test_colour_limits_and_sizes_must_be_finite(summary, run_cli, tmp_path, given):
    result = run_cli("-i", summary, *AXES, "--format", "png", "--output-dir", tmp_path, "--kwargs", given)
    assert result.exit_code == 2, result.stderr
    assert "must be a" in result.stderr
    assert not list(tmp_path.glob("*.png"))


def test_finite_limits_still_work(summary, run_cli, tmp_path):
    result = run_cli(
        "-i",
        summary,
        *AXES,
        "--format",
        "png",
        "--output-dir",
        tmp_path,
        "-o",
        "f",
        "--kwargs",
        "vmin:0;vmax:1.5;center:0.7",
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "f.png").is_file()


# --------------------------------------------------------------------------- more work and text


def test_clustering_more_labels_than_memory_holds_is_refused_before_computing_distances():
    from amiga_heatmap.pipeline.clustering import cluster

    labels = [f"s{number}" for number in range(10_000_000)]
    with pytest.raises(
        DataError, match=r"Cannot cluster the 10,000,000 Substrate rows: their 49,999,995,000,000"
    ):
        cluster(np.zeros((len(labels), 1)), labels, "average", "euclidean", "Substrate rows")


def test_an_unclosed_quote_in_a_long_option_is_shown_around_the_quote(summary, run_cli):
    text = "Isolate:" + ",".join(many("Q", 3000)) + ',"ER1'
    result = run_cli("-i", summary, *AXES, "--format", "tsv", "-s", text)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(result.stderr) < SHORT
    shown, caret = lines[-3], lines[-2]
    assert shown[caret.index("^") :].startswith('"ER1')


def test_many_plugin_problems_are_counted_under_strict_plugins(summary, tmp_path, run_cli):
    folder = tmp_path / "plugins"
    folder.mkdir()
    for number in range(40):
        (folder / f"broken{number}.py").write_text("raise ImportError('no lab here')\n", encoding="utf-8")
    result = run_cli("--plugins-dir", folder, "--strict-plugins", "-i", summary, *AXES, "--format", "tsv")
    assert result.exit_code == 3
    assert "40 plugin problems" in result.stderr and "and 35 more" in result.stderr
    assert len(result.stderr) < 2 * SHORT


def test_more_pages_than_the_limit_are_refused_before_drawing(tmp_path):
    from amiga_heatmap.builtin.figure.options import MOST_PAGES
    from amiga_heatmap.result import HeatmapResult

    rows = MOST_PAGES * 2 + 1
    matrix = pd.DataFrame(
        np.arange(rows * 2.0).reshape(rows, 2),
        index=pd.Index(many("s", rows), name="y"),
        columns=pd.Index(["a", "b"], name="x"),
    )
    result = HeatmapResult(
        source_rows=pd.DataFrame(), matrix=matrix, counts=matrix * 0 + 1, value="v", x="x", y="y", title="t"
    )
    with pytest.raises(
        UsageError, match=r"splits the 2,001 rows over 2,001 pages.*Give at least 3 rows per page"
    ):
        result.save(tmp_path / "pages.pdf", rows_per_page=1)
    assert list(tmp_path.iterdir()) == []
