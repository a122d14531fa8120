"""Name tables built from the plugins' ``register`` calls, with explicit clash and override rules.

One table per kind of component (readers, aggregators, ...). A name belongs to one plugin: a second plugin
claiming it is an error naming both, except that a plugin may replace a built-in on purpose
(``override=True``); the table remembers what was replaced, so ``amiga-heatmap plugins`` can show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..errors import PluginError, UsageError, did_you_mean, known_list

Item = TypeVar("Item")


class NameClashError(PluginError):
    """Two third-party plugins claim one name. Neither can be preferred (plugins load in no defined
    order), so this stops every run until the user disables or uninstalls one of them."""


@dataclass(frozen=True)
class Entry(Generic[Item]):
    """One registered object with the plugin that provided it and the built-in it replaced, if any."""

    item: Item
    plugin: str
    builtin: bool
    replaced: Entry[Item] | None = None


class Registry(Generic[Item]):
    """A table of named objects of one kind (e.g. aggregators), filled through ``register`` callbacks.

    ``kind`` is the human name used in messages ("aggregator"); ``key`` extracts the name an object is
    registered under (``lambda aggregator: aggregator.name``); ``item_type`` is the component class every
    registered object must be an instance of.
    """

    def __init__(self, kind: str, key: Callable[[Item], str], item_type: type[Item]):
        self.kind = kind
        self.item_type = item_type
        self._key = key
        self._entries: dict[str, Entry[Item]] = {}

    def check(self, item: Any, plugin: str) -> None:
        """Raise PluginError unless ``item`` is an object this table holds, with a non-empty text name."""
        if not isinstance(item, self.item_type):
            raise PluginError(
                f"Plugin {plugin!r} registered {item!r} as a {self.kind}, but a {self.kind} must be an "
                f"amiga_heatmap.components.{self.item_type.__name__}. Build one with "
                f"{self.item_type.__name__}(...) and register that."
            )
        name = self._key(item)
        if not isinstance(name, str) or not name.strip():
            raise PluginError(f"Plugin {plugin!r} registered a {self.kind} without a name: {item!r}.")

    def add(self, item: Item, *, plugin: str, builtin: bool, override: bool = False) -> None:
        """Add ``item`` on behalf of ``plugin`` (``builtin``: whether that plugin ships with amiga-heatmap).

        Raises NameClashError when another non-built-in plugin already holds the name, and PluginError
        when ``item`` is not of this table's type or its name is a built-in's and ``override`` is False.
        """
        self.check(item, plugin)
        name = self._key(item)
        existing = self._entries.get(name)
        if existing is None:
            self._entries[name] = Entry(item, plugin, builtin)
            return
        if existing.builtin and not builtin and override:
            self._entries[name] = Entry(item, plugin, builtin, replaced=existing)
            return
        if existing.builtin and not builtin:
            raise PluginError(
                f"Plugin {plugin!r} registers the {self.kind} {name!r}, which the built-in plugin "
                f"{existing.plugin!r} already provides. To replace the built-in on purpose, call "
                f"register(..., override=True); otherwise choose another name."
            )
        raise NameClashError(
            f"Plugins {existing.plugin!r} and {plugin!r} both register the {self.kind} {name!r}. "
            f"Uninstall or disable one of them (--disable-plugin NAME), or rename one of the {self.kind}s."
        )

    def remove_plugin(self, plugin: str) -> None:
        """Take out everything ``plugin`` added, putting back the built-ins it replaced."""
        for name, entry in list(self._entries.items()):
            if entry.plugin != plugin:
                continue
            if entry.replaced is None:
                del self._entries[name]
            else:
                self._entries[name] = entry.replaced

    def get(self, name: str, option: str | None = None) -> Item:
        """Return the object registered as ``name``.

        An unknown name raises UsageError naming ``option`` (the command-line option that asked for it,
        if any), the closest known names and every known name.
        """
        entry = self._entries.get(name)
        if entry is not None:
            return entry.item
        where = f" (given to {option})" if option else ""
        raise UsageError(
            f"Unknown {self.kind} {name!r}{where}.{did_you_mean(name, self._entries)} "
            f"Known {self.kind}s: {known_list(self._entries)}. Plugins can add more; "
            f"'amiga-heatmap plugins' lists what is installed."
        )

    def plugin_of(self, name: str) -> str:
        """The name of the plugin that provided the object registered as ``name``."""
        return self._entries[name].plugin

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        return sorted(self._entries)

    def entries(self) -> Iterator[tuple[str, Entry[Item]]]:
        """Every (name, entry) pair, sorted by name."""
        return iter(sorted(self._entries.items()))

    def overrides(self) -> Iterator[tuple[str, Entry[Item]]]:
        """The (name, entry) pairs whose entry replaced a built-in on purpose, sorted by name."""
        return ((name, entry) for name, entry in self.entries() if entry.replaced is not None)

    def as_dict(self) -> dict[str, Item]:
        """A plain ``name -> object`` mapping."""
        return {name: entry.item for name, entry in self._entries.items()}

    def __contains__(self, name: Any) -> bool:
        return name in self._entries

    def __len__(self) -> int:
        return len(self._entries)
