"""Compare ways of reading the columns a heatmap needs from a synthetic summary table.

``python benchmarks/readers.py [SIZE ...] [--repeat 5]`` reads the four columns a default run needs
(the sample id, Isolate, Substrate and norm(auc_lin)) from ``benchmarks/data/synthetic_{SIZE}.txt``
with each strategy below, every read in a fresh process, and prints the median seconds of the read
alone (pandas already imported) and the median peak memory of the process. The strategies:

- ``c``: ``pandas.read_csv(sep="\\t", usecols=[...])``, pandas' C parser;
- ``c-all``: the C parser reading every column (what a reader ignoring the wanted columns costs);
- ``pyarrow``: ``engine="pyarrow"`` with the same ``usecols`` (what benchmarks/floor.py and the
  built-in reader's fast tier do);
- ``pyarrow-all``: the pyarrow engine reading every column.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
COLUMNS = ["Sample_ID", "Isolate", "Substrate", "norm(auc_lin)"]
STRATEGIES = {
    "c": {"sep": "\t", "usecols": COLUMNS},
    "c-all": {"sep": "\t"},
    "pyarrow": {"sep": "\t", "usecols": COLUMNS, "engine": "pyarrow"},
    "pyarrow-all": {"sep": "\t", "engine": "pyarrow"},
}
# Run in a child process: import pandas, time one read, report seconds and peak memory (MB) as JSON.
CHILD = """
import json, resource, sys, time
import pandas
options = json.loads(sys.argv[2])
start = time.perf_counter()
table = pandas.read_csv(sys.argv[1], **options)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": len(table), "columns": table.shape[1]}))
"""


def read_once(path: Path, options: dict) -> dict:
    """Read ``path`` with ``options`` in a fresh interpreter; return its JSON report."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), json.dumps(options)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", metavar="SIZE", help="small, medium, large (default: all three)")
    parser.add_argument("--repeat", type=int, default=5, help="reads per strategy and size (default: 5)")
    parser.add_argument(
        "--data", type=Path, default=BENCHMARKS / "data", help="folder of the synthetic tables"
    )
    args = parser.parse_args(argv)
    print("| size | strategy | read s (median) | peak MB (median) |")
    print("|---|---|---:|---:|")
    for size in args.sizes or ["small", "medium", "large"]:
        path = args.data / f"synthetic_{size}.txt"
        if not path.exists():
            parser.error(f"{path} is missing; make it with: python benchmarks/generate.py {size}")
        runs: dict[str, list[dict]] = {name: [] for name in STRATEGIES}
        for _ in range(args.repeat):  # strategies alternate, so load changes hit them alike
            for name, options in STRATEGIES.items():
                runs[name].append(read_once(path, options))
        for name, reports in runs.items():
            seconds = statistics.median(report["seconds"] for report in reports)
            peak = statistics.median(report["peak_mb"] for report in reports)
            print(f"| {size} | {name} | {seconds:.2f} | {peak:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
