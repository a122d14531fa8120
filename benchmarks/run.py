"""Run amiga-heatmap and the floor side by side on the synthetic summary tables.

``python benchmarks/run.py [SIZE ...]`` runs, for each size (small, medium, large by default), the
command line of this checkout

    python -m amiga_heatmap -i FILE -x Isolate -y Substrate -v "norm(auc_lin)" -p mean \\
        -f "row any >= 1.2" -o NAME --output-dir TMP --verbose [--our-args ...]

and ``benchmarks/floor.py FILE OUT.pdf``, alternately, ``--repeat`` times each, every run in a fresh
process. It prints the median wall time and peak memory (maximum resident set size) of each, their
ratio ours / floor, and the median time of every stage: ours from the ``times:`` line that ``--verbose``
prints, the floor's from its JSON. ``--startup`` also times ``--help`` and ``plugins``;
``--full-matrix`` draws the whole large table (no filter: 2,000 x 380) once and reports the PDF's size
and how long pdftoppm takes to rasterise it. Missing data files are generated first (the large one
takes about 20 s). Linux only: peak memory comes from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from time import perf_counter

BENCHMARKS = Path(__file__).resolve().parent
REPOSITORY = BENCHMARKS.parent
DATA = BENCHMARKS / "data"
SIZES = ("small", "medium", "large")
OUR_STAGES = ("import", "read", "annotate", "subset", "aggregate", "pivot", "transform", "filter", "cluster", "render")
FLOOR_STAGES = ("import", "read", "aggregate", "pivot", "filter", "render")
QUERY = ("-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean")
ROW_FILTER = "row any >= 1.2"
TIMES_LINE = re.compile(r"^amiga-heatmap: times: (.*)$", re.MULTILINE)
STAGE_TIME = re.compile(r"([\w-]+) ([0-9.]+) s")


@dataclass
class Run:
    """One process: wall seconds, peak resident memory in MB, exit status and what it printed."""

    wall: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def measure(command: list[str], timeout: float = 600.0, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to the end (killing it after ``timeout`` seconds) and measure it.

    The wall time runs from just before the process starts until it has exited; the peak memory is
    the child's own ``ru_maxrss`` (from ``os.wait4``, so runs never mix).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=REPOSITORY)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall=wall,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=process.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            timed_out=killed.is_set(),
        )


def our_environment() -> dict[str, str]:
    """The environment for our runs: this checkout's package first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    return env


def our_command(
    data: Path, output_dir: Path, name: str, extra: list[str], row_filter: bool = True
) -> list[str]:
    """The amiga-heatmap command line measured (``--verbose`` so that it prints its stage times)."""
    chosen = ["-f", ROW_FILTER] if row_filter else []
    return [
        sys.executable, "-m", "amiga_heatmap", "-i", str(data), *QUERY, *chosen,
        "-o", name, "--output-dir", str(output_dir), "--verbose", *extra,
    ]


def floor_command(data: Path, output: Path) -> list[str]:
    """The floor script's command line."""
    return [sys.executable, str(BENCHMARKS / "floor.py"), str(data), str(output)]


def our_stage_times(run: Run) -> dict[str, float]:
    """The stage times from the ``amiga-heatmap: times: ...`` line of a ``--verbose`` run."""
    found = TIMES_LINE.findall(run.stderr)
    if not found:
        return {}
    return {name: float(seconds) for name, seconds in STAGE_TIME.findall(found[-1])}


def floor_stage_times(run: Run) -> dict[str, float]:
    """The stage times the floor prints as JSON (its ``total`` left out)."""
    lines = run.stdout.strip().splitlines()
    if not lines:
        return {}
    seconds = dict(json.loads(lines[-1])["seconds"])
    seconds.pop("total", None)
    return seconds


@dataclass
class Side:
    """Medians over the repeated runs of one command on one input."""

    wall: float | None
    peak_mb: float | None
    stages: dict[str, float]
    walls: list[float]
    failures: list[str] = field(default_factory=list)


def summarise(runs: list[Run], stage_times) -> Side:
    """Median wall, peak memory and stage times over the successful ``runs``."""
    good = [run for run in runs if run.ok]
    failures = [
        "timed out" if run.timed_out else f"exit {run.returncode}: {run.stderr.strip().splitlines()[-1:]}"
        for run in runs
        if not run.ok
    ]
    if not good:
        return Side(None, None, {}, [], failures)
    per_stage: dict[str, list[float]] = {}
    for run in good:
        for name, seconds in stage_times(run).items():
            per_stage.setdefault(name, []).append(seconds)
    return Side(
        wall=statistics.median(run.wall for run in good),
        peak_mb=statistics.median(run.peak_mb for run in good),
        stages={name: statistics.median(values) for name, values in per_stage.items()},
        walls=[round(run.wall, 3) for run in good],
        failures=failures,
    )


