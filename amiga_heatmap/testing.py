"""A pytest fixture for testing plugins: register a plugin for one test, gone after it.

Installing amiga-heatmap makes this module a pytest plugin (entry point ``pytest11``), so a plugin's own
test suite can use the fixture without importing anything::

    from amiga_heatmap import heatmap
    import my_plugin

    def test_geomean(amiga_heatmap_plugin, tmp_path):
        plugins = amiga_heatmap_plugin(my_plugin)          # a module, class or object with @hookimpl
        assert "geomean" in plugins.aggregators
        result = heatmap("summary.txt", value="gr", x="Isolate", y="Substrate", operation="geomean")

Within the test, :func:`amiga_heatmap.plugins.get_plugins` (and therefore :func:`amiga_heatmap.heatmap`,
``HeatmapResult.save`` and the command line run in-process) sees the built-in plugins plus the ones the
test registered, and never the entry-point plugins installed on the machine or the folders of
``AMIGA_HEATMAP_PLUGINS_DIR``. When the test ends, the plugins loaded before it come back.

Importing this module imports pytest and nothing heavy.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from .plugin_system.active import configure_plugins, current_options, get_plugins, plugin_options
from .plugin_system.plugin_set import PLUGINS_DIR_VARIABLE, PluginSet

RegisterPlugin = Callable[..., PluginSet]


def default_name(plugin: object) -> str:
    """The name a plugin gets when none is given: a module's or class's ``__name__``, else the name of
    the object's class."""
    if inspect.ismodule(plugin) or inspect.isclass(plugin):
        return plugin.__name__
    return type(plugin).__name__


@pytest.fixture
def amiga_heatmap_plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[RegisterPlugin]:
    """``register(plugin, name=None) -> PluginSet``: add ``plugin`` to the active plugins for this test.

    Each call adds one plugin (registered in code, after the built-ins) and returns the freshly loaded
    :class:`~amiga_heatmap.plugins.PluginSet`, so a test can look at the name tables or expect the
    PluginError of a name clash right there. Problems with the plugin are
    :class:`~amiga_heatmap.plugins.PluginWarning` warnings, as in a real run.
    """
    monkeypatch.delenv(PLUGINS_DIR_VARIABLE, raising=False)

    def register(plugin: object, name: str | None = None) -> PluginSet:
        options = current_options()
        configure_plugins(replace(options, extra=(*options.extra, (name or default_name(plugin), plugin))))
        return get_plugins()

    with plugin_options(entry_points=False, directories=(), disabled=(), strict=False, extra=()):
        yield register
