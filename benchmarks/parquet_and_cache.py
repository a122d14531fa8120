"""The Parquet copy and the parsed-input cache, measured: one size's text summary drawn

- ``first``: with an empty parsed-input cache (the run parses the text and fills the cache);
- ``second``: again, on the unchanged file (served from the cache);
- ``text``: with ``--no-cache`` (today's path: the text parsed every time);
- ``parquet``: from its Parquet copy (``amiga-heatmap convert``, timed once first);
- ``floor`` and ``floor-duckdb``: ``floor.py`` on the text, ``floor_duckdb.py`` on the text and on the
  Parquet copy,

each a fresh process, the kinds taking turns ``--repeat`` times so that the machine's load hits all
alike. Every heatmap run is ``-x Isolate -y Substrate -v "norm(auc_lin)" -p mean -f "row any >= 1.2"``
to PDF, with the provenance record (the default). Prints a markdown table of the median wall time and
peak memory of each kind and the ratios that docs/performance.md quotes.

    python benchmarks/parquet_and_cache.py [SIZE] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

from generate import DEFAULT_OUT, SIZES, data_file, write_summary
from run import measure

ARGUMENTS = ["-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any >= 1.2"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", nargs="?", default="large", choices=SIZES)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    source = data_file(DEFAULT_OUT, args.size, "text")
    if not source.exists():
        DEFAULT_OUT.mkdir(parents=True, exist_ok=True)
        write_summary(source, *SIZES[args.size])
    with tempfile.TemporaryDirectory(prefix="amiga-heatmap-bench-") as folder:
        folder = Path(folder)
        environment = {**os.environ, "AMIGA_HEATMAP_CACHE_DIR": str(folder / "cache")}
        ours = [sys.executable, "-m", "amiga_heatmap"]
        copy = folder / f"{source.stem}.parquet"
        converted = measure([*ours, "convert", str(source), str(copy)], env=environment)
        assert converted.returncode == 0, converted.stderr
        copy_megabytes = copy.stat().st_size / 1e6

        def heatmap(name: str, *extra: str, input_path: Path = source) -> list[str]:
            return [*ours, "-i", str(input_path), *ARGUMENTS, "-o", name, "--output-dir", str(folder), *extra]

        kinds = {
            "first": heatmap("first"),
            "second": heatmap("second"),
            "text": heatmap("text", "--no-cache"),
            "parquet": heatmap("parquet", input_path=copy),
            "floor": [sys.executable, str(BENCHMARKS / "floor.py"), str(source), str(folder / "floor.pdf")],
            "floor-duckdb text": [sys.executable, str(BENCHMARKS / "floor_duckdb.py"), str(source),
                                  str(folder / "floor_duckdb.pdf")],
            "floor-duckdb parquet": [sys.executable, str(BENCHMARKS / "floor_duckdb.py"), str(copy),
                                     str(folder / "floor_duckdb.pdf")],
        }
        results: dict[str, list] = {kind: [] for kind in kinds}
        for _ in range(args.repeat):
            for kind, command in kinds.items():
                if kind == "first":
                    for entry in (folder / "cache").rglob("*.cache"):
                        entry.unlink()
                run = measure(command, env=environment)
                assert run.returncode == 0, f"{kind}: {run.stderr}"
                results[kind].append(run)
    wall = {kind: statistics.median(run.wall for run in runs) for kind, runs in results.items()}
    peak = {kind: statistics.median(run.peak_mb for run in runs) for kind, runs in results.items()}
    print(f"{args.size}: {source.stat().st_size / 1e6:,.0f} MB of text; convert {converted.wall:.1f} s, "
          f"{converted.peak_mb:,.0f} MB peak; the Parquet copy takes {copy_megabytes:,.0f} MB")
    print("\n| run | wall (median) | peak memory |\n|---|---:|---:|")
    for kind in kinds:
        print(f"| {kind} | {wall[kind]:.2f} s | {peak[kind]:,.0f} MB |")
    print(f"\nfirst / second (the cache): {wall['first'] / wall['second']:.2f}x faster")
    print(f"text / parquet: {wall['text'] / wall['parquet']:.2f}x faster, "
          f"{peak['text'] / peak['parquet']:.2f}x leaner")
    print(f"text / first (the cost of filling the cache): {wall['first'] / wall['text']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