def compare_on(data: Path, repeat: int, extra: list[str], timeout: float, work: Path) -> dict[str, Side]:
    """Run the floor and ours alternately ``repeat`` times each on ``data``."""
    floor_runs, our_runs = [], []
    env = our_environment()
    for index in range(repeat):
        floor_runs.append(measure(floor_command(data, work / f"floor_{data.stem}.pdf"), timeout))
        our_runs.append(measure(our_command(data, work, f"ours_{data.stem}", extra), timeout, env))
        print(
            f"  {data.stem} run {index + 1}/{repeat}: floor {_seconds(floor_runs[-1])}, "
            f"ours {_seconds(our_runs[-1])}",
            file=sys.stderr,
        )
    return {"floor": summarise(floor_runs, floor_stage_times), "ours": summarise(our_runs, our_stage_times)}


def startup_times(repeat: int, timeout: float) -> dict[str, float | None]:
    """Median wall seconds of ``amiga-heatmap --help`` and ``amiga-heatmap plugins`` (None: failed)."""
    env = our_environment()
    medians: dict[str, float | None] = {}
    for name, arguments in (("--help", ["--help"]), ("plugins", ["plugins"])):
        command = [sys.executable, "-m", "amiga_heatmap", *arguments]
        runs = [measure(command, timeout, env) for _ in range(repeat)]
        good = [run.wall for run in runs if run.ok]
        medians[name] = statistics.median(good) if good else None
    return medians


def full_matrix(
    data: Path, extra: list[str], timeout: float, work: Path, resolution: int
) -> dict[str, object]:
    """Draw every cell of ``data`` (no filter) to PDF; report time, memory, PDF size and pdftoppm's time
    to rasterise it, to its default output (PPM) and to PNG (which adds the PNG compression)."""
    run = measure(our_command(data, work, "full_matrix", extra, row_filter=False), timeout, our_environment())
    report: dict[str, object] = {
        "ok": run.ok, "wall": run.wall, "peak_mb": run.peak_mb, "stages": our_stage_times(run)
    }
    pdf = work / "full_matrix.pdf"
    if not run.ok or not pdf.exists():
        report["failure"] = "timed out" if run.timed_out else run.stderr.strip().splitlines()[-1:]
        return report
    shape = re.search(r"\((\d+) \S+ x (\d+) \S+\)", run.stdout)
    report["shape"] = [int(shape.group(1)), int(shape.group(2))] if shape else None
    report["pdf_mb"] = pdf.stat().st_size / 1e6
    report["pdftoppm_resolution"] = resolution
    for key, output in (("pdftoppm_seconds", []), ("pdftoppm_png_seconds", ["-png"])):
        raster = measure(["pdftoppm", "-r", str(resolution), *output, str(pdf), str(work / "raster")], timeout)
        report[key] = raster.wall if raster.ok else None
        for picture in work.glob("raster*"):
            picture.unlink()
    return report


def ensure_data(size: str, folder: Path) -> Path:
    """The synthetic table of ``size`` in ``folder``, generated first if missing."""
    path = folder / f"synthetic_{size}.txt"
    if not path.exists():
        print(f"generating {path} ...", file=sys.stderr)
        folder.mkdir(parents=True, exist_ok=True)
        generator = [sys.executable, str(BENCHMARKS / "generate.py"), size, "--out", str(folder)]
        subprocess.run(generator, check=True)
    return path


def _seconds(run: Run) -> str:
    return f"{run.wall:.2f} s" if run.ok else ("timed out" if run.timed_out else f"failed ({run.returncode})")


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(ours: float | None, floor: float | None) -> str:
    return "-" if ours is None or not floor else f"{ours / floor:.2f}"


