"""The annotation stage: lookup tables joined to the input rows after reading and before the subset, so
that the columns they add work wherever a column does (``-x``, ``-y``, ``-s``, ``--color-y-by``,
``--sort-y-by``).

An annotation (:class:`~amiga_heatmap.plugin_system.components.Annotation`) is a small table: key columns
-> added columns. Plugins register them (the built-in ``biolog`` plate map); ``--annotate FILE`` makes
one of a lab's own tab-separated table, joined on the columns it shares with the summary. A run applies
only the annotations whose added columns it needs:

1. :func:`needed_annotations` (while the run is prepared) picks the registered ones, and
   :func:`read_lab_table` reads each ``--annotate`` file, so that an unreadable file fails before the
   input is read;
2. :func:`bind_annotations` (once the input is known) drops an annotation whose key columns the input
   lacks, with a warning, and turns each lab table into an annotation keyed on the shared columns;
3. the engine joins them to the rows; :func:`annotate` does it for pandas, vectorised.

Keys are compared as text (whole numbers without a decimal point, surrounding spaces ignored), so the
integer PM ``1`` of a summary matches the text ``"1"`` of a table. Annotations are applied in order
(registered ones by name, then the lab tables as given); where two add the same column, the later
one's values win and the earlier one's fill the rows the later leaves missing, so a lab table can
correct a few values of the plate map.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from typing import TYPE_CHECKING

from ..errors import DataError, PluginError, known_list, shortened
from ..plugin_system.components import Annotation

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..plugin_system.plugin_set import PluginSet
    from .cell_table import Sources
    from .run import Run

SHOWN_KEYS = 3
"""How many unmatched key combinations a warning shows."""


@dataclass(frozen=True)
class LabTable:
    """An ``--annotate`` file as read: its ``path`` and its rows (``frame``, every cell as text, empty
    cells missing). Which of its columns are keys is known only once the input is:
    :meth:`annotation`."""

    path: str
    frame: pd.DataFrame = field(repr=False, compare=False)

    @property
    def columns(self) -> list[str]:
        """The table's column names, in file order."""
        return [str(name) for name in self.frame.columns]

    def annotation(self, input_columns: list[str]) -> Annotation:
        """The annotation joining this table on the columns it shares with ``input_columns`` (the
        summary's), adding its other columns. Raises DataError when it shares none or adds none, or
        when a key combination appears on two rows."""
        keys = tuple(name for name in self.columns if name in input_columns)
        adds = tuple(name for name in self.columns if name not in input_columns)
        if not keys:
            near = {name: get_close_matches(name, input_columns, n=1, cutoff=0.8) for name in self.columns}
            hints = [f"{name!r} -> {found[0]!r}" for name, found in near.items() if found]
            hint = f" Perhaps rename {', '.join(hints)}." if hints else ""
            raise DataError(
                f"The annotation table {self.path!r} (given to --annotate) shares no column with the summary, "
                f"so it cannot be joined: its columns are {known_list(self.columns)}.{hint} Name one of its "
                "columns like a summary column (e.g. 'Isolate', or 'PM' and 'Well') to join on it."
            )
        if not adds:
            raise DataError(
                f"Every column of the annotation table {self.path!r} (given to --annotate) is already a "
                f"summary column ({known_list(self.columns)}), so it adds nothing. Give the new columns "
                "names the summary does not use."
            )
        check_unique_keys(self.frame, keys, f"The annotation table {self.path!r}")
        return Annotation(
            name=os.path.basename(self.path),
            keys=keys,
            adds=adds,
            table=lambda: self.frame,
            description=f"--annotate {self.path}",
        )


def needed_annotations(plugins: PluginSet, columns: dict[str, str]) -> tuple[Annotation, ...]:
    """The registered annotations adding a column of ``columns`` (the columns a run needs), by name."""
    return tuple(entry.item for _, entry in plugins.annotations.entries() if set(entry.item.adds) & set(columns))


