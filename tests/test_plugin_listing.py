"""``amiga-heatmap plugins``: every active plugin with its version, source and what it provides."""

from __future__ import annotations

import json

from amiga_heatmap import __version__, hookimpl
from amiga_heatmap.components import Aggregator, Quantifier, Renderer

from .conftest import REPOSITORY

LAB_PLUGINS = REPOSITORY / "examples" / "lab_plugins"


def listed(run_cli, *args: str) -> dict:
    done = run_cli("plugins", "--json", *args)
    assert done.exit_code == 0, done.stderr
    return {plugin["name"]: plugin for plugin in json.loads(done.stdout)["plugins"]}


def test_json_lists_every_builtin_with_what_it_provides(run_cli) -> None:
    plugins = listed(run_cli)
    assert list(plugins) == ["builtin.readers", "builtin.parquet_reader", "builtin.aggregators", "builtin.filters",
                             "builtin.seaborn_renderer", "builtin.table_renderer", "builtin.gct_renderer",
                             "builtin.pandas_engine", "builtin.duckdb_engine", "builtin.auto_engine",
                             "builtin.transforms", "builtin.biolog", "builtin.stages"]
    assert {plugin["version"] for plugin in plugins.values()} == {__version__}
    assert {plugin["source"] for plugin in plugins.values()} == {"built-in"}
    readers = plugins["builtin.readers"]["provides"]["readers"]
    assert [(reader["name"], reader["suffixes"]) for reader in readers] == [
        ("amiga-text", [".txt", ".tsv"]), ("csv", [".csv"])
    ]
    filters = plugins["builtin.filters"]
    assert [q["name"] for q in filters["provides"]["quantifiers"]] == ["all", "any"]
    assert [o["symbol"] for o in filters["provides"]["operators"]] == ["<", "<=", "=", ">", ">="]
    assert filters["hooks"] == ["register_operators", "register_quantifiers"]
    seaborn = plugins["builtin.seaborn_renderer"]["provides"]["renderers"][0]
    assert seaborn["formats"] == ["pdf", "png", "svg"]
    options = {option["name"]: option for option in seaborn["options"]}
    assert options["cmap"]["flags"] == [] and options["cmap"]["description"].startswith("colour map name")
    assert options["color_x_ratio"] == {"name": "color_x_ratio", "flags": ["--color-x-ratio"],
                                        "description": "share of the figure height for the column colour strip"}
    assert options["height"]["flags"] == ["--width-height"]
    assert seaborn["capabilities"] == ["blocks", "colour_strips", "dendrograms", "highlights", "pages", "panels", "size"]
    assert plugins["builtin.table_renderer"]["provides"]["renderers"][0]["capabilities"] == ["blocks", "panels"]
    assert plugins["builtin.aggregators"]["overrides"] == []
    assert [engine["name"] for engine in plugins["builtin.pandas_engine"]["provides"]["engines"]] == ["pandas"]
    duckdb_engine = plugins["builtin.duckdb_engine"]["provides"]["engines"][0]
    assert duckdb_engine["name"] == "duckdb"
    assert [option["name"] for option in duckdb_engine["options"]] == ["memory_limit", "threads", "temp_directory"]
    assert [engine["name"] for engine in plugins["builtin.auto_engine"]["provides"]["engines"]] == ["auto"]
    transforms = plugins["builtin.transforms"]["provides"]["transforms"]
    assert [(item["name"], item["parameters"]) for item in transforms] == [
        ("center", ["axis"]), ("log2", []), ("zscore", ["axis"])
    ]
    assert plugins["builtin.stages"]["provides"] == {}
    assert plugins["builtin.stages"]["hooks"] == sorted([
        "compute_cells", "pivot_cells", "handle_missing_cells", "test_cells", "transform_matrix",
        "filter_matrix", "order_matrix", "decorate_matrix",
    ])


def test_plugins_folder_is_listed_as_such(run_cli) -> None:
    plugins = listed(run_cli, "--plugins-dir", str(LAB_PLUGINS))
    lab = plugins["spread_filter"]
    assert lab["source"] == "plugins folder" and lab["version"] == "1.0"
    assert lab["origin"] == str(LAB_PLUGINS / "spread_filter.py")
    assert lab["provides"] == {"quantifiers": [{
        "name": "spread", "description": "largest minus smallest cell of the row (or column)", "parameters": []
    }]}


def test_plugins_folder_from_the_environment(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("AMIGA_HEATMAP_PLUGINS_DIR", str(LAB_PLUGINS))
    assert "spread_filter" in listed(run_cli)


def largest(groups):
    return groups.max()


def write_nothing(result, path, file_format, options):
    open(path, "w").close()


class Everything:
    __version__ = "2.5"

    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("median", largest, "replaces the median"), override=True)
        register(Aggregator("largest", largest, "largest replicate"))

    @hookimpl
    def register_quantifiers(self, register):
        register(Quantifier("atleast", lambda values, compare, axis, k: compare(values).sum(axis) >= k, "", ("k",)))

    @hookimpl
    def register_renderers(self, register):
        register(Renderer("empty", ("txt", "md"), write_nothing, "an empty file"))


def test_text_listing_shows_sources_parameters_formats_and_overrides(amiga_heatmap_plugin, run_cli) -> None:
    amiga_heatmap_plugin(Everything(), name="everything")
    done = run_cli("plugins")
    assert done.exit_code == 0, done.stderr
    text = done.stdout
    assert f"builtin.readers {__version__} (built-in: amiga_heatmap.builtin.readers)\n" \
           "    readers: amiga-text (.txt, .tsv), csv (.csv)\n" in text
    assert "    aggregators: mean, median [overridden by everything]\n" in text
    block = text[text.index("everything 2.5 (registered in code"):]
    assert "    aggregators: largest, median\n" in block
    assert "    quantifiers: atleast(k)\n" in block
    assert "    renderers: empty (txt, md)\n" in block
    assert "    overrides the built-in aggregator 'median' of builtin.aggregators" in block


def test_json_lists_overrides_and_problems(amiga_heatmap_plugin, run_cli, tmp_path) -> None:
    amiga_heatmap_plugin(Everything(), name="everything")
    (tmp_path / "broken.py").write_text("raise ImportError('missing lab dependency')\n")
    done = run_cli("plugins", "--json", "--plugins-dir", tmp_path)
    assert done.exit_code == 0
    assert done.stderr == "", "the listing shows problems itself instead of warning twice"
    description = json.loads(done.stdout)
    plugins = {plugin["name"]: plugin for plugin in description["plugins"]}
    assert plugins["everything"]["overrides"] == [
        {"kind": "aggregator", "name": "median", "replaces": "builtin.aggregators"}
    ]
    medians = [a for a in plugins["builtin.aggregators"]["provides"]["aggregators"] if a["name"] == "median"]
    assert medians[0]["overridden_by"] == "everything"
    assert "broken" not in plugins
    assert len(description["problems"]) == 1 and "missing lab dependency" in description["problems"][0]
    assert description["conflicts"] == [] and description["disabled"] == []
