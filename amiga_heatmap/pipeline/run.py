"""One run of the pipeline: the spec checked and parsed before any data is read (:func:`prepare`), and
the :class:`Run` context every stage hook receives.

Everything a user can write wrongly (the subset and filter text, an unknown aggregator, engine,
transform, clustering method or missing-cell mode, colours, highlights) is a UsageError here, before the
input is read, so mistakes fail fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, known_list
from ..options.pipeline_options import option_name
from .missing_cells import MISSING_MODES
from .spec import HeatmapSpec

if TYPE_CHECKING:  # pragma: no cover
    from ..plugin_system.components import Aggregator, Annotation, Engine
    from ..plugin_system.plugin_set import PluginSet
    from .annotation import LabTable
    from .statistics import CellTest
    from .subset import Selection
    from .transforms import TransformCall

DEFAULT_ENGINE = "auto"
ENGINE_VARIABLE = "AMIGA_HEATMAP_ENGINE"
"""The environment variable naming the engine of runs that choose none (unset: :data:`DEFAULT_ENGINE`);
the test suite runs once with it set to ``duckdb``."""


@dataclass(frozen=True)
class Run:
    """The context of one run, handed to every stage hook as ``run``.

    - ``spec``: the :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec` as given.
    - ``plugins``: the :class:`~amiga_heatmap.plugins.PluginSet` the run uses (its name tables, and
      ``plugins.manager.hook`` to call other hooks).
    - ``engine``: the chosen :class:`~amiga_heatmap.components.Engine`; ``engine_options`` its checked
      settings (``--engine-option``), by name.
    - ``aggregator`` and ``aggregator_arguments``: the parsed ``-p`` (None: one value per cell).
    - ``selection``: the parsed subset (column -> accepted value texts).
    - ``expression``: the parsed filter, or None.
    - ``transforms``: the parsed ``--transform`` calls, in order.
    - ``columns``: every column the run needs, with the option that asked for it (for messages),
      including the columns annotations add; :attr:`input_columns` are those to read.
    - ``annotations``: the :class:`~amiga_heatmap.components.Annotation` lookup tables the engine joins
      to the rows after reading and before the subset, in order: only those adding a column of
      ``columns`` (:mod:`amiga_heatmap.pipeline.annotation`); empty in most runs.
    - ``lab_tables``: the ``--annotate`` tables, read but not yet keyed; the pipeline turns them into
      ``annotations`` once the input's columns are known, so stages always see this empty.
    - ``highlighted``: ``{"x": [...], "y": [...]}`` label texts to highlight.
    - ``palettes``: per axis, the colours the user gave for the strip (None: automatic).
    - ``missing_color``: the checked ``missing_color``, or None.
    - ``cell_test``: the :class:`~amiga_heatmap.pipeline.statistics.CellTest` of ``--test``, or None.
    """

    spec: HeatmapSpec
    plugins: PluginSet
    engine: Engine
    aggregator: Aggregator | None
    aggregator_arguments: tuple[Any, ...]
    selection: Selection
    expression: Any
    transforms: tuple[TransformCall, ...]
    columns: dict[str, str]
    highlighted: dict[str, list[str]] = field(default_factory=lambda: {"x": [], "y": []})
    palettes: dict[str, dict[str, str] | None] = field(default_factory=dict)
    missing_color: str | None = None
    cell_test: CellTest | None = None
    engine_options: dict[str, Any] = field(default_factory=dict)

    @property
    def operation_text(self) -> str | None:
        """The aggregator as written canonically, with its arguments (``trimmed(0.2)``), or None."""
        from .operation import operation_text

        return operation_text(self.aggregator, self.aggregator_arguments) if self.aggregator else None
    annotations: tuple[Annotation, ...] = ()
    lab_tables: tuple[LabTable, ...] = ()

    @property
    def input_columns(self) -> dict[str, str]:
        """The columns to read from the input, each with the option that asked for it: ``columns``
        without those the annotations add, with the annotations' key columns."""
        added = {column for annotation in self.annotations for column in annotation.adds}
        wanted = {column: option for column, option in self.columns.items() if column not in added}
        for annotation in self.annotations:
            for key in annotation.keys:
                wanted.setdefault(key, f"the {annotation.name!r} annotation")
        return wanted

    @property
    def aggregator_plugin(self) -> str | None:
        """The plugin that provided the aggregator, for error messages."""
        return self.plugins.aggregators.plugin_of(self.aggregator.name) if self.aggregator else None


def prepare(spec: HeatmapSpec, plugins: PluginSet) -> Run:
    """Check ``spec`` and parse its texts into the :class:`Run` of one run with ``plugins``.

    Raises UsageError for anything malformed or unknown (see the module docstring).
    """
    from .annotation import needed_annotations, read_lab_table
    from .clustering import check_method_and_metric
    from .engine_options import parse_engine_options
    from .filtering.language import parse_filter
    from .labels.colors import check_color, given_colors
    from .labels.highlight import parse_highlight
    from .operation import parse_operation
    from .panels import check_values, shown_values
    from .subset import parse_subset
    from .transforms import parse_transforms

    engine = plugins.engines.get(spec.engine or os.environ.get(ENGINE_VARIABLE) or DEFAULT_ENGINE,
                                 option=option_name("engine"))
    engine_options = parse_engine_options(engine, spec.engine_options)
    aggregator, arguments = parse_operation(spec.operation, plugins.aggregators) if spec.operation else (None, ())
    selection = parse_subset(spec.subset)
    expression = (
        parse_filter(spec.filter, plugins.quantifiers.as_dict(), plugins.operators.as_dict(), filter_layers(spec))
        if spec.filter is not None
        else None
    )
    transforms = parse_transforms(spec.transforms, plugins)
    check_values(shown_values(spec))
    for value in shown_values(spec):
        check_axes(value, spec.x.column, spec.y.column)
    if spec.missing not in MISSING_MODES:
        raise UsageError(
            f"missing={spec.missing!r} is not a missing-cell mode; choose one of {known_list(MISSING_MODES)}."
        )
    if spec.clustered:
        check_method_and_metric(spec.cluster_method, spec.cluster_metric)
    highlighted = parse_highlight(spec.highlight, spec.x.column, spec.y.column)
    missing_color = check_color(spec.missing_color, option_name("missing_color")) if spec.missing_color is not None else None
    cell_test = _cell_test(spec)
    columns = {value: option_name("value") for value in shown_values(spec)}
    columns.update({spec.x.column: option_name("x"), spec.y.column: option_name("y")})
    columns.update({column: option_name("subset") for column in selection if column not in columns})
    for column, option in spec.label_columns().items():
        columns.setdefault(column, option)
    annotations = needed_annotations(plugins, columns)
    lab_tables = tuple(read_lab_table(path) for path in spec.annotate)
    palettes = {
        axis: given_colors(axis, spec.axis(axis).color_by, spec.axis(axis).color_scheme, spec.axis(axis).color_file)
        or annotation_colors(annotations, spec.axis(axis).color_by)
        for axis in ("x", "y")
    }
    return Run(
        spec=spec,
        plugins=plugins,
        engine=engine,
        aggregator=aggregator,
        aggregator_arguments=arguments,
        selection=selection,
        expression=expression,
        transforms=transforms,
        columns=columns,
        highlighted=highlighted,
        palettes=palettes,
        missing_color=missing_color,
        cell_test=cell_test,
        engine_options=engine_options,
        annotations=annotations,
        lab_tables=lab_tables,
    )


def _cell_test(spec: HeatmapSpec) -> CellTest | None:
    """The parsed ``--test`` (None without it); ``--test-against`` needs it, ``--reference`` it or
    ``--contrast`` (checked here too)."""
    from .contrasts import check_contrast
    from .statistics import cell_test

    check_contrast(spec)
    if not spec.test:
        if spec.test_against is not None:
            raise UsageError("--test-against says what --test compares with, but --test is not given. Add --test.")
        if spec.reference is not None and spec.contrast is None:
            raise UsageError(
                "--reference says what --test or --contrast compares with, but neither is given. Add --test "
                "(tests against the reference) or --contrast ratio|difference|log2ratio (shows cells relative "
                "to it)."
            )
        return None
    return cell_test(spec.value, spec.test_against, spec.reference)


def filter_layers(spec: HeatmapSpec) -> dict[str, str]:
    """The layers a filter clause may name besides ``value``, with what each holds: ``n`` always,
    ``p`` and ``q`` with ``--test``, and with several values each of them by its name."""
    layers = {"n": "replicate values per cell"}
    if spec.test:
        layers.update({"p": "p-values of --test", "q": "q-values of --test"})
    layers.update({value: f"the cells of -v {value}" for value in spec.values})
    return layers


def annotation_colors(annotations: tuple[Annotation, ...], column: str | None) -> dict[str, str] | None:
    """The fixed colours the last of ``annotations`` adding ``column`` gives its values, or None."""
    for annotation in reversed(annotations):
        if column in annotation.adds and annotation.colors is not None:
            colors = annotation.colors(column)
            return dict(colors) if colors is not None else None
    return None


def check_axes(value: str, x: str, y: str) -> None:
    """Raise UsageError unless ``value``, ``x`` and ``y`` name three different columns."""
    for option, column in ((option_name("x"), x), (option_name("y"), y)):
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
