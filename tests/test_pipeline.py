"""The pipeline on the real example data, checked against values computed here with plain pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError, UsageError
from amiga_heatmap.pipeline.missing_cells import MissingCellsWarning

from .conftest import natural
from .figure_parts import text_with_gid


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t")


def expected_matrix(rows: pd.DataFrame, value: str, x: str, y: str, how: str) -> pd.DataFrame:
    return natural(rows.groupby([y, x])[value].agg(how).unstack(x))


@pytest.mark.parametrize("how", ["mean", "median"])
def test_aggregated_matrix_and_counts_match_groupby(summary, how) -> None:
    rows = read(summary)
    result = heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation=how)
    expected = expected_matrix(rows, "auc_lin", "Isolate", "Substrate", how)
    assert result.matrix.shape == (191, 4)
    pd.testing.assert_frame_equal(result.matrix, expected, check_names=True, rtol=1e-13)
    counts = natural(rows.groupby(["Substrate", "Isolate"])["auc_lin"].count().unstack("Isolate"))
    assert (result.counts.to_numpy() == counts.to_numpy()).all()
    # Negative Control sits on both plates: 2 plates x 2 replicates per isolate.
    assert result.counts.loc["Negative Control"].tolist() == [4, 4, 4, 4]
    assert result.title == "auc_lin" and result.operation == how


def test_rows_used_are_exactly_the_rows_behind_the_cells(summary) -> None:
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1")
    recomputed = natural(result.rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate"))
    pd.testing.assert_frame_equal(recomputed, result.matrix, check_names=False, rtol=1e-13)
    assert len(result.rows) == 4 * 96 * 2


def test_subset_matches_integer_columns_as_text_and_several_variables(summary) -> None:
    rows = read(summary)
    result = heatmap(
        summary, value="k_lin", x="Isolate", y="Substrate", operation="mean",
        subset=" PM : 2 ; Isolate : ER1 , ER3 ",
    )
    kept = rows[(rows.PM == 2) & rows.Isolate.isin(["ER1", "ER3"])]
    pd.testing.assert_frame_equal(
        result.matrix, expected_matrix(kept, "k_lin", "Isolate", "Substrate", "mean"), rtol=1e-13
    )
    assert list(result.matrix.columns) == ["ER1", "ER3"]


def test_subset_mapping_form_equals_text_form(summary) -> None:
    text = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1;Replicate:2")
    mapping = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset={"PM": 1, "Replicate": [2]})
    pd.testing.assert_frame_equal(text.matrix, mapping.matrix)


def test_subset_value_matching_nothing_warns_with_closest(summary) -> None:
    # difflib ranks the equally close isolates by name, highest first, so the order is fixed.
    with pytest.warns(UserWarning, match=r"select nothing: Isolate:ER9 \(closest: 'ER4', 'ER3', 'ER2'\)\.$"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="Isolate:ER1,ER9")


def test_subset_selecting_nothing_is_an_error(summary) -> None:
    with pytest.raises(DataError, match="selects no rows"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:7")


def test_unknown_subset_column_suggests_closest(summary) -> None:
    with pytest.raises(DataError, match="'Isolate'"):
        heatmap(summary, value="gr", x="Strain", y="Substrate", operation="mean", subset="isolate:ER1")


def test_without_operation_replicates_are_an_error_naming_pairs(summary) -> None:
    with pytest.raises(DataError, match=r"more than one row.*-p mean") as caught:
        heatmap(summary, value="gr", x="Isolate", y="Substrate")
    assert "Isolate=" in caught.value.message


def test_without_operation_unique_pairs_are_plotted_as_is(summary) -> None:
    rows = read(summary)
    one = rows[(rows.Replicate == 1) & (rows.PM == 1)]
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", subset="Replicate:1;PM:1")
    expected = natural(one.pivot(index="Substrate", columns="Isolate", values="gr"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=0)
    assert (result.counts.to_numpy() == 1).all()


def test_rows_with_missing_cells_are_dropped_with_a_warning(normalized) -> None:
    rows = read(normalized)
    expected = expected_matrix(rows, "norm(death_lin)", "Isolate", "Substrate", "mean")
    incomplete = expected.index[expected.isna().any(axis=1)]
    assert len(incomplete) > 0, "the example data has blank norm(death_lin) cells (0/0)"
    with pytest.warns(MissingCellsWarning, match=f"Dropped {len(incomplete)} of {len(expected)}"):
        result = heatmap(normalized, value="norm(death_lin)", x="Isolate", y="Substrate", operation="mean")
    pd.testing.assert_frame_equal(result.matrix, expected.dropna(), rtol=1e-13)
    assert list(result.dropped) == list(incomplete)
    assert list(result.matrix.columns) == ["ER1", "ER2", "ER3", "ER4"], "columns are never dropped"


def test_folder_input_reads_every_plate(data_dir) -> None:
    merged = heatmap(data_dir / "ER_all_summary.txt", value="auc_lin", x="Isolate", y="Substrate", operation="median")
    per_plate = heatmap(data_dir / "per-plate", value="auc_lin", x="Isolate", y="Substrate", operation="median")
    pd.testing.assert_frame_equal(merged.matrix, per_plate.matrix)
    assert len(per_plate.rows) == 1536


def test_dataframe_input_is_not_modified(summary) -> None:
    rows = read(summary)
    before = rows.copy()
    result = heatmap(rows, value="auc_lin", x="Strain", y="Substrate", operation="mean")
    pd.testing.assert_frame_equal(rows, before)
    pd.testing.assert_frame_equal(result.matrix, expected_matrix(rows, "auc_lin", "Strain", "Substrate", "mean"), rtol=1e-13)


def test_one_column_heatmap_is_sorted_by_value_descending(summary) -> None:
    result = heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation="mean", subset="Isolate:ER2")
    values = result.matrix["ER2"].to_numpy()
    assert (np.diff(values) <= 0).all()
    rows = read(summary)
    top = rows[rows.Isolate == "ER2"].groupby("Substrate")["auc_lin"].mean().idxmax()
    assert result.matrix.index[0] == top


def test_rows_and_columns_are_sorted(summary) -> None:
    result = heatmap(summary, value="auc_lin", x="PM", y="Isolate", operation="mean")
    assert list(result.matrix.columns) == ["1", "2"]  # labels are the file's text
    assert list(result.matrix.index) == ["ER1", "ER2", "ER3", "ER4"]


def test_labels_sort_case_insensitively_with_numbers_in_numeric_order(summary) -> None:
    rows = read(summary).replace({"Isolate": {"ER3": "ER10"}})
    result = heatmap(rows, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    assert list(result.matrix.columns) == ["ER1", "ER2", "ER4", "ER10"]  # character codes: ER1, ER10, ER2
    substrates = list(result.matrix.index)
    assert substrates.index("alpha-D-Glucose") < substrates.index("Bromo Succinic Acid")
    folded = [label.casefold() for label in substrates if not any(character.isdigit() for character in label)]
    assert folded == sorted(folded)  # labels without numbers: plain case-insensitive order


def test_value_must_exist_with_closest_names(summary) -> None:
    with pytest.raises(DataError, match=r"'auc_lin'"):
        heatmap(summary, value="auc_lni", x="Isolate", y="Substrate", operation="mean")


def test_value_must_be_numeric_naming_samples(summary) -> None:
    with pytest.raises(DataError, match=r"not numeric.*samples 0 \('ER1_PM1-1'\)"):
        heatmap(summary, value="Plate_ID", x="Isolate", y="Substrate", operation="mean")


def test_unknown_operation_lists_known_ones(summary) -> None:
    with pytest.raises(UsageError, match=r"Unknown aggregator 'meen'.*'mean'.*Known aggregators: 'mean', 'median'"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="meen")


def test_missing_input_and_empty_folder(tmp_path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        heatmap(tmp_path / "nope.txt", value="gr", x="Isolate", y="Substrate")
    with pytest.raises(DataError, match="holds no summary files"):
        heatmap(tmp_path, value="gr", x="Isolate", y="Substrate")


def test_same_column_for_x_and_y_is_refused(summary) -> None:
    with pytest.raises(UsageError, match="different columns"):
        heatmap(summary, value="gr", x="Isolate", y="Isolate")


def test_api_never_touches_global_matplotlib_state(summary) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1")
    with warnings.catch_warnings():
        figure = result.figure(cmap="magma")
        result.save(summary.parent / "api.pdf")
    assert dict(matplotlib.rcParams) == before
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []
    assert text_with_gid(figure, "title") == "gr"


def test_rows_of_an_unfiltered_dataframe_run_are_all_rows_and_a_separate_frame(summary) -> None:
    rows = read(summary)
    rows["auc_lin"] = rows["auc_lin"].astype(float)
    before = rows.copy()
    result = heatmap(rows, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    assert result.rows is not rows and len(result.rows) == len(rows)
    result.rows.loc[result.rows.index[0], "auc_lin"] = -1.0
    pd.testing.assert_frame_equal(rows, before)
    filtered = heatmap(rows, value="auc_lin", x="Isolate", y="Substrate", operation="mean", subset="PM:1")
    assert set(filtered.rows["PM"]) == {1} and len(filtered.rows) == 4 * 96 * 2
