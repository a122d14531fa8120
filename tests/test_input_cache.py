"""The parsed-input cache: a second run on an unchanged file reads the cached columns and gives the same
result; a changed file is never served stale; the cache stays within its bound; ``cache info|clear``."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.readers import GuessedEncodingWarning
from amiga_heatmap.errors import DataError
from amiga_heatmap.pipeline import input_cache

from .conftest import REPOSITORY, natural

SERVED = "from the cache"


@pytest.fixture
def cache(tmp_path_factory, monkeypatch) -> Path:
    """An empty cache folder of the test's own (apart from its inputs); returns the folder holding the
    entries."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(input_cache.DIRECTORY_VARIABLE, str(folder))
    monkeypatch.delenv(input_cache.SIZE_VARIABLE, raising=False)
    return folder / input_cache.ENTRIES


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.cache")) if folder.is_dir() else []


def served(caplog) -> bool:
    return any(SERVED in record.getMessage() for record in caplog.records)


def mean_matrix(path: Path, value: str, x: str = "Isolate", y: str = "Substrate") -> pd.DataFrame:
    rows = pd.read_csv(path, sep="\t", dtype={x: str, y: str})
    return natural(rows.groupby([y, x])[value].mean().unstack(x))


@pytest.mark.parametrize(("value", "x", "y", "subset"), [
    ("norm(auc_lin)", "Strain", "Substrate", None),
    ("norm(gr)", "Isolate", "Substrate", "PM:1"),
    ("norm(k_lin)", "Substrate", "Well", "Isolate:ER2"),
])
def test_results_are_identical_with_and_without_the_cache(cache, data_dir, caplog, value, x, y, subset) -> None:
    source = data_dir / "ER_all_summary_normalized.txt"
    keywords = {"value": value, "x": x, "y": y, "operation": "mean", "subset": subset, "missing": "keep"}
    caplog.set_level(logging.INFO, "amiga_heatmap")
    first = heatmap(source, **keywords)
    assert not served(caplog) and len(entries(cache)) == 1
    caplog.clear()
    second = heatmap(source, **keywords)
    assert served(caplog)
    uncached = heatmap(source, no_cache=True, **keywords)
    for result in (first, second):
        pd.testing.assert_frame_equal(result.matrix, uncached.matrix, check_exact=True)
        pd.testing.assert_frame_equal(result.counts, uncached.counts, check_exact=True)
        pd.testing.assert_frame_equal(result.rows.reset_index(drop=True), uncached.rows.reset_index(drop=True),
                                      check_exact=True)
    expected = mean_matrix(source, value, x, y)
    if subset:
        column, label = subset.split(":")
        rows = pd.read_csv(source, sep="\t", dtype=str)
        rows = rows[rows[column] == label].assign(**{value: lambda frame: frame[value].astype(float)})
        expected = natural(rows.groupby([y, x])[value].mean().unstack(x))
    np.testing.assert_allclose(second.matrix.to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_a_changed_file_of_the_same_size_and_time_is_never_served_stale(cache, data_dir, caplog) -> None:
    source = data_dir / "ER_all_summary.txt"
    keywords = {"value": "auc_lin", "x": "Isolate", "y": "Substrate", "operation": "mean"}
    before = heatmap(source, **keywords).matrix
    status = source.stat()
    text = source.read_text(encoding="utf-8")
    first_value = text.split("\n")[1].split("\t")[18]  # auc_lin of the first well
    changed = first_value.replace(first_value[0], "9" if first_value[0] != "9" else "8", 1)
    assert len(changed) == len(first_value) and changed != first_value
    source.write_text(text.replace(first_value, changed, 1), encoding="utf-8")
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size and source.stat().st_mtime_ns == status.st_mtime_ns
    caplog.set_level(logging.INFO, "amiga_heatmap")
    after = heatmap(source, **keywords).matrix
    assert not served(caplog)
    pd.testing.assert_frame_equal(after, mean_matrix(source, "auc_lin"), rtol=1e-12)
    assert not after.equals(before)


def test_a_run_needing_more_columns_reads_the_file_and_the_entry_then_serves_both(cache, data_dir, caplog) -> None:
    source = data_dir / "ER_all_summary.txt"
    caplog.set_level(logging.INFO, "amiga_heatmap")
    heatmap(source, value="gr", x="Isolate", y="Substrate", operation="mean")
    caplog.clear()
    widened = heatmap(source, value="auc_lin", x="Isolate", y="Substrate", operation="mean", sort_x="Strain")
    assert not served(caplog)
    pd.testing.assert_frame_equal(widened.matrix.sort_index().sort_index(axis=1),
                                  mean_matrix(source, "auc_lin").sort_index().sort_index(axis=1), rtol=1e-12)
    for value in ("gr", "auc_lin"):
        caplog.clear()
        again = heatmap(source, value=value, x="Isolate", y="Substrate", operation="mean")
        assert served(caplog)
        pd.testing.assert_frame_equal(again.matrix, mean_matrix(source, value), rtol=1e-12)
    assert len(entries(cache)) == 1


def test_the_oldest_entries_are_evicted_beyond_the_bound(cache, data_dir, monkeypatch) -> None:
    plates = sorted((data_dir / "per-plate").glob("*.txt"))[:3]
    for plate in plates:
        heatmap(plate, value="gr", x="Isolate", y="Substrate")
    sizes = [place.stat().st_size for place in entries(cache)]
    assert len(sizes) == 3
    monkeypatch.setenv(input_cache.SIZE_VARIABLE, str(max(sizes) * 2))
    heatmap(plates[0], value="gr", x="Isolate", y="Substrate")  # served: now the most recently used
    heatmap(sorted((data_dir / "per-plate").glob("*.txt"))[3], value="gr", x="Isolate", y="Substrate")
    kept = {input_cache.described_entry(place)[0] for place in entries(cache)}
    assert kept == {str(plates[0].resolve()), str(sorted((data_dir / "per-plate").glob("*.txt"))[3].resolve())}


def test_no_cache_and_a_size_of_zero_store_nothing(cache, data_dir, monkeypatch) -> None:
    heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean",
            no_cache=True)
    assert entries(cache) == []
    monkeypatch.setenv(input_cache.SIZE_VARIABLE, "0")
    heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean")
    assert entries(cache) == []


