"""The Python API: :func:`heatmap` runs the whole pipeline and returns a :class:`HeatmapResult`.

The command line is a thin layer over this function. Stages, in order: read, subset, numeric check,
aggregate and pivot, missing cells (drop rows, drop columns, or keep), filter, order (sorted, sorted by
a metadata column, or clustered), label colours and highlights. Each stage logs what it did to the
``amiga_heatmap`` logger at INFO level (``--verbose`` shows it) and is timed for :mod:`.timing`
(``import``, ``read``, ``subset``, ``aggregate``, ``pivot``, ``filter``, and ``cluster`` when an axis is
clustered).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from .errors import DataError, UsageError, known_list
from .pipeline.labels.colors import ColorScheme, StripRequest, check_color, color_axes, given_colors
from .pipeline.labels.highlight import HighlightArgument, resolve_highlight
from .pipeline.ordering import AxisOrder, order_axes
from .plugin_system.active import get_plugins
from .plugin_system.plugin_set import PluginSet
from .result import HeatmapResult
from .timing import Stopwatch, stage

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

SubsetArgument = str | Mapping[str, Sequence[object] | object] | None


def heatmap(
    data: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | pd.DataFrame,
    value: str,
    x: str,
    y: str,
    operation: str | None = None,
    subset: SubsetArgument = None,
    filter: str | None = None,
    title: str | None = None,
    plugins: PluginSet | None = None,
    *,
    missing: str = "drop-rows",
    sort_x: str | None = None,
    sort_y: str | None = None,
    cluster_x: bool = False,
    cluster_y: bool = False,
    cluster_method: str = "average",
    cluster_metric: str = "euclidean",
    color_x_by: str | None = None,
    color_y_by: str | None = None,
    color_scheme_x: ColorScheme = None,
    color_scheme_y: ColorScheme = None,
    color_file_x: str | os.PathLike[str] | None = None,
    color_file_y: str | os.PathLike[str] | None = None,
    missing_color: str | None = None,
    highlight: HighlightArgument = None,
    read_all_columns: bool = False,
    allow_duplicate_wells: bool = False,
) -> HeatmapResult:
    """Build the heatmap matrix of ``value`` with ``y`` as rows and ``x`` as columns.

    :param data: a summary file, a folder searched recursively for summary files, a list of such
        paths (read in the given order, e.g. the files :func:`amiga_heatmap.pipeline.reading.find_summary_files`
        already found, so that a folder is not searched twice), or a DataFrame of summary rows (never
        modified).
    :param value: the numeric column to show, e.g. ``"norm(auc_lin)"``.
    :param x: the column whose values become the heatmap's columns, e.g. ``"Isolate"``.
    :param y: the column whose values become the heatmap's rows, e.g. ``"Substrate"``.
    :param operation: name of a registered aggregator (``"mean"``, ``"median"``, or a plugin's) combining
        replicate rows of one (x, y) pair. None requires every pair to occur once.
    :param subset: ``"Var:v1,v2;Var2:v3"`` or ``{"Var": ["v1", "v2"]}``: keep only matching rows.
    :param filter: a filter expression such as ``"row any >= 1.2 OR row any <= 0.8"``.
    :param title: the figure title; defaults to ``value``.
    :param plugins: the plugin set to use; defaults to the built-ins plus installed plugins.
    :param missing: what to do with missing cells: ``"drop-rows"`` (default), ``"drop-columns"`` or
        ``"keep"`` (they are drawn in their own colour).
    :param sort_x, sort_y: order the columns / rows by this metadata column (or the axis column itself);
        each label must have one value.
    :param cluster_x, cluster_y: order the columns / rows by hierarchical clustering instead (wins over
        sorting); the linkage is kept on the result.
    :param cluster_method, cluster_metric: the linkage method (``average``, ``complete``, ``single``,
        ``weighted``, ``centroid``, ``median``, ``ward``) and distance metric (``euclidean``,
        ``correlation``, ``cosine``, ...).
    :param color_x_by, color_y_by: colour each column / row label by its value in this metadata column.
    :param color_scheme_x, color_scheme_y: ``"value:color;value:color"`` or a mapping value -> colour.
    :param color_file_x, color_file_y: a tab-separated file: header row, the value first, a ``Color``
        column. Without scheme or file, an automatic categorical palette is used.
    :param missing_color: colour for values the scheme or file leaves out (default: a distinct colour).
    :param highlight: ``"y:LABEL,LABEL;x:LABEL"`` or ``{"y": [...], "x": [...]}``: labels drawn in bold red.
    :param read_all_columns: read every input column, so that ``result.rows`` holds whole input rows
        (needed by :meth:`HeatmapResult.save_filtered_table`).
    :param allow_duplicate_wells: accept input files that hold the same wells (the same plate and well
        id, or a file whose every row is in another); by default that is a DataError naming the files.
    :return: a :class:`HeatmapResult` with the rows used, the matrix and the per-cell replicate counts.
    :raises UsageError: for malformed subset, filter, colour or highlight text, or unknown operation,
        clustering method or metric.
    :raises DataError: for missing inputs or columns, non-numeric values, or selections that leave
        nothing to draw, or metadata with several values for one label.
    :raises ValueError: when ``data`` is an empty list of paths.
    """
    clock = Stopwatch()
    import pandas  # noqa: F401  (imported here so that its cost is timed as "import", not "read")

    from .pipeline.cells import aggregate, numeric_values
    from .pipeline.clustering import check_method_and_metric
    from .pipeline.filtering.language import parse_filter
    from .pipeline.filtering.stage import apply_filter
    from .pipeline.labels.highlight import parse_highlight
    from .pipeline.missing_cells import MISSING_MODES, handle_missing_cells
    from .pipeline.pivot import order_single_column, pivot, rows_behind
    from .pipeline.subset import apply_subset, parse_subset

    plugins = plugins or get_plugins()
    aggregator = plugins.aggregators.get(operation, option="-p/--operation") if operation else None
    selection = parse_subset(subset)
    expression = (
        parse_filter(filter, plugins.quantifiers.as_dict(), plugins.operators.as_dict())
        if filter is not None
        else None
    )
    _check_axes(value, x, y)
    if missing not in MISSING_MODES:
        raise UsageError(
            f"missing={missing!r} is not a missing-cell mode; choose one of {known_list(MISSING_MODES)}."
        )
    if cluster_x or cluster_y:
        check_method_and_metric(cluster_method, cluster_metric)
    highlighted = parse_highlight(highlight, x, y)
    palettes = {"x": given_colors("x", color_x_by, color_scheme_x, color_file_x),
                "y": given_colors("y", color_y_by, color_scheme_y, color_file_y)}
    if missing_color is not None:
        missing_color = check_color(missing_color, "--missing-color")
    wanted = {value: "-v/--value", x: "-x/--x-variable", y: "-y/--y-variable"}
    wanted.update({column: "-s/--subset" for column in selection if column not in wanted})
    label_columns = {
        "--sort-x-by": sort_x, "--sort-y-by": sort_y, "--color-x-by": color_x_by, "--color-y-by": color_y_by
    }
    for option, column in label_columns.items():
        if column is not None:
            wanted.setdefault(column, option)
    clock.lap("import")
    rows, sample_column = _load_rows(data, wanted, plugins, read_all_columns, allow_duplicate_wells)
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
    matrix, counts, dropped, dropped_columns = handle_missing_cells(matrix, counts, missing)
    clock.lap("pivot")

    if expression is not None:
        matrix, counts = apply_filter(expression, matrix, counts, plugins)
    matrix, counts = order_single_column(matrix, counts)
    clock.lap("filter")
    with stage("cluster") if cluster_x or cluster_y else nullcontext():
        labelled = rows_behind(rows, matrix, x, y) if any(label_columns.values()) else rows
        ordered = order_axes(
            matrix, counts, labelled, AxisOrder(sort_y, cluster_y), AxisOrder(sort_x, cluster_x),
            cluster_method, cluster_metric,
        )
    matrix, counts = ordered.matrix, ordered.counts
    log.info("matrix: %d %s x %d %s", matrix.shape[0], y, matrix.shape[1], x)
    strips = [
        StripRequest(axis, variable, labels, column, palettes[axis])
        for axis, variable, labels, column in (
            ("x", x, matrix.columns, color_x_by),
            ("y", y, matrix.index, color_y_by),
        )
        if column is not None
    ]
    colors = color_axes(labelled, strips, missing_color)
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
        dropped_columns=dropped_columns,
        plugins=plugins,
        row_linkage=ordered.row_linkage,
        column_linkage=ordered.column_linkage,
        x_colors=colors.get("x"),
        y_colors=colors.get("y"),
        highlighted=resolve_highlight(highlighted, matrix),
        missing=missing,
    )


def _check_axes(value: str, x: str, y: str) -> None:
    """Raise UsageError unless ``value``, ``x`` and ``y`` name three different columns."""
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


def _load_rows(
    data: Any, wanted: dict[str, str], plugins: PluginSet, every_column: bool = False,
    allow_duplicate_wells: bool = False,
) -> tuple[pd.DataFrame, str | None]:
    """Read (or take) the summary rows and check the needed columns exist.

    ``data`` is a DataFrame, a path, or a list of paths (see :func:`heatmap`). Only the ``wanted`` columns (and the sample id) are read, unless ``every_column``. Returns the rows
    and the name of the sample-id column (the first column of the files), if known.
    """
    import pandas as pd

    from .pipeline.reading import check_columns, find_summary_files, read_summaries

    if isinstance(data, pd.DataFrame):
        check_columns(data, wanted, [], plugins)
        return data, data.columns[0] if len(data.columns) else None
    paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    if not paths:
        raise ValueError("heatmap() was given an empty list of paths as data")
    files = [file for path in paths for file in find_summary_files(path, plugins)]
    header = plugins.reader_for(str(files[0])).header(str(files[0]))
    sample_column = header[0] if header else None
    columns = None if every_column else frozenset(wanted) | {sample_column}
    rows = read_summaries(files, plugins, columns, allow_duplicate_wells)
    check_columns(rows, wanted, files, plugins)
    return rows, sample_column
