"""``-o`` with an extension: a known format's extension chooses the format; a contradiction is refused."""

from __future__ import annotations

import pandas as pd
import pytest


def query(summary, *args):
    return ("-i", summary, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "-s", "PM:1", *args)


@pytest.mark.parametrize(("name", "written", "magic"), [
    ("fig.png", "fig.png", b"\x89PNG"),
    ("fig.PDF", "fig.pdf", b"%PDF"),
    ("fig.svg", "fig.svg", b"<?xml"),
])
def test_a_known_extension_sets_the_format(run_cli, summary, name, written, magic) -> None:
    result = run_cli(*query(summary, "-o", name))
    assert result.exit_code == 0, result.stderr
    assert (summary.parent / written).read_bytes().startswith(magic)
    figures = sorted(path.name for path in summary.parent.glob("fig*") if "provenance" not in path.name)
    assert figures == [written]  # no fig.png.pdf


def test_the_extension_may_repeat_the_format(run_cli, summary) -> None:
    result = run_cli(*query(summary, "-o", "numbers.tsv", "--format", "tsv"))
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(summary.parent / "numbers.tsv", sep="\t", index_col=0)
    rows = pd.read_csv(summary, sep="\t")
    expected = rows[rows.PM == 1].groupby(["Substrate", "Isolate"])["gr"].mean().unstack()
    assert written.shape == expected.shape == (96, 4)


def test_an_unknown_extension_stays_part_of_the_name(run_cli, summary) -> None:
    result = run_cli(*query(summary, "-o", "ER_0.5", "--format", "tsv"))
    assert result.exit_code == 0, result.stderr
    assert (summary.parent / "ER_0.5.tsv").exists()


def test_extension_and_format_that_contradict_are_refused_naming_both(run_cli, summary) -> None:
    result = run_cli(*query(summary, "-o", "fig.svg", "--format", "png"))
    assert result.exit_code == 2
    assert ".svg" in result.stderr and "png" in result.stderr
    assert not [path for path in summary.parent.iterdir() if path.name.startswith("fig")]
