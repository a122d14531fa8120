"""The matrices AMiGA 3.0.4 itself computes for three cases (tests/data/amiga-reference) are reproduced,
cell by cell, compared by label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap

from .conftest import EXAMPLES, REFERENCE

CASES = pd.read_csv(REFERENCE / "cases.tsv", sep="\t", dtype=str).set_index("name")


@pytest.mark.parametrize("name", list(CASES.index))
def test_matrix_equals_amigas(name: str) -> None:
    case = CASES.loc[name]
    expected = pd.read_csv(REFERENCE / f"{name}.tsv", sep="\t", index_col=0)
    result = heatmap(
        EXAMPLES / case["input"].split("/")[-1],
        value=case["value"],
        x=case["x"],
        y=case["y"],
        operation=case["operation"],
        filter=case["filter"],
        subset=None if case["subset"] == "-" else case["subset"],
    )
    # the same labels and the same cell for each; the order differs on purpose: AMiGA sorts labels by
    # character code, amiga-heatmap naturally (docs/differences-from-amiga.md, "Label order")
    matrix = result.matrix.rename(columns=str)
    assert sorted(matrix.index) == sorted(expected.index)
    assert sorted(matrix.columns) == sorted(expected.columns)
    np.testing.assert_allclose(matrix.loc[expected.index, expected.columns].to_numpy(), expected.to_numpy(),
                               rtol=1e-13, atol=0)
