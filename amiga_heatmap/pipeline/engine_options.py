"""``--engine-option KEY=VALUE``: the settings of the chosen engine, checked against its declarations
before any data is read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, closest_names, known_list

if TYPE_CHECKING:  # pragma: no cover
    from ..plugin_system.components import Engine

FLAG = "--engine-option"


def parse_engine_options(engine: Engine, given: Sequence[str] | Mapping[str, object]) -> dict[str, Any]:
    """The checked settings ``given`` for ``engine``: ``KEY=VALUE`` texts (the command line) or a
    mapping (Python), each key one of ``engine.options`` and its value converted by that option's
    ``check``. Raises UsageError for text without ``=``, a key the engine does not declare (naming
    the keys it does), or a value its check refuses."""
    pairs: list[tuple[str, object]] = []
    if isinstance(given, Mapping):
        pairs = [(str(key), value) for key, value in given.items()]
    else:
        for text in given:
            key, equals, value = str(text).partition("=")
            if not equals or not key.strip():
                raise UsageError(
                    f"{FLAG} {text!r} is not KEY=VALUE; write the setting's name, '=' and its value, e.g. "
                    f"{FLAG} memory_limit=2GB."
                )
            pairs.append((key.strip(), value.strip()))
    checked: dict[str, Any] = {}
    for key, value in pairs:
        option = engine.option(key)
        if option is None:
            names = [declared.name for declared in engine.options]
            if not names:
                raise UsageError(f"The {engine.name!r} engine takes no {FLAG} settings, so {key!r} cannot be set.")
            near = closest_names(key, names)
            hint = f" Did you mean {' or '.join(map(repr, near))}?" if near else ""
            raise UsageError(
                f"The {engine.name!r} engine has no setting {key!r} ({FLAG}); its settings are "
                f"{known_list(names)}.{hint}"
            )
        checked[key] = option.check(f"{FLAG} {key}", value) if option.check is not None else value
    return checked
