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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import click

from .. import ending_signals
from ..ending_signals import INTERRUPTED
from ..errors import AmigaHeatmapError, UsageError
from ..options import Option
from ..options.click_options import click_option, renderer_flag_options, renderer_parameter
from ..options.declaration import DEFAULT_SECTION, naming_flags
from ..options.pipeline_options import PIPELINE_OPTIONS
from ..options.sections import DRAWING, GENERAL, INPUT, OUTPUT, PLUGIN_OPTIONS, PLUGINS, STATISTICS
from ..system_faults import system_fault, unexpected_fault
from .help import COMMAND_LINE, DefaultCommandGroup, SectionedCommand, SectionOption

if TYPE_CHECKING:  # pragma: no cover
    from ..plugin_system.plugin_set import PluginOptions, PluginSet

# the options of the command line itself (what to read, where to write, with which renderer); the
# pipeline's are in amiga_heatmap.options.pipeline_options, the renderers' in their declarations
COMMAND_LINE_OPTIONS = (
    Option("input_path", "a summary file, or a folder searched recursively for summary files",
           flags=("-i", "--input"), required=True, section=INPUT, metavar="PATH", reads="command line"),
    Option("output", "output file name without folder; an extension such as .png sets --format (default: a "
           "time stamp)",
           flags=("-o", "--output"), section=OUTPUT, metavar="NAME", reads="command line"),
    Option("output_dir", "folder to write to (default: the input's folder)", flags=("--output-dir",),
           section=OUTPUT, metavar="DIR", value_type=click.Path(file_okay=False), reads="command line"),
    Option("file_format", "file format: pdf, png, svg, tsv (the plotted matrix), or a plugin renderer's "
           "(default: -o's extension, else pdf)", flags=("--format",), section=OUTPUT, metavar="FORMAT",
           reads="command line"),
    Option("renderer", "renderer to use when several write the chosen format", flags=("--renderer",),
           section=OUTPUT, metavar="NAME", reads="command line"),
    Option("no_provenance", "do not write NAME.provenance.json (how the output was made; 'amiga-heatmap "
           "replay' re-runs it)", flags=("--no-provenance",), is_flag=True, default=False, section=OUTPUT,
           reads="command line"),
    Option("save_cell_table", "also write NAME_cells.tsv: every cell's replicate statistics (n, mean, median, "
           "sd, sem, 95% CI, cv) and, with --test, p and q", flags=("--save-cell-table",), is_flag=True,
           default=False, section=STATISTICS, reads="command line"),
    Option("kwargs_text", "renderer options, e.g. 'cmap:RdBu_r;center:1;vmin:0' ('amiga-heatmap plugins' "
           "lists each renderer's)", flags=("--kwargs",), section=DRAWING, metavar="KEY:VALUE;...",
           reads="renderer"),
)

# flags the heatmap command has besides its declared options
_FIXED_FLAGS = ("--plugins-dir", "--disable-plugin", "--strict-plugins", "--verbose", "-h", "--help")

# where the plugin set loaded while parsing the heatmap command is kept for its run
_LOADED = "amiga_heatmap.loaded_plugins"


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
                with naming_flags():
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
    plugins with them while it runs (:func:`amiga_heatmap.plugins.plugin_options`), reusing the set the
    heatmap command loaded while parsing (:class:`HeatmapCommand`)."""

    @functools.wraps(command)
    def run(*args: Any, plugins_dirs: tuple[str, ...], disabled_plugins: tuple[str, ...], strict_plugins: bool,
            **kwargs: Any) -> Any:
        from ..plugin_system.active import current_options, plugin_options

        changes = {"directories": plugins_dirs, "disabled": disabled_plugins, "strict": strict_plugins}
        loaded = click.get_current_context().meta.get(_LOADED)
        reused = loaded.plugins if loaded and loaded.options == replace(current_options(), **changes) else None
        with plugin_options(loaded=reused, **changes):
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


class HeatmapCommand(SectionedCommand):
    """The heatmap command, whose options are generated from declarations: its own
    (:data:`COMMAND_LINE_OPTIONS`), the pipeline's, and the flags of every loaded renderer's options.

    Renderers' flags need the plugin set, so parsing first loads the plugins the arguments ask for
    (``--plugins-dir``, ``--disable-plugin``, ``--strict-plugins``, read ahead of click); the set is kept
    for the run, so plugins load once. ``--help`` loads them too, to list their flags. A plugin set
    that fails to load gives no renderer flags here; the run then loads it again and reports why.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_LOADED] = _load_for_parsing(args)
        return super().parse_args(ctx, args)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        loaded = ctx.meta.get(_LOADED)
        if loaded is None:  # not parsing (e.g. a test building the command's context)
            return params
        added = [click_option(_in_section(option), renderer_parameter(option)) for option in loaded.flags]
        return [*params[:-1], *added, params[-1]]  # the help option stays last


