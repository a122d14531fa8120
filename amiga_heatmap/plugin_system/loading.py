"""Finding and registering plugins, with each broken plugin isolated and named.

:class:`PluginLoading` does one load: it registers the plugins of every source with a fresh
``pluggy.PluginManager`` (built-ins, then entry points, plugins folders and plugins registered in code),
checks their hook names, calls every registration hook, and builds the
:class:`~amiga_heatmap.plugin_system.plugin_set.PluginSet` from what they registered.

Rules:

- Plugin names are unique. Built-ins are named ``builtin.MODULE``, entry-point plugins by their entry
  point's name, folder plugins by their file name without ``.py``. A later plugin whose name is taken is
  skipped with a problem naming both.
- A plugin that cannot be imported, that pluggy refuses (wrong hook arguments), that raises inside a
  registration hook or registers something wrong is skipped as a whole (nothing it registered stays),
  with a problem naming it and its error; so is one that calls ``sys.exit()`` or raises SystemExit or
  KeyboardInterrupt itself while it is imported or registers (a real Ctrl-C still ends the run). Only
  regular ``*.py`` files of a plugins folder are imported (a FIFO named ``x.py`` would hang the
  import). A hook function with a name no spec defines, or a spec's name
  without ``@hookimpl``, is a problem too; the rest of that plugin still works.
- Problems are warnings (:class:`~amiga_heatmap.plugin_system.plugin_set.PluginWarning`), or one PluginError listing all
  of them with ``strict``. Built-in plugins never fail quietly: their errors propagate.
- Registrations are merged built-ins first, then the other plugins sorted by name, so the result never
  depends on installation order. A built-in name taken without ``override=True`` is that plugin's
  problem; a name two non-built-in plugins claim is a conflict that stops every run
  (:meth:`PluginSet.check <amiga_heatmap.plugin_system.plugin_set.PluginSet.check>`).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import re
import sys
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy

from .. import __version__
from ..ending_signals import from_signal
from ..errors import PluginError, closest_names, did_you_mean, known_list, listed
from . import hookspecs
from .plugin_set import (
    BUILT_IN,
    DEFAULT_PLUGINS,
    ENTRY_POINT,
    ENTRY_POINT_GROUP,
    IN_CODE,
    PLUGINS_DIR_VARIABLE,
    PLUGINS_FOLDER,
    PLUGINS_VARIABLE,
    PluginInfo,
    PluginOptions,
    PluginSet,
    PluginWarning,
    plugin_folders,
)
from .registry import NameClashError
from .stage_calls import STAGE_HOOKS

log = logging.getLogger("amiga_heatmap")

HOOK_TABLES: dict[str, str] = {
    "register_readers": "readers",
    "register_aggregators": "aggregators",
    "register_quantifiers": "quantifiers",
    "register_operators": "operators",
    "register_renderers": "renderers",
    "register_engines": "engines",
    "register_transforms": "transforms",
    "register_annotations": "annotations",
}
"""Every registration hook of :mod:`amiga_heatmap.plugin_system.hookspecs` and the name table its
registrations go to."""


_FOLDER_MODULE_PREFIX = "amiga_heatmap_folder_plugin_"

MISBEHAVIOUR = (Exception, SystemExit, KeyboardInterrupt)
"""What plugin code may raise while it is imported or registers: any exception, and also ``sys.exit()``
or a KeyboardInterrupt of its own; each makes the plugin a broken one (skipped, or fatal when strict)."""


def _unless_from_signal(error: BaseException) -> None:
    """Re-raise ``error`` when it is the end of the run by a signal (a real Ctrl-C), not the plugin's."""
    if from_signal(error):
        raise error


