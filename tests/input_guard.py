"""Proof that no input is ever modified: hash the input files before a command runs and after.

``inputs_unchanged(args)`` wraps one command-line run: it hashes every file below the path given to
``-i/--input`` (and below the repository's examples/ folder) and, when the block ends, fails the test
if any of those files changed or disappeared. Files the run creates (its outputs) are not inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

INPUT_OPTIONS = ("-i", "--input")


def input_paths(args: Iterable[object]) -> list[Path]:
    """The paths given to -i/--input in a command line (``-i PATH``, ``--input PATH``, ``--input=PATH``)."""
    args = [str(arg) for arg in args]
    found = []
    for position, arg in enumerate(args):
        if arg in INPUT_OPTIONS and position + 1 < len(args):
            found.append(Path(args[position + 1]))
        elif arg.startswith("--input="):
            found.append(Path(arg.split("=", 1)[1]))
    return found


def fingerprints(roots: Iterable[Path]) -> dict[Path, str]:
    """SHA-256 of every regular file at or below ``roots`` (missing roots are skipped)."""
    hashes = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for file in files:
            if file.is_file() and not file.is_symlink():
                hashes[file] = hashlib.sha256(file.read_bytes()).hexdigest()
    return hashes


@contextmanager
def inputs_unchanged(roots: Iterable[Path]) -> Iterator[None]:
    """Fail, after the block, if a file that existed at or below ``roots`` before it changed or went."""
    roots = list(roots)
    before = fingerprints(roots)
    yield
    after = fingerprints(roots)
    changed = sorted(str(path) for path, digest in before.items() if after.get(path) != digest)
    assert not changed, f"input files were modified or deleted: {changed}"
