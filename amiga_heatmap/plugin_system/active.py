"""The plugins of the current context: which options they load with, loaded on first use and reused.

The state lives in a :class:`contextvars.ContextVar`, not in module globals: :func:`plugin_options` changes
it for one block (the command line wraps each command in it; the pytest fixture adds plugins with it), and
a thread or an asyncio task started elsewhere sees its own copy. Nothing here imports pandas.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from .plugin_set import PluginOptions, PluginSet


@dataclass(frozen=True)
class _Active:
    """The options plugins load with in this context, and the set loaded with them (None: not yet)."""

    options: PluginOptions
    loaded: PluginSet | None = None


_active: ContextVar[_Active] = ContextVar("amiga_heatmap_plugins", default=_Active(PluginOptions()))  # noqa: B039 (frozen)


def load_plugins(options: PluginOptions | None = None, *, allow_conflicts: bool = False) -> PluginSet:
    """Load the built-ins and the plugins ``options`` (default: the configured ones) ask for.

    A plugin that fails to import or register, or that implements a hook no spec defines, is reported
    in a :class:`PluginWarning` naming it and its error, and the others keep working; with
    ``options.strict`` those problems raise one PluginError instead. Two plugins claiming one name
    raise PluginError naming both, unless ``allow_conflicts`` (then they are in ``conflicts``; the
    ``plugins`` command uses this to show them).
    """
    from .loading import PluginLoading

    plugin_set = PluginLoading(options if options is not None else current_options()).run()
    if not allow_conflicts:
        plugin_set.check()
    return plugin_set


def get_plugins() -> PluginSet:
    """The plugin set for the current context's options, loaded on first use and then reused."""
    active = _active.get()
    if active.loaded is None:
        active = replace(active, loaded=load_plugins(active.options))
        _active.set(active)
    return active.loaded


def current_options() -> PluginOptions:
    """The options :func:`get_plugins` loads with in the current context."""
    return _active.get().options


def configure_plugins(options: PluginOptions) -> None:
    """Make :func:`get_plugins` load with ``options`` in the current context from now on (the next call
    loads afresh)."""
    _active.set(_Active(options))


@contextmanager
def plugin_options(loaded: PluginSet | None = None, **changes: Any) -> Iterator[PluginOptions]:
    """Within the block, load plugins with the current options changed by ``changes`` (fields of
    :class:`PluginOptions`); afterwards the previous options and the previously loaded set return.
    ``loaded``: a set already loaded with exactly these options, used instead of loading again.

    The command line wraps each command in this with its ``--plugins-dir``, ``--disable-plugin`` and
    ``--strict-plugins`` values; the pytest fixture adds plugins with it.
    """
    options = replace(current_options(), **changes)
    token = _active.set(_Active(options, loaded))
    try:
        yield options
    finally:
        _active.reset(token)
