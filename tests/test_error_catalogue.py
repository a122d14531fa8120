"""docs/errors.md is the catalogue of every user-facing error and warning. Here each entry is triggered
for real and its exit status and message are checked against the page, and the package source is
scanned so that no message can be added without being catalogued."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from .conftest import EXAMPLES, REPOSITORY, wait_during_run, writing_in_renderer

CATALOGUE = REPOSITORY / "docs" / "errors.md"
PACKAGE = REPOSITORY / "amiga_heatmap"
DASK_PLUGIN = REPOSITORY / "plugins" / "amiga-heatmap-dask" / "src"
"""The shipped dask engine's messages are catalogued here too (docs/errors.md, the dask entries)."""
PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_ ]*>")


def normalised(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: its identifier, the exit status of its section and the message it shows."""

    identifier: str
    status: int
    message: str

    def pattern(self) -> re.Pattern[str]:
        """The message as a regular expression: placeholders match anything."""
        pieces = PLACEHOLDER.split(normalised(self.message))
        return re.compile(".*?".join(re.escape(piece) for piece in pieces), re.DOTALL)


def catalogue() -> dict[str, Entry]:
    """The entries of docs/errors.md, by identifier."""
    entries = {}
    status = None
    text = CATALOGUE.read_text(encoding="utf-8")
    for section in re.split(r"^(?=## |### )", text, flags=re.MULTILINE):
        heading = section.splitlines()[0] if section.strip() else ""
        if heading.startswith("## "):
            found = re.search(r"exit status (\d)", heading)
            status = int(found.group(1)) if found else None
            if "Plugin problems" in heading or "Warnings" in heading:
                status = 0
            continue
        named = re.match(r"### `([a-z0-9.-]+)`", heading)
        if not named:
            continue
        block = re.search(r"```text\n(.*?)\n```", section, re.DOTALL)
        own_status = re.search(r"Exit status (\d+)\.", section)
        assert block, f"{named.group(1)} shows no message"
        entry_status = int(own_status.group(1)) if own_status else status
        entries[named.group(1)] = Entry(named.group(1), entry_status, block.group(1))
    return entries


# -------------------------------------------------------------------------------------- scenarios


@dataclass
class Context:
    tmp_path: Path
    summary: Path
    run_cli: Callable[..., object]
    monkeypatch: pytest.MonkeyPatch

    def raw(self, *args: object) -> tuple[int, str]:
        """Run the command line with exactly ``args``; return (exit status, stderr)."""
        result = self.run_cli(*args)
        return result.exit_code, result.stderr

    def cli(self, *args: object, source: object = None) -> tuple[int, str]:
        """Run the command line on the example summary (or ``source``); return (exit status, stderr)."""
        out = self.tmp_path / "out"
        out.mkdir(exist_ok=True)
        result = self.run_cli("-i", source or self.summary, "--output-dir", out, "-o", "figure", *args)
        return result.exit_code, result.stderr

    def heatmap(self, *args: object, source: object = None) -> tuple[int, str]:
        """``cli`` with -x Isolate -y Substrate -v gr -p mean --format tsv before ``args`` (without -v gr
        when ``args`` name their own value: a repeated -v draws several values)."""
        value = () if "-v" in args else ("-v", "gr")
        return self.cli("-x", "Isolate", "-y", "Substrate", *value, "-p", "mean", "--format", "tsv", *args,
                        source=source)

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def rows(self) -> pd.DataFrame:
        return pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t")

    def plugins(self, **files: str) -> Path:
        """A plugins folder holding ``name.py`` files; returns the folder."""
        folder = self.tmp_path / "plugins"
        for name, code in files.items():
            self.file(f"plugins/{name}.py", PLUGIN_HEADER + textwrap.dedent(code))
        return folder


PLUGIN_HEADER = "from amiga_heatmap import hookimpl\nfrom amiga_heatmap.components import *\n"
MAXIMUM = """
@hookimpl
def register_aggregators(register):
    register(Aggregator("maximum", form="max"))
"""
QUANTILE = """
@hookimpl
def register_aggregators(register):
    register(Aggregator("quantile", form="quantile", parameters=("q",)))
"""
LAB_READER = """
@hookimpl
def register_readers(register):
    register(Reader("lab", (".lab",), print, lambda path: ["Isolate", "Substrate", "gr"]))
"""
PARQUET_READER = """
from amiga_heatmap_labtools.parquet_reader import PARQUET_READER

@hookimpl
def register_readers(register):
    register(PARQUET_READER)
"""
LOCK_FILES = """
import os

@hookimpl
def register_readers(register):
    register(Reader("xlsx", (".xlsx",), print, print,
                    accepts=lambda path: not os.path.basename(path).startswith("~$")))
"""


def raised(call: Callable[[], object]) -> tuple[int, str]:
    """Run an API call that must raise one of amiga-heatmap's errors; return (exit status, message)."""
    from amiga_heatmap.errors import AmigaHeatmapError

    with pytest.raises(AmigaHeatmapError) as caught:
        call()
    return caught.value.exit_code, caught.value.message


def replay_after_a_change(context: Context) -> tuple[int, str]:
    """A run, one value of its input changed, then the replay of its record."""
    source = context.file("plates.txt", context.rows().to_csv(sep="\t", index=False))
    status, stderr = context.heatmap(source=source)
    assert status == 0, stderr
    context.file("plates.txt", context.rows().assign(gr=lambda rows: rows["gr"] * 2).to_csv(sep="\t", index=False))
    return context.raw("replay", context.tmp_path / "out" / "figure.provenance.json")


def plate_folder(context: Context, *names: str) -> Path:
    """A folder of summaries: the example's PM 1 and PM 2 rows, as ``names`` (two .txt files)."""
    rows = context.rows()
    for name, plate in zip(names or ("pm1.txt", "pm2.txt"), (1, 2)):
        separator = "," if name.endswith(".csv") else "\t"
        context.file(f"plates/{name}", rows[rows.PM == plate].to_csv(sep=separator, index=False))
    return context.tmp_path / "plates"


def decimal_marks_folder(context: Context) -> Path:
    """A folder of two summaries, one written with decimal points, the other with decimal commas."""
    context.file("marks/points.txt", "Sample_ID\tIsolate\tSubstrate\tgr\n1\tER1\tGlucose\t0.5\n")
    context.file("marks/commas.txt", "Sample_ID\tIsolate\tSubstrate\tgr\n2\tER2\tGlucose\t0,5\n")
    return context.tmp_path / "marks"


def empty_parquet(context: Context) -> Path:
    """A Parquet file with the columns of a summary and no rows."""
    context.rows().head(0).to_parquet(context.tmp_path / "empty.parquet", index=False)
    return context.tmp_path / "empty.parquet"


def rowless_result(context: Context):
    """A result computed by an engine that keeps no rows, as a database engine would."""
    from amiga_heatmap import heatmap, hookimpl
    from amiga_heatmap.components import Engine
    from amiga_heatmap.pipeline.cell_table import CellTable
    from amiga_heatmap.plugins import plugin_options

    def compute(sources, run):
        spec = run.spec
        rows = sources.read(run)
        grouped = rows.groupby([spec.y.column, spec.x.column])[spec.value]
        cells = pd.DataFrame({"value": grouped.mean(), "n": grouped.count()})
        return CellTable(cells=cells, x=spec.x.column, y=spec.y.column, value=spec.value, labels=rows,
                         engine="rowless")

    class Rowless:
        @hookimpl
        def register_engines(self, register):
            register(Engine("rowless", compute))

    with plugin_options(extra=(("rowless", Rowless()),)):
        return heatmap(context.summary, value="gr", x="Isolate", y="Substrate", operation="mean",
                       engine="rowless")


def interrupted(context: Context) -> tuple[int, str]:
    """Ctrl-C during a slow render, in a real process."""
    plugins = context.plugins(slow="""
        import time

        def slow(result, path, file_format, options):
            with open(path, "w") as handle:
                handle.write("partial")
            time.sleep(60)

        @hookimpl
        def register_renderers(register):
            register(Renderer("slow", ("slow",), slow))
    """)
    command = [sys.executable, "-m", "amiga_heatmap", "--plugins-dir", str(plugins), "-i", str(context.summary),
               "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "slow", "-o", "cut"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=REPOSITORY,
                               env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    wait_during_run(process, lambda: writing_in_renderer(context.summary.parent, b"partial"),
                    "the slow renderer's writing of its temporary file")
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert not list(context.summary.parent.glob("*cut*")), "nothing half-written is left"
    return process.returncode, stderr


def process(context: Context, *args: object, source: object = None, **popen: object) -> tuple[int, str]:
    """The command line in a real process on the example summary (or ``source``), writing a TSV into
    tmp_path/out."""
    out = context.tmp_path / "out"
    out.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "amiga_heatmap", "-i", str(source or context.summary), "--output-dir",
               str(out), "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv",
               *map(str, args)]
    done = subprocess.run(command, stderr=subprocess.PIPE, text=True, cwd=REPOSITORY, timeout=120,
                          check=False, env={**os.environ, "PYTHONPATH": str(REPOSITORY)}, **popen)
    return done.returncode, done.stderr


def full_standard_output(context: Context) -> tuple[int, str]:
    """A real run whose standard output is /dev/full (every write fails with ENOSPC)."""
    with open("/dev/full", "w") as full:
        return process(context, stdout=full)


def ascii_file_names(context: Context) -> tuple[int, str]:
    """output_path() in a process whose file-system encoding is ASCII, with a name holding 'é'."""
    code = ("import sys\nfrom amiga_heatmap.output.files import output_path\n"
            "from amiga_heatmap.errors import UsageError\n"
            "try:\n    output_path('x.txt', 'r\\u00e9sum\\u00e9', 'pdf')\nexcept UsageError as error:\n"
            "    sys.stderr.write(error.message)\n    sys.exit(error.exit_code)\n")
    environment = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
                   "PYTHONPATH": str(REPOSITORY)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          timeout=60, check=False)
    return done.returncode, done.stderr


