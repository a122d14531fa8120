"""Speed regression test: the 76,000-row benchmark run against the floor, measured in the same test run.

Absolute times mean nothing on a shared machine, so the test compares ratios: amiga-heatmap's default
PDF run (``-p mean -f "row any >= 1.2"``) on the medium synthetic table must take at most twice the
floor script's time (benchmarks/floor.py), both run as fresh processes, alternately, three times each,
medians compared. Deselect with ``-m "not performance"``.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import REPOSITORY

pytestmark = pytest.mark.performance

RATIO_LIMIT = 2.0
REPEATS = 3
# A run of ours still going at this multiple of the same round's floor time is stopped: it has failed.
GIVE_UP_RATIO = 3.0


def benchmark_module(name: str) -> ModuleType:
    """Import ``benchmarks/{name}.py`` (the folder is not a package)."""
    path = REPOSITORY / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bench() -> ModuleType:
    return benchmark_module("run")


@pytest.fixture(scope="session")
def medium_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The medium synthetic summary table (200 isolates x 190 wells x 2 replicates, 76,000 rows)."""
    generate = benchmark_module("generate")
    path = tmp_path_factory.mktemp("benchmark") / "synthetic_medium.txt"
    generate.write_summary(path, *generate.SIZES["medium"])
    return path


def test_medium_run_takes_at_most_twice_the_floor(
    bench: ModuleType, medium_table: Path, tmp_path: Path
) -> None:
    floor_walls: list[float] = []
    our_walls: list[float] = []
    for _ in range(REPEATS):
        floor = bench.measure(bench.floor_command(medium_table, tmp_path / "floor.pdf"), timeout=120)
        assert floor.ok, floor.stderr
        floor_walls.append(floor.wall)
        ours = bench.measure(
            bench.our_command(medium_table, tmp_path, "ours", []),
            timeout=GIVE_UP_RATIO * floor.wall,
            env=bench.our_environment(),
        )
        assert ours.ok or ours.timed_out, ours.stderr
        our_walls.append(ours.wall)
        if ours.ok:
            assert "(49 Substrate x 200 Isolate)" in ours.stdout
    floor_median, our_median = statistics.median(floor_walls), statistics.median(our_walls)
    ratio = our_median / floor_median
    assert ratio <= RATIO_LIMIT, (
        f"amiga-heatmap took {our_median:.2f} s (median of {_rounded(our_walls)}, runs stopped at "
        f"{GIVE_UP_RATIO}x the floor) on 76,000 rows, {ratio:.2f}x the floor's {floor_median:.2f} s "
        f"(median of {_rounded(floor_walls)}); the limit is {RATIO_LIMIT}x. Run benchmarks/run.py medium "
        "to see which stage got slower."
    )


def _rounded(walls: list[float]) -> list[float]:
    return [round(wall, 2) for wall in walls]