def tables(results: dict[str, dict[str, Side]], rows: dict[str, int]) -> str:
    """The results as markdown tables: end to end, then stage by stage."""
    lines = [
        (
            "| size | rows | floor wall s | ours wall s | ours / floor "
            "| floor peak MB | ours peak MB | ours / floor |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, sides in results.items():
        floor, ours = sides["floor"], sides["ours"]
        lines.append(
            f"| {size} | {rows[size]:,} | {_number(floor.wall)} | {_number(ours.wall)} | "
            f"{_ratio(ours.wall, floor.wall)} | {_number(floor.peak_mb, 0)} | {_number(ours.peak_mb, 0)} | "
            f"{_ratio(ours.peak_mb, floor.peak_mb)} |"
        )
    lines += [
        "",
        (
            "Median seconds per stage (other: the rest of the wall time: process start-up and shut-down, "
            "option parsing, plugin loading):"
        ),
        "",
    ]
    lines.append("| size | side | " + " | ".join(OUR_STAGES) + " | other |")
    lines.append("|---|---|" + "---:|" * (len(OUR_STAGES) + 1))
    for size, sides in results.items():
        for name, side in sides.items():
            cells = [_number(side.stages.get(stage)) for stage in OUR_STAGES]
            other = side.wall - sum(side.stages.values()) if side.wall is not None and side.stages else None
            lines.append(f"| {size} | {name} | " + " | ".join(cells) + f" | {_number(other)} |")
    for size, sides in results.items():
        for name, side in sides.items():
            for failure in side.failures:
                lines.append(f"\n{size} {name}: {failure}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", metavar="SIZE", help="small, medium, large (default: all three)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side per size (default: 3)")
    parser.add_argument("--our-args", default="", metavar="ARGS",
                        help='extra amiga-heatmap arguments, e.g. "--cluster-x --cluster-y"')
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the synthetic tables")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is killed")
    parser.add_argument("--startup", action="store_true", help="also time --help and plugins (10 runs)")
    parser.add_argument("--full-matrix", action="store_true",
                        help="also draw the whole large table once; report PDF size and pdftoppm time")
    parser.add_argument("--pdftoppm-resolution", type=int, default=150, metavar="DPI",
                        help="resolution for the pdftoppm check (default: 150, pdftoppm's own default)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every measurement as JSON")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="write the tables as markdown")
    parser.add_argument("--max-ratio", type=float, metavar="R",
                        help="exit with status 1 when ours takes more than R times the floor's wall time")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sizes) - set(SIZES))
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {', '.join(SIZES)}")
    args.sizes = args.sizes or list(SIZES)
    extra = shlex.split(args.our_args)

    results: dict[str, dict[str, Side]] = {}
    rows: dict[str, int] = {}
    report: dict[str, object] = {"our_args": extra, "repeat": args.repeat, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="amiga-heatmap-bench-") as folder:
        work = Path(folder)
        for size in args.sizes:
            data = ensure_data(size, args.data)
            with open(data, "rb") as handle:
                rows[size] = sum(1 for _ in handle) - 1
            results[size] = compare_on(data, args.repeat, extra, args.timeout, work)
        text = tables(results, rows)
        if args.startup:
            startup = startup_times(10, args.timeout)
            report["startup_seconds"] = startup
            text += "\n\nStart-up, median of 10: " + ", ".join(
                f"`amiga-heatmap {name}` {_number(seconds)} s" for name, seconds in startup.items()
            )
        if args.full_matrix:
            large = ensure_data("large", args.data)
            figure = full_matrix(large, extra, args.timeout, work, args.pdftoppm_resolution)
            report["full_matrix"] = figure
            text += (
                f"\n\nWhole large table, no filter (matrix {figure.get('shape')}): wall "
                f"{_number(figure['wall'])} s, peak {_number(figure['peak_mb'], 0)} MB, PDF "
                f"{_number(figure.get('pdf_mb'))} MB, pdftoppm -r {args.pdftoppm_resolution} "
                f"{_number(figure.get('pdftoppm_seconds'))} s (to PNG: "
                f"{_number(figure.get('pdftoppm_png_seconds'))} s)"
                + (f" (failed: {figure['failure']})" if "failure" in figure else "")
            )
    print(text)
    report["results"] = {
        size: {name: asdict(side) for name, side in sides.items()} for size, sides in results.items()
    }
    report["rows"] = rows
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(text + "\n")
    if args.max_ratio is not None:
        slower = too_slow(results, args.max_ratio)
        for line in slower:
            print(line, file=sys.stderr)
        return 1 if slower else 0
    return 0


def too_slow(results: dict[str, dict[str, Side]], limit: float) -> list[str]:
    """A line for every size where ours failed or took more than ``limit`` times the floor's median."""
    lines = []
    for size, sides in results.items():
        floor, ours = sides["floor"], sides["ours"]
        if ours.wall is None or floor.wall is None:
            lines.append(f"{size}: a side failed, so the ratio cannot be checked")
        elif ours.wall > limit * floor.wall:
            lines.append(f"{size}: ours took {ours.wall:.2f} s, {ours.wall / floor.wall:.2f}x the floor's "
                         f"{floor.wall:.2f} s; the limit is {limit:g}x. The stage table above shows where.")
    return lines


if __name__ == "__main__":
    sys.exit(main())
