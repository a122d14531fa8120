"""Replicate statistics and tests per cell (--test, --reference, --save-cell-table) on the real example
data, against scipy.stats computed independently in the test from the replicate values."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError, UsageError

from .conftest import natural

X, Y = "Isolate", "Substrate"
TWO_SIDED = "row any >= 1.3 OR row any <= 0.7"


def replicate_lists(path, value: str) -> pd.Series:
    """Each (Substrate, Isolate) cell's non-missing replicate values, as an array."""
    rows = pd.read_csv(path, sep="\t")
    return rows.dropna(subset=[value]).groupby([Y, X])[value].apply(lambda values: values.to_numpy())


def written_cells(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", keep_default_na=False, na_values=[""]).set_index([Y, X])


def test_cell_table_statistics_equal_scipy_on_every_cell(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "stats", "-x", X, "-y", Y, "-v", "norm(gr)", "-p", "median",
                     "-f", TWO_SIDED, "--save-cell-table", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    table = written_cells(normalized.parent / "stats_cells.tsv")
    replicates = replicate_lists(normalized, "norm(gr)")
    plotted = table[table["plotted"]]
    assert len(plotted) == len(table) > 0
    for key, row in plotted.iterrows():
        values = replicates[key]
        assert row["n"] == len(values)
        np.testing.assert_allclose(row["mean"], np.mean(values), rtol=1e-12)
        np.testing.assert_allclose(row["median"], np.median(values), rtol=1e-12)
        np.testing.assert_allclose(row["value"], np.median(values), rtol=1e-12)
        np.testing.assert_allclose(row["sd"], np.std(values, ddof=1), rtol=1e-12)
        np.testing.assert_allclose(row["sem"], stats.sem(values), rtol=1e-12)
        low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
        np.testing.assert_allclose([row["ci_low"], row["ci_high"]], [low, high], rtol=1e-12)
        np.testing.assert_allclose(row["cv"], stats.variation(values, ddof=1), rtol=1e-12)


def test_one_sample_test_of_ratios_is_on_log2_with_q_over_every_cell_before_the_filter(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "tested", "-x", X, "-y", Y, "-v", "norm(gr)", "-p", "median",
                     "-f", TWO_SIDED, "--test", "--save-cell-table", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    table = written_cells(normalized.parent / "tested_cells.tsv")
    replicates = replicate_lists(normalized, "norm(gr)")
    assert len(table) == len(replicates) and table["plotted"].sum() < len(table)
    expected_p = {key: stats.ttest_1samp(np.log2(values), 0.0).pvalue for key, values in replicates.items()
                  if len(values) >= 2 and (values > 0).all() and np.ptp(values) > 0}
    tested = table["p"].dropna()
    assert set(tested.index) == set(expected_p)
    np.testing.assert_allclose(tested.to_numpy(), [expected_p[key] for key in tested.index], rtol=1e-12)
    keys = list(expected_p)
    expected_q = dict(zip(keys, stats.false_discovery_control([expected_p[key] for key in keys], method="bh")))
    np.testing.assert_allclose(table.loc[keys, "q"].to_numpy(), [expected_q[key] for key in keys], rtol=1e-12)
    assert (table["test"] == "one-sample t-test of log2 replicates against 1").all()
    control = table.xs("Negative Control", level=Y)  # norm(gr) of the control is 1 in every replicate
    assert control["p"].isna().all() and (control["note"] == "replicates are identical: no spread to test").all()


def test_welch_test_against_a_reference_column(normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x=X, y=Y, operation="mean", test=True, reference="ER1",
                     missing="keep")
    cells = result.cells.set_index([Y, X])
    replicates = replicate_lists(normalized, "norm(auc_lin)")
    checked = 0
    for (substrate, isolate), row in cells.iterrows():
        if isolate == "ER1":
            assert row["note"] == "reference" and np.isnan(row["p"])
            continue
        own, reference = replicates[(substrate, isolate)], replicates[(substrate, "ER1")]
        if (own <= 0).any():
            assert row["note"] == "a replicate at or below 0 has no log2" and np.isnan(row["p"])
            continue
        if (reference <= 0).any():
            continue
        expected = stats.ttest_ind(np.log2(own), np.log2(reference), equal_var=False)
        np.testing.assert_allclose([row["statistic"], row["p"]], [expected.statistic, expected.pvalue],
                                   rtol=1e-12)
        checked += 1
    assert checked > 500
    p = cells["p"].dropna()
    np.testing.assert_allclose(cells.loc[p.index, "q"], stats.false_discovery_control(p, method="bh"),
                               rtol=1e-12)
    assert set(result.layers) == {"p", "q"}
    pd.testing.assert_frame_equal(result.layers["p"], cells["p"].unstack(X).loc[result.matrix.index,
                                                                               result.matrix.columns],
                                  check_names=False)


def test_a_column_that_is_not_a_ratio_is_tested_against_zero_on_its_own_scale(summary) -> None:
    result = heatmap(summary, value="gr", x=X, y=Y, operation="mean", test=True, subset={"PM": [1]})
    replicates = replicate_lists(summary, "gr")
    cells = result.cells.set_index([Y, X])
    key = ("D-Glucose-6-Phosphate" if ("D-Glucose-6-Phosphate", "ER1") in cells.index else cells.index[0])
    key = key if isinstance(key, tuple) else (key, "ER1")
    expected = stats.ttest_1samp(replicates[key], 0.0)
    np.testing.assert_allclose(cells.loc[key, "p"], expected.pvalue, rtol=1e-12)
    assert cells["test"].iloc[0] == "one-sample t-test of replicates against 0"


def test_against_a_given_value(normalized) -> None:
    result = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", test=True, test_against=1.5)
    replicates = replicate_lists(normalized, "norm(gr)")
    cells = result.cells.set_index([Y, X])
    key = cells["p"].dropna().index[0]
    np.testing.assert_allclose(cells.loc[key, "p"],
                               stats.ttest_1samp(np.log2(replicates[key]), np.log2(1.5)).pvalue, rtol=1e-12)


def test_bad_test_options_are_clear_errors(normalized, tmp_path) -> None:
    with pytest.raises(UsageError, match=r"--reference 'ER7' is not one of the columns \(-x\) of the heatmap\. "
                                         r"Closest labels: 'ER4'"):
        heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", test=True, reference="ER7")
    with pytest.raises(UsageError, match="--test-against says what --test compares with"):
        heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", test_against=2)
    one = pd.read_csv(normalized, sep="\t")
    one = one[one["Replicate"] == 1].drop_duplicates([Y, X])
    with pytest.raises(DataError, match="--test needs at least 2 replicates in a cell"):
        heatmap(one, value="norm(gr)", x=X, y=Y, test=True)
    with pytest.raises(UsageError, match="must be above 0"):
        heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", test=True, test_against=0)


def test_cells_without_two_replicates_get_no_p_value_and_say_why(normalized) -> None:
    rows = pd.read_csv(normalized, sep="\t")
    single = rows[~((rows[X] == "ER2") & (rows["Replicate"] == 2))]
    result = heatmap(single, value="norm(gr)", x=X, y=Y, operation="mean", test=True)
    cells = result.cells.set_index([Y, X])
    er2 = cells.xs("ER2", level=X)
    lonely = er2[er2["n"] < 2]
    assert len(lonely) > 0 and lonely["p"].isna().all() and (lonely["note"] == "fewer than 2 replicates").all()


def test_a_filter_on_q_keeps_exactly_the_rows_whose_cells_pass_in_the_cell_table(normalized) -> None:
    result = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="median", test=True,
                     filter="row any q < 0.12 AND row any value >= 1.3")
    cells = result.cells.set_index([Y, X])
    passing = {substrate for (substrate, _), row in cells.iterrows() if row["q"] < 0.12}
    large = {substrate for (substrate, _), row in cells.iterrows() if row["value"] >= 1.3}
    assert 0 < len(result.matrix.index) < len(passing)
    assert sorted(result.matrix.index) == sorted(passing & large)
    assert set(cells.index.get_level_values(Y)[~cells["plotted"]]) == set(cells.index.get_level_values(Y)) - (
        passing & large)


def test_a_filter_on_the_replicate_count_and_a_quoted_layer(normalized) -> None:
    rows = pd.read_csv(normalized, sep="\t")
    thinned = rows[~((rows[Y] == "D-Serine") & (rows["Replicate"] == 2))]
    result = heatmap(thinned, value="norm(gr)", x=X, y=Y, operation="mean", filter="row all 'n' >= 2")
    counts = thinned.groupby([Y, X])["norm(gr)"].count().unstack(X)
    assert sorted(result.matrix.index) == sorted(counts.index[(counts >= 2).all(axis=1)])
    assert "D-Serine" not in result.matrix.index


def test_an_unknown_layer_is_a_usage_error_with_a_caret(normalized) -> None:
    with pytest.raises(UsageError) as raised:
        heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", test=True, filter="row any qq < 0.05")
    assert "unknown layer 'qq'. Did you mean 'q'?" in raised.value.message
    assert raised.value.message.splitlines()[-1] == "            ^^"
    with pytest.raises(UsageError, match="p and q exist with --test"):
        heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", filter="row any q < 0.05")


def test_contrasts_to_a_reference_column_and_row(normalized) -> None:
    means = natural(pd.read_csv(normalized, sep="\t").groupby([Y, X])["norm(gr)"].mean().unstack(X))
    log2ratio = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", reference="ER1",
                        contrast="log2ratio", missing="keep")
    expected = np.log2(means.div(means["ER1"], axis=0)).drop(columns="ER1")
    pd.testing.assert_frame_equal(log2ratio.matrix, expected, rtol=1e-13)
    assert log2ratio.transforms == ("log2ratio to ER1",)
    kept = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", reference="ER1", contrast="ratio",
                   keep_reference=True)
    assert (kept.matrix["ER1"] == 1.0).all()
    pd.testing.assert_frame_equal(kept.matrix, means.div(means["ER1"], axis=0), rtol=1e-13)
    by_row = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", reference="y:Negative Control",
                     contrast="difference")
    expected = means.sub(means.loc["Negative Control"], axis=1).drop(index="Negative Control")
    pd.testing.assert_frame_equal(by_row.matrix, expected, rtol=1e-13)


