"""Parquet input and ``amiga-heatmap convert``: a Parquet copy gives the same matrix and the same labels
as the text it was converted from, on the real example data, checked against pandas' own groupby."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.parquet_reader import read_parquet
from amiga_heatmap.builtin.readers import read_delimited
from amiga_heatmap.errors import DataError
from amiga_heatmap.output.parquet_storage import storable_column

from .conftest import natural

COMBINATIONS = [
    ("ER_all_summary_normalized.txt", "Strain", "Substrate", "norm(auc_lin)", None),
    ("ER_all_summary_normalized.txt", "Isolate", "Substrate", "norm(gr)", "PM:1"),
    ("ER_all_summary.txt", "Isolate", "Substrate", "auc_lin", "Isolate:ER1,ER3"),
    ("ER_all_summary.txt", "Substrate", "Well", "OD_Max", "PM:2"),
    ("ER_all_summary.txt", "PM", "Isolate", "k_lin", None),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_matrix(source: Path, x: str, y: str, value: str, subset: str | None) -> pd.DataFrame:
    """The mean of each (y, x) cell, from pandas reading the text with labels as text."""
    rows = pd.read_csv(source, sep="\t", dtype=str, keep_default_na=False)
    rows[value] = rows[value].astype(float)
    if subset:
        column, values = subset.split(":")
        rows = rows[rows[column].isin(values.split(","))]
    matrix = rows.groupby([y, x])[value].mean().unstack(x)
    return natural(matrix).rename_axis(index=y, columns=x)


def assert_same_matrix(from_parquet: pd.DataFrame, from_text: pd.DataFrame, engine: str) -> None:
    """The pandas engine gives the text's matrix exactly; duckdb sums in another order (to 1e-12)."""
    pd.testing.assert_frame_equal(from_parquet, from_text, check_exact=engine == "pandas", rtol=1e-12)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize(("name", "x", "y", "value", "subset"), COMBINATIONS)
