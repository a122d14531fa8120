"""``amiga-heatmap convert INPUT OUTPUT``: summaries written once as Parquet, so that later renders read
a few columns instead of parsing text (:mod:`amiga_heatmap.output.parquet_storage`)."""

from __future__ import annotations

import sys
from contextlib import nullcontext

import click

from ..options.sections import GENERAL, INPUT
from .commands import main, option, report, reports_errors, with_plugin_options
from .help import SectionedCommand

STEPS = 100
"""Progress-bar steps per Parquet file: reading, storing each column, writing."""


@main.command(
    "convert",
    cls=SectionedCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Then render from the copy: amiga-heatmap -i OUTPUT.parquet -x ... -y ... -v ...",
)
@click.argument("input_path", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@option("--allow-duplicate-wells", is_flag=True, section=INPUT,
        help="Accept input files that hold the same wells (a folder converted to one file).")
@with_plugin_options
@option("--verbose", is_flag=True, section=GENERAL, help="Report every stage; show tracebacks on errors.")
@reports_errors
def convert_command(input_path: str, output: str, allow_duplicate_wells: bool, verbose: bool) -> None:
    """Write the summaries of INPUT (a file or a folder) as Parquet: OUTPUT.parquet, or for a folder
    either one OUTPUT.parquet or a folder OUTPUT of one Parquet file per summary.

    \b
    Labels stay exactly as written and numbers keep every bit (docs/usage.md, "Parquet").
    The input is never changed; nothing half-written is left on an error or Ctrl-C.
    A progress bar shows on a terminal.
    """
    from ..output.parquet_storage import convert, plan_conversion
    from ..plugin_system.active import get_plugins

    plugins = get_plugins()
    conversions = plan_conversion(input_path, output, plugins)
    shown = sys.stderr.isatty()
    bar = click.progressbar(length=STEPS * len(conversions), label="Converting", file=sys.stderr) if shown \
        else nullcontext()
    written = []
    with bar:
        for conversion in conversions:
            shown_steps = [0]

            def advance(done: int, total: int, shown_steps: list[int] = shown_steps) -> None:
                steps = STEPS * done // max(total, 1)
                bar.update(steps - shown_steps[0])
                shown_steps[0] = steps

            table = convert(conversion, plugins, allow_duplicate_wells, advance if shown else None)
            written.append(f"Wrote {conversion.target} ({_described(table)}).")
    report("\n".join(written))


def _described(table) -> str:
    """``1,536,000 rows; 49 columns: 6 whole-number, 37 float, 6 text``."""
    import pyarrow as pa

    kinds = {"whole-number": 0, "float": 0, "text": 0}
    for field in table.schema:
        kind = "whole-number" if pa.types.is_integer(field.type) else "float" if pa.types.is_floating(field.type) \
            else "text"
        kinds[kind] += 1
    shown = ", ".join(f"{count} {kind}" for kind, count in kinds.items() if count)
    return f"{table.num_rows:,} rows; {table.num_columns} columns: {shown}"
