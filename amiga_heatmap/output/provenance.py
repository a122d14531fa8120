"""A record of how each output was made (``NAME.provenance.json``), and replaying it.

The record holds what a methods section or a reviewer needs to reproduce a figure: the command line and
the folder it ran in, the spec, every input file's path, size and SHA-256, the versions of amiga-heatmap,
its libraries and every plugin that was loaded, the engine, the plotted row and column order, each
clustered axis's tree as Newick, what each stage removed, and every file written with its SHA-256.
:func:`replay` runs the recorded command again into a temporary folder and compares what it writes with
the recorded hashes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import DataError
from .files import write_atomically

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from ..result import HeatmapResult

FORMAT = "amiga-heatmap provenance 1"
SUFFIX = ".provenance.json"
LIBRARIES = ("pandas", "numpy", "matplotlib", "seaborn", "scipy", "pluggy", "click", "pyarrow")
CHUNK = 1 << 20


def provenance_path(target: str | os.PathLike[str]) -> Path:
    """Where the record of ``target`` goes: ``figures/ER.pdf`` -> ``figures/ER.provenance.json``."""
    target = Path(target)
    return target.with_name(target.stem + SUFFIX)


def sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of the file at ``path``, in hexadecimal."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


_DIGESTS: dict[tuple[str, int, int, int, int], str] = {}
_HASHING: dict[tuple[str, int, int, int, int], threading.Lock] = {}
_DIGESTS_LOCK = threading.Lock()
SETTLED_SECONDS = 2.0
"""A hash is remembered only when it began this long after the file was last changed: a change in the
same clock tick as an earlier one leaves the times as they were, but not two seconds later."""


def shared_sha256(path: str | os.PathLike[str], remember: bool = True) -> str:
    """:func:`sha256` of ``path``, computed once per process for one state of the file, so that the
    provenance record and the parsed-input cache (:mod:`amiga_heatmap.pipeline.input_cache`) share one
    hash; a caller asking while another thread hashes the file waits for that hash. With ``remember``,
    also kept from one run to the next (:mod:`.known_hashes`), unless the cache stores nothing.

    A state is the resolved path, size, inode, and modification and change times (writing the file or
    setting its times changes the change time). A hash that began within :data:`SETTLED_SECONDS` of the
    file's last change is not remembered, since a second change within the file system's clock tick
    would keep those times."""
    import time

    from . import known_hashes

    status = os.stat(path)
    key = (os.path.realpath(path), status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
    with _DIGESTS_LOCK:
        if key in _DIGESTS:
            return _DIGESTS[key]
        lock = _HASHING.setdefault(key, threading.Lock())
    with lock:
        with _DIGESTS_LOCK:
            if key in _DIGESTS:
                return _DIGESTS[key]
        remember = remember and known_hashes.in_use()
        digest = known_hashes.recalled(key) if remember else None
        settled = digest is not None
        if digest is None:
            started = time.time()
            digest = sha256(path)
            settled = started - max(status.st_mtime, status.st_ctime) > SETTLED_SECONDS
            if settled and remember:
                known_hashes.remember(key, digest)
        with _DIGESTS_LOCK:
            _HASHING.pop(key, None)
            if settled:
                _DIGESTS[key] = digest
    return digest


def file_record(path: str | os.PathLike[str], digest: str | None = None) -> dict[str, Any]:
    """``{"path", "size", "sha256"}`` of one file (the path absolute); ``digest`` when already known."""
    path = Path(path)
    return {"path": str(path.resolve()), "size": path.stat().st_size, "sha256": digest or sha256(path)}


class InputHashes:
    """The SHA-256 of the input files, computed in a background thread while the run reads and draws
    (hashlib releases the GIL on large blocks, and the files are in the page cache after reading), so
    that the record costs a 1.5-million-well run almost no time, or recalled from an earlier run
    (``remember``, see :func:`shared_sha256`). :meth:`records` waits for them. The thread is a daemon: a
    run that fails or is interrupted never waits for it."""

    def __init__(self, files: Sequence[Path], remember: bool = True):
        self.files, self.remember = list(files), remember
        self._digests: dict[Path, str | None] = {}
        self._thread = threading.Thread(target=self._hash_all, name="amiga-heatmap-hash", daemon=True)
        self._thread.start()

    def _hash_all(self) -> None:
        for file in self.files:
            try:
                self._digests[file] = shared_sha256(file, self.remember)
            except OSError:  # gone or unreadable since it was read: recorded without a hash
                self._digests[file] = None

    def records(self) -> list[dict[str, Any]]:
        """``file_record`` of every input, in order, once every hash is done (``sha256`` and ``size``
        None for a file that could not be read again)."""
        self._thread.join()
        return [
            file_record(file, digest) if digest else {"path": str(Path(file).resolve()), "size": None,
                                                      "sha256": None}
            for file, digest in ((file, self._digests[file]) for file in self.files)
        ]


def provenance_record(
    result: HeatmapResult, command_line: Sequence[str], inputs: InputHashes, outputs: Sequence[str | Path]
) -> dict[str, Any]:
    """The record of one run: ``result`` drawn by ``command_line`` (the arguments after the program name)
    from the ``inputs`` being hashed into ``outputs``. Plain JSON data."""
    plugins = result._plugin_set()
    return {
        "format": FORMAT,
        "command_line": ["amiga-heatmap", *command_line],
        "working_folder": os.getcwd(),
        "versions": {
            "amiga-heatmap": __version__,
            "python": platform.python_version(),
            **{name: _version(name) for name in LIBRARIES},
        },
        "plugins": [
            {"name": name, "version": info.version, "source": info.source, "origin": info.origin}
            for name, info in plugins.info.items()
        ],
        "spec": _plain(dataclasses.asdict(result.spec)) if result.spec is not None else None,
        "engine": result.cell_table.engine if result.cell_table is not None else None,
        "inputs": inputs.records(),
        "rows": [str(label) for label in result.matrix.index],
        "columns": [str(label) for label in result.matrix.columns],
        "row_tree": newick(result.row_linkage, result.matrix.index),
        "column_tree": newick(result.column_linkage, result.matrix.columns),
        "stages": [dataclasses.asdict(record) for record in result.stage_log],
        "transforms": list(result.transforms),
        "outputs": [file_record(path) for path in outputs],
    }


def write_provenance(target: str | os.PathLike[str], record: dict[str, Any]) -> Path:
    """Write ``record`` atomically beside ``target`` (see :func:`provenance_path`); return its path."""
    path = provenance_path(target)
    record = _unicode(record)

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=1, ensure_ascii=False)
            handle.write("\n")

    write_atomically(path, write)
    return path


def read_provenance(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The record stored at ``path``. Raises DataError for a file that is not a provenance record."""
    try:
        with open(path, encoding="utf-8") as handle:
            record = json.load(handle)
    except FileNotFoundError as error:
        raise DataError(f"The provenance record {str(path)!r} does not exist.") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(f"{str(path)!r} is not a provenance record amiga-heatmap wrote: {error}.") from error
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise DataError(
            f"{str(path)!r} is not a provenance record amiga-heatmap wrote (no \"format\": {FORMAT!r})."
        )
    return record


