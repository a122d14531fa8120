"""The ``duckdb`` engine: the input read, annotated, subset and aggregated by DuckDB, in SQL, with bounded
memory; only the cells (and what the run's later stages ask for) come back to pandas.

A run makes, in the engine's own work folder (:func:`.settings.work_folder`):

1. ``summary_source``, the columns the run needs (:mod:`.sources`), the text tables' read from the
   parsed-input cache, or first written into it (:mod:`.cache`), unless ``--no-cache``. DuckDB matches
   column names without regard to case, so two of them that differ only in case are refused
   (:meth:`Session._refuse_names_alike`);
2. ``summary_rows``, with the value as a number and the annotations joined (their lookup tables
   registered as relations), checked for files repeating wells;
3. ``selected_rows``, the subset; its values that match nothing are warned about, and a subset keeping
   nothing is refused, as the pandas engine does;
4. the cells: each axis's labels numbered in natural order, and one ``GROUP BY`` into a table, computing
   the aggregator's standard form, the count of non-missing values and (when values are read from
   text) the count of value cells written as something other than a number; only when there are such
   cells does a second pass tell missing-value words and NaN from text (refused, naming samples). Rows
   that are cheap to read again (Parquet, cache entries, a table) are grouped by their labels' codes,
   the labels found first; rows parsed from text are grouped by their labels in the one pass that
   parses them (:meth:`Session.cells`). The cells then come back as label codes and numbers.

A view is enough when the rows are read once (the common run). When a run reads them several times (a
subset, annotations, label columns, several files, ``--save-filtered-table``) and they come from text
parsed by ``read_csv`` (not from cache entries, which are Parquet), ``summary_rows`` is written once
into a DuckDB database in the work folder, which DuckDB keeps within its memory limit.

With the cache, every attempt at reading (:meth:`.cache.TextCache.attempt`) holds back its warnings,
errors and cells until the entries it read are known to hold the files' current content; an attempt is
made again, reading the text, when one does not.

The replicate values behind the cells (for ``--test``, ``--save-cell-table`` and ``result.cells``) are
read again from the input when first asked for (:class:`DeferredReplicates`), so runs that do not ask
never hold them. The rows themselves come back only with ``read_all_columns``
(``--save-filtered-table``); ``result.rows`` otherwise needs the pandas engine.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext, suppress
from functools import cached_property
from typing import TYPE_CHECKING, Any, Self

from ...errors import AmigaHeatmapError
from ...pipeline.cell_table import COUNT, VALUE, CellTable, Replicates
from ...timing import stage
from ..parquet_reader import PARQUET_SUFFIXES
from . import sql
from .cache import Retry, TextCache
from .failures import OtherEncoding, is_reading_failure, out_of_memory, reading_failure
from .progress import run_query
from .settings import connect, work_folder
from .sources import FILE_INDEX, Source, frame_of, input_source, names_alike, refuse_names_alike

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import numpy as np
    import pandas as pd

    from ...pipeline.cell_table import Sources
    from ...pipeline.run import Run

log = logging.getLogger("amiga_heatmap")

SOURCE, ROWS, SELECTED, CELLS = "summary_source", "summary_rows", "selected_rows", "__cells"
KEYED = "__y IS NOT NULL AND __x IS NOT NULL"
"""The cells of :data:`CELLS` whose y and x labels are both present (the others' rows are left out; when
the rows are grouped by label codes, every cell has both)."""
ROW_NUMBER = "__row"
"""The input order of the rows (when the source is a table), for returning the rows themselves in it:
joins do not keep it."""
EXAMPLES_SHOWN = 5
CLOSE_ATTEMPTS = 100
BATCH_ROWS = 1 << 20
"""Cells read from DuckDB at a time."""


def compute(sources: Sources, run: Run) -> CellTable:
    """The cell table of ``sources`` for ``run`` (see :class:`~amiga_heatmap.components.Engine`)."""
    from .sql import reduction

    reduction(run.aggregator, run.aggregator_arguments, run.aggregator_plugin)  # refuse before reading
    spec = run.spec
    encodings: dict[str, str] = {}
    cache = None if sources.frame is not None or spec.no_cache else TextCache()
    try:
        while True:
            try:
                with _attempt(cache), Session(sources, run, encodings, cache) as session:
                    with stage("read"):
                        session.open(materialize=_reads_rows_again(sources, run))
                    with stage("subset"):
                        session.check_subset()
                    with stage("aggregate"):
                        cells = session.cells()
                        labels = session.labels(cells)
                        rows = session.rows() if spec.read_all_columns else None
                break
            except OtherEncoding as found:  # read again, those files from UTF-8 copies
                encodings.update(found.encodings)
            except Retry:  # an entry was stale or vanished, or the cache failed: read those files' text
                continue
        if cache is not None:
            cache.publish()
    except AmigaHeatmapError:
        if cache is not None:  # the entries written hold the file's columns, whatever the run made of them
            cache.publish()
        raise
    finally:
        if cache is not None:
            cache.discard()
    replicates = DeferredReplicates(lambda: replicate_values(sources, run, cells.index, encodings, cache))
    return CellTable(cells=cells, x=spec.x.column, y=spec.y.column, value=spec.value, labels=labels, rows=rows,
                     replicates=replicates, engine="duckdb")


def _attempt(cache: TextCache | None) -> AbstractContextManager[None]:
    """One attempt at reading the input: through :meth:`.cache.TextCache.attempt` with a cache."""
    return nullcontext() if cache is None else cache.attempt()


def _reads_rows_again(sources: Sources, run: Run) -> bool:
    """Whether the rows are read once into a table: when the run reads text (or a DataFrame) more than
    once, and when it returns the rows (in input order, which only a table keeps). Parquet is read
    again instead: it reads only the columns asked for, and fast; so are the cache entries text is read
    from (:meth:`Session.open` decides once it knows them)."""
    spec = run.spec
    extra_labels = set(spec.label_columns()) - {spec.x.column, spec.y.column}
    several = bool(run.selection) + bool(run.annotations) + bool(extra_labels) + spec.read_all_columns + (
        len(sources.files) > 1 and not spec.allow_duplicate_wells)
    parquet = sources.frame is None and all(str(file).lower().endswith(PARQUET_SUFFIXES) for file in sources.files)
    return spec.read_all_columns or (several > 0 and not parquet)


class Session:
    """One DuckDB connection over the input of a run, in a work folder removed on leaving."""

    def __init__(self, sources: Sources, run: Run, encodings: dict[str, str], cache: TextCache | None = None):
        self.sources, self.run, self.encodings, self.cache = sources, run, encodings, cache
        self.connection: duckdb.DuckDBPyConnection | None = None
        self.source: Source | None = None
        self.ordered = False  # whether the rows carry their input order (ROW_NUMBER)

    def __enter__(self) -> Self:
        self._folder = work_folder(self.run.engine_options)
        self.folder = self._folder.__enter__()
        return self

    def __exit__(self, *failure: object) -> None:
        try:
            if self.connection is not None:
                _close(self.connection)
                _close(self.database)
        finally:
            self._folder.__exit__(*failure)

    # ------------------------------------------------------------------------------------- reading

    def open(self, materialize: bool = False) -> None:
        """Build the relations (reading the source into a table when ``materialize``) and check the
        columns and the wells. Raises :class:`~.failures.OtherEncoding` when a file turns out not to be
        UTF-8 further on (then read again with ``encodings`` holding its encoding)."""
        from ...pipeline.reading import check_columns

        run, spec = self.run, self.run.spec
        database = os.path.join(self.folder, "rows.duckdb") if materialize else ":memory:"
        if materialize and os.path.exists(database):
            os.remove(database)
        self.database, self.connection = connect(run.engine_options, self.folder, database)
        columns = run.input_columns
        check = len(self.sources.files) > 1 and not spec.allow_duplicate_wells
        wanted = None if spec.read_all_columns else frozenset(columns) | {self.sources.sample_column} - {None}
        if check and wanted is not None:
            from ...pipeline.duplicate_wells import WELL_COLUMNS

            wanted |= frozenset(WELL_COLUMNS)
        self.source = input_source(self.sources, run.plugins, self.connection, self.folder, wanted, spec.value,
                                   check, self.encodings, self.cache)
        import pandas as pd

        self._refuse_names_alike(wanted, columns)
        check_columns(pd.DataFrame(columns=self.source.columns), columns, list(self.sources.files), run.plugins)
        for fill in self.source.fills:  # the text tables read into new cache entries, which the rows come from
            self.cache.write(fill, lambda statement: self.ask(statement, "reading"))
        # rows read from cache entries only are Parquet, read again rather than copied (unless kept in order)
        materialize = materialize and (spec.read_all_columns or self.sources.frame is not None
                                       or self.source.reads_text)
        if materialize:
            self.ask(f"CREATE TABLE {SOURCE} AS {self.source.select}", "reading")
        else:
            self.connection.execute(f"CREATE TEMP VIEW {SOURCE} AS {self.source.select}")
        self.ordered = materialize
        self.connection.execute(f"CREATE TEMP VIEW {ROWS} AS {self._annotated(ordered=materialize)}")
        if check:
            self._refuse_duplicate_wells()
        predicate = sql.subset_predicate(run.selection, self.source.numeric_labels)
        self.connection.execute(f"CREATE TEMP VIEW {SELECTED} AS SELECT * FROM {ROWS} WHERE {predicate}")

    def ask(self, text: str, doing: str, fetch: Callable[[Any], Any] | None = None) -> Any:
        """Run the SQL ``text`` (progress shown as ``doing``), DuckDB's reading errors in the built-in reader's
        words. Every name and text from the user in it is quoted (:func:`.sql.name`, :func:`.sql.text`)."""
        import duckdb

        try:
            return run_query(self.connection, text, doing, *(fetch,) if fetch else ())
        except duckdb.OutOfMemoryException as error:
            raise out_of_memory(self.run.engine_options, doing) from error
        except Exception as error:
            if is_reading_failure(error):
                from .sources import prepared_text

                raise reading_failure(error, self._text_tables(prepared_text)) from error
            raise

    def _text_tables(self, prepare):
        from ...pipeline.reading import reader_of
        from .sources import TEXT_READERS, kind_of

        return [prepare(str(file), TEXT_READERS[reader_of(file, self.run.plugins).name], self.folder,
                        self.encodings.get(str(file)))
                for file in self.sources.files if kind_of(file, self.run.plugins) == "text"]

    def frame(self, text: str, doing: str) -> pd.DataFrame:
        """The result of ``text`` as a DataFrame (text columns with the built-in readers' dtype)."""
        return self.ask(text, doing, frame_of)

    # --------------------------------------------------------------------------------- annotations

    def _annotated(self, ordered: bool) -> str:
        """The SELECT of ``summary_rows``: the source with the annotations' columns joined on (each
        lookup table registered as a relation; a later annotation's values win, an earlier one's fill
        the rows it leaves missing, the input's own column last); ``ordered``: with the rows' input
        order as :data:`ROW_NUMBER` (the source is a table)."""
        import pandas as pd

        from ...pipeline.annotation import annotation_table, table_key_texts

        run = self.run
        joins, added, kinds = [], {}, {}
        labels = self.source.labels
        for position, annotation in enumerate(run.annotations):
            adds = [column for column in annotation.adds if column in run.columns or run.spec.read_all_columns]
            if not adds:
                continue
            table = annotation_table(annotation)
            lookup = table_key_texts(table, annotation.keys)
            for column in adds:  # as the pandas engine's join gives them: whole numbers as floats
                values = table[column].reset_index(drop=True)
                numeric = pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
                lookup[column] = values.astype(float) if numeric else values
                kinds[column] = "DOUBLE" if numeric else "text"
            lookup = lookup.dropna(subset=list(annotation.keys))
            alias = f"annotation_{position}"
            self.connection.register(alias, lookup)
            on = " AND ".join(
                f"{sql.key_text(f's.{sql.name(key)}', labels.get(key, 'text'))} = {alias}.{sql.name(key)}"
                for key in annotation.keys)
            joins.append(f"LEFT JOIN {alias} ON {on}")
            for column in adds:
                added.setdefault(column, []).insert(0, f"{alias}.{sql.name(column)}")
        order = f", s.rowid AS {ROW_NUMBER}" if ordered else ""
        if not joins:
            return f"SELECT s.*{order} FROM {SOURCE} AS s"
        replaced = [column for column in added if column in labels]
        items = []
        for column, values in added.items():
            own = [f"CAST(s.{sql.name(column)} AS VARCHAR)" if kinds[column] == "text" else f"s.{sql.name(column)}"]
            items.append(f"COALESCE({', '.join(values + (own if column in replaced else []))}) AS {sql.name(column)}")
            labels[column] = kinds[column]
        keep = f"s.* EXCLUDE ({', '.join(map(sql.name, replaced))})" if replaced else "s.*"
        self._warn_unmatched_annotations(joins, added)
        return f"SELECT {keep}, {', '.join(items)}{order} FROM {SOURCE} AS s {' '.join(joins)}"

    def _warn_unmatched_annotations(self, joins: list[str], added: dict[str, list[str]]) -> None:
        """The pandas engine's warning for rows an annotation's table has no entry for, and that no
        earlier annotation gave its columns."""
        from ...pipeline.annotation import warn_unmatched

        applied = [annotation for annotation in self.run.annotations
                   if any(column in self.run.columns or self.run.spec.read_all_columns for column in annotation.adds)]
        total = None
        for position, annotation in enumerate(self.run.annotations):
            if annotation not in applied:
                continue
            alias = f"annotation_{position}"
            columns = [column for column in added if f"{alias}.{sql.name(column)}" in added[column]]
            placed = [value for column in columns for value in added[column][added[column].index(
                f"{alias}.{sql.name(column)}"):]]
            unmatched = f"{alias}.{sql.name(annotation.keys[0])} IS NULL AND " + " AND ".join(
                f"{value} IS NULL" for value in placed)
            joined = f"FROM {SOURCE} AS s {' '.join(joins)}"
            if total is None:
                total = self.ask(f"SELECT count(*) FROM {SOURCE}", "annotating")[0][0]
            keys = ", ".join(f"s.{sql.name(key)}" for key in annotation.keys)
            count = self.ask(f"SELECT count(*) {joined} WHERE {unmatched}", "annotating")[0][0]
            if count:
                first = "ORDER BY min(s.rowid)" if self.ordered else ""
                combinations = self.frame(f"SELECT {keys} {joined} WHERE {unmatched} GROUP BY ALL {first}",
                                          "annotating")
                warn_unmatched(annotation, combinations, int(count), int(total))

    # -------------------------------------------------------------------------------------- checks

    def _refuse_names_alike(self, wanted: frozenset[str] | None, needed: list[str]) -> None:
        """Refuse columns the run reads whose names differ only in case (:func:`.sources.refuse_names_alike`),
        and a ``needed`` column DuckDB renamed because another column of a Parquet file is named alike."""
        from ...pipeline.reading import all_column_names

        read = [column for column in self.source.columns
                if wanted is None or column in wanted or column == self.run.spec.value]
        refuse_names_alike(read)
        missing = [column for column in needed if column not in self.source.columns]
        if missing and self.sources.frame is None:
            headers = all_column_names(self.sources.files, self.run.plugins)
            for column in missing:
                alike = [name for name in headers if name.casefold() == column.casefold() and name != column]
                if column in headers and alike:
                    raise names_alike(alike[0], column)

    def _refuse_duplicate_wells(self) -> None:
        """The pandas engine's refusal of files repeating wells (by plate and well id); files without
        those columns are compared as the pandas engine compares them, on their rows."""
        from ...pipeline.duplicate_wells import (
            WELL_COLUMNS,
            SharedWells,
            refuse_copied_files,
            shared_wells_error,
        )
        from ...pipeline.reading import reader_of

        files = list(self.sources.files)
        plate, well = (sql.name(column) for column in WELL_COLUMNS)
        with_ids = set(WELL_COLUMNS) <= set(self.source.labels) and self.ask(
            f"SELECT bool_and(plates > 0 AND wells > 0) FROM (SELECT count({plate}) AS plates, count({well}) AS wells "
            f"FROM {ROWS} GROUP BY {FILE_INDEX})", "checking wells")[0][0]
        if not with_ids:  # each file's rows with the columns of its own header, as the pandas engine reads them
            internal = ", ".join([FILE_INDEX, sql.VALUE_TEXT, *([ROW_NUMBER] if self.ordered else [])])
            frames = []
            for index, file in enumerate(files):
                rows = self.frame(f"SELECT * EXCLUDE ({internal}) FROM {ROWS} WHERE {FILE_INDEX} = {index}",
                                  "checking wells")
                header = {*reader_of(file, self.run.plugins).header(str(file)), sql.VALUE}
                frames.append(rows[[column for column in rows.columns if column in header]])
            refuse_copied_files(frames, files)
            return
        shared = (f"SELECT {plate}, {well} FROM {ROWS} WHERE {plate} IS NOT NULL AND {well} IS NOT NULL "
                  f"GROUP BY ALL HAVING count(DISTINCT {FILE_INDEX}) > 1")
        found = self.ask(f"SELECT count(*) FROM ({shared})", "checking wells")[0][0]
        if not found:
            return
        holding = self.ask(f"SELECT DISTINCT {FILE_INDEX} FROM {ROWS} WHERE ({plate}, {well}) IN ({shared}) "
                             f"ORDER BY 1", "checking wells")
        example = self.ask(f"SELECT {plate}, {well} FROM {ROWS} WHERE ({plate}, {well}) IN ({shared}) "
                             f"ORDER BY {FILE_INDEX} LIMIT 1", "checking wells")[0]
        raise shared_wells_error(SharedWells(int(found), [int(row[0]) for row in holding], 0), example, files)

    def check_subset(self) -> None:
        """Warn about subset values matching no row and refuse a subset keeping none, as the pandas
        engine does (:func:`~amiga_heatmap.pipeline.subset.apply_subset`)."""
        from ...pipeline.subset import Excluded, nothing_selected, warn_unmatched_values

        selection = self.run.selection
        if not selection:
            return
        numeric = self.source.numeric_labels
        probes, keys = [], []
        for column, values in selection.items():
            for value in values:
                probes.append(f"bool_or({sql.matches(column, [value], column in numeric)})")
                keys.append((column, value, isinstance(values, Excluded)))
        kept = f"count(*) FILTER (WHERE {sql.subset_predicate(selection, numeric)})"
        found = self.ask(f"SELECT {kept}, {', '.join(probes)} FROM {ROWS}", "selecting")[0]
        present: dict[str, set[str]] = {}

        def texts_of(column: str) -> set[str]:
            if column not in present:
                rows = self.ask(f"SELECT DISTINCT CAST({sql.name(column)} AS VARCHAR) FROM {ROWS} "
                                  f"WHERE {sql.name(column)} IS NOT NULL", "selecting")
                present[column] = {row[0] for row in rows}
            return present[column]

        unmatched = [(column, value, texts_of(column)) for (column, value, excluded), hit in zip(keys, found[1:])
                     if not hit and not excluded]
        unmatched_excluded = [(column, value, texts_of(column))
                              for (column, value, excluded), hit in zip(keys, found[1:]) if not hit and excluded]
        warn_unmatched_values(unmatched, unmatched_excluded)
        if not found[0]:
            raise nothing_selected(selection)

    # --------------------------------------------------------------------------------------- cells

    def cells(self) -> pd.DataFrame:
        """The cells, indexed by (y, x): the aggregated ``value`` and the count ``n``. Raises the pandas
        engine's errors for value cells holding text and, without an aggregator, for replicates.

        The cells stay in DuckDB (a table it may spill) until they come back as numbers: each label
        once, and each cell as the codes of its two labels, its value and its count, read a batch at a
        time into arrays of their final size. A screen of 10^8 wells has 2.5 * 10^7 cells; as pairs of
        texts in pandas they took 4 GB (docs/performance.md, "10^8 wells from Parquet").

        Each axis's labels are numbered in natural order (:mod:`~amiga_heatmap.pipeline.label_order`),
        so that the pivot sorts nothing again. When the rows are cheap to read again (Parquet, a cache
        entry, a table), the labels are found and numbered first and the rows grouped by the two codes:
        a group-by on two integers is faster and leaner than one on two texts (5.5 s against 8 s and
        1.16 GB against 1.37 GB for the screen). Rows parsed from text are read once, grouped by their
        labels, and the cells' labels numbered afterwards."""
        from ...pipeline.cells import not_numeric, repeated_pairs

        run, spec = self.run, self.run.spec
        x, y = sql.name(spec.x.column), sql.name(spec.y.column)
        aggregate = sql.reduction(run.aggregator, run.aggregator_arguments, run.aggregator_plugin)
        by_codes = not self.source.reads_text or self.ordered
        texts, replicates = self.source.values_as_text, run.aggregator is None
        rows_counted = replicates or not by_codes  # for the replicates check, and the rows without a label
        per_cell = ", ".join([f"{aggregate} AS {VALUE}", f"count({sql.VALUE}) AS {COUNT}",
                              *(["count(*) AS __rows"] if rows_counted else []),
                              *([f"count({sql.VALUE_TEXT}) AS __texts"] if texts else [])])
        levels = self._group(per_cell, by_codes)
        summary = [f"count(*) FILTER (WHERE {KEYED})",
                   *([f"count(*) FILTER (WHERE __rows > 1 AND {KEYED})"] if replicates else []),
                   *(["sum(__texts)"] if texts else []),
                   *([f"sum(__rows) FILTER (WHERE NOT ({KEYED}))"] if not by_codes else [])]
        keyed_cells, *found = self.ask(f"SELECT {', '.join(summary)} FROM {CELLS}", "aggregating")[0]
        repeated = found.pop(0) if replicates else 0
        text_cells = (found.pop(0) or 0) if texts else 0
        missing_keys = None if by_codes else found.pop(0)
        unkeyed = any(missing for _, missing in levels)  # some row has no y or no x label
        if by_codes and unkeyed and (texts or log.isEnabledFor(logging.INFO)):  # rare: their rows, read again
            missing_keys, unkeyed_texts = self.ask(
                f"SELECT count(*), {f'count({sql.VALUE_TEXT})' if texts else '0'} FROM {SELECTED} "
                f"WHERE {y} IS NULL OR {x} IS NULL", "aggregating")[0]
            text_cells += unkeyed_texts
        if missing_keys:
            log.info("left out %d rows whose %s or %s is missing", missing_keys, spec.x.column, spec.y.column)
        if text_cells and self.ask(  # missing-value words and NaN are not text; another pass tells them apart
                f"SELECT bool_or({sql.text_cell()}) FROM {SELECTED} WHERE {sql.VALUE_TEXT} IS NOT NULL",
                "checking values")[0][0]:
            sample = sql.name(self.sources.sample_column) if self.sources.sample_column in self.source.labels \
                else "NULL"
            found = self.ask(f"SELECT CAST({sample} AS VARCHAR), {sql.VALUE_TEXT} FROM {SELECTED} "
                               f"WHERE {sql.VALUE_TEXT} IS NOT NULL LIMIT {EXAMPLES_SHOWN}", "checking values")
            raise not_numeric(spec.value, text_cells, [(label, value) for label, value in found])
        if repeated:
            self.ask(f"CREATE TEMP TABLE __pairs AS SELECT {x}, {y} FROM {SELECTED} "
                       f"WHERE {y} IS NOT NULL AND {x} IS NOT NULL", "checking replicates")
            first = self.ask(f"SELECT {x}, {y}, count(*) FROM __pairs GROUP BY ALL HAVING count(*) > 1 "
                               f"ORDER BY min(rowid) LIMIT {EXAMPLES_SHOWN}", "checking replicates")
            raise repeated_pairs(spec.x.column, spec.y.column, first, int(repeated))
        # grouped by label, the cells are given their labels' codes (the joins drop the unkeyed ones)
        codes = ("__y", "__x") if by_codes else ("__y_labels.code", "__x_labels.code")
        joins = "" if by_codes else (f" JOIN __y_labels ON {CELLS}.__y = __y_labels.label "
                                     f"JOIN __x_labels ON {CELLS}.__x = __x_labels.label")
        sizes = [len(level) for level, _ in levels]
        y_codes, x_codes, values, counts = self.ask(
            f"SELECT {codes[0]}, {codes[1]}, {VALUE}, {COUNT} FROM {CELLS}{joins}", "collecting cells",
            lambda connection, query: _arrays(connection, query, keyed_cells, *sizes))
        import pandas as pd

        index = pd.MultiIndex(levels=[level for level, _ in levels], codes=[y_codes, x_codes],
                              names=[spec.y.column, spec.x.column], verify_integrity=False)
        return pd.DataFrame({VALUE: values, COUNT: counts}, index=index, copy=False)

    def _group(self, per_cell: str, by_codes: bool) -> list[tuple[pd.Index, bool]]:
        """Make the table :data:`CELLS` of the selected rows grouped by (y, x), with the aggregates
        ``per_cell``, and each axis's label table (:meth:`_numbered_labels`); return the y and the x
        labels in natural order, each with whether some row lacks that label. ``by_codes``: the rows
        are grouped by the codes of their labels (found first), and :data:`CELLS` holds the codes;
        otherwise by the labels themselves, in the one pass that reads the rows."""
        spec = self.run.spec
        x, y = sql.name(spec.x.column), sql.name(spec.y.column)
        if not by_codes:
            self.ask(f"CREATE TEMP TABLE {CELLS} AS SELECT {y} AS __y, {x} AS __x, {per_cell} "
                     f"FROM {SELECTED} GROUP BY ALL", "aggregating")
            return [self._numbered_labels(axis, f"SELECT DISTINCT __{axis} FROM {CELLS}")
                    for axis in ("y", "x")]
        levels = [self._numbered_labels(axis, f"SELECT DISTINCT {column} FROM {SELECTED}")
                  for axis, column in (("y", y), ("x", x))]
        self.ask(f"CREATE TEMP TABLE {CELLS} AS SELECT __y_labels.code AS __y, __x_labels.code AS __x, "
                 f"{per_cell} FROM {SELECTED} AS s JOIN __y_labels ON s.{y} = __y_labels.label "
                 f"JOIN __x_labels ON s.{x} = __x_labels.label GROUP BY ALL", "aggregating")
        return levels

    def _numbered_labels(self, axis: str, distinct: str) -> tuple[pd.Index, bool]:
        """Make the table ``__{axis}_labels`` of the labels ``distinct`` selects (each once), each with
        its ``code``, its position in natural order; return those labels in that order, and whether
        ``distinct`` gave NULL (rows or cells without a label, left out of the table). The labels keep
        DuckDB's types: only their natural order is computed in Python."""
        import numpy as np
        import pandas as pd

        from ...pipeline.label_order import natural_positions

        self.ask(f"CREATE TEMP TABLE __{axis}_found AS SELECT *, CAST(row_number() OVER () - 1 AS INTEGER) "
                 f"AS position FROM ({distinct}) AS found(label)", "aggregating")
        found = self.frame(f"SELECT label FROM __{axis}_found ORDER BY position", "aggregating")["label"]
        present = found.notna().to_numpy()
        level = pd.Index(found[present], name=None)
        order = natural_positions(level)
        numbered = pd.DataFrame({"position": np.flatnonzero(present)[order].astype(np.int32),
                                 "code": np.arange(len(order), dtype=np.int32)})
        self.connection.register(f"__{axis}_numbering", numbered)
        self.connection.execute(f"CREATE TEMP TABLE __{axis}_labels AS SELECT label, code "
                                f"FROM __{axis}_found JOIN __{axis}_numbering USING (position)")
        self.connection.unregister(f"__{axis}_numbering")
        return level[order], not present.all()

    def labels(self, cells: pd.DataFrame) -> pd.DataFrame:
        """One row per distinct combination of the axis columns and the label columns (sorting, strips);
        with no label columns, the cells' own label pairs as categoricals (codes, not a text per cell)."""
        import pandas as pd

        spec = self.run.spec
        columns = [spec.x.column, spec.y.column, *[column for column in spec.label_columns()
                                                   if column not in (spec.x.column, spec.y.column)]]
        if len(columns) == 2:
            index = cells.index
            pairs = {name: pd.Categorical.from_codes(codes, level, validate=False)
                     for name, codes, level in zip(index.names, index.codes, index.levels)}
            return pd.DataFrame(pairs, copy=False)[columns]
        return self.frame(f"SELECT DISTINCT {', '.join(map(sql.name, columns))} FROM {SELECTED}", "labelling")

    def rows(self) -> pd.DataFrame:
        """The selected rows, every column read (``read_all_columns``), the value as numbers, in input
        order and numbered by their position in the input, as the pandas engine returns them."""
        spec = self.run.spec
        internal = [sql.VALUE, sql.VALUE_TEXT, *([FILE_INDEX] if FILE_INDEX in self.source.select else [])]
        rows = self.frame(f"SELECT * EXCLUDE ({', '.join(internal)}), {sql.VALUE} AS {sql.name(spec.value)} "
                          f"FROM {SELECTED} ORDER BY {ROW_NUMBER}", "collecting rows")
        rows = rows.set_index(ROW_NUMBER).rename_axis(None)  # numbered as the pandas engine numbers them
        order = [column for column in self.source.columns if column in rows.columns]
        return rows[order + [column for column in rows.columns if column not in order]]


def _arrays(connection: duckdb.DuckDBPyConnection, query: str, total: int, y_labels: int,
            x_labels: int) -> list[np.ndarray]:
    """The columns of ``query`` (``total`` rows of numbers: the codes of a y label and of an x label, a
    value and a count) as numpy arrays, filled a batch at a time, so that no second copy of the result
    is ever held; each code in the smallest integer type that holds its axis's number of labels (the
    type pandas keeps a MultiIndex's codes in)."""
    import numpy as np

    code_types = [np.min_scalar_type(-max(labels, 1)) for labels in (y_labels, x_labels)]
    arrays = [np.empty(total, code_types[0]), np.empty(total, code_types[1]), np.empty(total, np.float64),
              np.empty(total, np.int64)]
    filled = 0
    for batch in connection.sql(query).to_arrow_reader(BATCH_ROWS):
        size = batch.num_rows
        for array, column in zip(arrays, batch.columns):
            array[filled:filled + size] = column.to_numpy(zero_copy_only=False)
        filled += size
    if filled != total:  # pragma: no cover - DuckDB gave another number of cells than it counted
        raise RuntimeError(f"DuckDB returned {filled} cells, not the {total} it counted")
    return arrays


def _close(connection: duckdb.DuckDBPyConnection) -> None:
    """Close ``connection``, interrupting what it still runs (a query Ctrl-C left in a worker thread)."""
    import time

    import duckdb

    for _ in range(CLOSE_ATTEMPTS):
        try:
            connection.close()
            return
        except duckdb.Error:
            with suppress(duckdb.Error):
                connection.interrupt()
            time.sleep(0.05)
    connection.close()


class DeferredReplicates(Replicates):
    """Replicate values read from the input only when first used (by ``--test``, ``--save-cell-table``,
    ``result.cells``): ``fetch()`` returns ``(codes, values)``."""

    def __init__(self, fetch: Callable[[], tuple[np.ndarray, np.ndarray]]):
        object.__setattr__(self, "_fetch", fetch)

    @cached_property
    def _fetched(self) -> tuple[np.ndarray, np.ndarray]:
        return self._fetch()

    @property
    def codes(self) -> np.ndarray:  # type: ignore[override]
        return self._fetched[0]

    @property
    def values(self) -> np.ndarray:  # type: ignore[override]
        return self._fetched[1]

    def __repr__(self) -> str:
        return "DeferredReplicates()"


def replicate_values(sources: Sources, run: Run, cells: pd.MultiIndex, encodings: dict[str, str],
                     cache: TextCache | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The non-missing values of the selected rows and the position of each one's cell in ``cells``,
    read again from the input, or from the cache entries the run read or wrote (warnings the first read
    gave are not repeated)."""
    import warnings

    import pandas as pd

    spec = run.spec
    x, y = sql.name(spec.x.column), sql.name(spec.y.column)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while True:
            try:
                with _attempt(cache), Session(sources, run, encodings, cache) as session:
                    session.open()
                    rows = session.frame(f"SELECT {y}, {x}, {sql.VALUE} FROM {SELECTED} WHERE {sql.VALUE} IS NOT "
                                         f"NULL AND {y} IS NOT NULL AND {x} IS NOT NULL", "collecting replicates")
                break
            except Retry:  # an entry vanished: read those files' text
                continue
    codes = cells.get_indexer(pd.MultiIndex.from_arrays([rows[spec.y.column], rows[spec.x.column]]))
    return codes, rows[sql.VALUE].to_numpy(dtype=float)

