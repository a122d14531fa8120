"""The renderer a run writes with, and every check of what is asked of it, in one place:
:func:`checked_renderer`. The command line, :meth:`HeatmapResult.save` and :meth:`HeatmapResult.figure`
all call it, before any data is read (the command line) or drawn. Only the command line passes the
spec: there its options were asked for that one output, while a result computed in Python may be saved
in several formats (a TSV of a result with colour strips holds the numbers).

Checked, in order: the renderer writes the format (or is named); each option given by a flag is one the
renderer accepts and the renderer has the capability the flag's declaration ``needs``
(``--show-dendrogram`` needs ``"dendrograms"``); each ``--kwargs`` key is one it accepts; each pipeline
option of the spec that needs a capability (``--color-x-by`` needs ``"colour_strips"``) finds it; the
declared checks of the given options; the renderer's own ``check_options``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, known_list
from .declaration import Option, flag_of, option_label
from .pipeline_options import PIPELINE_OPTIONS

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline.spec import HeatmapSpec
    from ..plugin_system.components import Renderer
    from ..plugin_system.plugin_set import PluginSet


def checked_renderer(
    plugins: PluginSet,
    options: Mapping[str, Any],
    *,
    file_format: str | None = None,
    renderer: str | None = None,
    spec: HeatmapSpec | None = None,
    flags: Mapping[str, Option] | None = None,
) -> Renderer:
    """The renderer writing ``file_format`` (``renderer`` if named; with ``file_format`` None, the
    renderer ``renderer`` for an in-memory figure), checked against what the run asks of it.

    ``options`` are the renderer options (``--kwargs`` and flags together); ``flags`` maps each key set
    by a flag to the declaration of that flag; ``spec`` is the run's spec, whose options may need
    capabilities. Raises UsageError naming the renderer and the option (see the module docstring).
    """
    from ..rendering.kwargs import check_accepted, dotted_items

    flags = flags or {}
    if file_format is None:
        chosen = plugins.renderers.get(renderer, option="--renderer")
    else:
        chosen = plugins.renderer_for_format(file_format, renderer)
    for key, declaration in flags.items():
        if chosen.option(key) is None:
            raise UsageError(
                f"{declaration.flag} is a figure option, but the {chosen.name!r} renderer{_writing(file_format)} "
                f"does not accept it; it accepts {known_list(chosen.options_accepted) or 'no options'}. Leave "
                f"{declaration.flag} out, or choose a renderer that accepts it: "
                f"{_able(plugins, lambda other, key=key: other.option(key) is not None)}."
            )
        _check_capability(plugins, chosen, declaration, declaration.flag, file_format)
    check_accepted({key: value for key, value in options.items() if key not in flags}, chosen.options_accepted,
                   chosen.name)
    if spec is not None:
        for option in PIPELINE_OPTIONS:
            if option.needs is not None and spec.value_of(option.name):
                _check_capability(plugins, chosen, option, option_label(option, _SET_BY.get(option.name)), file_format)
    for key, value in options.items():  # a nested dict is checked entry by entry (cbar_kws.label)
        entries = [(key, value)] if chosen.option(key) is not None else dotted_items({key: value})
        for name, entry in entries:
            chosen.option(name).checked(entry, flags[name].flag if name in flags else flag_of(chosen.options, name))
    if chosen.check_options is not None:
        chosen.check_options(options, file_format)
    return chosen


_SET_BY = {"values": "a second -v"}  # pipeline options set by another option's flag, as messages name them


def _check_capability(plugins: PluginSet, chosen: Renderer, option: Option, label: str,
                      file_format: str | None) -> None:
    from ..plugin_system.components import CAPABILITIES

    if option.needs is None or option.needs in chosen.capabilities:
        return
    raise UsageError(
        f"{label} needs a renderer that draws {CAPABILITIES[option.needs]}, but the {chosen.name!r} "
        f"renderer{_writing(file_format)} does not. Leave {label} out, or choose a renderer that does: "
        f"{_able(plugins, lambda other: option.needs in other.capabilities)}."
    )


def _writing(file_format: str | None) -> str:
    return f" (writing --format {file_format})" if file_format else ""


def _able(plugins: PluginSet, accepts: Any) -> str:
    """The renderers for which ``accepts(renderer)`` holds, each with its formats: ``seaborn (--format
    pdf, png, svg)``; ``none is installed`` when there is none."""
    able = [
        f"{entry.item.name} (--format {', '.join(entry.item.formats)})"
        for _, entry in plugins.renderers.entries()
        if accepts(entry.item)
    ]
    return ", ".join(able) if able else "none is installed"
