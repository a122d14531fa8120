"""Recognising the files amiga-heatmap wrote, so that a later run on the same folder never reads them
back as summary input (a filtered table read back would double every replicate).

Two independent marks, either of which is enough:

- **The manifest.** Every file written through :func:`amiga_heatmap.output.files.write_atomically` is recorded
  in a hidden file ``.amiga-heatmap-outputs`` in its folder: one line per output, its SHA-256 and its
  name. A folder search skips a file listed there whose content still has that hash; if the user
  replaced the file with other content, it is read again.
- **The name.** Outputs whose names we choose, ``*_filtered.txt`` (``--save-filtered-table``) and
  ``*_x_legend.*`` / ``*_y_legend.*``, are skipped even without a manifest (e.g. after copying the
  files elsewhere), with a warning that says how to read such a file anyway.

A file given directly to ``-i`` is always read: only folder searches skip.

The manifest is updated under an exclusive lock on its folder (``fcntl.flock``), read, changed and
replaced in one step, so that runs writing into one folder at once lose none of each other's entries.
Names are stored as the file system's bytes, so that any name (``résumé.pdf``, in any locale) is
recorded exactly; a manifest that is not a regular file, or larger than :data:`MANIFEST_LIMIT`, is
ignored.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import logging
import os
import re
import stat
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..errors import listed

try:
    import fcntl
except ImportError:  # pragma: no cover  (Windows: no locking)
    fcntl = None

log = logging.getLogger("amiga_heatmap")

MANIFEST = ".amiga-heatmap-outputs"
NAMED_OUTPUTS = ("*_filtered.txt", "*_x_legend.*", "*_y_legend.*")
HEADER = b"# Files written by amiga-heatmap in this folder (sha256, name); folder inputs skip them.\n"
CHUNK = 1 << 20
_DIGEST = re.compile(rb"[0-9a-f]{64}")
MANIFEST_LIMIT = 16 << 20
"""Bytes: a larger manifest is not one of ours (about 160,000 entries fit)."""


def record_output(path: str | os.PathLike[str]) -> None:
    """Add (or update) ``path`` in its folder's manifest. Never raises: a manifest that cannot be
    written only loses the content mark (the name mark still works), and says so under --verbose."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if "\n" in path.name:
        log.info("not recorded in %s: the name %r holds a line break", MANIFEST, path.name)
        return
    try:
        digest = file_hash(path)
        with _locked(folder):
            entries = {name: sha for name, sha in _read_manifest(folder).items() if (folder / name).exists()}
            entries[path.name] = digest
            _write_manifest(folder, entries)
    except OSError as error:
        log.info("could not record %s in %s: %s", path, MANIFEST, error)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (its own inode, so no lock file is left behind) while the
    block runs; other runs recording into the folder wait. Without locking (no ``fcntl``, or a folder
    that cannot be opened for reading) the block runs unlocked."""
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        log.info("cannot lock %s (%s); recording without the lock", folder, error)
        yield
        return
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def own_output_reason(path: str | os.PathLike[str], manifest: dict[str, str] | None = None) -> str | None:
    """Why ``path`` is an output of ours (a sentence), or None when it is not.

    ``manifest`` is the folder's manifest as read by :func:`_read_manifest` (read here when None).
    """
    path = Path(path)
    for pattern in NAMED_OUTPUTS:
        if fnmatch.fnmatchcase(path.name, pattern):
            return f"its name matches {pattern}, the name amiga-heatmap gives its own outputs"
    entries = _read_manifest(path.parent) if manifest is None else manifest
    recorded = entries.get(path.name)
    if recorded is not None and recorded == file_hash(path):
        return f"amiga-heatmap wrote it (listed in {MANIFEST})"
    return None


def skip_own_outputs(files: list[Path]) -> list[Path]:
    """``files`` (found by a folder search) without our own outputs; each skipped file is logged, and
    files recognised by name only are also reported in one warning."""
    manifests: dict[Path, dict[str, str]] = {}
    kept: list[Path] = []
    by_name: list[str] = []
    for file in files:
        if file.parent not in manifests:
            manifests[file.parent] = _read_manifest(file.parent)
        reason = own_output_reason(file, manifests[file.parent])
        if reason is None:
            kept.append(file)
            continue
        log.info("skipped %s: %s", file, reason)
        if file.name not in manifests[file.parent]:
            by_name.append(str(file))
    if by_name:
        warnings.warn(
            f"Skipped {len(by_name)} file(s) whose names mark them as amiga-heatmap outputs: "
            f"{listed(by_name)}. To read such a file, give it "
            "to -i directly or rename it.",
            stacklevel=3,
        )
    return kept


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict[str, str]:
    """The manifest of ``folder`` as ``{name: sha256}``; empty when there is none or it is not ours (not
    a regular file, or too large)."""
    try:  # non-blocking, so that a FIFO in the manifest's place cannot hang the run
        handle = os.open(folder / MANIFEST, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return {}
    try:
        with open(handle, "rb", closefd=True) as manifest:
            if not stat.S_ISREG(os.fstat(manifest.fileno()).st_mode):
                return {}
            data = manifest.read(MANIFEST_LIMIT + 1)
    except OSError:
        return {}
    if len(data) > MANIFEST_LIMIT:
        return {}
    entries: dict[str, str] = {}
    for line in data.split(b"\n"):
        digest, tab, name = line.partition(b"\t")
        if tab and _DIGEST.fullmatch(digest) and name:
            entries[os.fsdecode(name)] = digest.decode("ascii")
    return entries


def _write_manifest(folder: Path, entries: dict[str, str]) -> None:
    """Replace the manifest in one step (a temporary file renamed over it)."""
    handle, temporary = tempfile.mkstemp(prefix=MANIFEST + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(HEADER)
            for name in sorted(entries):
                out.write(entries[name].encode("ascii") + b"\t" + os.fsencode(name) + b"\n")
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, folder / MANIFEST)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
