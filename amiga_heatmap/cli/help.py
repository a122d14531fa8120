"""Click building blocks for the command line: options grouped in ``--help`` by purpose, and a group
that runs ``heatmap`` when no subcommand is named (so ``amiga-heatmap -i ...`` works as in AMiGA)."""

from __future__ import annotations

from typing import Any, ClassVar

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
    """A group that sends arguments naming no subcommand to its default command, and takes the options
    every subcommand shares before the subcommand's name too.

    ``amiga-heatmap -i x.txt ...`` runs ``amiga-heatmap heatmap -i x.txt ...``; ``amiga-heatmap --help``
    shows the default command's help, which lists the other subcommands in its epilog.
    ``amiga-heatmap --plugins-dir lab/ plugins`` runs ``amiga-heatmap plugins --plugins-dir lab/``: the
    :attr:`shared_options` given before a subcommand's name are moved after it, and ``--version`` after
    them runs the ``version`` subcommand.
    """

    default_command = "heatmap"
    version_command = "version"
    shared_options: ClassVar[dict[str, bool]] = {}
    """Each option the subcommands share, and whether it takes a value (set by the command module)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[COMMAND_LINE] = list(args)
        shared = self._leading_shared_options(args)
        rest = args[len(shared):]
        if rest and rest[0] == "--version":
            args = [self.version_command, *shared, *rest[1:]]
        elif rest and rest[0] in self.commands:
            args = [rest[0], *shared, *rest[1:]]
        elif not args or args[0] not in self.commands:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def _leading_shared_options(self, args: list[str]) -> list[str]:
        """The shared options (with their values) at the start of ``args``."""
        taken = 0
        while taken < len(args):
            name, has_value, _ = args[taken].partition("=")
            if name not in self.shared_options:
                break
            taken += 2 if self.shared_options[name] and not has_value else 1
        return args[:min(taken, len(args))]