@dataclass(frozen=True)
class Replayed:
    """The outcome of :func:`replay`: inputs whose content changed since the record, and for each
    recorded output whether the replay wrote it identically."""

    changed_inputs: tuple[str, ...]
    identical: dict[str, bool]

    @property
    def reproduced(self) -> bool:
        """True when every output came out byte for byte as recorded."""
        return all(self.identical.values()) and bool(self.identical)


def replay(record: dict[str, Any], folder: Path) -> Replayed:
    """Run the recorded command again, writing into ``folder`` (never over the recorded outputs), and
    compare each output with its recorded SHA-256. Inputs are checked against their recorded hashes
    first; a changed input is reported, not refused (the replay shows the effect)."""
    from click.testing import CliRunner

    from ..cli import main

    changed = tuple(
        entry["path"] for entry in record["inputs"]
        if not Path(entry["path"]).is_file() or sha256(entry["path"]) != entry["sha256"]
    )
    arguments = _without_output_folder(record["command_line"][1:]) + ["--output-dir", str(folder),
                                                                    "--no-provenance"]
    working = record.get("working_folder")
    previous = os.getcwd()
    if working and os.path.isdir(working):
        os.chdir(working)
    try:
        outcome = CliRunner().invoke(main, arguments, catch_exceptions=False)
    finally:
        os.chdir(previous)
    if outcome.exit_code != 0:
        raise DataError(
            f"The replayed command failed (exit status {outcome.exit_code}): {outcome.stderr.strip()}"
        )
    identical = {}
    for entry in record["outputs"]:
        again = folder / Path(entry["path"]).name
        identical[entry["path"]] = again.is_file() and sha256(again) == entry["sha256"]
    return Replayed(changed, identical)


def _without_output_folder(arguments: list[str]) -> list[str]:
    """``arguments`` without ``--output-dir DIR`` (or ``--output-dir=DIR``) and ``--no-provenance``."""
    kept: list[str] = []
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--output-dir":
            skip = True
        elif not argument.startswith("--output-dir=") and argument != "--no-provenance":
            kept.append(argument)
    return kept


def _unicode(value: Any) -> Any:
    """``value`` with every text that holds surrogate escapes (arguments and file names under an ASCII
    locale) turned back into the characters its bytes spell in UTF-8, escaping bytes that spell none."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return os.fsencode(value).decode("utf-8", "backslashreplace")
        return value
    if isinstance(value, dict):
        return {_unicode(key): _unicode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unicode(item) for item in value]
    return value


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _plain(value: Any) -> Any:
    """``value`` with paths as text and mappings and tuples as JSON objects and lists."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def newick(linkage: np.ndarray | None, plotted: Sequence[object]) -> str | None:
    """The tree of a clustered axis as Newick with branch lengths, built without recursion (trees of
    thousands of labels are deep); None for an axis not clustered. ``plotted`` are the axis's labels
    in plotted order, which is the linkage's leaf order."""
    if linkage is None:
        return None
    from scipy.cluster.hierarchy import leaves_list

    labels: list[object] = [None] * len(plotted)
    for position, leaf in enumerate(leaves_list(linkage)):
        labels[leaf] = plotted[position]
    texts = [_newick_label(label) for label in labels]
    heights = [0.0] * len(labels)
    for left, right, distance, _ in linkage:
        left, right = int(left), int(right)
        texts.append(
            f"({texts[left]}:{distance - heights[left]:.6g},{texts[right]}:{distance - heights[right]:.6g})"
        )
        heights.append(float(distance))
    return texts[-1] + ";"


def _newick_label(label: object) -> str:
    text = str(label)
    if any(character in text for character in " ,:;()[]'\t\n"):
        return "'" + text.replace("'", "''") + "'"
    return text
