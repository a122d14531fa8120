"""The DuckDB floor: the least work that turns a summary table into the heatmap, with DuckDB.

``python benchmarks/floor_duckdb.py FILE OUT.pdf`` does what ``floor.py`` does, with the reading and the
averaging in one DuckDB SQL query instead of pandas:

1. ``SELECT y, x, avg(value), count(*) FROM FILE GROUP BY y, x`` into a table: DuckDB reads only those
   columns of a tab-separated text file (``read_csv``) or a Parquet file (``read_parquet``, chosen by the
   suffix), streaming and in parallel, within ``--memory-limit``; then each label is numbered once in
   SQL and the cells come back as (row number, column number, mean), numbers only (a screen's 2.5 *
   10^7 cells as pairs of texts took numpy 80 s and 18 GB to number);
2. place the means in a y-by-x matrix with numpy;
3. keep the rows where any cell is >= the threshold;
4. save the same bare ``imshow(..., interpolation="none")`` PDF as ``floor.py``.

Labels are read as text (``all_varchar`` for a text file), as amiga-heatmap reads them. It prints one
JSON object on stdout: seconds spent importing duckdb, numpy and matplotlib and in each stage
(``query``, ``pivot``, ``filter``, ``render``), the total since ``main`` started, the rows aggregated and
the shape of the rendered matrix. It is the floor an engine pushing the work into DuckDB is measured
against, next to ``floor.py``'s pandas floor.
"""

from __future__ import annotations

import argparse
import json
import sys
from time import perf_counter


def source_sql(path: str, x: str, y: str, value: str) -> str:
    """The FROM clause reading ``path``: Parquet by its suffix, else a tab-separated text table whose
    columns are all read as text (the value is cast in the query)."""
    literal = "'" + path.replace("'", "''") + "'"
    if path.lower().endswith((".parquet", ".pq")):
        return f"read_parquet({literal})"
    return f"read_csv({literal}, delim='\\t', header=true, all_varchar=true)"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main(argv: list[str] | None = None) -> int:
    """Render FILE to OUT.pdf and print the stage timings as JSON."""
    start = perf_counter()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", help="AMiGA summary table (tab-separated text, or Parquet)")
    parser.add_argument("out", help="PDF to write")
    parser.add_argument("--x", default="Isolate", help="column for the heatmap columns")
    parser.add_argument("--y", default="Substrate", help="column for the heatmap rows")
    parser.add_argument("--value", default="norm(auc_lin)", help="column to average")
    parser.add_argument("--threshold", type=float, default=1.2, help="keep rows with any cell >= this")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB's memory_limit (default: %(default)s)")
    args = parser.parse_args(argv)

    times: dict[str, float] = {}
    clock = perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = perf_counter()
        times[stage] = round(now - clock, 4)
        clock = now

    import duckdb
    import numpy as np
    from matplotlib.figure import Figure

    lap("import")
    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{args.memory_limit}'")
    x, y, value = quoted(args.x), quoted(args.y), quoted(args.value)
    connection.execute(
        f"CREATE TEMP TABLE cells AS SELECT CAST({y} AS VARCHAR) AS y, CAST({x} AS VARCHAR) AS x, "
        f"avg(CAST({value} AS DOUBLE)) AS mean, count(*) AS n "
        f"FROM {source_sql(args.file, args.x, args.y, args.value)} GROUP BY ALL"
    )
    for axis in ("y", "x"):  # each label once, numbered in sorted order
        connection.execute(f"CREATE TEMP TABLE {axis}s AS SELECT {axis} AS label, "
                           f"CAST(row_number() OVER (ORDER BY {axis}) - 1 AS INTEGER) AS code "
                           f"FROM (SELECT DISTINCT {axis} FROM cells)")
    shape = [connection.execute(f"SELECT count(*) FROM {axis}s").fetchone()[0] for axis in ("y", "x")]
    rows_read = connection.execute("SELECT sum(n) FROM cells").fetchone()[0]
    cells = connection.execute(
        "SELECT ys.code AS row, xs.code AS col, mean FROM cells "
        "JOIN ys ON cells.y = ys.label JOIN xs ON cells.x = xs.label").fetchnumpy()
    lap("query")
    matrix = np.full(shape, np.nan)
    matrix[cells["row"], cells["col"]] = cells["mean"]
    lap("pivot")
    with np.errstate(invalid="ignore"):
        matrix = matrix[(matrix >= args.threshold).any(axis=1)]
    lap("filter")
    figure = Figure()
    figure.add_subplot().imshow(matrix, aspect="auto", interpolation="none")
    figure.savefig(args.out, format="pdf")
    lap("render")

    times["total"] = round(perf_counter() - start, 4)
    print(json.dumps({"seconds": times, "rows_read": int(rows_read), "shape": list(matrix.shape)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
