"""The matrices AMiGA 3.0.4 itself computes for three cases (tests/data/amiga-reference) are reproduced."""

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
    assert list(result.matrix.index) == list(expected.index)
    assert [str(column) for column in result.matrix.columns] == list(expected.columns)
    np.testing.assert_allclose(result.matrix.to_numpy(), expected.to_numpy(), rtol=1e-13, atol=0)
