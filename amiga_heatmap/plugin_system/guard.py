"""Calls into plugin code during a run, with failures blamed on the plugin that made them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import AmigaHeatmapError, PluginError


def call_guarded(plugin: str, stage: str, function: Callable[..., Any], *args: Any) -> Any:
    """Run a plugin-provided ``function`` for a pipeline ``stage``, turning an unexpected exception
    into a PluginError that names the plugin and the stage. Errors of amiga-heatmap's own kinds pass
    through unchanged (a plugin may raise DataError for bad input on purpose)."""
    try:
        return function(*args)
    except AmigaHeatmapError:
        raise
    except Exception as error:
        raise plugin_failure(plugin, stage, error) from error


def plugin_failure(plugin: str, stage: str, error: Exception) -> PluginError:
    """The PluginError reporting that ``plugin`` raised ``error`` while doing ``stage``."""
    return PluginError(
        f"Plugin {plugin!r} failed while {stage}: {type(error).__name__}: {error}. "
        f"Run with --verbose for the traceback; report it to the plugin's author or disable it with "
        f"--disable-plugin {plugin}."
    )
