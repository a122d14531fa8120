"""Stage timings: ``--verbose`` prints one ``times:`` line, nested stages are not counted twice, and
nothing is recorded unless asked."""

from __future__ import annotations

import re
import time

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


def test_nested_stage_counts_only_in_itself() -> None:
    with recording() as times:
        clock = Stopwatch()
        with stage("outer"):
            time.sleep(0.02)
            with stage("inner"):
                time.sleep(0.1)
        time.sleep(0.02)
        clock.lap("lap")
        with stage("inner"):
            time.sleep(0.01)
    assert list(times.seconds) == ["inner", "outer", "lap"]
    assert times.seconds["inner"] >= 0.11
    assert 0.02 <= times.seconds["outer"] < 0.09
    # the lap covers the outer stage (already counted) and 0.02 s of its own
    assert 0.02 <= times.seconds["lap"] < 0.09


def test_stage_is_timed_when_it_raises() -> None:
    with recording() as times:
        try:
            with stage("failing"):
                time.sleep(0.01)
                raise ValueError("boom")
        except ValueError:
            pass
    assert times.seconds["failing"] >= 0.01


def test_nothing_is_recorded_outside_a_recording(summary) -> None:
    with stage("alone"):
        pass
    Stopwatch().lap("alone")
    with recording() as times:
        pass
    assert times.seconds == {}
