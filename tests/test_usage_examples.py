"""Every `amiga-heatmap ...` example in docs/usage.md (heatmap runs, `amiga-heatmap plugins` and the
plugin options) runs and succeeds on the example data."""

from __future__ import annotations

import json
import re
import shlex
import shutil

import pytest

from .conftest import REPOSITORY


def usage_examples() -> list[list[str]]:
    text = (REPOSITORY / "docs" / "usage.md").read_text()
    commands = []
    for block in re.findall(r"```\n(.*?)```", text, flags=re.DOTALL):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            words = shlex.split(line, comments=True)
            if words[:2] and words[0] == "amiga-heatmap" and "html" not in words:
                commands.append(words[1:])  # (html needs the plotly plugin, switched off in the tests)
    return commands


def is_heatmap_run(command: list[str]) -> bool:
    return "-i" in command


EXAMPLES = usage_examples()


def test_the_guide_has_examples_of_the_figure_flags() -> None:
    flags = {word for command in EXAMPLES if is_heatmap_run(command) for word in command if word.startswith("--")}
    for flag in (
        "--sort-x-by",
        "--sort-y-by",
        "--cluster-x",
        "--cluster-y",
        "--cluster-method",
        "--cluster-metric",
        "--show-dendrogram",
        "--color-x-by",
        "--color-y-by",
        "--color-scheme-x",
        "--color-file-x",
        "--missing-color",
        "--color-x-ratio",
        "--legend",
        "--keep-rows-missing-data",
        "--keep-columns-missing-data",
        "--width-height",
        "--colorbar-ratio",
        "--x-tick-labels-scale",
        "--y-tick-labels-scale",
        "--color-bar-labels-scale",
        "--x-rotation",
        "--highlight-labels",
        "--rows-per-page",
        "--save-filtered-table",
    ):
        assert flag in flags, flag


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A copy of examples/ and docs/ (the paths the examples name), shared by the examples."""
    root = tmp_path_factory.mktemp("usage")
    shutil.copytree(
        REPOSITORY / "examples", root / "examples", ignore=shutil.ignore_patterns("*.pdf", "*.png", "*.svg")
    )
    shutil.copytree(REPOSITORY / "docs", root / "docs", ignore=shutil.ignore_patterns("images"))
    return root


@pytest.mark.parametrize("command", EXAMPLES, ids=[" ".join(command[:8]) for command in EXAMPLES])
def test_usage_example_runs(command, run_cli, workspace, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(workspace)
    if is_heatmap_run(command):
        done = run_cli(*command, "--output-dir", tmp_path)
        assert done.exit_code == 0, done.stderr
        assert done.stdout.startswith(f"Wrote {tmp_path}")
    else:
        done = run_cli(*command)
        assert done.exit_code == 0, done.stderr
        if "--version" in command:
            assert done.stdout.startswith("amiga-heatmap ")
        elif "docs" in command:
            assert "usage.md" in done.stdout
        elif command[0] == "convert":
            assert done.stdout.startswith("Wrote ")
        elif command[0] == "cache":
            assert done.stdout.startswith(("Cache folder:", "Removed "))
        else:
            assert "builtin.aggregators" in done.stdout
        if "--json" in command:
            json.loads(done.stdout)


def test_the_plugin_examples_are_among_those_run() -> None:
    assert ["plugins"] in EXAMPLES
    assert ["plugins", "--json", "--plugins-dir", "examples/lab_plugins"] in EXAMPLES
    assert any(command[:2] == ["--plugins-dir", "examples/lab_plugins"] and is_heatmap_run(command) for command in EXAMPLES)
    assert any(command[0] == "--strict-plugins" and is_heatmap_run(command) for command in EXAMPLES)
