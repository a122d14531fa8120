"""Where output files go, and writing them so that a failed run leaves nothing half-written."""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..ending_signals import deferred
from ..errors import AmigaHeatmapError, DataError, UsageError, shortened, shown_path
from ..system_faults import system_fault, write_fault
from .own_outputs import record_output

TIMESTAMP_FORMAT = "%Y-%m-%d_%H-%M-%S"
DEFAULT_FORMAT = "pdf"


def default_output_name(now: datetime.datetime | None = None) -> str:
    """AMiGA's default output name: the local time, e.g. ``2026-11-26_09-09-59``."""
    return (now or datetime.datetime.now()).strftime(TIMESTAMP_FORMAT)


def split_output_name(name: str | None, file_format: str | None, known_formats: Iterable[str]) -> tuple[str | None, str]:
    """``-o`` and ``--format`` as (base name, format): the format of a known extension on ``name``.

    ``-o fig.png`` gives ``("fig", "png")``; ``-o fig.png --format png`` the same; ``-o fig`` gives the
    ``--format`` (``pdf`` when not given). An extension that is no known format stays part of the name
    (``-o ER_0.5`` writes ``ER_0.5.pdf``). Raises UsageError when the extension is a known format other
    than ``--format`` (``-o fig.svg --format png``): the two contradict each other.
    """
    chosen = file_format.lower() if file_format else None
    if name is not None and "." in name.strip("."):
        stem, extension = name.rsplit(".", 1)
        extension = extension.lower()
        if extension in {known.lower() for known in known_formats}:
            if chosen is not None and chosen != extension:
                raise UsageError(
                    f"-o {name!r} ends in .{extension}, but --format asks for {chosen}; they contradict "
                    f"each other. Give one of them: -o {stem!r} --format {chosen}, or -o {name!r} alone."
                )
            return stem, extension
    return name, chosen or DEFAULT_FORMAT


