"""End to end with the two shipped plugin distributions installed by pip, discovered through their entry
points in fresh interpreters with AMIGA_HEATMAP_PLUGINS unset (as for a user), on the real example data.

README's test command installs them (``pip install ".[test]" ./plugins/amiga-heatmap-plotly
./plugins/amiga-heatmap-labtools``); CI runs that command. Where they are not installed the tests are
skipped, except under CI, where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata

import numpy as np
import pandas as pd
import pytest
from scipy.stats import trim_mean

from .conftest import REPOSITORY, natural

DISTRIBUTIONS = {"labtools": "amiga-heatmap-labtools", "plotly": "amiga-heatmap-plotly"}
LAB_PLUGINS = REPOSITORY / "examples" / "lab_plugins"


def missing_distributions() -> list[str]:
    found = {point.name: point.dist.name for point in metadata.entry_points(group="amiga_heatmap") if point.dist}
    return [dist for name, dist in DISTRIBUTIONS.items() if found.get(name) != dist]


@pytest.fixture(scope="module", autouse=True)
def installed_plugins() -> None:
    missing = missing_distributions()
    if missing:
        message = (f"{', '.join(missing)} not installed; run: pip install ./plugins/amiga-heatmap-plotly "
                   "./plugins/amiga-heatmap-labtools")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def environment(**variables: str) -> dict[str, str]:
    """The user's environment without the test suite's plugin switches, with this checkout importable."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("AMIGA_HEATMAP_PLUGINS")}
    clean["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")]))
    return {**clean, **variables}


def amiga_heatmap(*args, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "amiga_heatmap", *map(str, args)], capture_output=True,
                          text=True, env=environment(**variables), cwd=REPOSITORY, check=False)


def listing(*args, **variables: str) -> dict[str, dict]:
    done = amiga_heatmap("plugins", "--json", *args, **variables)
    assert done.returncode == 0, done.stderr
    description = json.loads(done.stdout)
    assert description["problems"] == [] and description["conflicts"] == []
    return {plugin["name"]: plugin for plugin in description["plugins"]}


def names(records: list[dict]) -> list[str]:
    return [record.get("name", record.get("symbol")) for record in records]


def test_plugins_command_lists_both_distributions() -> None:
    plugins = listing()
    labtools, plotly = plugins["labtools"], plugins["plotly"]
    assert (labtools["source"], labtools["origin"], labtools["version"]) == (
        "entry point", "amiga-heatmap-labtools", metadata.version("amiga-heatmap-labtools"))
    assert (plotly["source"], plotly["origin"]) == ("entry point", "amiga-heatmap-plotly")
    provides = labtools["provides"]
    assert names(provides["aggregators"]) == ["count", "cv", "geomean", "max", "min", "sd", "trimmed"]
    assert names(provides["quantifiers"]) == ["atleast", "mean", "median", "most", "none"]
    assert provides["quantifiers"][0]["parameters"] == ["k"]
    assert names(provides["operators"]) == ["~="]
    assert not provides.get("readers")  # its Parquet reader is built in since labtools 0.3
    assert plotly["provides"]["renderers"][0]["formats"] == ["html"]
    text = amiga_heatmap("plugins").stdout
    assert "labtools " in text and "(entry point: amiga-heatmap-labtools)" in text


def test_listing_installed_plugins_imports_nothing_heavy() -> None:
    code = ("import sys\nfrom amiga_heatmap.cli import main\ntry:\n    main(['plugins'])\nexcept SystemExit:\n"
            "    pass\nprint('LOADED', *sorted({name.split('.')[0] for name in sys.modules}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment(),
                          cwd=REPOSITORY, check=False)
    loaded = set(done.stdout.splitlines()[-1].split()[1:])
    assert {"amiga_heatmap_labtools", "amiga_heatmap_plotly"} <= loaded
    assert not loaded & {"pandas", "numpy", "matplotlib", "plotly", "pyarrow", "scipy"}


def test_variable_and_disable_choose_among_installed_plugins() -> None:
    assert "labtools" not in listing(AMIGA_HEATMAP_PLUGINS="plotly")
    assert {"labtools", "plotly"}.isdisjoint(listing(AMIGA_HEATMAP_PLUGINS=""))
    assert "plotly" not in listing("--disable-plugin", "plotly")


