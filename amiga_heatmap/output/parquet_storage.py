"""Summaries stored as Parquet, losslessly: the storage rule, and ``amiga-heatmap convert``.

**The storage rule.** A summary is read as every reader reads it for a render (same encodings, decimal
marks, refusals and messages), with every column as text exactly as written. Each column is then stored
as

- ``int64`` when the text of every non-empty cell is ``str(int(text))`` of a number that fits (``12``,
  ``-3``; not ``012``, ``+3``, ``-0`` or ``1.0``);
- ``float64`` when the text of every non-empty cell is ``repr(float(text))`` (``0.5``, ``1.0``,
  ``1e-05``, ``inf``, ``nan``; not ``0.50``, ``1e-5``, ``.5`` or ``1,5``);
- text otherwise, exactly as written.

Blank cells are nulls. So the text of every cell can be had back exactly (``str`` of the integer,
``repr`` of the float: what the :mod:`Parquet reader <amiga_heatmap.builtin.parquet_reader>` does for a
label), and a column of numbers keeps its value to the last bit. A summary written with decimal commas
keeps those columns as text; the file records the decimal mark (schema metadata ``amiga-heatmap``:
``{"decimal": ","}``), so that a reader parses them as numbers the same way the text reader does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..builtin.parquet_reader import METADATA_KEY, PARQUET_SUFFIXES
from ..errors import UsageError, shown_path
from .files import refuse_overwriting_inputs, write_atomically

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

    from ..plugin_system.plugin_set import PluginSet

INT64_DIGITS = 18
"""Whole numbers of at most this many digits always fit in int64; longer ones are checked."""


def storable_column(text: pa.Array) -> pa.Array:
    """The column of cell texts ``text`` (nulls for blank cells) as the storage rule stores it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..float_texts import float_texts

    present = pc.drop_null(text)
    if len(present) == 0:
        return text.cast(pa.string())
    try:
        integers = pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        integers = None
    if integers is not None and pc.all(pc.equal(pc.cast(integers, pa.string()), text)).as_py():
        return integers
    try:
        floats = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return text.cast(pa.string())
    values = floats.to_numpy(zero_copy_only=False)
    if pc.all(pc.equal(float_texts(values, nan_text="nan"), text)).as_py():
        return floats
    return text.cast(pa.string())


def storable_table(frame: pd.DataFrame, decimal: str, progress: Callable[[int, int], None] | None = None
                   ) -> pa.Table:
    """``frame`` (every column text, as read) as the storage rule stores it, with the decimal mark
    recorded; ``progress(done, total)`` is called after each column (``total``: the columns and one
    step for writing)."""
    import pyarrow as pa

    columns = {}
    for done, name in enumerate(frame.columns, start=1):
        columns[str(name)] = storable_column(pa.array(frame[name], pa.string(), from_pandas=True))
        if progress is not None:
            progress(done, len(frame.columns) + 1)
    table = pa.table(columns)
    return table.replace_schema_metadata({METADATA_KEY: json.dumps({"decimal": decimal}).encode()})


def write_parquet(table: pa.Table, path: Path, record: bool = True) -> None:
    """Write ``table`` to ``path`` atomically (:func:`~.files.write_atomically`); ``record``: list it
    among amiga-heatmap's outputs of its folder, which folder inputs skip."""
    from pyarrow import parquet

    write_atomically(path, lambda temporary: parquet.write_table(table, temporary, compression="zstd"),
                     record=record)


@dataclass(frozen=True)
class Conversion:
    """One Parquet file ``convert`` writes: from ``sources`` (in order) to ``target``."""

    sources: tuple[Path, ...]
    target: Path


