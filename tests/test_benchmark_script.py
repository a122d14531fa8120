"""The benchmark script works: ``benchmarks/run.py`` on the small generated table writes its report.

The speed check itself is ``benchmarks/run.py medium --max-ratio 2``, run by hand on a quiet machine;
these tests compare no times, so a busy machine cannot fail them.
"""

from __future__ import annotations

import json

import pandas as pd

from .benchmark_scripts import benchmark_module


def test_run_py_measures_both_sides_and_writes_its_report(tmp_path, capsys) -> None:
    bench = benchmark_module("run")
    data = tmp_path / "data"
    report, tables = tmp_path / "report.json", tmp_path / "report.md"
    status = bench.main(["small", "--repeat", "1", "--data", str(data), "--json", str(report),
                         "--markdown", str(tables)])
    assert status == 0
    generated = pd.read_csv(data / "synthetic_small.txt", sep="\t")
    assert len(generated) == 16 * 96 * 2

    measured = json.loads(report.read_text())
    assert measured["rows"] == {"small": len(generated)}
    for side in ("floor", "ours"):
        result = measured["results"]["small"][side]
        assert result["failures"] == [], result
        assert result["wall"] > 0 and result["peak_mb"] > 0 and len(result["walls"]) == 1
        assert {"read", "aggregate", "render"} <= set(result["stages"])
    assert {"import", "subset", "filter"} <= set(measured["results"]["small"]["ours"]["stages"])

    text = tables.read_text()
    assert text == capsys.readouterr().out
    assert f"| small | {len(generated):,} |" in text
    assert "| small | floor |" in text and "| small | ours |" in text


def test_max_ratio_fails_the_run_when_ours_is_slower_than_allowed(tmp_path, capsys) -> None:
    bench = benchmark_module("run")
    data = tmp_path / "data"
    # every run takes some time, so no ratio is at or below 0: the check must fail, whatever the machine
    assert bench.main(["small", "--repeat", "1", "--data", str(data), "--max-ratio", "0"]) == 1
    assert "small: ours took" in capsys.readouterr().err
