"""The parsed-input cache (:mod:`amiga_heatmap.pipeline.input_cache`) for the text tables the ``duckdb``
engine reads, so that a big screen drawn again reads a few Parquet columns instead of parsing its text.

An entry holds the columns a run read from one text table as text, exactly as DuckDB's ``read_csv``
gave them (for a file in another encoding, its UTF-8 copy's), so that a later run reads them with
``read_parquet`` through the same SQL as the text (:func:`.sql.value_columns` of text): the matrix, the
errors and the warnings are the text's. The cache's guarantees hold as for the pandas engine's entries:

- **Named** ``KEY-SHA256.cache``: KEY as :func:`~amiga_heatmap.pipeline.input_cache.entry_path` makes
  it (resolved path, size, modification time, version) with the reader ``duckdb:READER``, so the two
  engines' entries of one file stay apart; SHA256 the file's content as it was read. The Parquet
  key-value metadata records the file (for ``cache info``), the columns asked (null: every column),
  the columns held, the header's names, the decimal mark and the warnings reading gave, shown again
  when the entry is served.
- **A first run** has DuckDB write the columns to a temporary file in the cache folder (``COPY ... TO``,
  streaming within the memory limit, on the progress line) while the file is hashed in the background
  (the hash the provenance record takes too), and reads its rows from that file. When the run has its
  cells the file is renamed into place, if its hash is known and the file did not change while read;
  a read DuckDB refuses leaves nothing. A run asking for columns an entry lacks reads the text with the
  entry's columns too, and its entry replaces the older one.
- **A later run** reads an entry holding its columns while the file is hashed; what the run makes of the
  entry (its cells, warnings and errors) is held back until the hash matches the one in the entry's
  name (:meth:`TextCache.attempt`). Otherwise the entry is removed and the run reads the text.
- **It never fails a run.** A folder it cannot write, a full disk, a damaged or vanished entry: the run
  reads the text, and ``--verbose`` says why.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import AmigaHeatmapError
from ...pipeline import input_cache
from ...pipeline.input_cache import METADATA_KEY, SUFFIX, Digest, Request
from . import sql
from .failures import OtherEncoding

log = logging.getLogger("amiga_heatmap")

READER_PREFIX = "duckdb:"
"""Prefixed to the reader's name in an entry's key, apart from the pandas engine's entries of the file."""


RECORDED = frozenset({"source", "columns", "numbers", "present", "names", "decimal", "warnings"})
"""What an entry's record holds."""


class Retry(Exception):
    """The run is to be made again: an entry it read was stale or vanished, or the cache failed."""


@dataclass
class Entry:
    """The columns of one text table as Parquet at ``place``, described by ``record`` (its key-value
    metadata); ``sha256`` is the file's hash when it was read (None for this run's own, unpublished)."""

    place: Path
    record: dict[str, Any]
    sha256: str | None = None


@dataclass
class Fill:
    """A text table's columns that this run writes into the cache: the rows of ``select`` go to
    ``temporary`` and, once published, to ``KEY-SHA256.cache`` next to ``place`` (``KEY.cache``)."""

    path: str
    place: Path
    temporary: Path
    request: Request
    before: tuple[int, int, int] | None
    record: dict[str, Any] = field(default_factory=dict)
    select: str = ""

    def describe(self, select: str, names: list[str], held: list[str], decimal: str,
                 caught: list[list[str]]) -> None:
        """Set what is written (``select``) and recorded: the header's ``names``, the columns ``held``,
        the ``decimal`` mark and the warnings ``caught`` while the file was read."""
        self.select = select
        self.record = {
            "source": str(Path(self.path).resolve()), "engine": "duckdb",
            "columns": None if self.request.columns is None else sorted(self.request.columns), "numbers": [],
            "present": held, "names": names, "decimal": decimal, "warnings": caught,
        }

    def statement(self) -> str:
        """The ``COPY`` writing the rows, zstd-compressed, with the record as key-value metadata."""
        metadata = f"{{{sql.text(METADATA_KEY.decode())}: {sql.text(json.dumps(self.record))}}}"
        return (f"COPY ({self.select}) TO {sql.text(self.temporary)} "
                f"(FORMAT parquet, COMPRESSION zstd, KV_METADATA {metadata})")


