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
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

log = logging.getLogger("amiga_heatmap")

MANIFEST = ".amiga-heatmap-outputs"
NAMED_OUTPUTS = ("*_filtered.txt", "*_x_legend.*", "*_y_legend.*")
HEADER = "# Files written by amiga-heatmap in this folder (sha256, name); folder inputs skip them.\n"
CHUNK = 1 << 20


def record_output(path: str | os.PathLike[str]) -> None:
    """Add (or update) ``path`` in its folder's manifest. Never raises: a manifest that cannot be
    written only loses the content mark (the name mark still works), and says so under --verbose."""
    path = Path(path)
    try:
        entries = {
            name: digest
            for name, digest in _read_manifest(path.parent).items()
            if (path.parent / name).exists()
        }
        entries[path.name] = file_hash(path)
        _write_manifest(path.parent, entries)
    except OSError as error:
        log.info("could not record %s in %s: %s", path, MANIFEST, error)


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
            f"{', '.join(by_name[:5])}{' ...' if len(by_name) > 5 else ''}. To read such a file, give it "
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
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        digest, name = line.split("\t", 1)
        entries[name] = digest
    return entries


def _write_manifest(folder: Path, entries: dict[str, str]) -> None:
    """Replace the manifest in one step (a temporary file renamed over it)."""
    handle, temporary = tempfile.mkstemp(prefix=MANIFEST + ".", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(HEADER)
            for name in sorted(entries):
                out.write(f"{entries[name]}\t{name}\n")
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, folder / MANIFEST)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
