"""The objects plugins register: readers, aggregators, quantifiers, operators, renderers, engines,
transforms and annotations.

A plugin builds these and hands them to the ``register`` callback of the matching hook (see
:mod:`amiga_heatmap.plugin_system.hookspecs`). They are plain frozen dataclasses holding a name, a short description for
``amiga-heatmap plugins`` and ``--help`` texts, and the function that does the work. Creating them imports
nothing heavy: the functions themselves import pandas, numpy or matplotlib when they are called.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..options.declaration import Option

__all__ = [
    "AGGREGATION_FORMS",
    "CAPABILITIES",
    "Aggregator",
    "Annotation",
    "Engine",
    "LegacyAggregatorWarning",
    "Operator",
    "Option",
    "Quantifier",
    "Reader",
    "Renderer",
    "Transform",
]

# what a renderer may declare it can draw, each with the words messages use for it
CAPABILITIES = {
    "colour_strips": "colour strips",
    "highlights": "highlighted labels",
    "pages": "several pages",
    "dendrograms": "dendrograms",
    "size": "a chosen figure size",
    "blocks": "blocks of a split axis",
    "panels": "several values side by side",
}

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import numpy as np
    import pandas as pd

    from ..pipeline.cell_table import CellTable, Sources
    from ..pipeline.run import Run
    from ..result import HeatmapResult


@dataclass(frozen=True)
class Reader:
    """Reads summary files of some kinds into a DataFrame.

    - ``name``: unique reader name, e.g. ``"amiga-text"``.
    - ``suffixes``: the file-name endings it handles, lower case with the dot, e.g. ``(".txt", ".tsv")``.
    - ``read(path, columns)``: return a DataFrame with one row per well. ``columns`` is the set of column
      names the run needs, or ``None`` for every column; a reader may return more columns than asked,
      and must simply leave out asked-for columns the file does not have (the core reports those).
      Raise :class:`~amiga_heatmap.errors.DataError` for a file it cannot parse. Opt-in: a ``read``
      that also takes a ``numbers`` argument (``read(path, columns, numbers)``) is passed the set of
      columns to parse as numbers (the growth parameters) and must return every other column as text
      exactly as written: ``str`` cells, ``01``, ``NA`` and `` x `` kept as they are, missing only where
      a cell is blank. A ``read`` without it is called with two arguments, and its types are used as
      returned.
    - ``header(path)``: return the file's column names in order without reading its rows; the core uses
      it to suggest the closest names when a column is missing.
    - ``accepts(path)``: optional; return False for a file with one of the reader's suffixes that is
      not the reader's kind (a metadata ``.json`` beside JSON summaries, an Excel lock file
      ``~$plate.xlsx``). It must be cheap (look at the name or the first bytes; it runs each time the
      core chooses the reader of a file) and must not raise for a file it cannot open: return False, or
      True and let ``read`` report it. None (the default) accepts every file with the suffixes.

    Choosing the reader of a file: the readers claiming a suffix the file name ends with are asked in
    turn, the longest suffix first and, for one suffix, a plugin's reader before a built-in's; the first
    that accepts the file reads it. A folder search skips a file every such reader declines, with one
    warning naming it; a file given directly that every reader declines is a DataError.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[str, frozenset[str] | None], pd.DataFrame]
    header: Callable[[str], list[str]]
    description: str = ""
    accepts: Callable[[str], bool] | None = None


AGGREGATION_FORMS: Mapping[str, tuple[str, ...]] = {
    "mean": (),
    "median": (),
    "quantile": ("q",),
    "min": (),
    "max": (),
    "sd": (),
    "count": (),
}
"""The standard reductions an aggregator can declare as its ``form``, with the parameters each takes.

Every engine computes each of them itself (the pandas engine with pandas' grouped reductions, a SQL
engine with ``AVG``, ``MEDIAN``, ``QUANTILE_CONT``, ``MIN``, ``MAX``, ``STDDEV_SAMP``, ``COUNT``), over the
non-missing values of each cell: ``mean``; ``median``; ``quantile(q)``, ``0 <= q <= 1``, linear
interpolation between the two nearest values (their value when they are equal, even if infinite); ``min``; ``max``; ``sd``, the sample standard deviation (n - 1,
missing for one value); ``count``, how many values are not missing. A cell without values gets NaN
(``count``: 0). Infinite values take part as the numbers they are.
"""


class LegacyAggregatorWarning(FutureWarning):
    """An aggregator written against the old contract ``reduce(groups)`` (a pandas ``SeriesGroupBy``) was
    used. It still works in this release; the message says how to move it to ``reduce(values, groups,
    n_groups)``. A ``FutureWarning``, so the command line and Python both show it."""