def deep_folder(context: Context) -> Path:
    """A folder nested past the system's path-length limit (30 levels of 200-character names)."""
    root = context.tmp_path / "deep"
    root.mkdir()
    handle = os.open(root, os.O_RDONLY)
    try:
        for _ in range(30):
            os.mkdir("d" * 200, dir_fd=handle)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = inner
    finally:
        os.close(handle)
    return root


def unexpected(context: Context) -> tuple[int, str]:
    """A bug: an exception amiga-heatmap does not expect, inside the error reporting of the CLI."""
    import click
    from click.testing import CliRunner

    from amiga_heatmap.cli.commands import reports_errors

    @click.command()
    @reports_errors
    def broken(verbose: bool) -> None:
        raise ZeroDivisionError("division by zero")

    result = CliRunner().invoke(broken, [])
    return result.exit_code, result.stderr


def ragged(context: Context) -> Path:
    lines = context.rows().to_csv(sep="\t", index=False).splitlines()
    lines[5] += "\textra"
    return context.file("ragged.txt", "\n".join(lines) + "\n")


def incomplete(context: Context) -> Path:
    rows = context.rows()
    rows.loc[rows.Isolate == "ER4", "gr"] = None
    return context.file("incomplete.txt", rows.to_csv(sep="\t", index=False))


