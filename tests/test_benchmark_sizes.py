"""The benchmark's big sizes: the streamed Parquet generator (``screen``) writes the rows the text
generator writes, read back as the same matrix and labels; the DuckDB floor draws the pandas floor's
matrix. Small sizes only: no time is measured."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.parquet_reader import read_parquet
from amiga_heatmap.builtin.readers import read_delimited

from .benchmark_scripts import benchmark_module
from .conftest import REPOSITORY

SHAPE = (3, 200, 4)  # isolates, wells per isolate and replicate (3 plates), replicates


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    generate = benchmark_module("generate")
    folder = tmp_path_factory.mktemp("sizes")
    generate.write_summary(folder / "screen.txt", *SHAPE, seed=3)
    generate.write_parquet_summary(folder / "screen.parquet", *SHAPE, seed=3)
    return folder


def test_the_sizes_are_as_documented() -> None:
    generate = benchmark_module("generate")
    isolates, wells, replicates = generate.SIZES["huge"]
    assert isolates * wells * replicates == pytest.approx(1e7, rel=1e-3)
    isolates, wells, replicates = generate.SIZES["screen"]
    assert isolates * wells * replicates == pytest.approx(1e8, rel=1e-3)
    assert generate.FORMATS["screen"] == "parquet" and generate.FORMATS["huge"] == "text"


def test_the_parquet_generator_writes_the_rows_of_the_text_generator(generated) -> None:
    text = read_delimited(str(generated / "screen.txt"), None, "\t", numbers=frozenset({"norm(auc_lin)"}))
    parquet = read_parquet(str(generated / "screen.parquet"), None, numbers=frozenset({"norm(auc_lin)"}))
    assert len(parquet) == SHAPE[0] * SHAPE[1] * SHAPE[2] == len(text)
    assert list(parquet.columns) == list(text.columns)
    for column in ("Sample_ID", "Well", "Plate_ID", "Strain", "Isolate", "PM", "Replicate", "Substrate", "Control",
                   "K_Error > 20%"):
        assert parquet[column].tolist() == text[column].tolist(), column
    pd.testing.assert_series_equal(parquet["norm(auc_lin)"], text["norm(auc_lin)"], check_exact=True)
    # one engine for both files, so that equal rows give equal bits (duckdb sums in another order)
    keywords = {"value": "norm(auc_lin)", "x": "Isolate", "y": "Substrate", "operation": "mean", "no_cache": True,
                "engine": "pandas"}
    pd.testing.assert_frame_equal(heatmap(generated / "screen.parquet", **keywords).matrix,
                                  heatmap(generated / "screen.txt", **keywords).matrix, check_exact=True)


def test_the_generator_is_deterministic(generated, tmp_path) -> None:
    generate = benchmark_module("generate")
    generate.write_parquet_summary(tmp_path / "again.parquet", *SHAPE, seed=3)
    assert pd.read_parquet(tmp_path / "again.parquet").equals(pd.read_parquet(generated / "screen.parquet"))


def floor(script: str, source, out) -> dict:
    done = subprocess.run([sys.executable, str(REPOSITORY / "benchmarks" / script), str(source), str(out),
                           "--threshold", "1.2"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", ["screen.txt", "screen.parquet"])
def test_the_duckdb_floor_draws_the_matrix_of_the_pandas_floor(generated, tmp_path, name) -> None:
    pytest.importorskip("duckdb")
    duckdb_floor = floor("floor_duckdb.py", generated / name, tmp_path / "duckdb.pdf")
    pandas_floor = floor("floor.py", generated / "screen.txt", tmp_path / "pandas.pdf")
    assert duckdb_floor["shape"] == pandas_floor["shape"]
    assert duckdb_floor["rows_read"] == pandas_floor["rows_read"] == SHAPE[0] * SHAPE[1] * SHAPE[2]
    assert (tmp_path / "duckdb.pdf").read_bytes().startswith(b"%PDF")
    assert {"import", "query", "pivot", "filter", "render", "total"} <= set(duckdb_floor["seconds"])
