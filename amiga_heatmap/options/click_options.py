"""Click options generated from :class:`~.declaration.Option` declarations, and the renderer options a
command line gives through them.

:func:`click_option` turns one declaration into a :class:`DeclaredOption` (placed in its ``--help``
section, its help written as a sentence). :func:`renderer_flag_options` collects the declarations with
flags of every renderer a plugin set holds (built-in and plugin ones: that is how a plugin adds
command-line options); :func:`renderer_flag_values` turns their parsed values back into renderer
options. Importing this module imports click only.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, MutableMapping
from typing import TYPE_CHECKING, Any

import click

from .declaration import Option, sentence

if TYPE_CHECKING:  # pragma: no cover
    from ..plugin_system.plugin_set import PluginSet

RENDERER_PREFIX = "renderer_option__"


class DeclaredOption(click.Option):
    """A click option made from a declaration (``declaration``), listed in ``--help`` under
    ``section``."""

    def __init__(self, declaration: Option, parameter: str, **kwargs: Any):
        super().__init__([*declaration.flags, parameter], **kwargs)
        self.declaration = declaration
        self.section = declaration.section


def click_option(option: Option, parameter: str | None = None) -> DeclaredOption:
    """The click option of ``option``; the command receives its value as the keyword ``parameter``
    (default: the option's name)."""
    settings: dict[str, Any] = {
        "help": sentence(option.flag_help or option.help),
        "metavar": option.metavar,
        "required": option.required,
        "show_default": option.show_default,
    }
    if option.is_flag:
        settings.update(is_flag=True, default=False)
    else:
        if option.default is not None and (option.show_default or option.multiple):
            settings["default"] = option.default
        settings["multiple"] = option.multiple
        if option.choices:
            settings["type"] = click.Choice(list(option.choices))
        elif option.value_type is not None:
            settings["type"] = option.value_type
        if len(option.sets) > 1:
            settings["nargs"] = len(option.sets)
    return DeclaredOption(option, parameter or option.name, **settings)


def renderer_parameter(option: Option) -> str:
    """The keyword a command receives a renderer option's flag value as (apart from the pipeline's)."""
    return RENDERER_PREFIX + option.name


def renderer_flag_options(plugins: PluginSet, taken: Iterable[str]) -> list[Option]:
    """The declarations with flags of the renderers in ``plugins``, one per flag (the first renderer
    declaring a flag owns it), leaving out flags in ``taken`` (the command's own) with a warning."""
    from ..plugin_system.plugin_set import PluginWarning

    seen = set(taken)
    chosen: list[Option] = []
    for _, entry in plugins.renderers.entries():
        for option in entry.item.options:
            if not option.flags:
                continue
            clashing = [flag for flag in option.flags if flag in seen]
            if clashing:
                warnings.warn(
                    f"The renderer {entry.item.name!r} declares the flag {clashing[0]} for its option "
                    f"{option.name!r}, but another option has that flag; give {option.name} in --kwargs instead.",
                    PluginWarning,
                    stacklevel=2,
                )
                continue
            seen.update(option.flags)
            chosen.append(option)
    return chosen


def renderer_flag_values(
    declarations: Iterable[Option], values: MutableMapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Option]]:
    """Take the values of the renderer flags ``declarations`` out of the command's ``values``.

    Returns the renderer options they set (``--width-height 8 6`` -> ``{"width": 8.0, "height": 6.0}``)
    and, for each key set, the declaration of its flag (for messages). Flags not given set nothing.
    """
    options: dict[str, Any] = {}
    flags: dict[str, Option] = {}
    for option in declarations:
        value = values.pop(renderer_parameter(option), None)
        if value is None or value is False or value == ():
            continue
        given = tuple(value) if len(option.keys) > 1 else (value,)
        for key, item in zip(option.keys, given):
            options[key] = item
            flags[key] = option
    return options, flags
