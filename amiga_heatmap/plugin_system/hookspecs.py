"""The hook contract between amiga-heatmap and its plugins.

Two kinds of hooks are specified here.

**Registration hooks** (``register_*``) provide named objects users choose between: readers,
aggregators, quantifiers, operators, renderers, engines, transforms and annotations. The core calls each once per
plugin while plugins load, with a ``register`` function, and the plugin calls ``register`` once for each
object it provides::

    from amiga_heatmap import hookimpl
    from amiga_heatmap.plugin_system.components import Aggregator

    @hookimpl
    def register_aggregators(register):
        register(Aggregator("max", description="largest replicate", form="max"))

From these calls the core builds one name table per stage (readers by name and suffix, aggregators,
quantifiers and renderers by name, operators by symbol), which ``amiga-heatmap plugins`` lists and error
messages quote ("known: mean, median").

Precedence and clashes, the same for every hook (docs/plugins.md tells the whole story):

- ``register(obj)`` claims ``obj``'s name. Two third-party plugins claiming one name is a
  :class:`~amiga_heatmap.errors.PluginError` naming both, raised for every run until one is disabled.
- ``register(obj, override=True)`` replaces a built-in of the same name on purpose; the replacement is
  shown by ``amiga-heatmap plugins`` and under ``--verbose``. Taking a built-in's name without
  ``override=True`` skips the plugin with a warning; overriding another third-party plugin's name is
  still a clash.
- Implementations never give their arguments default values (pluggy ignores them), and new arguments
  are only ever added to these specs, never renamed, so plugins written today keep working.

Registration hooks are called once per plugin while plugins load. A plugin whose hook raises is
skipped with a warning naming the plugin and the hook (an error with ``--strict-plugins``); a function a
plugin registered that raises during a run stops that run with a PluginError naming the plugin and the
stage.

**Stage hooks** are called during every run, through pluggy, in the order of the stages of
:class:`~amiga_heatmap.pipeline.pipeline.Pipeline`::

    compute_cells -> pivot_cells -> handle_missing_cells -> test_cells -> transform_matrix
        -> filter_matrix -> order_matrix -> decorate_matrix

Each is ``firstresult``: the first implementation that returns something other than None does the stage.
The built-in implementations (the ``builtin.stages`` plugin) are marked ``trylast``, so a plugin's
implementation runs first and may return None to leave the stage to the next one. To add work before or
after a stage rather than replace it, implement the stage hook as a wrapper
(``@hookimpl(wrapper=True)``: ``result = yield``, then return the result, changed or not). Every stage
hook receives ``run``, the :class:`~amiga_heatmap.pipeline.run.Run` of this run: the spec, the plugin set
and the spec's parsed parts; stage hooks never read global state. A stage hook that raises something
other than amiga-heatmap's own errors stops the run with a PluginError naming the plugin and the stage.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "amiga_heatmap"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_readers(register):
    """Provide readers that turn summary files into DataFrames.

    :param register: call ``register(reader)`` (or ``register(reader, override=True)``) for each
        :class:`~amiga_heatmap.plugin_system.components.Reader`. A reader declares the file suffixes it
        handles; a folder input is searched recursively for files with any registered suffix. A file is
        read by the first reader of its suffix that accepts it (``Reader.accepts``; the longest suffix
        first, a plugin's reader before a built-in's), so a reader can decline a file that is not its
        kind and leave it to another; a file every such reader declines is skipped in a folder search
        with one warning, and is a DataError when given directly. Two plugins' readers claiming one
        suffix are a clash.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_aggregators(register):
    """Provide named reductions of replicate values (``-p NAME`` or ``-p 'NAME(ARGUMENTS)'``).

    :param register: call ``register(aggregator)`` for each
        :class:`~amiga_heatmap.plugin_system.components.Aggregator`: a standard ``form`` that every
        engine computes itself (``mean``, ``median``, ``quantile``, ``min``, ``max``, ``sd``, ``count``),
        and/or ``reduce(values, groups, n_groups, *arguments)``, a vectorised reduction over a float
        ndarray of the values that reach a cell (NaN for missing) and an int ndarray of their cell codes
        ``0 .. n_groups - 1``, returning ``n_groups`` floats; ``parameters`` names the numbers written
        in parentheses. The old ``reduce(groups)`` over a pandas ``SeriesGroupBy`` still works for this
        release, with a LegacyAggregatorWarning. Built-ins: ``mean``, ``median`` (forms).
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_quantifiers(register):
    """Provide filter quantifiers: the word after ``row``/``col`` in a filter clause.

    :param register: call ``register(quantifier)`` for each
        :class:`~amiga_heatmap.plugin_system.components.Quantifier`. Built-ins: ``any``, ``all``.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_operators(register):
    """Provide filter comparison operators: the symbol before the threshold in a filter clause.

    :param register: call ``register(operator)`` for each
        :class:`~amiga_heatmap.plugin_system.components.Operator`. Built-ins: ``>=``, ``<=``, ``>``, ``<``, ``=``.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_renderers(register):
    """Provide renderers: named outputs that write a heatmap result to a file.

    :param register: call ``register(renderer)`` for each
        :class:`~amiga_heatmap.plugin_system.components.Renderer`. Built-ins: ``seaborn`` (pdf, png, svg) and
        ``table`` (tsv). ``--format`` chooses among the formats every renderer declares.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_engines(register):
    """Provide engines: what turns the input sources into the cell table (``--engine``).

    :param register: call ``register(engine)`` for each :class:`~amiga_heatmap.components.Engine`.
        Built-in: ``pandas`` (reads every file with its reader into one DataFrame, subsets and aggregates
        it there).
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_transforms(register):
    """Provide matrix transforms, applied between the missing-cell stage and the filter
    (``--transform NAME`` or ``NAME(ARGUMENTS)``, repeatable, applied in the order given).

    :param register: call ``register(transform)`` for each :class:`~amiga_heatmap.components.Transform`.
        Built-ins: ``log2``, ``zscore(row|col)``, ``center(row|col)``.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_annotations(register):
    """Provide annotations: lookup tables that add columns to the input rows after reading and before
    the subset, joined on key columns (the built-in ``biolog`` plate map adds ``biolog_class`` and more,
    joined on ``PM`` and ``Well``).

    :param register: call ``register(annotation)`` for each
        :class:`~amiga_heatmap.plugin_system.components.Annotation`. A run applies an annotation only
        when it needs one of the columns the annotation adds (as ``-x``, ``-y``, in ``-s``, to sort or
        colour by); it then reads the annotation's key columns too. Registered annotations are applied in
        name order, then the ``--annotate`` tables in the order given; where two add the same column, the
        later one's values win and the earlier one's fill the rows it leaves missing.
    :return: nothing; the return value is ignored.

    This is a registration hook, not a stage hook, on purpose: the rows exist only inside the engine
    (a database engine never holds them in pandas), and a lookup table joined on key columns is
    something every engine can apply, in SQL too, and only when a run needs it.
    """


