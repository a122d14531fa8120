"""Colour strips along the heatmap's axes: ``--color-x-by``/``--color-y-by`` and their colours.

Each label gets the colour of its value in a metadata column (:mod:`amiga_heatmap.pipeline.labels.metadata`).
Colours come from a scheme (``"USA_1995:#1f77b4;MEX_2020:orange"``), a colour file (tab-separated,
header row, first column the value, a column ``Color``), or, when neither is given, an automatic
categorical palette. Both strips draw from one palette (:func:`color_axes`): the values of the two
axes never share a colour unless they are the same values, and automatic colours avoid those the user
gave the other axis. Values the scheme or file leave out, and labels without a value, share one
"other" colour: ``missing_color`` if given, else the candidate colour farthest (in CIELAB) from every
colour already used on either axis, so it is distinct and the same on every run.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import DataError, UsageError, shortened, shown_path
from ...options.pipeline_options import option_name
from ...text_lists import parse_key_values, unquote
from ..input_paths import regular_file
from ..label_order import natural_positions
from ..spec import ColorScheme
from .metadata import as_text, key_text, value_per_label

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


COLOR_COLUMN = "Color"
COLOR_FILE_LIMIT = 8 << 20
"""Bytes: the largest colour file read (a colour file has one short line per value)."""
OTHER = "other"
NO_VALUE = "no value"
# Candidates for the "other" colour: matplotlib's qualitative palettes, strong to pale.
OTHER_CANDIDATES = (
    "tab10",
    "Dark2",
    "Set1",
    "Pastel1",
    "tab20b",
)


@dataclass(frozen=True)
class LabelColors:
    """The colour strip of one axis.

    - ``axis``: ``"x"`` (columns) or ``"y"`` (rows); ``column``: the metadata column coloured by.
    - ``values``: label -> value of ``column`` (NaN when the label has none), in plotted order.
    - ``colors``: label -> colour as ``#rrggbb``, in plotted order.
    - ``legend``: legend text -> colour, in legend order: the values present (sorted), then the shared
      "other" / "no value" entry when some label has it.
    """

    axis: str
    column: str
    values: pd.Series
    colors: pd.Series
    legend: dict[str, str] = field(default_factory=dict)

    def as_strip(self) -> ColourStrip:
        """The strip as plain text, for renderers that need no pandas (see :class:`ColourStrip`)."""
        texts = tuple("" if value != value else as_text(value) for value in self.values.tolist())  # noqa: PLR0124
        return ColourStrip(variable=self.column, values=texts, colours=tuple(self.colors.tolist()))


@dataclass(frozen=True)
class ColourStrip:
    """A colour strip as plain text: the metadata ``variable``, and for each label in plotted order its
    value as text (``""`` when it has none) and its colour (``#rrggbb``)."""

    variable: str
    values: tuple[str, ...]
    colours: tuple[str, ...]


def given_colors(
    axis: str,
    column: str | None,
    scheme: ColorScheme = None,
    color_file: str | os.PathLike[str] | None = None,
) -> dict[str, str] | None:
    """The colours the user gave for the ``axis`` strip (``{value text: colour}``), or None for the
    automatic palette. Raises UsageError for both a scheme and a file, either without ``column`` (the
    ``--color-AXIS-by`` column), or a malformed scheme; DataError for an unreadable colour file."""
    if scheme is None and color_file is None:
        return None
    scheme_label, file_label = option_name(f"color_scheme_{axis}"), option_name(f"color_file_{axis}")
    column_label = option_name(f"color_{axis}_by")
    if column is None:
        raise UsageError(
            f"{scheme_label} / {file_label} set the colours of {column_label}, which is not given. Add "
            f"{column_label} COLUMN."
        )
    if scheme is not None and color_file is not None:
        raise UsageError(
            f"Give either {scheme_label} or {file_label}, not both: they both set the colours of "
            f"{column_label} {column}."
        )
    if scheme is not None:
        return parse_color_scheme(scheme, scheme_label)
    return read_color_file(color_file, file_label)


@dataclass(frozen=True)
class StripRequest:
    """One axis's colour strip to make: colour the ``labels`` (values of ``axis_column``) on ``axis`` by
    their value in ``column``, with the ``given`` colours (from :func:`given_colors`; None: automatic)."""

    axis: str
    axis_column: str
    labels: pd.Index
    column: str
    given: dict[str, str] | None = None


def color_axes(
    rows: pd.DataFrame, requests: Sequence[StripRequest], missing_color: str | None = None
) -> dict[str, LabelColors]:
    """The colour strip of each request, by axis, all drawn from one palette.

    The automatic colours go to the values of every axis without given colours together (the first
    axis's values first, each sorted), so a value shared by both axes has one colour and different
    values have different colours; colours the user gave another axis are skipped. The shared "other"
    colour is distinct from every colour of every axis. A value of a text column matches a given
    colour's value exactly (``1`` is not ``01`` nor ``1.0``); a value of a column of numbers (a DataFrame
    input) matches any text of that number (``1``, ``1.0``). Raises DataError for a label with several
    values of its column.
    """
    from matplotlib.colors import to_hex

    values = {
        request.axis: value_per_label(
            rows, request.axis_column, request.column, list(request.labels), option_name(f"color_{request.axis}_by")
        )
        for request in requests
    }
    automatic: dict[str, None] = {}
    taken: dict[str, None] = {}
    for request in requests:
        if request.given is None:
            automatic.update(dict.fromkeys(_present_values(values[request.axis])))
        else:
            taken.update(dict.fromkeys(to_hex(color) for color in request.given.values()))
    palette = [color for color in automatic_palette(len(automatic) + len(taken)) if color not in taken]
    shared = dict(zip(automatic, palette))
    every_colour = [*shared.values(), *taken]
    return {
        request.axis: _strip(
            request, values[request.axis], shared if request.given is None else request.given,
            missing_color, every_colour,
        )
        for request in requests
    }


def _present_values(values: pd.Series) -> list[str]:
    """The distinct values of a strip as text, in natural order (missing values left out)."""
    distinct = values.dropna().drop_duplicates()
    return [as_text(value) for value in distinct.iloc[natural_positions(distinct.tolist())]]


def _strip(
    request: StripRequest, values: pd.Series, given: dict[str, str], missing_color: str | None,
    avoid: Sequence[str],
) -> LabelColors:
    """The strip of ``request``: each label's colour from ``given`` by its value; values ``given`` leaves
    out and labels without a value get ``missing_color``, else a colour distinct from ``given`` and
    ``avoid``."""
    import pandas as pd
    from matplotlib.colors import to_hex

    axis, column = request.axis, request.column
    texts = values.map(as_text, na_action="ignore")
    if pd.api.types.is_numeric_dtype(values.dtype):
        given = {key_text(key): color for key, color in given.items()}  # "1.0" names the number 1
    by_value = {text: given[text] for text in _present_values(values) if text in given}
    colors = texts.map(by_value)
    legend = dict(by_value)
    unmatched = colors.isna()
    if unmatched.any():
        other = missing_color or distinct_color(list(dict.fromkeys([*given.values(), *avoid])))
        colors = colors.fillna(other)
        has_value = texts[unmatched].notna().any()
        has_none = texts[unmatched].isna().any()
        legend[OTHER if not has_none else (NO_VALUE if not has_value else f"{OTHER} or {NO_VALUE}")] = other
    colors = pd.Series([to_hex(color) for color in colors], index=values.index, name=column)
    legend = {text: to_hex(color) for text, color in legend.items()}
    return LabelColors(axis=axis, column=column, values=values, colors=colors, legend=legend)


def parse_color_scheme(scheme: str | Mapping[object, str], option: str) -> dict[str, str]:
    """``"value:color;value:color"`` (or a mapping) as ``{value text: colour}``, colours checked."""
    if isinstance(scheme, Mapping):
        pairs = [(as_text(key), str(color)) for key, color in scheme.items()]
    else:
        pairs = [
            (key, unquote(color))
            for key, color in parse_key_values(scheme, option, "'USA_1995:#1f77b4;MEX_2020:orange'")
        ]
    if not pairs:
        raise UsageError(
            f"{option} is empty; give VALUE:COLOR pairs, e.g. 'USA_1995:#1f77b4;MEX_2020:orange'."
        )
    return {key: check_color(color, option, key) for key, color in pairs}


def read_color_file(path: str | os.PathLike[str], option: str) -> dict[str, str]:
    """Read a colour file: tab-separated UTF-8 text (a byte-order mark is allowed), a header row, the
    value in the first column (as written, spaces included), the colour in the column named ``Color``
    (any case; ``Colour`` too).

    Raises UsageError for an empty path; DataError for a path that is missing or not a regular file (a
    FIFO, ``/dev/zero``), a file larger than :data:`COLOR_FILE_LIMIT`, one that is not UTF-8 text, and a
    malformed table.
    """
    import csv

    path = os.fspath(path)
    what = f"the colour file {shown_path(path)} ({option})"
    if not path:
        raise UsageError(f"{option} is empty; give the path of a tab-separated colour file.")
    try:
        regular_file(path, what)
        with open(path, "rb") as handle:
            data = handle.read(COLOR_FILE_LIMIT + 1)
    except OSError as error:
        raise DataError(
            f"Cannot read the colour file {shown_path(path)} ({option}): {error.strerror}."
        ) from error
    if len(data) > COLOR_FILE_LIMIT:
        raise DataError(
            f"Cannot read {what}: it is larger than {COLOR_FILE_LIMIT >> 20} MB, far more than a colour "
            "file needs (one short line per value). Check that the path names the colour file."
        )
    try:
        text = data.decode("utf-8-sig")
        if "\x00" in text:
            raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1, "zero byte")
    except UnicodeDecodeError as error:
        raise DataError(
            f"Cannot read {what}: it is not UTF-8 text (byte {error.start + 1} is "
            f"{data[error.start : error.start + 1]!r}). "
            "Save it as UTF-8 text (in Excel: 'Text (Tab delimited)' then re-save as UTF-8, or 'CSV UTF-8')."
        ) from None
    lines = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    table = [row for row in lines if any(cell.strip() for cell in row)]
    header = [cell.strip() for cell in table[0]] if table else []
    found = [i for i, name in enumerate(header) if name.lower() in ("color", "colour")]
    if len(header) < 2 or not found:
        raise DataError(
            f"The colour file {shown_path(path)} ({option}) needs a tab-separated header row with the value "
            f"column first and a column named {COLOR_COLUMN!r}; its header is {shortened(header)}."
        )
    where = found[0]
    colors: dict[str, str] = {}
    for number, row in enumerate(table[1:], start=2):
        if len(row) <= where or not row[0].strip():
            raise DataError(
                f"Line {number} of the colour file {shown_path(path)} has no value or no colour: "
                f"{shortened(row)}."
            )
        key = row[0]
        color = check_color(row[where].strip(), f"{option} {path} line {number}", key, DataError)
        if colors.get(key, color) != color:
            raise DataError(
                f"The colour file {shown_path(path)} gives {shortened(row[0].strip())!r} two colours "
                f"({colors[key]} and {color})."
            )
        colors[key] = color
    return colors


