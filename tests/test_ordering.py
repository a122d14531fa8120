"""--sort-x-by / --sort-y-by: order labels by a metadata column, checked against pandas here."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError

from .conftest import natural_key


def test_columns_sorted_by_a_metadata_column(summary) -> None:
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", sort_x="Strain")
    rows = pd.read_csv(summary, sep="\t")
    strain = rows.drop_duplicates("Isolate").set_index("Isolate")["Strain"]
    expected = sorted(strain.index, key=lambda isolate: (strain[isolate], isolate))
    assert list(result.matrix.columns) == expected == ["ER3", "ER4", "ER1", "ER2"]


def test_rows_sorted_by_a_numeric_column_ties_keep_label_order(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.5",
        sort_y="PM",
    )
    rows = pd.read_csv(normalized, sep="\t")
    plate = rows.drop_duplicates("Substrate").set_index("Substrate")["PM"]
    labels = list(result.matrix.index)
    assert labels == sorted(labels, key=lambda substrate: (plate[substrate], natural_key(substrate)))
    assert plate[labels[0]] == 1 and plate[labels[-1]] == 2


def test_sorting_by_the_axis_variable_itself_overrides_the_one_column_order(summary) -> None:
    by_value = heatmap(
        summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="Isolate:ER1"
    )
    by_name = heatmap(
        summary,
        value="gr",
        x="Isolate",
        y="Substrate",
        operation="mean",
        subset="Isolate:ER1",
        sort_y="Substrate",
    )
    assert list(by_value.matrix["ER1"]) == sorted(by_value.matrix["ER1"], reverse=True)
    assert list(by_name.matrix.index) == sorted(by_name.matrix.index, key=natural_key)


def test_a_label_with_several_values_is_named(summary) -> None:
    with pytest.raises(
        DataError, match=r"^sort_y PM: each Substrate needs one PM value.*'Negative Control' \(1, 2\)"
    ):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", sort_y="PM")


def test_clustering_wins_over_sorting_with_a_warning(summary) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap(
            summary,
            value="gr",
            x="Isolate",
            y="Substrate",
            operation="mean",
            subset="PM:1",
            sort_x="Strain",
            cluster_x=True,
        )
    assert any("sort_x Strain is ignored: cluster_x orders" in str(warning.message) for warning in caught)
    assert result.column_linkage is not None


def test_missing_sort_column_suggests_names(summary) -> None:
    with pytest.raises(DataError, match=r"given to sort_x\).*'Strain'"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", sort_x="strain")


def test_sorting_by_a_column_uses_natural_order_for_its_values(summary) -> None:
    rows = pd.read_csv(summary, sep="\t").replace({"Strain": {"USA_1995": "lineage 10", "MEX_2020": "lineage 9"}})
    result = heatmap(rows, value="gr", x="Isolate", y="Substrate", operation="mean", sort_x="Strain")
    # "lineage 9" (ER3, ER4) before "lineage 10" (ER1, ER2): 9 < 10 (by character code "1" < "9")
    assert list(result.matrix.columns) == ["ER3", "ER4", "ER1", "ER2"]
