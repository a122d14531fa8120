"""Calls into plugin code during a run, with failures blamed on the plugin that made them, and only
those: a failure of the system (a full disk, a refused permission) is passed on as what it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..ending_signals import from_signal
from ..errors import AmigaHeatmapError, PluginError
from ..system_faults import system_fault


def call_guarded(plugin: str, stage: str, function: Callable[..., Any], *args: Any) -> Any:
    """Run a plugin-provided ``function`` for a pipeline ``stage``, turning an unexpected exception
    into a PluginError that names the plugin and the stage.

    Passed through unchanged: errors of amiga-heatmap's own kinds (a plugin may raise DataError for bad
    input on purpose) and the ends of a run by a signal (Ctrl-C, SIGTERM, ...). A system fault (an
    OSError such as ENOSPC, EFBIG or EACCES, :mod:`amiga_heatmap.system_faults`), even when the plugin
    let it surface as another exception, is re-raised as that OSError, for the caller to report with
    its path. A plugin calling ``sys.exit()`` (SystemExit) is a plugin failure like any other.
    """
    try:
        return function(*args)
    except AmigaHeatmapError:
        raise
    except (Exception, SystemExit, KeyboardInterrupt) as error:
        if from_signal(error):
            raise
        failure = plugin_failure(plugin, stage, error)
        if failure is error:
            raise
        raise failure from error


def plugin_failure(plugin: str, stage: str, error: BaseException) -> BaseException:
    """What to raise for ``error``, raised by ``plugin``'s code while doing ``stage``: the system fault
    it stands for (:func:`~amiga_heatmap.system_faults.system_fault`), else a PluginError naming the
    plugin and the stage."""
    fault = system_fault(error)
    if fault is not None:
        return fault
    return PluginError(
        f"Plugin {plugin!r} failed while {stage}: {type(error).__name__}: {error}. "
        f"Run with --verbose for the traceback; report it to the plugin's author or disable it with "
        f"--disable-plugin {plugin}."
    )
