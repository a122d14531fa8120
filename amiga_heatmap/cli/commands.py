"""The ``amiga-heatmap`` command line: AMiGA's ``heatmap`` options and more, over :func:`api.heatmap`.

Importing this module imports click and nothing heavy; pandas and matplotlib load only when a heatmap is
actually built, so ``--help`` is instant.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any

import click

from .. import ending_signals
from ..ending_signals import INTERRUPTED
from ..errors import AmigaHeatmapError
from ..system_faults import system_fault, unexpected_fault
from .figure_flags import FigureFlags, figure_options
from .help import COMMAND_LINE, DefaultCommandGroup, SectionedCommand, SectionOption

INPUT = "Input and selection"
MATRIX = "Matrix"
STATISTICS = "Statistics"
OUTPUT = "Output"
DRAWING = "Drawing"
PLUGINS = "Plugins"
GENERAL = "General"


def option(*names: str, section: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``click.option`` placing the option in a ``--help`` section."""
    return click.option(*names, cls=SectionOption, section=section, **kwargs)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``command`` turning amiga-heatmap's errors into a one-paragraph message and exit status.

    Warnings are printed as ``Warning: ...`` lines, except libraries' deprecation notices, which are
    for developers; they come before the error they may explain. With ``verbose=True`` every stage is
    logged and errors show their full traceback.
    """

    @functools.wraps(command)
    def run(*args: Any, verbose: bool = False, **kwargs: Any) -> Any:
        configure_logging(verbose)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return command(*args, verbose=verbose, **kwargs)
            except AmigaHeatmapError as error:
                if verbose:
                    raise
                _print_warnings(caught)
                tell(f"Error: {error.message}")
                sys.exit(error.exit_code)
            except KeyboardInterrupt:
                _print_warnings(caught)
                tell(INTERRUPTED)
                sys.exit(128 + signal.SIGINT)
            except Exception as error:  # an unexpected bug: short message unless verbose
                if verbose:
                    raise
                _print_warnings(caught)
                fault = system_fault(error)
                if fault is not None:  # the system failed (a full disk, ...): not a bug
                    tell(f"Error: {unexpected_fault(fault).message}")
                    sys.exit(1)
                tell(
                    f"Error: unexpected {type(error).__name__}: {error}. Run again with --verbose for the "
                    "full traceback, and please report it."
                )
                sys.exit(1)
            finally:
                _print_warnings(caught)

    return run


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print the ``caught`` warnings as ``Warning: ...`` lines and forget them (so none prints twice)."""
    for warning in caught:
        if not issubclass(warning.category, (DeprecationWarning, PendingDeprecationWarning)):
            tell(f"Warning: {warning.message}")
    caught.clear()


def tell(text: str) -> None:
    """Print ``text`` on standard error. If standard error itself cannot be written (closed, or a full
    disk), the message is lost, but the run's exit status stays what it was."""
    try:
        click.echo(text, err=True)
    except OSError:
        pass


