"""The matrix as it passes from stage to stage (:class:`MatrixState`), and what is drawn around it
(:class:`Decorations`). Both are frozen: a stage returns a new state, built with
:func:`dataclasses.replace`, and never changes the one it was given."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from .blocks import AxisBlocks
    from .labels.colors import LabelColors


@dataclass(frozen=True)
class MatrixState:
    """The heatmap matrix after some stages.

    - ``values``: y labels as the index (named after the y column), x labels as the columns (named
      after the x column), floats, missing cells NaN.
    - ``counts``: the same shape and labels; how many input values went into each cell (0: none).
    - ``dropped_rows`` / ``dropped_columns``: the labels the missing-cell stage dropped.
    - ``transforms``: the transforms applied, as written (``"zscore(row)"``), in order.
    - ``row_linkage`` / ``column_linkage``: the scipy linkage of a clustered axis (over the labels in
      the order before clustering), else None.
    - ``layers``: more per-cell matrices aligned with ``values`` (``"p"`` and ``"q"`` after ``--test``),
      kept in step by :meth:`select`; a filter clause can name them (``row any q < 0.05``).
    - ``tests``: the per-cell test results of the test stage (indexed by (y, x), see
      :func:`amiga_heatmap.pipeline.statistics.test_cells`), or None without ``--test``.
    - ``row_blocks`` / ``column_blocks``: the blocks of a split axis
      (:class:`~amiga_heatmap.pipeline.blocks.AxisBlocks`), set by the order stage, else None.
    """

    values: pd.DataFrame
    counts: pd.DataFrame
    dropped_rows: tuple[Any, ...] = ()
    dropped_columns: tuple[Any, ...] = ()
    transforms: tuple[str, ...] = ()
    row_linkage: np.ndarray | None = field(default=None, repr=False)
    column_linkage: np.ndarray | None = field(default=None, repr=False)
    layers: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    tests: pd.DataFrame | None = field(default=None, repr=False)
    row_blocks: AxisBlocks | None = None
    column_blocks: AxisBlocks | None = None

    def select(self, rows: Any, columns: Any) -> MatrixState:
        """The state with ``values``, ``counts`` and every layer reduced or reordered to ``rows`` x
        ``columns`` (labels or boolean masks, as ``DataFrame.loc`` takes them)."""
        return replace(
            self,
            values=self.values.loc[rows, columns],
            counts=self.counts.loc[rows, columns],
            layers={name: layer.loc[rows, columns] for name, layer in self.layers.items()},
        )


@dataclass(frozen=True)
class Decorations:
    """What the decorate stage adds: the colour strips (None for an axis without one) and the labels
    to highlight (``{"x": [...], "y": [...]}``, plotted labels in plotted order)."""

    x_colors: LabelColors | None = None
    y_colors: LabelColors | None = None
    highlighted: dict[str, list[Any]] = field(default_factory=lambda: {"x": [], "y": []})


@dataclass(frozen=True)
class StageRecord:
    """What one matrix stage did: the matrix's shape after it and the labels it removed (as text, in
    their order before the stage). Kept on the result for ``--verbose`` and the provenance record."""

    stage: str
    rows: int
    columns: int
    removed_rows: tuple[str, ...] = ()
    removed_columns: tuple[str, ...] = ()

    @classmethod
    def between(cls, stage: str, before: MatrixState | None, after: MatrixState) -> StageRecord:
        """The record of ``stage``, which turned ``before`` (None for the first matrix) into ``after``."""
        rows, columns = after.values.shape
        if before is None:
            return cls(stage, rows, columns)
        return cls(
            stage, rows, columns,
            removed_rows=_removed(before.values.index, after.values.index),
            removed_columns=_removed(before.values.columns, after.values.columns),
        )


def _removed(before: pd.Index, after: pd.Index) -> tuple[str, ...]:
    """The labels of ``before`` that ``after`` does not hold, as text, in their order (found with
    ``isin``: a screen's 13,000 columns pass through every stage)."""
    if before.equals(after):
        return ()
    return tuple(str(label) for label in before[~before.isin(after)])
