"""Several parameters side by side (``-v`` repeated): one panel per value, one row and column order.

How a run with several values goes:

- **Cells.** Each value is computed on its own: the engine is called once per value with a
  :class:`~.run.Run` whose spec holds that value alone (:func:`value_run`), so an engine only ever
  computes one value (the single-value contract of :class:`~amiga_heatmap.components.Engine`). Each
  value's matrix then goes through the pivot, missing-cell, test (the first value only: ``--test`` tests
  the first value) and transform stages.
- **Labels.** The first value's matrix decides the rows and columns; the other values' matrices are
  aligned to it and kept as layers of the :class:`~.matrix_state.MatrixState` named after their value,
  the first value too (:func:`combine`). A label the other values lack is a missing cell there, and
  goes the way of the missing-cell mode: dropped rows (the default) or columns, or kept.
- **Filter.** A clause compares the first value unless it names another (``row any "norm(gr)" >= 1.3``).
- **Order.** One order for every panel. Clustering uses every panel together, each scaled first to mean 0
  and standard deviation 1 over all its finite cells, so that parameters of different units (an area,
  a rate, a time) weigh alike (:func:`clustering_features`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..options.pipeline_options import option_name

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .matrix_state import MatrixState
    from .run import Run
    from .spec import HeatmapSpec


def check_values(values: Sequence[str]) -> None:
    """Raise UsageError when a value is named twice (each value is one panel)."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise UsageError(
                f"{option_name('value')} names {value!r} twice; each value is drawn once, as one panel. Give each "
                "parameter once, e.g. -v 'norm(auc_lin)' -v 'norm(gr)'."
            )
        seen.add(value)


def shown_values(spec: HeatmapSpec) -> tuple[str, ...]:
    """Every value ``spec`` shows, in panel order (one for a single ``-v``)."""
    return spec.values or (spec.value,)


def value_run(run: Run, value: str) -> Run:
    """The run computing ``value`` alone: its spec names only ``value``, its columns leave the other values
    out, and only the first value is tested."""
    others = set(shown_values(run.spec)) - {value}
    return replace(
        run,
        spec=replace(run.spec, value=value, values=()),
        columns={column: option for column, option in run.columns.items() if column not in others},
        cell_test=run.cell_test if value == run.spec.value else None,
    )


def combine(states: Sequence[MatrixState], values: Sequence[str], missing: str) -> MatrixState:
    """The first state with every value's matrix as a layer named after it, aligned to the first
    state's labels; labels with missing cells in another value dropped as ``missing`` says."""
    first = states[0]
    index, columns = first.values.index, first.values.columns
    panels = {value: state.values.reindex(index=index, columns=columns) for value, state in zip(values, states)}
    combined = replace(first, layers={**first.layers, **panels})
    if missing == "keep":
        return combined
    absent = None
    for panel in panels.values():
        absent = panel.isna() if absent is None else absent | panel.isna()
    if missing == "drop-rows":
        keep = ~absent.any(axis=1)
        dropped = tuple(index[~keep.to_numpy()])
        return replace(combined.select(keep.to_numpy(), columns), dropped_rows=first.dropped_rows + dropped)
    keep = ~absent.any(axis=0)
    dropped = tuple(columns[~keep.to_numpy()])
    return replace(combined.select(index, keep.to_numpy()), dropped_columns=first.dropped_columns + dropped)


def clustering_features(matrix: MatrixState, values: Sequence[str]) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """``(row features, column features)`` for clustering several panels together: the panels, each
    scaled to mean 0 and standard deviation 1 over its finite cells, side by side (one row per row
    label) and stacked (one row per column label). ``(None, None)`` for one value: the matrix itself."""
    import pandas as pd

    if len(values) < 2:
        return None, None
    panels = [standardised(matrix.layers[value]) for value in values]
    rows = pd.concat(panels, axis=1, keys=list(values))
    columns = pd.concat([panel.T for panel in panels], axis=1, keys=list(values))
    return rows, columns


def standardised(panel: pd.DataFrame) -> pd.DataFrame:
    """``panel`` minus the mean of its finite cells, divided by their standard deviation (when not 0)."""
    import numpy as np

    cells = panel.to_numpy(dtype=float)
    finite = cells[np.isfinite(cells)]
    if not finite.size:
        return panel
    spread = float(finite.std())
    centred = panel - float(finite.mean())
    return centred / spread if spread > 0 else centred
