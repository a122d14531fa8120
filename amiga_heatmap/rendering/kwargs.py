"""``--kwargs``: renderer options written ``key:value;key:value``, parsed as literals, never evaluated."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..errors import UsageError, did_you_mean, known_list, shortened
from ..text_lists import parse_key_values, unquote

_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|nan)", re.IGNORECASE)
_WORDS = {"true": True, "false": False, "none": None, "null": None}


def parse_literal(text: str) -> Any:
    """Turn one option value into a Python value.

    ``true``/``false`` (any case) become booleans, ``none``/``null`` None, whole numbers int, other
    numbers float; anything else, and any quoted value, stays text (quotes removed).
    """
    text = text.strip()
    unquoted = unquote(text)
    if unquoted != text:  # it was quoted
        return unquoted
    folded = text.lower()
    if folded in _WORDS:
        return _WORDS[folded]
    if _INTEGER.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def parse_kwargs(text: str | None) -> dict[str, Any]:
    """Parse a ``--kwargs`` string into a dict of literal values (empty for None or blank text)."""
    if not text:
        return {}
    options: dict[str, Any] = {}
    for key, raw in parse_key_values(text, "--kwargs", "'cmap:viridis;vmin:0;annot:true'"):
        if key in options:
            raise UsageError(f"The key {key!r} is given twice in --kwargs; keep one of them.")
        options[key] = parse_literal(raw)
    return options


def check_accepted(options: Mapping[str, Any], accepted: Mapping[str, str], renderer: str) -> None:
    """Raise UsageError for the first key of ``options`` that ``accepted`` does not list."""
    for key in options:
        if key not in accepted:
            raise UsageError(
                f"The {renderer} renderer does not accept the option {key!r} (given in --kwargs)."
                f"{did_you_mean(key, accepted)} It accepts: {known_list(accepted)}."
            )


@contextmanager
def option_values_checked(options: Mapping[str, Any], renderer: str) -> Iterator[None]:
    """Inside this block, a ValueError, TypeError or KeyError raised while drawing with user ``options``
    becomes a UsageError naming them (exit status 2), since a value the drawing library rejects
    (``cmap:nonexistent``, ``vmin:abc``, ``fmt:.2q``) is the user's to fix, not a plugin bug.

    Without options the exception passes unchanged (the caller reports it as a plugin failure).
    """
    try:
        yield
    except (ValueError, TypeError, KeyError) as error:
        if not options:
            raise
        given = shortened(";".join(f"{key}:{value}" for key, value in options.items()), 200)
        reason = str(error.args[0] if isinstance(error, KeyError) and error.args else error).strip()
        ending = "" if reason.endswith((".", "?", "!")) else "."
        raise UsageError(
            f"The {renderer} renderer cannot draw with the options '{given}' (given in --kwargs): "
            f"{reason}{ending} Check the values; docs/usage.md lists what each option takes."
        ) from error
