"""Calling a stage hook during a run through pluggy, with a failure blamed on the plugin that raised.

pluggy calls the implementations of a hook in its own order (wrappers around them, ``tryfirst`` first,
the built-ins, marked ``trylast``, last) and stops at the first result of a ``firstresult`` hook. When
one raises, the traceback says which: the innermost frame running a hook implementation's function
names its plugin.
"""

from __future__ import annotations

from typing import Any

from ..ending_signals import from_signal
from ..errors import AmigaHeatmapError, PluginError
from .guard import plugin_failure

STAGE_HOOKS = (
    "compute_cells",
    "pivot_cells",
    "handle_missing_cells",
    "test_cells",
    "transform_matrix",
    "filter_matrix",
    "order_matrix",
    "decorate_matrix",
)
"""The stage hooks of :mod:`amiga_heatmap.plugin_system.hookspecs`, in the order a run calls them."""


def call_stage(manager: Any, hook_name: str, stage: str, **arguments: Any) -> Any:
    """Call the stage hook ``hook_name`` of the pluggy ``manager`` with ``arguments``; return its result.

    An exception other than amiga-heatmap's own errors becomes a PluginError naming the plugin whose
    implementation raised and the ``stage`` (``"pivoting the cells"``). A stage no implementation did
    (every one returned None) is a PluginError too: some plugin declined without a fallback.
    """
    caller = getattr(manager.hook, hook_name)
    try:
        result = caller(**arguments)
    except AmigaHeatmapError:
        raise
    except (Exception, SystemExit, KeyboardInterrupt) as error:
        if from_signal(error):
            raise
        failure = plugin_failure(raising_plugin(caller, error), stage, error)
        if failure is error:
            raise
        raise failure from error
    if result is None:
        names = ", ".join(implementation.plugin_name for implementation in caller.get_hookimpls())
        raise PluginError(
            f"No plugin did the stage {hook_name!r} ({stage}): every implementation returned None "
            f"({names or 'none is registered'}). A plugin that replaces a built-in stage must return its "
            "result; disable the plugin that declines, or report it to its author."
        )
    return result


def raising_plugin(caller: Any, error: BaseException) -> str:
    """The name of the plugin whose implementation of ``caller``'s hook raised ``error`` (the innermost
    one on the traceback), or ``"unknown"``."""
    implementations = {id(item.function.__code__): item.plugin_name for item in caller.get_hookimpls()}
    blamed = "unknown"
    traceback = error.__traceback__
    while traceback is not None:
        blamed = implementations.get(id(traceback.tb_frame.f_code), blamed)
        traceback = traceback.tb_next
    return blamed