def test_the_cache_is_never_written_next_to_the_input(data_dir, monkeypatch) -> None:
    monkeypatch.setenv(input_cache.DIRECTORY_VARIABLE, str(data_dir / "cache"))
    result = heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean")
    assert not (data_dir / "cache").exists()
    assert result.matrix.shape[1] == 4


def test_a_folder_search_never_reads_a_cache_entry(data_dir, monkeypatch) -> None:
    monkeypatch.setenv(input_cache.DIRECTORY_VARIABLE, str(data_dir / "inner"))
    heatmap(data_dir / "per-plate" / "ER1_PM1-1_summary.txt", value="gr", x="Isolate", y="Substrate")
    assert len(entries(data_dir / "inner" / input_cache.ENTRIES)) == 1  # inside the folder searched below
    result = heatmap(data_dir, value="gr", x="Isolate", y="Substrate", operation="mean",
                     allow_duplicate_wells=True)
    assert len(result.rows) == sum(len(pd.read_csv(summary, sep="\t")) for summary in data_dir.rglob("*.txt"))


def test_the_warnings_of_a_read_are_shown_again_when_served(cache, tmp_path) -> None:
    source = tmp_path / "windows.txt"
    source.write_bytes("Sample_ID\tIsolate\tSubstrate\tgr\n1\tER1\tD-Glucos\xe9\t0.5\n".encode("cp1252"))
    for _ in range(2):
        with pytest.warns(GuessedEncodingWarning, match="is not UTF-8"):
            result = heatmap(source, value="gr", x="Isolate", y="Substrate")
    assert list(result.matrix.index) == ["D-Glucosé"]
    assert len(entries(cache)) == 1