def twice(context: Context) -> Path:
    text = context.rows().to_csv(sep="\t", index=False)
    return context.file("twice.txt", text.replace("\tdr\t", "\tgr\t", 1))


def copies(context: Context, rows: pd.DataFrame) -> Path:
    """A folder holding ``rows`` as a merged summary and the first plate's rows again in a file of its own."""
    context.file("copies/merged.txt", rows.to_csv(sep="\t", index=False))
    context.file("copies/plate.txt", rows.head(96).to_csv(sep="\t", index=False))
    return context.tmp_path / "copies"


def figure(context: Context, *args: object) -> tuple[int, str]:
    """``cli`` drawing a PNG of the example (figure options apply to figures, not to tables)."""
    return context.cli("-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "-s", "PM:1",
                       "--format", "png", *args)


def normalized(context: Context) -> Path:
    return context.summary.with_name("ER_all_summary_normalized.txt")


def annotated(context: Context, table: str | bytes, *args: object) -> tuple[int, str]:
    """``heatmap`` with ``--annotate`` a lab table holding ``table``; ``args`` replace -x Isolate."""
    path = context.file("lab.tsv", table)
    return context.cli("-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv", "--annotate", path, *args)


def parquet_folder(context: Context) -> Path:
    """A folder holding a Parquet copy of the example summary and, after it, a file cut short."""
    context.file("screen/b.parquet", b"PAR1")
    context.rows().astype({"PM": str, "Replicate": str}).to_parquet(context.tmp_path / "screen" / "a.parquet")
    return context.tmp_path / "screen"


def plugin_run(context: Context, *args: object, source: object = None, **files: str) -> tuple[int, str]:
    return context.heatmap("--plugins-dir", context.plugins(**files), *args, source=source)


DASK_ENGINE = "from amiga_heatmap_dask import register_engines  # noqa: F401\n"


def dask_run(c: Context, *args: object, source: object = None, **plugins: str) -> tuple[int, str]:
    """``heatmap`` with the dask engine (from a plugins folder re-exporting amiga-heatmap-dask's hook) and
    ``plugins`` beside it; skipped where amiga-heatmap-dask is not installed."""
    pytest.importorskip("amiga_heatmap_dask")
    return c.heatmap("--plugins-dir", c.plugins(dask_engine=DASK_ENGINE, **plugins), "--engine", "dask", *args,
                     source=source)


