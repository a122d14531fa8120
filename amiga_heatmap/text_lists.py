"""Splitting the small ``key:value;key:value`` languages of the command line.

``--subset "Substrate:D-Glucose,L-Arabinose;PM:1"``, ``--kwargs "cmap:viridis;vmin:0"`` and the colour and
highlight options all share one shape: entries separated by ``;``, each a key and a value separated by the
first ``:``, values possibly a ``,``-separated list. Spaces around separators are ignored. A field that
itself holds ``;``, ``:`` or ``,`` is wrapped in double or single quotes: ``Substrate:"Tween 20, 1%"``.
"""

from __future__ import annotations

from .errors import UsageError, shortened

QUOTES = "\"'"


def split_outside_quotes(text: str, separator: str, option: str) -> list[str]:
    """Split ``text`` on ``separator`` wherever it is not inside quotes; quotes are kept.

    Raises UsageError naming ``option`` when a quote is never closed.
    """
    parts: list[str] = []
    current: list[str] = []
    open_quote = ""
    opened_at = 0
    for position, character in enumerate(text):
        if open_quote:
            if character == open_quote:
                open_quote = ""
            current.append(character)
        elif character in QUOTES:
            open_quote, opened_at = character, position
            current.append(character)
        elif character == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(character)
    if open_quote:
        shown, caret = _around(text, opened_at)
        raise UsageError(
            f"The quote opened at character {opened_at + 1} of {option} is never closed:\n"
            f"    {shown}\n    {' ' * caret}^\nClose it with a matching {open_quote}."
        )
    parts.append("".join(current))
    return parts


def _around(text: str, position: int, width: int = 100) -> tuple[str, int]:
    """At most ``width`` characters of ``text`` around ``position`` (cut ends marked ``…``), and where
    ``position`` falls in them."""
    if len(text) <= width:
        return text, position
    first = max(0, min(position - width // 2, len(text) - width))
    start, end = ("\u2026" if first else ""), ("\u2026" if first + width < len(text) else "")
    return start + text[first : first + width] + end, position - first + bool(first)


def unquote(field: str) -> str:
    """Strip surrounding white space, then one pair of matching surrounding quotes."""
    field = field.strip()
    if len(field) >= 2 and field[0] in QUOTES and field[-1] == field[0]:
        return field[1:-1]
    return field


def parse_key_values(text: str, option: str, example: str) -> list[tuple[str, str]]:
    """Parse ``key:value;key:value`` into (key, raw value) pairs, in order; empty entries are skipped.

    The raw value keeps its quotes so a caller can split it further. Raises UsageError naming
    ``option`` and showing ``example`` when an entry has no ``:`` or an empty key.
    """
    pairs: list[tuple[str, str]] = []
    for entry in split_outside_quotes(text, ";", option):
        if not entry.strip():
            continue
        pieces = split_outside_quotes(entry, ":", option)
        key = unquote(pieces[0])
        if len(pieces) < 2 or not key:
            raise UsageError(
                f"Cannot read {shortened(entry.strip())!r} in {option}: each entry is KEY:VALUE, entries are "
                f"separated by ';' (for example {example}). Quote a key or value that holds ':' or ';'."
            )
        pairs.append((key, ":".join(pieces[1:]).strip()))
    return pairs


def split_values(raw: str, option: str) -> list[str]:
    """Split a ``,``-separated value list, unquoting each value and dropping empty ones."""
    return [unquote(value) for value in split_outside_quotes(raw, ",", option) if unquote(value)]
