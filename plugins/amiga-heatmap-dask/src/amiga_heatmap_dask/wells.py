"""The pandas engine's refusal of input files that repeat each other's wells
(:mod:`amiga_heatmap.pipeline.duplicate_wells`), computed on the cluster, with the core's messages.

It runs when the input is more than one file and ``--allow-duplicate-wells`` is not given
(:func:`checks_wells`); the rows then carry the plate and well ids. Its lazy results
(:func:`lazy_well_counts`) join the engine's one pass over the input, and only counts come back:

- when every file has both id columns, the wells (plate, well) held by more than one file, counted from
  the distinct (plate, well, file) triples. Only when there are any does a second pass find the files
  holding them and the first such row in input order, which the message names as its example;
- otherwise, as the pandas engine does, the files are compared on their rows (the columns every file
  has): one hash per row (:func:`~amiga_heatmap.pipeline.duplicate_wells.row_hashes`), the distinct
  (hash, file) pairs, and for each file how many of its distinct rows another file holds too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amiga_heatmap.pipeline.duplicate_wells import WELL_COLUMNS

from .inputs import FILE

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence
    from pathlib import Path

    import pandas as pd
    from dask.dataframe import DataFrame

    from amiga_heatmap.pipeline.cell_table import Sources
    from amiga_heatmap.pipeline.run import Run

PLATE, WELL = WELL_COLUMNS
ROW, ORDER = "__row_hash", "__order"
SHARED_WELLS, ROWS_PER_FILE, REPEATED_PER_FILE = "shared wells", "rows per file", "repeated rows per file"
"""The names of the lazy results in the engine's pass."""


def checks_wells(sources: Sources, run: Run) -> bool:
    """Whether the run checks its input files for repeated wells: several files, and no
    ``--allow-duplicate-wells``."""
    return sources.frame is None and len(sources.files) > 1 and not run.spec.allow_duplicate_wells


def lazy_well_counts(rows: DataFrame, file_columns: Sequence[frozenset[str]]) -> dict[str, object]:
    """The lazy counts :func:`refuse_duplicate_wells` needs from ``rows`` (read from files holding
    ``file_columns``): the number of wells in more than one file when every file has the id columns,
    else the distinct rows of each file and how many of them other files hold (nothing when the files
    share no column)."""
    if _with_ids(file_columns):
        files_per_well = _well_keys(rows).groupby([PLATE, WELL])[FILE].nunique(split_out=True)
        return {SHARED_WELLS: (files_per_well > 1).sum()}
    shared = [name for name in rows.columns if all(name in columns for columns in file_columns)]
    if not shared:
        return {}
    import pandas as pd

    meta = pd.DataFrame({ROW: pd.Series([], dtype="uint64"), FILE: pd.Series([], dtype="int32")})
    pairs = rows.map_partitions(_hashed_rows, shared, meta=meta).drop_duplicates(split_out=True)
    files_per_row = pairs.groupby(ROW).size(split_out=True)
    repeated = files_per_row[files_per_row > 1].to_frame("files")
    in_other_files = pairs.merge(repeated, left_on=ROW, right_index=True, how="inner")
    return {ROWS_PER_FILE: pairs.groupby(FILE).size(split_out=1),
            REPEATED_PER_FILE: in_other_files.groupby(FILE).size(split_out=1)}


def refuse_duplicate_wells(rows: DataFrame, computed: dict, files: Sequence[Path]) -> None:
    """Raise the pandas engine's DataError when the counts in ``computed`` (from
    :func:`lazy_well_counts`) show files of ``files`` repeating wells (a second pass over ``rows``
    finds the files and the example for the message)."""
    from amiga_heatmap.pipeline.duplicate_wells import REPEATED_SHARE, copied_files_error

    if int(computed.get(SHARED_WELLS, 0)):
        raise _shared_wells(rows, int(computed[SHARED_WELLS]), files)
    if ROWS_PER_FILE not in computed:
        return
    distinct = computed[ROWS_PER_FILE].sort_index()
    repeated = computed[REPEATED_PER_FILE].reindex(distinct.index, fill_value=0)
    copies = [int(file) for file in distinct.index[(repeated / distinct >= REPEATED_SHARE).to_numpy()]]
    if copies:
        raise copied_files_error(copies, [int(file) for file in repeated.index[(repeated > 0).to_numpy()]], files)


def _with_ids(file_columns: Sequence[frozenset[str]]) -> bool:
    return all(set(WELL_COLUMNS) <= columns for columns in file_columns)


def _well_keys(rows: DataFrame) -> DataFrame:
    """The (plate, well, file) of the rows whose plate and well are both known."""
    return rows[[PLATE, WELL, FILE]].dropna(subset=[PLATE, WELL])


def _shared_wells(rows: DataFrame, count: int, files: Sequence[Path]):
    """The core's error for ``count`` wells held by more than one file: the files holding any and the
    plate and well of the first such row in input order (partitions are in input order)."""
    import dask

    from amiga_heatmap.pipeline.duplicate_wells import SharedWells, shared_wells_error
    keys = _well_keys(rows)
    files_per_well = keys.groupby([PLATE, WELL])[FILE].nunique(split_out=True)
    shared = files_per_well[files_per_well > 1].reset_index()[[PLATE, WELL]]
    ordered = keys.map_partitions(_in_order)
    held = ordered.merge(shared, on=[PLATE, WELL], how="inner")
    holding, first = dask.compute(held[FILE].unique(split_out=1), held.nsmallest(1, ORDER))
    example = (first[PLATE].iloc[0], first[WELL].iloc[0])
    return shared_wells_error(SharedWells(count, sorted(int(file) for file in holding), 0), example, files)


def _hashed_rows(partition: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The distinct (row hash, file) pairs of ``partition``, its rows hashed on ``columns``."""
    import pandas as pd

    from amiga_heatmap.pipeline.duplicate_wells import row_hashes
    hashes = row_hashes(partition[columns])
    return pd.DataFrame({ROW: hashes, FILE: partition[FILE].to_numpy()}).drop_duplicates()


def _in_order(partition: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    """``partition`` with each row's place in the input: the partition's number, then the row's."""
    import numpy as np

    number = partition_info["number"] if partition_info else 0
    return partition.assign(**{ORDER: (np.int64(number) << 32) + np.arange(len(partition), dtype=np.int64)})