class TextCache:
    """The cache as one run of the engine uses it, across its attempts (a file found in another encoding,
    an entry found stale) and the later reading of its replicates."""

    def __init__(self) -> None:
        self._places: dict[str, Path | None] = {}  # each file's KEY.cache (None: not cached)
        self._digests: dict[str, Digest] = {}
        self._states: dict[str, tuple[int, int, int] | None] = {}  # each file's before it was hashed and read
        self._refused: set[str] = set()  # files whose entries this run does not serve
        self._served: dict[str, Entry] = {}  # served in the current attempt
        self._checked: set[Path] = set()  # entries whose hash matched the file's
        self._own: dict[str, Entry] = {}  # written by this run
        self._fills: dict[str, Fill] = {}  # this run's, written, not yet published
        self._caught: dict[str, list[list[str]]] = {}  # the warnings reading each file gave
        self._making: set[str] = set()  # files whose entry the current attempt writes
        self._writing = True
        self._enabled = True

    # ------------------------------------------------------------------------------------ lookups

    def entry(self, path: str, reader: str, request: Request) -> Entry | None:
        """The entry holding the columns of ``request`` for the text file ``path`` (read by ``reader``):
        this run's own, or one for the file as it is now, its hash checked when the attempt ends.
        Shows the warnings recorded with it."""
        own = self._own.get(path)
        if own is not None and request.served_by(own.record):
            self._served[path] = own
            return own
        if not self._enabled or path in self._refused:
            return None
        place = self._place(path, reader)
        if place is None:
            return None
        for entry in _published(place):
            if request.served_by(entry.record):
                self._served[path] = entry
                input_cache.mark_used(entry.place)
                for category, message in entry.record["warnings"]:
                    warnings.warn(message, input_cache.warning_category(category), stacklevel=2)
                return entry
        return None

    def fill(self, path: str, reader: str, request: Request) -> Fill | None:
        """A new entry for the text file ``path`` to be written with the columns of ``request`` and of
        the file's older entry; None when it is not to be cached."""
        if not (self._writing and self._enabled) or path in self._making:  # a file given twice: written once
            return None
        place = self._place(path, reader)
        if place is None:
            return None
        older = next(iter(_published(place)), None)
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            log.info("not caching %s: %s", path, error)
            return None
        temporary = place.parent / f".{place.stem}.{uuid.uuid4().hex[:12]}.part"
        self._making.add(path)
        return Fill(path, place, temporary, request.widened(older.record if older else None), self._states[path])

    def _place(self, path: str, reader: str) -> Path | None:
        """``KEY.cache`` for ``path`` (as the file was first looked at in this run), and its hash begun;
        None when it is not cached."""
        if path not in self._places:
            self._states[path] = input_cache.file_state(Path(path))
            self._places[path] = place = input_cache.entry_path(Path(path), READER_PREFIX + reader)
            if place is not None:
                self._digests[path] = Digest(Path(path))
        return self._places[path]

    # ------------------------------------------------------------------------------------ writing

    @contextmanager
    def reading(self, path: str) -> Iterator[None]:
        """Record for the entry of ``path`` the warnings its reading gives (shown as they come)."""
        kept = self._caught.setdefault(path, [])
        caught: list[list[str]] = []
        try:
            with _shown_and_recorded() as caught:
                yield
        finally:  # kept also when reading fails: a file read again in its own encoding warns no more
            kept.extend(warning for warning in caught if warning not in kept)

    def caught(self, path: str) -> list[list[str]]:
        """The warnings reading ``path`` gave so far in this run."""
        return list(self._caught.get(path, []))

    def write(self, fill: Fill, ask: Callable[[str], Any]) -> None:
        """Write ``fill`` with ``ask`` (the session's query runner); a temporary file is never left by a
        failure. A failure of the cache's own (not of reading) switches the cache off for this run and
        raises :class:`Retry`."""
        try:
            with self.reading(fill.path):
                ask(fill.statement())
        except BaseException as error:
            input_cache.remove_entry(fill.temporary)
            if isinstance(error, (AmigaHeatmapError, OtherEncoding)) or not isinstance(error, Exception):
                raise
            log.info("not caching %s, reading it again without the cache: %s", fill.path, error)
            self._enabled = False
            raise Retry(str(error)) from error
        self._fills[fill.path] = fill
        self._own[fill.path] = Entry(fill.temporary, fill.record)

    def publish(self) -> None:
        """Put this run's entries in place, each once its file's hash is known and if the file did not
        change while read (their temporary files are removed otherwise), and keep the cache within its
        bound. The run's later reads (of the replicates) use them but write none."""
        self._writing = False
        for path, fill in self._fills.items():
            digest = self._digests[path].value()
            if digest is None or input_cache.file_state(Path(path)) != fill.before:
                log.info("not caching %s: it changed while it was read, or could not be hashed", path)
                input_cache.remove_entry(fill.temporary)
                self._own.pop(path, None)
                continue
            final = fill.place.with_name(f"{fill.place.stem}-{digest}{SUFFIX}")
            try:
                os.replace(fill.temporary, final)
            except OSError as error:
                log.info("not caching %s: %s", path, error)
                input_cache.remove_entry(fill.temporary)
                self._own.pop(path, None)
                continue
            for older in _names(fill.place):
                if older != final:
                    input_cache.remove_entry(older)
            self._own[path] = Entry(final, fill.record, digest)
            self._checked.add(final)
            log.info("cached the columns read from %s in %s", path, final)
            input_cache.evict(final.parent, input_cache.size_limit(), keep=final)
        self._fills.clear()

    def discard(self) -> None:
        """Remove the temporary files of entries not published."""
        for fill in self._fills.values():
            input_cache.remove_entry(fill.temporary)
        self._fills.clear()

    # ----------------------------------------------------------------------------------- checking

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Hold back the warnings and the outcome of one attempt at the run until the hashes of the
        entries it read are compared with their files' (each waited for); :class:`Retry` when one is
        stale, or vanished during a failed attempt. Ctrl-C is let through at once.

        An attempt ending in :class:`Retry` (also the cache's own failure, from :meth:`write`) shows
        none of its warnings and keeps none of the entries it wrote: the next attempt reads those files
        again and gives their warnings itself."""
        failure: BaseException | None = None
        self._making.clear()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield
            except BaseException as error:  # noqa: BLE001 - held until the entries are checked, raised below
                failure = error
        try:
            if not isinstance(failure, KeyboardInterrupt) and not self._entries_hold(failed=failure is not None):
                failure = Retry("an entry read was stale or vanished")
        finally:
            self._served.clear()
        if isinstance(failure, Retry):
            for path in self._making:
                self._own.pop(path, None)
                fill = self._fills.pop(path, None)
                if fill is not None:
                    input_cache.remove_entry(fill.temporary)
            raise failure
        for warning in caught:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        if failure is not None:
            raise failure

    def _entries_hold(self, failed: bool) -> bool:
        """Whether every entry served in this attempt is the file's (and, after a failure, still there);
        those that are not are refused for the rest of the run (and removed when stale)."""
        holding = True
        for path, entry in self._served.items():
            if failed and not entry.place.exists():
                log.info("the cache entry %s of %s vanished while it was read; reading the file", entry.place, path)
                self._own.pop(path, None)
                self._refused.add(path)
                holding = False
            elif entry.sha256 is not None and entry.place not in self._checked:
                if self._digests[path].value() == entry.sha256:
                    log.info("read %s from the cache (%s)", path, entry.place)
                    self._checked.add(entry.place)
                else:
                    log.info("the cache entry of %s is stale (the file's content changed); reading it again", path)
                    input_cache.remove_entry(entry.place)
                    self._refused.add(path)
                    holding = False
        return holding


def _names(place: Path) -> list[Path]:
    """The entries of the key of ``place`` (``KEY.cache``), the most recently used first."""
    found = []
    for entry in place.parent.glob(f"{place.stem}-*{SUFFIX}"):
        try:
            found.append((entry.stat().st_mtime_ns, entry))
        except OSError:
            continue
    return [entry for _, entry in sorted(found, reverse=True)]


def _published(place: Path) -> list[Entry]:
    """The readable entries of the key of ``place``, the most recently used first; damaged ones are removed."""
    import pyarrow as pa
    from pyarrow import parquet

    found = []
    for entry in _names(place):
        try:
            record = json.loads(parquet.read_schema(entry).metadata[METADATA_KEY])
            missing = RECORDED - set(record)
            if missing:
                raise KeyError(f"its record lacks {', '.join(sorted(missing))}")
            found.append(Entry(entry, record, entry.stem.rsplit("-", 1)[1]))
        except FileNotFoundError:
            continue
        except (OSError, KeyError, ValueError, TypeError, pa.ArrowException) as error:
            log.info("ignoring the damaged cache entry %s: %s", entry, error)
            input_cache.remove_entry(entry)
    return found


@contextmanager
def _shown_and_recorded() -> Iterator[list[list[str]]]:
    """The warnings given inside, as ``[category, message]`` for an entry's record; shown as well,
    also when what is inside fails."""
    recorded: list[list[str]] = []
    given: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield recorded
            finally:
                given = list(caught)
                recorded.extend(input_cache.recorded_warning(warning) for warning in given)
    finally:
        for warning in given:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
