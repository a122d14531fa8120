"""Finding, loading and registering plugins, and the name tables they fill.

Built-in plugins are ordinary modules listed in :data:`DEFAULT_PLUGINS` and registered through the same
``PluginManager.register`` call as third-party plugins, which come from the ``amiga_heatmap`` entry-point
group. Loading happens lazily, once per process (:func:`get_plugins`); nothing here imports pandas or
matplotlib, so listing plugins and ``--help`` stay fast.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pluggy

from . import hookspecs
from .components import Aggregator, Operator, Quantifier, Reader, Renderer
from .errors import PluginError, UsageError, known_list
from .registry import Registry

DEFAULT_PLUGINS = (
    "amiga_heatmap.builtin.readers",
    "amiga_heatmap.builtin.aggregators",
    "amiga_heatmap.builtin.filters",
    "amiga_heatmap.builtin.seaborn_renderer",
    "amiga_heatmap.builtin.table_renderer",
)

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
PLUGINS_VARIABLE = "AMIGA_HEATMAP_PLUGINS"


@dataclass
class PluginSet:
    """The loaded plugins and the name tables built from their registrations.

    ``sources`` maps each plugin name to where it came from (``"built-in"``, ``"entry point"``, ...);
    ``problems`` holds one message per optional plugin that failed to load and was skipped.
    """

    manager: pluggy.PluginManager
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    readers: Registry[Reader] = field(default_factory=lambda: Registry("reader", lambda r: r.name))
    aggregators: Registry[Aggregator] = field(
        default_factory=lambda: Registry("aggregator", lambda a: a.name)
    )
    quantifiers: Registry[Quantifier] = field(
        default_factory=lambda: Registry("quantifier", lambda q: q.name)
    )
    operators: Registry[Operator] = field(default_factory=lambda: Registry("operator", lambda o: o.symbol))
    renderers: Registry[Renderer] = field(default_factory=lambda: Registry("renderer", lambda r: r.name))

    def is_builtin(self, plugin: str) -> bool:
        """True for the plugins shipped inside amiga_heatmap."""
        return self.sources.get(plugin) == "built-in"

    def reader_for(self, path: str) -> Reader | None:
        """The reader whose suffix ends ``path`` (case-insensitive), or None."""
        lowered = str(path).lower()
        for suffix, reader in sorted(self.suffix_table().items(), key=lambda item: -len(item[0])):
            if lowered.endswith(suffix):
                return reader
        return None

    def suffix_table(self) -> dict[str, Reader]:
        """``suffix -> reader`` over every registered reader; a suffix two readers claim is a clash,
        unless one of them overrides a built-in (then the override wins)."""
        table: dict[str, Reader] = {}
        owners: dict[str, str] = {}
        for _, entry in self.readers.entries():
            for suffix in entry.item.suffixes:
                suffix = suffix.lower()
                previous = owners.get(suffix)
                if previous is not None and not (self.is_builtin(previous) or self.is_builtin(entry.plugin)):
                    raise PluginError(
                        f"Plugins {previous!r} and {entry.plugin!r} both read files ending in {suffix!r}. "
                        "Disable one of them (--disable-plugin NAME)."
                    )
                if previous is None or self.is_builtin(previous):
                    table[suffix] = entry.item
                    owners[suffix] = entry.plugin
        return table

    def renderer_for_format(self, file_format: str, renderer: str | None = None) -> Renderer:
        """Choose the renderer writing ``file_format``: ``renderer`` if named, else the only one that
        writes it (a plugin's, if a plugin and a built-in both do)."""
        if renderer is not None:
            chosen = self.renderers.get(renderer, option="--renderer")
            if file_format not in chosen.formats:
                raise UsageError(
                    f"The renderer {renderer!r} does not write {file_format!r} files; it writes "
                    f"{known_list(chosen.formats)}. Choose one of those with --format."
                )
            return chosen
        candidates = [
            (name, entry) for name, entry in self.renderers.entries() if file_format in entry.item.formats
        ]
        if not candidates:
            raise UsageError(
                f"No renderer writes the format {file_format!r} (given to --format). "
                f"Known formats: {known_list(self.formats())}."
            )
        plugin_made = [item for item in candidates if not item[1].builtin]
        pool = plugin_made or candidates
        if len(pool) > 1:
            raise UsageError(
                f"Several renderers write {file_format!r}: {known_list(name for name, _ in pool)}. "
                "Choose one with --renderer."
            )
        return pool[0][1].item

    def formats(self) -> list[str]:
        """Every format some renderer writes, sorted."""
        return sorted({fmt for _, entry in self.renderers.entries() for fmt in entry.item.formats})


_HOOK_TABLES: tuple[tuple[str, str], ...] = (
    ("register_readers", "readers"),
    ("register_aggregators", "aggregators"),
    ("register_quantifiers", "quantifiers"),
    ("register_operators", "operators"),
    ("register_renderers", "renderers"),
)


def new_manager() -> pluggy.PluginManager:
    """A plugin manager that knows amiga-heatmap's hook specifications and no plugins yet."""
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def build_plugin_set(
    manager: pluggy.PluginManager, sources: dict[str, str], problems: list[str] | None = None
) -> PluginSet:
    """Check the registered plugins' hook names and fill the name tables by calling every hook.

    Built-in plugins are called first, so third-party registrations meet them as existing names and
    must override them explicitly. Raises PluginError for unknown hook names, name clashes, and
    exceptions raised inside a hook (naming the plugin and the hook).
    """
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        raise PluginError(
            f"Plugin {error.plugin_name!r} implements a hook amiga-heatmap does not define: {error}. "
            "Check the function's name against the plugin author guide (docs/plugins.md)."
        ) from error
    plugin_set = PluginSet(manager=manager, sources=dict(sources), problems=list(problems or []))
    for hook_name, table_name in _HOOK_TABLES:
        table: Registry[Any] = getattr(plugin_set, table_name)
        implementations = getattr(manager.hook, hook_name).get_hookimpls()
        ordered = sorted(implementations, key=lambda impl: not plugin_set.is_builtin(impl.plugin_name))
        for implementation in ordered:
            _call_registration(implementation, hook_name, table, plugin_set.is_builtin(implementation.plugin_name))
    return plugin_set


def _call_registration(implementation: Any, hook_name: str, table: Registry[Any], builtin: bool) -> None:
    """Call one plugin's registration hook with a ``register`` bound to that plugin."""
    register = table.callback(implementation.plugin_name, builtin)
    arguments = {"register": register}
    try:
        implementation.function(*(arguments[name] for name in implementation.argnames))
    except PluginError:
        raise
    except Exception as error:  # a plugin's own bug: name the plugin and the hook
        raise PluginError(
            f"Plugin {implementation.plugin_name!r} raised {type(error).__name__} in its {hook_name} "
            f"hook: {error}. Report this to the plugin's author, or disable it with "
            f"--disable-plugin {implementation.plugin_name}."
        ) from error


def register_builtins(manager: pluggy.PluginManager, sources: dict[str, str]) -> None:
    """Import and register every module of :data:`DEFAULT_PLUGINS` under its short name."""
    for module_name in DEFAULT_PLUGINS:
        module = importlib.import_module(module_name)
        name = "builtin." + module_name.rsplit(".", 1)[-1]
        manager.register(module, name=name)
        sources[name] = "built-in"


def call_guarded(plugin: str, stage: str, function: Callable[..., Any], *args: Any) -> Any:
    """Run a plugin-provided ``function`` for a pipeline ``stage``, turning an unexpected exception
    into a PluginError that names the plugin and the stage. Errors of amiga-heatmap's own kinds pass
    through unchanged (a plugin may raise DataError for bad input on purpose)."""
    from .errors import AmigaHeatmapError

    try:
        return function(*args)
    except AmigaHeatmapError:
        raise
    except Exception as error:
        raise PluginError(
            f"Plugin {plugin!r} failed while {stage}: {type(error).__name__}: {error}. "
            f"Run with --verbose for the traceback; report it to the plugin's author or disable it with "
            f"--disable-plugin {plugin}."
        ) from error


_loaded: PluginSet | None = None


def get_plugins() -> PluginSet:
    """The process-wide plugin set: built-ins plus installed entry-point plugins, loaded once."""
    global _loaded
    if _loaded is None:
        _loaded = load_plugins()
    return _loaded


def load_plugins() -> PluginSet:
    """Load the built-in plugins and the installed ``amiga_heatmap`` entry-point plugins.

    ``AMIGA_HEATMAP_PLUGINS`` chooses the entry-point plugins: unset loads all, empty loads none, a
    comma-separated list loads only those names.
    """
    manager = new_manager()
    sources: dict[str, str] = {}
    register_builtins(manager, sources)
    chosen = os.environ.get(PLUGINS_VARIABLE)
    names = [None] if chosen is None else sorted({name.strip() for name in chosen.split(",") if name.strip()})
    before = set(manager.get_plugins())
    for name in names:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
    for plugin in set(manager.get_plugins()) - before:
        sources[manager.get_name(plugin)] = "entry point"
    return build_plugin_set(manager, sources)
