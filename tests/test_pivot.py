"""The pivot from (y, x)-indexed cells to the y x x matrices of values and counts, checked against
pandas' own ``unstack``: every cell in its place, missing cells NaN (counts 0), labels in natural order,
and no row or column for a label the index holds but no cell uses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amiga_heatmap.pipeline.pivot import pivot


def cells(pairs: list[tuple[str, str]], seed: int = 0) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_tuples(pairs, names=["Substrate", "Isolate"])
    values = pd.Series(rng.normal(1.0, 0.2, len(pairs)), index=index)
    counts = pd.Series(rng.integers(1, 5, len(pairs)), index=index)
    return values, counts


def test_every_cell_lands_where_unstack_puts_it_in_natural_order() -> None:
    pairs = [("Sucrose", "ER10"), ("alpha-D-Glucose", "ER2"), ("Sucrose", "ER2"), ("D-Xylose", "ER1"),
             ("alpha-D-Glucose", "ER10"), ("D-Xylose", "ER10")]
    values, counts = cells(pairs)
    matrix, count_matrix = pivot(values, counts, "Isolate", "Substrate")
    assert list(matrix.index) == ["alpha-D-Glucose", "D-Xylose", "Sucrose"]
    assert list(matrix.columns) == ["ER1", "ER2", "ER10"]
    assert (matrix.index.name, matrix.columns.name) == ("Substrate", "Isolate")
    expected = values.unstack("Isolate").loc[matrix.index, matrix.columns]
    np.testing.assert_array_equal(matrix.to_numpy(), expected.to_numpy())
    expected_counts = counts.unstack("Isolate", fill_value=0).loc[matrix.index, matrix.columns]
    np.testing.assert_array_equal(count_matrix.to_numpy(), expected_counts.to_numpy())
    assert np.isnan(matrix.loc["Sucrose", "ER1"]) and count_matrix.loc["Sucrose", "ER1"] == 0


def test_labels_no_cell_uses_get_no_row_or_column() -> None:
    values, counts = cells([("Sucrose", "ER1"), ("Tween 20", "ER2"), ("D-Xylose", "ER3"), ("Sucrose", "ER3")])
    kept = values.index.get_level_values("Isolate") != "ER2"  # leaves "Tween 20" and "ER2" in the levels
    values, counts = values[kept], counts[kept]
    assert "Tween 20" in values.index.levels[0] and "ER2" in values.index.levels[1]
    matrix, count_matrix = pivot(values, counts, "Isolate", "Substrate")
    assert list(matrix.index) == ["D-Xylose", "Sucrose"] and list(matrix.columns) == ["ER1", "ER3"]
    assert count_matrix.to_numpy().tolist() == [[0, counts[("D-Xylose", "ER3")]],
                                                [counts[("Sucrose", "ER1")], counts[("Sucrose", "ER3")]]]


def test_counts_indexed_apart_from_the_values_are_placed_by_their_own_index() -> None:
    values, counts = cells([("A", "ER1"), ("B", "ER2"), ("A", "ER2")])
    reordered = counts.iloc[::-1].copy()  # another index object, another order
    matrix, count_matrix = pivot(values, reordered, "Isolate", "Substrate")
    expected = counts.unstack("Isolate", fill_value=0).loc[matrix.index, matrix.columns]
    np.testing.assert_array_equal(count_matrix.to_numpy(), expected.to_numpy())
