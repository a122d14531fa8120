"""``--kwargs``: renderer options written ``key:value;key:value``, parsed as literals, never evaluated.

A dotted key sets one entry of a nested option: ``cbar_kws.label:Fold change;annot_kws.size:6`` gives
``{"cbar_kws": {"label": "Fold change"}, "annot_kws": {"size": 6}}``, the form ``seaborn.heatmap`` takes.
A renderer lists each nested entry under its dotted name in ``options_accepted`` (``"cbar_kws.label"``),
and :func:`check_accepted` checks the dotted names of nested dicts given from Python the same way.
"""

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
    """Parse a ``--kwargs`` string into a dict of literal values (empty for None or blank text); dotted
    keys build nested dicts (see the module docstring)."""
    if not text:
        return {}
    options: dict[str, Any] = {}
    for key, raw in parse_key_values(text, "--kwargs", "'cmap:viridis;vmin:0;annot:true'"):
        _set_dotted(options, key, parse_literal(raw))
    return options


def _set_dotted(options: dict[str, Any], key: str, value: Any) -> None:
    """Store ``value`` under the dotted ``key`` (``cbar_kws.label``) in ``options``, creating the nested
    dicts; a key given twice, or both whole and dotted, is a UsageError."""
    *outer, last = key.split(".")
    if not all(outer) or not last:
        raise UsageError(
            f"The key {key!r} in --kwargs has an empty part; write e.g. cbar_kws.label:Fold change."
        )
    place = options
    for depth, part in enumerate(outer):
        inner = place.setdefault(part, {})
        if not isinstance(inner, dict):
            whole = ".".join(outer[: depth + 1])
            raise UsageError(f"--kwargs sets {whole!r} and also {key!r} inside it; keep one of them.")
        place = inner
    if last in place:
        again = "twice" if not isinstance(place[last], dict) else "both whole and with dotted keys inside it"
        raise UsageError(f"The key {key!r} is given {again} in --kwargs; keep one of them.")
    place[last] = value


def dotted_items(options: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``options`` flattened to (dotted key, value) pairs: nested dicts become ``outer.inner`` keys (an
    empty nested dict gives none)."""
    items: list[tuple[str, Any]] = []
    for key, value in options.items():
        if isinstance(value, Mapping):
            items.extend((f"{key}.{inner}", leaf) for inner, leaf in dotted_items(value))
        else:
            items.append((str(key), value))
    return items


def check_accepted(options: Mapping[str, Any], accepted: Mapping[str, str], renderer: str) -> None:
    """Raise UsageError for the first key of ``options`` that ``accepted`` does not list. A dict value
    under a key that ``accepted`` does not list whole is checked entry by entry, by dotted name
    (``cbar_kws.label``); a key ``accepted`` lists whole takes any value (the renderer checks it)."""
    for key, value in options.items():
        if key in accepted:
            continue
        for dotted, _ in dotted_items({key: value}):
            if dotted not in accepted:
                raise UsageError(
                    f"The {renderer} renderer does not accept the option {dotted!r} (given in --kwargs)."
                    f"{did_you_mean(dotted, accepted)} It accepts: {known_list(accepted)}."
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
        given = shortened(";".join(f"{key}:{_shown(value)}" for key, value in dotted_items(options)), 200)
        reason = str(error.args[0] if isinstance(error, KeyError) and error.args else error).strip()
        ending = "" if reason.endswith((".", "?", "!")) else "."
        raise UsageError(
            f"The {renderer} renderer cannot draw with the options '{given}' (given in --kwargs): "
            f"{reason}{ending} Check the values; docs/usage.md lists what each option takes."
        ) from error


def _shown(value: Any) -> str:
    """A value as a message shows it: arrays (a mask from Python) by their shape, not every cell."""
    shape = getattr(value, "shape", None)
    return f"<{type(value).__name__} of shape {shape}>" if shape is not None else str(value)
