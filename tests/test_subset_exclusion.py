"""``-s "Var:!value"`` leaves rows out, and the --sort-y-by error offers it as the fix that keeps the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError
from amiga_heatmap.pipeline.subset import Excluded


def test_leaving_out_a_value_keeps_every_other_row(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-o", "no_control", "-x", "Isolate", "-y", "Substrate", "-v", "gr",
                     "-p", "mean", "-s", "Substrate:!Negative Control", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(summary.parent / "no_control.tsv", sep="\t", index_col=0)
    rows = pd.read_csv(summary, sep="\t")
    expected = rows[rows.Substrate != "Negative Control"].groupby(["Substrate", "Isolate"])["gr"].mean().unstack()
    assert len(expected) == 190
    assert sorted(written.index) == sorted(expected.index)
    np.testing.assert_array_equal(written.loc[expected.index, expected.columns], expected)


def test_leaving_out_combines_with_keeping_other_columns(summary) -> None:
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean",
                     subset="PM:2;Isolate:!ER1,ER2")
    rows = pd.read_csv(summary, sep="\t")
    chosen = rows[(rows.PM == 2) & ~rows.Isolate.isin(["ER1", "ER2"])]
    expected = chosen.groupby(["Substrate", "Isolate"])["gr"].mean().unstack()
    assert list(result.matrix.columns) == ["ER3", "ER4"]
    np.testing.assert_array_equal(result.matrix.loc[expected.index, expected.columns], expected)
    same = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean",
                   subset={"PM": 2, "Isolate": Excluded(["ER1", "ER2"])})
    pd.testing.assert_frame_equal(same.matrix, result.matrix)


def test_a_quoted_value_starting_with_an_exclamation_mark_is_a_value(summary) -> None:
    rows = pd.read_csv(summary, sep="\t").assign(Strain=lambda table: table.Strain.replace("MEX_2020", "!MEX"))
    result = heatmap(rows, value="gr", x="Isolate", y="Substrate", operation="mean", subset='Strain:"!MEX"')
    assert list(result.matrix.columns) == ["ER3", "ER4"]


def test_sorting_by_a_column_with_two_values_suggests_the_subset_that_keeps_the_data(summary) -> None:
    rows = pd.read_csv(summary, sep="\t")
    plates = rows.groupby("Substrate")["PM"].nunique()
    assert list(plates[plates > 1].index) == ["Negative Control"]
    with pytest.raises(DataError) as caught:
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", sort_y="PM")
    message = caught.value.message
    assert "-s 'Substrate:!Negative Control'" in message and "-s 'PM:1'" in message
    fixed = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", sort_y="PM",
                    subset="Substrate:!Negative Control")
    plate_of = rows.drop_duplicates("Substrate").set_index("Substrate")["PM"]
    order = [plate_of[label] for label in fixed.matrix.index]
    assert order == sorted(order) and len(order) == 190  # every other substrate kept, sorted by plate