def check_color(color: str, option: str, value: str | None = None, error: type = UsageError) -> str:
    """Return ``color`` if matplotlib understands it (``red``, ``#1f77b4``, ``C0``, ``0.5``), else raise."""
    from matplotlib.colors import is_color_like

    if is_color_like(color):
        return color
    where = f" for {value!r}" if value is not None else ""
    raise error(
        f"{option}: {color!r}{where} is not a colour. Use a name (red, steelblue), a hex code "
        "(#1f77b4) or a grey level between 0 and 1 ('0.6')."
    )


def automatic_palette(count: int) -> list[str]:
    """``count`` distinct categorical colours: tab10 up to 10, tab20 up to 20, else seaborn's evenly
    spaced HUSL hues."""
    import matplotlib
    from matplotlib.colors import to_hex

    if count <= 20:
        return [
            to_hex(color)
            for color in matplotlib.colormaps["tab10" if count <= 10 else "tab20"].colors[:count]
        ]
    import seaborn as sns  # only here: importing seaborn costs about a second

    return [to_hex(color) for color in sns.color_palette("husl", count)]


def distinct_color(used: list[str]) -> str:
    """The candidate colour farthest in CIELAB from every colour in ``used`` and from white (the page).

    Deterministic: the same ``used`` colours always give the same answer.
    """
    import matplotlib
    import numpy as np
    from matplotlib.colors import to_hex, to_rgb

    candidates = np.array(
        [to_rgb(color) for name in OTHER_CANDIDATES for color in matplotlib.colormaps[name].colors]
    )
    taken = np.array([to_rgb(color) for color in [*used, "white"]])
    distance = np.linalg.norm(_lab(candidates)[:, None, :] - _lab(taken)[None, :, :], axis=2).min(axis=1)
    return to_hex(candidates[int(np.argmax(distance))])


def _lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0-1) rows to CIELAB (D65)."""
    import numpy as np

    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)
