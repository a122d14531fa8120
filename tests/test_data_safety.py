"""Nothing is ever lost: outputs appear whole or not at all, inputs are never written, user text is
never executed."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.components import Renderer

from .conftest import EXAMPLES, REPOSITORY, wait_during_run, writing_in_renderer
from .input_guard import inputs_unchanged

OLD_FIGURE = b"%PDF-1.4 an older figure the user wants to keep\n"
BASE = ("-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean")


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write could leave behind (``.NAME.XXXX.pdf.part``)."""
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


class HalfWriter:
    """A renderer plugin that writes part of a file, then fails in the way ``failure`` says."""

    def __init__(self, failure: BaseException):
        self.failure = failure

    def render(self, result, path, file_format, options):
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4 half a figure")
        raise self.failure

    @hookimpl
    def register_renderers(self, register):
        register(Renderer("seaborn", ("pdf", "png", "svg"), self.render), override=True)


@pytest.mark.parametrize("failure", [RuntimeError("disk quota exceeded"), MemoryError()])
def test_a_failing_render_leaves_no_partial_file_and_keeps_the_older_one(
    amiga_heatmap_plugin, run_cli, summary, failure
) -> None:
    amiga_heatmap_plugin(HalfWriter(failure), name="half")
    older = summary.parent / "figure.pdf"
    older.write_bytes(OLD_FIGURE)
    result = run_cli("-i", summary, *BASE, "-o", "figure")
    assert result.exit_code == 3, result.stderr
    assert "Plugin 'half' failed while rendering" in result.stderr
    assert older.read_bytes() == OLD_FIGURE
    assert leftovers(summary.parent) == []


def test_ctrl_c_while_writing_leaves_no_partial_file_and_keeps_the_older_one(amiga_heatmap_plugin, summary) -> None:
    plugins = amiga_heatmap_plugin(HalfWriter(KeyboardInterrupt()), name="half")
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", plugins=plugins)
    target = summary.parent / "figure.pdf"
    target.write_bytes(OLD_FIGURE)
    with pytest.raises(KeyboardInterrupt):
        result.save(target)
    assert target.read_bytes() == OLD_FIGURE
    assert leftovers(summary.parent) == []


SLOW_RENDERER = """
import time
from amiga_heatmap import hookimpl
from amiga_heatmap.components import Renderer

def render(result, path, file_format, options):
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.4 half a figure")
        handle.flush()
        time.sleep(60)

@hookimpl
def register_renderers(register):
    register(Renderer("seaborn", ("pdf",), render), override=True)
"""


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_never_leaves_a_partial_figure_under_the_output_name(summary, tmp_path, signal_number) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow.py").write_text(SLOW_RENDERER)
    target = summary.parent / "figure.pdf"
    target.write_bytes(OLD_FIGURE)
    command = [sys.executable, "-m", "amiga_heatmap", "--plugins-dir", str(plugins), "-i", str(summary), *BASE,
               "-o", "figure"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=REPOSITORY,
                               env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    half = b"%PDF-1.4 half a figure"
    wait_during_run(process, lambda: writing_in_renderer(summary.parent, half),
                    "the render's writing of its temporary file")
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert target.read_bytes() == OLD_FIGURE
    if signal_number == signal.SIGKILL:  # what a crash leaves: a hidden temporary file, never a bad figure
        assert process.returncode == -signal.SIGKILL
        assert all(name.startswith(".figure.") for name in leftovers(summary.parent))
    else:  # Ctrl-C and SIGTERM run the clean-up
        assert process.returncode == 128 + signal_number
        assert "Interrupted. A file being written was removed" in stderr
        assert leftovers(summary.parent) == []


# ---------------------------------------------------------------------------- inputs are read-only


def write_plate(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t")
    path = folder / name
    rows[rows.PM == 1].to_csv(path, sep="\t", index=False)
    return path


def test_an_output_named_like_an_input_in_the_input_folder_is_refused(run_cli, tmp_path) -> None:
    plate = write_plate(tmp_path / "summaries", "plate1.tsv")
    write_plate(tmp_path / "summaries", "plate2.txt")
    before = plate.read_bytes()
    result = run_cli("-i", plate.parent, *BASE, "-o", "plate1", "--format", "tsv")
    assert result.exit_code == 2
    assert "is one of the input files" in result.stderr
    assert plate.read_bytes() == before


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symbolic link", "hard link"])
def test_an_output_that_is_an_input_under_another_name_is_refused(run_cli, tmp_path, link) -> None:
    plate = write_plate(tmp_path / "summaries", "plate1.tsv")
    before = plate.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    link(plate, out / "matrix.tsv")
    result = run_cli("-i", plate, *BASE, "-o", "matrix", "--format", "tsv", "--output-dir", out)
    assert result.exit_code == 2, result.stderr
    assert "is one of the input files" in result.stderr
    assert plate.read_bytes() == before


def test_the_input_guard_notices_a_modified_input(tmp_path) -> None:
    plate = write_plate(tmp_path, "plate.txt")
    with pytest.raises(AssertionError, match="plate.txt"), inputs_unchanged([tmp_path]):
        plate.write_text(plate.read_text().replace("ER1", "ER9"))
    with pytest.raises(AssertionError, match="plate.txt"), inputs_unchanged([tmp_path]):
        plate.unlink()


# ------------------------------------------------------------------------ no execution of user text

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_ATTRIBUTES = {
    ("pickle", "load"), ("pickle", "loads"), ("marshal", "load"), ("marshal", "loads"), ("yaml", "load"),
    ("yaml", "unsafe_load"), ("shelve", "open"), ("os", "system"), ("os", "popen"),
}
STRING_EVALUATING_METHODS = {"eval", "query"}  # pandas DataFrame.eval / DataFrame.query / pd.eval


def violations(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in FORBIDDEN_CALLS:
                found.append(f"{function.id}() at line {node.lineno}")
            if isinstance(function, ast.Attribute):
                owner = function.value.id if isinstance(function.value, ast.Name) else None
                if (owner, function.attr) in FORBIDDEN_ATTRIBUTES or function.attr in STRING_EVALUATING_METHODS:
                    found.append(f"{owner or '...'}.{function.attr}() at line {node.lineno}")
                if function.attr in {"run", "Popen", "call", "check_output", "check_call"} and any(
                    keyword.arg == "shell" for keyword in node.keywords
                ):
                    found.append(f"subprocess with shell= at line {node.lineno}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            found.extend(f"import of {name} at line {node.lineno}" for name in names if name in {"pickle", "marshal", "shelve", "yaml"})
    return found


def test_no_user_text_is_ever_evaluated() -> None:
    sources = sorted((REPOSITORY / "amiga_heatmap").rglob("*.py"))
    assert len(sources) > 20
    found = [f"{path.relative_to(REPOSITORY)}: {problem}" for path in sources
             for problem in violations(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_scan_would_see_an_evaluation() -> None:
    planted = "import pickle\nvalue = eval(text)\nframe.query(text)\nsubprocess.run(text, shell=True)\n"
    assert len(violations(ast.parse(planted))) == 4