def read_lab_table(path: str | os.PathLike[str]) -> LabTable:
    """Read the tab-separated ``--annotate`` file ``path`` (a header row, then one row per key), every
    cell and column name as text without surrounding spaces. Raises DataError for a file that cannot be read, has no rows, or repeats a column
    name."""
    import pandas as pd

    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = [name.strip() for name in handle.readline().rstrip("\r\n").split("\t")]
        frame = pd.read_csv(path, sep="\t", dtype=str, encoding="utf-8-sig", skip_blank_lines=True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error).strip()
        raise DataError(
            f"Cannot read the annotation table {path!r} (given to --annotate): {reason}. It must be a "
            "tab-separated text file with a header row."
        ) from error
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise DataError(
            f"The annotation table {path!r} (given to --annotate) has the column {repeated[0]!r} twice; "
            "give every column its own name."
        )
    if frame.empty:
        raise DataError(
            f"The annotation table {path!r} (given to --annotate) has a header but no rows; add one row per "
            "key, e.g. per Isolate."
        )
    frame.columns = [str(name).strip() for name in frame.columns]
    return LabTable(path, frame.apply(lambda column: column.str.strip()))


def bind_annotations(run: Run, sources: Sources) -> Run:
    """``run`` with the annotations it applies to ``sources`` (:attr:`Run.annotations`): the needed
    registered ones whose key columns the input has (one warning for each that cannot join), then each
    lab table whose added columns the run needs, keyed on the columns it shares with the input. A run
    without annotations is returned as it is, without looking at the input."""
    if not run.annotations and not run.lab_tables:
        return run
    present = input_column_names(sources, run.plugins)
    applied = []
    for annotation in run.annotations:
        missing = [key for key in annotation.keys if key not in present]
        if missing:
            warnings.warn(
                f"The annotation {annotation.name!r} joins on {known_list(annotation.keys)}, but the input has no "
                f"{known_list(missing)} column, so the columns it adds are missing.",
                stacklevel=2,
            )
            continue
        applied.append(annotation)
    for table in run.lab_tables:
        annotation = table.annotation(present)
        if set(annotation.adds) & set(run.columns):
            applied.append(annotation)
    return replace(run, annotations=tuple(applied), lab_tables=())


def input_column_names(sources: Sources, plugins: PluginSet) -> list[str]:
    """The columns of the input: the frame's, or the union of the files' headers."""
    from .reading import all_column_names

    if sources.frame is not None:
        return [str(name) for name in sources.frame.columns]
    return all_column_names(sources.files, plugins)


