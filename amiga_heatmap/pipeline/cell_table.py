"""What an engine receives and what it returns: the input :class:`Sources` and the :class:`CellTable`.

The cell table is small (one row per (y, x) cell of the heatmap, at most a few million) whatever the
size of the input, so every stage after the engine works in memory with pandas, whichever engine
computed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..plugin_system.plugin_set import PluginSet
    from .run import Run

VALUE, COUNT = "value", "n"


@dataclass(frozen=True)
class Sources:
    """The input of a run: summary ``files`` (each read by the reader registered for its suffix), or
    an in-memory DataFrame of summary rows (``frame``, never modified).

    ``sample_column`` is the first column of the first file (AMiGA's sample id), used to name samples in
    error messages; None when unknown.
    """

    files: tuple[Path, ...] = ()
    frame: pd.DataFrame | None = field(default=None, repr=False)
    sample_column: str | None = None

    @classmethod
    def from_files(cls, files: list[Path], plugins: PluginSet) -> Sources:
        """The sources for ``files`` (already found and checked), with the sample-id column read from
        the first file's header."""
        from .reading import reader_of

        header = reader_of(files[0], plugins).header(str(files[0]))
        return cls(files=tuple(files), sample_column=header[0] if header else None)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Sources:
        """The sources for a DataFrame of summary rows; its first column is taken as the sample id."""
        return cls(frame=frame, sample_column=frame.columns[0] if len(frame.columns) else None)

    def read(self, run: Run) -> pd.DataFrame:
        """The summary rows, as the registered readers read them: only the columns ``run`` reads
        (``run.input_columns``, and the sample id) unless ``run.spec.read_all_columns``, the value column
        as numbers and every other column as text, exactly as written, through the parsed-input cache
        unless ``run.spec.no_cache`` (:mod:`.input_cache`); the frame itself (never copied)
        for an in-memory input. Raises DataError naming the closest column names for a column the input
        lacks. Annotations are not applied here. For engines that read through amiga-heatmap's readers."""
        from .reading import check_columns, read_summaries

        columns = run.input_columns
        if self.frame is not None:
            check_columns(self.frame, columns, [], run.plugins)
            return self.frame
        wanted = None if run.spec.read_all_columns else frozenset(columns) | {self.sample_column}
        rows = read_summaries(self.files, run.plugins, wanted, numbers=frozenset({run.spec.value}),
                              allow_duplicate_wells=run.spec.allow_duplicate_wells, cache=not run.spec.no_cache)
        check_columns(rows, columns, list(self.files), run.plugins)
        return rows


@dataclass(frozen=True)
class Replicates:
    """The replicate values behind the cells: ``values[i]`` went into the cell ``codes[i]`` (a row
    number of the cell table). Missing values are NaN."""

    codes: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class CellTable:
    """The engine's result: one row per (y, x) cell holding at least one input row.

    - ``cells``: a DataFrame indexed by the (y, x) label pairs (a MultiIndex whose levels are named
      after the axis columns, e.g. ``Substrate`` and ``Isolate``; pairs unique, in any order) with the
      columns ``value`` (the aggregated value, a float) and ``n`` (how many non-missing values went
      into it).
    - ``x``, ``y``, ``value``: the axis columns and the value column.
    - ``labels``: rows holding the ``x`` and ``y`` columns and every metadata column the spec's sorting
      and colour strips name (:meth:`HeatmapSpec.label_columns
      <amiga_heatmap.pipeline.spec.HeatmapSpec.label_columns>`), one per input row or one per distinct
      combination: later stages only look at distinct combinations.
    - ``rows``: the input rows after the subset, when the engine keeps them in memory (the pandas
      engine does); None otherwise (then ``HeatmapResult.rows`` and ``--save-filtered-table`` are not
      available).
    - ``replicates``: the values behind each cell, where the engine keeps them apart from ``rows``;
      None otherwise. Replicate statistics and tests
      (:mod:`amiga_heatmap.pipeline.statistics`) are computed from these or from ``rows``.
    - ``engine``: the name of the engine that computed the table.
    """

    cells: pd.DataFrame
    x: str
    y: str
    value: str
    labels: pd.DataFrame = field(repr=False)
    rows: pd.DataFrame | None = field(default=None, repr=False)
    replicates: Replicates | None = field(default=None, repr=False)
    engine: str = ""
