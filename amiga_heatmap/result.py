"""The outcome of a heatmap run: the rows used, the matrix, the replicate counts, and ways to draw it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from .pipeline.blocks import AxisBlocks
    from .pipeline.cell_table import CellTable
    from .pipeline.labels.colors import ColourStrip, LabelColors
    from .pipeline.matrix_state import StageRecord
    from .pipeline.spec import HeatmapSpec
    from .plugin_system.plugin_set import PluginSet


NOTEBOOK_DPI = 100
"""Resolution of the picture a notebook shows (:meth:`HeatmapResult._repr_png_`)."""


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
    - ``dropped``: the y labels dropped because they had missing cells; ``dropped_columns``: the x
      labels dropped for the same reason (``missing="drop-columns"``).
    - ``missing``: the missing-cell mode used (``"drop-rows"``, ``"drop-columns"`` or ``"keep"``).
    - ``row_linkage`` / ``column_linkage``: scipy linkage matrices of the clustered rows / columns
      (over the labels in sorted order, before reordering), or None for an axis not clustered; the
      plotted order is ``scipy.cluster.hierarchy.leaves_list`` of them.
    - ``x_colors`` / ``y_colors``: the colour strips (:class:`~amiga_heatmap.pipeline.labels.colors.LabelColors`:
      value and colour per label, legend entries), or None.
    - ``highlighted``: ``{"x": [...], "y": [...]}``, the plotted labels to draw in bold red.
    - ``transforms``: the ``--transform`` calls applied to the matrix values, in order, as written.
    - ``cell_table``: the engine's :class:`~amiga_heatmap.pipeline.cell_table.CellTable` (every cell
      before missing cells, transforms and the filter).
    - ``spec``: the :class:`~amiga_heatmap.pipeline.spec.HeatmapSpec` the result was built from.
    - ``stage_log``: one :class:`~amiga_heatmap.pipeline.matrix_state.StageRecord` per matrix stage, in
      order: the shape after it and the labels it removed.
    - ``layers``: more per-cell matrices aligned with ``matrix`` (``"p"``, ``"q"`` after ``--test``).
    - ``tests``: the test result of every tested cell, before the filter (``--test``), or None.
    - ``cells`` (a property): the long table of the cells: replicate statistics, tests.
    - ``source_files``: the files the rows were read from, in reading order (empty for a DataFrame).
    - ``row_blocks`` / ``column_blocks``: the blocks of an axis split by ``split_y_by`` / ``split_x_by``
      (:class:`~amiga_heatmap.pipeline.blocks.AxisBlocks`: ``of_label``, each plotted label's block value
      in plotted order; ``blocks``, the spans in plotted order; ``linkages``, per block when clustered),
      or None.
    - ``values``: every value shown, in panel order (``(value,)`` for one); ``panels`` (a property) their
      matrices, and ``layers`` holds each of them by its name when there are several.
    """

    source_rows: pd.DataFrame | None = field(repr=False)
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
    dropped_columns: list[Any] = field(default_factory=list)
    missing: str = "drop-rows"
    row_linkage: np.ndarray | None = field(default=None, repr=False)
    column_linkage: np.ndarray | None = field(default=None, repr=False)
    x_colors: LabelColors | None = None
    y_colors: LabelColors | None = None
    highlighted: dict[str, list[Any]] = field(default_factory=lambda: {"x": [], "y": []})
    transforms: tuple[str, ...] = ()
    cell_table: CellTable | None = field(default=None, repr=False)
    spec: HeatmapSpec | None = field(default=None, repr=False)
    stage_log: tuple[StageRecord, ...] = field(default=(), repr=False)
    layers: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    tests: pd.DataFrame | None = field(default=None, repr=False)
    source_files: tuple[str, ...] = ()
    row_blocks: AxisBlocks | None = None
    column_blocks: AxisBlocks | None = None
    values: tuple[str, ...] = ()

    @property
    def panels(self) -> dict[str, pd.DataFrame]:
        """Each value's matrix by value, in panel order, all in the plotted order of ``matrix`` (the
        first value's): one panel for one value, several side by side for ``value=[...]``."""
        if len(self.values) < 2:
            return {self.value: self.matrix}
        return {value: self.matrix if value == self.value else self.layers[value] for value in self.values}

    @property
    def colour_strips(self) -> dict[str, ColourStrip]:
        """The colour strips as plain text by axis (``{"x": ..., "y": ...}``, only those asked for), for
        renderers: each has ``variable``, and per label in plotted order ``values`` and ``colours``."""
        pairs = (("x", self.x_colors), ("y", self.y_colors))
        return {axis: colors.as_strip() for axis, colors in pairs if colors is not None}

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The rows of ``source_rows`` whose y and x are both labels of ``matrix``. Raises DataError when
        the engine kept no rows in memory."""
        from .pipeline.pivot import rows_behind

        if self.source_rows is None:
            from .errors import DataError

            engine = self.cell_table.engine if self.cell_table is not None else "chosen"
            raise DataError(
                f"The {engine!r} engine keeps no input rows in memory, so the rows behind the cells (and "
                "--save-filtered-table) are not available; run with --engine pandas for them."
            )

        return rows_behind(self.source_rows, self.matrix, self.x, self.y)

    @cached_property
    def cells(self) -> pd.DataFrame:
        """One row per cell: the plotted cells in plotted order (row by row), then, after ``--test``,
        the tested cells the filter removed. Columns: the y and x labels, ``row_block`` /
        ``column_block`` when an axis is split (the label's block, empty for a removed cell),
        ``value`` (as plotted, after
        any transform), ``plotted``, then the replicate statistics of
        :func:`~amiga_heatmap.pipeline.statistics.replicate_statistics` (``n``, ``mean``, ``median``,
        ``sd``, ``sem``, ``ci_low``, ``ci_high``, ``cv``, from the replicate values), and after ``--test``
        ``test``, ``statistic``, ``p``, ``q`` and ``note``. Computed on first use."""
        import pandas as pd

        from .pipeline.statistics import replicate_statistics

        plotted = self.matrix.stack(future_stack=True)
        keys = plotted.index
        if self.tests is not None:
            keys = keys.append(self.tests.index.difference(keys, sort=False))
        table = pd.DataFrame(index=keys)
        table["value"] = plotted.reindex(keys)
        table["plotted"] = keys.isin(plotted.index)
        if self.cell_table is not None:
            table = table.join(replicate_statistics(self.cell_table).reindex(keys))
        if self.tests is not None:
            table = table.join(self.tests.reindex(keys))
        table.index = table.index.set_names([self.y, self.x])
        table = table.reset_index()
        for name, blocks, label in (("column_block", self.column_blocks, self.x), ("row_block", self.row_blocks, self.y)):
            if blocks is not None:
                table.insert(2, name, table[label].map(blocks.of_label))
        return table

    def save_cell_table(self, path: str | os.PathLike[str]) -> str:
        """Write :attr:`cells` to ``path``, tab-separated with a header row, numbers with full round-trip
        precision (``repr`` of the float), missing values empty (``--save-cell-table`` writes ``NAME_cells.tsv``). Returns the path."""
        from .output.files import write_atomically

        path = os.fspath(path)

        def write(temporary: str) -> None:
            self.cells.to_csv(temporary, sep="\t", index=False, na_rep="", lineterminator="\n")

        write_atomically(path, write)
        return path

    def _plugin_set(self) -> PluginSet:
        if self.plugins is None:
            from .plugin_system.active import get_plugins

            self.plugins = get_plugins()
        return self.plugins

    def figure(self, renderer: str = "seaborn", **options: Any) -> Any:
        """Draw the heatmap in memory with ``renderer`` (a matplotlib Figure for ``seaborn``).

        ``options`` are the renderer's options, as in ``--kwargs``. The figure is not attached to
        pyplot; display it in a notebook by making it the cell's last expression.
        """
        from .errors import UsageError
        from .options.renderer_options import checked_renderer

        chosen = self._plugin_set().renderers.get(renderer)
        if chosen.figure is None:
            raise UsageError(f"The renderer {renderer!r} writes files only; use save() instead.")
        checked_renderer(self._plugin_set(), options, renderer=renderer)
        return chosen.figure(self, options)

    def summary(self) -> str:
        """One line saying what the heatmap shows and what was kept, e.g. ``24 Substrate x 2 Strain: mean
        norm(auc_lin) of 384 rows; filter 'row any > 1.2'``, then the labels dropped for missing cells; with
        several values, each is named (``mean norm(auc_lin), norm(gr) of ...``)."""
        shown = self.matrix.shape
        values = ", ".join(self.values) if len(self.values) > 1 else self.value
        how = f"{self.operation} {values}" if self.operation else values
        parts = [f"{shown[0]} {self.y} x {shown[1]} {self.x}: {how} of {len(self.rows):,} rows"]
        if self.filter is not None:
            parts.append(f"filter {self.filter!r}")
        for labels, variable in ((self.dropped, self.y), (self.dropped_columns, self.x)):
            if labels:
                parts.append(f"{len(labels)} {variable} dropped for missing cells")
        return "; ".join(parts)

    def _repr_png_(self) -> bytes | None:
        """The figure as PNG, which Jupyter shows when a result is a cell's last expression (None, so
        that the notebook shows the text form instead, when the seaborn renderer is not loaded)."""
        import io

        from .errors import AmigaHeatmapError

        try:
            figure = self.figure()
        except AmigaHeatmapError:
            return None
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=NOTEBOOK_DPI)
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        """The figure and :meth:`summary` below it, for notebooks that show HTML."""
        import base64
        import html

        caption = f"<figcaption>{html.escape(self.summary())}</figcaption>"
        picture = self._repr_png_()
        if picture is None:
            return f"<figure>{caption}</figure>"
        encoded = base64.b64encode(picture).decode("ascii")
        alt = html.escape(self.title, quote=True)
        return f'<figure><img src="data:image/png;base64,{encoded}" alt="{alt}"/>{caption}</figure>'

    def save(
        self, path: str | os.PathLike[str], file_format: str | None = None, renderer: str | None = None, **options: Any
    ) -> list[str]:
        """Write the heatmap to ``path``; return the paths written: ``[path, *companion files]``.

        ``file_format`` defaults to the path's extension; the renderer is the one writing that format
        unless ``renderer`` names one. Each file is written atomically: a failed run leaves no partial
        file behind. The renderer's companion files (the seaborn renderer's legends) are written next to
        ``path``, after it.
        """
        from .output.files import check_output_folder, write_atomically
        from .plugin_system.guard import call_guarded

        path = os.fspath(path)
        file_format, chosen, plugin = self._checked_renderer(path, file_format, renderer, options)
        companions = {} if chosen.companions is None else dict(chosen.companions(self, options, file_format))
        for target in [path, *(_companion_path(path, companion) for companion in companions)]:
            check_output_folder(target)  # before drawing anything: a folder in the way fails at once
        stage = f"rendering with {chosen.name!r}"
        write_atomically(
            path,
            lambda temporary: call_guarded(plugin, stage, chosen.render, self, temporary, file_format, options),
        )
        written = [path]
        for companion, write in companions.items():
            target = _companion_path(path, companion)
            write_atomically(
                target,
                lambda temporary, write=write, stage=f"writing {target}": call_guarded(
                    plugin, stage, write, temporary
                ),
            )
            written.append(target)
        return written

    def save_filtered_table(self, path: str | os.PathLike[str]) -> str:
        """Write the input rows behind the plotted cells (``rows``) to ``path``, tab-separated with a
        header row, in input order (``--save-filtered-table``). Returns the path.

        The rows hold the columns that were read: every column when the result was built with
        ``read_all_columns=True``. Every cell is written as the input file holds it (:meth:`rows_as_written`):
        ``000123``, ``007``, ``1e3``, ``NA`` and ``0.50`` stay as they are, and blank cells stay blank.
        Rows given as a DataFrame are written as they are, missing values empty.
        """
        from .output.files import write_atomically

        path = os.fspath(path)
        rows = self.rows_as_written()

        def write(temporary: str) -> None:
            rows.to_csv(temporary, sep="\t", index=False, na_rep="", lineterminator="\n")

        write_atomically(path, write)
        return path

    def rows_as_written(self) -> pd.DataFrame:
        """``rows`` with every cell as the text of the input file.

        The metadata columns were read as text already; the columns read as numbers (the value column)
        are read again from ``source_files`` as text, one column each, so that ``0.50``, ``1,25`` or
        ``NA`` come back as written. Rows given as a DataFrame (or by a reader that returns its own
        row index) are returned as they are.
        """
        import pandas as pd

        from .pipeline.reading import read_summaries

        rows = self.rows
        parsed = [
            column for column in rows.columns
            if column == self.value or pd.api.types.is_numeric_dtype(rows[column].dtype)
        ]
        if not self.source_files or not parsed:
            return rows
        files = [Path(file) for file in self.source_files]
        text = read_summaries(files, self._plugin_set(), frozenset(parsed))
        if not text.index.is_unique or not rows.index.isin(text.index).all():
            return rows
        return rows.assign(**{column: text.loc[rows.index, column] for column in parsed if column in text})

    def _checked_renderer(
        self, path: str, file_format: str | None, renderer: str | None, options: dict[str, Any]
    ) -> tuple[str, Any, str]:
        from .options.renderer_options import checked_renderer

        file_format = (file_format or os.path.splitext(path)[1].lstrip(".") or "pdf").lower()
        plugins = self._plugin_set()
        chosen = checked_renderer(plugins, options, file_format=file_format, renderer=renderer)
        return file_format, chosen, plugins.renderers.plugin_of(chosen.name)


def _companion_path(path: str, suffix: str) -> str:
    """``figures/ER.pdf`` with suffix ``_x_legend.pdf`` -> ``figures/ER_x_legend.pdf``."""
    stem, _ = os.path.splitext(path)
    return stem + suffix
