"""``--format tsv`` writes the bytes pandas' ``DataFrame.to_csv`` writes for the matrix, however the
numbers and labels look (the fast writer of amiga_heatmap/builtin/table_renderer.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.table_renderer import write_matrix


def pandas_bytes(matrix: pd.DataFrame, label: str, path) -> bytes:
    matrix.to_csv(path, sep="\t", index_label=label, na_rep="", float_format=None, lineterminator="\n")
    return path.read_bytes()


def hostile_matrix(rows: int, columns: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = rng.random((rows, columns)) * 10.0 ** rng.integers(-12, 25, (rows, columns))
    values[rng.random(values.shape) < 0.1] = np.nan
    values[::3] = np.round(values[::3])  # whole numbers: "3.0", "1e+16"
    values[1, :9] = [1.0, 0.0, -0.0, 1e16, 1e-5, 1e-4, 9.999999999999999e15, np.inf, -np.inf]
    values[2] = -values[2]
    labels = [f"substrate {row}" for row in range(rows)]
    labels[3:9] = ["a\tb", 'q"x', "line\nbreak", "", "a\rb", " x "]
    columns_ = [f"ES{column}" for column in range(columns)]
    columns_[2] = "tab\there"
    return pd.DataFrame(values, index=pd.Index(labels, name="Substrate"), columns=pd.Index(columns_, name="Isolate"))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_tsv_writer_writes_the_bytes_pandas_writes(seed, tmp_path) -> None:
    matrix = hostile_matrix(40, 30, seed)
    write_matrix(matrix, "Substrate", tmp_path / "ours.tsv")
    assert (tmp_path / "ours.tsv").read_bytes() == pandas_bytes(matrix, "Substrate", tmp_path / "pandas.tsv")


@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (1, 1)])
def test_the_tsv_writer_handles_degenerate_shapes(shape, tmp_path) -> None:
    matrix = hostile_matrix(10, 10, 3).iloc[: shape[0], : shape[1]]
    write_matrix(matrix, 'quote"d', tmp_path / "ours.tsv")
    assert (tmp_path / "ours.tsv").read_bytes() == pandas_bytes(matrix, 'quote"d', tmp_path / "pandas.tsv")


def test_a_rendered_tsv_is_the_matrix_as_pandas_writes_it(data_dir, tmp_path) -> None:
    result = heatmap(data_dir / "ER_all_summary_normalized.txt", value="norm(auc_lin)", x="Isolate",
                     y="Substrate", operation="mean", missing="keep")
    [path] = result.save(tmp_path / "matrix.tsv")
    assert Path(path).read_bytes() == pandas_bytes(result.matrix, "Substrate", tmp_path / "pandas.tsv")
