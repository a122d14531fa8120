"""--keep-rows-missing-data / --keep-columns-missing-data: which rows, columns and cells survive, checked
against pandas here, and how kept missing cells are drawn."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError
from amiga_heatmap.pipeline.missing_cells import MissingCellsWarning

from .figure_parts import axes_named, cell_values, cells_artist, infinite_cells, infinite_layer, legend

VALUE = "norm(death_lin)"

from .conftest import natural


def pivot(path) -> pd.DataFrame:
    rows = pd.read_csv(path, sep="\t")
    rows = rows[rows.PM == 1]
    return natural(rows.groupby(["Substrate", "Isolate"])[VALUE].mean().unstack("Isolate"))


def build(path, missing):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap(
            path, value=VALUE, x="Isolate", y="Substrate", operation="mean", subset="PM:1", missing=missing
        )
    return result, [str(warning.message) for warning in caught if warning.category is MissingCellsWarning]


def test_default_drops_incomplete_rows(normalized) -> None:
    expected = pivot(normalized).dropna(axis=0)
    result, messages = build(normalized, "drop-rows")
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)
    assert len(result.dropped) == 96 - len(expected) and result.dropped_columns == []
    assert "--keep-rows-missing-data keeps them" in messages[0]


def test_keep_rows_drops_incomplete_columns_instead(normalized) -> None:
    expected = pivot(normalized).dropna(axis=1)
    result, messages = build(normalized, "drop-columns")
    assert list(result.matrix.columns) == list(expected.columns) == ["ER2"]  # the only isolate without gaps
    one_column = expected.sort_values(
        "ER2", ascending=False, kind="stable"
    )  # a one-column heatmap is by value
    pd.testing.assert_frame_equal(result.matrix, one_column, rtol=1e-13)
    assert result.dropped_columns == ["ER1", "ER3", "ER4"] and "Dropped 3 of 4 Isolate columns" in messages[0]
    assert len(result.matrix) == 96


def test_dropping_when_every_row_and_column_has_a_gap_says_what_to_do(normalized) -> None:
    for missing, message in (
        ("drop-columns", "Every column of the heatmap"),
        ("drop-rows", "Every row of the heatmap"),
    ):
        with pytest.raises(DataError, match=message):
            heatmap(normalized, value="norm(lagP)", x="Plate_ID", y="Substrate", missing=missing)


def test_keeping_every_cell_draws_missing_and_infinite_cells_in_their_own_colours(normalized) -> None:
    expected = pivot(normalized)
    result, messages = build(normalized, "keep")
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)
    assert messages == [] and result.matrix.isna().to_numpy().sum() == expected.isna().to_numpy().sum() > 0
    figure = result.figure(missing_cell_color="#ff00ff", infinite_cell_color="#00ff00", color_scale="linear")
    values = expected.to_numpy()
    drawn = cell_values(figure)
    assert np.array_equal(np.ma.getmaskarray(drawn).reshape(values.shape), ~np.isfinite(values))
    assert legend(figure, "missing cells") == ("", {"no value": "#ff00ff", "infinite": "#00ff00"})
    # on the default log2 scale of a ratio, the cells at 0 (no growth) have a colour of their own too
    logged = result.figure(missing_cell_color="#ff00ff", infinite_cell_color="#00ff00")
    assert legend(logged, "missing cells")[1] == {
        "no value": "#ff00ff", "infinite": "#00ff00", "0 or below": "#000000"
    }
    assert np.array_equal(np.ma.getmaskarray(cell_values(logged)).reshape(values.shape),
                          ~(np.isfinite(values) & (values > 0)))
    assert cells_artist(figure).get_cmap().get_bad().tolist() == [1.0, 0.0, 1.0, 1.0]
    assert np.array_equal(infinite_cells(figure, values.shape), np.isinf(values))
    assert infinite_layer(figure).get_facecolor().tolist() == [[0.0, 1.0, 0.0, 1.0]]


def test_infinite_cells_do_not_set_the_colour_scale(normalized) -> None:
    result, _ = build(normalized, "keep")
    values = result.matrix.to_numpy()
    assert np.isinf(values).any()
    bar = axes_named(result.figure(color_scale="linear"), "colour bar")
    low, high = bar.get_ylim()
    finite = values[np.isfinite(values)]
    assert (low, high) == pytest.approx((finite.min(), finite.max()))
    # on the default log2 scale neither infinite cells nor those at 0 set it
    low, high = axes_named(result.figure(), "colour bar").get_ylim()
    positive = finite[finite > 0]
    reach = max(positive.max(), 1 / positive.min())
    assert (low, high) == pytest.approx((1 / reach, reach))


def test_cli_flags_choose_the_mode(run_cli, normalized) -> None:
    expected = pivot(normalized)
    for flags, shape in (
        ([], expected.dropna().shape),
        (["--keep-rows-missing-data", "--keep-columns-missing-data"], expected.shape),
    ):
        name = f"m{len(flags)}"
        result = run_cli(
            "-i",
            normalized,
            "-o",
            name,
            "-x",
            "Isolate",
            "-y",
            "Substrate",
            "-v",
            VALUE,
            "-p",
            "mean",
            "-s",
            "PM:1",
            "--format",
            "tsv",
            *flags,
        )
        assert result.exit_code == 0, result.stderr
        assert pd.read_csv(normalized.parent / f"{name}.tsv", sep="\t", index_col=0).shape == shape
    columns = run_cli(
        "-i",
        normalized,
        "-o",
        "m9",
        "-x",
        "Isolate",
        "-y",
        "Substrate",
        "-v",
        VALUE,
        "-p",
        "mean",
        "-s",
        "PM:1",
        "--keep-rows-missing-data",
        "--format",
        "tsv",
    )
    assert columns.exit_code == 0 and "Dropped 3 of 4 Isolate columns" in columns.stderr
    assert list(pd.read_csv(normalized.parent / "m9.tsv", sep="\t", index_col=0).columns) == ["ER2"]
    refused = run_cli("-i", normalized, "-o", "m8", "-x", "Plate_ID", "-y", "Substrate", "-v", "norm(lagP)")
    assert refused.exit_code == 1 and "--keep-rows-missing-data" in refused.stderr
