"""The same wells read twice: a folder holding merged and per-plate summaries of the same plates.

Reading such a folder stacks every well once per file that holds it, so replicates are counted two or
three times and standard deviations shrink, silently. :func:`refuse_duplicate_wells` stops the run
instead, naming the files. A well is identified, whatever the files' layout, by

- its plate and well id (AMiGA's ``Plate_ID`` and ``Well`` columns), when every file has both: a row
  whose plate and well another file also holds repeats that file's well;
- otherwise by its whole row as read (the sample id and every value the run reads, numbers compared
  to 7 significant digits, since AMiGA's merged and normalised files print some of the same numbers
  differently in the last digit): a file at least half of whose rows are rows of other files repeats
  them. Single rows alone are not enough here, since a normalised negative control reads exactly 1.0
  on every plate.

Only repeats across files count: one file is what its author wrote. The work is vectorised (one hash
per row) and skipped for a single file, so the common one-file run pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import DataError, shortened

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

WELL_COLUMNS = ("Plate_ID", "Well")
"""The columns that identify a well in AMiGA's summaries."""

FILES_SHOWN = 4
REPEATED_SHARE = 0.5
"""Without well ids, the share of a file's rows found in other files that makes it a repeat."""
ADVICE = "Point -i at one merged summary or at the folder of per-plate files, not at a folder holding both."


class SharedWells(NamedTuple):
    """Wells that more than one file holds: how many, the files holding any, and the position of the
    first such row among the rows compared."""

    wells: int
    files: list[int]
    first_row: int


def columns_for_check(columns: frozenset[str] | None, file_count: int) -> frozenset[str] | None:
    """The columns to read from each of ``file_count`` files so that the check can run: ``columns``
    plus the well id columns when there are several files (None, every column, stays None)."""
    if columns is None or file_count < 2:
        return columns
    return columns | frozenset(WELL_COLUMNS)


def refuse_duplicate_wells(
    frames: Sequence[pd.DataFrame], files: Sequence[Path], columns: frozenset[str] | None, allowed: bool
) -> list[pd.DataFrame]:
    """Raise DataError when ``frames`` (read from ``files``, in the same order) repeat a well across
    files, unless ``allowed``; return the frames without the columns only the check needed (those not
    in ``columns``, which names the columns asked for, None for all).

    The message names the files that repeat wells, how many wells, and one example.
    """
    if len(frames) < 2:
        return list(frames)
    if not allowed:
        if all(set(WELL_COLUMNS) <= set(frame.columns) for frame in frames):
            _refuse_repeated_plate_wells(frames, files)
        else:
            refuse_copied_files(frames, files)
    if columns is None:
        return list(frames)
    return [frame.drop(columns=[name for name in WELL_COLUMNS if name in frame and name not in columns])
            for frame in frames]


def _refuse_repeated_plate_wells(frames: Sequence[pd.DataFrame], files: Sequence[Path]) -> None:
    """Row by row: a (Plate_ID, Well) pair that more than one file holds."""
    import pandas as pd

    keys = pd.concat([frame[list(WELL_COLUMNS)] for frame in frames], ignore_index=True)
    origin = _file_of_each_row(frames)
    known = keys.notna().all(axis=1).to_numpy()
    hashes = pd.util.hash_pandas_object(keys, index=False).to_numpy()
    shared = _files_sharing(hashes[known], origin[known])
    if shared is None:
        return
    raise shared_wells_error(shared, keys.iloc[int(known.nonzero()[0][shared.first_row])], files)


def shared_wells_error(shared: SharedWells, example: Sequence[object], files: Sequence[Path]) -> DataError:
    """The error of files sharing wells: ``example`` is the (plate, well) of one such row. Shared by
    every engine."""
    plate, well = example
    return DataError(
        f"The same wells are read more than once: {shared.wells:,} wells (plate and well id, e.g. plate "
        f"{shortened(plate)!r} well {shortened(well)!r}) are in more than one of the {len(files)} input "
        "files, so each would count once per file. Files that share wells: "
        f"{_file_list([files[index] for index in shared.files])}. {ADVICE} If the files are different "
        "plates that share names, pass --allow-duplicate-wells."
    )


def refuse_copied_files(frames: Sequence[pd.DataFrame], files: Sequence[Path]) -> None:
    """File by file, for files without plate and well ids: raise DataError when most rows of a file are
    also in another."""
    import numpy as np
    import pandas as pd

    shared = [name for name in frames[0].columns if all(name in frame.columns for frame in frames[1:])]
    if not shared:
        return
    hashes = row_hashes(pd.concat([frame[shared] for frame in frames], ignore_index=True))
    pairs = pd.DataFrame({"row": hashes, "file": _file_of_each_row(frames)}).drop_duplicates()
    in_other_file = pairs["row"].duplicated(keep=False).to_numpy()
    copied = pd.Series(in_other_file).groupby(pairs["file"].to_numpy()).mean() >= REPEATED_SHARE
    copies = [int(index) for index in copied.index[copied.to_numpy()]]
    if copies:
        raise copied_files_error(copies, np.unique(pairs["file"][in_other_file]), files)


def row_hashes(rows: pd.DataFrame) -> np.ndarray:
    """One hash per row of ``rows`` for comparing rows across files: equal rows, with their numbers
    rounded to 7 significant digits (as float32), hash equally. Shared by every engine."""
    import pandas as pd

    floats = rows.select_dtypes("float").columns
    rows = rows.astype(dict.fromkeys(floats, "float32"))
    return pd.util.hash_pandas_object(rows, index=False).to_numpy()


def copied_files_error(copies: Sequence[int], sharing: Iterable[int], files: Sequence[Path]) -> DataError:
    """The error of files most of whose rows are also in other files: ``copies`` (positions in
    ``files``) are those files, ``sharing`` every file holding a row another file holds too. Shared by
    every engine."""
    copies = list(copies)
    sources = sorted({int(file) for file in sharing} - set(copies))
    if not sources:  # the files are copies of each other
        sources, copies = copies[:1], copies[1:]
    return DataError(
        f"The same wells are read more than once: most rows of {_file_list([files[i] for i in copies])} "
        f"(sample id and values) are also in {_file_list([files[i] for i in sources])}, so each well "
        f"would count once per file. {ADVICE} If the repeats are meant, pass --allow-duplicate-wells."
    )


def _file_of_each_row(frames: Sequence[pd.DataFrame]) -> np.ndarray:
    """The index of the frame each row of the frames stacked in order comes from."""
    import numpy as np

    return np.repeat(np.arange(len(frames)), [len(frame) for frame in frames])


def _files_sharing(hashes: np.ndarray, origin: np.ndarray) -> SharedWells | None:
    """The rows whose ``hashes`` occur in more than one file (``origin``); None when none does."""
    import numpy as np
    import pandas as pd

    pairs = pd.DataFrame({"row": hashes, "file": origin}).drop_duplicates()
    shared = pairs["row"].duplicated(keep=False).to_numpy()
    if not shared.any():
        return None
    shared_pairs = pairs[shared]
    return SharedWells(
        wells=int(shared_pairs["row"].nunique()),
        files=[int(file) for file in np.unique(shared_pairs["file"])],
        first_row=int(shared_pairs.index[0]),
    )


def _file_list(files: Sequence[Path]) -> str:
    """Up to :data:`FILES_SHOWN` file names, then how many more."""
    names = [repr(str(file)) for file in files[:FILES_SHOWN]]
    more = len(files) - FILES_SHOWN
    if more > 0:
        return ", ".join(names) + f" and {more} more"
    return " and ".join(names) if len(names) == 2 else ", ".join(names)
