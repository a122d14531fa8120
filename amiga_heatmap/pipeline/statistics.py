"""Replicate statistics and tests per cell, computed from the replicate values with scipy.stats.

Cells have different numbers of replicates, so the values are grouped by that number: all cells with
``n`` replicates form one dense ``cells x n`` array, and each scipy function runs once per array along
its rows. Nothing here loops over cells in Python, and every statistic is scipy's or numpy's own.

- :func:`replicate_statistics`: n, mean, median, sd, sem, the 95 % t confidence interval and the
  coefficient of variation of every cell.
- :func:`test_cells`: a one-sample t-test of each cell against a value, or Welch's two-sample t-test
  of each cell against the reference cell of its row (or column), on log2 of the values for ratio
  columns (``norm(...)``), and Benjamini-Hochberg q-values over every tested cell.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DataError, UsageError, closest_names

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from .cell_table import CellTable

CONFIDENCE = 0.95
STATISTICS_COLUMNS = ("n", "mean", "median", "sd", "sem", "ci_low", "ci_high", "cv")
TEST_COLUMNS = ("test", "statistic", "p", "q", "note")
NOTE_FEW = "fewer than 2 replicates"
NOTE_FEW_REFERENCE = "the reference cell has fewer than 2 replicates"
NOTE_NOT_POSITIVE = "a replicate at or below 0 has no log2"
NOTE_REFERENCE = "reference"
NOTE_NO_SPREAD = "replicates are identical: no spread to test"


def is_ratio(value: str) -> bool:
    """Whether ``value`` names a ratio to the control (AMiGA's ``norm(...)`` columns)."""
    return value.startswith("norm(") and value.endswith(")")


@dataclass(frozen=True)
class ReplicateValues:
    """The non-missing replicate values of the cells: ``values[i]`` belongs to the cell in row
    ``positions[i]`` of the cell table, ordered by cell."""

    positions: np.ndarray
    values: np.ndarray
    cells: int

    def by_count(self) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """For each replicate count ``n`` present: the cell rows with ``n`` values and their values as
        a ``cells x n`` array."""
        import numpy as np

        counts = np.bincount(self.positions, minlength=self.cells)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        for n in np.unique(counts[counts > 0]):
            rows = np.flatnonzero(counts == n)
            take = starts[rows][:, None] + np.arange(n)[None, :]
            yield int(n), rows, self.values[take]

    def of(self, rows: np.ndarray) -> ReplicateValues:
        """The replicates of the cell rows ``rows`` only, renumbered 0..len(rows)-1 in that order (a row
        of -1, a cell the table does not have, gets no replicates)."""
        import numpy as np

        order = np.full(self.cells, -1)
        valid = rows >= 0
        order[rows[valid]] = np.flatnonzero(valid)
        keep = order[self.positions] >= 0
        positions = order[self.positions[keep]]
        sort = np.argsort(positions, kind="stable")
        return ReplicateValues(positions[sort], self.values[keep][sort], len(rows))


def replicates_of(cell_table: CellTable) -> ReplicateValues:
    """The non-missing replicate values behind each cell of ``cell_table``, from the engine's
    replicates or its rows. Raises DataError when the engine kept neither."""
    import numpy as np
    import pandas as pd

    cells = cell_table.cells.index
    if cell_table.replicates is not None:
        positions, values = np.asarray(cell_table.replicates.codes), np.asarray(cell_table.replicates.values)
    elif cell_table.rows is not None:
        rows = cell_table.rows
        keys = pd.MultiIndex.from_arrays([rows[cell_table.y], rows[cell_table.x]])
        positions = cells.get_indexer(keys)
        values = rows[cell_table.value].to_numpy(dtype=float)
    else:
        raise DataError(
            f"The {cell_table.engine!r} engine keeps neither the rows nor the replicate values, so replicate "
            "statistics and tests are not available; run with --engine pandas."
        )
    keep = (positions >= 0) & ~np.isnan(values)
    order = np.argsort(positions[keep], kind="stable")
    return ReplicateValues(positions[keep][order], values[keep][order], len(cells))


def replicate_statistics(cell_table: CellTable) -> pd.DataFrame:
    """The replicate statistics of every cell, indexed like ``cell_table.cells``: ``n``, ``mean``,
    ``median``, ``sd`` (ddof 1), ``sem``, ``ci_low``/``ci_high`` (the 95 % t interval of the mean),
    ``cv`` (sd / mean). Undefined values (sd of one replicate) are NaN."""
    import numpy as np
    import pandas as pd

    replicates = replicates_of(cell_table)
    table = pd.DataFrame(np.nan, index=cell_table.cells.index, columns=list(STATISTICS_COLUMNS))
    table["n"] = 0
    with _quiet():
        _fill_statistics(table, replicates)
    table["n"] = table["n"].astype(int)
    return table


def _fill_statistics(table: pd.DataFrame, replicates: ReplicateValues) -> None:
    """Write the statistics of :func:`replicate_statistics` into ``table``, one replicate count at a time."""
    import numpy as np
    from scipy import stats

    for n, rows, values in replicates.by_count():
        table.iloc[rows, 0] = n
        table.iloc[rows, 1] = np.mean(values, axis=1)
        table.iloc[rows, 2] = np.median(values, axis=1)
        if n < 2:
            continue
        mean = np.mean(values, axis=1)
        sem = stats.sem(values, axis=1, ddof=1)
        low, high = stats.t.interval(CONFIDENCE, n - 1, loc=mean, scale=sem)
        table.iloc[rows, 3] = np.std(values, axis=1, ddof=1)
        table.iloc[rows, 4] = sem
        table.iloc[rows, 5] = np.where(sem > 0, low, mean)
        table.iloc[rows, 6] = np.where(sem > 0, high, mean)
        table.iloc[rows, 7] = stats.variation(values, axis=1, ddof=1)


@dataclass(frozen=True)
class CellTest:
    """What ``--test`` asks: a one-sample test against ``against``, or (with ``reference``) Welch's test
    of each cell against the reference cell (``axis`` ``"x"``: the cell of the same row in the column
    ``reference``; ``"y"``: the same column in the row ``reference``); on log2 of the values when
    ``log2``."""

    against: float
    reference: str | None
    axis: str
    log2: bool

    @property
    def name(self) -> str:
        """The test as the cell table and the figure's legend name it."""
        scale = "log2 " if self.log2 else ""
        if self.reference is None:
            return f"one-sample t-test of {scale}replicates against {self.against:g}"
        return f"Welch's t-test of {scale}replicates against {self.reference}"


def cell_test(value: str, against: float | None, reference: str | None) -> CellTest:
    """The :class:`CellTest` for ``--test`` on the ``value`` column: ``against`` defaults to 1 for ratio
    columns (tested on log2, so against 0 there) and 0 otherwise; ``reference`` is ``LABEL`` (a column
    label) or ``y:LABEL`` (a row label)."""
    log2 = is_ratio(value)
    if against is None:
        against = 1.0 if log2 else 0.0
    if log2 and against <= 0:
        raise UsageError(
            f"--test-against {against:g}: {value} is a ratio, tested on log2 of its values, so the value to "
            "test against must be above 0 (1: no change from the control)."
        )
    axis, label = parse_reference(reference) if reference is not None else ("x", None)
    return CellTest(against=float(against), reference=label, axis=axis, log2=log2)


def parse_reference(text: str) -> tuple[str, str]:
    """``--reference`` as ``(axis, label)``: ``ER1`` is the column ``ER1`` (axis ``"x"``), ``y:LABEL`` a
    row, ``x:LABEL`` a column."""
    if text.startswith(("y:", "x:")):
        return text[0], text[2:]
    return "x", text


def reference_label(labels: Sequence[object], text: str, axis: str) -> object:
    """The label of ``labels`` (the columns for ``axis`` ``"x"``, the rows for ``"y"``) written ``text``.
    Raises UsageError naming the closest labels when there is none."""
    texts = {str(label): label for label in labels}
    if text not in texts:
        near = closest_names(text, list(texts))
        hint = f" Closest labels: {', '.join(map(repr, near))}." if near else ""
        where = "columns (-x)" if axis == "x" else "rows (-y)"
        raise UsageError(
            f"--reference {text!r} is not one of the {where} of the heatmap.{hint} Write "
            f"--reference LABEL for a column, --reference y:LABEL for a row."
        )
    return texts[text]


def test_cells(cell_table: CellTable, values: pd.DataFrame, test: CellTest) -> pd.DataFrame:
    """Test every cell of the matrix ``values`` (labels in the cell table) as ``test`` says.

    Returns a DataFrame indexed by the (y, x) pairs of the cells of ``values`` that hold a value, with
    ``test`` (its name), ``statistic``, ``p``, ``q`` (Benjamini-Hochberg over every cell with a
    p-value) and ``note`` (why a cell has no p-value: fewer than 2 replicates on either side, a
    replicate at or below 0 for a log2 test, or the reference itself).
    """
    import numpy as np
    import pandas as pd
    from scipy import stats

    stacked = values.stack(future_stack=True).dropna()
    keys = stacked.index
    rows = cell_table.cells.index.get_indexer(keys)
    replicates = replicates_of(cell_table).of(rows)
    transformed = replicates.values
    not_positive = np.zeros(len(keys), dtype=bool)
    if test.log2:
        np.logical_or.at(not_positive, replicates.positions, replicates.values <= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            transformed = np.log2(np.where(replicates.values > 0, replicates.values, np.nan))
    replicates = ReplicateValues(replicates.positions, transformed, replicates.cells)
    counts = np.bincount(replicates.positions, minlength=len(keys))
    statistic = np.full(len(keys), np.nan)
    p = np.full(len(keys), np.nan)
    notes = np.array([""] * len(keys), dtype=object)
    notes[counts < 2] = NOTE_FEW
    notes[not_positive] = NOTE_NOT_POSITIVE
    testable = (counts >= 2) & ~not_positive
    if test.reference is None:
        popmean = np.log2(test.against) if test.log2 else test.against
        for _, cell_rows, samples in replicates.by_count():
            chosen = testable[cell_rows]
            if chosen.any():
                with _quiet():
                    result = stats.ttest_1samp(samples[chosen], popmean, axis=1)
                statistic[cell_rows[chosen]], p[cell_rows[chosen]] = result.statistic, result.pvalue
    else:
        reference_of = _reference_positions(keys, values, test)
        is_reference = reference_of == np.arange(len(keys))
        notes[is_reference] = NOTE_REFERENCE
        has_reference = reference_of >= 0
        reference_ok = np.zeros(len(keys), dtype=bool)
        reference_ok[has_reference] = testable[reference_of[has_reference]]
        notes[has_reference & ~is_reference & testable & ~reference_ok] = NOTE_FEW_REFERENCE
        chosen = testable & reference_ok & ~is_reference
        _welch(replicates, np.flatnonzero(chosen), reference_of, statistic, p)
    notes[testable & np.isnan(p) & (notes == "")] = NOTE_NO_SPREAD
    tested = ~np.isnan(p)
    q = np.full(len(keys), np.nan)
    if tested.any():
        q[tested] = stats.false_discovery_control(p[tested], method="bh")
    return pd.DataFrame(
        {"test": test.name, "statistic": statistic, "p": p, "q": q, "note": notes}, index=keys
    )


def _reference_positions(keys: pd.MultiIndex, values: pd.DataFrame, test: CellTest) -> np.ndarray:
    """For each cell of ``keys``, the position (in ``keys``) of its reference cell, or -1 when that cell
    has no value. Raises UsageError for a reference label not on the axis."""
    import numpy as np

    label = reference_label(values.columns if test.axis == "x" else values.index, test.reference, test.axis)
    y_labels, x_labels = keys.get_level_values(0), keys.get_level_values(1)
    partner = (
        keys.__class__.from_arrays([y_labels, [label] * len(keys)])
        if test.axis == "x"
        else keys.__class__.from_arrays([[label] * len(keys), x_labels])
    )
    return np.asarray(keys.get_indexer(partner))


def _welch(replicates: ReplicateValues, cells: np.ndarray, reference_of: np.ndarray, statistic: np.ndarray,
           p: np.ndarray) -> None:
    """Welch's t-test of each cell of ``cells`` against its reference cell, grouped by the two
    replicate counts so that scipy runs once per group; results written into ``statistic`` and ``p``."""
    import numpy as np
    from scipy import stats

    counts = np.bincount(replicates.positions, minlength=replicates.cells)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    references = reference_of[cells]
    pairs = np.stack([counts[cells], counts[references]], axis=1)
    for n_cell, n_reference in np.unique(pairs, axis=0) if len(cells) else []:
        group = (pairs[:, 0] == n_cell) & (pairs[:, 1] == n_reference)
        own, other = cells[group], references[group]
        samples = replicates.values[starts[own][:, None] + np.arange(n_cell)[None, :]]
        reference = replicates.values[starts[other][:, None] + np.arange(n_reference)[None, :]]
        with _quiet():
            result = stats.ttest_ind(samples, reference, axis=1, equal_var=False)
        statistic[own], p[own] = result.statistic, result.pvalue


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence scipy's warnings about cells whose replicates are identical (their p-value is NaN and the
    note says why)."""
    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