@dataclass(frozen=True)
class Aggregator:
    """Reduces the replicate values of each (y, x) cell to one number (``-p NAME`` or ``-p NAME(ARGS)``).

    An aggregator says what it computes in one or both of two ways:

    - ``form``: the name of a standard reduction in :data:`AGGREGATION_FORMS` (``"mean"``,
      ``"quantile"``, ...). An engine computes a declared form itself (in SQL, say) and never calls
      ``reduce``; so ``reduce``, if also given, must compute the same thing.
    - ``reduce(values, groups, n_groups, *arguments)``: a vectorised reduction over numpy arrays, for
      anything that is not a standard form. ``values`` is a read-only 1-D float64 array with the value
      of every row that reaches a cell (rows whose x or y is missing are not passed): NaN for a missing
      value, ``inf``/``-inf`` as they are. ``groups`` is a read-only integer array of the same length
      giving each value's cell as a code ``0 .. n_groups - 1``; every code occurs at least once, and
      neither the numbering of the cells nor the order of the values means anything (engines differ).
      ``arguments`` are the numbers the user wrote in parentheses, as floats, one per name in
      ``parameters``. Return ``n_groups`` floats (any 1-D array-like), entry ``i`` the value of cell
      ``i``, NaN for a cell without one. Decide how missing values count (the built-ins skip them).
      Work on whole arrays (``numpy.bincount(groups, weights=...)``, ``numpy.lexsort((values,
      groups))``), never with a Python loop over cells. Raise
      :class:`~amiga_heatmap.errors.UsageError` for impossible arguments and
      :class:`~amiga_heatmap.errors.DataError` for values the reduction cannot take.

    ``parameters`` names the numbers the aggregator takes, written ``name(a, b)`` after ``-p``
    (``("proportion",)`` for ``-p trimmed(0.2)``); an empty tuple means it is written bare. With a
    ``form``, they are the form's (``("q",)`` for ``quantile``).

    **The old contract**, ``reduce(groups)`` taking a pandas ``SeriesGroupBy`` and returning a Series
    indexed like ``groups.mean()``, still works in this release and gives the same matrix as before: a
    ``reduce`` that accepts exactly one positional argument is taken to be written that way, and each
    run using it emits one :class:`LegacyAggregatorWarning` saying what to change. It takes no
    parameters and no engine but pandas can run it.
    """

    name: str
    reduce: Callable[..., Any] | None = None
    description: str = ""
    parameters: tuple[str, ...] = ()
    form: str | None = None

    def __post_init__(self) -> None:
        if self.form is not None and self.form not in AGGREGATION_FORMS:
            raise TypeError(
                f"Aggregator {self.name!r}: form={self.form!r} is not a standard form; choose one of "
                f"{', '.join(AGGREGATION_FORMS)}, or leave form out and give reduce."
            )
        if self.form is None and not callable(self.reduce):
            raise TypeError(f"Aggregator {self.name!r} needs a reduce function or a form.")
        if self.form is not None and tuple(self.parameters) != AGGREGATION_FORMS[self.form]:
            raise TypeError(
                f"Aggregator {self.name!r}: the form {self.form!r} takes the parameters "
                f"{AGGREGATION_FORMS[self.form]}, so parameters must be that, not {tuple(self.parameters)}."
            )
        if self.legacy and self.parameters:
            raise TypeError(
                f"Aggregator {self.name!r}: reduce(groups) is the old contract, which takes no parameters; "
                "write reduce(values, groups, n_groups, *arguments)."
            )

    @property
    def legacy(self) -> bool:
        """True when ``reduce`` is written against the old contract ``reduce(groups)`` (and there is no
        ``form`` an engine would compute instead)."""
        return self.form is None and _accepts_only_one_argument(self.reduce)

    def usage(self) -> str:
        """How the aggregator is written after ``-p``: ``mean``, ``trimmed(PROPORTION)``."""
        if not self.parameters:
            return self.name
        return f"{self.name}({', '.join(parameter.upper() for parameter in self.parameters)})"


