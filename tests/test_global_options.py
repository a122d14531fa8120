"""Options before the subcommand's name, ``--version`` and ``docs``: what a new user types first."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

import pandas as pd

from .conftest import REPOSITORY
from .test_startup import heavy, modules_loaded_by, running_cli

LAB_PLUGINS = REPOSITORY / "examples" / "lab_plugins"


def test_plugin_options_work_before_the_subcommand_name(run_cli) -> None:
    before = run_cli("--plugins-dir", LAB_PLUGINS, "plugins", "--json")
    after = run_cli("plugins", "--json", "--plugins-dir", LAB_PLUGINS)
    assert before.exit_code == after.exit_code == 0, before.stderr
    names = [plugin["name"] for plugin in json.loads(before.stdout)["plugins"]]
    assert "spread_filter" in names
    assert json.loads(before.stdout) == json.loads(after.stdout)
    disabled = run_cli("--disable-plugin", "builtin.aggregators", "--strict-plugins", "plugins", "--json")
    assert disabled.exit_code == 0, disabled.stderr
    assert "builtin.aggregators" not in [plugin["name"] for plugin in json.loads(disabled.stdout)["plugins"]]


def test_plugin_options_before_a_heatmap_run_still_reach_it(run_cli, summary) -> None:
    result = run_cli("--plugins-dir", LAB_PLUGINS, "-i", summary, "-o", "spread", "-x", "Isolate",
                     "-y", "Substrate", "-v", "gr", "-p", "mean", "-f", "row spread > 0.2", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(summary.parent / "spread.tsv", sep="\t", index_col=0)
    rows = pd.read_csv(summary, sep="\t")
    means = rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack()
    spread = means.max(axis=1) - means.min(axis=1)
    assert sorted(written.index) == sorted(spread[spread > 0.2].index)


def test_version_names_the_package_the_libraries_and_each_plugin(run_cli) -> None:
    result = run_cli("--plugins-dir", LAB_PLUGINS, "--version")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"amiga-heatmap {metadata.version('amiga-heatmap')} (Python 3.")
    for library in ("pandas", "matplotlib", "seaborn", "scipy"):
        assert f"{library} {metadata.version(library)}" in lines[1]
    assert re.search(r"spread_filter 1\.0 \(plugins folder: .*spread_filter\.py\)", lines[2])


def test_version_imports_nothing_heavy() -> None:
    assert not heavy(modules_loaded_by(running_cli("--version")))


def test_docs_lists_guides_that_exist(run_cli) -> None:
    result = run_cli("docs")
    assert result.exit_code == 0, result.stderr
    paths = re.findall(r"^  (\S+\.md)", result.stdout, flags=re.MULTILINE)
    assert {path.rsplit("/", 1)[-1] for path in paths} >= {"usage.md", "api.md", "errors.md", "plugins.md"}
    for path in paths:
        assert Path(path).read_text(encoding="utf-8").startswith("# ")
    help_text = " ".join(run_cli("--help").stdout.split())
    assert "docs' says where the guides are" in help_text and "--version" in help_text