def test_a_contrast_with_a_test_and_a_filter_on_the_contrasted_values(normalized) -> None:
    result = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", reference="ER1", test=True,
                     contrast="log2ratio", filter="row any >= 1 AND row any q < 0.5")
    means = pd.read_csv(normalized, sep="\t").groupby([Y, X])["norm(gr)"].mean().unstack(X)
    contrasted = np.log2(means.div(means["ER1"], axis=0)).drop(columns="ER1")
    q = result.tests["q"].unstack(X).drop(columns="ER1")
    keep = ((contrasted >= 1).any(axis=1)) & ((q.reindex(contrasted.index) < 0.5).any(axis=1))
    assert sorted(result.matrix.index) == sorted(contrasted.index[keep])
    assert "ER1" not in result.layers["q"].columns


def test_contrast_mistakes_are_usage_errors(normalized) -> None:
    for keywords, message in (
        ({"contrast": "fold", "reference": "ER1"}, "--contrast 'fold' is not a contrast"),
        ({"contrast": "ratio"}, "add --reference LABEL"),
        ({"keep_reference": True}, "--keep-reference keeps the reference of --contrast"),
        ({"reference": "ER1"}, "--reference says what --test or --contrast compares with"),
        ({"reference": "ER9", "contrast": "ratio"}, "--reference 'ER9' is not one of the columns"),
    ):
        with pytest.raises(UsageError, match=re.escape(message)):
            heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", **keywords)


def test_the_command_line_process_tests_clusters_and_draws(normalized) -> None:
    """In a real process the command line imports seaborn without scipy.stats (builtin.figure.seaborn_import):
    the tests, the clustering and the figure must all still work in that process."""
    import os
    import subprocess
    import sys

    from .conftest import REPOSITORY

    done = subprocess.run(
        [sys.executable, "-m", "amiga_heatmap", "-i", str(normalized), "-o", "process", "-x", X, "-y", Y, "-v",
         "norm(gr)", "-p", "mean", "--test", "--cluster-y", "--save-cell-table", "-f", "row any q < 0.2"],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY), "AMIGA_HEATMAP_PLUGINS": ""},
    )
    assert done.returncode == 0, done.stderr
    table = written_cells(normalized.parent / "process_cells.tsv")
    replicates = replicate_lists(normalized, "norm(gr)")
    key = table["p"].dropna().index[0]
    np.testing.assert_allclose(table.loc[key, "p"], stats.ttest_1samp(np.log2(replicates[key]), 0.0).pvalue,
                               rtol=1e-12)
    assert (normalized.parent / "process.pdf").stat().st_size > 1000