@dataclass(frozen=True)
class _Loaded:
    """The plugin set loaded while parsing (None when it failed to load: the run loads it again and
    reports why), the options it was loaded with, the warnings its loading gave (shown when the run
    starts) and its renderers' flag declarations."""

    options: PluginOptions
    plugins: PluginSet | None
    warnings: tuple[warnings.WarningMessage, ...]
    flags: tuple[Option, ...]


def _load_for_parsing(args: list[str]) -> _Loaded:
    """Load the plugins ``args`` ask for, to learn their renderers' flags. When they fail to load (a
    broken plugin with --strict-plugins, two claiming one name), the built-ins' flags still parse."""
    from ..plugin_system.active import current_options, load_plugins
    from ..plugin_system.plugin_set import PluginOptions

    options = replace(current_options(), **_plugin_arguments(args))
    taken = [flag for option in (*COMMAND_LINE_OPTIONS, *PIPELINE_OPTIONS) for flag in option.flags]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            plugin_set = load_plugins(options)
        except (AmigaHeatmapError, OSError):
            builtins = load_plugins(PluginOptions(entry_points=False, disabled=options.disabled))
            return _Loaded(options, None, (), tuple(renderer_flag_options(builtins, [*taken, *_FIXED_FLAGS])))
        flags = tuple(renderer_flag_options(plugin_set, [*taken, *_FIXED_FLAGS]))
    return _Loaded(options, plugin_set, tuple(caught), flags)


def _plugin_arguments(args: list[str]) -> dict[str, Any]:
    """The plugin options in ``args``, read ahead of click: ``{"directories", "disabled", "strict"}``."""
    found: dict[str, list[str]] = {"--plugins-dir": [], "--disable-plugin": []}
    strict = False
    position = 0
    while position < len(args) and args[position] != "--":
        argument = args[position]
        name, equals, value = argument.partition("=")
        if name in found and equals:
            found[name].append(value)
        elif argument in found and position + 1 < len(args):
            found[argument].append(args[position + 1])
            position += 1
        strict = strict or argument == "--strict-plugins"
        position += 1
    return {"directories": tuple(found["--plugins-dir"]), "disabled": tuple(found["--disable-plugin"]),
            "strict": strict}


def _in_section(option: Option) -> Option:
    """``option``, placed in the plugin renderers' ``--help`` section, with its renderer's name, if it
    names no section."""
    if option.section != DEFAULT_SECTION:
        return option
    renderer = option.reads.removeprefix("renderer ")
    return replace(option, section=PLUGIN_OPTIONS, flag_help=f"{renderer} renderer: {option.flag_help or option.help}")