def annotate(
    rows: pd.DataFrame, annotations: tuple[Annotation, ...], needed: Collection[str] | None = None,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """``rows`` with the columns of ``annotations`` joined on (a new DataFrame; ``rows`` is never
    modified): only those of ``needed`` (the run's columns), or all of them when ``needed`` is None.
    Vectorised: the key values are matched once per distinct combination, then spread to the rows with
    one ``take`` per added column. Rows the table has no entry for get missing values (or keep an
    earlier annotation's), reported in one warning per annotation when they are left without any.

    ``weights``: for an engine that annotates the distinct key combinations of its rows rather than the
    rows, how many input rows each row of ``rows`` stands for (the warning counts input rows)."""
    import numpy as np

    weights = np.ones(len(rows), dtype=np.int64) if weights is None else np.asarray(weights)

    for annotation in annotations:
        adds = [column for column in annotation.adds if needed is None or column in needed]
        if not adds:
            continue
        table = annotation_table(annotation)
        positions = table_positions(rows, table, annotation.keys)
        unmatched = positions < 0
        extended = table[adds].reset_index(drop=True).reindex(range(len(table) + 1))
        taken = np.where(unmatched, len(table), positions)
        added = {}
        for column in adds:
            values = extended[column].take(taken).set_axis(rows.index)
            if column in rows.columns:
                values = values.where(values.notna(), rows[column])
            added[column] = values
        # rows an earlier annotation gave the columns to are not missing them: a table correcting a few
        # values of another leaves the others as they were
        unplaced = unmatched & np.logical_and.reduce([values.isna().to_numpy() for values in added.values()])
        if unplaced.any():
            warn_unmatched(annotation, rows.loc[unplaced, list(annotation.keys)], int(weights[unplaced].sum()),
                           int(weights.sum()))
        rows = rows.assign(**added)
    return rows


def annotation_table(annotation: Annotation) -> pd.DataFrame:
    """The checked lookup table of ``annotation``. Raises PluginError when it lacks a key or added
    column it declares (a plugin's mistake), DataError when it repeats a key combination."""
    table = annotation.table()
    absent = [name for name in (*annotation.keys, *annotation.adds) if name not in table.columns]
    if absent:
        raise PluginError(
            f"The table of the annotation {annotation.name!r} lacks the columns {known_list(absent)} it declares "
            f"(it has {known_list(map(str, table.columns))}). Report it to the author of the plugin providing it, "
            "or disable that plugin."
        )
    check_unique_keys(table, annotation.keys, f"The annotation {annotation.name!r}")
    return table


def check_unique_keys(table: pd.DataFrame, keys: tuple[str, ...], where: str) -> None:
    """Raise DataError naming the first key combination that appears on two rows of ``table``."""
    texts = table_key_texts(table, keys)
    repeated = texts.duplicated(keep=False) & texts.notna().all(axis=1)
    if repeated.any():
        first = texts[repeated].iloc[0]
        numbers = [str(position + 1) for position in texts.index[repeated & (texts == first).all(axis=1)]]
        raise DataError(
            f"{where} has {len(numbers)} rows for {describe_key(keys, first.tolist())} (rows "
            f"{', '.join(numbers)} below the header); each combination of its key columns ({known_list(keys)}) "
            "must appear once. Merge or remove the repeated rows."
        )


def table_key_texts(table: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """The key columns of ``table`` as text, indexed by row position."""
    import pandas as pd

    return pd.DataFrame({key: key_texts(table[key]).to_numpy() for key in keys})


def table_positions(rows: pd.DataFrame, table: pd.DataFrame, keys: tuple[str, ...]) -> np.ndarray:
    """For each row of ``rows``, the position of the ``table`` row with the same key texts, -1 for none.

    Each key column is factorised (one hash pass over the rows), the codes are combined into one code per
    distinct key combination, and only those combinations (a few thousand at most for plate and well)
    are written as text and merged with the table's keys."""
    import numpy as np
    import pandas as pd

    combined = np.zeros(len(rows), dtype=np.int64)
    distinct = []
    for key in keys:
        codes, uniques = pd.factorize(rows[key], use_na_sentinel=True)
        texts = key_texts(pd.Series(uniques, dtype=rows[key].dtype)).to_numpy(dtype=object)
        distinct.append(texts)
        combined = combined * (len(texts) + 1) + (codes + 1)
    combination_codes, combinations = pd.factorize(combined)
    parts = {}
    remainder = np.asarray(combinations, dtype=np.int64)
    for key, texts in reversed(list(zip(keys, distinct))):
        base = len(texts) + 1
        code = remainder % base - 1
        remainder = remainder // base
        parts[key] = np.append(texts, None)[np.where(code < 0, len(texts), code)]
    wanted = pd.DataFrame({key: parts[key] for key in keys})
    known = table_key_texts(table, keys).dropna()
    known["__position"] = known.index.to_numpy()
    matched = wanted.merge(known, on=list(keys), how="left", sort=False)
    by_combination = matched["__position"].fillna(-1).to_numpy(dtype=np.int64)
    return by_combination[combination_codes]


def key_texts(values: pd.Series) -> pd.Series:
    """``values`` written as text for matching keys: whole numbers without a decimal point (``1.0`` is
    ``"1"``), surrounding spaces removed; missing values stay missing (None)."""
    import numpy as np
    import pandas as pd

    values = values.reset_index(drop=True)
    missing = values.isna().to_numpy()
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        whole = ~missing & np.isfinite(numbers) & (numbers == np.round(numbers))
        texts = values.astype(str).to_numpy(dtype=object)
        texts[whole] = numbers[whole].astype(np.int64).astype(str)
    else:
        texts = values.astype(str).str.strip().to_numpy(dtype=object)
    texts[missing] = None
    return pd.Series(texts, dtype=object)


def describe_key(keys: tuple[str, ...], values: list[object]) -> str:
    """``PM 1, Well A2``: one key combination for a message."""
    return ", ".join(f"{key} {shortened(str(value)) if value is not None else '(missing)'}"
                     for key, value in zip(keys, values))


def warn_unmatched(annotation: Annotation, keys: pd.DataFrame, count: int, total: int) -> None:
    """One warning: ``count`` of ``total`` rows have keys ``annotation``'s table lacks."""
    combinations = keys.drop_duplicates()
    shown = [describe_key(annotation.keys, [None if value != value else value for value in row])  # noqa: PLR0124
             for row in combinations.head(SHOWN_KEYS).itertuples(index=False)]
    more = f" and {len(combinations) - SHOWN_KEYS} more" if len(combinations) > SHOWN_KEYS else ""
    warnings.warn(
        f"The annotation {annotation.name!r} has no entry for {count} of {total} rows ({'; '.join(shown)}{more}), "
        "so the columns it adds are missing there.",
        stacklevel=3,
    )
