"""The seaborn renderer alone, on a saved matrix: seconds per stage of drawing it as a default PDF.

    amiga-heatmap ... --format tsv -o matrix --output-dir DIR      # the matrix of any run, once
    python benchmarks/renderer.py DIR/matrix.tsv [--repeat 5] [--value "norm(auc_lin)"]

reads the matrix (rows: the first column's labels, columns: the header's), then draws it ``--repeat``
times, each in a fresh process (the imports and the memory a first drawing pays for are part of the
cost, as in a run of the command line) with the command line's lean seaborn import, and prints the
median seconds of each stage: importing matplotlib and our figure modules, importing matplotlib's PDF
backend, planning the figure (colour scale, layout), drawing it (seaborn included), ``savefig`` (the
page's content: labels, the image's pixels) and closing the PDF (image compression, font subsets). To
compare two versions of the code, run it once with each on ``PYTHONPATH`` (a checkout's folder), in
the same minute. ``--value`` names the matrix's value (a ``norm(...)`` value is drawn on a log scale).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

STAGES = ("import", "import pdf", "plan", "draw", "savefig", "close")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("matrix", help="a matrix written with --format tsv")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--value", default="norm(auc_lin)", help="the value the matrix holds")
    parser.add_argument("--draw", metavar="FOLDER", help=argparse.SUPPRESS)  # one drawing, in a child process
    args = parser.parse_args(argv)
    if args.draw:
        print(json.dumps(draw_once(Path(args.draw), args.value)))
        return 0
    import numpy as np
    import pandas as pd

    matrix = pd.read_csv(args.matrix, sep="\t", index_col=0, dtype={0: str})
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        np.save(Path(folder) / "values.npy", matrix.to_numpy(dtype=float))
        names = {"y": matrix.index.name, "x": matrix.columns.name or "x"}
        labels = {"index": [str(label) for label in matrix.index], "columns": [str(c) for c in matrix.columns]}
        (Path(folder) / "labels.json").write_text(json.dumps({**labels, **names}))
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, __file__, args.matrix, "--value", args.value, "--draw", folder],
                capture_output=True, text=True, check=True,
            )
            runs.append(json.loads(done.stdout.splitlines()[-1]))
    print(f"{matrix.shape[0]} x {matrix.shape[1]} matrix, {args.repeat} fresh processes, median seconds:")
    for stage in (*STAGES, "total"):
        times = [run[stage] for run in runs]
        print(f"  {stage:10s} {statistics.median(times):6.2f}   ({', '.join(f'{t:.2f}' for t in times)})")
    return 0


def draw_once(folder: Path, value: str) -> dict[str, float]:
    """Draw the matrix saved in ``folder`` to a PDF there; the seconds of each stage."""
    from amiga_heatmap.builtin.figure.seaborn_import import lean_import_in_this_process

    lean_import_in_this_process()
    import numpy as np
    import pandas as pd

    from amiga_heatmap.result import HeatmapResult

    saved = json.loads((folder / "labels.json").read_text())
    matrix = pd.DataFrame(
        np.load(folder / "values.npy"),
        index=pd.Index(saved["index"], name=saved["y"]),
        columns=pd.Index(saved["columns"], name=saved["x"]),
    )
    result = HeatmapResult(source_rows=None, matrix=matrix, counts=matrix.notna().astype(int), value=value,
                           x=saved["x"], y=saved["y"], title=value, values=(value,))
    times: dict[str, float] = {}
    clock = perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = perf_counter()
        times[stage] = round(now - clock, 4)
        clock = now

    import matplotlib

    from amiga_heatmap.builtin.figure.draw import draw_page, plan_figure
    from amiga_heatmap.builtin.figure.options import read_options
    from amiga_heatmap.builtin.seaborn_renderer import SAVE_METADATA, SAVE_SETTINGS

    lap("import")
    from matplotlib.backends.backend_pdf import PdfPages

    lap("import pdf")
    drawing = read_options({}, "pdf", shape=matrix.shape)
    with matplotlib.rc_context(SAVE_SETTINGS):
        plan = plan_figure(result, drawing)
        lap("plan")
        figure = draw_page(result, drawing, plan, 0, len(plan.row_texts), 0, 1)
        lap("draw")
        document = PdfPages(folder / "figure.pdf", metadata=SAVE_METADATA["pdf"])
        document.savefig(figure)
        lap("savefig")
        document.close()
        lap("close")
    times["total"] = round(sum(times.values()), 4)
    return times


if __name__ == "__main__":
    raise SystemExit(main())