def plan_conversion(input_path: str, output: str, plugins: PluginSet) -> list[Conversion]:
    """What ``amiga-heatmap convert INPUT OUTPUT`` writes, checked before anything is read.

    A file INPUT gives one Parquet file OUTPUT (ending in ``.parquet`` or ``.pq``). A folder INPUT gives
    one Parquet file of all its summaries when OUTPUT ends so, otherwise the folder OUTPUT holding one
    Parquet file per summary, at the same place below it (``plates/PM1.txt`` -> ``OUT/plates/PM1.parquet``).
    Raises UsageError for an output that is not a Parquet name where one is needed, one inside the
    input folder (a later run on the folder would read it back), an output that is an input, and two
    summaries that would give one Parquet name; DataError for an input that cannot be read.
    """
    from ..pipeline.reading import find_summary_files

    files = find_summary_files(input_path, plugins)
    source = Path(input_path)
    target = Path(output)
    as_file = target.suffix.lower() in PARQUET_SUFFIXES
    if source.is_file():
        if not as_file:
            raise UsageError(
                f"The output {shown_path(target)} does not end in .parquet; a summary file is converted to "
                f"one Parquet file, e.g. 'amiga-heatmap convert {source.name} {source.stem}.parquet'."
            )
        conversions = [Conversion(tuple(files), target)]
    else:
        resolved = source.resolve()
        if resolved == target.resolve() or resolved in target.resolve().parents:
            raise UsageError(
                f"The output {shown_path(target)} is inside the input folder {shown_path(source)}, so a "
                "later run on that folder would read the summaries twice. Write it elsewhere."
            )
        if as_file:
            conversions = [Conversion(tuple(files), target)]
        else:
            conversions = [
                Conversion((file,), target / file.relative_to(source).with_suffix(".parquet")) for file in files
            ]
            _refuse_shared_targets(conversions)
            if target.exists() and not target.is_dir():
                raise UsageError(
                    f"The output {shown_path(target)} is a file, and a folder input is converted into a folder "
                    "of Parquet files; name a folder, or a file ending in .parquet for one combined file."
                )
    for conversion in conversions:
        refuse_overwriting_inputs(conversion.target, files)
    return conversions


def _refuse_shared_targets(conversions: Sequence[Conversion]) -> None:
    seen: dict[Path, Path] = {}
    for conversion in conversions:
        other = seen.setdefault(conversion.target, conversion.sources[0])
        if other != conversion.sources[0]:
            raise UsageError(
                f"{shown_path(other)} and {shown_path(conversion.sources[0])} would both be converted to "
                f"{shown_path(conversion.target)}. Rename one of them, or convert the folder to one file "
                "(OUTPUT ending in .parquet)."
            )


def convert(conversion: Conversion, plugins: PluginSet, allow_duplicate_wells: bool = False,
            progress: Callable[[int, int], None] | None = None) -> pa.Table:
    """Read the sources of ``conversion`` as a render reads them, every column as text, and write them
    to its target by the storage rule; return the table written. Several sources are stacked with the
    union of their columns (refused when they repeat wells, unless ``allow_duplicate_wells``)."""
    from ..pipeline.reading import read_summaries

    frame = read_summaries(conversion.sources, plugins, None, numbers=frozenset(),
                           allow_duplicate_wells=allow_duplicate_wells)
    table = storable_table(frame, _decimal_mark(conversion.sources, plugins), progress)
    os.makedirs(conversion.target.parent or ".", exist_ok=True)
    write_parquet(table, conversion.target, record=False)
    if progress is not None:
        progress(1, 1)
    return table


def _decimal_mark(files: Sequence[Path], plugins: PluginSet) -> str:
    """The decimal mark of the text summaries among ``files`` (``.`` for other files); UsageError when
    they differ."""
    from ..builtin.readers import read_delimited
    from ..builtin.table_sniffing import sniff
    from ..pipeline.reading import reader_of

    marks = set()
    for file in files:
        reader = reader_of(file, plugins)
        separator = getattr(reader.read, "keywords", {}).get("separator")
        if getattr(reader.read, "func", None) is read_delimited and separator:
            marks.add(sniff(str(file), separator).decimal)
        else:
            marks.add(".")
    if len(marks) > 1:
        raise UsageError(
            "Some of the summaries write numbers with decimal commas and others with decimal points, so one "
            "Parquet file cannot say how to read them. Convert the folder into a folder of Parquet files "
            "(an OUTPUT not ending in .parquet)."
        )
    return marks.pop()
