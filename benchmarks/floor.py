"""The floor: the least work that turns a summary table into the heatmap.

``python benchmarks/floor.py FILE OUT.pdf`` does what a user would write by
hand instead of running ``amiga-heatmap -x Isolate -y Substrate
-v "norm(auc_lin)" -p mean -f "row any >= 1.2"``:

1. read only the three needed columns with pandas' pyarrow engine;
2. average the value per (y, x) pair;
3. pivot to a y-by-x matrix;
4. keep the rows where any cell is >= the threshold;
5. save a bare ``imshow(..., interpolation="none")`` of the matrix to PDF.

It prints one JSON object on stdout: seconds spent importing pandas and
matplotlib and in each stage above, the total since ``main`` started, and
the shape of the rendered matrix. No labels, colour bar or clustering: any
tool doing more can only be slower, hence "floor".
"""

from __future__ import annotations

import argparse
import json
import sys
from time import perf_counter


def main(argv: list[str] | None = None) -> int:
    """Render FILE to OUT.pdf and print the stage timings as JSON."""
    start = perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", help="AMiGA summary table (tab-separated)")
    parser.add_argument("out", help="PDF to write")
    parser.add_argument("--x", default="Isolate", help="column for the heatmap columns")
    parser.add_argument("--y", default="Substrate", help="column for the heatmap rows")
    parser.add_argument("--value", default="norm(auc_lin)", help="column to average")
    parser.add_argument("--threshold", type=float, default=1.2, help="keep rows with any cell >= this")
    args = parser.parse_args(argv)

    times: dict[str, float] = {}
    clock = perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = perf_counter()
        times[stage] = round(now - clock, 4)
        clock = now

    import pandas as pd
    from matplotlib.figure import Figure

    lap("import")
    table = pd.read_csv(args.file, sep="\t", engine="pyarrow", usecols=[args.x, args.y, args.value])
    lap("read")
    means = table.groupby([args.y, args.x])[args.value].mean()
    lap("aggregate")
    matrix = means.unstack(args.x)
    lap("pivot")
    matrix = matrix[(matrix >= args.threshold).any(axis=1)]
    lap("filter")
    figure = Figure()
    figure.add_subplot().imshow(matrix.to_numpy(), aspect="auto", interpolation="none")
    figure.savefig(args.out, format="pdf")
    lap("render")

    times["total"] = round(perf_counter() - start, 4)
    print(json.dumps({"seconds": times, "rows_read": len(table), "shape": list(matrix.shape)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
