"""Shared fixtures: the real example data, copied per test, and a command-line runner.

Entry-point plugins installed on the machine are switched off for the whole suite, so they can never
change a test's result; tests that need a plugin register it explicitly.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["AMIGA_HEATMAP_PLUGINS"] = ""

REPOSITORY = Path(__file__).resolve().parent.parent
EXAMPLES = REPOSITORY / "examples" / "randomii"
REFERENCE = Path(__file__).resolve().parent / "data" / "amiga-reference"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of examples/randomii (merged files and per-plate folder)."""
    target = tmp_path / "randomii"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("*.pdf", "*.png", "*.svg", "README.md"))
    return target


@pytest.fixture
def normalized(data_dir: Path) -> Path:
    """The merged, normalised summary file (1,536 wells with norm(...) columns)."""
    return data_dir / "ER_all_summary_normalized.txt"


@pytest.fixture
def summary(data_dir: Path) -> Path:
    """The merged summary file without normalisation."""
    return data_dir / "ER_all_summary.txt"


@pytest.fixture
def run_cli():
    """Run ``amiga-heatmap ARGS`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    from click.testing import CliRunner

    from amiga_heatmap.cli import main

    def run(*args: str):
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return run
