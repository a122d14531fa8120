"""What ``amiga-heatmap plugins`` prints: every active plugin, where it came from and what it provides.

:func:`describe_plugins` turns a :class:`~amiga_heatmap.plugin_system.plugin_set.PluginSet` into plain data (the
``--json`` output); :func:`format_plugins` writes that data as text for people. Neither imports pandas,
numpy or matplotlib, and nothing a plugin provides is called: only names, suffixes, formats and
descriptions are read.
"""

from __future__ import annotations

from typing import Any

from ..options.declaration import flag_of
from .components import Aggregator, Annotation, Engine, Operator, Quantifier, Reader, Renderer, Transform
from .plugin_set import PluginSet
from .stage_calls import STAGE_HOOKS

KIND_ORDER = (
    "engines", "readers", "annotations", "aggregators", "transforms", "quantifiers", "operators", "renderers",
)


def component_record(component: Any) -> dict[str, Any]:
    """The listed facts of one registered object: its name (an operator's symbol) and description, and
    a reader's suffixes, a quantifier's or aggregator's parameters, a renderer's formats, capabilities and
    options (each ``{"name", "description", "flags"}``) or an annotation's keys and added columns."""
    if isinstance(component, Operator):
        return {"symbol": component.symbol, "description": component.description}
    record: dict[str, Any] = {"name": component.name, "description": component.description}
    if isinstance(component, Reader):
        record["suffixes"] = list(component.suffixes)
    elif isinstance(component, (Quantifier, Aggregator, Transform)):
        record["parameters"] = list(component.parameters)
    elif isinstance(component, Renderer):
        record["formats"] = list(component.formats)
        record["options"] = [
            {"name": option.name, "description": option.help,
             "flags": list(option.flags) or [flag for flag in (flag_of(component.options, option.name),) if flag]}
            for option in sorted(component.options, key=lambda option: option.name)
        ]
        record["capabilities"] = sorted(component.capabilities)
    elif isinstance(component, Annotation):
        record["keys"] = list(component.keys)
        record["adds"] = list(component.adds)
    elif isinstance(component, Engine):
        record["options"] = [{"name": option.name, "description": option.help, "flags": ["--engine-option"]}
                             for option in component.options]
    else:
        raise TypeError(f"not a plugin component: {component!r}")
    return record


def describe_plugins(plugin_set: PluginSet) -> dict[str, Any]:
    """The plugins of ``plugin_set`` as JSON-ready data.

    ``{"plugins": [...], "disabled": [...], "problems": [...], "conflicts": [...]}``; each plugin is
    ``{"name", "version", "source", "origin", "hooks", "provides", "overrides"}`` where ``provides`` maps
    each kind (``readers``, ``aggregators``, ...) it registered to its records (see
    :func:`component_record`; a built-in's record replaced by another plugin carries ``overridden_by``),
    and ``overrides`` lists ``{"kind", "name", "replaces"}`` for each built-in it replaced.
    """
    plugins: dict[str, dict[str, Any]] = {
        name: {
            "name": name,
            "version": info.version,
            "source": info.source,
            "origin": info.origin,
            "hooks": sorted(
                caller.name for caller in plugin_set.manager.get_hookcallers(plugin_set.manager.get_plugin(name)) or []
            ),
            "provides": {},
            "overrides": [],
        }
        for name, info in plugin_set.info.items()
    }
    for kind, table in plugin_set.registries().items():
        for name, entry in table.entries():
            plugins[entry.plugin]["provides"].setdefault(kind, []).append(component_record(entry.item))
            if entry.replaced is not None:
                plugins[entry.plugin]["overrides"].append(
                    {"kind": table.kind, "name": name, "replaces": entry.replaced.plugin}
                )
                replaced = {**component_record(entry.replaced.item), "overridden_by": entry.plugin}
                plugins[entry.replaced.plugin]["provides"].setdefault(kind, []).append(replaced)
    for plugin in plugins.values():
        plugin["provides"] = {
            kind: sorted(plugin["provides"][kind], key=lambda record: record.get("name", record.get("symbol")))
            for kind in KIND_ORDER
            if kind in plugin["provides"]
        }
    return {
        "plugins": list(plugins.values()),
        "disabled": sorted(set(plugin_set.disabled)),
        "problems": list(plugin_set.problems),
        "conflicts": list(plugin_set.conflicts),
    }


def component_text(kind: str, record: dict[str, Any]) -> str:
    """One provided object in a line of the text listing, e.g. ``amiga-text (.txt, .tsv)``."""
    if kind == "operators":
        text = record["symbol"]
    elif kind in ("quantifiers", "aggregators", "transforms") and record["parameters"]:
        text = f"{record['name']}({', '.join(record['parameters'])})"
    else:
        text = record["name"]
    if kind == "readers":
        text += f" ({', '.join(record['suffixes'])})"
    elif kind == "renderers":
        text += f" ({', '.join(record['formats'])})"
    elif kind == "annotations":
        text += f" ({', '.join(record['keys'])} -> {', '.join(record['adds'])})"
    if "overridden_by" in record:
        text += f" [overridden by {record['overridden_by']}]"
    return text


def renderer_lines(record: dict[str, Any]) -> list[str]:
    """The lines under a renderer in the text listing: what it draws, then each option with its flags
    and explanation."""
    lines = []
    if record["capabilities"]:
        lines.append(f"      {record['name']} draws: {', '.join(record['capabilities'])}")
    if record["options"]:
        lines.append(f"      {record['name']} options (--kwargs KEY:VALUE, or the flag):")
    for option in record["options"]:
        flags = f" ({', '.join(option['flags'])})" if option["flags"] else ""
        lines.append(f"        {option['name']}{flags}: {option['description']}")
    return lines


def engine_lines(record: dict[str, Any]) -> list[str]:
    """The lines under an engine in the text listing: each of its settings with its explanation."""
    if not record["options"]:
        return []
    return [f"      {record['name']} settings (--engine-option KEY=VALUE):",
            *(f"        {option['name']}: {option['description']}" for option in record["options"])]


def format_plugins(description: dict[str, Any]) -> str:
    """The text listing of :func:`describe_plugins`'s data: one block per plugin, then what was
    disabled, the problems and the conflicts."""
    lines: list[str] = []
    for plugin in description["plugins"]:
        version = f" {plugin['version']}" if plugin["version"] else ""
        lines.append(f"{plugin['name']}{version} ({plugin['source']}: {plugin['origin']})")
        for kind, records in plugin["provides"].items():
            lines.append(f"    {kind}: {', '.join(component_text(kind, record) for record in records)}")
            if kind == "renderers":
                lines.extend(line for record in records for line in renderer_lines(record))
            if kind == "engines":
                lines.extend(line for record in records for line in engine_lines(record))
        stages = [hook for hook in STAGE_HOOKS if hook in plugin["hooks"]]
        if stages:
            lines.append(f"    stage hooks: {', '.join(stages)}")
        for override in plugin["overrides"]:
            lines.append(
                f"    overrides the built-in {override['kind']} {override['name']!r} of {override['replaces']}"
            )
        if not plugin["provides"] and not stages:
            lines.append("    provides nothing")
    if description["disabled"]:
        lines.append(f"Disabled: {', '.join(description['disabled'])}")
    for heading, key in (("Problems", "problems"), ("Conflicts", "conflicts")):
        if description[key]:
            lines.append(f"{heading}:")
            lines.extend(f"  - {message}" for message in description[key])
    return "\n".join(lines)
