"""Entry-point discovery for real: a distribution's metadata on ``sys.path`` (as pip leaves it) is found by
importlib.metadata in a fresh interpreter, with AMIGA_HEATMAP_PLUGINS choosing among the plugins.

The end-to-end test (test_end_to_end.py) does the same with the two shipped distributions installed by pip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import REPOSITORY


@pytest.fixture
def site(tmp_path):
    """A folder holding an installed-looking distribution 'lab-tools' 1.2.3 with two entry points:
    ``lab`` (works) and ``broken`` (fails to import)."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "labplugin.py").write_text(textwrap.dedent(
        """
        from amiga_heatmap import hookimpl
        from amiga_heatmap.components import Aggregator

        def largest(groups):
            return groups.max()

        @hookimpl
        def register_aggregators(register):
            register(Aggregator("largest", largest, "largest replicate"))
        """
    ))
    (folder / "brokenplugin.py").write_text("raise ImportError('needs a library that is not installed')\n")
    info = folder / "lab_tools-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lab-tools\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text("[amiga_heatmap]\nlab = labplugin\nbroken = brokenplugin\n")
    return folder


def run(site, *args: str, plugins: str | None = None) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "AMIGA_HEATMAP_PLUGINS"}
    environment["PYTHONPATH"] = os.pathsep.join([str(site), str(REPOSITORY)])
    if plugins is not None:
        environment["AMIGA_HEATMAP_PLUGINS"] = plugins
    return subprocess.run([sys.executable, "-m", "amiga_heatmap", *args], capture_output=True, text=True,
                          env=environment, cwd=REPOSITORY, check=False)


def listing(done: subprocess.CompletedProcess) -> tuple[dict, list[str]]:
    assert done.returncode == 0, done.stderr
    description = json.loads(done.stdout)
    return {plugin["name"]: plugin for plugin in description["plugins"]}, description["problems"]


def test_unset_variable_loads_every_entry_point_and_isolates_the_broken_one(site) -> None:
    plugins, problems = listing(run(site, "plugins", "--json"))
    lab = plugins["lab"]
    assert (lab["source"], lab["version"], lab["origin"]) == ("entry point", "1.2.3", "lab-tools")
    assert lab["provides"]["aggregators"][0]["name"] == "largest"
    assert "broken" not in plugins
    assert any("Plugin 'broken' from the distribution 'lab-tools'" in problem
               and "needs a library that is not installed" in problem for problem in problems)


def test_a_broken_entry_point_warns_and_the_run_goes_on(site, summary) -> None:
    done = run(site, "-i", str(summary), "-o", "largest", "-x", "Isolate", "-y", "Substrate", "-v", "gr",
               "-p", "largest", "--format", "tsv")
    assert done.returncode == 0, done.stderr
    assert "Warning: Plugin 'broken' from the distribution 'lab-tools'" in done.stderr
    strict = run(site, "-i", str(summary), "-o", "strict", "-x", "Isolate", "-y", "Substrate", "-v", "gr",
                 "-p", "largest", "--format", "tsv", "--strict-plugins")
    assert strict.returncode == 3 and "fatal with --strict-plugins" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_variable_chooses_the_entry_points(site) -> None:
    plugins, problems = listing(run(site, "plugins", "--json", plugins="lab"))
    assert "lab" in plugins and "broken" not in plugins and problems == []
    plugins, problems = listing(run(site, "plugins", "--json", plugins=""))
    assert {plugin["source"] for plugin in plugins.values()} == {"built-in"} and problems == []
    plugins, problems = listing(run(site, "plugins", "--json", plugins=" lab , labb "))
    assert "lab" in plugins
    (problem,) = problems
    assert problem.startswith("AMIGA_HEATMAP_PLUGINS names the plugin 'labb', which no installed distribution "
                              "provides. Did you mean 'lab'")
    installed = problem.split("Installed plugins: ")[1]  # with the shipped distributions, if installed
    assert "'broken', " in installed and "'lab'" in installed


def test_disable_plugin_leaves_an_entry_point_unloaded(site) -> None:
    plugins, problems = listing(run(site, "plugins", "--json", "--disable-plugin", "broken"))
    assert "lab" in plugins and problems == []
    done = run(site, "plugins", "--disable-plugin", "broken", "--disable-plugin", "lab")
    assert done.returncode == 0
    assert "Disabled: broken, lab" in done.stdout and "lab 1.2.3" not in done.stdout

