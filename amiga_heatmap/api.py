"""The Python API: :func:`heatmap` runs the whole pipeline and returns a :class:`HeatmapResult`.

The command line is a thin layer over this function. Stages, in order: read, subset, numeric check,
aggregate and pivot, drop rows with missing cells, filter, order. Each stage logs what it did to the
``amiga_heatmap`` logger at INFO level (``--verbose`` shows it) and is timed for :mod:`.timing`
(``import``, ``read``, ``subset``, ``aggregate``, ``pivot``, ``filter``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, UsageError
from .plugins import PluginSet, get_plugins
from .result import HeatmapResult
from .timing import Stopwatch

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

SubsetArgument = str | Mapping[str, Sequence[object] | object] | None


def heatmap(
    data: str | os.PathLike[str] | pd.DataFrame,
    value: str,
    x: str,
    y: str,
    operation: str | None = None,
    subset: SubsetArgument = None,
    filter: str | None = None,
    title: str | None = None,
    plugins: PluginSet | None = None,
) -> HeatmapResult:
    """Build the heatmap matrix of ``value`` with ``y`` as rows and ``x`` as columns.

    :param data: a summary file, a folder searched recursively for summary files, or a DataFrame of
        summary rows (never modified).
    :param value: the numeric column to show, e.g. ``"norm(auc_lin)"``.
    :param x: the column whose values become the heatmap's columns, e.g. ``"Isolate"``.
    :param y: the column whose values become the heatmap's rows, e.g. ``"Substrate"``.
    :param operation: name of a registered aggregator (``"mean"``, ``"median"``, or a plugin's) combining
        replicate rows of one (x, y) pair. None requires every pair to occur once.
    :param subset: ``"Var:v1,v2;Var2:v3"`` or ``{"Var": ["v1", "v2"]}``: keep only matching rows.
    :param filter: a filter expression such as ``"row any >= 1.2 OR row any <= 0.8"``.
    :param title: the figure title; defaults to ``value``.
    :param plugins: the plugin set to use; defaults to the built-ins plus installed plugins.
    :return: a :class:`HeatmapResult` with the rows used, the matrix and the per-cell replicate counts.
    :raises UsageError: for malformed subset or filter text or an unknown operation name.
    :raises DataError: for missing inputs or columns, non-numeric values, or selections that leave
        nothing to draw.
    """
    clock = Stopwatch()
    import pandas  # noqa: F401  (imported here so that its cost is timed as "import", not "read")

    from .filter_evaluation import evaluate_filter
    from .filter_language import parse_filter
    from .matrix import aggregate, drop_missing_rows, numeric_values, order_single_column, pivot
    from .subset import apply_subset, parse_subset

    plugins = plugins or get_plugins()
    aggregator = plugins.aggregators.get(operation, option="-p/--operation") if operation else None
    selection = parse_subset(subset)
    expression = (
        parse_filter(filter, plugins.quantifiers.as_dict(), plugins.operators.as_dict()) if filter else None
    )
    for option, column in (("-x/--x-variable", x), ("-y/--y-variable", y)):
        if not column:
            raise UsageError(f"{option} needs a column name.")
    if x == y:
        raise UsageError(
            f"-x and -y both name {x!r}; a heatmap needs two different columns, e.g. -x Isolate -y Substrate."
        )
    if value in (x, y):
        raise UsageError(
            f"-v/--value and {'-x' if value == x else '-y'} both name {value!r}; the value shown in the cells "
            "must be another column than the rows and columns, e.g. -v gr -x Isolate -y Substrate."
        )

    wanted = {value: "-v/--value", x: "-x/--x-variable", y: "-y/--y-variable"}
    wanted.update({column: "-s/--subset" for column in selection if column not in wanted})
    clock.lap("import")
    rows, sample_column = _load_rows(data, wanted, plugins)
    log.info("read %d rows", len(rows))
    clock.lap("read")

    rows = apply_subset(rows, selection)
    if selection:
        log.info("subset kept %d rows", len(rows))
    clock.lap("subset")
    rows = numeric_values(rows, value, sample_column)

    plugin = plugins.aggregators.plugin_of(aggregator.name) if aggregator else None
    reduced, cell_counts = aggregate(rows, value, x, y, aggregator, plugin)
    clock.lap("aggregate")
    matrix, counts = pivot(reduced, cell_counts, x, y)
    log.info("aggregated with %s: %d %s x %d %s", operation or "no operation", matrix.shape[0], y, matrix.shape[1], x)
    if matrix.empty:
        raise DataError(f"No row has both an {x!r} and a {y!r} value; there is nothing to draw.")
    before = matrix.index
    matrix, counts = drop_missing_rows(matrix, counts)
    dropped = list(before.difference(matrix.index, sort=False))
    clock.lap("pivot")

    if expression is not None:
        row_mask, column_mask = evaluate_filter(expression, matrix.to_numpy(dtype=float))
        if not row_mask.any() or not column_mask.any():
            raise DataError(
                f"The filter {filter!r} keeps no cells of the {matrix.shape[0]} x {matrix.shape[1]} matrix "
                f"(values range from {_range_text(matrix)}). Loosen the thresholds, or check that the "
                "comparison points the right way."
            )
        log.info(
            "filter kept %d of %d rows and %d of %d columns",
            int(row_mask.sum()), len(row_mask), int(column_mask.sum()), len(column_mask),
        )
        matrix, counts = matrix.loc[row_mask, column_mask], counts.loc[row_mask, column_mask]

    matrix, counts = order_single_column(matrix, counts)
    log.info("matrix: %d %s x %d %s", matrix.shape[0], y, matrix.shape[1], x)
    clock.lap("filter")
    return HeatmapResult(
        source_rows=rows,
        matrix=matrix,
        counts=counts,
        value=value,
        x=x,
        y=y,
        title=value if title is None else title,
        operation=aggregator.name if aggregator else None,
        filter=filter,
        dropped=dropped,
        plugins=plugins,
    )


def _load_rows(
    data: Any, wanted: dict[str, str], plugins: PluginSet
) -> tuple[pd.DataFrame, str | None]:
    """Read (or take) the summary rows and check the needed columns exist.

    Returns the rows and the name of the sample-id column (the first column of the files), if known.
    """
    import pandas as pd

    from .reading import check_columns, find_summary_files, read_summaries

    if isinstance(data, pd.DataFrame):
        check_columns(data, wanted, [], plugins)
        return data, data.columns[0] if len(data.columns) else None
    files = find_summary_files(data, plugins)
    header = plugins.reader_for(str(files[0])).header(str(files[0]))
    sample_column = header[0] if header else None
    rows = read_summaries(files, plugins, frozenset(wanted) | {sample_column})
    check_columns(rows, wanted, files, plugins)
    return rows, sample_column


def _range_text(matrix: pd.DataFrame) -> str:
    values = matrix.to_numpy(dtype=float)
    return f"{float(_nan_reduce(values, 'min')):.4g} to {float(_nan_reduce(values, 'max')):.4g}"


def _nan_reduce(values: Any, how: str) -> float:
    import numpy as np

    finite = values[~np.isnan(values)]
    return getattr(finite, how)() if finite.size else float("nan")
