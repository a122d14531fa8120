"""The benchmark script works: ``benchmarks/run.py`` on the small generated table writes its report.

The speed check itself is ``benchmarks/run.py medium --max-ratio 2``, run by hand on a quiet machine.
These tests assert no measured time: the report's shape, and the ``--max-ratio`` verdict on given
numbers, so a busy machine cannot fail them.
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
        assert isinstance(result["wall"], float) and isinstance(result["peak_mb"], float)
        assert len(result["walls"]) == 1
        assert {"read", "aggregate", "render"} <= set(result["stages"])
    assert {"import", "subset", "filter"} <= set(measured["results"]["small"]["ours"]["stages"])

    text = tables.read_text()
    assert text == capsys.readouterr().out
    assert f"| small | {len(generated):,} |" in text
    assert "| small | floor |" in text and "| small | ours |" in text


def test_max_ratio_names_each_size_where_ours_is_slower_than_allowed_or_failed() -> None:
    bench = benchmark_module("run")

    def side(wall):
        return bench.Side(wall, 100.0, {}, [] if wall is None else [wall])

    results = {
        "small": {"floor": side(1.0), "ours": side(1.4)},   # 1.4x: within 1.5x
        "medium": {"floor": side(2.0), "ours": side(3.2)},  # 1.6x: over
        "large": {"floor": side(4.0), "ours": side(None)},  # ours failed
    }
    lines = bench.too_slow(results, 1.5)
    assert lines[0] == ("medium: ours took 3.20 s, 1.60x the floor's 2.00 s; the limit is 1.5x. "
                        "The stage table above shows where.")
    assert lines[1] == "large: a side failed, so the ratio cannot be checked"
    assert len(lines) == 2
    assert bench.too_slow({"small": results["small"]}, 1.5) == []