def declared_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the click options of :data:`COMMAND_LINE_OPTIONS` and the pipeline's declarations with
    flags to ``command``."""
    for declaration in reversed((*COMMAND_LINE_OPTIONS, *(o for o in PIPELINE_OPTIONS if o.flags))):
        command = _attach(command, click_option(declaration))
    return command


def _attach(command: Callable[..., Any], parameter: click.Parameter) -> Callable[..., Any]:
    if not hasattr(command, "__click_params__"):
        command.__click_params__ = []  # type: ignore[attr-defined]
    command.__click_params__.append(parameter)  # type: ignore[attr-defined]
    return command


@main.command(
    cls=HeatmapCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Other commands: 'amiga-heatmap plugins' lists the installed plugins and their renderers' options; "
           "'amiga-heatmap convert INPUT OUTPUT.parquet' writes summaries as Parquet; 'amiga-heatmap cache "
           "info|clear' shows or empties the parsed-input cache; "
           "'amiga-heatmap docs' says where the guides are; 'amiga-heatmap --version' prints the versions to cite.",
)
@declared_options
@with_plugin_options
@option("--verbose", is_flag=True, section=GENERAL, help="Report every stage; show tracebacks on errors.")
@reports_errors
def heatmap(
    input_path: str,
    output: str | None,
    output_dir: str | None,
    file_format: str | None,
    renderer: str | None,
    no_provenance: bool,
    save_cell_table: bool,
    kwargs_text: str | None,
    verbose: bool,
    **declared: Any,
) -> None:
    """Draw a heatmap of one growth parameter from AMiGA summary files.

    \b
    Example:
      amiga-heatmap -i summaries/ -o ER_norm_auc -x Strain -y Substrate \\
          -v "norm(auc_lin)" -p mean -f "row any > 1.2" -t "Normalized AUC"
    """
    from ..options.click_options import renderer_flag_values
    from ..options.pipeline_options import spec_keywords
    from ..options.renderer_options import checked_renderer
    from ..output.files import (
        check_output_folder,
        filtered_table_path,
        output_path,
        refuse_overwriting_inputs,
        split_output_name,
    )
    from ..output.provenance import InputHashes, provenance_record, write_provenance
    from ..pipeline.pipeline import Pipeline
    from ..pipeline.reading import find_summary_files
    from ..pipeline.spec import HeatmapSpec
    from ..plugin_system.active import get_plugins
    from ..rendering.kwargs import parse_kwargs
    from ..timing import recording, stage

    loaded = click.get_current_context().meta.get(_LOADED)
    for warning in loaded.warnings if loaded else ():
        warnings.warn(warning.message, warning.category, stacklevel=1)
    plugins = get_plugins()
    output, file_format = split_output_name(output, file_format, plugins.formats())
    kwargs_options = parse_kwargs(kwargs_text)
    pipeline = {option.name: declared.pop(option.name) for option in PIPELINE_OPTIONS if option.flags}
    options, flags = renderer_flag_values(loaded.flags if loaded else (), declared)
    for key, declaration in flags.items():
        if key in kwargs_options:
            raise UsageError(f"{declaration.flag} and {key!r} in --kwargs set the same option; give only one of them.")
    keywords = spec_keywords(pipeline, kwargs_options)
    options = {**kwargs_options, **options}
    spec = HeatmapSpec.build(pipeline["value"], pipeline["x"], pipeline["y"], **keywords)
    chosen = checked_renderer(plugins, options, file_format=file_format, renderer=renderer, spec=spec, flags=flags)
    target = output_path(input_path, output, file_format, output_dir)
    inputs = find_summary_files(input_path, plugins)
    refuse_overwriting_inputs(target, inputs)
    if spec.read_all_columns:
        refuse_overwriting_inputs(filtered_table_path(target), inputs)
        check_output_folder(filtered_table_path(target))
    if save_cell_table:
        refuse_overwriting_inputs(cell_table_path(target), inputs)
    check_output_folder(target)

    hashes = None if no_provenance else InputHashes(inputs, remember=not spec.no_cache)
    with recording() as times:
        result = Pipeline(spec, plugins).run(inputs)
        with stage("render"):
            _, *companions = result.save(target, file_format=file_format, renderer=chosen.name, **options)
    logging.getLogger("amiga_heatmap").info("times: %s", times.summary())
    rows, columns = result.matrix.shape
    extras = list(companions)
    if spec.read_all_columns:
        extras.append(result.save_filtered_table(filtered_table_path(target)))
    if save_cell_table:
        extras.append(result.save_cell_table(cell_table_path(target)))
    written = [f"Wrote {target} ({rows} {spec.y.column} x {columns} {spec.x.column}).",
               *(f"Wrote {extra}." for extra in extras)]
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
