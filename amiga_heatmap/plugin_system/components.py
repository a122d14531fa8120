"""The objects plugins register: readers, aggregators, quantifiers, operators, renderers, engines and
transforms.

A plugin builds these and hands them to the ``register`` callback of the matching hook (see
:mod:`amiga_heatmap.plugin_system.hookspecs`). They are plain frozen dataclasses holding a name, a short description for
``amiga-heatmap plugins`` and ``--help`` texts, and the function that does the work. Creating them imports
nothing heavy: the functions themselves import pandas, numpy or matplotlib when they are called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

__all__ = ["Aggregator", "Engine", "Operator", "Quantifier", "Reader", "Renderer", "Transform"]

if TYPE_CHECKING:  # pragma: no cover - only for type checkers
    import numpy as np
    import pandas as pd
    from pandas.core.groupby import SeriesGroupBy

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
      Raise :class:`~amiga_heatmap.errors.DataError` for a file it cannot parse.
    - ``header(path)``: return the file's column names in order without reading its rows; the core uses
      it to suggest the closest names when a column is missing.
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[str, frozenset[str] | None], pd.DataFrame]
    header: Callable[[str], list[str]]
    description: str = ""


@dataclass(frozen=True)
class Aggregator:
    """Reduces the replicate values of each (y, x) cell to one number.

    ``reduce(groups)`` receives a pandas ``SeriesGroupBy`` of the value column grouped by the cell keys
    and returns a Series with one number per group, indexed like ``groups.mean()`` would be. Missing
    values are passed in; the aggregator decides how to treat them (the built-ins skip them).
    """

    name: str
    reduce: Callable[[SeriesGroupBy], pd.Series]
    description: str = ""


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
      the format from ``file_format``, never from the path's suffix. ``options`` holds the user's ``--kwargs`` after literal parsing; every key is one
      of ``options_accepted``.
    - ``options_accepted``: option names the renderer understands, each with a one-line explanation; the
      core refuses other keys with an error listing these, before anything is drawn.
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


@dataclass(frozen=True)
class Engine:
    """Computes the cell table from the input sources: reading, subset and replicate aggregation.

    - ``compute(sources, run)``: return a :class:`~amiga_heatmap.pipeline.cell_table.CellTable` for
      ``sources`` (:class:`~amiga_heatmap.pipeline.cell_table.Sources`) as ``run.spec`` asks. The engine
      receives what it may push down: ``run.columns`` (the columns the run needs, each with the option
      that asked for it), ``run.selection`` (the parsed subset), ``run.aggregator`` and
      ``run.aggregator_arguments`` (None when every cell must hold one value). It must report the same
      errors as the ``pandas`` engine (missing column with the closest names, non-numeric values naming
      samples, replicates without ``-p``, an empty selection); one it cannot run (an aggregator it cannot
      translate) is a :class:`~amiga_heatmap.errors.UsageError` naming both and suggesting another engine.
    - ``description``: one line for ``amiga-heatmap plugins``.
    """

    name: str
    compute: Callable[[Sources, Run], CellTable]
    description: str = ""


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
