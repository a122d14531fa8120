"""The SHA-256 of input files remembered from one run to the next, so that a screen drawn again is not
read whole again only to hash it (a 13 GB Parquet screen takes 12 s of a core to hash; the provenance
record and the parsed-input cache both need the hash).

- **Keyed by the file's state**: its resolved path, size, inode, and modification and change times.
  The change time is set by the system on every write and on every change of the other times, and no
  program can set it back; so a file whose state matches holds the content that was hashed. (git
  trusts its index on the same file data.) A hash is remembered only when it began
  :data:`~amiga_heatmap.output.provenance.SETTLED_SECONDS` after the file's last change, since a second
  change within the file system's clock tick would keep the times.
- **Where**: ``file-hashes`` beside the parsed-input cache's ``parsed-inputs`` folder
  (:func:`~amiga_heatmap.pipeline.input_cache.cache_folder`), one small file per input state, at most
  :data:`MOST_ENTRIES` of them (those written longest ago are removed); ``amiga-heatmap cache clear``
  removes them all. Nothing is remembered or looked up with ``--no-cache`` or
  ``AMIGA_HEATMAP_CACHE_SIZE=0``.
- **Never fails a run**: a folder that cannot be written or an unreadable entry only means hashing the
  file (``--verbose`` says why).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger("amiga_heatmap")

FOLDER = "file-hashes"
SUFFIX = ".sha256"
MOST_ENTRIES = 1000
"""How many input states are remembered (a few hundred bytes each)."""

FileState = tuple[str, int, int, int, int]
"""The resolved path, size, inode, modification and change time (nanoseconds) of a file."""


def hashes_folder() -> Path:
    """The folder of the remembered hashes (not created here)."""
    from ..pipeline.input_cache import cache_folder

    return cache_folder().parent / FOLDER


def in_use() -> bool:
    """Whether hashes are remembered at all: not when the cache is set to store nothing."""
    from ..errors import UsageError
    from ..pipeline.input_cache import size_limit

    try:
        return size_limit() > 0
    except UsageError:  # a size that is no size: the cache reports it when it is used
        return False


def recalled(state: FileState) -> str | None:
    """The SHA-256 remembered for a file in ``state``, or None."""
    try:
        with open(_entry(state), encoding="utf-8") as handle:
            entry = json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.info("ignoring the remembered hash of %s: %s", state[0], error)
        return None
    if not isinstance(entry, dict) or entry.get("state") != list(state):
        return None
    digest = entry.get("sha256")
    return digest if isinstance(digest, str) and len(digest) == 64 else None


def remember(state: FileState, digest: str) -> None:
    """Keep ``digest`` as the SHA-256 of a file in ``state`` (written whole or not at all). Called from
    the threads that hash inputs, so not through :func:`~amiga_heatmap.output.files.write_atomically`,
    whose holding back of Ctrl-C is the whole process's and must stay the main thread's."""
    place = _entry(state)
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=place.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump({"state": list(state), "sha256": digest}, file)
            os.replace(temporary, place)
        except BaseException:
            os.unlink(temporary)
            raise
        _keep_newest(place.parent)
    except OSError as error:
        log.info("not remembering the hash of %s: %s", state[0], error)


def forget_all(folder: Path | None = None) -> int:
    """Remove every remembered hash (and files left by runs killed while writing one); how many."""
    folder = folder or hashes_folder()
    removed = 0
    for place in [*folder.glob("*" + SUFFIX), *folder.glob(".*.part")]:
        try:
            place.unlink()
        except OSError:
            continue
        removed += place.suffix == SUFFIX
    return removed


def _entry(state: FileState) -> Path:
    key = json.dumps(list(state)).encode("utf-8", "surrogateescape")
    return hashes_folder() / (hashlib.sha256(key).hexdigest()[:40] + SUFFIX)


def _keep_newest(folder: Path) -> None:
    """Remove the entries written longest ago beyond :data:`MOST_ENTRIES`."""
    places = list(folder.glob("*" + SUFFIX))
    if len(places) <= MOST_ENTRIES:
        return
    written = []
    for place in places:
        try:
            written.append((place.stat().st_mtime_ns, place))
        except OSError:
            continue
    for _, place in sorted(written)[:len(written) - MOST_ENTRIES]:
        try:
            place.unlink()
        except OSError:
            continue
