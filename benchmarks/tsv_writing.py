"""``--format tsv`` of a big matrix: the table renderer against pandas' ``DataFrame.to_csv`` (what it
used before), on the same matrix, with the bytes compared.

    python benchmarks/tsv_writing.py [--isolates 4000] [--wells 592] [--repeat 5]

builds the Isolate x Substrate mean matrix of ``norm(auc_lin)`` of a generated summary (4,000 isolates
on 592 wells of 7 plates, one replicate: a 586 x 4,000 matrix by default) with the real pipeline, then
times ``result.save(PATH.tsv)`` and ``matrix.to_csv(...)`` alternately and prints the median seconds
of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--isolates", type=int, default=4000)
    parser.add_argument("--wells", type=int, default=592)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from amiga_heatmap import heatmap

    rows = generate_summary(args.isolates, args.wells, n_replicates=1)
    result = heatmap(rows, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean", missing="keep")
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            start = perf_counter()
            [written] = result.save(Path(folder) / "ours.tsv")
            ours.append(perf_counter() - start)
            start = perf_counter()
            result.matrix.to_csv(Path(folder) / "pandas.tsv", sep="\t", index_label=result.y, na_rep="",
                                 lineterminator="\n")
            theirs.append(perf_counter() - start)
        same = Path(written).read_bytes() == (Path(folder) / "pandas.tsv").read_bytes()
    print(f"matrix {result.matrix.shape[0]} x {result.matrix.shape[1]}: result.save(tsv) "
          f"{statistics.median(ours):.2f} s, DataFrame.to_csv {statistics.median(theirs):.2f} s "
          f"(median of {args.repeat}); the same bytes: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
