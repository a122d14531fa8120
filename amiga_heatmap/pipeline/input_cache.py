"""The parsed-input cache: the columns a run read from a summary file, kept as Parquet in the user's
cache folder, so that the same screen drawn again (twenty times while a figure is tuned) reads a few
binary columns instead of parsing text.

Each engine keeps entries of its own kind: this module's :func:`cached_read` keeps the frames the
readers return (the pandas engine, through :func:`~.reading.read_summaries`);
:mod:`amiga_heatmap.builtin.duckdb_engine.cache` keeps the columns DuckDB read, as text, named
``KEY-SHA256.cache``. Both kinds share the folder, the key, the hash, the bound and what follows.

- **Where.** ``AMIGA_HEATMAP_CACHE_DIR`` when set, else the user's cache folder (platformdirs:
  ``~/.cache/amiga-heatmap`` on Linux, ``~/Library/Caches/amiga-heatmap`` on macOS, ``%LOCALAPPDATA%``
  on Windows); entries are the ``*.cache`` files of its ``parsed-inputs`` folder. Never next to an
  input: a file whose folder holds the cache folder is not cached, and no reader claims the suffix
  ``.cache``, so a folder search never reads an entry.
- **Keyed so that a changed file is never served stale.** An entry is named after the file's resolved
  path, size and modification time, the reader and amiga-heatmap's version, and holds the SHA-256 of
  the file's content when it was read; it is served only when the file's content has that hash now.
  The hash is the one the provenance record takes (:func:`~amiga_heatmap.output.provenance.shared_sha256`),
  computed once per process for both.
- **What** (the pandas engine's entries). The frame the reader returned for the columns asked and the columns parsed as numbers,
  with the warnings it gave (shown again when the entry is served). A run asking for a column the entry
  lacks, or for a column parsed otherwise, reads the file again, with the entry's columns too, and
  replaces the entry.
- **Bounded.** At most ``AMIGA_HEATMAP_CACHE_SIZE`` (``2GB``, ``500MB``, or bytes; default
  :data:`DEFAULT_LIMIT`; ``0`` stores nothing) in all; after each write the entries used longest ago
  are removed. Serving an entry counts as using it.
- **Safe.** Entries are written atomically, so two runs at once never see half an entry; an entry
  removed while another run reads it is read again from the file. The cache never fails a run: a
  folder it cannot write, a damaged entry or a table Parquet cannot hold only means reading the text
  (``--verbose`` says why). ``--no-cache`` (``no_cache=True``) reads and stores nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import re
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import AmigaHeatmapError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

log = logging.getLogger("amiga_heatmap")

DIRECTORY_VARIABLE = "AMIGA_HEATMAP_CACHE_DIR"
SIZE_VARIABLE = "AMIGA_HEATMAP_CACHE_SIZE"
DEFAULT_LIMIT = 2 << 30
"""Bytes: 2 GiB, about a hundred 1.5-million-well entries of three columns."""
ENTRIES = "parsed-inputs"
"""Files read directly, never cached: reading them is already what serving an entry does."""
SUFFIX = ".cache"
METADATA_KEY = b"amiga-heatmap-cache"
STALE_TEMPORARY = 24 * 3600
"""Seconds after which a temporary file left by a killed run is removed by ``cache clear``."""
_UNITS = {"": 1, "b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "tb": 1 << 40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?b?)\s*", re.IGNORECASE)


def cache_folder() -> Path:
    """The folder holding the entries (not created here)."""
    given = os.environ.get(DIRECTORY_VARIABLE)
    if given:
        return Path(given) / ENTRIES
    import platformdirs

    return Path(platformdirs.user_cache_dir("amiga-heatmap", appauthor=False)) / ENTRIES


def size_limit() -> int:
    """The most bytes the entries may take (``AMIGA_HEATMAP_CACHE_SIZE``); UsageError for a value that
    is no size."""
    given = os.environ.get(SIZE_VARIABLE)
    if given is None or not given.strip():
        return DEFAULT_LIMIT
    matched = _SIZE.fullmatch(given)
    if not matched:
        raise UsageError(
            f"{SIZE_VARIABLE}={given!r} is not a size. Write it as bytes or with a unit, e.g. 2GB, 500MB or "
            "0 (store nothing)."
        )
    number, unit = matched.groups()
    unit = unit.lower()
    if unit and not unit.endswith("b"):
        unit += "b"  # 2G is 2GB
    return int(float(number) * _UNITS[unit])


@dataclass(frozen=True)
class Request:
    """What a run asks the reader of one file: the ``columns`` (None: all) and the ``numbers``."""

    columns: frozenset[str] | None
    numbers: frozenset[str]

    def served_by(self, entry: dict[str, Any]) -> bool:
        """Whether an entry's recorded request holds every column asked for, parsed the same way."""
        recorded = entry["columns"]
        if recorded is not None and (self.columns is None or not self.columns <= set(recorded)):
            return False
        numbers = set(entry["numbers"])
        asked = set(entry["present"]) if self.columns is None else self.columns & set(entry["present"])
        return all((column in self.numbers) == (column in numbers) for column in asked)

    def widened(self, entry: dict[str, Any] | None) -> Request:
        """This request with the columns an older entry of the same file held (parsed as they were,
        unless asked for now), so that the new entry serves the runs of both."""
        if entry is None:
            return self
        if self.columns is None:
            return self
        kept = set(entry["present"] if entry["columns"] is None else entry["columns"]) - self.columns
        columns = None if entry["columns"] is None else self.columns | kept
        return Request(columns, self.numbers | (frozenset(entry["numbers"]) & kept))


