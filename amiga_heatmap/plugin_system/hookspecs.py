"""The hook contract between amiga-heatmap and its plugins.

Every stage of the pipeline that a plugin can extend has one hook here. All hooks follow the same
registration-callback pattern: the core calls the hook once per plugin with a ``register`` function, and
the plugin calls ``register`` once for each object it provides::

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

The hooks are called once per plugin while plugins load. A plugin whose hook raises is skipped with a
warning naming the plugin and the hook (an error with ``--strict-plugins``); a function a plugin
registered that raises during a run stops that run with a PluginError naming the plugin and the stage.
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