def with_plugin_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--plugins-dir``, ``--disable-plugin`` and ``--strict-plugins`` to ``command`` and load
    plugins with them while it runs (:func:`amiga_heatmap.plugins.plugin_options`)."""

    @functools.wraps(command)
    def run(*args: Any, plugins_dirs: tuple[str, ...], disabled_plugins: tuple[str, ...], strict_plugins: bool,
            **kwargs: Any) -> Any:
        from ..plugin_system.active import plugin_options

        with plugin_options(directories=plugins_dirs, disabled=disabled_plugins, strict=strict_plugins):
            return command(*args, **kwargs)

    decorators = (
        option("--plugins-dir", "plugins_dirs", multiple=True, section=PLUGINS, metavar="DIR",
               type=click.Path(exists=True, file_okay=False),
               help="Also load every *.py file in DIR as a plugin (repeatable; adds to "
                    "$AMIGA_HEATMAP_PLUGINS_DIR)."),
        option("--disable-plugin", "disabled_plugins", multiple=True, section=PLUGINS, metavar="NAME",
               help="Do not load the plugin NAME (repeatable); 'amiga-heatmap plugins' lists the names."),
        option("--strict-plugins", is_flag=True, section=PLUGINS,
               help="Stop when a plugin fails to load, instead of skipping it with a warning."),
    )
    for decorator in reversed(decorators):
        run = decorator(run)
    return run


class CurrentStderrHandler(logging.StreamHandler):
    """Writes each message to ``sys.stderr`` as it is when the message is logged, so that a command run
    in-process after another (click's test runner, a notebook) does not write to a stream since
    replaced."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""


def configure_logging(verbose: bool) -> None:
    """Send the ``amiga_heatmap`` logger's INFO messages to stderr when ``verbose``."""
    logger = logging.getLogger("amiga_heatmap")
    if verbose and not logger.handlers:
        handler = CurrentStderrHandler()
        handler.setFormatter(logging.Formatter("amiga-heatmap: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """amiga-heatmap: heatmaps of growth-curve summaries."""


# the options of with_plugin_options and --verbose (heatmap, plugins and version take them), also accepted
# before the subcommand's name
main.shared_options = {"--plugins-dir": True, "--disable-plugin": True, "--strict-plugins": False, "--verbose": False}


@main.command(
    cls=SectionedCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Other commands: 'amiga-heatmap plugins' lists the installed plugins; 'amiga-heatmap docs' says "
           "where the guides are; 'amiga-heatmap --version' prints the versions to cite.",
)
@option("-i", "--input", "input_path", required=True, section=INPUT, metavar="PATH",
        help="A summary file, or a folder searched recursively for summary files.")
@option("-s", "--subset", section=INPUT, metavar="VAR:V1,V2;VAR2:V3",
        help="Keep only rows whose columns hold these values, e.g. 'PM:1;Isolate:ER1,ER2'.")
@option("--annotate", "annotation_tables", multiple=True, section=INPUT, metavar="FILE",
        type=click.Path(exists=True, dir_okay=False),
        help="Join a tab-separated table of your own on the columns it shares with the summary, adding its "
             "other columns (repeatable). Biolog columns (biolog_class, ...) are built in: docs/biolog.md.")
@option("--allow-duplicate-wells", is_flag=True, section=INPUT,
        help="Accept input files that hold the same wells (e.g. a merged and a per-plate summary).")
@option("-v", "--value", required=True, section=MATRIX, metavar="COLUMN",
        help="The growth parameter to show, e.g. 'norm(auc_lin)'.")
@option("-x", "--x-variable", "--x_variable", "x_variable", required=True, section=MATRIX, metavar="COLUMN",
        help="The column whose values become the heatmap's columns, e.g. Isolate.")
@option("-y", "--y-variable", "--y_variable", "y_variable", required=True, section=MATRIX, metavar="COLUMN",
        help="The column whose values become the heatmap's rows, e.g. Substrate.")
@option("-p", "--operation", section=MATRIX, metavar="NAME[(ARGS)]",
        help="Combine replicates: mean, median, or a plugin's aggregator, e.g. 'trimmed(0.2)'. Needed when "
             "replicates exist.")
@option("-f", "--filter", "filter_text", section=MATRIX, metavar="EXPRESSION",
        help="Keep rows/columns, e.g. 'row any >= 1.2 OR row any <= 0.8'. The grammar: usage.md "
             "('amiga-heatmap docs').")
@option("--transform", "transforms", multiple=True, section=MATRIX, metavar="NAME[(ARGS)]",
        help="Transform the matrix before the filter (repeatable, in order): log2, zscore(row|col), "
             "center(row|col), or a plugin's.")
@option("--test", "test", is_flag=True, section=STATISTICS,
        help="Test every cell from its replicates: one-sample t-test, or Welch's against --reference; "
             "p and q in NAME_cells.tsv (--save-cell-table). docs/statistics.md.")
@option("--test-against", type=float, section=STATISTICS, metavar="NUMBER",
        help="The value a cell is tested against. Default: 1 for norm(...) ratios (tested on log2), else 0.")
@option("--reference", section=STATISTICS, metavar="LABEL|y:LABEL",
        help="The reference cell of each row: this column's (or y:LABEL, this row's), for --test and --contrast.")
@option("--contrast", section=STATISTICS, metavar="ratio|difference|log2ratio",
        help="Show each cell relative to the --reference cell of its row (or column); the reference is dropped.")
@option("--keep-reference", is_flag=True, section=STATISTICS,
        help="Keep the reference column (or row) of --contrast in the figure.")
@option("--save-cell-table", is_flag=True, section=STATISTICS,
        help="Also write NAME_cells.tsv: every cell's replicate statistics (n, mean, median, sd, sem, "
             "95% CI, cv) and, with --test, p and q.")
@option("--engine", section=MATRIX, metavar="NAME",
        help="Engine computing the cells from the input. Default: pandas. 'amiga-heatmap plugins' lists them.")
@option("-o", "--output", section=OUTPUT, metavar="NAME",
        help="Output file name without folder; an extension such as .png sets --format. Default: a time stamp.")
@option("--output-dir", section=OUTPUT, metavar="DIR", type=click.Path(file_okay=False),
        help="Folder to write to. Default: the input's folder.")
@option("--format", "file_format", section=OUTPUT, metavar="FORMAT",
        help="pdf, png, svg, tsv (the plotted matrix), or a plugin renderer's format. Default: -o's "
             "extension, else pdf.")
@option("--renderer", section=OUTPUT, metavar="NAME",
        help="Renderer to use when several write the chosen format.")
@option("--no-provenance", is_flag=True, section=OUTPUT,
        help="Do not write NAME.provenance.json (how the output was made; 'amiga-heatmap replay' re-runs it).")
@option("-t", "--title", section=DRAWING, metavar="TEXT", help="Figure title. Default: the value name.")
@option("--kwargs", "kwargs_text", section=DRAWING, metavar="KEY:VALUE;...",
        help="Renderer options, e.g. 'cmap:RdBu_r;center:1;vmin:0'.")
@figure_options
@with_plugin_options
@option("--verbose", is_flag=True, section=GENERAL, help="Report every stage; show tracebacks on errors.")
@reports_errors
def heatmap(
    input_path: str,
    subset: str | None,
    annotation_tables: tuple[str, ...],
    allow_duplicate_wells: bool,
    value: str,
    x_variable: str,
    y_variable: str,
    operation: str | None,
    filter_text: str | None,
    transforms: tuple[str, ...],
    test: bool,
    test_against: float | None,
    reference: str | None,
    contrast: str | None,
    keep_reference: bool,
    save_cell_table: bool,
    engine: str | None,
    output: str | None,
    output_dir: str | None,
    file_format: str | None,
    renderer: str | None,
    no_provenance: bool,
    title: str | None,
    kwargs_text: str | None,
    figure: FigureFlags,
    verbose: bool,
) -> None:
    """Draw a heatmap of one growth parameter from AMiGA summary files.

    \b
    Example:
      amiga-heatmap -i summaries/ -o ER_norm_auc -x Strain -y Substrate \\
          -v "norm(auc_lin)" -p mean -f "row any > 1.2" -t "Normalized AUC"
    """
    from ..output.files import check_output_folder, output_path, refuse_overwriting_inputs, split_output_name
    from ..output.provenance import InputHashes, provenance_record, write_provenance
    from ..pipeline.pipeline import Pipeline
    from ..pipeline.reading import find_summary_files
    from ..pipeline.spec import HeatmapSpec
    from ..plugin_system.active import get_plugins
    from ..rendering.kwargs import check_accepted, parse_kwargs
    from ..timing import recording, stage

    plugins = get_plugins()
    output, file_format = split_output_name(output, file_format, plugins.formats())
    chosen = plugins.renderer_for_format(file_format, renderer)
    options = parse_kwargs(kwargs_text)
    pipeline = figure.pipeline_arguments(options)
    options = figure.renderer_options(options, chosen)
    check_accepted(options, chosen.options_accepted, chosen.name)
    if chosen.check_options is not None:
        chosen.check_options(options, file_format)
    target = output_path(input_path, output, file_format, output_dir)
    inputs = find_summary_files(input_path, plugins)
    refuse_overwriting_inputs(target, inputs)
    if save_cell_table:
        refuse_overwriting_inputs(cell_table_path(target), inputs)
    figure.check_extra_outputs(target, inputs)
    check_output_folder(target)

    spec = HeatmapSpec.build(
        value, x_variable, y_variable, operation=operation, subset=subset, filter=filter_text, title=title,
        transforms=transforms, test=test, test_against=test_against, reference=reference, contrast=contrast,
        keep_reference=keep_reference, engine=engine, annotate=annotation_tables,
        allow_duplicate_wells=allow_duplicate_wells, **pipeline,
    )
    hashes = None if no_provenance else InputHashes(inputs)
    with recording() as times:
        result = Pipeline(spec, plugins).run(inputs)
        with stage("render"):
            _, *companions = result.save(target, file_format=file_format, renderer=chosen.name, **options)
    logging.getLogger("amiga_heatmap").info("times: %s", times.summary())
    rows, columns = result.matrix.shape
    extras = companions + figure.write_extras(result, target)
    if save_cell_table:
        extras.append(result.save_cell_table(cell_table_path(target)))
    written = [f"Wrote {target} ({rows} {y_variable} x {columns} {x_variable}).", *(f"Wrote {extra}." for extra in extras)]
    if hashes is not None:
        command_line = click.get_current_context().meta.get(COMMAND_LINE, [])
        record = provenance_record(result, command_line, hashes, [target, *extras])
        written.append(f"Wrote {write_provenance(target, record)} (how it was made).")
    report("\n".join(written))


@main.command(
    "plugins",
    cls=SectionedCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Plugin author guide: plugins.md, installed with the package ('amiga-heatmap docs' says where).",
)
@option("--json", "as_json", is_flag=True, section=OUTPUT, help="Print JSON instead of text, for scripts.")
@with_plugin_options
@option("--verbose", is_flag=True, section=GENERAL, help="Log how plugins load; show tracebacks on errors.")
@reports_errors
def list_plugins(as_json: bool, verbose: bool) -> None:
    """List the active plugins: name, version, where each came from, and what it provides.

    \b
    Sources: built-in, entry point (installed distributions), plugins folder
    (--plugins-dir, $AMIGA_HEATMAP_PLUGINS_DIR). $AMIGA_HEATMAP_PLUGINS chooses
    entry-point plugins: unset loads all, empty none, 'a,b' only those.
    """
    import json

    from ..plugin_system.active import current_options, load_plugins
    from ..plugin_system.listing import describe_plugins, format_plugins
    from ..plugin_system.plugin_set import PluginWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)  # the listing shows the problems itself
        plugin_set = load_plugins(current_options(), allow_conflicts=True)
    description = describe_plugins(plugin_set)
    report(json.dumps(description, indent=2) if as_json else format_plugins(description))
    plugin_set.check()


@main.command(
    "replay",
    cls=SectionedCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="The record is written beside every output (NAME.provenance.json) unless --no-provenance.",
)
@click.argument("record_path", metavar="NAME.provenance.json", type=click.Path(dir_okay=False))
@with_plugin_options
@option("--verbose", is_flag=True, section=GENERAL, help="Report every stage; show tracebacks on errors.")
@reports_errors
def replay_command(record_path: str, verbose: bool) -> None:
    """Run the command a provenance record describes again and say whether every output is identical.

    \b
    The replay writes into a temporary folder, never over the recorded outputs. It warns about inputs
    whose content changed since the record, and exits with status 1 when an output differs.
    """
    import tempfile
    from pathlib import Path

    from ..errors import DataError
    from ..output.provenance import read_provenance, replay

    record = read_provenance(record_path)
    with tempfile.TemporaryDirectory(prefix="amiga-heatmap-replay-") as folder:
        outcome = replay(record, Path(folder))
    for changed in outcome.changed_inputs:
        click.echo(f"Warning: the input {changed} changed (or is gone) since the record was made.", err=True)
    report("\n".join(f"{'identical' if same else 'DIFFERENT'}: {output}"
                      for output, same in outcome.identical.items()))
    if not outcome.reproduced:
        raise DataError(
            "The replay did not reproduce every output byte for byte (see the DIFFERENT lines); compare the "
            "versions in the record with 'amiga-heatmap --version' and the inputs' hashes."
        )


def cell_table_path(target: Any) -> Any:
    """Where ``--save-cell-table`` writes for the output ``target``: ``NAME_cells.tsv`` beside it."""
    from pathlib import Path

    target = Path(target)
    return target.with_name(f"{target.stem}_cells.tsv")



def report(text: str) -> None:
    """Print ``text`` on standard output. A character its encoding cannot hold (an ASCII terminal) is
    escaped; a failure of the output itself (``> /dev/full``, a closed pipe) raises DataError."""
    from ..system_faults import standard_output_fault

    stream = click.get_text_stream("stdout")
    encoding = getattr(stream, "encoding", None) or "utf-8"
    errors = "surrogateescape" if _encodes(text, encoding) else "backslashreplace"
    line = (text + "\n").encode(encoding, errors)
    try:
        click.echo(line, nl=False)
    except OSError as error:
        raise standard_output_fault(error) from error


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding, "surrogateescape")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@main.command(
    "version",
    cls=SectionedCommand,
    hidden=True,  # run as 'amiga-heatmap --version'
    context_settings={"help_option_names": ["-h", "--help"]},
)
@with_plugin_options
@option("--verbose", is_flag=True, section=GENERAL, help="Log how plugins load; show tracebacks on errors.")
@reports_errors
def show_version(verbose: bool) -> None:
    """Print the versions of amiga-heatmap, Python, the libraries it computes and draws with, and every
    plugin that is not built in: what a methods section cites."""
    from ..plugin_system.active import current_options, load_plugins
    from ..plugin_system.plugin_set import PluginWarning
    from .about import version_text

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)  # 'amiga-heatmap plugins' shows the problems
        plugin_set = load_plugins(current_options(), allow_conflicts=True)
    report(version_text(plugin_set))


@main.command("docs", cls=SectionedCommand, context_settings={"help_option_names": ["-h", "--help"]})
def show_docs() -> None:
    """Print where the guides installed with amiga-heatmap are (usage, gallery, API, errors, plugins)."""
    from .about import docs_text

    report(docs_text())



def run() -> None:
    """The process entry point (``amiga-heatmap`` and ``python -m amiga_heatmap``): :func:`main`, then a
    quick exit.

    Every signal that ends a run (SIGTERM from ``kill``, job schedulers and time-outs; SIGHUP from a
    closed terminal; SIGQUIT; Ctrl-C) goes through the clean-up code, so no temporary file is left
    behind (:mod:`amiga_heatmap.ending_signals`); the exit status is 128 plus the signal's number (130
    for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP). Standard output that cannot be written (a closed pipe)
    is reported once, without a second complaint from the interpreter as it exits; standard error that
    cannot be written loses its messages but not the exit status.

    When the command is done, the objects alive (pandas, matplotlib and their modules, the figure) are
    moved out of the garbage collector's reach: otherwise the interpreter spends up to 0.7 s walking
    them as it shuts down (docs/performance.md). Output files are already closed and ``atexit``
    handlers still run. Tests call :func:`main` in-process instead, where frozen objects would never be
    freed. For the same reason (a process that only draws) seaborn is imported without the scipy
    modules it needs only for KDEs and clustermaps (:mod:`amiga_heatmap.builtin.figure.seaborn_import`).
    """
    from ..builtin.figure.seaborn_import import lean_import_in_this_process

    ending_signals.install()
    lean_import_in_this_process()  # seaborn without scipy.stats and scipy.cluster: about 0.9 s less
    try:
        main(prog_name="amiga-heatmap")
    finally:
        _drop_unwritable_output()
        gc.freeze()


def _drop_unwritable_output() -> None:
    """Flush standard output and standard error; point one that fails at the null device, so that the
    interpreter's own flush at exit has nothing left to fail on (it would change the exit status)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stream.fileno())
                os.close(null)
            except (OSError, ValueError):
                pass
