"""The pipeline's options: one :class:`~.declaration.Option` per keyword of :func:`amiga_heatmap.heatmap`
(and field of :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec`), with its command-line flags.

Each x/y pair is one declaration (:func:`~.declaration.per_axis`) setting a field of the axis's
:class:`~amiga_heatmap.pipeline.spec.AxisSpec`: ``--sort-{axis}-by`` gives ``sort_x`` and ``sort_y``,
which set ``AxisSpec.sort_by`` of each axis. :func:`spec_keywords` turns command-line values into the
keywords :meth:`HeatmapSpec.build` takes; it is the only place a flag is not simply its option
(``--keep-rows-missing-data`` and ``--keep-columns-missing-data`` are AMiGA's spellings of ``missing``,
``row_cluster``/``col_cluster`` in ``--kwargs`` AMiGA's of ``cluster_y``/``cluster_x``).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import click

from ..errors import UsageError
from ..pipeline.missing_cells import MISSING_MODES
from .declaration import Option, by_name, option_label, per_axis
from .sections import COLOURS, DRAWING, INPUT, LAYOUT, MATRIX, MISSING, ORDER, OUTPUT, STATISTICS

PIPELINE_OPTIONS: tuple[Option, ...] = (
    Option("subset", "keep only rows whose columns hold these values, e.g. 'PM:1;Isolate:ER1,ER2'",
           flags=("-s", "--subset"), section=INPUT, metavar="VAR:V1,V2;VAR2:V3", reads="subset"),
    Option("annotate", "join a tab-separated table of your own on the columns it shares with the summary, "
           "adding its other columns (repeatable); Biolog columns (biolog_class, ...) are built in: "
           "docs/biolog.md", flags=("--annotate",), multiple=True, default=(), section=INPUT, metavar="FILE",
           value_type=click.Path(exists=True, dir_okay=False), reads="cells"),
    Option("allow_duplicate_wells", "accept input files that hold the same wells (e.g. a merged and a per-plate "
           "summary)", flags=("--allow-duplicate-wells",), is_flag=True, default=False, section=INPUT,
           reads="read"),
    Option("no_cache", "neither use nor fill the parsed-input cache (the columns read from text inputs, kept "
           "as Parquet in the user's cache folder; 'amiga-heatmap cache info')", flags=("--no-cache",),
           is_flag=True, default=False, section=INPUT, reads="read"),
    Option("value", "the growth parameter to show, e.g. 'norm(auc_lin)'; repeat it for panels side by side "
           "in one row order", flags=("-v", "--value"), required=True, multiple=True, section=MATRIX,
           metavar="COLUMN", reads="cells"),
    Option("x", "the column whose values become the heatmap's columns, e.g. Isolate",
           flags=("-x", "--x-variable", "--x_variable"), required=True, section=MATRIX, metavar="COLUMN",
           reads="pivot"),
    Option("y", "the column whose values become the heatmap's rows, e.g. Substrate",
           flags=("-y", "--y-variable", "--y_variable"), required=True, section=MATRIX, metavar="COLUMN",
           reads="pivot"),
    Option("operation", "combine replicates: mean, median, or a plugin's aggregator, e.g. 'trimmed(0.2)'; "
           "needed when replicates exist", flags=("-p", "--operation"), section=MATRIX, metavar="NAME[(ARGS)]",
           reads="cells"),
    Option("filter", "keep rows/columns, e.g. 'row any >= 1.2 OR row any <= 0.8'; the grammar: usage.md "
           "('amiga-heatmap docs')",
           flags=("-f", "--filter"), section=MATRIX, metavar="EXPRESSION", reads="filter"),
    Option("transforms", "transform the matrix before the filter (repeatable, in order): log2, "
           "zscore(row|col), center(row|col), or a plugin's", flags=("--transform",), multiple=True,
           default=(), section=MATRIX, metavar="NAME[(ARGS)]", reads="transform"),
    Option("test", "test every cell from its replicates: one-sample t-test, or Welch's against --reference; "
           "p and q in NAME_cells.tsv (--save-cell-table); docs/statistics.md", flags=("--test",), is_flag=True,
           default=False, section=STATISTICS, reads="statistics"),
    Option("test_against", "the value a cell is tested against (default: 1 for norm(...) ratios, tested on "
           "log2, else 0)", flags=("--test-against",), value_type=float, section=STATISTICS, metavar="NUMBER",
           reads="statistics"),
    Option("reference", "the reference cell of each row: this column's (or y:LABEL, this row's), for --test "
           "and --contrast", flags=("--reference",), section=STATISTICS, metavar="LABEL|y:LABEL",
           reads="statistics"),
    Option("contrast", "show each cell relative to the --reference cell of its row (or column); the reference "
           "is dropped", flags=("--contrast",), section=STATISTICS, metavar="ratio|difference|log2ratio",
           reads="transform"),
    Option("keep_reference", "keep the reference column (or row) of --contrast in the figure",
           flags=("--keep-reference",), is_flag=True, default=False, section=STATISTICS, reads="transform"),
    Option("engine", "engine computing the cells from the input: auto (the default: pandas for small text "
           "inputs, duckdb for large ones and Parquet), pandas, duckdb; 'amiga-heatmap plugins' lists them",
           flags=("--engine",), section=MATRIX, metavar="NAME", reads="cells"),
    Option("engine_options", "a setting of the engine (repeatable), e.g. memory_limit=2GB, threads=2 or "
           "temp_directory=DIR for duckdb, scheduler=tcp://HOST:8786 for dask; 'amiga-heatmap plugins' lists "
           "each engine's",
           flags=("--engine-option",), multiple=True, default=(), section=MATRIX, metavar="KEY=VALUE",
           reads="cells"),
    Option("read_all_columns", "also write the input rows behind the plotted cells to NAME_filtered.txt "
           "(tab-separated)", flags=("--save-filtered-table",), is_flag=True, default=False, section=OUTPUT,
           reads="cells"),
    Option("title", "figure title (default: the value name)", flags=("-t", "--title"), section=DRAWING,
           metavar="TEXT", reads="renderer"),
    *per_axis(Option("cluster_{axis}", "order the {labels} by hierarchical clustering",
                     flags=("--cluster-{axis}",), is_flag=True, default=False, section=ORDER, reads="order",
                     kwargs_alias="{short}_cluster"), "cluster"),
    Option("cluster_method", "linkage: average, complete, single, weighted, centroid, median, ward",
           flags=("--cluster-method",), default="average", show_default=True, section=ORDER, metavar="METHOD",
           reads="order"),
    Option("cluster_metric", "distance: euclidean (tolerates missing cells), correlation, cosine, "
           "cityblock, ...", flags=("--cluster-metric",), default="euclidean", show_default=True,
           section=ORDER, metavar="METRIC", reads="order"),
    *per_axis(Option("sort_{axis}", "order the {labels} by this metadata column", flags=("--sort-{axis}-by",),
                     section=ORDER, metavar="COLUMN", reads="order"), "sort_by"),
    *per_axis(Option("color_{axis}_by", "a colour strip along the {labels}, by this column ('biolog_class' "
                     "colours Biolog substrates by class, in fixed colours)",
                     flags=("--color-{axis}-by",), section=COLOURS, metavar="COLUMN", reads="decorate",
                     needs="colour_strips"), "color_by"),
    *per_axis(Option("color_scheme_{axis}", "colours of --color-{axis}-by values",
                     flags=("--color-scheme-{axis}",), section=COLOURS, metavar="VALUE:COLOR;...",
                     reads="decorate"), "color_scheme"),
    *per_axis(Option("color_file_{axis}", "tab-separated file: value, then a Color column",
                     flags=("--color-file-{axis}",), section=COLOURS, metavar="FILE", reads="decorate"),
              "color_file"),
    Option("missing_color", "colour for values the scheme or file leaves out (default: a distinct colour)",
           flags=("--missing-color",), section=COLOURS, metavar="COLOR", reads="decorate"),
    Option("missing", "what to do with missing cells: drop-rows, drop-columns or keep",
           default="drop-rows", choices=tuple(MISSING_MODES), reads="missing cells"),
    Option("keep_rows_missing_data", "keep rows with missing cells; drop the columns holding them instead",
           flags=("--keep-rows-missing-data",), is_flag=True, default=False, section=MISSING,
           reads="missing cells"),
    Option("keep_columns_missing_data", "keep columns with missing cells (drop rows: the default); both "
           "flags keep every cell", flags=("--keep-columns-missing-data",), is_flag=True, default=False,
           section=MISSING, reads="missing cells"),
    Option("highlight", "labels to draw in bold red (always shown), e.g. 'y:D-Glucose;x:ER1'",
           flags=("--highlight-labels",), section=LAYOUT, metavar="y:LABEL,...;x:LABEL", reads="decorate",
           needs="highlights"),
    *per_axis(Option("split_{axis}_by", "draw the {labels} in blocks, one per value of this column (e.g. "
                     "biolog_class), with a gap and a title each; sorting and clustering work within each block",
                     flags=("--split-{axis}-by",), section=ORDER, metavar="COLUMN", reads="order",
                     needs="blocks"), "split_by"),
    Option("values", "every value drawn side by side, the first being value (-v repeated)", default=(),
           reads="cells", needs="panels"),
)

PIPELINE_OPTION = by_name(PIPELINE_OPTIONS)

# the command line's spellings of ``missing`` (not keywords of heatmap())
_MISSING_FLAGS = ("keep_rows_missing_data", "keep_columns_missing_data")

# HeatmapSpec.build's keyword for each AxisSpec field, "{}" standing for the axis: {"sort_by": "sort_{}"}
AXIS_KEYWORDS = {
    option.axis_field: "_".join("{}" if part == "x" else part for part in option.name.split("_"))
    for option in PIPELINE_OPTIONS
    if option.axis == "x"
}


def option_name(name: str) -> str:
    """How a message names the pipeline option ``name``: ``--sort-y-by`` on the command line, ``sort_y``
    in Python (:func:`~.declaration.option_label`)."""
    return option_label(PIPELINE_OPTION[name])


def default_of(name: str) -> Any:
    """The declared default of the pipeline option ``name``."""
    return PIPELINE_OPTION[name].default


def missing_mode(keep_rows: bool, keep_columns: bool) -> str:
    """The ``missing`` mode of the two ``--keep-...-missing-data`` flags."""
    if keep_rows and keep_columns:
        return "keep"
    return "drop-columns" if keep_rows else default_of("missing")


def spec_keywords(values: Mapping[str, Any], kwargs_options: MutableMapping[str, Any]) -> dict[str, Any]:
    """The :meth:`HeatmapSpec.build` keywords (all but ``value``, ``x`` and ``y``) of the pipeline
    options' command-line ``values`` (by option name).

    Removes AMiGA's ``--kwargs`` spellings (``row_cluster``, ``col_cluster``) from ``kwargs_options`` and
    folds them in: they ask for clustering, a pipeline step here.
    """
    keywords = {name: value for name, value in values.items() if name not in (*_MISSING_FLAGS, "value", "x", "y")}
    keywords["missing"] = missing_mode(*(bool(values.get(name)) for name in _MISSING_FLAGS))
    for option in PIPELINE_OPTIONS:
        if option.kwargs_alias is not None and option.kwargs_alias in kwargs_options:
            value = kwargs_options.pop(option.kwargs_alias)
            if not isinstance(value, bool):
                raise UsageError(f"{option.kwargs_alias} in --kwargs must be true or false, not {value!r}.")
            keywords[option.name] = keywords.get(option.name) or value
    for name in ("transforms", "engine_options"):
        if keywords.get(name) is not None:
            keywords[name] = tuple(keywords[name])
    return keywords