def output_path(
    input_path: str | os.PathLike[str],
    name: str | None,
    file_format: str,
    output_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """The file a run writes: ``{folder}/{name}.{file_format}``.

    The folder is ``output_dir`` when given, else the input's folder (the input itself when it is a
    folder), as AMiGA does. ``name`` is a base name without folder or extension (``-o``, after
    :func:`split_output_name`); None gives a timestamp name. Raises UsageError for a name holding a folder
    or a control character, for a name the file-system encoding cannot write, and for an empty
    ``output_dir``.
    """
    if name is None:
        name = default_output_name()
    if not name or name in {".", ".."} or os.sep in name or (os.altsep and os.altsep in name) or "/" in name:
        raise UsageError(
            f"-o/--output takes a file name without a folder, but got {name!r}. Give the folder with "
            "--output-dir and the bare name with -o, e.g. '-o ER_norm_auc --output-dir figures'."
        )
    if any(character < " " or character == "\x7f" for character in name):
        raise UsageError(
            f"-o/--output {shortened(repr(name))} holds a control character (a line break or tab, for "
            "instance), which file names should not. Give a name without one."
        )
    if output_dir is not None:
        if not os.fspath(output_dir):
            raise UsageError("--output-dir is empty; name the folder to write to, e.g. --output-dir figures.")
        folder = Path(output_dir)
    else:
        source = Path(input_path)
        folder = source if source.is_dir() else source.parent
    target = folder / f"{name}.{file_format}"
    try:
        os.fsencode(target)
    except UnicodeEncodeError as error:
        raise UsageError(
            f"The output name {name!r} holds {target.name[error.start:error.end]!r}, which the file system "
            f"encoding ({error.encoding}) cannot write. Use a name in plain ASCII letters, or run in a UTF-8 "
            "locale (e.g. LANG=C.UTF-8)."
        ) from None
    return target


def refuse_overwriting_inputs(target: Path, inputs: Iterable[Path]) -> None:
    """Raise UsageError when ``target`` is one of the input files: the same path, a symbolic link to
    one, or (when it exists) the same file under another name (a hard link, or other letter case on a
    case-insensitive file system)."""
    resolved = target.resolve()
    exists = os.path.exists(target)  # False, not an error, for a name too long for the file system
    for source in inputs:
        if Path(source).resolve() == resolved or (exists and os.path.samefile(source, target)):
            raise UsageError(
                f"The output {str(target)!r} is one of the input files; writing it would destroy the "
                "input. Choose another name with -o or another folder with --output-dir."
            )


def check_output_folder(path: str | os.PathLike[str]) -> Path:
    """Return the folder ``path`` is to be written in; raise DataError if it does not exist, if ``path``
    itself is a folder (a file cannot replace it), if its name is too long for the file system, or if
    the folder refuses new files (a temporary file is created there and removed at once).

    The command line calls this for each output before reading any data, so a mistyped --output-dir
    fails at once.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        if os.path.lexists(folder) and not folder.is_symlink():
            raise DataError(
                f"Cannot write {shown_path(path)}: {shown_path(folder)} is not a folder. Choose a folder "
                "with --output-dir."
            )
        raise DataError(
            f"Cannot write {shown_path(path)}: the folder {shown_path(folder)} does not exist. Create it, or "
            "choose another folder with --output-dir."
        )
    length, longest = len(os.fsencode(path.name)), _longest_name(folder)
    if length > longest:
        raise DataError(
            f"Cannot write {shown_path(path)}: its name is {length} bytes long, and the file system takes "
            f"names of at most {longest}. Choose a shorter name with -o."
        )
    if os.path.isdir(path):
        raise DataError(
            f"Cannot write {shown_path(path)}: a folder of that name is in the way. Choose another name "
            "with -o, or another folder with --output-dir."
        )
    with deferred():  # a probe: the folder refuses new files (no permission, a read-only disk) now
        os.unlink(_temporary_file(path, folder))
    return folder


def _longest_name(folder: Path) -> int:
    """The longest file name (in bytes) the file system of ``folder`` takes; 255 when it will not say."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def write_atomically(path: str | os.PathLike[str], write: Callable[[str], None], record: bool = True) -> None:
    """Call ``write(temporary_path)``, then move the finished file to ``path`` in one step.

    The temporary file sits in ``path``'s folder (so the final rename is atomic) and is removed if
    ``write`` fails; an existing file at ``path`` is only replaced by a complete one. The finished file
    is recorded as ours (:mod:`amiga_heatmap.output.own_outputs`), so folder inputs never read it back,
    unless ``record`` is False (a Parquet copy of a summary is meant to be read as input).

    Raises DataError when the folder does not exist or is not writable, when ``path`` is a folder, and
    when the system fails while writing (a full disk, a file-size limit, a refused permission: an OSError
    from ``write``, possibly behind another exception, see :mod:`amiga_heatmap.system_faults`), naming
    ``path`` and the cause. A signal that ends the run (:mod:`amiga_heatmap.ending_signals`) cannot come
    between creating the temporary file and arranging its removal, nor between putting the file in place
    and recording it.
    """
    path = Path(path)
    folder = check_output_folder(path)
    temporary = None
    try:
        with deferred():
            temporary = _temporary_file(path, folder)
        write(temporary)
        os.chmod(temporary, 0o666 & ~_current_umask())
        with deferred():
            os.replace(temporary, path)
            if record:
                record_output(path)
    except BaseException as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        fault = None if isinstance(error, AmigaHeatmapError) else system_fault(error)
        if fault is not None:
            raise write_fault(path, fault) from error
        raise


def _temporary_file(path: Path, folder: Path) -> str:
    """Create the hidden temporary file ``.NAME.XXXXXXXX.EXT.part`` in ``folder``; return its path."""
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.stem[:100]}.", suffix=path.suffix + ".part", dir=folder
        )
    except OSError as error:
        raise DataError(
            f"Cannot write into {shown_path(folder)}: {error.strerror}. Choose another folder with "
            "--output-dir."
        ) from error
    os.close(handle)
    return temporary


def _current_umask() -> int:
    """The process umask (mkstemp creates files private to the user; outputs get normal permissions)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def filtered_table_path(target: str | os.PathLike[str]) -> Path:
    """Where ``--save-filtered-table`` writes for the output ``target``: ``NAME_filtered.txt`` beside it."""
    target = Path(target)
    return target.with_name(f"{target.stem}_filtered.txt")