def test_cache_info_and_clear(cache, data_dir, run_cli) -> None:
    heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean")
    info = run_cli("cache", "info")
    assert info.exit_code == 0
    assert f"Cache folder: {cache}" in info.stdout and "Entries: 1," in info.stdout
    assert str((data_dir / "ER_all_summary.txt").resolve()) in info.stdout
    cleared = run_cli("cache", "clear")
    assert cleared.exit_code == 0 and "Removed 1 cache entries" in cleared.stdout
    assert entries(cache) == []
    assert "Entries: 0," in run_cli("cache", "info").stdout


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_two_runs_at_once_both_succeed_with_the_same_output(cache, data_dir, tmp_path, engine) -> None:
    command = [sys.executable, "-m", "amiga_heatmap", "-i", str(data_dir / "ER_all_summary.txt"), "-x", "Isolate",
               "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv", "--no-provenance",
               "--output-dir", str(tmp_path), "--engine", engine]
    environment = {**os.environ, input_cache.DIRECTORY_VARIABLE: str(cache.parent)}
    runs = [subprocess.Popen([*command, "-o", f"run{number}"], cwd=REPOSITORY, env=environment,
                             stderr=subprocess.PIPE, text=True) for number in (1, 2)]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read()
    assert (tmp_path / "run1.tsv").read_bytes() == (tmp_path / "run2.tsv").read_bytes()
    assert len(entries(cache)) == 1
    assert not list(cache.glob(".*.part"))


def test_a_bad_size_bound_is_a_usage_error(cache, data_dir, run_cli, monkeypatch) -> None:
    monkeypatch.setenv(input_cache.SIZE_VARIABLE, "lots")
    outcome = run_cli("cache", "info")
    assert outcome.exit_code == 2 and "is not a size" in outcome.stderr


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_the_provenance_record_and_the_cache_hash_the_input_once(cache, data_dir, run_cli, monkeypatch,
                                                                 tmp_path, engine) -> None:
    from amiga_heatmap.output import provenance

    source = data_dir / "ER_all_summary.txt"
    hashed = []
    original = provenance.sha256

    def counting(path):
        hashed.append(Path(path).resolve())
        return original(path)

    monkeypatch.setattr(provenance, "sha256", counting)
    monkeypatch.setattr(provenance, "SETTLED_SECONDS", -1.0)  # the copy is fresh: remember its hash anyway
    outcome = run_cli("-i", source, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv",
                      "--output-dir", tmp_path, "-o", "once", "--engine", engine)
    assert outcome.exit_code == 0, outcome.stderr
    assert hashed.count(source.resolve()) == 1
    assert len(entries(cache)) == 1
    record = provenance.read_provenance(tmp_path / "once.provenance.json")
    assert record["inputs"][0]["sha256"] == original(source)


def test_the_warnings_of_a_refused_file_still_come_before_the_error(cache, tmp_path, run_cli) -> None:
    source = tmp_path / "ragged.txt"
    source.write_bytes("Sample_ID\tIsolate\tSubstrate\tgr\n1\tER1\tGlucos\xe9\t0.5\n2\tER1\n".encode("cp1252"))
    outcome = run_cli("-i", source, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "--format", "tsv")
    assert outcome.exit_code == 1
    assert outcome.stderr.index("Warning: ") < outcome.stderr.index("Error: ")
    assert "is not UTF-8" in outcome.stderr and "number of cells differs" in outcome.stderr
    assert entries(cache) == []


# ------------------------------------------------------------------------------ the duckdb engine's entries

DUCKDB = {"engine": "duckdb", "engine_options": {"threads": 1}}


