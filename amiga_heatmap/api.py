"""The Python API: :func:`heatmap` builds a :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec` from
friendly keywords and runs it through the :class:`~amiga_heatmap.pipeline.pipeline.Pipeline`, returning a
:class:`HeatmapResult`. The command line builds the same spec from its options.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .options.pipeline_options import default_of
from .pipeline.spec import ColorScheme, HighlightArgument, SubsetArgument

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .plugin_system.plugin_set import PluginSet
    from .result import HeatmapResult


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
    missing: str = default_of("missing"),
    sort_x: str | None = None,
    sort_y: str | None = None,
    cluster_x: bool = False,
    cluster_y: bool = False,
    cluster_method: str = default_of("cluster_method"),
    cluster_metric: str = default_of("cluster_metric"),
    color_x_by: str | None = None,
    color_y_by: str | None = None,
    color_scheme_x: ColorScheme = None,
    color_scheme_y: ColorScheme = None,
    color_file_x: str | os.PathLike[str] | None = None,
    color_file_y: str | os.PathLike[str] | None = None,
    missing_color: str | None = None,
    highlight: HighlightArgument = None,
    transforms: str | Sequence[str] = (),
    test: bool = False,
    test_against: float | None = None,
    reference: str | None = None,
    contrast: str | None = None,
    keep_reference: bool = False,
    engine: str | None = None,
    engine_options: Sequence[str] | Mapping[str, object] = (),
    read_all_columns: bool = False,
    annotate: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] = (),
    allow_duplicate_wells: bool = False,
    split_x_by: str | None = None,
    split_y_by: str | None = None,
    no_cache: bool = False,
) -> HeatmapResult:
    """Build the heatmap matrix of ``value`` with ``y`` as rows and ``x`` as columns.

    :param data: a summary file, a folder searched recursively for summary files, a list of such
        paths (read in the given order, e.g. the files :func:`amiga_heatmap.pipeline.reading.find_summary_files`
        already found, so that a folder is not searched twice), or a DataFrame of summary rows (never
        modified).
    :param value: the numeric column to show, e.g. ``"norm(auc_lin)"``.
    :param x: the column whose values become the heatmap's columns, e.g. ``"Isolate"``.
    :param y: the column whose values become the heatmap's rows, e.g. ``"Substrate"``.
    :param operation: a registered aggregator (``"mean"``, ``"median"``, or a plugin's) combining
        replicate rows of one (x, y) pair, with its arguments if it takes any (``"trimmed(0.2)"``). None
        requires every pair to occur once.
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
    :param transforms: matrix transforms applied after the missing-cell stage and before the filter, in
        order, e.g. ``["log2"]`` or ``"zscore(row)"`` (``--transform``; built-ins ``log2``,
        ``zscore(row|col)``, ``center(row|col)``).
    :param test: test every cell from its replicate values (``--test``; docs/statistics.md): a
        one-sample t-test against ``test_against`` (default 1 for ``norm(...)`` ratios, tested on log2,
        else 0), or with ``reference`` (``"ER1"``: a column label; ``"y:LABEL"``: a row label) Welch's
        t-test against the reference cell of the row (column). Benjamini-Hochberg q-values over every
        tested cell, before the filter. Results in ``result.cells`` and the ``p``/``q`` layers.
    :param contrast: ``"ratio"``, ``"difference"`` or ``"log2ratio"``: show each cell relative to the
        ``reference`` cell of its row (column) (``--contrast``); the reference is dropped unless
        ``keep_reference``. Applied before ``transforms``.
    :param engine: the engine computing the cells (``--engine``): ``"auto"`` (the default: ``pandas``
        for small text inputs and DataFrames, ``duckdb`` for large inputs and Parquet), ``"pandas"``,
        ``"duckdb"`` or a plugin's.
    :param engine_options: the engine's settings (``--engine-option``), e.g. ``{"memory_limit": "2GB",
        "threads": 2}`` or ``["memory_limit=2GB"]`` for ``duckdb``, ``{"scheduler": "tcp://10.0.0.5:8786"}``
        for the ``dask`` plugin's.
    :param read_all_columns: read every input column, so that ``result.rows`` holds whole input rows
        (needed by :meth:`HeatmapResult.save_filtered_table`).
    :param annotate: lab annotation tables (``--annotate``): tab-separated files joined to the rows on the
        columns they share with the summary, adding their other columns (docs/biolog.md). The Biolog
        plate map's columns (``biolog_class``, ...) need no table.
    :param allow_duplicate_wells: accept input files that hold the same wells (the same plate and well
        id, or a file most of whose rows are in another); by default that is a DataError naming the files.
    :param split_x_by, split_y_by: draw the columns / rows in blocks, one per value of this metadata column
        (natural order; each label must have one value), each block sorted or clustered on its own; the
        result's ``column_blocks`` / ``row_blocks`` say which block each label is in.
    :param no_cache: neither read from nor add to the parsed-input cache, where the columns read from
        text inputs are kept as Parquet for the next run on the same file (``--no-cache``).
    :return: a :class:`HeatmapResult` with the rows used, the matrix and the per-cell replicate counts.
    :raises UsageError: for malformed subset, filter, colour or highlight text, or unknown operation,
        clustering method or metric.
    :raises DataError: for missing inputs or columns, non-numeric values, or selections that leave
        nothing to draw, or metadata with several values for one label.
    :raises ValueError: when ``data`` is an empty list of paths.
    """
    from .pipeline.pipeline import Pipeline
    from .pipeline.spec import HeatmapSpec

    spec = HeatmapSpec.build(
        value, x, y, operation=operation, subset=subset, filter=filter, title=title, missing=missing,
        sort_x=sort_x, sort_y=sort_y, cluster_x=cluster_x, cluster_y=cluster_y, cluster_method=cluster_method,
        cluster_metric=cluster_metric, color_x_by=color_x_by, color_y_by=color_y_by,
        color_scheme_x=color_scheme_x, color_scheme_y=color_scheme_y, color_file_x=color_file_x,
        color_file_y=color_file_y, missing_color=missing_color, highlight=highlight, transforms=transforms,
        test=test, test_against=test_against, reference=reference, contrast=contrast,
        keep_reference=keep_reference, engine=engine, engine_options=engine_options,
        read_all_columns=read_all_columns, annotate=annotate, allow_duplicate_wells=allow_duplicate_wells,
        split_x_by=split_x_by, split_y_by=split_y_by,
        no_cache=no_cache,
    )
    return Pipeline(spec, plugins).run(data)
