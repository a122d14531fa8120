"""Input hashes remembered from one run to the next: an unchanged file is not read again to hash it, a
changed one always is (its change time moved, even with its size and modification time put back), and
nothing is remembered with ``--no-cache``, with a cache of size 0 or for a file changed moments ago."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from amiga_heatmap.output import known_hashes, provenance
from amiga_heatmap.pipeline import input_cache


@pytest.fixture
def hashes(tmp_path_factory, monkeypatch) -> Path:
    """A cache folder of the test's own, with no hash remembered in this process; returns the folder
    of the remembered hashes. Files count as settled at once (not two seconds after their last change)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(input_cache.DIRECTORY_VARIABLE, str(folder))
    monkeypatch.delenv(input_cache.SIZE_VARIABLE, raising=False)
    monkeypatch.setattr(provenance, "_DIGESTS", {})
    monkeypatch.setattr(provenance, "SETTLED_SECONDS", -1.0)
    return folder / known_hashes.FOLDER


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The files :func:`provenance.sha256` reads, in order (it still reads them)."""
    read: list[str] = []
    real = provenance.sha256

    def counting(path):
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(provenance, "sha256", counting)
    return read


def summary(tmp_path: Path, data_dir: Path) -> Path:
    copy = tmp_path / "ER_all_summary.txt"
    shutil.copyfile(data_dir / "ER_all_summary.txt", copy)
    return copy


def in_a_new_process(monkeypatch) -> None:
    monkeypatch.setattr(provenance, "_DIGESTS", {})


def test_an_unchanged_file_is_hashed_once_across_runs(hashes, hashed, tmp_path, data_dir, monkeypatch) -> None:
    source = summary(tmp_path, data_dir)
    expected = hashlib.sha256(source.read_bytes()).hexdigest()
    assert provenance.shared_sha256(source) == expected
    assert len(list(hashes.glob("*.sha256"))) == 1
    in_a_new_process(monkeypatch)
    assert provenance.shared_sha256(source) == expected
    assert hashed == [str(source)]


def test_a_changed_file_is_hashed_again_though_its_size_and_time_are_put_back(
        hashes, hashed, tmp_path, data_dir, monkeypatch) -> None:
    source = summary(tmp_path, data_dir)
    before = provenance.shared_sha256(source)
    status = source.stat()
    changed = source.read_bytes().replace(b"ER1", b"ER9", 1)
    source.write_bytes(changed)
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert source.stat().st_size == status.st_size and source.stat().st_mtime_ns == status.st_mtime_ns
    in_a_new_process(monkeypatch)
    after = provenance.shared_sha256(source)
    assert after == hashlib.sha256(changed).hexdigest() != before
    assert len(hashed) == 2


def test_nothing_is_remembered_without_the_cache_or_for_a_file_just_changed(
        hashes, hashed, tmp_path, data_dir, monkeypatch) -> None:
    source = summary(tmp_path, data_dir)
    provenance.shared_sha256(source, remember=False)
    monkeypatch.setenv(input_cache.SIZE_VARIABLE, "0")
    in_a_new_process(monkeypatch)
    provenance.shared_sha256(source)
    monkeypatch.delenv(input_cache.SIZE_VARIABLE)
    monkeypatch.setattr(provenance, "SETTLED_SECONDS", 3600.0)  # changed within the hour: not settled
    in_a_new_process(monkeypatch)
    provenance.shared_sha256(source)
    assert not hashes.exists() or not list(hashes.glob("*.sha256"))
    assert len(hashed) == 3


def test_a_damaged_or_foreign_entry_is_ignored(hashes, hashed, tmp_path, data_dir, monkeypatch) -> None:
    source = summary(tmp_path, data_dir)
    expected = provenance.shared_sha256(source)
    [entry] = hashes.glob("*.sha256")
    for text in ("{not json", json.dumps({"state": ["elsewhere", 1, 2, 3, 4], "sha256": "0" * 64})):
        entry.write_text(text, encoding="utf-8")
        in_a_new_process(monkeypatch)
        assert provenance.shared_sha256(source) == expected
    assert len(hashed) == 3


def test_runs_record_the_hash_and_cache_clear_forgets_it(hashes, tmp_path, data_dir, run_cli,
                                                         monkeypatch) -> None:
    source = summary(tmp_path, data_dir)
    command = ["-i", source, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv",
               "--output-dir", tmp_path, "-o", "plain"]
    assert run_cli(*command, "--no-cache").exit_code == 0
    assert not hashes.exists() or not list(hashes.glob("*.sha256"))
    for _ in range(2):
        in_a_new_process(monkeypatch)
        assert run_cli(*command).exit_code == 0
        record = json.loads((tmp_path / "plain.provenance.json").read_text(encoding="utf-8"))
        assert record["inputs"][0]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert "Remembered file hashes: 1" in run_cli("cache", "info").stdout
    cleared = run_cli("cache", "clear")
    assert cleared.exit_code == 0 and "and 1 remembered file hashes" in cleared.stdout
    assert not list(hashes.glob("*.sha256"))
