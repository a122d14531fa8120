"""A renderer that declares its own options and capabilities, as a single-file plugin in --plugins-dir,
run through the real command line: its flag and its --kwargs key reach it, its check runs before the
input is read, a capability it lacks is refused, and --help and `plugins` show its option.

The plugin is the option-declaring example of docs/plugins.md, so the guide's example is what is run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from .conftest import REPOSITORY

LABEL = "D-Glucuronic Acid"  # a row the example summary keeps whole
GUIDE = (REPOSITORY / "docs" / "plugins.md").read_text(encoding="utf-8")


def guide_example() -> str:
    """The guide's renderer example that declares options (the one using ``Option(``)."""
    blocks = re.findall(r"```python\n(.*?)```", GUIDE, flags=re.DOTALL)
    declaring = [block for block in blocks if "Option(" in block and "register_renderers" in block]
    assert len(declaring) == 1
    return declaring[0]


@pytest.fixture
def plugins_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "markdown_renderer.py").write_text(guide_example(), encoding="utf-8")
    return folder


def markdown_table(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """The header cells and, per row label, the cells of a Markdown table the example wrote."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return header, rows


def expected_means(summary: Path) -> pd.DataFrame:
    rows = pd.read_csv(summary, sep="\t")
    return rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate")


def run_markdown(run_cli, summary: Path, plugins_dir: Path, tmp_path: Path, *args: str):
    return run_cli("--plugins-dir", plugins_dir, "-i", summary, "--output-dir", tmp_path, "-o", "table",
                   "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "md", *args)


def test_the_plugin_flag_reaches_the_renderer(run_cli, summary, plugins_dir, tmp_path) -> None:
    result = run_markdown(run_cli, summary, plugins_dir, tmp_path, "--md-digits", "2",
                          "--highlight-labels", f"y:{LABEL}")
    assert result.exit_code == 0, result.stderr
    header, rows = markdown_table(tmp_path / "table.md")
    means = expected_means(summary)
    assert header == ["Substrate", *[str(column) for column in means.columns]]
    assert rows[f"**{LABEL}**"] == [f"{value:.2f}" for value in means.loc[LABEL]]
    other = next(label for label in means.index if label != LABEL)
    assert rows[other] == [f"{value:.2f}" for value in means.loc[other]]


def test_the_same_option_in_kwargs_and_its_default(run_cli, summary, plugins_dir, tmp_path) -> None:
    means = expected_means(summary)
    assert run_markdown(run_cli, summary, plugins_dir, tmp_path, "--kwargs", "digits:1").exit_code == 0
    _, rows = markdown_table(tmp_path / "table.md")
    assert rows[LABEL] == [f"{value:.1f}" for value in means.loc[LABEL]]
    assert run_markdown(run_cli, summary, plugins_dir, tmp_path).exit_code == 0
    _, rows = markdown_table(tmp_path / "table.md")
    assert rows[LABEL] == [f"{value:.3f}" for value in means.loc[LABEL]]


def test_a_bad_value_is_refused_by_the_declared_check_before_reading(run_cli, plugins_dir, tmp_path) -> None:
    missing = tmp_path / "not-read.txt"  # never read: the check comes first
    missing.write_text("not a summary", encoding="utf-8")
    result = run_markdown(run_cli, missing, plugins_dir, tmp_path, "--md-digits", "20")
    assert result.exit_code == 2
    assert "Error: --md-digits (digits) must be a whole number from 0 to 12, not 20." in result.stderr
    result = run_markdown(run_cli, missing, plugins_dir, tmp_path, "--kwargs", "digits:-1")
    assert result.exit_code == 2 and "--md-digits (digits) must be a whole number" in result.stderr
    assert not (tmp_path / "table.md").exists()


def test_a_capability_the_renderer_lacks_is_refused(run_cli, summary, plugins_dir, tmp_path) -> None:
    result = run_markdown(run_cli, summary, plugins_dir, tmp_path, "--color-x-by", "Isolate")
    assert result.exit_code == 2
    assert ("Error: --color-x-by needs a renderer that draws colour strips, but the 'markdown' renderer "
            "(writing --format md) does not.") in result.stderr
    assert "seaborn (--format pdf, png, svg)" in result.stderr
    result = run_markdown(run_cli, summary, plugins_dir, tmp_path, "--x-rotation", "30")
    assert result.exit_code == 2
    assert "--x-rotation is a figure option, but the 'markdown' renderer" in result.stderr
    assert not (tmp_path / "table.md").exists()


def test_help_and_the_listing_show_the_plugin_option(run_cli, plugins_dir) -> None:
    help_text = run_cli("--plugins-dir", plugins_dir, "--help").stdout
    assert re.search(r"Plugin renderers' options:\n  --md-digits N\s+Markdown renderer: decimals written per cell, "
                     r"0 to 12 \(default\s+3\)\.", help_text)
    assert "--md-digits" not in run_cli("--help").stdout
    listing = json.loads(run_cli("plugins", "--json", "--plugins-dir", plugins_dir).stdout)
    plugin = next(item for item in listing["plugins"] if item["name"] == "markdown_renderer")
    renderer = plugin["provides"]["renderers"][0]
    assert renderer["capabilities"] == ["highlights"]
    assert renderer["options"] == [{"name": "digits", "description": "decimals written per cell, 0 to 12 "
                                    "(default 3)", "flags": ["--md-digits"]}]
    text = run_cli("plugins", "--plugins-dir", plugins_dir).stdout
    assert "markdown draws: highlights" in text
    assert "digits (--md-digits): decimals written per cell, 0 to 12 (default 3)" in text


def test_python_names_the_option_by_its_key_and_saves_what_the_renderer_draws(summary, plugins_dir,
                                                                             tmp_path) -> None:
    from amiga_heatmap import heatmap
    from amiga_heatmap.errors import UsageError
    from amiga_heatmap.plugins import plugin_options

    with plugin_options(directories=(str(plugins_dir),)):
        plain = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean")
        with pytest.raises(UsageError, match=r"^digits must be a whole number"):
            plain.save(tmp_path / "t.md", digits=99)
        assert not (tmp_path / "t.md").exists()
        coloured = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", color_x_by="Isolate")
        assert coloured.save(tmp_path / "t.md", digits=1) == [str(tmp_path / "t.md")]
    _, rows = markdown_table(tmp_path / "t.md")
    assert rows[LABEL] == [f"{value:.1f}" for value in expected_means(summary).loc[LABEL]]


def test_a_plugin_set_that_fails_to_load_still_parses_the_builtin_flags(run_cli, summary, tmp_path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "broken.py").write_text("raise RuntimeError('not today')\n", encoding="utf-8")
    result = run_cli("--plugins-dir", folder, "--strict-plugins", "-i", summary, "--output-dir", tmp_path,
                     "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--width-height", "5", "5")
    assert result.exit_code == 3, result.stderr
    assert "not today" in result.stderr and "No such option" not in result.stderr