def duckdb_entries(folder: Path) -> list[Path]:
    """The duckdb engine's entries: named KEY-SHA256.cache (the pandas engine's are KEY.cache)."""
    return [place for place in entries(folder) if "-" in place.stem]


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(("value", "x", "y", "subset"), [
    ("norm(auc_lin)", "Strain", "Substrate", None),
    ("norm(gr)", "Isolate", "Substrate", "PM:1"),
    ("norm(k_lin)", "Substrate", "Well", "Isolate:ER2"),
])
def test_the_duckdb_engine_fills_an_entry_then_serves_it_with_the_texts_matrix(cache, data_dir, caplog, value, x,
                                                                               y, subset) -> None:
    import hashlib

    source = data_dir / "ER_all_summary_normalized.txt"
    keywords = {"value": value, "x": x, "y": y, "operation": "mean", "subset": subset, "missing": "keep"}
    caplog.set_level(logging.INFO, "amiga_heatmap")
    first = heatmap(source, **keywords, **DUCKDB)
    assert not served(caplog) and "cached the columns read from" in caplog.text
    [entry] = entries(cache)
    assert entry.stem.rsplit("-", 1)[1] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert leftovers(cache) == [entry.name]  # no temporary file left
    caplog.clear()
    second = heatmap(source, **keywords, **DUCKDB)
    assert served(caplog) and "cached the columns" not in caplog.text
    assert first.cell_table.engine == second.cell_table.engine == "duckdb"
    from_text = heatmap(source, engine="pandas", no_cache=True, **keywords)
    for result in (first, second):
        pd.testing.assert_frame_equal(result.matrix, from_text.matrix, rtol=1e-12, atol=0)
        pd.testing.assert_frame_equal(result.counts, from_text.counts, check_dtype=False)
    pd.testing.assert_frame_equal(second.matrix, first.matrix, check_exact=True)
    rows = pd.read_csv(source, sep="\t", dtype=str)
    if subset:
        column, label = subset.split(":")
        rows = rows[rows[column] == label]
    expected = natural(rows.assign(**{value: rows[value].astype(float)}).groupby([y, x])[value].mean().unstack(x))
    np.testing.assert_allclose(second.matrix.to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_the_duckdb_engine_never_serves_a_file_changed_with_its_size_and_time_kept(cache, data_dir, caplog) -> None:
    source = data_dir / "ER_all_summary.txt"
    keywords = {"value": "auc_lin", "x": "Isolate", "y": "Substrate", "operation": "mean", **DUCKDB}
    before = heatmap(source, **keywords).matrix
    [stale] = entries(cache)
    status = source.stat()
    text = source.read_text(encoding="utf-8")
    first_value = text.split("\n")[1].split("\t")[18]  # auc_lin of the first well
    changed = first_value.replace(first_value[0], "9" if first_value[0] != "9" else "8", 1)
    source.write_text(text.replace(first_value, changed, 1), encoding="utf-8")
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size and source.stat().st_mtime_ns == status.st_mtime_ns
    caplog.set_level(logging.INFO, "amiga_heatmap")
    after = heatmap(source, **keywords).matrix
    assert not served(caplog) and "is stale" in caplog.text
    pd.testing.assert_frame_equal(after, mean_matrix(source, "auc_lin"), rtol=1e-12, check_index_type=False,
                                  check_column_type=False)
    assert not after.equals(before)
    [fresh] = entries(cache)  # the stale entry removed, the new content's written
    assert fresh != stale and not stale.exists()


def test_a_stale_entry_holding_text_values_is_not_an_error_of_the_file(cache, data_dir, caplog) -> None:
    """What a run makes of a stale entry, its errors included, is never shown: the text decides."""
    source = data_dir / "ER_all_summary.txt"
    keywords = {"value": "auc_lin", "x": "Isolate", "y": "Substrate", "operation": "mean", **DUCKDB}
    text = source.read_text(encoding="utf-8")
    value = text.split("\n")[1].split("\t")[18]
    broken = "x" * len(value)
    status = source.stat()
    source.write_text(text.replace(value, broken, 1), encoding="utf-8")
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    with pytest.raises(DataError, match="not numeric|not a number|holds text"):
        heatmap(source, **keywords)
    assert len(entries(cache)) == 1  # the entry of the file as it was: the error was the file's
    source.write_text(text, encoding="utf-8")
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    caplog.set_level(logging.INFO, "amiga_heatmap")
    result = heatmap(source, **keywords)
    assert not served(caplog) and "is stale" in caplog.text
    pd.testing.assert_frame_equal(result.matrix, mean_matrix(source, "auc_lin"), rtol=1e-12,
                                  check_index_type=False, check_column_type=False)


def test_the_duckdb_engine_stores_nothing_with_no_cache_or_a_size_of_zero(cache, data_dir, monkeypatch) -> None:
    keywords = {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean", **DUCKDB}
    heatmap(data_dir / "ER_all_summary.txt", no_cache=True, **keywords)
    assert leftovers(cache) == []
    monkeypatch.setenv(input_cache.SIZE_VARIABLE, "0")
    heatmap(data_dir / "ER_all_summary.txt", **keywords)
    assert leftovers(cache) == []


def test_a_file_duckdb_fails_to_parse_leaves_nothing_in_the_cache(cache, tmp_path_factory) -> None:
    source = tmp_path_factory.mktemp("input") / "ragged.txt"
    rows = "".join(f"{number}\tER1\tS{number}\t0.{number}\n" for number in range(1, 5000))
    source.write_text(f"Sample_ID\tIsolate\tSubstrate\tgr\n{rows}5000\tER1\n", encoding="utf-8")
    with pytest.raises(DataError, match="number of cells differs"):
        heatmap(source, value="gr", x="Isolate", y="Substrate", **DUCKDB)
    assert leftovers(cache) == []


def test_a_file_found_in_another_encoding_further_on_warns_again_when_served(cache, tmp_path_factory) -> None:
    source = tmp_path_factory.mktemp("input") / "windows.txt"
    plain = "".join(f"{number}\tER1\tS{number}\t0.5\n" for number in range(1, 8000))  # past the sniffed sample
    source.write_bytes(f"Sample_ID\tIsolate\tSubstrate\tgr\n{plain}8000\tER1\tD-Glucos\xe9\t0.5\n".encode("cp1252"))
    for _ in range(2):
        with pytest.warns(GuessedEncodingWarning, match="is not UTF-8"):
            result = heatmap(source, value="gr", x="Isolate", y="Substrate", **DUCKDB)
        assert "D-Glucosé" in list(result.matrix.index) and result.matrix.shape == (8000, 1)
        assert len(duckdb_entries(cache)) == 1


def test_a_duckdb_run_needing_more_columns_reads_the_text_and_keeps_both_sets(cache, data_dir, caplog) -> None:
    source = data_dir / "ER_all_summary.txt"
    caplog.set_level(logging.INFO, "amiga_heatmap")
    heatmap(source, value="gr", x="Isolate", y="Substrate", operation="mean", **DUCKDB)
    caplog.clear()
    widened = heatmap(source, value="auc_lin", x="Isolate", y="Substrate", operation="mean", sort_x="Strain", **DUCKDB)
    assert not served(caplog)
    pd.testing.assert_frame_equal(widened.matrix.sort_index().sort_index(axis=1),
                                  mean_matrix(source, "auc_lin").sort_index().sort_index(axis=1), rtol=1e-12,
                                  check_index_type=False, check_column_type=False)
    for value in ("gr", "auc_lin"):
        caplog.clear()
        again = heatmap(source, value=value, x="Isolate", y="Substrate", operation="mean", **DUCKDB)
        assert served(caplog)
        pd.testing.assert_frame_equal(again.matrix, mean_matrix(source, value), rtol=1e-12, check_index_type=False,
                                      check_column_type=False)
    assert len(entries(cache)) == 1


def test_served_entries_keep_the_duplicate_wells_check_and_the_replicates(cache, data_dir, caplog) -> None:
    plates = sorted((data_dir / "per-plate").glob("*.txt"))[:2]
    copy = data_dir / "copy.txt"
    copy.write_bytes(plates[0].read_bytes())
    for _ in range(2):  # the second time from the entries
        with pytest.raises(DataError, match="copies|same wells|repeat"):
            heatmap([plates[0], copy], value="gr", x="Isolate", y="Substrate", operation="mean", **DUCKDB)
    caplog.set_level(logging.INFO, "amiga_heatmap")
    keywords = {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean", "test": True}
    first = heatmap(plates, **keywords, **DUCKDB)
    caplog.clear()
    second = heatmap(plates, **keywords, **DUCKDB)
    assert served(caplog)
    expected = heatmap(plates, engine="pandas", no_cache=True, **keywords)
    for result in (first, second):
        pd.testing.assert_frame_equal(result.matrix, expected.matrix, rtol=1e-12, check_index_type=False,
                                      check_column_type=False)
        pd.testing.assert_frame_equal(result.cells.reset_index(drop=True), expected.cells.reset_index(drop=True),
                                      rtol=1e-12, check_dtype=False)


def test_a_damaged_duckdb_entry_means_reading_the_text(cache, data_dir, caplog) -> None:
    source = data_dir / "ER_all_summary.txt"
    keywords = {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean", **DUCKDB}
    heatmap(source, **keywords)
    [entry] = entries(cache)
    entry.write_bytes(entry.read_bytes()[:100])
    caplog.set_level(logging.INFO, "amiga_heatmap")
    result = heatmap(source, **keywords)
    assert not served(caplog) and "damaged" in caplog.text
    pd.testing.assert_frame_equal(result.matrix, mean_matrix(source, "gr"), rtol=1e-12, check_index_type=False,
                                  check_column_type=False)
    assert len(entries(cache)) == 1 and entries(cache)[0].stat().st_size > 100


def test_cache_info_lists_the_duckdb_engines_entries(cache, data_dir, run_cli) -> None:
    heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean", **DUCKDB)
    heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean")
    info = run_cli("cache", "info")
    assert info.exit_code == 0 and "Entries: 2," in info.stdout
    source = str((data_dir / "ER_all_summary.txt").resolve())
    assert f"{source} (duckdb engine)" in info.stdout and f"{source} (pandas engine)" in info.stdout
    assert "Removed 2 cache entries" in run_cli("cache", "clear").stdout
    assert entries(cache) == []


def test_a_cache_folder_that_cannot_be_made_means_reading_the_text(data_dir, tmp_path_factory, monkeypatch,
                                                                  caplog) -> None:
    blocked = tmp_path_factory.mktemp("blocked") / "not-a-folder"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv(input_cache.DIRECTORY_VARIABLE, str(blocked))
    caplog.set_level(logging.INFO, "amiga_heatmap")
    for engine in ("duckdb", "pandas"):
        result = heatmap(data_dir / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation="mean",
                         engine=engine)
        pd.testing.assert_frame_equal(result.matrix, mean_matrix(data_dir / "ER_all_summary.txt", "gr"), rtol=1e-12,
                                      check_index_type=False, check_column_type=False)
    assert "not caching" in caplog.text
    assert blocked.read_text(encoding="utf-8") == "a file where the cache folder would go"


def test_a_stale_entry_among_several_files_reads_again_and_warns_once(cache, tmp_path_factory, caplog) -> None:
    folder = tmp_path_factory.mktemp("input")
    windows, changed = folder / "a_windows.txt", folder / "b_changed.txt"
    windows.write_bytes("Sample_ID\tIsolate\tSubstrate\tgr\n1\tER1\tD-Glucos\xe9\t0.5\n".encode("cp1252"))
    changed.write_text("Sample_ID\tIsolate\tSubstrate\tgr\n2\tER2\tD-Glucose\t0.25\n", encoding="utf-8")
    keywords = {"value": "gr", "x": "Isolate", "y": "Substrate", "allow_duplicate_wells": True, "missing": "keep",
                **DUCKDB}
    with pytest.warns(GuessedEncodingWarning):
        heatmap([windows, changed], **keywords)
    for place in entries(cache):  # the first file's entry gone: written again while the second's is stale
        if input_cache.described_entry(place)[0] == str(windows.resolve()):
            place.unlink()
    status = changed.stat()
    changed.write_text(changed.read_text(encoding="utf-8").replace("0.25", "0.75"), encoding="utf-8")
    os.utime(changed, ns=(status.st_atime_ns, status.st_mtime_ns))
    caplog.set_level(logging.INFO, "amiga_heatmap")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap([windows, changed], **keywords)
    assert "is stale" in caplog.text
    assert sum(warning.category is GuessedEncodingWarning for warning in caught) == 1
    assert result.matrix.loc["D-Glucose", "ER2"] == 0.75 and result.matrix.loc["D-Glucosé", "ER1"] == 0.5
    assert len(duckdb_entries(cache)) == 2 and not list(cache.glob(".*.part"))
