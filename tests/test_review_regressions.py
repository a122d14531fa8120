"""Regression tests for bugs found in code review: each test failed before its fix."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.components import Aggregator, Operator
from amiga_heatmap.errors import DataError

# ------------------------------------------------- the input folder is searched once per command-line run


def test_a_skipped_output_is_reported_once_per_run(tmp_path, summary, run_cli) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(summary, folder / "ER_all_summary.txt")
    shutil.copy(summary, folder / "old_filtered.txt")  # named like a --save-filtered-table output
    done = run_cli("-i", folder, "-o", "out", "--output-dir", tmp_path, "-x", "Isolate", "-y", "Substrate", "-v", "gr",
                   "-p", "mean")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count("Skipped 1 file(s) whose names mark them as amiga-heatmap outputs") == 1


def test_heatmap_reads_a_list_of_files_in_the_given_order(data_dir) -> None:
    plates = sorted((data_dir / "per-plate").rglob("*.txt"))[:2]
    result = heatmap(list(reversed(plates)), value="gr", x="Isolate", y="Substrate", operation="mean")
    rows = pd.concat([pd.read_csv(plate, sep="\t") for plate in reversed(plates)], ignore_index=True)
    expected = rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate").dropna()
    pd.testing.assert_frame_equal(result.matrix, expected, check_names=False, check_like=True, rtol=1e-15)
    assert list(result.source_rows["Sample_ID"]) == list(rows["Sample_ID"].astype(str))  # ids are text


def test_an_empty_list_of_inputs_is_refused(summary) -> None:
    with pytest.raises(ValueError, match="empty list"):
        heatmap([], value="gr", x="Isolate", y="Substrate")


# ------------------------------------------------------ a failing filter operator names its own plugin


def comparison_that_breaks(values, threshold):
    raise KeyError("the operator's own bug")


class BrokenOperator:
    @hookimpl
    def register_operators(self, register):
        register(Operator("~~", comparison_that_breaks, "always fails"))


def test_operator_raising_while_filtering_names_the_operator_plugin(amiga_heatmap_plugin, summary,
                                                                    run_cli) -> None:
    amiga_heatmap_plugin(BrokenOperator())
    done = run_cli("-i", summary, "-o", "q", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                   "-f", "row any ~~ 1")
    assert done.exit_code == 3, done.stderr
    assert ("Plugin 'BrokenOperator' failed while filtering with the clause 'row any ~~ 1.0': KeyError: "
            "\"the operator's own bug\"") in done.stderr
    assert "builtin" not in done.stderr


# ------------------------------------------------- a DataFrame input's missing column lists its columns


def test_a_dataframe_without_the_column_names_its_columns() -> None:
    rows = pd.DataFrame({"Sample_ID": ["a", "b"], "Isolate": ["i", "j"], "Substrate": ["s", "s"],
                         "gr": np.array([0.1, 0.2])})
    with pytest.raises(DataError, match=r"The input has the columns 'Isolate', 'Sample_ID', 'Substrate', 'gr'"):
        heatmap(rows, value="zzzzzz", x="Isolate", y="Substrate")


# ----------------------------------- a name clash of a plugin that is then dropped is not a conflict


class ProvidesGeo:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("geo", description="a plugin's aggregator", form="mean"))


class ClashesThenTakesABuiltinName:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("geo", description="clashes with ProvidesGeo", form="mean"))
        register(Aggregator("mean", description="takes the built-in's name without override=True", form="mean"))


def test_a_dropped_plugin_leaves_no_name_clash_behind(amiga_heatmap_plugin, summary) -> None:
    amiga_heatmap_plugin(ProvidesGeo(), name="a-geo")  # plugins merge in name order: this one first
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plugins = amiga_heatmap_plugin(ClashesThenTakesABuiltinName(), name="z-clasher")
    assert any("'z-clasher' registers the aggregator 'mean'" in str(w.message) for w in caught)
    assert plugins.conflicts == []
    assert plugins.aggregators.plugin_of("geo") == "a-geo"
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="geo")
    assert result.matrix.shape == (191, 4)
