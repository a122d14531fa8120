"""The seaborn renderer's options: one :class:`~amiga_heatmap.options.Option` declaration each, with its
explanation, default, check and, for the layout options, its command-line flag.

Every option can be given in ``--kwargs`` (``key:value``) or to ``result.save(..., key=value)``; those
with a flag (``--width-height`` sets ``width`` and ``height``) get a click option generated from the
declaration, so the Python API and the command line share one definition. :data:`OPTIONS` is what the
renderer registers; :class:`Drawing` (its fields and defaults), the explanations ``amiga-heatmap
plugins`` shows and the messages naming an option's flag are derived from it. :func:`read_options`
checks every value and raises a UsageError naming the option (and its flag) for a bad one, before
anything is drawn.

The cell panel is drawn by ``seaborn.heatmap``, so its keywords are options here with seaborn's names
and meanings: the nested ``cbar_kws`` and ``annot_kws`` entry by entry (``cbar_kws.label``, written with
a dot in ``--kwargs``), and the pcolormesh keywords seaborn passes on (``alpha``, ``rasterized``, ...).
``center``, ``robust``, ``vmin`` and ``vmax`` set our colour scale (:mod:`.scale`), which seaborn then
draws with; ``xticklabels``/``yticklabels`` and ``square`` are honoured by our labels and layout.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import field, make_dataclass, replace
from typing import Any

from ...errors import UsageError, did_you_mean, shortened
from ...options import Option
from ...options.declaration import flag_of, option_label
from ...options.sections import COLOURS, DRAWING, LAYOUT, ORDER

MESH_KEYWORDS = ("alpha", "rasterized", "antialiased", "snap", "linestyle")
NESTED = ("annot_kws", "cbar_kws", "mesh_kws")  # Drawing's dicts of seaborn's nested keywords
LEGEND_MODES = ("inside", "separate", "both")
HATCH_MARKS = set("/\\|-+xoO.*")
LINE_STYLES = ("solid", "dashed", "dotted", "dashdot")
COLOURBAR_ENDS = ("neither", "min", "max", "both")
FONT_STYLES = ("normal", "italic", "oblique")
FONT_WEIGHTS = ("ultralight", "light", "normal", "regular", "book", "medium", "roman", "semibold", "demibold",
                "demi", "bold", "heavy", "extra bold", "black")
LARGEST_SIDE = 200.0  # inches: the largest PDF page (14,400 points), the limit of a given size
AUTOMATIC_LARGEST_SIDE = 72.0  # inches: the limit of the default size; past it, cells shrink and
# labels are thinned. A 2,000 x 384 screen then rasterises (pdftoppm, 150 dpi) in seconds, not
# minutes; --width-height up to LARGEST_SIDE gives every label room.
ANNOTATION_LIMIT = 5000  # cells: annotations cost about a millisecond each, and past a few thousand
# they are too small to read; annot_limit raises the limit.
MOST_PAGES = 1000  # pages of one PDF (rows_per_page): each is drawn in a tenth of a second or more
LONGEST_ANNOTATION = 24  # characters: the longest number fmt may write (".9999e" writes 10,005)
COLOUR_SCALES = ("auto", "linear", "log2", "log10", "symlog")
MARK_LAYERS = ("p", "q")
MARK_THRESHOLDS = (0.05, 0.01, 0.001)
MOST_MARK_LEVELS = 3  # *, **, *** (the message says "three")
LabelMode = bool | int | str


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
    from ...rendering.kwargs import dotted_items

    values: dict[str, Any] = {name: {} for name in NESTED}
    for key, value in dotted_items(options):
        checked = _OPTION[key].checked(value, flag_of(OPTIONS, key))
        outer, _, inner = key.partition(".")
        if inner:
            values[outer][inner] = checked
        elif key in MESH_KEYWORDS:
            values["mesh_kws"][key] = checked
        else:
            values[key] = checked
    if "edgecolor" in values:
        if "linecolor" in values:
            raise UsageError(
                "edgecolor and linecolor in --kwargs are the same option; give only one of them."
            )
        values["linecolor"] = values.pop("edgecolor")
    _check_bins(values)
    if values.get("bins") is not None:
        values["cbar"] = False  # the categories' legend takes its place
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
            f"{option_label(_OPTION['rows_per_page'])} {drawing.rows_per_page} splits the {rows:,} rows over {pages:,} "
            f"pages, more than the {MOST_PAGES:,} a PDF may have here (each takes a tenth of a second or "
            f"more). Give at least {math.ceil(rows / MOST_PAGES):,} rows per page."
        )
    if drawing.rows_per_page is not None and file_format not in (None, "pdf"):
        raise UsageError(
            f"{option_label(_OPTION['rows_per_page'])} splits rows over the pages of a PDF, but the format is {file_format!r}. "
            "Use --format pdf, or leave it out."
        )
    return drawing


def _check_bins(values: Mapping[str, Any]) -> None:
    """Raise UsageError for ``bin_labels`` without ``bins`` or of another count than the bins, and for
    ``bins`` with a ``color_scale`` other than auto (bins replace the scale)."""
    bins, labels = values.get("bins"), values.get("bin_labels")
    if labels is not None and bins is None:
        raise UsageError(
            f"{option_label(_OPTION['bin_labels'])} names the bins of {option_label(_OPTION['bins'])}, which "
            "is not given. Add it, e.g. --bins 0,0.5,0.8,1.25,2,inf."
        )
    if labels is not None and len(labels) != len(bins) - 1:
        raise UsageError(
            f"{option_label(_OPTION['bin_labels'])} gives {len(labels)} names, but the {len(bins)} edges of "
            f"{option_label(_OPTION['bins'])} make {len(bins) - 1} bins; give one name per bin."
        )
    scale = values.get("color_scale", "auto")
    if bins is not None and scale != "auto":
        raise UsageError(
            f"{option_label(_OPTION['bins'])} draws one colour per bin instead of a colour scale, so "
            f"{option_label(_OPTION['color_scale'])} {scale} cannot apply; give only one of them."
        )


def _number(
    low: float | None,
    high: float | None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    whole: bool = False,
):
    def check(label: str, value: Any) -> float:
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
            raise UsageError(f"{label} must be {kind}{limit}, not {value!r}.")
        return int(value) if whole else float(value)

    return check


def _infinite(value: Any) -> bool:
    return isinstance(value, numbers.Real) and math.isinf(value)


def _optional_number(label: str, value: Any) -> float | None:
    return None if value is None else _number(None, None)(label, value)


def _boolean(label: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"{label} must be true or false, not {value!r}.")
    return value


def _colour(label: str, value: Any) -> str:
    from matplotlib.colors import is_color_like

    if not isinstance(value, str) or not is_color_like(value):
        raise UsageError(
            f"{label} must be a colour (a name such as lightgrey, or a hex code such as #d0d0d0), not {value!r}."
        )
    return value


def _colour_map(label: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not has_colour_map(value):
        import matplotlib

        known = list(matplotlib.colormaps)
        raise UsageError(
            f"{label}: {value!r} is not a colour map.{did_you_mean(str(value), known)} Examples: viridis, "
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


def _format(label: str, value: Any) -> str:
    text = str(value)
    try:
        longest = max(len(format(number, text)) for number in (1.5, -12345.678, 1e-7))
    except (ValueError, TypeError):
        raise UsageError(
            f"{label}: {shortened(text)!r} is not a number format; use e.g. .2f, .3g or .1e."
        ) from None
    if longest > LONGEST_ANNOTATION:
        raise UsageError(
            f"{label}: {shortened(text)!r} writes numbers of up to {longest:,} characters, more than "
            f"the {LONGEST_ANNOTATION} a cell can show; use fewer digits, e.g. .2f, .3g or .1e."
        )
    return text


def _label_mode(label: str, value: Any) -> LabelMode:
    if isinstance(value, bool) or value == "auto":
        return value
    if isinstance(value, int) and value >= 1:
        return value
    raise UsageError(
        f"{label} must be auto, true, false or a whole number N >= 1 (every Nth label), not {value!r}."
    )


def _legend(label: str, value: Any) -> str:
    if value not in LEGEND_MODES:
        raise UsageError(f"{label} must be one of {', '.join(LEGEND_MODES)}, not {value!r}.")
    return value


def _rows_per_page(label: str, value: Any) -> int | None:
    return None if value is None else _number(1, None, whole=True)(label, value)


def _side(label: str, value: Any) -> float | None:
    if value is None:
        return None
    return _number(0.5, LARGEST_SIDE)(label, value)


def _choice(choices: tuple[str, ...]):
    def check(label: str, value: Any) -> str:
        if value not in choices:
            raise UsageError(f"{label} must be one of {', '.join(choices)}, not {value!r}.")
        return value

    return check


def _text(label: str, value: Any) -> str:
    if value is None or isinstance(value, bool):
        raise UsageError(f"{label} must be text, not {value!r}.")
    return str(value)


def _hatch(label: str, value: Any) -> str:
    text = "" if value is None else str(value)
    if not set(text) <= HATCH_MARKS:
        raise UsageError(
            f"{label}: {text!r} is not a hatch pattern; write it with the marks / \\ | - + x o O . * "
            "(repeated for density, e.g. //// or xx), or '' for none."
        )
    return text


def _tick_format(label: str, value: Any) -> str:
    text = str(value)
    try:
        shown = text.format(x=1.5, pos=0) if "{" in text else text % 1.5
    except (ValueError, TypeError, KeyError, IndexError):
        shown = text
    if shown == text:
        raise UsageError(
            f"{label}: {text!r} is not a tick format; write e.g. {{x:.1f}} or %.2g."
        )
    return text


def _tick_list(label: str, value: Any) -> list[float]:
    items = list(value) if isinstance(value, (list, tuple)) else str(value).split(",")
    try:
        ticks = [float(item) for item in items if str(item).strip()]
    except (TypeError, ValueError):
        ticks = []
    if not ticks or not all(math.isfinite(tick) for tick in ticks):
        raise UsageError(f"{label} must be numbers separated by commas, e.g. 0,1,2, not {value!r}.")
    return ticks


def _mask(label: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (str, numbers.Number)):
        raise UsageError(
            f"{label} cannot be written as text: it is a True/False matrix of the heatmap's shape. "
            "From Python, pass one: result.save('fig.pdf', mask=result.matrix < 1.2) (True hides a cell); "
            "on the command line, -f keeps or drops whole rows and columns."
        )
    return value


def _comma_items(value: Any) -> list[Any]:
    """A list given as a list or tuple, or as text with commas between the items."""
    return list(value) if isinstance(value, (list, tuple)) else str(value).split(",")


def _bins(label: str, value: Any) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        edges = tuple(float(item) for item in _comma_items(value))
    except (TypeError, ValueError):
        edges = ()
    ordered = all(low < high for low, high in itertools.pairwise(edges))
    if len(edges) < 2 or not ordered or any(math.isnan(edge) for edge in edges):
        raise UsageError(
            f"{label} must be at least two numbers in increasing order separated by commas (inf for no upper "
            f"limit), e.g. 0,0.5,0.8,1.25,2,inf, not {value!r}."
        )
    return edges


def _bin_labels(label: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(str(item).strip() for item in _comma_items(value))
    if not all(names):
        raise UsageError(
            f"{label} must be names separated by commas, one per bin, e.g. none,low,normal,high,very high, "
            f"not {value!r}."
        )
    repeated = [name for index, name in enumerate(names) if name in names[:index]]
    if repeated:
        raise UsageError(f"{label}: each bin needs a name of its own, but {repeated[0]!r} is given twice.")
    return names


def _mark(label: str, value: Any) -> str | None:
    if value is None or value in MARK_LAYERS:
        return value
    raise UsageError(f"{label} must be q (Benjamini-Hochberg q-values) or p (p-values), not {value!r}.")


def _mark_thresholds(label: str, value: Any) -> tuple[float, ...]:
    try:
        thresholds = tuple(float(item) for item in _comma_items(value))
    except (TypeError, ValueError):
        thresholds = ()
    decreasing = all(high > low for high, low in itertools.pairwise(thresholds))
    inside = all(0 < threshold < 1 for threshold in thresholds)
    if not 1 <= len(thresholds) <= MOST_MARK_LEVELS or not decreasing or not inside:
        raise UsageError(
            f"{label} must be one to three numbers between 0 and 1, each smaller than the one before (for *, "
            f"**, ***), e.g. 0.05,0.01,0.001, not {value!r}."
        )
    return thresholds


_RATIO = _number(0, 1, low_open=True, high_open=True)
_SCALE = _number(0, 1, low_open=True)


def _optional_ratio(label: str, value: Any) -> float | None:
    return None if value is None else _RATIO(label, value)


_DECLARED = (
    Option("cmap", "colour map name, e.g. viridis, RdBu_r (default viridis; RdBu_r for a centred scale)",
           check=_colour_map),
    Option("vmin", "value at the bottom of the colour scale", check=_optional_number),
    Option("vmax", "value at the top of the colour scale", check=_optional_number),
    Option("center", "value at the centre of a diverging colour scale (default 1 for norm(...) values)",
           check=_optional_number),
    Option("robust", "true: set the colour range from the 2nd and 98th percentiles", default=False,
           check=_boolean),
    Option("annot", "true: write each cell's value in the cell", default=False, check=_boolean),
    Option("annot_limit", f"the most cells annot:true writes numbers in (default {ANNOTATION_LIMIT:,}; each takes "
           "a millisecond)", default=ANNOTATION_LIMIT, check=_number(1, None, whole=True)),
    Option("fmt", "number format of annotations, e.g. .2f", default=".2g", check=_format),
    Option("linewidths", "width of the lines between cells", default=0.0, check=_number(0, None)),
    Option("linecolor", "colour of the lines between cells", default="white", check=_colour),
    Option("cbar", "false: draw no colour bar", default=True, check=_boolean),
    Option("square", "true: square cells", default=False, check=_boolean),
    Option("xticklabels", "auto (thin when crowded), true (all), false (none), or N to label every Nth column",
           default="auto", check=_label_mode),
    Option("yticklabels", "auto (thin when crowded), true (all), false (none), or N to label every Nth row",
           default="auto", check=_label_mode),
    Option("width", f"figure width in inches, at most {LARGEST_SIDE:g}", check=_side, flags=("--width-height",),
           value_type=float, sets=("width", "height"), section=LAYOUT, metavar="W H", needs="size",
           flag_help=f"figure size in inches (at most {LARGEST_SIDE:g})"),
    Option("height", f"figure height in inches, at most {LARGEST_SIDE:g}", check=_side),
    Option("colorbar_ratio", "share of the figure width for the colour bar, 0 to 1", check=_optional_ratio,
           flags=("--colorbar-ratio",), value_type=float, section=LAYOUT, metavar="SHARE"),
    Option("color_x_ratio", "share of the figure height for the column colour strip", check=_optional_ratio,
           flags=("--color-x-ratio",), value_type=float, section=COLOURS, metavar="SHARE"),
    Option("color_y_ratio", "share of the figure width for the row colour strip", check=_optional_ratio,
           flags=("--color-y-ratio",), value_type=float, section=COLOURS, metavar="SHARE"),
    Option("x_tick_labels_scale", "share of a column a column label may take, 0 to 1", default=0.8,
           check=_SCALE, flags=("--x-tick-labels-scale",), value_type=float, section=LAYOUT, metavar="0-1"),
    Option("y_tick_labels_scale", "share of a row a row label may take, 0 to 1", default=0.8,
           check=_SCALE, flags=("--y-tick-labels-scale",), value_type=float, section=LAYOUT, metavar="0-1"),
    Option("color_bar_labels_scale", "share of its slot a colour bar label may take, 0 to 1", default=0.8,
           check=_SCALE, flags=("--color-bar-labels-scale",), value_type=float, section=LAYOUT, metavar="0-1"),
    Option("x_rotation", "angle of the column labels in degrees, 0 to 90 (default 90)", default=90.0,
           check=_number(0, 90), flags=("--x-rotation",), value_type=float, section=LAYOUT, metavar="DEGREES"),
    Option("legend", "where colour-strip legends go: inside (the figure), separate (NAME_x_legend and "
           "NAME_y_legend files) or both (the default)", default="both", check=_legend, flags=("--legend",),
           choices=LEGEND_MODES, section=COLOURS),
    Option("show_dendrogram", "true: draw the dendrogram of each clustered axis", default=False, check=_boolean,
           flags=("--show-dendrogram",), is_flag=True, section=ORDER, needs="dendrograms",
           flag_help="draw the dendrogram of each clustered axis"),
    Option("rows_per_page", "split the rows over PDF pages of this many rows, one colour scale",
           check=_rows_per_page, flags=("--rows-per-page",), value_type=int, section=LAYOUT, metavar="N",
           needs="pages"),
    Option("missing_cell_color", "colour of cells without a value (default light grey)", default="#d0d0d0",
           check=_colour),
    Option("infinite_cell_color", "colour of infinite cells, e.g. ratios to a zero control (default magenta)",
           default="#ff00ff", check=_colour),
    Option("infinite_cell_hatch", "hatch pattern over infinite cells, e.g. ////, xx, .. ('' for none; default "
           "////)", default="////", check=_hatch),
    Option("mask", "Python only: a True/False DataFrame or array of the matrix's shape; True cells are hidden "
           "(drawn like cells without a value). Not in --kwargs: use result.save(..., mask=result.matrix < 1.2)",
           check=_mask),
    Option("annot_kws.size", "font size of the cell annotations in points (default: fitted to the cells)",
           check=_number(0, None, low_open=True)),
    Option("annot_kws.color", "colour of the annotations (default: dark on light cells, white on dark ones)",
           check=_colour),
    Option("annot_kws.weight", "weight of the annotations: normal, bold, light, ...", check=_choice(FONT_WEIGHTS)),
    Option("annot_kws.style", "style of the annotations: normal, italic or oblique", check=_choice(FONT_STYLES)),
    Option("annot_kws.family", "font family of the annotations, e.g. monospace, serif", check=_text),
    Option("annot_kws.rotation", "angle of the annotations in degrees", check=_number(None, None)),
    Option("annot_kws.alpha", "opacity of the annotations, 0 to 1", check=_number(0, 1)),
    Option("cbar_kws.label", "the colour bar's label (default: the value's name)", check=_text),
    Option("cbar_kws.format", "format of the colour bar's tick labels, e.g. {x:.1f} or %.2g (default: shortest)",
           check=_tick_format),
    Option("cbar_kws.ticks", "the colour bar's ticks, numbers separated by commas, e.g. 0,1,2 (default: round "
           "ones)", check=_tick_list),
    Option("cbar_kws.extend", "pointed ends for values beyond vmin/vmax: neither, min, max or both",
           check=_choice(COLOURBAR_ENDS)),
    Option("cbar_kws.extendrect", "true: square ends instead of pointed ones (with cbar_kws.extend)",
           check=_boolean),
    Option("cbar_kws.extendfrac", "length of the ends as a share of the colour bar, 0 to 1", check=_number(0, 1)),
    Option("cbar_kws.drawedges", "true: lines between the colour bar's colours", check=_boolean),
    Option("alpha", "opacity of the cells, 0 to 1 (a pcolormesh keyword, as all below)", check=_number(0, 1)),
    Option("rasterized", "true: cells and colour bar as pixels in a PDF or SVG (past 5,000 cells, cells are "
           "anyway)", check=_boolean),
    Option("antialiased", "true: smooth the cells' edges when drawing pixels (PNG)", check=_boolean),
    Option("snap", "false: do not move cell edges onto whole pixels when drawing pixels (PNG)", check=_boolean),
    Option("linestyle", "style of the lines between cells (with linewidths): solid, dashed, dotted or dashdot",
           check=_choice(LINE_STYLES)),
    Option("edgecolor", "the same as linecolor (pcolormesh's name for it); give one of the two", check=_colour),
    Option("color_scale", "how values map to colours: auto (log2 for ratios such as norm(...), else linear), "
           "linear, log2, log10 or symlog", default="auto", check=_choice(COLOUR_SCALES), flags=("--color-scale",),
           choices=COLOUR_SCALES, section=DRAWING),
    Option("nonpositive_cell_color", "colour of cells at or below 0 on a log colour scale (no growth; default "
           "black)", default="#000000", check=_colour),
    Option("bins", "draw one colour per bin between these edges instead of a colour scale, e.g. "
           "0,0.5,0.8,1.25,2,inf (growth calls)", check=_bins, flags=("--bins",), section=DRAWING,
           metavar="E1,E2,..."),
    Option("bin_labels", "names of the --bins bins in the legend, one per bin, e.g. none,low,normal,high,"
           "very high", check=_bin_labels, flags=("--bin-labels",), section=DRAWING, metavar="NAME,..."),
    Option("mark", "stars on the cells whose q (or p) of --test is below --mark-thresholds", check=_mark,
           flags=("--mark",), choices=MARK_LAYERS, section=DRAWING),
    Option("mark_thresholds", "the q (or p) below which a cell gets *, ** and *** (default 0.05,0.01,0.001)",
           default=MARK_THRESHOLDS, check=_mark_thresholds, flags=("--mark-thresholds",), section=DRAWING,
           metavar="T1,T2,T3"),
)

OPTIONS: tuple[Option, ...] = tuple(replace(option, reads="renderer seaborn") for option in _DECLARED)
_OPTION = {option.name: option for option in OPTIONS}

# the declarations with a field of their own in Drawing: not seaborn's nested or pcolormesh keywords
# (gathered in its NESTED dicts), nor edgecolor (another name of linecolor)
_OWN_FIELDS = [
    option for option in OPTIONS if "." not in option.name and option.name not in (*MESH_KEYWORDS, "edgecolor")
]
Drawing = make_dataclass(
    "Drawing",
    [(option.name, Any, field(default=option.default)) for option in _OWN_FIELDS]
    + [(name, dict[str, Any], field(default_factory=dict)) for name in NESTED],
    frozen=True,
)
Drawing.__doc__ = """Checked renderer options with their defaults filled in (None: computed from the data): a
field per declaration of :data:`OPTIONS`, seaborn's nested keywords in ``annot_kws`` and ``cbar_kws``
(``{"label": ...}``) and the pcolormesh keywords in ``mesh_kws``."""
Drawing.__module__ = __name__
