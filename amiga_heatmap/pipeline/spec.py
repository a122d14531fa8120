"""What a run draws, in one frozen object: :class:`HeatmapSpec`, with one :class:`AxisSpec` per axis.

The Python front end (:func:`amiga_heatmap.heatmap`) and the command line both build a spec with
:meth:`HeatmapSpec.build` from the same flat keyword names (``sort_y``, ``cluster_x``, ``color_file_y``,
...), each declared once in :mod:`amiga_heatmap.options.pipeline_options` (its flags, default, help and
the field it sets; the defaults below come from there), and
:class:`~amiga_heatmap.pipeline.pipeline.Pipeline` runs it. A spec holds the user's text as
given (the subset, the filter, the transforms); :func:`amiga_heatmap.pipeline.run.prepare` checks and
parses it before any data is read. Building a spec imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..options.pipeline_options import (
    AXIS_KEYWORDS,
    PIPELINE_OPTION,
    default_of,
    option_name,
)

SubsetArgument = str | Mapping[str, Sequence[object] | object] | None
ColorScheme = str | Mapping[object, str] | None
HighlightArgument = str | Mapping[str, Sequence[object] | object] | None


@dataclass(frozen=True)
class AxisSpec:
    """One axis of the heatmap: the column whose values label it, and how its labels are ordered and
    coloured.

    - ``column``: the metadata column, e.g. ``"Substrate"``.
    - ``sort_by``: order the labels by this metadata column (each label must have one value).
    - ``cluster``: order them by hierarchical clustering of the matrix instead (wins over ``sort_by``).
    - ``color_by``: draw a colour strip of each label's value in this metadata column;
      ``color_scheme`` (``"value:colour;..."`` or a mapping) or ``color_file`` (a tab-separated file)
      give the colours, else an automatic palette.
    - ``split_by``: draw the labels in blocks, one per value of this metadata column (natural order;
      each label must have one value), each block sorted or clustered on its own
      (:mod:`amiga_heatmap.pipeline.blocks`).
    """

    column: str
    sort_by: str | None = None
    cluster: bool = False
    color_by: str | None = None
    color_scheme: ColorScheme = None
    color_file: str | os.PathLike[str] | None = None
    split_by: str | None = None


@dataclass(frozen=True)
class HeatmapSpec:
    """Everything a run is asked to do, before anything is checked or read.

    - ``value``: the numeric column shown in the cells; ``x``, ``y``: the two axes.
    - ``operation``: how replicates are combined: an aggregator's name, with arguments if it takes any
      (``"mean"``, ``"trimmed(0.2)"``); None requires one value per cell.
    - ``subset``: ``"Var:v1,v2;Var2:v3"`` or ``{"Var": [...]}``: keep only matching rows.
    - ``filter``: a filter expression, e.g. ``"row any >= 1.2 OR row any <= 0.8"``.
    - ``title``: the figure title (None: the value name).
    - ``missing``: ``"drop-rows"``, ``"drop-columns"`` or ``"keep"``.
    - ``cluster_method``, ``cluster_metric``: linkage method and distance for clustered axes.
    - ``missing_color``: colour of strip values the given colours leave out.
    - ``highlight``: ``"y:LABEL,LABEL;x:LABEL"`` or a mapping: labels drawn in bold red.
    - ``transforms``: matrix transforms applied in order after the missing-cell stage, each a name with
      optional arguments (``("log2", "zscore(row)")``).
    - ``test``: test every cell (``--test``): against ``test_against`` (default 1 for ratio columns,
      tested on log2, else 0), or, with ``reference`` (``LABEL`` of a column or ``y:LABEL`` of a row),
      against the reference cell of its row (column) with Welch's t-test.
    - ``contrast``: show each cell relative to the ``reference`` cell of its row (column): ``ratio``,
      ``difference`` or ``log2ratio``; the reference itself is dropped unless ``keep_reference``.
    - ``engine``: the engine computing the cells (None: the default, ``auto``).
    - ``engine_options``: the engine's settings, ``("memory_limit=2GB",)`` or ``{"memory_limit": "2GB"}``
      (checked against the engine's declared options).
    - ``read_all_columns``: keep every input column on the result's rows (``--save-filtered-table``).
    - ``annotate``: lab annotation tables (``--annotate``), tab-separated files joined to the rows on
      the columns they share with the summary (:mod:`amiga_heatmap.pipeline.annotation`).
    - ``allow_duplicate_wells``: read input files that hold the same wells (``--allow-duplicate-wells``;
      see :mod:`amiga_heatmap.pipeline.duplicate_wells`).
    - ``values``: with several values side by side (``-v`` repeated), every one of them in panel order,
      ``value`` being the first; empty for one value (:mod:`amiga_heatmap.pipeline.panels`).
    - ``no_cache``: neither read from nor add to the parsed-input cache (``--no-cache``; see
      :mod:`amiga_heatmap.pipeline.input_cache`).
    """

    value: str
    x: AxisSpec
    y: AxisSpec
    operation: str | None = None
    subset: SubsetArgument = None
    filter: str | None = None
    title: str | None = None
    missing: str = default_of("missing")
    cluster_method: str = default_of("cluster_method")
    cluster_metric: str = default_of("cluster_metric")
    missing_color: str | None = None
    highlight: HighlightArgument = None
    transforms: tuple[str, ...] = ()
    test: bool = False
    test_against: float | None = None
    reference: str | None = None
    contrast: str | None = None
    keep_reference: bool = False
    engine: str | None = None
    engine_options: tuple[str, ...] | Mapping[str, object] = ()
    read_all_columns: bool = False
    annotate: tuple[str | os.PathLike[str], ...] = ()
    allow_duplicate_wells: bool = False
    values: tuple[str, ...] = ()
    no_cache: bool = False

    @classmethod
    def build(cls, value: str | Sequence[str], x: str, y: str, **options: Any) -> HeatmapSpec:
        """The spec for ``value`` with ``x`` and ``y`` as columns, from :func:`amiga_heatmap.heatmap`'s
        flat keywords (``sort_x``, ``cluster_y``, ``color_x_by``, ``color_scheme_y``, ``color_file_x``
        and the fields of this class). ``value`` may be a list or tuple of several values, drawn side by
        side (one of them: the same as that value alone). Raises TypeError for an unknown keyword, like a
        function would, and ValueError for an empty list of values."""
        if not isinstance(value, str):
            names = tuple(value)
            if not names:
                raise ValueError("heatmap() was given an empty list of values; name at least one column")
            value = names[0]
            if len(names) > 1:
                options["values"] = names
        axes = {}
        for axis, column in (("x", x), ("y", y)):
            axis_options = {
                name: options.pop(keyword.format(axis))
                for name, keyword in AXIS_KEYWORDS.items()
                if keyword.format(axis) in options
            }
            axes[axis] = AxisSpec(column, **axis_options)
        known = {item.name for item in fields(cls)} - {"value", "x", "y"}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"heatmap() got unexpected keyword arguments: {', '.join(unknown)}")
        if "transforms" in options:
            options["transforms"] = _as_tuple(options["transforms"])
        if isinstance(options.get("engine_options"), (str, os.PathLike)):
            options["engine_options"] = (options["engine_options"],)
        if "annotate" in options:
            annotate = options["annotate"]
            options["annotate"] = (annotate,) if isinstance(annotate, (str, os.PathLike)) else tuple(annotate or ())
        return cls(value=value, x=axes["x"], y=axes["y"], **options)

    def axis(self, name: str) -> AxisSpec:
        """The :class:`AxisSpec` of ``"x"`` or ``"y"``."""
        return self.x if name == "x" else self.y

    def label_columns(self) -> dict[str, str]:
        """The metadata columns the labels need (sorting, colour strips and splits), each with the option
        that asked for it: ``{"PM": "--sort-y-by"}`` (``sort_y`` from Python)."""
        wanted: dict[str, str] = {}
        for axis in ("x", "y"):
            for field_name in ("sort_by", "color_by", "split_by"):
                column = getattr(self.axis(axis), field_name)
                if column is not None:
                    wanted.setdefault(column, option_name(AXIS_KEYWORDS[field_name].format(axis)))
        return wanted

    def value_of(self, name: str) -> Any:
        """The value of the option ``name`` (a keyword of :meth:`build`, e.g. ``sort_y``) in this spec."""
        option = PIPELINE_OPTION[name]
        if option.axis is not None:
            return getattr(self.axis(option.axis), option.axis_field)
        return getattr(self, name)

    @property
    def clustered(self) -> bool:
        """Whether either axis is clustered."""
        return self.x.cluster or self.y.cluster


def _as_tuple(transforms: str | Sequence[str] | None) -> tuple[str, ...]:
    if transforms is None:
        return ()
    if isinstance(transforms, str):
        return (transforms,)
    return tuple(transforms)

