"""Choosing and loading plugins from Python: the import path docs/api.md and docs/plugins.md promise.

The machinery lives in :mod:`amiga_heatmap.plugin_system`; this module gathers what users and plugin
authors call.
"""

from .plugin_system.active import (
    configure_plugins,
    current_options,
    get_plugins,
    load_plugins,
    plugin_options,
)
from .plugin_system.plugin_set import DEFAULT_PLUGINS, PluginInfo, PluginOptions, PluginSet, PluginWarning

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginInfo",
    "PluginOptions",
    "PluginSet",
    "PluginWarning",
    "configure_plugins",
    "current_options",
    "get_plugins",
    "load_plugins",
    "plugin_options",
]
