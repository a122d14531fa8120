"""The ``dask`` engine: the cell table of a run computed on a Dask cluster.

One pass over the input computes, together, everything the checks and the matrix need: the distinct
values of the subset columns (for the pandas engine's warnings and its empty-selection error), the kinds
of the value cells (for its non-numeric-value error), the per-cell counts and the aggregated values
(``sd`` takes a second pass), and the distinct label combinations. The checks then run in the pandas
engine's order, with its messages, and only the small cell table comes back; the rows are never
gathered in one process, so the cell table keeps none (``--save-filtered-table``, ``--test`` and
``--save-cell-table`` need the pandas engine).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from amiga_heatmap.pipeline.cell_table import COUNT, VALUE, CellTable
from amiga_heatmap.timing import stage

from .aggregation import dask_form, first_pass, sample_sd
from .cluster import connected
from .inputs import FILE, KIND, MISSING_WORD, OTHER_TEXT, TEXT, SummaryRows, summary_rows
from .settings import DaskSettings
from .wells import checks_wells, lazy_well_counts, refuse_duplicate_wells

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from dask.dataframe import DataFrame

    from amiga_heatmap.pipeline.cell_table import Sources
    from amiga_heatmap.pipeline.run import Run

log = logging.getLogger("amiga_heatmap")


def compute(sources: Sources, run: Run) -> CellTable:
    """The cell table of ``sources`` for ``run`` (see :class:`amiga_heatmap.components.Engine`)."""
    settings = DaskSettings.of(run.engine_options)
    form = dask_form(run.aggregator, run.aggregator_plugin)
    with connected(settings) as client:
        workers = len(client.scheduler_info().get("workers", {})) or settings.workers
        checks = checks_wells(sources, run)
        with stage("read"):
            summary = summary_rows(sources, run, settings.blocksize, partitions=2 * workers, well_ids=checks)
            log.info("dask: %d partitions on %d workers", summary.rows.npartitions, workers)
        rows = summary.rows
        if run.annotations:
            with stage("annotate"):
                rows = annotated(rows, run)
        with stage("aggregate"):
            return _cell_table(rows, summary, sources, run, form, checks)


def _cell_table(rows: DataFrame, summary: SummaryRows, sources: Sources, run: Run, form: str | None,
                check_wells: bool) -> CellTable:
    import dask
    import pandas as pd

    from amiga_heatmap.pipeline.cells import refuse_replicates
    from amiga_heatmap.pipeline.subset import apply_subset

    spec = run.spec
    x, y, value = spec.x.column, spec.y.column, spec.value
    selection = run.selection
    kept = rows[rows.map_partitions(selected, selection, meta=(None, bool))] if selection else rows
    lazy = first_pass(kept, value, x, y, form)
    label_columns = list(dict.fromkeys([y, x, *spec.label_columns()]))
    if len(label_columns) > 2:  # sorting or colour strips by other columns: their distinct combinations
        lazy["labels"] = kept[label_columns].drop_duplicates(split_out=1)
    if selection:
        lazy["choices"] = rows[list(selection)].drop_duplicates(split_out=1)
    lazy["text_files"] = rows[FILE][rows[KIND] == OTHER_TEXT].unique(split_out=1)
    marked = kept[kept[KIND] > 0]
    lazy["kinds"] = marked[[FILE, KIND]].groupby([FILE, KIND], observed=True).size(split_out=1)
    if summary.cut_files:
        lazy["file_rows"] = summary.rows[FILE].value_counts(split_out=1)
    if check_wells:
        lazy.update(lazy_well_counts(summary.rows, summary.file_columns))
    names = list(lazy)
    computed = dict(zip(names, dask.compute(*lazy.values())))
    _refuse_header_only(summary, computed.get("file_rows"), sources)
    if check_wells:
        refuse_duplicate_wells(summary.rows, computed, sources.files)
    if selection:
        apply_subset(computed["choices"], selection)  # the pandas engine's warnings and empty-selection error
    _refuse_text(kept, computed, value, sources.sample_column)
    counts = computed["counts"]
    if form is None:
        refuse_replicates(computed["sizes"], x, y)
        reduced = computed["first"]
    elif form == "count":
        reduced = counts.astype(float)
    elif form == "sd":
        reduced = sample_sd(kept, value, x, y, computed)
    else:
        reduced = computed["reduced"]
    cells = pd.DataFrame({VALUE: reduced.reindex(counts.index).astype(float), COUNT: counts})
    # dask hands text back as pandas' NA-flavoured strings: labels are plain "str", as the pandas engine's
    cells.index = pd.MultiIndex.from_arrays([cells.index.get_level_values(level).astype("str") for level in (0, 1)],
                                            names=[y, x])
    log.info("dask: %d cells", len(cells))
    labels = computed["labels"].reset_index(drop=True) if "labels" in computed else cells.index.to_frame(index=False)
    labels = labels.astype("str")
    return CellTable(cells=cells, x=x, y=y, value=value, labels=labels, rows=None, engine="dask")


def _refuse_header_only(summary: SummaryRows, file_rows: pd.Series | None, sources: Sources) -> None:
    """The built-in reader's DataError for the first file cut into blocks that holds no rows (a
    header, perhaps blank lines); the files read whole were refused by their readers."""
    from amiga_heatmap.builtin.readers import header_without_rows

    for file in summary.cut_files:
        if file_rows is None or not file_rows.get(file, 0):
            raise header_without_rows(str(sources.files[file]))


def selected(partition: pd.DataFrame, selection) -> pd.Series:
    """Which rows of ``partition`` the subset keeps (:func:`amiga_heatmap.pipeline.subset.column_matches`,
    ``!`` lists leaving out)."""
    import numpy as np
    import pandas as pd

    from amiga_heatmap.pipeline.subset import Excluded, column_matches

    keep = np.ones(len(partition), dtype=bool)
    for column, values in selection.items():
        matches = column_matches(partition[column], values)
        keep &= ~matches if isinstance(values, Excluded) else matches
    return pd.Series(keep, index=partition.index)


def _refuse_text(kept: DataFrame, computed: dict, value: str, sample_column: str | None) -> None:
    """Raise the pandas engine's DataError when value cells of the kept rows hold text: other text, or a
    missing-number word in a file whose value column holds other text too (as the built-in readers judge
    it); the examples are the first offending rows in input order."""
    from amiga_heatmap.pipeline.cells import EXAMPLES_SHOWN, not_numeric

    kinds, text_files = computed["kinds"], set(computed["text_files"].tolist())
    count = sum(int(n) for (file, kind), n in kinds.items()
                if kind == OTHER_TEXT or (kind == MISSING_WORD and file in text_files))
    if not count:
        return
    bad = (kept[KIND] == OTHER_TEXT) | ((kept[KIND] == MISSING_WORD) & kept[FILE].isin(sorted(text_files)))
    label = sample_column if sample_column in kept.columns else TEXT
    offenders = kept[bad][[label, TEXT]].head(EXAMPLES_SHOWN, npartitions=-1)
    raise not_numeric(value, count, list(zip(offenders[label].astype(str), offenders[TEXT].astype(str))))


def annotated(rows: DataFrame, run: Run) -> DataFrame:
    """``rows`` with the run's annotations joined on: the distinct combinations of their key columns
    (and of added columns the input already has) are annotated in this process by
    :func:`amiga_heatmap.pipeline.annotation.annotate`, weighted by how many rows hold each (so its
    warnings count rows), then joined to the rows."""
    import dask

    from amiga_heatmap.pipeline.annotation import annotate

    keys = list(dict.fromkeys(key for annotation in run.annotations for key in annotation.keys))
    adds = list(dict.fromkeys(column for annotation in run.annotations for column in annotation.adds
                              if column in run.columns))
    present = [column for column in adds if column in rows.columns and column not in keys]
    combined = [*keys, *present]
    (counts,) = dask.compute(rows[combined].groupby(combined, dropna=False, observed=True).size(split_out=1))
    combinations = counts.index.to_frame(index=False)
    combinations = combinations.astype({name: "str" for name in combined})
    table = annotate(combinations, run.annotations, run.columns, weights=counts.to_numpy())
    renamed = {column: f"__annotated {column}" for column in adds}
    table = table[[*combined, *adds]].rename(columns=renamed)
    table = table.astype({name: "str" for name in renamed.values()})
    joined = rows.merge(table, on=combined, how="left")
    joined = joined.drop(columns=present).rename(columns={new: old for old, new in renamed.items()})
    return joined
