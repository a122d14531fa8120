"""The exceptions amiga-heatmap raises for problems a user can fix.

Every error carries a one-paragraph message that names what is wrong and how to fix it. The command line
prints that message (no traceback unless ``--verbose``) and exits with the error's ``exit_code``:

- ``UsageError`` (2): the command was written wrongly (an option, or the syntax of a subset, filter,
  keyword argument list, colour scheme or highlight list).
- ``DataError`` (1): the command is well formed but the data cannot give what it asks (a missing path,
  no summary files, a missing column, a non-numeric value, an empty selection).
- ``PluginError`` (3): a plugin failed to load or to register, or raised while running.

This module imports nothing heavy, so the command line can raise and catch these before pandas loads.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


class AmigaHeatmapError(Exception):
    """Base class of every error meant for the user rather than for a traceback."""

    exit_code = 1

    @property
    def message(self) -> str:
        """The user-facing text of the error."""
        return str(self.args[0]) if self.args else self.__class__.__name__


class UsageError(AmigaHeatmapError):
    """The command or call is written wrongly: fix the option or expression it names."""

    exit_code = 2


class DataError(AmigaHeatmapError):
    """The input data cannot give what was asked for."""

    exit_code = 1


class PluginError(AmigaHeatmapError):
    """A plugin could not be loaded or registered, or raised inside a hook."""

    exit_code = 3


def closest_names(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Return up to ``limit`` of ``candidates`` that look most like ``name``, best first.

    Matching ignores case. If nothing is similar enough, the list is empty.
    """
    candidates = [str(candidate) for candidate in candidates]
    by_folded = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    matches = difflib.get_close_matches(name.casefold(), list(by_folded), n=limit, cutoff=0.5)
    return [by_folded[match] for match in matches]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A sentence suggesting the closest of ``candidates`` to ``name``, or ``""`` when none is close."""
    matches = closest_names(name, candidates)
    if not matches:
        return ""
    return " Did you mean " + " or ".join(repr(match) for match in matches) + "?"


KNOWN_SHOWN = 20
"""How many names :func:`known_list` shows before counting the rest."""
LISTED_SHOWN = 5
"""How many items :func:`listed` shows before counting the rest."""


def known_list(names: Iterable[str]) -> str:
    """Format a collection of known names for an error message: ``'a', 'b', 'c'`` (sorted); past
    :data:`KNOWN_SHOWN` names, the rest are counted (``... and 980 more``)."""
    return listed(sorted(names, key=str), KNOWN_SHOWN, repr)


def listed(items: Iterable[object], limit: int = LISTED_SHOWN, text: Callable[[object], str] = str,
           separator: str = ", ", longest: int | None = 60) -> str:
    """The first ``limit`` of ``items`` for a message, each through ``text`` and cut to ``longest``
    characters by :func:`shortened` (None: not cut), joined by ``separator``; the rest counted:
    ``'a', 'b' and 9,998 more``. Keeps a message short however many items there are."""
    items = list(items)
    shown = separator.join(
        text(item) if longest is None else shortened(text(item), longest) for item in items[:limit]
    )
    rest = len(items) - limit
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def shortened(label: object, limit: int = 60) -> str:
    """``label`` as text for a message, cut to ``limit`` characters (saying how long it was) so that a
    10,000-character label cannot swamp the message."""
    text = str(label)
    return text if len(text) <= limit else f"{text[: limit - 1]}\u2026 ({len(text):,} characters)"


def shown_path(path: object, limit: int = 160) -> str:
    """``path`` quoted for a message; a path longer than ``limit`` characters keeps its start and its
    end (the file name), the middle cut out, so that a deeply nested path stays readable."""
    text = str(path)
    if len(text) <= limit:
        return repr(text)
    keep = (limit - 1) // 2
    return f"{text[:keep]!r}\u2026{text[-keep:]!r} ({len(text):,} characters)"
