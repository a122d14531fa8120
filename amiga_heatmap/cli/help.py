"""Click building blocks for the command line: options grouped in ``--help`` by purpose, and a group
that runs ``heatmap`` when no subcommand is named (so ``amiga-heatmap -i ...`` works as in AMiGA)."""

from __future__ import annotations

from typing import Any

import click

from ..options.sections import SECTION_ORDER

COMMAND_LINE = "amiga_heatmap.command_line"
"""The key of ``click.Context.meta`` holding the arguments as given (for the provenance record)."""


class SectionOption(click.Option):
    """A click option that belongs to a named section of the help text."""

    def __init__(self, *args: Any, section: str = "Other options", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.section = section


class SectionedCommand(click.Command):
    """A command whose ``--help`` lists options under their sections, in the order of
    :data:`~amiga_heatmap.options.sections.SECTION_ORDER` (others after, in first-declared order)."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for parameter in self.get_params(ctx):
            record = parameter.get_help_record(ctx)
            if record is None:
                continue
            sections.setdefault(getattr(parameter, "section", "Other options"), []).append(record)
        known = {title: place for place, title in enumerate(SECTION_ORDER)}
        for title, records in sorted(sections.items(), key=lambda item: known.get(item[0], len(known))):
            with formatter.section(title):
                formatter.write_dl(records)


class DefaultCommandGroup(click.Group):
    """A group that sends arguments naming no subcommand to its default command.

    ``amiga-heatmap -i x.txt ...`` runs ``amiga-heatmap heatmap -i x.txt ...``; ``amiga-heatmap --help``
    shows the default command's help, which lists the other subcommands in its epilog.
    """

    default_command = "heatmap"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[COMMAND_LINE] = list(args)
        if not args or args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)