class PluginLoading:
    """One load of the plugins ``options`` ask for; :meth:`run` returns the finished PluginSet."""

    def __init__(self, options: PluginOptions):
        self.options = options
        self.manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.problems: list[str] = []
        self.disabled: list[str] = []
        self._known_names: set[str] = set()

    def run(self) -> PluginSet:
        """Load every source, register, report problems; raise PluginError for them when strict."""
        self.add_builtins()
        if self.options.entry_points:
            self.add_entry_points()
        for folder in plugin_folders(self.options):
            self.add_folder(Path(folder))
        self.add_registered_in_code()
        self.report_unknown_disabled()
        self.check_hook_names()
        plugin_set = self.build()
        if self.options.strict and self.problems:
            raise PluginError(
                f"{len(self.problems)} plugin problem{'s' if len(self.problems) > 1 else ''} "
                "(fatal with --strict-plugins): " + listed(self.problems, separator=" ", longest=None)
            )
        log.info(
            "plugins: %s", ", ".join(f"{name} ({info.source})" for name, info in plugin_set.info.items())
        )
        return plugin_set

    # -- sources

    def add_builtins(self) -> None:
        """Register the modules of DEFAULT_PLUGINS as ``builtin.MODULE``."""
        for module_name in DEFAULT_PLUGINS:
            name = "builtin." + module_name.rsplit(".", 1)[-1]
            self._known_names.add(name)
            if self._is_disabled(name):
                continue
            module = importlib.import_module(module_name)
            self.manager.register(module, name=name)
            self.info[name] = PluginInfo(name, BUILT_IN, __version__, module_name)

    def add_entry_points(self) -> None:
        """Load the installed ``amiga_heatmap`` entry points that AMIGA_HEATMAP_PLUGINS selects."""
        found = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda point: point.name)
        self._known_names.update(point.name for point in found)
        chosen = os.environ.get(PLUGINS_VARIABLE)
        selection = None if chosen is None else {name.strip() for name in chosen.split(",") if name.strip()}
        if selection:
            for missing in sorted(selection - {point.name for point in found}):
                self.problem(
                    f"{PLUGINS_VARIABLE} names the plugin {missing!r}, which no installed distribution "
                    f"provides.{did_you_mean(missing, [point.name for point in found])} Installed "
                    f"plugins: {known_list(point.name for point in found) or 'none'}."
                )
        for point in found:
            if (selection is not None and point.name not in selection) or self._is_disabled(point.name):
                continue
            distribution = point.dist.name if point.dist is not None else point.value
            where = f"the distribution {distribution!r} (entry point {point.name} = {point.value})"
            try:
                plugin = point.load()
            except MISBEHAVIOUR as error:
                _unless_from_signal(error)
                self.problem(f"Plugin {point.name!r} from {where} could not be imported: "
                             f"{type(error).__name__}: {error}.", plugin=point.name, error=error)
                continue
            version = point.dist.version if point.dist is not None else getattr(plugin, "__version__", None)
            self.add(point.name, plugin, PluginInfo(point.name, ENTRY_POINT, version, distribution))

    def add_folder(self, folder: Path) -> None:
        """Load every ``*.py`` file of ``folder`` (not those starting with ``_`` or ``.``), by name."""
        if not folder.is_dir():
            self.problem(
                f"The plugins folder {str(folder)!r} does not exist or is not a folder; nothing was loaded "
                f"from it. Check --plugins-dir and the {PLUGINS_DIR_VARIABLE} variable."
            )
            return
        files = sorted(
            path for path in folder.glob("*.py") if not path.name.startswith(("_", ".")) and path.is_file()
        )
        self._known_names.update(path.stem for path in files)
        for path in files:
            name = path.stem
            if self._is_disabled(name):
                continue
            try:
                module = import_file(path)
            except MISBEHAVIOUR as error:
                _unless_from_signal(error)
                self.problem(f"Plugin {name!r} from the file {str(path)!r} could not be imported: "
                             f"{type(error).__name__}: {error}.", plugin=name, error=error)
                continue
            self.add(name, module, PluginInfo(name, PLUGINS_FOLDER, getattr(module, "__version__", None), str(path)))

    def add_registered_in_code(self) -> None:
        """Register the ``(name, plugin)`` pairs of ``options.extra``."""
        self._known_names.update(name for name, _ in self.options.extra)
        for name, plugin in self.options.extra:
            if not self._is_disabled(name):
                version = getattr(plugin, "__version__", None)
                self.add(name, plugin, PluginInfo(name, IN_CODE, version, repr(plugin)))

    def add(self, name: str, plugin: object, info: PluginInfo) -> None:
        """Register ``plugin`` as ``name`` unless the name is taken or pluggy refuses it."""
        taken = self.info.get(name)
        if taken is not None:
            self.problem(
                f"Two plugins are named {name!r}: the {taken.source} one ({taken.origin}) and the "
                f"{info.source} one ({info.origin}); the second was skipped. Rename one of them (a "
                "folder plugin is named after its file) or uninstall the unwanted one."
            )
            return
        try:
            self.manager.register(plugin, name=name)
        except MISBEHAVIOUR as error:  # pluggy refuses it: wrong hook arguments, or registered twice
            _unless_from_signal(error)
            self.problem(f"Plugin {name!r} ({info.origin}) could not be registered: {error}.", plugin=name)
            return
        self.info[name] = info

    # -- checks

    def report_unknown_disabled(self) -> None:
        """A --disable-plugin name that matches no plugin is probably misspelt: say so."""
        for name in self.options.disabled:
            if name not in self._known_names:
                self.problem(
                    f"--disable-plugin {name}: no plugin has that name.{did_you_mean(name, self._known_names)} "
                    f"Plugins: {known_list(self._known_names)}."
                )

    def check_hook_names(self) -> None:
        """Report hook functions whose name no spec defines, and spec names lacking ``@hookimpl``."""
        specs = [*HOOK_TABLES, *STAGE_HOOKS]
        for hook_name, caller in sorted(vars(self.manager.hook).items()):
            if not isinstance(caller, pluggy.HookCaller) or caller.has_spec():
                continue
            for implementation in caller.get_hookimpls():
                if not implementation.opts.get("optionalhook"):
                    closest = closest_names(hook_name, specs, limit=1)
                    hint = f" Did you mean {closest[0]!r}?" if closest else ""
                    self.problem(
                        f"Plugin {implementation.plugin_name!r} implements {hook_name!r}, which is not an "
                        f"amiga-heatmap hook, so it is never called.{hint} "
                        f"The hooks are {known_list(specs)} (docs/plugins.md)."
                    )
        for name, plugin in self.manager.list_name_plugin():
            if self.info[name].source == BUILT_IN:
                continue
            for hook_name in specs:
                function = getattr(plugin, hook_name, None)
                if callable(function) and self.manager.parse_hookimpl_opts(plugin, hook_name) is None:
                    self.problem(
                        f"Plugin {name!r} defines {hook_name} without the @hookimpl decorator, so it is "
                        "never called. Decorate it: 'from amiga_heatmap import hookimpl', then "
                        "'@hookimpl' on the line above the function."
                    )

    # -- registration

    def build(self) -> PluginSet:
        """Call every registration hook, then merge what each surviving plugin registered."""
        plugin_set = PluginSet(manager=self.manager, info=self.info, problems=self.problems,
                               disabled=self.disabled)
        staged = self.call_registration_hooks(plugin_set)
        order = sorted(staged, key=lambda name: (not plugin_set.is_builtin(name), name))
        for plugin in order:
            if plugin in self.info:
                self.merge(plugin_set, plugin, staged[plugin])
        self.build_suffix_table(plugin_set)
        for table in plugin_set.registries().values():
            for name, entry in table.overrides():
                log.info("plugin %r overrides the built-in %s %r of %r", entry.plugin, table.kind, name,
                         entry.replaced.plugin)
        return plugin_set

    def call_registration_hooks(self, plugin_set: PluginSet) -> dict[str, list[tuple[str, Any, bool]]]:
        """Run each plugin's hooks, collecting ``(table, object, override)`` per plugin (checked later, by
        :meth:`merge`). A plugin whose hook raises is unregistered and left out."""
        staged: dict[str, list[tuple[str, Any, bool]]] = {name: [] for name in self.info}
        for hook_name, table_name in HOOK_TABLES.items():
            for implementation in getattr(self.manager.hook, hook_name).get_hookimpls():
                plugin = implementation.plugin_name
                if plugin not in self.info:
                    continue

                def register(item: Any, override: bool = False, _plugin: str = plugin,
                             _name: str = table_name) -> None:
                    staged[_plugin].append((_name, item, bool(override)))

                arguments = {"register": register}
                try:
                    implementation.function(*(arguments[name] for name in implementation.argnames))
                except MISBEHAVIOUR as error:
                    _unless_from_signal(error)
                    if plugin_set.is_builtin(plugin):
                        raise
                    self.drop(plugin, f"Plugin {plugin!r} failed in its {hook_name} hook: "
                                      f"{type(error).__name__}: {error}.", error)
        return staged

    def merge(self, plugin_set: PluginSet, plugin: str, registrations: list[tuple[str, Any, bool]]) -> None:
        """Add one plugin's registrations to the tables (each is checked by :meth:`Registry.add`); a
        registration that is not a component, or a built-in name taken without override, drops the
        plugin; a name another plugin holds is recorded as a conflict, if the plugin is kept."""
        tables = plugin_set.registries()
        builtin = plugin_set.is_builtin(plugin)
        clashes: list[str] = []
        for table_name, item, override in registrations:
            try:
                tables[table_name].add(item, plugin=plugin, builtin=builtin, override=override)
            except NameClashError as clash:
                clashes.append(clash.message)
            except PluginError as error:
                for table in tables.values():
                    table.remove_plugin(plugin)
                self.drop(plugin, error.message)
                return
        plugin_set.conflicts.extend(clashes)

    def build_suffix_table(self, plugin_set: PluginSet) -> None:
        """Give each file suffix its reader: a plugin's reader wins over a built-in's; two plugins'
        readers claiming one suffix are a conflict."""
        for name, entry in plugin_set.readers.entries():
            for suffix in (suffix.lower() for suffix in entry.item.suffixes):
                holder = plugin_set.suffixes.get(suffix)
                holder_plugin = plugin_set.readers.plugin_of(holder) if holder else None
                if holder is None or plugin_set.is_builtin(holder_plugin):
                    plugin_set.suffixes[suffix] = name
                elif not entry.builtin:
                    plugin_set.conflicts.append(
                        f"Plugins {holder_plugin!r} and {entry.plugin!r} both read files ending in {suffix!r}. "
                        "Disable one of them (--disable-plugin NAME)."
                    )

    # -- problems

    def drop(self, plugin: str, message: str, error: BaseException | None = None) -> None:
        """Unregister ``plugin`` and report why it was skipped."""
        self.manager.unregister(name=plugin)
        self.info.pop(plugin, None)
        self.problem(message, plugin=plugin, error=error)

    def problem(self, message: str, plugin: str | None = None, error: BaseException | None = None) -> None:
        """Record a problem; warn about it now unless strict (then run() raises them together)."""
        if plugin is not None:
            message = f"{message} It was skipped; disable it with --disable-plugin {plugin} to silence this."
        self.problems.append(message)
        if error is not None:
            log.info("plugin problem: %s", message, exc_info=error)
        if not self.options.strict:
            warnings.warn(message, PluginWarning, stacklevel=2)

    def _is_disabled(self, name: str) -> bool:
        if name in self.options.disabled:
            self.disabled.append(name)
            return True
        return False


def import_file(path: Path) -> Any:
    """Import the Python file ``path`` as a fresh module (``amiga_heatmap_folder_plugin_<name>``)."""
    module_name = _FOLDER_MODULE_PREFIX + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"Python cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module

