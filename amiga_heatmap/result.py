"""The outcome of a heatmap run: the rows used, the matrix, the replicate counts, and ways to draw it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .plugins import PluginSet


@dataclass
class HeatmapResult:
    """Everything a renderer needs, and everything a user needs to trace a cell back to its rows.

    - ``rows``: the input rows behind the plotted cells (after subset, filter and missing-cell drops),
      picked from ``source_rows`` when first asked for: most runs never need them, and copying a
      million rows costs more than the rest of the pipeline after reading.
    - ``source_rows``: the rows the matrix was aggregated from (after subset).
    - ``matrix``: y values as the index (named ``y``), x values as the columns (named ``x``), in plotted
      order.
    - ``counts``: same shape as ``matrix``; how many non-missing input values were aggregated into
      each cell.
    - ``value``, ``x``, ``y``, ``title``, ``operation`` (aggregator name or None), ``filter`` (text or
      None): what was asked for.
    - ``dropped``: the y labels dropped because they had missing cells.
    """

    source_rows: pd.DataFrame = field(repr=False)
    matrix: pd.DataFrame
    counts: pd.DataFrame
    value: str
    x: str
    y: str
    title: str
    operation: str | None = None
    filter: str | None = None
    dropped: list[Any] = field(default_factory=list)
    plugins: PluginSet | None = field(default=None, repr=False)

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The rows of ``source_rows`` whose y and x are both labels of ``matrix``."""
        source = self.source_rows
        behind = source[self.y].isin(self.matrix.index) & source[self.x].isin(self.matrix.columns)
        # a shallow copy under copy-on-write: changing it never changes the caller's DataFrame
        return source.copy(deep=False) if behind.all() else source.loc[behind]

    def _plugin_set(self) -> PluginSet:
        if self.plugins is None:
            from .plugins import get_plugins

            self.plugins = get_plugins()
        return self.plugins

    def figure(self, renderer: str = "seaborn", **options: Any) -> Any:
        """Draw the heatmap in memory with ``renderer`` (a matplotlib Figure for ``seaborn``).

        ``options`` are the renderer's options, as in ``--kwargs``. The figure is not attached to
        pyplot; display it in a notebook by making it the cell's last expression.
        """
        from .errors import UsageError
        from .renderer_options import check_accepted

        chosen = self._plugin_set().renderers.get(renderer)
        if chosen.figure is None:
            raise UsageError(f"The renderer {renderer!r} writes files only; use save() instead.")
        check_accepted(options, chosen.options_accepted, renderer)
        return chosen.figure(self, options)

    def save(
        self, path: str | os.PathLike[str], file_format: str | None = None, renderer: str | None = None, **options: Any
    ) -> str:
        """Write the heatmap to ``path`` and return the path written.

        ``file_format`` defaults to the path's extension; the renderer is the one writing that format
        unless ``renderer`` names one. The file is written atomically: a failed run leaves no partial
        file behind.
        """
        from .output import write_atomically
        from .renderer_options import check_accepted

        path = os.fspath(path)
        file_format = (file_format or os.path.splitext(path)[1].lstrip(".") or "pdf").lower()
        plugins = self._plugin_set()
        chosen = plugins.renderer_for_format(file_format, renderer)
        check_accepted(options, chosen.options_accepted, chosen.name)
        plugin = plugins.renderers.plugin_of(chosen.name)
        write_atomically(path, lambda temporary: _guarded_render(plugin, chosen, self, temporary, file_format, options))
        return path


def _guarded_render(plugin: str, renderer: Any, result: HeatmapResult, path: str, file_format: str, options: Any) -> None:
    from .plugins import call_guarded

    call_guarded(plugin, f"rendering with {renderer.name!r}", renderer.render, result, path, file_format, options)
