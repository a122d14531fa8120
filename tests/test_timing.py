"""Stage timings: ``--verbose`` prints one ``times:`` line, nested stages are not counted twice, and
nothing is recorded unless asked."""

from __future__ import annotations

import re

import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.timing import Stopwatch, recording, stage

PIPELINE_STAGES = ["import", "read", "subset", "aggregate", "pivot", "transform", "filter"]
OPTIONAL_STAGES = ["cluster"]  # timed when the pipeline clusters an axis


def test_verbose_run_prints_every_stage_time_once(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-o", "t", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                     "-f", "row any > 0.5", "--format", "tsv", "--verbose")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("amiga-heatmap: times: ")]
    assert len(lines) == 1
    stages = re.findall(r"([\w-]+) ([0-9]+\.[0-9]{2}) s", lines[0])
    names = [name for name, _ in stages]
    assert names[: len(PIPELINE_STAGES)] == PIPELINE_STAGES and names[-1] == "render"
    assert set(names) <= {*PIPELINE_STAGES, *OPTIONAL_STAGES, "render"} and len(set(names)) == len(names)
    assert all(float(seconds) >= 0 for _, seconds in stages)


def test_quiet_run_prints_no_times(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-o", "t", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                     "--format", "tsv")
    assert result.exit_code == 0
    assert "times:" not in result.stderr


def test_api_stages_are_recorded_in_order(summary) -> None:
    with recording() as times:
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", filter="row any > 0.5")
    assert list(times.seconds)[: len(PIPELINE_STAGES)] == PIPELINE_STAGES
    assert set(times.seconds) <= {*PIPELINE_STAGES, *OPTIONAL_STAGES}
    assert times.recorded == sum(times.seconds.values())


class FakeClock:
    """A clock that moves only when told, so that stage accounting is checked exactly, whatever the
    machine's load."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr("amiga_heatmap.timing.perf_counter", fake)
    return fake


def test_nested_stage_counts_only_in_itself(clock) -> None:
    with recording() as times:
        watch = Stopwatch()
        with stage("outer"):
            clock.wait(0.02)
            with stage("inner"):
                clock.wait(0.1)
        clock.wait(0.03)
        watch.lap("lap")
        with stage("inner"):
            clock.wait(0.01)
    assert list(times.seconds) == ["inner", "outer", "lap"]
    assert times.seconds == pytest.approx({"inner": 0.11, "outer": 0.02, "lap": 0.03})
    # the lap covers the outer stage (already counted) and 0.03 s of its own
    assert times.recorded == pytest.approx(0.16)


def test_stage_is_timed_when_it_raises(clock) -> None:
    with recording() as times:
        try:
            with stage("failing"):
                clock.wait(0.01)
                raise ValueError("boom")
        except ValueError:
            pass
    assert times.seconds == pytest.approx({"failing": 0.01})


def test_nothing_is_recorded_outside_a_recording(summary) -> None:
    with stage("alone"):
        pass
    Stopwatch().lap("alone")
    with recording() as times:
        pass
    assert times.seconds == {}
