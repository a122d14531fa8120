"""The command-line flags for order, clustering, colour strips, missing data, size, labels and pages.

Each flag maps onto one thing the Python API already has: a :func:`amiga_heatmap.api.heatmap`
parameter (``--cluster-y`` -> ``cluster_y=True``), a renderer option (``--width-height 8 6`` ->
``width=8, height=6``, the same keys ``--kwargs`` accepts), or a result method (``--save-filtered-table``
-> :meth:`HeatmapResult.save_filtered_table`). :func:`figure_options` adds the flags to a click command
and hands them to it as one :class:`FigureFlags` argument named ``figure``. Like the rest of the command
line, this module imports nothing heavy.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError, known_list
from .help import SectionOption

ORDER = "Order and clustering"
COLOURS = "Colour strips and legends"
MISSING = "Missing cells"
LAYOUT = "Size, labels and pages"
OUTPUT = "Output"  # the section of -o, --format, ... in cli.py

# --kwargs keys AMiGA passes to seaborn's clustermap that are pipeline options here
CLUSTER_KWARGS = {"row_cluster": "cluster_y", "col_cluster": "cluster_x"}


def _option(*names: str, section: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(*names, cls=SectionOption, section=section, **kwargs)


_FLAGS = (
    _option(
        "--save-filtered-table",
        is_flag=True,
        section=OUTPUT,
        help="Also write the input rows behind the plotted cells to NAME_filtered.txt (tab-separated).",
    ),
    _option("--cluster-x", is_flag=True, section=ORDER, help="Order the columns by hierarchical clustering."),
    _option("--cluster-y", is_flag=True, section=ORDER, help="Order the rows by hierarchical clustering."),
    _option(
        "--cluster-method",
        default="average",
        show_default=True,
        section=ORDER,
        metavar="METHOD",
        help="Linkage: average, complete, single, weighted, centroid, median, ward.",
    ),
    _option(
        "--cluster-metric",
        default="euclidean",
        show_default=True,
        section=ORDER,
        metavar="METRIC",
        help="Distance: euclidean (tolerates missing cells), correlation, cosine, cityblock, ...",
    ),
    _option(
        "--show-dendrogram", is_flag=True, section=ORDER, help="Draw the dendrogram of each clustered axis."
    ),
    _option(
        "--sort-x-by", section=ORDER, metavar="COLUMN", help="Order the columns by this metadata column."
    ),
    _option("--sort-y-by", section=ORDER, metavar="COLUMN", help="Order the rows by this metadata column."),
    _option(
        "--color-x-by",
        section=COLOURS,
        metavar="COLUMN",
        help="A colour strip along the columns, by this column.",
    ),
    _option(
        "--color-y-by",
        section=COLOURS,
        metavar="COLUMN",
        help="A colour strip along the rows, by this column; with -y Substrate, 'biolog_class' colours "
             "Biolog wells by substrate class (fixed colours).",
    ),
    _option(
        "--color-scheme-x", section=COLOURS, metavar="VALUE:COLOR;...", help="Colours of --color-x-by values."
    ),
    _option(
        "--color-scheme-y", section=COLOURS, metavar="VALUE:COLOR;...", help="Colours of --color-y-by values."
    ),
    _option(
        "--color-file-x",
        section=COLOURS,
        metavar="FILE",
        help="Tab-separated file: value, then a Color column.",
    ),
    _option(
        "--color-file-y",
        section=COLOURS,
        metavar="FILE",
        help="Tab-separated file: value, then a Color column.",
    ),
    _option(
        "--missing-color",
        section=COLOURS,
        metavar="COLOR",
        help="Colour for values the scheme or file leaves out. Default: a distinct colour.",
    ),
    _option(
        "--color-x-ratio",
        type=float,
        section=COLOURS,
        metavar="SHARE",
        help="Share of the figure height for the column strip.",
    ),
    _option(
        "--color-y-ratio",
        type=float,
        section=COLOURS,
        metavar="SHARE",
        help="Share of the figure width for the row strip.",
    ),
    _option(
        "--legend",
        type=click.Choice(["inside", "separate", "both"]),
        section=COLOURS,
        help="Strip legends in the figure, in NAME_x_legend/NAME_y_legend files, or both (default).",
    ),
    _option(
        "--keep-rows-missing-data",
        is_flag=True,
        section=MISSING,
        help="Keep rows with missing cells; drop the columns holding them instead.",
    ),
    _option(
        "--keep-columns-missing-data",
        is_flag=True,
        section=MISSING,
        help="Keep columns with missing cells (drop rows: the default). Both flags keep every cell.",
    ),
    _option(
        "--width-height",
        type=float,
        nargs=2,
        section=LAYOUT,
        metavar="W H",
        help="Figure size in inches (at most 200).",
    ),
    _option(
        "--colorbar-ratio",
        type=float,
        section=LAYOUT,
        metavar="SHARE",
        help="Share of the figure width for the colour bar.",
    ),
    _option(
        "--x-tick-labels-scale",
        type=float,
        section=LAYOUT,
        metavar="0-1",
        help="Share of a column a column label may take.",
    ),
    _option(
        "--y-tick-labels-scale",
        type=float,
        section=LAYOUT,
        metavar="0-1",
        help="Share of a row a row label may take.",
    ),
    _option(
        "--color-bar-labels-scale",
        type=float,
        section=LAYOUT,
        metavar="0-1",
        help="Size of the colour bar's labels.",
    ),
    _option(
        "--x-rotation",
        type=float,
        section=LAYOUT,
        metavar="DEGREES",
        help="Angle of the column labels, 0 to 90 (default 90).",
    ),
    _option(
        "--highlight-labels",
        section=LAYOUT,
        metavar="y:LABEL,...;x:LABEL",
        help="Labels to draw in bold red (always shown), e.g. 'y:D-Glucose;x:ER1'.",
    ),
    _option(
        "--rows-per-page",
        type=int,
        section=LAYOUT,
        metavar="N",
        help="Split the rows over PDF pages of N rows.",
    ),
)

# flag parameters passed on as the renderer option of the same name
_RENDERER_FLAGS = (
    "colorbar_ratio",
    "color_x_ratio",
    "color_y_ratio",
    "x_tick_labels_scale",
    "y_tick_labels_scale",
    "color_bar_labels_scale",
    "x_rotation",
    "legend",
    "rows_per_page",
)


@dataclass(frozen=True)
class FigureFlags:
    """The values of the flags :func:`figure_options` adds (None / False when not given)."""

    save_filtered_table: bool = False
    cluster_x: bool = False
    cluster_y: bool = False
    cluster_method: str = "average"
    cluster_metric: str = "euclidean"
    show_dendrogram: bool = False
    sort_x_by: str | None = None
    sort_y_by: str | None = None
    color_x_by: str | None = None
    color_y_by: str | None = None
    color_scheme_x: str | None = None
    color_scheme_y: str | None = None
    color_file_x: str | None = None
    color_file_y: str | None = None
    missing_color: str | None = None
    color_x_ratio: float | None = None
    color_y_ratio: float | None = None
    legend: str | None = None
    keep_rows_missing_data: bool = False
    keep_columns_missing_data: bool = False
    width_height: tuple[float, float] | None = None
    colorbar_ratio: float | None = None
    x_tick_labels_scale: float | None = None
    y_tick_labels_scale: float | None = None
    color_bar_labels_scale: float | None = None
    x_rotation: float | None = None
    highlight_labels: str | None = None
    rows_per_page: int | None = None

    @property
    def missing(self) -> str:
        """The API's missing-cell mode for the two --keep-... flags."""
        if self.keep_rows_missing_data and self.keep_columns_missing_data:
            return "keep"
        return "drop-columns" if self.keep_rows_missing_data else "drop-rows"

    def pipeline_arguments(self, kwargs_options: dict[str, Any]) -> dict[str, Any]:
        """Keyword arguments for :func:`amiga_heatmap.api.heatmap`.

        Removes AMiGA's ``row_cluster`` / ``col_cluster`` from ``kwargs_options`` (they ask for
        clustering, a pipeline step here) and folds them in.
        """
        clustering = {"cluster_x": self.cluster_x, "cluster_y": self.cluster_y}
        for key, argument in CLUSTER_KWARGS.items():
            if key in kwargs_options:
                value = kwargs_options.pop(key)
                if not isinstance(value, bool):
                    raise UsageError(f"{key} in --kwargs must be true or false, not {value!r}.")
                clustering[argument] = clustering[argument] or value
        return {
            "missing": self.missing,
            "sort_x": self.sort_x_by,
            "sort_y": self.sort_y_by,
            **clustering,
            "cluster_method": self.cluster_method,
            "cluster_metric": self.cluster_metric,
            "color_x_by": self.color_x_by,
            "color_y_by": self.color_y_by,
            "color_scheme_x": self.color_scheme_x,
            "color_scheme_y": self.color_scheme_y,
            "color_file_x": self.color_file_x,
            "color_file_y": self.color_file_y,
            "missing_color": self.missing_color,
            "highlight": self.highlight_labels,
            "read_all_columns": self.save_filtered_table,
        }

    def renderer_options(self, kwargs_options: dict[str, Any], renderer: Any) -> dict[str, Any]:
        """``kwargs_options`` plus the renderer options set by flags, checked by ``renderer``.

        A flag whose key ``--kwargs`` also sets, or that the renderer does not accept (``--width-height``
        with ``--format tsv``), is a UsageError naming the flag.
        """
        from_flags: dict[str, tuple[str, Any]] = {}
        for parameter in _RENDERER_FLAGS:
            value = getattr(self, parameter)
            if value is not None:
                from_flags[parameter] = (f"--{parameter.replace('_', '-')}", value)
        if self.width_height is not None:
            from_flags["width"] = ("--width-height", self.width_height[0])
            from_flags["height"] = ("--width-height", self.width_height[1])
        if self.show_dendrogram:
            from_flags["show_dendrogram"] = ("--show-dendrogram", True)
        options = dict(kwargs_options)
        for key, (flag, value) in from_flags.items():
            if key not in renderer.options_accepted:
                accepted = known_list(renderer.options_accepted) or "no options"
                raise UsageError(
                    f"{flag} is a figure option, but the {renderer.name!r} renderer (writing this --format) does "
                    f"not accept it; it accepts {accepted}. Leave {flag} out, or choose --format pdf, png or "
                    "svg (they accept every figure option)."
                )
            if key in options:
                raise UsageError(
                    f"{flag} and {key!r} in --kwargs set the same option; give only one of them."
                )
            options[key] = value
        return options

    def check_extra_outputs(self, target: Path, inputs: list[Path]) -> None:
        """Raise UsageError when an extra output (the filtered table) would overwrite an input file, and
        DataError when a folder is in its place."""
        if self.save_filtered_table:
            from ..output.files import check_output_folder, refuse_overwriting_inputs

            refuse_overwriting_inputs(filtered_table_path(target), inputs)
            check_output_folder(filtered_table_path(target))

    def write_extras(self, result: Any, target: Path) -> list[str]:
        """Write the filtered table when asked; return the paths written."""
        if not self.save_filtered_table:
            return []
        return [result.save_filtered_table(filtered_table_path(target))]


def figure_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the flags to a click command; it receives them as ``figure=FigureFlags(...)``."""
    names = [field.name for field in fields(FigureFlags)]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in names}
        if values["width_height"] is not None:
            values["width_height"] = tuple(values["width_height"])
        return command(*args, figure=FigureFlags(**values), **kwargs)

    for flag in reversed(_FLAGS):
        run = flag(run)
    return run


def filtered_table_path(target: str | os.PathLike[str]) -> Path:
    """Where ``--save-filtered-table`` writes for the output ``target``: ``NAME_filtered.txt`` beside it."""
    target = Path(target)
    return target.with_name(f"{target.stem}_filtered.txt")