def many_cells(context: Context, rows: int) -> Path:
    """A summary of ``rows`` wells, two replicates per (Isolate, Substrate) cell: too many cells for the
    running totals of the smallest DuckDB memory limit."""
    import numpy as np

    cell = np.arange(rows) // 2
    frame = pd.DataFrame({"Sample_ID": np.arange(rows), "Isolate": np.char.add("ER", (cell % 1000).astype(str)),
                          "Substrate": np.char.add("S", (cell // 1000).astype(str)), "gr": (cell % 7) / 7})
    return context.file("many_cells.txt", frame.to_csv(sep="\t", index=False))


def unused_port() -> int:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        return unused.getsockname()[1]


SCENARIOS: dict[str, Callable[[Context], tuple[int, str]]] = {
    "usage.dask-scheduler-address": lambda c: dask_run(c, "--engine-option", "scheduler=127.0.0.1:8786"),
    "usage.dask-workers": lambda c: dask_run(c, "--engine-option", "workers=0"),
    "usage.dask-blocksize": lambda c: dask_run(c, "--engine-option", "blocksize=large"),
    "usage.dask-aggregator": lambda c: dask_run(c, "-p", "quantile(0.5)", quantile=QUANTILE),
    "data.dask-scheduler-unreachable": lambda c: dask_run(
        c, "--engine-option", f"scheduler=tcp://127.0.0.1:{unused_port()}"),
    "data.dask-unparsable-block": lambda c: dask_run(c, "--engine-option", "blocksize=100kB", source=c.file(
        "ragged.txt", c.rows().to_csv(sep="\t", index=False) + "extra\trow\n")),
    # usage
    "usage.command-line": lambda c: c.cli("-x", "Isolate", "-y", "Substrate"),
    "usage.empty-column": lambda c: c.cli("-x", "", "-y", "Substrate", "-v", "gr", "-p", "mean"),
    "usage.x-equals-y": lambda c: c.cli("-x", "Isolate", "-y", "Isolate", "-v", "gr", "-p", "mean"),
    "usage.value-equals-axis": lambda c: c.cli("-x", "Isolate", "-y", "Substrate", "-v", "Substrate"),
    "usage.value-repeated": lambda c: c.heatmap("-v", "norm(gr)", "-v", "gr", "-v", "norm(gr)"),
    "usage.output-name-folder": lambda c: c.heatmap("-o", "figures/one"),
    "usage.output-format-contradiction": lambda c: c.heatmap("-o", "one.svg"),
    "usage.output-name-control": lambda c: c.heatmap("-o", "one\ttwo"),
    "usage.output-name-encoding": ascii_file_names,
    "usage.input-empty": lambda c: c.raw("-i", "", "-x", "Isolate", "-y", "Substrate", "-v", "gr"),
    "usage.annotations-too-many": lambda c: figure(c, "--kwargs", "annot:true;annot_limit:10"),
    "usage.output-is-input": lambda c: c.raw(
        "-i", c.file("plate.tsv", c.rows().to_csv(sep="\t", index=False)), "-o", "plate", "--format", "tsv",
        "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean"),
    "usage.convert-not-parquet": lambda c: c.raw("convert", c.summary, c.tmp_path / "copy.txt"),
    "usage.convert-inside-input": lambda c: c.raw("convert", plate_folder(c), c.tmp_path / "plates" / "copy"),
    "usage.convert-output-is-file": lambda c: c.raw("convert", plate_folder(c), c.file("copy", "x")),
    "usage.convert-same-target": lambda c: c.raw(
        "convert", plate_folder(c, "plate1.txt", "plate1.csv"), c.tmp_path / "copies"),
    "usage.convert-mixed-decimal-marks": lambda c: c.raw(
        "convert", decimal_marks_folder(c), c.tmp_path / "all.parquet"),
    "usage.cache-size": lambda c: (c.monkeypatch.setenv("AMIGA_HEATMAP_CACHE_SIZE", "lots"), c.heatmap())[1],
    "usage.unknown-format": lambda c: c.heatmap("--format", "jpeg"),
    "usage.renderer-format": lambda c: c.heatmap("--renderer", "table", "--format", "pdf"),
    "usage.several-renderers": lambda c: plugin_run(c, "--format", "pdf", one="""
        @hookimpl
        def register_renderers(register):
            register(Renderer("one", ("pdf",), print))
            register(Renderer("two", ("pdf",), print))
    """),
    "usage.unknown-name": lambda c: c.heatmap("-p", "meen"),
    "usage.operation-syntax": lambda c: c.heatmap("-p", "mean(1"),
    "usage.operation-arguments": lambda c: c.heatmap("-p", "mean(1)"),
    "usage.operation-not-a-number": lambda c: plugin_run(c, "-p", "quantile(high)", quantile=QUANTILE),
    "usage.operation-quantile": lambda c: plugin_run(c, "-p", "quantile(90)", quantile=QUANTILE),
    "usage.quote-not-closed": lambda c: c.heatmap("-s", 'Substrate:"Tween 20'),
    "usage.key-value-syntax": lambda c: c.heatmap("--kwargs", "cmap"),
    "usage.subset-without-values": lambda c: c.heatmap("-s", "PM:"),
    "usage.subset-keep-and-leave-out": lambda c: c.heatmap("-s", "Substrate:D-Glucose;Substrate:!Negative Control"),
    "usage.kwargs-twice": lambda c: c.heatmap("--kwargs", "vmin:0;vmin:1"),
    "usage.kwargs-unknown-key": lambda c: c.cli("-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                                                "--kwargs", "cmapp:viridis"),
    "usage.kwargs-nested-key": lambda c: c.heatmap("--kwargs", "cbar_kws:x;cbar_kws.label:y"),
    "usage.kwargs-mask": lambda c: figure(c, "--kwargs", "mask:<1.2"),
    "usage.mask-shape": lambda c: raised(lambda: __import__("amiga_heatmap").heatmap(
        c.summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1").figure(
        mask=__import__("numpy").zeros((2, 2), dtype=bool))),
    "usage.kwargs-bad-value": lambda c: plugin_run(c, "--format", "shades", "--kwargs", "shade:mauve", shades="""
        from amiga_heatmap.rendering.kwargs import option_values_checked

        def draw(result, path, file_format, options):
            with option_values_checked(options, "shades"):
                raise ValueError(f"no shade called {options['shade']}")

        @hookimpl
        def register_renderers(register):
            register(Renderer("shades", ("shades",), draw, options_accepted={"shade": "a shade"}))
    """),
    "usage.figure-option-value": lambda c: figure(c, "--x-rotation", "120"),
    "usage.colour-map": lambda c: figure(c, "--kwargs", "cmap:nonexistent"),
    "usage.figure-flag-not-drawn": lambda c: c.heatmap("--width-height", "5", "5"),
    "usage.renderer-cannot-draw": lambda c: c.heatmap("--color-x-by", "Strain"),
    "usage.flag-and-kwargs": lambda c: figure(c, "--x-rotation", "30", "--kwargs", "x_rotation:45"),
    "usage.figure-too-small": lambda c: figure(c, "--width-height", "1", "6"),
    "usage.pages-in-one-figure": lambda c: raised(lambda: __import__("amiga_heatmap").heatmap(
        c.summary, value="gr", x="Isolate", y="Substrate", operation="mean").figure(rows_per_page=50)),
    "usage.cluster-name": lambda c: c.heatmap("--cluster-y", "--cluster-method", "avrage"),
    "usage.cluster-euclidean-only": lambda c: c.heatmap("--cluster-y", "--cluster-method", "ward",
                                                        "--cluster-metric", "cosine"),
    "usage.transform-syntax": lambda c: c.heatmap("--transform", "zscore(row"),
    "usage.transform-axis": lambda c: c.heatmap("--transform", "zscore(diagonal)"),
    "usage.test-option-without-test": lambda c: c.heatmap("--test-against", "1"),
    "usage.reference-without-use": lambda c: c.heatmap("--reference", "ER1"),
    "usage.contrast": lambda c: c.heatmap("--reference", "ER1", "--contrast", "fold"),
    "usage.test-against-ratio": lambda c: c.heatmap("-v", "norm(gr)", "--test", "--test-against", "0",
                                                    source=c.summary.with_name("ER_all_summary_normalized.txt")),
    "usage.reference-not-on-axis": lambda c: c.heatmap("--test", "--reference", "ER7"),
    "usage.mark-without-test": lambda c: figure(c, "--mark", "q"),
    "usage.log-scale-limit": lambda c: figure(c, "--color-scale", "log2", "--kwargs", "vmin:0"),
    "usage.bins": lambda c: figure(c, "--bins", "0,1,2", "--bin-labels", "a,b,c"),
    "usage.missing-mode": lambda c: raised(lambda: __import__("amiga_heatmap").heatmap(
        c.summary, value="gr", x="Isolate", y="Substrate", operation="mean", missing="drop-all")),
    "usage.colour-scheme-without-column": lambda c: c.heatmap("--color-scheme-x", "ER1:red"),
    "usage.colour-scheme-and-file": lambda c: figure(c, "--color-x-by", "Strain", "--color-scheme-x", "a:red",
                                                        "--color-file-x", "colours.txt"),
    "usage.not-a-colour": lambda c: figure(c, "--color-x-by", "Strain", "--color-scheme-x", "USA_1995:reddish"),
    "usage.highlight-axis": lambda c: figure(c, "--highlight-labels", "z:ER1"),
    "usage.filter-syntax": lambda c: c.heatmap("-f", "row anny > 1"),
    "usage.filter-decimal-comma": lambda c: c.heatmap("-f", "row any >= 1,2"),
    "usage.engine-option-syntax": lambda c: c.heatmap("--engine-option", "2GB"),
    "usage.engine-option-unknown": lambda c: c.heatmap("--engine", "duckdb", "--engine-option", "memory=2GB"),
    "usage.engine-option-none": lambda c: c.heatmap("--engine", "pandas", "--engine-option", "threads=2"),
    "usage.engine-memory-limit": lambda c: c.heatmap("--engine-option", "memory_limit=lots"),
    "usage.engine-memory-too-little": lambda c: c.heatmap("--engine-option", "memory_limit=1MB"),
    "usage.engine-threads": lambda c: c.heatmap("--engine", "duckdb", "--engine-option", "threads=none"),
    "usage.engine-temp-directory": lambda c: c.heatmap("--engine-option", f"temp_directory={c.tmp_path / 'none'}"),
    "usage.engine-cannot-aggregate": lambda c: plugin_run(c, "-p", "last", "--engine", "duckdb", last="""
        @hookimpl
        def register_aggregators(register):
            register(Aggregator("last", lambda values, groups, n_groups: values[:n_groups]))
    """),
    "usage.engine-cannot-read": lambda c: plugin_run(c, "--engine", "duckdb", source=c.file("plate.lab", "x"),
                                                     lab=LAB_READER),
    "usage.engine-names-alike": lambda c: c.heatmap(
        "--engine", "duckdb", "--sort-y-by", "Group", "--sort-x-by", "group", source=c.file(
            "alike.txt", c.rows().assign(group=lambda rows: rows["Group"]).to_csv(sep="\t", index=False))),
    "usage.figure-of-file-renderer": lambda c: raised(lambda: __import__("amiga_heatmap").heatmap(
        c.summary, value="gr", x="Isolate", y="Substrate", operation="mean").figure("table")),
    # data
    "data.input-missing": lambda c: c.heatmap(source=c.tmp_path / "missing.txt"),
    "data.input-not-a-file": lambda c: c.heatmap(source="/dev/zero"),
    "data.folder-unsearchable": lambda c: process(c, source=deep_folder(c)),
    "data.no-reader": lambda c: c.heatmap(source=c.file("plates.xlsx", b"PK\x03\x04")),
    "data.every-reader-declined": lambda c: c.heatmap(
        "--plugins-dir", c.plugins(xlsx=LOCK_FILES), source=c.file("~$plates.xlsx", b"\x00" * 165)),
    "data.no-summary-files": lambda c: c.heatmap(source=c.file("figures/old.pdf", b"%PDF").parent),
    "data.unreadable-file": lambda c: (
        os.symlink("/proc/self/mem", c.tmp_path / "memory.txt"), c.heatmap(source=c.tmp_path / "memory.txt"))[1],
    "data.empty-file": lambda c: c.heatmap(source=c.file("empty.txt", b"")),
    "data.header-only": lambda c: c.heatmap(source=c.file("header.txt", c.rows().head(0).to_csv(sep="\t"))),
    "data.parquet-unreadable": lambda c: c.heatmap(source=c.file("cut.parquet", b"PAR1 cut short")),
    "data.parquet-no-rows": lambda c: c.heatmap(source=empty_parquet(c)),
    "data.binary-file": lambda c: c.heatmap(source=c.file("workbook.txt", b"PK\x03\x04\x14\x00\x06\x00")),
    "data.no-line-break": lambda c: c.heatmap(source=c.file("long.txt", b"a" * (17 << 20))),
    "data.header-unreadable": lambda c: c.heatmap(source=c.file("quote.txt", 'Isolate\t"Substrate\tgr\nER1\tx\t1\n')),
    "data.mixed-encodings": lambda c: c.heatmap(source=c.file(
        "mixed.txt", "Isolate\tSubstrate\tgr\nER1\tα\t1\n".encode() + "ER1\tµ\t2\n".encode("cp1252"))),
    "data.undecodable-text": lambda c: c.heatmap(source=c.file(
        "unicode.txt", "Isolate\tSubstrate\tgr\r\nER1\tx\t1\r\n".encode("utf-16")[:-1])),
    "data.zero-bytes": lambda c: c.heatmap(source=c.file(
        "crashed.txt", c.rows().to_csv(sep="\t", index=False).encode()[:100_000] + b"\x00" * 512)),
    "data.ragged-rows": lambda c: c.heatmap(source=ragged(c)),
    "data.table-unreadable": lambda c: c.heatmap(source=c.file(
        "eof.csv", 'Isolate;Substrate;gr\nER1;x;1,5\nER1;y;"2,5\n')),
    "data.duplicate-column": lambda c: c.heatmap(source=twice(c)),
    "data.duplicate-wells": lambda c: c.heatmap(source=copies(c, c.rows())),
    "data.duplicate-rows": lambda c: c.heatmap(source=copies(c, c.rows().drop(columns=["Plate_ID", "Well"]))),
    "data.column-missing": lambda c: c.heatmap("-v", "auc_lni"),
    "data.subset-column-missing": lambda c: raised(
        lambda: importlib.import_module("amiga_heatmap.pipeline.subset").apply_subset(c.rows(), {"isolate": ["ER1"]})),
    "data.subset-selects-nothing": lambda c: c.heatmap("-s", "Isolate:ER7"),
    "data.not-a-provenance-record": lambda c: c.raw("replay", c.file("other.provenance.json", "[1, 2]")),
    "data.replay-failed": lambda c: c.raw("replay", c.file("gone.provenance.json", json.dumps({
        "format": "amiga-heatmap provenance 1", "inputs": [], "outputs": [], "working_folder": str(c.tmp_path),
        "command_line": ["amiga-heatmap", "-i", "gone.txt", "-x", "Isolate", "-y", "Substrate", "-v", "gr"]}))),
    "data.replay-differs": replay_after_a_change,
    "data.test-without-replicates": lambda c: c.heatmap("--test", "-s", "Replicate:1;PM:1"),
    "data.engine-keeps-no-replicates": lambda c: raised(lambda: rowless_result(c).cells),
    "data.transform-leaves-nothing": lambda c: c.heatmap("--transform", "log2", source=c.file(
        "no_growth.txt", c.rows().assign(gr=0.0).to_csv(sep="\t", index=False))),
    "data.engine-keeps-no-rows": lambda c: raised(lambda: rowless_result(c).rows),
    "data.duckdb-out-of-memory": lambda c: c.heatmap(
        "--engine", "duckdb", "--engine-option", "memory_limit=68MB", source=many_cells(c, 1_500_000)),
    "data.duckdb-cannot-read": lambda c: (
        c.monkeypatch.setattr(importlib.import_module("amiga_heatmap.builtin.duckdb_engine.sources"),
                              "MAX_LINE_BYTES", 200), c.heatmap("--engine", "duckdb"))[1],
    "data.not-numeric": lambda c: c.heatmap("-v", "Plate_ID"),
    "data.replicates-without-operation": lambda c: c.cli("-x", "Isolate", "-y", "Substrate", "-v", "gr"),
    "data.no-x-y-pairs": lambda c: c.heatmap(source=c.file("nokeys.txt", "Isolate\tSubstrate\tgr\n\tA\t1\nER1\t\t2\n")),
    "data.all-rows-incomplete": lambda c: c.heatmap(source=incomplete(c)),
    "data.filter-keeps-nothing": lambda c: c.heatmap("-f", "row any > 100"),
    "data.all-cells-missing": lambda c: c.heatmap("--keep-rows-missing-data", "--keep-columns-missing-data",
                                                  source=c.file("blank.txt", c.rows().assign(gr=None).to_csv(
                                                      sep="\t", index=False))),
    "data.several-values-per-label": lambda c: c.heatmap("--sort-y-by", "PM"),
    "data.colour-file": lambda c: figure(c, "--color-x-by", "Strain", "--color-file-x", c.tmp_path / "none.txt"),
    "data.cluster-missing-cells": lambda c: c.heatmap(
        "-v", "norm(death_lin)", "-s", "PM:1", "-f", "NOT row any = inf", "--keep-rows-missing-data",
        "--keep-columns-missing-data", "--cluster-y", "--cluster-metric", "cosine", source=normalized(c)),
    "data.cluster-infinite": lambda c: c.heatmap("-v", "norm(death_lin)", "-s", "PM:1", "--cluster-y",
                                                 "--keep-rows-missing-data", "--keep-columns-missing-data",
                                                 source=normalized(c)),
    "data.cluster-too-large": lambda c: raised(lambda: importlib.import_module("amiga_heatmap.pipeline.clustering")
                                               .cluster(np.zeros((10_000_000, 1)), [], "average", "euclidean",
                                                        "Substrate rows")),
    "data.cluster-undefined-distance": lambda c: c.heatmap("-v", "norm(auc_lin)", "--cluster-y",
                                                           "--cluster-metric", "correlation", source=normalized(c)),
    "data.annotation-unreadable": lambda c: annotated(c, "Isolate\tgroup\nER1\t\xff\n".encode("latin-1"), "-x",
                                                     "group"),
    "data.annotation-repeated-column": lambda c: annotated(c, "Isolate\tgroup\tgroup\nER1\tA\tB\n", "-x", "group"),
    "data.annotation-no-rows": lambda c: annotated(c, "Isolate\tgroup\n", "-x", "group"),
    "data.annotation-no-shared-column": lambda c: annotated(c, "isolate\tgroup\nER1\tA\n", "-x", "group"),
    "data.annotation-adds-nothing": lambda c: annotated(c, "Isolate\tStrain\nER1\tA\n", "-x", "Strain"),
    "data.annotation-repeated-key": lambda c: annotated(c, "Isolate\tgroup\nER1\tA\nER1\tB\n", "-x", "group"),
    "data.output-folder-missing": lambda c: c.raw(
        "-i", c.summary, "--output-dir", c.tmp_path / "nowhere", "-x", "Isolate", "-y", "Substrate", "-v", "gr",
        "-p", "mean"),
    "data.output-is-folder": lambda c: (
        (c.tmp_path / "out" / "figure.tsv").mkdir(parents=True), c.heatmap())[1],
    "data.output-name-too-long": lambda c: c.heatmap("-o", "x" * 300),
    "data.output-folder-unwritable": lambda c: c.raw(
        "-i", c.summary, "--output-dir", "/sys", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p",
        "mean"),
    "data.write-failed": lambda c: plugin_run(c, "--format", "full", full="""
        def render(result, path, file_format, options):
            with open("/dev/full", "w") as device:
                device.write("x" * 100_000)

        @hookimpl
        def register_renderers(register):
            register(Renderer("full", ("full",), render))
    """),
    "data.standard-output": lambda c: full_standard_output(c),
    "data.system-fault": lambda c: plugin_run(c, "-p", "locked", locked="""
        import errno

        def refuse(groups):
            raise PermissionError(errno.EACCES, "Permission denied", "/srv/lab/cache")

        @hookimpl
        def register_aggregators(register):
            register(Aggregator("locked", refuse))
    """),
    # plugin errors
    "plugin.failed": lambda c: plugin_run(c, "-p", "boom", boom="""
        def explode(values, groups, n_groups):
            raise RuntimeError("boom")

        @hookimpl
        def register_aggregators(register):
            register(Aggregator("boom", explode))
    """),
    "plugin.quantifier-shape": lambda c: plugin_run(c, "-f", "row every > 0", every="""
        @hookimpl
        def register_quantifiers(register):
            register(Quantifier("every", lambda values, compare, axis: compare(values)))
    """),
    "plugin.aggregator-shape": lambda c: plugin_run(c, "-p", "few", few="""
        @hookimpl
        def register_aggregators(register):
            register(Aggregator("few", lambda values, groups, n_groups: values[:3]))
    """),
    "plugin.annotation-columns": lambda c: plugin_run(c, "-x", "habitat", partial="""
        import pandas as pd

        @hookimpl
        def register_annotations(register):
            register(Annotation("partial", ("Isolate",), ("habitat",), lambda: pd.DataFrame({"Isolate": ["ER1"]})))
    """),
    "plugin.name-clash": lambda c: plugin_run(c, first=MAXIMUM, second=MAXIMUM),
    "plugin.suffix-clash": lambda c: plugin_run(c, **{
        name: f"""
        @hookimpl
        def register_readers(register):
            register(Reader("{name}", (".xls",), print, print))
        """ for name in ("xls_one", "xls_two")}),
    "plugin.strict": lambda c: plugin_run(c, "--strict-plugins", broken="raise ImportError('no lab here')",
                                          hookless="def register_aggregators(register):\n    pass\n"),
    "plugin.transform-shape": lambda c: c.heatmap("--transform", "first", "--plugins-dir", c.plugins(first="""
        @hookimpl
        def register_transforms(register):
            register(Transform("first", lambda values: values.iloc[:1]))
    """)),
    "plugin.stage-declined": lambda c: c.heatmap("--disable-plugin", "builtin.stages", "--plugins-dir", c.plugins(
        declining="""
        @hookimpl
        def compute_cells(sources, run):
            return None
    """)),
    # plugin problems (warnings)
    "plugin.import-failed": lambda c: plugin_run(c, broken="raise ImportError('no lab here')"),
    "plugin.registration-failed": lambda c: plugin_run(c, failing="""
        @hookimpl
        def register_aggregators(register):
            raise ValueError("cannot register")
    """),
    "plugin.not-a-component": lambda c: plugin_run(c, texty="""
        @hookimpl
        def register_aggregators(register):
            register("maximum")
    """),
    "plugin.name-taken": lambda c: plugin_run(c, mean="""
        @hookimpl
        def register_aggregators(register):
            register(Aggregator("mean", form="mean"))
    """),
    "plugin.unknown-hook": lambda c: plugin_run(c, misspelt="""
        @hookimpl
        def register_aggregator(register):
            pass
    """),
    "plugin.missing-hookimpl": lambda c: plugin_run(c, hookless="def register_aggregators(register):\n    pass\n"),
    "plugin.same-name": lambda c: c.heatmap(
        "--plugins-dir", c.file("one/lab.py", PLUGIN_HEADER + MAXIMUM).parent,
        "--plugins-dir", c.file("two/lab.py", PLUGIN_HEADER + MAXIMUM).parent),
    "plugin.folder-missing": lambda c: (
        c.monkeypatch.setenv("AMIGA_HEATMAP_PLUGINS_DIR", str(c.tmp_path / "none")), c.heatmap())[1],
    "plugin.unknown-disabled": lambda c: c.heatmap("--disable-plugin", "builtin.reader"),
    "plugin.selected-missing": lambda c: (
        c.monkeypatch.setenv("AMIGA_HEATMAP_PLUGINS", "amiga-heatmap-nosuch"), c.heatmap())[1],
    # warnings
    "warning.log2ratio-undefined": lambda c: c.heatmap("-v", "death_lin", "--reference", "ER1", "--contrast",
                                                      "log2ratio", "--keep-rows-missing-data",
                                                      "--keep-columns-missing-data"),
    "warning.log2-undefined": lambda c: c.heatmap("-v", "death_lin", "-s", "Isolate:ER1", "--transform", "log2",
                                                 "--keep-rows-missing-data", "--keep-columns-missing-data"),
    "warning.missing-cells": lambda c: c.heatmap("-v", "norm(death_lin)", source=c.summary.with_name(
        "ER_all_summary_normalized.txt")),
    "warning.subset-no-match": lambda c: c.heatmap("-s", "Isolate:ER1,ER9"),
    "warning.subset-exclusion-no-match": lambda c: c.heatmap("-s", "Isolate:!ER9"),
    "warning.sort-ignored": lambda c: c.heatmap("--sort-x-by", "Strain", "--cluster-x"),
    "warning.highlight-not-plotted": lambda c: figure(c, "--highlight-labels", "y:D-Glucoze"),
    "warning.renderer-flag-taken": lambda c: c.heatmap("--plugins-dir", c.plugins(shades="""
        def draw(result, path, file_format, options):
            open(path, "w").close()

        @hookimpl
        def register_renderers(register):
            register(Renderer("shades", ("shades",), draw, options=(Option("shade", "a shade", flags=("--title",)),)))
    """)),
    "warning.own-output-skipped": lambda c: c.heatmap(source=(
        c.file("folder/plates.txt", c.rows().to_csv(sep="\t", index=False)),
        c.file("folder/old_filtered.txt", c.rows().to_csv(sep="\t", index=False)))[0].parent),
    "warning.files-declined": lambda c: c.heatmap("--plugins-dir", c.plugins(xlsx=LOCK_FILES), source=(
        c.file("folder/plates.txt", c.rows().to_csv(sep="\t", index=False)),
        c.file("folder/~$plates.xlsx", b"\x00" * 165))[0].parent),
    "warning.legacy-aggregator": lambda c: plugin_run(c, "-p", "maximum", old="""
        @hookimpl
        def register_aggregators(register):
            register(Aggregator("maximum", lambda groups: groups.max()))
    """),
    "warning.dendrogram-without-clustering": lambda c: figure(c, "--show-dendrogram"),
    "warning.annotation-cannot-join": lambda c: c.heatmap("-y", "biolog_class", source=c.file(
        "no_plates.txt", c.rows().drop(columns="PM").to_csv(sep="\t", index=False))),
    "warning.annotation-no-entry": lambda c: c.heatmap("-y", "biolog_class", source=c.file(
        "plate_26.txt", c.rows().replace({"PM": {2: 26}}).to_csv(sep="\t", index=False))),
    "warning.guessed-encoding": lambda c: c.heatmap(source=c.file(
        "excel.txt", c.rows().replace({"Substrate": {"Tween 20": "Tween 20 µM"}}).to_csv(
            sep="\t", index=False).encode("cp1252"))),
    # other outcomes
    "interrupted": interrupted,
    "unexpected": unexpected,
}


API_ONLY = {"usage.figure-of-file-renderer", "data.subset-column-missing", "data.engine-keeps-no-rows",
            "data.engine-keeps-no-replicates", "interrupted", "usage.pages-in-one-figure",
            "usage.missing-mode", "usage.output-name-encoding", "data.cluster-too-large", "usage.mask-shape"}
"""Entries met through the Python API (no "Error:" prefix), or printed by click itself."""


def test_every_entry_has_a_scenario_and_every_scenario_an_entry() -> None:
    assert sorted(SCENARIOS) == sorted(catalogue())


@pytest.mark.parametrize("identifier", sorted(SCENARIOS))
def test_each_entry_happens_as_catalogued(identifier, tmp_path, summary, run_cli, monkeypatch) -> None:
    if identifier == "data.unreadable-file" and not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux's /proc to make a read fail for the superuser")
    if identifier == "data.standard-output" and not Path("/dev/full").exists():
        pytest.skip("needs Linux's /dev/full")
    if identifier == "data.output-folder-unwritable" and not os.path.isdir("/sys"):
        pytest.skip("needs Linux's /sys, where even the superuser cannot create files")
    entry = catalogue()[identifier]
    status, stderr = SCENARIOS[identifier](Context(tmp_path, summary, run_cli, monkeypatch))
    assert status == entry.status, stderr
    assert entry.pattern().search(normalised(stderr)), f"{identifier}: {stderr}"
    assert "Traceback" not in stderr
    if entry.status in (1, 2, 3) and identifier not in API_ONLY:
        assert "Error: " in stderr
    if entry.status == 0:
        assert "Warning: " in stderr


# ----------------------------------------------------------------------------------- completeness

MESSAGE_CALLS = {"UsageError", "DataError", "PluginError", "NameClashError", "warn", "problem", "drop", "append"}
MINIMUM_PIECE = 20


def literal_pieces(node: ast.AST) -> list[str]:
    """The literal text pieces of a message expression (f-string parts, concatenations)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [value.value for value in node.values if isinstance(value, ast.Constant)]
    if isinstance(node, ast.BinOp):
        return literal_pieces(node.left) + literal_pieces(node.right)
    return []


def messages_in_source() -> list[tuple[str, str]]:
    """``(where, longest literal piece)`` of every message the package raises, warns or reports."""
    found = []
    for path in sorted([*PACKAGE.rglob("*.py"), *DASK_PLUGIN.rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
            if name not in MESSAGE_CALLS:
                continue
            if name == "append" and "conflicts" not in ast.unparse(function):
                continue
            pieces = [piece for argument in node.args for piece in literal_pieces(argument)]
            longest = max((normalised(piece) for piece in pieces), key=len, default="")
            if len(longest) >= MINIMUM_PIECE:
                found.append((f"{path.relative_to(REPOSITORY)}:{node.lineno}", longest))
    return found


def test_every_message_in_the_source_is_quoted_in_the_catalogue() -> None:
    text = normalised(CATALOGUE.read_text(encoding="utf-8"))
    messages = messages_in_source()
    assert len(messages) > 60
    missing = [f"{where}: {piece!r}" for where, piece in messages if piece not in text]
    assert not missing, "messages not in docs/errors.md:\n" + "\n".join(missing)


def test_library_deprecation_notices_are_not_shown_to_users(summary, run_cli, tmp_path) -> None:
    # seaborn's centred colour maps trigger a matplotlib deprecation notice meant for developers
    result = run_cli("-i", summary, "--output-dir", tmp_path, "-o", "centred", "-x", "Isolate", "-y", "Substrate",
                     "-v", "gr", "-p", "mean", "-s", "PM:1", "--kwargs", "cmap:RdBu_r;center:0.4", "--format", "png")
    assert result.exit_code == 0, result.stderr
    assert "deprecat" not in result.stderr.lower()
