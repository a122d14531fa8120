"""Name tables built from the plugins' ``register`` calls, with explicit clash and override rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import PluginError, UsageError, did_you_mean, known_list

Item = TypeVar("Item")


@dataclass(frozen=True)
class Entry(Generic[Item]):
    """One registered object with the plugin that provided it and the built-in it replaced, if any."""

    item: Item
    plugin: str
    builtin: bool
    replaced: str | None = None


class Registry(Generic[Item]):
    """A table of named objects of one kind (e.g. aggregators), filled through ``register`` callbacks.

    ``kind`` is the human name used in messages ("aggregator"); ``key`` extracts the name an object is
    registered under (``lambda aggregator: aggregator.name``).
    """

    def __init__(self, kind: str, key: Callable[[Item], str]):
        self.kind = kind
        self._key = key
        self._entries: dict[str, Entry[Item]] = {}

    def callback(self, plugin: str, builtin: bool) -> Callable[..., None]:
        """Return the ``register(obj, override=False)`` function handed to ``plugin``'s hook.

        Raises PluginError when the name is already taken by another non-built-in plugin, or by a
        built-in without ``override=True``.
        """

        def register(item: Item, override: bool = False) -> None:
            self.add(item, plugin=plugin, builtin=builtin, override=override)

        return register

    def add(self, item: Item, *, plugin: str, builtin: bool, override: bool = False) -> None:
        """Add ``item`` on behalf of ``plugin``; see :meth:`callback` for the clash rules."""
        name = self._key(item)
        existing = self._entries.get(name)
        if existing is None:
            self._entries[name] = Entry(item, plugin, builtin)
            return
        if existing.builtin and not builtin and override:
            self._entries[name] = Entry(item, plugin, builtin, replaced=existing.plugin)
            return
        if existing.builtin and not builtin:
            raise PluginError(
                f"Plugin {plugin!r} registers the {self.kind} {name!r}, which the built-in plugin "
                f"{existing.plugin!r} already provides. To replace the built-in on purpose, call "
                f"register(..., override=True); otherwise choose another name."
            )
        raise PluginError(
            f"Plugins {existing.plugin!r} and {plugin!r} both register the {self.kind} {name!r}. "
            f"Uninstall or disable one of them (--disable-plugin NAME), or rename one of the {self.kind}s."
        )

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

    def as_dict(self) -> dict[str, Item]:
        """A plain ``name -> object`` mapping."""
        return {name: entry.item for name, entry in self._entries.items()}

    def __contains__(self, name: Any) -> bool:
        return name in self._entries

    def __len__(self) -> int:
        return len(self._entries)
