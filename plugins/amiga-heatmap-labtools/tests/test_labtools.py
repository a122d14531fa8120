"""amiga-heatmap-labtools on the real example data (examples/randomii of the amiga-heatmap repository).

Expected values are computed here with plain pandas (and scipy for the geometric and trimmed means). The plugin is
registered with amiga-heatmap's ``amiga_heatmap_plugin`` fixture, so installed plugins play no part.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import amiga_heatmap_labtools
import numpy as np
import pandas as pd
import pytest
from scipy.stats import gmean, trim_mean

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError, UsageError

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "randomii"


@pytest.fixture
def labtools(amiga_heatmap_plugin):
    return amiga_heatmap_plugin(amiga_heatmap_labtools, name="labtools")


@pytest.fixture
def summary(tmp_path) -> Path:
    return Path(shutil.copy(EXAMPLES / "ER_all_summary.txt", tmp_path))


@pytest.fixture
def normalized(tmp_path) -> Path:
    return Path(shutil.copy(EXAMPLES / "ER_all_summary_normalized.txt", tmp_path))


@pytest.fixture
def run_cli():
    """Run ``amiga-heatmap ARGS`` in-process (the plugin registered by ``labtools`` is active)."""
    from click.testing import CliRunner

    from amiga_heatmap.cli import main

    return lambda *args: CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def grouped(path, value, x="Isolate", y="Substrate"):
    return pd.read_csv(path, sep="\t").groupby([y, x])[value]


def mean_matrix(path, value, x="Strain", y="Substrate"):
    return natural(grouped(path, value, x, y).mean().unstack(x).dropna())


def natural(matrix: pd.DataFrame) -> pd.DataFrame:
    """``matrix`` with rows and columns in amiga-heatmap's label order: case-insensitive, numbers in
    numeric order (natsort's key), where pandas' groupby sorts by character code."""
    from natsort import index_natsorted, ns

    matrix = matrix.iloc[index_natsorted(matrix.index, alg=ns.INT | ns.IGNORECASE)]
    return matrix.iloc[:, index_natsorted(matrix.columns, alg=ns.INT | ns.IGNORECASE)]


# ------------------------------------------------------------------------------------ aggregators


@pytest.mark.parametrize(
    ("operation", "how"),
    [("geomean", gmean), ("min", "min"), ("max", "max"), ("sd", "std"), ("count", "count"),
     ("trimmed(0.2)", lambda cell: trim_mean(cell, 0.2))],
)
def test_aggregators_match_pandas(labtools, summary, operation, how) -> None:
    result = heatmap(summary, value="OD_Max", x="Isolate", y="Substrate", operation=operation)
    expected = natural(grouped(summary, "OD_Max").agg(how).unstack("Isolate").astype(float))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-12, check_names=False)
    assert result.operation == operation


def test_cv_is_sd_over_mean(labtools, summary) -> None:
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="cv")
    groups = grouped(summary, "gr")
    expected = natural((groups.std() / groups.mean()).unstack("Isolate"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-12, check_names=False)


def test_count_counts_replicates(labtools, summary) -> None:
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="count")
    assert result.matrix.loc["Negative Control"].tolist() == [4.0, 4.0, 4.0, 4.0]  # on both plates
    assert (result.matrix.drop(index="Negative Control") == 2).all().all()


def test_geomean_of_non_positive_values_is_an_error(labtools, summary) -> None:
    rows = pd.read_csv(summary, sep="\t")
    negative = int((rows["auc_lin"] <= 0).sum())
    assert negative > 0
    with pytest.raises(DataError, match=rf"needs positive values, but {negative} replicate values are zero"):
        heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation="geomean")


def test_geomean_counts_only_values_that_reach_a_cell(labtools, summary, tmp_path) -> None:
    rows = pd.read_csv(summary, sep="\t")
    strays = rows.head(3).assign(OD_Max=[0.0, -1.0, 0.5], Isolate=[None, "ER1", None], Substrate=["A", None, "B"])
    both = tmp_path / "with_strays.txt"
    pd.concat([rows, strays]).to_csv(both, sep="\t", index=False)
    result = heatmap(both, value="OD_Max", x="Isolate", y="Substrate", operation="geomean")
    expected = natural(grouped(summary, "OD_Max").agg(gmean).unstack("Isolate"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-12, check_names=False)


@pytest.mark.parametrize("value", ["norm(death_lin)", "norm(auc_lin)"])
@pytest.mark.parametrize("proportion", [0.0, 0.2, 0.25, 0.4])
def test_trimmed_mean_matches_scipy_with_infinite_values(labtools, normalized, value, proportion) -> None:
    result = heatmap(normalized, value=value, x="Strain", y="Substrate", operation=f"trimmed({proportion})",
                     missing="keep")
    groups = grouped(normalized, value, x="Strain")
    expected = groups.agg(lambda cell: trim_mean(cell.dropna(), proportion) if cell.notna().any() else np.nan)
    expected = natural(expected.unstack("Strain"))
    if value == "norm(death_lin)":
        assert np.isinf(expected.to_numpy()).any() and np.isfinite(expected.to_numpy()).any()
    pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index], rtol=1e-12, check_names=False)
    assert result.operation == f"trimmed({proportion!r})"


def test_trimmed_through_the_command_line(labtools, normalized, run_cli) -> None:
    done = run_cli("-i", normalized, "-o", "trimmed", "--format", "tsv", "-x", "Strain", "-y", "Substrate",
                   "-v", "norm(auc_lin)", "-p", "trimmed(0.2)")
    assert done.exit_code == 0, done.stderr
    assert done.stderr == ""
    written = pd.read_csv(normalized.parent / "trimmed.tsv", sep="\t", index_col=0)
    expected = natural(grouped(normalized, "norm(auc_lin)", x="Strain").agg(trim_mean, 0.2).unstack("Strain"))
    means = natural(grouped(normalized, "norm(auc_lin)", x="Strain").mean().unstack("Strain"))
    assert (expected != means).any().any(), "the cells of 8 replicates lose one at each end"
    pd.testing.assert_frame_equal(written, expected, rtol=1e-12, check_names=False)


def test_the_listing_shows_the_parameters_of_trimmed(labtools, run_cli) -> None:
    listing = run_cli("plugins")
    assert "    aggregators: count, cv, geomean, max, min, sd, trimmed(proportion)\n" in listing.stdout


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ("trimmed", (r"The aggregator 'trimmed' \(given to -p/--operation\) takes 1 argument "
                     r"\(proportion\), but 0 were given. Write it as trimmed\(PROPORTION\).")),
        ("trimmed(0.1, 0.2)", r"takes 1 argument \(proportion\), but 2 were given"),
        ("trimmed(a fifth)", (r"The argument 'a fifth' of the aggregator 'trimmed' "
                              r"\(given to -p/--operation\) is not a number")),
        ("trimmed(0.5)", r"proportion must be at least 0 and below 0.5, not 0.5"),
        ("trimed(0.2)", r"Unknown aggregator 'trimed' \(given to -p/--operation\). Did you mean 'trimmed'"),
        ("geomean(2)", r"The aggregator 'geomean' \(given to -p/--operation\) takes no arguments, but 1 was"),
    ],
)
def test_bad_trimmed_arguments_are_usage_errors(labtools, normalized, run_cli, operation, message) -> None:
    done = run_cli("-i", normalized, "-o", "never", "--format", "tsv", "-x", "Strain", "-y", "Substrate",
                   "-v", "norm(auc_lin)", "-p", operation)
    assert done.exit_code == 2, done.stderr
    assert re.search(message, done.stderr), done.stderr
    assert not (normalized.parent / "never.tsv").exists()


# ------------------------------------------------------------------------------------ quantifiers


def test_none_keeps_rows_where_no_cell_passes(labtools, normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                     filter="row none >= 0.9")
    matrix = mean_matrix(normalized, "norm(auc_lin)")
    expected = matrix[~(matrix >= 0.9).any(axis=1)]
    assert 0 < len(expected) < len(matrix)
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


def test_most_needs_more_than_half(labtools, normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     filter="row most > 1.1")
    matrix = mean_matrix(normalized, "norm(auc_lin)", x="Isolate")
    expected = matrix[(matrix > 1.1).sum(axis=1) >= 3]  # 4 isolates: more than half is 3 or 4
    assert len(expected) > 0
    assert len(matrix[(matrix > 1.1).sum(axis=1) == 2]) > 0, "exactly half is not most"
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_statistic_quantifiers_compare_the_row_statistic(labtools, normalized, statistic) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     filter=f"row {statistic} >= 2")
    matrix = mean_matrix(normalized, "norm(auc_lin)", x="Isolate")
    expected = matrix[matrix.agg(statistic, axis=1) >= 2]
    assert 0 < len(expected) < int((matrix >= 2).any(axis=1).sum()), "differs from 'row any >= 2'"
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


def test_column_statistic(labtools, normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     filter="col mean > 1.178")
    matrix = mean_matrix(normalized, "norm(auc_lin)", x="Isolate")
    expected = matrix.loc[:, matrix.mean(axis=0) > 1.178]
    assert 0 < expected.shape[1] < 4
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


def test_atleast_k_cells(labtools, normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     filter="row atleast(2) >= 1.2 AND NOT row atleast(4) >= 1.2")
    matrix = mean_matrix(normalized, "norm(auc_lin)", x="Isolate")
    passing = (matrix >= 1.2).sum(axis=1)
    expected = matrix[(passing >= 2) & (passing < 4)]
    assert len(expected) > 0
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


def test_atleast_needs_a_whole_number(labtools, normalized) -> None:
    with pytest.raises(UsageError, match=r"k must be a whole number of 0 or more, not 1\.5"):
        heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                filter="row atleast(1.5) >= 1.2")
    with pytest.raises(UsageError, match=r"quantifier 'atleast' takes 1 argument \(k\)"):
        heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                filter="row atleast >= 1.2")


def test_quantifiers_on_matrices_with_missing_cells() -> None:
    from amiga_heatmap_labtools.quantifiers import (
        at_least,
        mean_of_cells,
        median_of_cells,
        most_cells,
        no_cell,
    )

    values = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [2.0, 2.0, 0.0]])

    def at_least_two(cells):
        return cells >= 2

    assert mean_of_cells(values, at_least_two, 1).tolist() == [True, False, False]
    assert median_of_cells(values, at_least_two, 1).tolist() == [True, False, True]
    assert most_cells(values, at_least_two, 1).tolist() == [False, False, True]
    assert no_cell(values, at_least_two, 1).tolist() == [False, True, False]
    assert at_least(values, at_least_two, 1, 1).tolist() == [True, False, True]
    assert at_least(values, at_least_two, 0, 2).tolist() == [False, False, False]


# -------------------------------------------------------------------------------------- operator


def test_approximate_equality_matches_a_value_copied_with_twelve_digits(labtools, normalized) -> None:
    matrix = mean_matrix(normalized, "norm(gr)")
    cell = matrix.loc["D-Sorbitol", "USA_1995"]
    copied = f"{cell:.12g}"
    assert float(copied) != cell
    exact = "row any = " + copied
    with pytest.raises(DataError, match="keeps no cells"):
        heatmap(normalized, value="norm(gr)", x="Strain", y="Substrate", operation="mean", filter=exact)
    result = heatmap(normalized, value="norm(gr)", x="Strain", y="Substrate", operation="mean",
                     filter="row any ~= " + copied)
    assert list(result.matrix.index) == ["D-Sorbitol"]


def test_approximate_equality_tolerance_and_missing_cells() -> None:
    from amiga_heatmap_labtools.operators import approximately_equal

    values = np.array([1.0, 1.0 + 5e-10, 1.0 + 2e-9, np.nan, 0.0, 1e-13])
    assert approximately_equal(values, 1.0).tolist() == [True, True, False, False, False, False]
    assert approximately_equal(values, 0.0).tolist() == [False, False, False, False, True, True]


# ------------------------------------------- Parquet: built into amiga-heatmap since labtools 0.3


def test_parquet_file_gives_the_same_heatmap_as_the_text_file(labtools, normalized, tmp_path) -> None:
    parquet = tmp_path / "summary.parquet"
    pd.read_csv(normalized, sep="\t").to_parquet(parquet, index=False)
    from_text = heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                        filter="row any > 1.2")
    from_parquet = heatmap(parquet, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                           filter="row any > 1.2")
    pd.testing.assert_frame_equal(from_parquet.matrix, from_text.matrix, rtol=0)
    assert from_parquet.matrix.shape == (24, 2)


def test_folder_of_parquet_and_text_files(labtools, summary, tmp_path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    rows = pd.read_csv(summary, sep="\t")
    rows[rows.PM == 1].set_index("Sample_ID").to_parquet(folder / "pm1.pq")
    rows[rows.PM == 2].to_csv(folder / "pm2.txt", sep="\t", index=False)
    # the pandas engine reads with the plugin's reader (auto would hand Parquet to duckdb, which reads it itself)
    result = heatmap(folder, value="auc_lin", x="Isolate", y="Substrate", operation="mean", engine="pandas")
    expected = natural(rows.groupby(["Substrate", "Isolate"])["auc_lin"].mean().unstack("Isolate"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)
    assert len(result.rows) == len(rows)
    duckdb = heatmap(folder, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    assert duckdb.cell_table.engine == "duckdb"
    pd.testing.assert_frame_equal(duckdb.matrix, expected, rtol=1e-12, check_index_type=False,
                                  check_column_type=False)


def test_parquet_reader_reads_only_the_needed_columns_and_names_missing_ones(labtools, summary, tmp_path) -> None:
    from amiga_heatmap.builtin.parquet_reader import parquet_header, read_parquet

    parquet = tmp_path / "summary.parquet"
    pd.read_csv(summary, sep="\t").to_parquet(parquet)
    assert parquet_header(str(parquet))[:3] == ["Sample_ID", "Well", "Plate_ID"]
    assert "__index_level_0__" not in parquet_header(str(parquet))
    assert list(read_parquet(str(parquet), frozenset({"gr", "Isolate", "absent"})).columns) == ["Isolate", "gr"]
    with pytest.raises(DataError, match=r"Closest column names: 'auc_lin'"):
        heatmap(parquet, value="auc_lni", x="Isolate", y="Substrate", operation="mean")


def test_damaged_parquet_file_is_a_data_error(labtools, tmp_path) -> None:
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(DataError, match=r"Cannot read .*damaged.parquet as a Parquet file"):
        heatmap(damaged, value="gr", x="Isolate", y="Substrate")


# ----------------------------------------------------------------------------------------- plugin


def test_registers_everything_without_clashing_with_builtins(labtools) -> None:
    assert labtools.problems == [] and labtools.conflicts == []
    assert {"geomean", "trimmed", "min", "max", "sd", "cv", "count", "mean", "median"} <= set(
        labtools.aggregators.names())
    assert {"none", "most", "mean", "median", "atleast", "any", "all"} <= set(labtools.quantifiers.names())
    assert labtools.quantifiers.get("atleast").parameters == ("k",)
    assert "~=" in labtools.operators
    assert labtools.reader_for("plate.PARQUET").name == "parquet"
    assert all(entry.plugin == "labtools" for name, entry in labtools.aggregators.entries()
               if name not in ("mean", "median"))


def test_importing_the_plugin_is_light() -> None:
    code = ("import sys, amiga_heatmap_labtools\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'pyarrow', 'scipy'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