def cached_read(path: Path, reader: str, request: Request, read: Callable[[Request], pd.DataFrame]) -> pd.DataFrame:
    """The frame ``read(request)`` gives for the file ``path`` (read by ``reader``), from the cache when
    an entry for its current content serves ``request``; otherwise read (with the columns of an older
    entry too) and stored. Never raises for the cache's own troubles."""
    place = entry_path(path, reader)
    if place is None:
        return read(request)
    digest = Digest(path)
    entry, frame = _load(place)
    if entry is not None and entry["sha256"] != digest.value():
        log.info("the cache entry of %s is stale (the file's content changed); reading it again", path)
        entry, frame = None, None
    if entry is not None and request.served_by(entry):
        log.info("read %s from the cache (%s)", path, place)
        mark_used(place)
        for category, message in entry["warnings"]:
            warnings.warn(message, warning_category(category), stacklevel=4)
        return _asked(frame, request)
    wider = request.widened(entry)
    before = file_state(path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = read(wider)
    finally:  # the reader's warnings reach the user, also when it refuses the file
        for warning in caught:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if file_state(path) != before:
        log.info("not caching %s: it changed while it was read", path)
        return _asked(frame, request)
    _store(place, frame, path, reader, wider, digest.value(), caught)
    return _asked(frame, request)


def file_state(path: Path) -> tuple[int, int, int] | None:
    """The size, modification and change time of ``path`` (None when it cannot be seen)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns


class Digest:
    """The SHA-256 of a file, computed in the background from creation (while the file is read)."""

    def __init__(self, path: Path):
        from ..output.provenance import shared_sha256

        self._value: str | None = None
        self._thread = threading.Thread(target=self._compute, args=(shared_sha256, path), daemon=True,
                                        name="amiga-heatmap-cache-hash")
        self._thread.start()

    def _compute(self, hasher: Callable[[Path], str], path: Path) -> None:
        try:
            self._value = hasher(path)
        except OSError as error:
            log.info("cannot hash %s for the cache: %s", path, error)

    def value(self) -> str | None:
        """The hex digest, once computed (waiting for it); None when the file could not be read."""
        self._thread.join()
        return self._value


def entry_path(path: Path, reader: str) -> Path | None:
    """Where the entry of ``path`` read by ``reader`` goes (``KEY.cache``, KEY from the resolved path,
    size, modification time, ``reader`` and amiga-heatmap's version), or None when it is not to be cached
    (the bound is 0, the cache folder is inside the file's folder, the file cannot be seen)."""
    try:
        limit = size_limit()
        folder = cache_folder().resolve()
        source = path.resolve()
        status = source.stat()
    except OSError as error:
        log.info("not caching %s: %s", path, error)
        return None
    if limit == 0:
        return None
    if source.parent == folder or source.parent in folder.parents:
        log.info("not caching %s: the cache folder %s is inside its folder", path, folder)
        return None
    key = json.dumps([__version__, reader, str(source), status.st_size, status.st_mtime_ns])
    return folder / (hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:40] + SUFFIX)


def _load(place: Path) -> tuple[dict[str, Any] | None, pd.DataFrame | None]:
    """The recorded request and frame of the entry at ``place``; (None, None) without a usable one."""
    import pyarrow as pa
    from pyarrow import parquet

    try:
        table = parquet.read_table(place)
        entry = json.loads(table.schema.metadata[METADATA_KEY])
        return entry, table.to_pandas()
    except FileNotFoundError:
        return None, None
    except (OSError, KeyError, ValueError, TypeError, pa.ArrowException) as error:
        log.info("ignoring the damaged cache entry %s: %s", place, error)
        remove_entry(place)
        return None, None


def _store(place: Path, frame: pd.DataFrame, path: Path, reader: str, request: Request, digest: str | None,
           caught: list[warnings.WarningMessage]) -> None:
    """Write ``frame`` as the entry at ``place`` and keep the cache within its limit."""
    if digest is None:
        return
    import pyarrow as pa
    from pyarrow import parquet

    from ..output.files import write_atomically

    entry = {
        "source": str(path.resolve()), "sha256": digest, "reader": reader,
        "columns": None if request.columns is None else sorted(request.columns),
        "numbers": sorted(request.numbers), "present": [str(column) for column in frame.columns],
        "warnings": [recorded_warning(warning) for warning in caught],
    }
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(entry).encode()}
        table = table.replace_schema_metadata(metadata)
        place.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(place, lambda temporary: parquet.write_table(table, temporary, compression="zstd"),
                         record=False)
    except (OSError, ValueError, TypeError, pa.ArrowException, AmigaHeatmapError) as error:
        log.info("not caching %s: %s", path, error)
        return
    log.info("cached the columns read from %s in %s", path, place)
    evict(place.parent, size_limit(), keep=place)


def evict(folder: Path, limit: int, keep: Path | None = None) -> list[Path]:
    """Remove the entries of ``folder`` used longest ago until they take at most ``limit`` bytes (``keep``
    too when it alone is larger); return those removed."""
    entries = []
    for place in folder.glob("*" + SUFFIX):
        try:
            status = place.stat()
        except OSError:
            continue
        entries.append((status.st_mtime_ns, place != keep, status.st_size, place))
    total = sum(size for *_, size, _ in entries)
    removed = []
    for *_, size, place in sorted(entries, key=lambda item: (not item[1], item[0])):
        if total <= limit:
            break
        remove_entry(place)
        total -= size
        removed.append(place)
    return removed


def entries(folder: Path | None = None) -> list[tuple[Path, int, float]]:
    """Every entry of the cache: (path, bytes, last use as a time stamp), used longest ago first."""
    found = []
    for place in (folder or cache_folder()).glob("*" + SUFFIX):
        try:
            status = place.stat()
        except OSError:
            continue
        found.append((place, status.st_size, status.st_mtime))
    return sorted(found, key=lambda item: item[2])


def clear(folder: Path | None = None) -> tuple[int, int]:
    """Remove every entry (and temporary files older than a day, left by killed runs); return (entries,
    bytes) removed."""
    folder = folder or cache_folder()
    count = size = 0
    for place, bytes_, _ in entries(folder):
        if remove_entry(place):
            count += 1
            size += bytes_
    for temporary in folder.glob(".*.part"):
        try:
            if time.time() - temporary.stat().st_mtime > STALE_TEMPORARY:
                temporary.unlink()
        except OSError:
            continue
    return count, size


def described_entry(place: Path) -> tuple[str, str] | None:
    """The summary file an entry was read from and the engine whose entry it is (``pandas`` or
    ``duckdb``), or None for an unreadable entry."""
    import pyarrow as pa
    from pyarrow import parquet

    try:
        record = json.loads(parquet.read_schema(place).metadata[METADATA_KEY])
        return str(record["source"]), str(record.get("engine", "pandas"))
    except (OSError, KeyError, TypeError, ValueError, AttributeError, pa.ArrowException):  # damaged: listed as such
        return None


def _asked(frame: pd.DataFrame, request: Request) -> pd.DataFrame:
    """``frame`` with only the asked columns, in its order (all of it when every column was asked)."""
    if request.columns is None:
        return frame
    kept = [column for column in frame.columns if column in request.columns]
    if not kept or len(kept) == len(frame.columns):
        return frame if kept else frame.iloc[:, :1]
    return frame[kept]


def recorded_warning(warning: warnings.WarningMessage) -> list[str]:
    """A warning as an entry's record keeps it: ``[module:qualified.name of its class, message]``
    (:func:`warning_category` finds the class again)."""
    return [f"{warning.category.__module__}:{warning.category.__qualname__}", str(warning.message)]


def warning_category(name: str) -> type[Warning]:
    """The warning class recorded as ``module:qualified.name`` (UserWarning when it cannot be found)."""
    module, _, qualified = name.partition(":")
    try:
        found = importlib.import_module(module)
        for part in qualified.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return UserWarning
    return found if isinstance(found, type) and issubclass(found, Warning) else UserWarning


def mark_used(place: Path) -> None:
    """Count the entry at ``place`` as used now (eviction removes the entries used longest ago)."""
    try:
        os.utime(place)
    except OSError:
        pass


def remove_entry(place: Path) -> bool:
    """Remove the file ``place``; whether it was removed."""
    try:
        place.unlink()
    except OSError:
        return False
    return True