# -- stage hooks, in the order a run calls them


@hookspec(firstresult=True)
def compute_cells(sources, run):
    """Turn the input ``sources`` into the cell table: one aggregated value per (y, x) cell.

    :param sources: the :class:`~amiga_heatmap.pipeline.cell_table.Sources` (files with their readers,
        or an in-memory DataFrame).
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: a :class:`~amiga_heatmap.pipeline.cell_table.CellTable`, or None to leave the stage to the
        next implementation. The built-in implementation runs the engine the spec names
        (``run.engine``), which reads, subsets and aggregates.
    """


@hookspec(firstresult=True)
def pivot_cells(cells, run):
    """Turn the cell table into the y x x matrix (labels in natural order, missing cells NaN).

    :param cells: the :class:`~amiga_heatmap.pipeline.cell_table.CellTable`.
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: a :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState`, or None.
    """


@hookspec(firstresult=True)
def handle_missing_cells(matrix, run):
    """Drop the rows (or columns) holding missing cells, or keep them, as ``run.spec.missing`` says.

    :param matrix: the :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState` after the pivot.
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: the new MatrixState (with ``dropped_rows``/``dropped_columns`` filled in), or None.
    """


@hookspec(firstresult=True)
def test_cells(matrix, cells, run):
    """Test every cell of the matrix as ``run.cell_test`` (``--test``) says, from its replicate values.

    :param matrix: the :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState` after missing cells.
    :param cells: the :class:`~amiga_heatmap.pipeline.cell_table.CellTable`.
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: the new MatrixState (with the ``p`` and ``q`` layers and ``tests``; unchanged without
        ``--test``), or None.
    """


@hookspec(firstresult=True)
def transform_matrix(matrix, run):
    """Apply the transforms of ``run.transforms`` (``--transform``) to the matrix values, in order.

    :param matrix: the :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState` after missing cells.
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: the new MatrixState (its ``transforms`` naming what was applied), or None.
    """


@hookspec(firstresult=True)
def filter_matrix(matrix, run):
    """Keep the rows and columns the filter expression (``run.expression``, ``-f``) keeps.

    :param matrix: the :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState` after the transforms.
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: the new MatrixState, or None.
    """


@hookspec(firstresult=True)
def order_matrix(matrix, cells, run):
    """Order the rows and columns: natural label order, sorted by a metadata column, or clustered.

    :param matrix: the :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState` after the filter.
    :param cells: the :class:`~amiga_heatmap.pipeline.cell_table.CellTable` (its ``labels`` hold the
        metadata values to sort by).
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: the new MatrixState (with the linkage of each clustered axis), or None.
    """


@hookspec(firstresult=True)
def decorate_matrix(matrix, cells, run):
    """Work out what is drawn around the cells: the colour strips and the highlighted labels.

    :param matrix: the ordered :class:`~amiga_heatmap.pipeline.matrix_state.MatrixState`.
    :param cells: the :class:`~amiga_heatmap.pipeline.cell_table.CellTable`.
    :param run: the :class:`~amiga_heatmap.pipeline.run.Run`.
    :return: a :class:`~amiga_heatmap.pipeline.matrix_state.Decorations`, or None.
    """
