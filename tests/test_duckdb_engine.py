"""What the duckdb engine does beyond giving the pandas engine's matrix (tests/test_engine_equivalence.py):
Ctrl-C and its progress line, in real processes, and its work folder (its cache entries:
tests/test_input_cache.py)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPOSITORY, wait_during_run

sys.path.insert(0, str(REPOSITORY / "benchmarks"))
from generate import write_summary

COMMAND = ["-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "median", "--format", "tsv",
           "--engine", "duckdb", "--engine-option", "threads=1", "--no-provenance"]


@pytest.fixture(scope="module")
def screen(tmp_path_factory) -> Path:
    """A synthetic summary of 400 isolates on 4 plates (307,200 wells, 107 MB)."""
    path = tmp_path_factory.mktemp("screen") / "screen.txt"
    write_summary(path, 400, 384)
    return path


def started(screen: Path, spill: Path, out: Path, **popen) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), "TMPDIR": str(spill)}
    return subprocess.Popen([sys.executable, "-m", "amiga_heatmap", "-i", str(screen), "--output-dir", str(out),
                             "-o", "screen", *COMMAND], cwd=REPOSITORY, env=environment, **popen)


def test_ctrl_c_stops_duckdb_and_leaves_nothing_behind(screen, tmp_path) -> None:
    spill, out = tmp_path / "spill", tmp_path / "out"
    spill.mkdir()
    out.mkdir()
    before = sorted(path.name for path in screen.parent.iterdir())
    process = started(screen, spill, out, stderr=subprocess.PIPE, text=True)
    wait_during_run(process, lambda: bool(list(spill.glob("amiga-heatmap-duckdb-*"))),
                    "the making of the engine's work folder")
    time.sleep(0.5)  # well into reading and aggregating (the run takes seconds more; a busy machine, longer)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Interrupted." in stderr
    assert list(spill.iterdir()) == []
    assert list(out.iterdir()) == []
    assert sorted(path.name for path in screen.parent.iterdir()) == before
    assert not list(Path(os.environ["AMIGA_HEATMAP_CACHE_DIR"]).rglob("*.part"))  # no half-written cache entry


class Terminal(io.StringIO):
    """Standard error as a terminal shows it."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False])
def test_a_terminal_sees_progress_and_a_pipe_does_not(screen, monkeypatch, terminal) -> None:
    from amiga_heatmap import heatmap
    from amiga_heatmap.builtin.duckdb_engine import progress

    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)  # every query of this one-second run shows it
    shown = Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", shown)
    result = heatmap(screen, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="median",
                     engine="duckdb", engine_options={"threads": 1}, no_cache=True)
    assert result.matrix.shape[1] == 400
    assert ("amiga-heatmap: aggregating" in shown.getvalue()) is terminal
    assert shown.getvalue().endswith("\r\033[K") or not terminal


def test_duckdb_is_held_to_one_gib_by_default_and_to_the_given_limit(tmp_path) -> None:
    from amiga_heatmap.builtin.duckdb_engine.settings import connect

    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    container = Path("/sys/fs/cgroup/memory.max")  # a container's own limit, when it sets one
    if container.is_file() and container.read_text(encoding="ascii").strip().isdigit():
        machine = min(machine, int(container.read_text(encoding="ascii")))
    expected = min(1 << 30, machine // 2)
    for settings, limit in (({}, expected), ({"memory_limit": 300 << 20}, 300 << 20)):
        database, cursor = connect(settings, str(tmp_path))
        try:
            held = cursor.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        finally:
            database.close()
        number, unit = held.split()
        assert abs(float(number) * {"MiB": 1 << 20, "GiB": 1 << 30}[unit] - limit) <= 1 << 20, held


def test_a_terminal_sees_the_progress_of_writing_a_cache_entry(screen, monkeypatch, tmp_path_factory) -> None:
    from amiga_heatmap import heatmap
    from amiga_heatmap.builtin.duckdb_engine import progress

    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("AMIGA_HEATMAP_CACHE_DIR", str(cache))
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    shown = Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    result = heatmap(screen, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="median",
                     engine="duckdb", engine_options={"threads": 1})
    assert result.matrix.shape[1] == 400
    assert "amiga-heatmap: reading [" in shown.getvalue()
    assert len(list((cache / "parsed-inputs").glob("*.cache"))) == 1