def _accepts_only_one_argument(function: Callable[..., Any] | None) -> bool:
    """Whether ``function`` can be called with one positional argument but not with three."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return False
    try:
        signature.bind(None)
    except TypeError:
        return False
    try:
        signature.bind(None, None, None)
    except TypeError:
        return True
    return False


@dataclass(frozen=True)
class Quantifier:
    """Turns a comparison over the cells of each row (or column) into one keep/drop decision.

    ``evaluate(values, compare, axis, *arguments)`` receives the whole matrix as a 2-D float ndarray
    (missing cells are NaN), ``compare`` (a vectorised function mapping an ndarray to a boolean ndarray of
    the same shape: the clause's operator and threshold), the ``axis`` to reduce (1 for ``row`` clauses,
    0 for ``col`` clauses) and the clause's arguments, and returns a 1-D boolean ndarray with one entry
    per row (axis 1) or column (axis 0). It must be vectorised: no Python loop over rows.

    ``parameters`` names the arguments the quantifier takes, written ``name(a, b)`` in a filter; an
    empty tuple means it is written bare (``any``). Arguments are numbers.
    """

    name: str
    evaluate: Callable[..., np.ndarray]
    description: str = ""
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operator:
    """A comparison between cells and a threshold, written with a symbol in a filter (``>=``).

    ``compare(values, threshold)`` receives an ndarray of floats (NaN for missing cells) and a float and
    returns a boolean ndarray of the same shape. A missing cell should compare False.
    The symbol is made of the characters ``< > = ! ~``.
    """

    symbol: str
    compare: Callable[[np.ndarray, float], np.ndarray]
    description: str = ""


@dataclass(frozen=True)
class Renderer:
    """Writes a heatmap result to a file in one of its formats.

    - ``formats``: the file formats (and file-name extensions) it writes, e.g. ``("pdf", "png", "svg")``.
    - ``render(result, path, file_format, options)``: write ``result`` to ``path`` in ``file_format``.
      ``path`` is a temporary name (ending in ``.part``) renamed when complete, so a renderer must take
      the format from ``file_format``, never from the path's suffix. ``options`` holds the user's
      ``--kwargs`` (after literal parsing) and the values of its options' flags; every key is one of its
      ``options``.
    - ``options``: the :class:`~amiga_heatmap.options.Option` declarations of the options it understands:
      each a name with a one-line explanation (shown by ``amiga-heatmap plugins``), and optionally a
      ``check``, a ``default`` and ``flags`` (a declared flag becomes a command-line option of
      ``amiga-heatmap``). The core refuses other keys with an error listing these, and runs each
      given option's ``check``, before any data is read.
    - ``options_accepted``: the older form of ``options``, ``{name: explanation}``; give one or the other.
      After construction both are filled: ``options_accepted`` is always ``{name: explanation}``.
    - ``capabilities``: what it draws of the run's decorations, among :data:`CAPABILITIES`
      (``"colour_strips"``, ``"highlights"``, ``"pages"``, ``"dendrograms"``, ``"size"``). On the command
      line, an option needing one the renderer lacks (``--color-x-by`` without ``"colour_strips"``) is
      refused before any data is read, naming the renderer and the option.
    - ``figure(result, options)``: optional; return an in-memory object (a matplotlib Figure for the
      seaborn renderer) for notebooks, without writing a file.
    - ``check_options(options, file_format)``: optional; raise
      :class:`~amiga_heatmap.errors.UsageError` naming the option for a bad value (an unknown colour map,
      a negative width). Called before any data is read, so mistakes fail fast; ``file_format`` is None
      when no file is written (``figure``).
    - ``companions(result, options, file_format)``: optional; extra files written next to the main
      output, as ``{name suffix: write(path)}`` (the seaborn renderer's ``{"_x_legend.pdf": ...}``). Each
      is written atomically to ``{main file's stem}{suffix}`` after the main file.
    """

    name: str
    formats: tuple[str, ...]
    render: Callable[[HeatmapResult, str, str, Mapping[str, Any]], None]
    description: str = ""
    options_accepted: Mapping[str, str] = field(default_factory=dict)
    figure: Callable[[HeatmapResult, Mapping[str, Any]], Any] | None = None
    check_options: Callable[[Mapping[str, Any], str | None], None] | None = None
    companions: (
        Callable[[HeatmapResult, Mapping[str, Any], str], Mapping[str, Callable[[str], None]]] | None
    ) = None
    options: tuple[Option, ...] = ()
    capabilities: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.options and self.options_accepted:
            raise TypeError(f"renderer {self.name!r}: give options or options_accepted, not both")
        options = tuple(
            option if option.reads else replace(option, reads=f"renderer {self.name}")
            for option in tuple(self.options)
            or (Option(name, explanation) for name, explanation in self.options_accepted.items())
        )
        capabilities = frozenset(self.capabilities if not isinstance(self.capabilities, str)
                                 else (self.capabilities,))
        unknown = sorted(capabilities - set(CAPABILITIES))
        if unknown:
            raise ValueError(
                f"renderer {self.name!r}: unknown capabilities {', '.join(unknown)}; known: {', '.join(CAPABILITIES)}"
            )
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "options_accepted", {option.name: option.help for option in options})
        object.__setattr__(self, "capabilities", capabilities)

    def option(self, name: str) -> Option | None:
        """The declaration of the option ``name``, or None when the renderer does not accept it."""
        return next((option for option in self.options if option.name == name), None)


@dataclass(frozen=True)
class Engine:
    """Computes the cell table from the input sources: reading, subset and replicate aggregation.

    - ``compute(sources, run)``: return a :class:`~amiga_heatmap.pipeline.cell_table.CellTable` for
      ``sources`` (:class:`~amiga_heatmap.pipeline.cell_table.Sources`) as ``run.spec`` asks. The engine
      receives what it may push down: ``run.input_columns`` (the columns to read, each with the option
      that asked for it), ``run.annotations`` (the :class:`Annotation` lookup tables to join to the rows,
      in order, after reading and before the subset: :func:`amiga_heatmap.pipeline.annotation.annotate`
      does it for pandas), ``run.selection`` (the parsed subset), ``run.aggregator`` and
      ``run.aggregator_arguments`` (None when every cell must hold one value); its settings are
      ``run.spec.engine_options`` (``--engine-option KEY=VALUE``, ``{key: text}``), which it checks (an
      engine with settings refuses a key it does not know with a UsageError). It must report the same
      errors as the ``pandas`` engine (missing column with the closest names, non-numeric values naming
      samples, replicates without ``-p``, an empty selection); one it cannot run (an aggregator it cannot
      translate) is a :class:`~amiga_heatmap.errors.UsageError` naming both and suggesting another engine.
    - ``description``: one line for ``amiga-heatmap plugins``.
    - ``options``: the :class:`~amiga_heatmap.options.Option` declarations of the settings it takes
      (``--engine-option KEY=VALUE``, ``engine_options={...}`` in Python), each with a ``check``
      converting the text given; ``compute`` finds the checked values in ``run.engine_options``. The
      core refuses other keys before any data is read, listing these.
    """

    name: str
    compute: Callable[[Sources, Run], CellTable]
    description: str = ""
    options: tuple[Option, ...] = ()

    def option(self, name: str) -> Option | None:
        """The declaration of the option ``name``, or None when the engine does not take it."""
        return next((option for option in self.options if option.name == name), None)


@dataclass(frozen=True)
class Transform:
    """Changes the matrix values between the missing-cell stage and the filter (``--transform``).

    ``apply(values, *arguments)`` receives the matrix as a DataFrame of floats (rows and columns
    labelled, missing cells NaN) and the arguments written after the name (``zscore(col)`` gives
    ``"col"``; numbers are floats, words strings) and returns a DataFrame of the same shape, labels and
    order. It must be vectorised. ``parameters`` names the arguments (each needs a default in ``apply``
    when it may be left out); an empty tuple means the transform takes none.

    ``check(*arguments)``: optional; raise :class:`~amiga_heatmap.errors.UsageError` for arguments the
    transform cannot take. Called before any data is read.
    """

    name: str
    apply: Callable[..., pd.DataFrame]
    description: str = ""
    parameters: tuple[str, ...] = ()
    check: Callable[..., None] | None = None


@dataclass(frozen=True)
class Annotation:
    """Columns added to the input rows after reading and before the subset, by a lookup table joined on
    key columns, so that the added columns work wherever a column does (``-y``, ``-x``, ``-s``,
    ``--color-y-by``, ``--sort-y-by``).

    - ``name``: unique annotation name, e.g. ``"biolog"``.
    - ``keys``: the columns of the input rows it joins on, e.g. ``("PM", "Well")``.
    - ``adds``: the columns it adds, e.g. ``("biolog_class",)``; never one of ``keys``.
    - ``table()``: return the lookup table, a DataFrame holding the ``keys`` and ``adds`` columns with one
      row per key combination. Keys are compared as text: the table's key columns hold text, and the
      engine compares each row's key value written as text (whole numbers without a decimal point:
      ``1.0`` is ``"1"``). Rows whose keys the table lacks get missing values. Called only in runs that
      need one of ``adds`` (then ``keys`` are read too), so it may read a file.
    - ``colors(column)``: optional; the fixed colour of each value of the added ``column``
      (``{value: "#rrggbb"}``), used by a colour strip of that column when the user gives no colours,
      so that a value has the same colour in every figure; None for an automatic palette.

    The contract is a join, so that every engine can apply it (a pandas merge, a SQL ``LEFT JOIN``).
    """

    name: str
    keys: tuple[str, ...]
    adds: tuple[str, ...]
    table: Callable[[], pd.DataFrame]
    description: str = ""
    colors: Callable[[str], Mapping[str, str] | None] | None = None