def test_a_parquet_copy_gives_the_matrix_and_labels_of_the_text(data_dir, tmp_path, run_cli, name, x, y, value,
                                                                 subset, engine) -> None:
    source = data_dir / name
    before = digest(source)
    copy = tmp_path / "copy.parquet"
    outcome = run_cli("convert", source, copy)
    assert outcome.exit_code == 0, outcome.stderr
    assert digest(source) == before
    keywords = {"value": value, "x": x, "y": y, "operation": "mean", "subset": subset, "missing": "keep"}
    from_text = heatmap(source, engine="pandas", **keywords)
    from_parquet = heatmap(copy, engine=engine, **keywords)
    assert_same_matrix(from_parquet.matrix, from_text.matrix, engine)
    expected = expected_matrix(source, x, y, value, subset)
    assert list(from_parquet.matrix.index) == list(expected.index)
    assert list(from_parquet.matrix.columns) == list(expected.columns)
    np.testing.assert_allclose(from_parquet.matrix.to_numpy(), expected.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_folder_converts_to_a_folder_and_to_one_file_with_the_same_matrix(data_dir, tmp_path, run_cli,
                                                                            engine) -> None:
    plates = data_dir / "per-plate"
    assert run_cli("convert", plates, tmp_path / "plates").exit_code == 0
    assert run_cli("convert", plates, tmp_path / "all.parquet").exit_code == 0
    assert sorted(path.name for path in (tmp_path / "plates").iterdir()) == sorted(
        path.with_suffix(".parquet").name for path in plates.glob("*.txt"))
    keywords = {"value": "auc_lin", "x": "Isolate", "y": "Substrate", "operation": "mean"}
    from_text = heatmap(plates, engine="pandas", **keywords).matrix
    for copy in (tmp_path / "plates", tmp_path / "all.parquet"):
        assert_same_matrix(heatmap(copy, engine=engine, **keywords).matrix, from_text, engine)


def test_every_label_column_reads_back_as_the_text_it_was(data_dir, tmp_path, run_cli) -> None:
    source = data_dir / "ER_all_summary.txt"
    assert run_cli("convert", source, tmp_path / "copy.parquet").exit_code == 0
    text = read_delimited(str(source), None, "\t")
    back = read_parquet(str(tmp_path / "copy.parquet"), None)
    assert list(back.columns) == list(text.columns)
    for column in text.columns:
        assert back[column].tolist() == text[column].tolist(), column


@pytest.mark.parametrize(("texts", "stored"), [
    (["1", "-20", None, "300"], pa.int64()),
    (["01", "1"], pa.string()),
    (["+3", "4"], pa.string()),
    (["-0", "4"], pa.string()),
    (["99999999999999999999", "1"], pa.string()),
    (["0.5", "1.0", "1e-05", "inf", "nan", "-0.0", None], pa.float64()),
    (["0.50", "1.0"], pa.string()),
    (["1e-5"], pa.string()),
    ([".5"], pa.string()),
    (["1,5", "2,25"], pa.string()),
    (["NA", "1.5"], pa.string()),
    ([None, None], pa.string()),
])
def test_the_storage_rule_stores_numbers_only_when_their_text_comes_back(texts, stored) -> None:
    column = storable_column(pa.array(texts, pa.string()))
    assert column.type == stored
    from amiga_heatmap.builtin.parquet_reader import _label_column

    assert _label_column(pa.chunked_array([column])).to_pylist() == texts


def test_labels_and_decimal_commas_survive_the_copy(tmp_path, run_cli) -> None:
    source = tmp_path / "comma.txt"
    source.write_text(
        "Sample_ID\tIsolate\tSubstrate\tDose\tgr\n"
        "1\tER1\t01\t0,5\t1,25\n2\tER1\t1\t1,0\t2,5\n3\tER2\t01\t0,5\tNA\n4\tER2\t1\t1,0\t0,125\n",
        encoding="utf-8")
    assert run_cli("convert", source, tmp_path / "comma.parquet").exit_code == 0
    keywords = {"value": "gr", "x": "Isolate", "y": "Substrate", "missing": "keep"}
    from_text = heatmap(source, **keywords).matrix
    from_parquet = heatmap(tmp_path / "comma.parquet", **keywords).matrix
    pd.testing.assert_frame_equal(from_parquet, from_text, check_exact=True)
    assert from_parquet.loc["01", "ER1"] == 1.25 and np.isnan(from_parquet.loc["01", "ER2"])
    dose = heatmap(tmp_path / "comma.parquet", value="gr", x="Isolate", y="Dose", missing="keep").matrix
    assert list(dose.index) == ["0,5", "1,0"]


def test_convert_refuses_outputs_that_would_hurt_the_input(data_dir, tmp_path, run_cli) -> None:
    plates = data_dir / "per-plate"
    before = {path: digest(path) for path in plates.iterdir()}
    inside = run_cli("convert", plates, plates / "copy")
    assert inside.exit_code == 2 and "is inside the input folder" in inside.stderr
    named = run_cli("convert", data_dir / "ER_all_summary.txt", tmp_path / "copy.txt")
    assert named.exit_code == 2 and "does not end in .parquet" in named.stderr
    assert {path: digest(path) for path in plates.iterdir()} == before


def test_a_summary_the_reader_refuses_is_refused_and_nothing_is_written(tmp_path, run_cli) -> None:
    ragged = tmp_path / "ragged.txt"
    ragged.write_text("Sample_ID\tIsolate\tgr\n1\tER1\t0.5\n2\tER1\n", encoding="utf-8")
    outcome = run_cli("convert", ragged, tmp_path / "out" / "ragged.parquet")
    assert outcome.exit_code == 1 and "rows whose number of cells differs" in outcome.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_damaged_and_empty_parquet_files_are_data_errors(tmp_path) -> None:
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(DataError, match=r"Cannot read .*damaged.parquet as a Parquet file"):
        heatmap(damaged, value="gr", x="Isolate", y="Substrate")
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"Isolate": pa.array([], pa.string()), "gr": pa.array([], pa.float64())}), empty)
    with pytest.raises(DataError, match="has columns but no rows"):
        heatmap(empty, value="gr", x="Isolate", y="Substrate")


def test_convert_shows_a_progress_bar_on_a_terminal_only(data_dir, tmp_path) -> None:
    import os
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "amiga_heatmap", "convert", str(data_dir / "per-plate")]
    controller, terminal = pty.openpty()
    shown = b""
    try:
        on_terminal = subprocess.Popen([*command, str(tmp_path / "tty")], stderr=terminal, stdout=subprocess.PIPE)
        os.close(terminal)
        while True:  # read the terminal as the bar is drawn, as a terminal does
            try:
                chunk = os.read(controller, 1 << 16)
            except OSError:  # the program ended: the terminal is closed
                break
            if not chunk:
                break
            shown += chunk
        standard_output = on_terminal.stdout.read().decode()
        assert on_terminal.wait(timeout=120) == 0
    finally:
        os.close(controller)
    shown = shown.decode(errors="replace")
    piped = subprocess.run([*command, str(tmp_path / "pipe")], capture_output=True, text=True, timeout=120,
                           check=True)
    assert "Converting" in shown and "100%" in shown
    assert "Converting" not in piped.stderr
    assert standard_output.count("Wrote ") == piped.stdout.count("Wrote ") == 16
