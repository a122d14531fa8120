"""The active plugins: which ones to load, the name tables they fill, and guarded calls into them.

Plugins come from four places, loaded in this order (see :mod:`amiga_heatmap.plugin_loading`):

1. **built-in**: the modules of :data:`DEFAULT_PLUGINS`, registered through the same
   ``PluginManager.register`` call as every other plugin;
2. **entry point**: installed distributions declaring ``[project.entry-points.amiga_heatmap]``, chosen by
   the ``AMIGA_HEATMAP_PLUGINS`` variable (unset: all; empty: none; ``a,b``: only those);
3. **plugins folder**: every ``*.py`` file in the folders of ``AMIGA_HEATMAP_PLUGINS_DIR`` (separated like
   ``PATH``) and of ``--plugins-dir``;
4. **registered in code**: plugin objects handed over in :attr:`PluginOptions.extra` (the pytest fixture
   :func:`amiga_heatmap.testing.amiga_heatmap_plugin` uses this).

:func:`get_plugins` loads them lazily, once per process, with the options last set by
:func:`configure_plugins` or :func:`plugin_options`. Nothing here imports pandas or matplotlib, so listing
plugins and ``--help`` stay fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
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
PLUGINS_DIR_VARIABLE = "AMIGA_HEATMAP_PLUGINS_DIR"

BUILT_IN = "built-in"
ENTRY_POINT = "entry point"
PLUGINS_FOLDER = "plugins folder"
IN_CODE = "registered in code"


@dataclass(frozen=True)
class PluginOptions:
    """What to load besides the built-ins; the command line's plugin options fill it.

    - ``disabled``: plugin names not to load (``--disable-plugin``); built-ins can be disabled too.
    - ``directories``: folders of single-file plugins (``--plugins-dir``), loaded after those of
      ``AMIGA_HEATMAP_PLUGINS_DIR``.
    - ``strict``: a plugin that fails to load or register stops the run (``--strict-plugins``) instead
      of being skipped with a warning.
    - ``entry_points``: False ignores installed entry-point plugins whatever ``AMIGA_HEATMAP_PLUGINS``
      says.
    - ``extra``: ``(name, plugin)`` pairs registered after everything else: any object or module with
      ``@hookimpl`` functions.
    """

    disabled: tuple[str, ...] = ()
    directories: tuple[str, ...] = ()
    strict: bool = False
    entry_points: bool = True
    extra: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class PluginInfo:
    """Where a loaded plugin came from.

    ``source`` is one of ``"built-in"``, ``"entry point"``, ``"plugins folder"``, ``"registered in
    code"``; ``version`` is the distribution's version (or the module's ``__version__``), None when
    unknown; ``origin`` says where exactly: the module, the distribution, or the file.
    """

    name: str
    source: str
    version: str | None
    origin: str


@dataclass
class PluginSet:
    """The loaded plugins and the name tables built from their registrations.

    ``info`` maps each loaded plugin's name to its :class:`PluginInfo`, in loading order. ``problems``
    holds one message per plugin (or hook) that was skipped; ``conflicts`` one message per name two
    plugins claim (fatal: :meth:`check` raises them); ``disabled`` the plugins left out on request.
    """

    manager: pluggy.PluginManager
    info: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    readers: Registry[Reader] = field(default_factory=lambda: Registry("reader", lambda r: r.name, Reader))
    aggregators: Registry[Aggregator] = field(
        default_factory=lambda: Registry("aggregator", lambda a: a.name, Aggregator)
    )
    quantifiers: Registry[Quantifier] = field(
        default_factory=lambda: Registry("quantifier", lambda q: q.name, Quantifier)
    )
    operators: Registry[Operator] = field(
        default_factory=lambda: Registry("operator", lambda o: o.symbol, Operator)
    )
    renderers: Registry[Renderer] = field(
        default_factory=lambda: Registry("renderer", lambda r: r.name, Renderer)
    )
    suffixes: dict[str, str] = field(default_factory=dict)

    def registries(self) -> dict[str, Registry[Any]]:
        """The name tables by their plural kind: ``{"readers": ..., "aggregators": ..., ...}``."""
        return {
            "readers": self.readers,
            "aggregators": self.aggregators,
            "quantifiers": self.quantifiers,
            "operators": self.operators,
            "renderers": self.renderers,
        }

    def is_builtin(self, plugin: str) -> bool:
        """True for the plugins shipped inside amiga_heatmap."""
        info = self.info.get(plugin)
        return info is not None and info.source == BUILT_IN

    def check(self) -> None:
        """Raise PluginError when two plugins claim one name (every clash, in one message)."""
        if self.conflicts:
            raise PluginError(" ".join(self.conflicts))

    def reader_for(self, path: str) -> Reader | None:
        """The reader whose suffix ends ``path`` (case-insensitive; the longest suffix wins), or None."""
        lowered = str(path).lower()
        for suffix in sorted(self.suffixes, key=len, reverse=True):
            if lowered.endswith(suffix):
                return self.readers.get(self.suffixes[suffix])
        return None

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


def plugin_folders(options: PluginOptions) -> list[str]:
    """The plugins folders to load: ``AMIGA_HEATMAP_PLUGINS_DIR``'s (split on ``os.pathsep``), then
    ``options.directories``, without repeats."""
    from_environment = [part for part in os.environ.get(PLUGINS_DIR_VARIABLE, "").split(os.pathsep) if part]
    return list(dict.fromkeys([*from_environment, *options.directories]))


def load_plugins(options: PluginOptions | None = None, *, allow_conflicts: bool = False) -> PluginSet:
    """Load the built-ins and the plugins ``options`` (default: the configured ones) ask for.

    A plugin that fails to import or register, or that implements a hook no spec defines, is reported
    in a :class:`PluginWarning` naming it and its error, and the others keep working; with
    ``options.strict`` those problems raise one PluginError instead. Two plugins claiming one name
    raise PluginError naming both, unless ``allow_conflicts`` (then they are in ``conflicts``; the
    ``plugins`` command uses this to show them).
    """
    from .plugin_loading import PluginLoading

    plugin_set = PluginLoading(options if options is not None else _options).run()
    if not allow_conflicts:
        plugin_set.check()
    return plugin_set


class PluginWarning(UserWarning):
    """An optional plugin, or one of its hooks, was skipped because it failed to load or register."""


_options = PluginOptions()
_loaded: PluginSet | None = None


def get_plugins() -> PluginSet:
    """The process-wide plugin set for the configured options, loaded on first use and then reused."""
    global _loaded
    if _loaded is None:
        _loaded = load_plugins(_options)
    return _loaded


def current_options() -> PluginOptions:
    """The options :func:`get_plugins` loads with."""
    return _options


def configure_plugins(options: PluginOptions) -> None:
    """Make :func:`get_plugins` load with ``options`` from now on (the next call loads afresh)."""
    global _options, _loaded
    _options, _loaded = options, None


@contextmanager
def plugin_options(**changes: Any) -> Iterator[PluginOptions]:
    """Within the block, load plugins with the current options changed by ``changes`` (fields of
    :class:`PluginOptions`); afterwards the previous options and the previously loaded set return.

    The command line wraps each command in this with its ``--plugins-dir``, ``--disable-plugin`` and
    ``--strict-plugins`` values; the pytest fixture adds plugins with it.
    """
    global _options, _loaded
    saved = (_options, _loaded)
    configure_plugins(replace(_options, **changes))
    try:
        yield _options
    finally:
        _options, _loaded = saved
