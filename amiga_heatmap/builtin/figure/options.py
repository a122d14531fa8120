"""The seaborn renderer's options: names, meanings, defaults and validation.

Every option can be given in ``--kwargs`` (``key:value``); the layout options also have their own
command-line flags (``--width-height`` sets ``width`` and ``height``), which the command line turns
into these same keys, so the Python API (``result.save(..., width=8)``) and the command line share one
definition. :func:`read_options` checks every value and raises a UsageError naming the option (and
its flag) for a bad one, before anything is drawn.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import UsageError, did_you_mean, shortened

OPTIONS_ACCEPTED = {
    "cmap": "colour map name, e.g. viridis, RdBu_r (default viridis; RdBu_r for a centred scale)",
    "vmin": "value at the bottom of the colour scale",
    "vmax": "value at the top of the colour scale",
    "center": "value at the centre of a diverging colour scale (default 1 for norm(...) values)",
    "robust": "true: set the colour range from the 2nd and 98th percentiles",
    "annot": "true: write each cell's value in the cell",
    "annot_limit": "the most cells annot:true writes numbers in (default 5,000; each takes a millisecond)",
    "fmt": "number format of annotations, e.g. .2f",
    "linewidths": "width of the lines between cells",
    "linecolor": "colour of the lines between cells",
    "cbar": "false: draw no colour bar",
    "square": "true: square cells",
    "xticklabels": "auto (thin when crowded), true (all), false (none), or N to label every Nth column",
    "yticklabels": "auto (thin when crowded), true (all), false (none), or N to label every Nth row",
    "width": "figure width in inches, at most 200 (--width-height)",
    "height": "figure height in inches, at most 200 (--width-height)",
    "colorbar_ratio": "share of the figure width for the colour bar, 0 to 1 (--colorbar-ratio)",
    "color_x_ratio": "share of the figure height for the column colour strip (--color-x-ratio)",
    "color_y_ratio": "share of the figure width for the row colour strip (--color-y-ratio)",
    "x_tick_labels_scale": "share of a column a column label may take, 0 to 1 (--x-tick-labels-scale)",
    "y_tick_labels_scale": "share of a row a row label may take, 0 to 1 (--y-tick-labels-scale)",
    "color_bar_labels_scale": "share of its slot a colour bar label may take, 0 to 1 (--color-bar-labels-scale)",
    "x_rotation": "angle of the column labels in degrees, 0 to 90 (--x-rotation)",
    "legend": "where colour-strip legends go: inside, separate (files) or both (--legend)",
    "show_dendrogram": "true: draw the dendrogram of each clustered axis (--show-dendrogram)",
    "rows_per_page": "split the rows over pages of this many rows, one colour scale (PDF; --rows-per-page)",
    "missing_cell_color": "colour of cells without a value (default light grey)",
    "infinite_cell_color": "colour of infinite cells, e.g. ratios to a zero control (default black)",
}

FLAGS = {
    "width": "--width-height",
    "height": "--width-height",
    "colorbar_ratio": "--colorbar-ratio",
    "color_x_ratio": "--color-x-ratio",
    "color_y_ratio": "--color-y-ratio",
    "x_tick_labels_scale": "--x-tick-labels-scale",
    "y_tick_labels_scale": "--y-tick-labels-scale",
    "color_bar_labels_scale": "--color-bar-labels-scale",
    "x_rotation": "--x-rotation",
    "legend": "--legend",
    "show_dendrogram": "--show-dendrogram",
    "rows_per_page": "--rows-per-page",
}

LEGEND_MODES = ("inside", "separate", "both")
LARGEST_SIDE = 200.0  # inches: the largest PDF page (14,400 points), the limit of a given size
AUTOMATIC_LARGEST_SIDE = 72.0  # inches: the limit of the default size; past it, cells shrink and
# labels are thinned. A 2,000 x 384 screen then rasterises (pdftoppm, 150 dpi) in seconds, not
# minutes; --width-height up to LARGEST_SIDE gives every label room.
ANNOTATION_LIMIT = 5000  # cells: annotations cost about a millisecond each, and past a few thousand
# they are too small to read; annot_limit raises the limit.
MOST_PAGES = 1000  # pages of one PDF (rows_per_page): each is drawn in a tenth of a second or more
LONGEST_ANNOTATION = 24  # characters: the longest number fmt may write (".9999e" writes 10,005)
LabelMode = bool | int | str


@dataclass(frozen=True)
class Drawing:
    """Checked renderer options with their defaults filled in (None: computed from the data)."""

    cmap: str | None = None
    vmin: float | None = None
    vmax: float | None = None
    center: float | None = None
    robust: bool = False
    annot: bool = False
    annot_limit: int = ANNOTATION_LIMIT
    fmt: str = ".2g"
    linewidths: float = 0.0
    linecolor: str = "white"
    cbar: bool = True
    square: bool = False
    xticklabels: LabelMode = "auto"
    yticklabels: LabelMode = "auto"
    width: float | None = None
    height: float | None = None
    colorbar_ratio: float | None = None
    color_x_ratio: float | None = None
    color_y_ratio: float | None = None
    x_tick_labels_scale: float = 0.8
    y_tick_labels_scale: float = 0.8
    color_bar_labels_scale: float = 0.8
    x_rotation: float = 90.0
    legend: str = "both"
    show_dendrogram: bool = False
    rows_per_page: int | None = None
    missing_cell_color: str = "#d0d0d0"
    infinite_cell_color: str = "black"


def read_options(
    options: Mapping[str, Any], file_format: str | None = None, shape: tuple[int, int] | None = None
) -> Drawing:
    """Check ``options`` (keys already known to be accepted) and return them as a :class:`Drawing`.

    ``file_format`` is the format written (None for an in-memory figure); ``shape`` the (rows, columns)
    of the matrix to draw, once known. Raises UsageError naming the option and its flag for a value of
    the wrong kind or out of range (numbers must be finite: ``vmax:inf`` would draw every cell one
    colour), for ``annot`` on more than ``annot_limit`` cells, and for ``rows_per_page`` making more than
    :data:`MOST_PAGES` pages: work that grows with the matrix is refused before it starts.
    """
    values: dict[str, Any] = {}
    for key, value in options.items():
        values[key] = _CHECKS[key](key, value)
    drawing = Drawing(**values)
    if drawing.vmin is not None and drawing.vmax is not None and drawing.vmin >= drawing.vmax:
        raise UsageError(f"vmin ({drawing.vmin:g}) must be below vmax ({drawing.vmax:g}) in --kwargs.")
    rows, columns = shape if shape is not None else (0, 0)
    cells = rows * columns
    if drawing.annot and cells > drawing.annot_limit:
        raise UsageError(
            f"annot:true would write a number in each of the {cells:,} cells, more than annot_limit "
            f"({drawing.annot_limit:,}) allows: they would take minutes to draw and be too small to read. "
            "Narrow the matrix with --subset or -f, or raise the limit: "
            f"--kwargs 'annot:true;annot_limit:{cells}'."
        )
    pages = math.ceil(rows / drawing.rows_per_page) if drawing.rows_per_page else 1
    if pages > MOST_PAGES:
        raise UsageError(
            f"{_name('rows_per_page')} {drawing.rows_per_page} splits the {rows:,} rows over {pages:,} "
            f"pages, more than the {MOST_PAGES:,} a PDF may have here (each takes a tenth of a second or "
            f"more). Give at least {math.ceil(rows / MOST_PAGES):,} rows per page."
        )
    if drawing.rows_per_page is not None and file_format not in (None, "pdf"):
        raise UsageError(
            f"{_name('rows_per_page')} splits rows over the pages of a PDF, but the format is {file_format!r}. "
            "Use --format pdf, or leave it out."
        )
    return drawing


def _name(key: str) -> str:
    flag = FLAGS.get(key)
    return f"{flag} ({key})" if flag else f"the option {key!r} in --kwargs"


def _number(
    low: float | None,
    high: float | None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    whole: bool = False,
):
    def check(key: str, value: Any) -> float:
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
        if whole:
            ok = ok and float(value).is_integer()
        if ok and low is not None:
            ok = value > low if low_open else value >= low
        if ok and high is not None:
            ok = value < high if high_open else value <= high
        if not ok:
            kind = "a whole number" if whole else "a finite number" if _infinite(value) else "a number"
            bounds = []
            if low is not None:
                bounds.append(f"{'above' if low_open else 'at least'} {low:g}")
            if high is not None:
                bounds.append(f"{'below' if high_open else 'at most'} {high:g}")
            limit = f" {' and '.join(bounds)}" if bounds else ""
            raise UsageError(f"{_name(key)} must be {kind}{limit}, not {value!r}.")
        return int(value) if whole else float(value)

    return check


def _infinite(value: Any) -> bool:
    return isinstance(value, numbers.Real) and math.isinf(value)


def _optional_number(key: str, value: Any) -> float | None:
    return None if value is None else _number(None, None)(key, value)


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"{_name(key)} must be true or false, not {value!r}.")
    return value


def _colour(key: str, value: Any) -> str:
    from matplotlib.colors import is_color_like

    if not isinstance(value, str) or not is_color_like(value):
        raise UsageError(
            f"{_name(key)} must be a colour (a name such as lightgrey, or a hex code such as #d0d0d0), not {value!r}."
        )
    return value


def _colour_map(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not has_colour_map(value):
        import matplotlib

        known = list(matplotlib.colormaps)
        raise UsageError(
            f"{_name(key)}: {value!r} is not a colour map.{did_you_mean(str(value), known)} Examples: viridis, "
            "magma, RdBu_r, coolwarm, vlag (seaborn's names too); add _r to reverse one."
        )
    return value


def has_colour_map(name: str) -> bool:
    """Whether matplotlib knows the colour map ``name``, after registering seaborn's (rocket, mako,
    vlag, icefire, ...) if needed: seaborn is imported only for its names, as it takes a second."""
    import matplotlib

    if name not in matplotlib.colormaps:
        import seaborn.cm  # noqa: F401  (registers seaborn's colour maps)
    return name in matplotlib.colormaps


def _format(key: str, value: Any) -> str:
    text = str(value)
    try:
        longest = max(len(format(number, text)) for number in (1.5, -12345.678, 1e-7))
    except (ValueError, TypeError):
        raise UsageError(
            f"{_name(key)}: {shortened(text)!r} is not a number format; use e.g. .2f, .3g or .1e."
        ) from None
    if longest > LONGEST_ANNOTATION:
        raise UsageError(
            f"{_name(key)}: {shortened(text)!r} writes numbers of up to {longest:,} characters, more than "
            f"the {LONGEST_ANNOTATION} a cell can show; use fewer digits, e.g. .2f, .3g or .1e."
        )
    return text


def _label_mode(key: str, value: Any) -> LabelMode:
    if isinstance(value, bool) or value == "auto":
        return value
    if isinstance(value, int) and value >= 1:
        return value
    raise UsageError(
        f"{_name(key)} must be auto, true, false or a whole number N >= 1 (every Nth label), not {value!r}."
    )


def _legend(key: str, value: Any) -> str:
    if value not in LEGEND_MODES:
        raise UsageError(f"{_name(key)} must be one of {', '.join(LEGEND_MODES)}, not {value!r}.")
    return value


def _rows_per_page(key: str, value: Any) -> int | None:
    return None if value is None else _number(1, None, whole=True)(key, value)


def _side(key: str, value: Any) -> float | None:
    if value is None:
        return None
    return _number(0.5, LARGEST_SIDE)(key, value)


_RATIO = _number(0, 1, low_open=True, high_open=True)
_SCALE = _number(0, 1, low_open=True)

_CHECKS = {
    "cmap": _colour_map,
    "vmin": _optional_number,
    "vmax": _optional_number,
    "center": _optional_number,
    "robust": _boolean,
    "annot": _boolean,
    "annot_limit": _number(1, None, whole=True),
    "fmt": _format,
    "linewidths": _number(0, None),
    "linecolor": _colour,
    "cbar": _boolean,
    "square": _boolean,
    "xticklabels": _label_mode,
    "yticklabels": _label_mode,
    "width": _side,
    "height": _side,
    "colorbar_ratio": lambda key, value: None if value is None else _RATIO(key, value),
    "color_x_ratio": lambda key, value: None if value is None else _RATIO(key, value),
    "color_y_ratio": lambda key, value: None if value is None else _RATIO(key, value),
    "x_tick_labels_scale": _SCALE,
    "y_tick_labels_scale": _SCALE,
    "color_bar_labels_scale": _SCALE,
    "x_rotation": _number(0, 90),
    "legend": _legend,
    "show_dendrogram": _boolean,
    "rows_per_page": _rows_per_page,
    "missing_cell_color": _colour,
    "infinite_cell_color": _colour,
}