def test_html_on_the_real_data(data_dir) -> None:
    normalized = data_dir / "ER_all_summary_normalized.txt"
    done = amiga_heatmap("-i", normalized, "-o", "ER_norm_auc", "--format", "html", "-x", "Strain", "-y",
                         "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any > 1.2",
                         "-t", "Normalized AUC")
    assert done.returncode == 0, done.stderr
    assert "Wrote" in done.stdout and "(24 Substrate x 2 Strain)" in done.stdout
    page = (data_dir / "ER_norm_auc.html").read_text(encoding="utf-8")
    assert re.search(r"<script[^>]*\bsrc=", page) is None and "plotly.js v" in page
    rows = pd.read_csv(normalized, sep="\t")
    sorbitol = rows[(rows.Substrate == "D-Sorbitol") & (rows.Strain == "MEX_2020")]["norm(auc_lin)"]
    assert (f"Strain: MEX_2020<br>Substrate: D-Sorbitol<br>norm(auc_lin) (mean): {sorbitol.mean():.4g}<br>"
            f"replicates: 4<br>SD: {sorbitol.std():.3g}") in page.replace("\\u003cbr\\u003e", "<br>")


def test_filter_with_a_labtools_quantifier_and_aggregator(summary) -> None:
    done = amiga_heatmap("-i", summary, "-o", "od", "--format", "tsv", "-x", "Isolate", "-y", "Substrate",
                         "-v", "OD_Max", "-p", "geomean", "-f", "row atleast(3) >= 0.5 AND row most < 0.9")
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(summary.parent / "od.tsv", sep="\t", index_col=0)
    rows = pd.read_csv(summary, sep="\t")
    matrix = natural(np.exp(np.log(rows["OD_Max"]).groupby([rows.Substrate, rows.Isolate]).mean()).unstack("Isolate"))
    keep = ((matrix >= 0.5).sum(axis=1) >= 3) & ((matrix < 0.9).sum(axis=1) > 2)
    expected = matrix[keep]
    assert 0 < len(expected) < len(matrix)
    pd.testing.assert_frame_equal(written, expected, check_names=False, rtol=1e-12)


def test_trimmed_mean_of_the_installed_labtools(normalized) -> None:
    done = amiga_heatmap("-i", normalized, "-o", "trimmed", "--format", "tsv", "-x", "Strain", "-y", "Substrate",
                         "-v", "norm(auc_lin)", "-p", "trimmed(0.25)")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    written = pd.read_csv(normalized.parent / "trimmed.tsv", sep="\t", index_col=0)
    rows = pd.read_csv(normalized, sep="\t")
    expected = natural(rows.groupby(["Substrate", "Strain"])["norm(auc_lin)"].agg(trim_mean, 0.25).unstack("Strain"))
    pd.testing.assert_frame_equal(written, expected, check_names=False, rtol=1e-12)


def test_lab_plugins_folder_together_with_entry_points(normalized) -> None:
    plugins = listing("--plugins-dir", LAB_PLUGINS)
    assert plugins["spread_filter"]["source"] == "plugins folder"
    assert {"labtools", "plotly"} <= set(plugins)
    done = amiga_heatmap("--plugins-dir", LAB_PLUGINS, "-i", normalized, "-o", "differ", "--format", "tsv",
                         "-x", "Strain", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "median",
                         "-f", "row spread >= 0.5 OR row none >= 0.8")
    assert done.returncode == 0, done.stderr
    written = pd.read_csv(normalized.parent / "differ.tsv", sep="\t", index_col=0)
    rows = pd.read_csv(normalized, sep="\t")
    matrix = natural(rows.groupby(["Substrate", "Strain"])["norm(auc_lin)"].median().unstack("Strain").dropna())
    expected = matrix[((matrix.max(axis=1) - matrix.min(axis=1)) >= 0.5) | ~(matrix >= 0.8).any(axis=1)]
    assert len(expected) > 3
    pd.testing.assert_frame_equal(written, expected, check_names=False, rtol=1e-15)
