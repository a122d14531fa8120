"""A loaded plugin set: where plugins come from, which ones to load, and the name tables they fill.

Plugins come from four places, loaded in this order (see :mod:`amiga_heatmap.plugin_system.loading`):

1. **built-in**: the modules of :data:`DEFAULT_PLUGINS`, registered through the same
   ``PluginManager.register`` call as every other plugin;
2. **entry point**: installed distributions declaring ``[project.entry-points.amiga_heatmap]``, chosen by
   the ``AMIGA_HEATMAP_PLUGINS`` variable (unset: all; empty: none; ``a,b``: only those);
3. **plugins folder**: every ``*.py`` file in the folders of ``AMIGA_HEATMAP_PLUGINS_DIR`` (separated like
   ``PATH``) and of ``--plugins-dir``;
4. **registered in code**: plugin objects handed over in :attr:`PluginOptions.extra` (the pytest fixture
   :func:`amiga_heatmap.testing.amiga_heatmap_plugin` uses this).

:mod:`.active` says which options the current context loads with; :mod:`.loading` does the loading.
Nothing here imports pandas or matplotlib, so listing plugins and ``--help`` stay fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pluggy

from ..errors import PluginError, UsageError, known_list, listed
from . import hookspecs
from .components import Aggregator, Annotation, Engine, Operator, Quantifier, Reader, Renderer, Transform
from .registry import Registry

DEFAULT_PLUGINS = (
    "amiga_heatmap.builtin.readers",
    "amiga_heatmap.builtin.parquet_reader",
    "amiga_heatmap.builtin.aggregators",
    "amiga_heatmap.builtin.filters",
    "amiga_heatmap.builtin.seaborn_renderer",
    "amiga_heatmap.builtin.table_renderer",
    "amiga_heatmap.builtin.gct_renderer",
    "amiga_heatmap.builtin.pandas_engine",
    "amiga_heatmap.builtin.duckdb_engine",
    "amiga_heatmap.builtin.auto_engine",
    "amiga_heatmap.builtin.transforms",
    "amiga_heatmap.builtin.biolog",
    "amiga_heatmap.builtin.stages",
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
    engines: Registry[Engine] = field(default_factory=lambda: Registry("engine", lambda e: e.name, Engine))
    transforms: Registry[Transform] = field(
        default_factory=lambda: Registry("transform", lambda t: t.name, Transform)
    )
    annotations: Registry[Annotation] = field(
        default_factory=lambda: Registry("annotation", lambda a: a.name, Annotation)
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
            "engines": self.engines,
            "transforms": self.transforms,
            "annotations": self.annotations,
        }

    def is_builtin(self, plugin: str) -> bool:
        """True for the plugins shipped inside amiga_heatmap."""
        info = self.info.get(plugin)
        return info is not None and info.source == BUILT_IN

    def check(self) -> None:
        """Raise PluginError when two plugins claim one name (the clashes in one message: the first few,
        and how many more)."""
        if self.conflicts:
            raise PluginError(listed(self.conflicts, separator=" ", longest=None))

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


def plugin_folders(options: PluginOptions) -> list[str]:
    """The plugins folders to load: ``AMIGA_HEATMAP_PLUGINS_DIR``'s (split on ``os.pathsep``), then
    ``options.directories``, without repeats."""
    from_environment = [part for part in os.environ.get(PLUGINS_DIR_VARIABLE, "").split(os.pathsep) if part]
    return list(dict.fromkeys([*from_environment, *options.directories]))


class PluginWarning(UserWarning):
    """An optional plugin, or one of its hooks, was skipped because it failed to load or register."""
