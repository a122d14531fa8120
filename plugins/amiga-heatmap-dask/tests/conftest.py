"""A real Dask cluster for the whole session: one scheduler and two worker processes on 127.0.0.1,
started with the ``dask`` command line as a user would, and shut down at the end.

Readiness is awaited, not timed: the scheduler is ready when it has written its scheduler file, the
workers when the scheduler counts two of them; each wait gives up only after a generous limit (a busy
machine may be slow, never wrong). Without amiga-heatmap-dask installed the plugin's tests are skipped,
except under CI, where that is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

READY_WITHIN = 180
"""Seconds a busy machine may take to start the scheduler or the workers before the session fails."""

try:
    import amiga_heatmap_dask  # noqa: F401
except ImportError:  # pragma: no cover - the README's test command installs it
    if os.environ.get("CI"):
        raise
    collect_ignore_glob = ["test_*.py"]


def _dask(*args: str, log: Path) -> subprocess.Popen:
    with open(log, "wb") as output:
        return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=output, stderr=subprocess.STDOUT)


def _wait_for(condition, what: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while not condition():
        ended = [process for process in processes if process.poll() is not None]
        if ended or time.monotonic() > deadline:
            text = "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)
            raise RuntimeError(f"the test cluster's {what} did not start:\n{text}")
        time.sleep(0.2)


def _address(scheduler_file: Path) -> str | None:
    """The address in the scheduler file, once the scheduler has written it whole."""
    try:
        return json.loads(scheduler_file.read_text())["address"]
    except (OSError, ValueError, KeyError):
        return None


@pytest.fixture(scope="session")
def scheduler_address(tmp_path_factory) -> str:
    """The address of a running scheduler with two worker processes (one thread each)."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask-cluster")
    scheduler_file = folder / "scheduler.json"
    logs = [folder / "scheduler.log", folder / "worker-1.log", folder / "worker-2.log"]
    processes = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file), log=logs[0])]
    try:
        _wait_for(lambda: _address(scheduler_file) is not None, "scheduler", processes, logs)
        address = _address(scheduler_file)
        for log in logs[1:]:
            processes.append(_dask("worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                                   "--no-dashboard", "--memory-limit", "1GB", log=log))
        with Client(address, timeout=READY_WITHIN) as client:
            client.wait_for_workers(2, timeout=READY_WITHIN)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in reversed(processes):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def run_cli():
    """Run ``amiga-heatmap ARGS`` in-process (the plugins a test registered are active)."""
    from click.testing import CliRunner

    from amiga_heatmap.cli import main

    return lambda *args: CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
