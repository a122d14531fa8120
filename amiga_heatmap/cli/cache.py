"""``amiga-heatmap cache info|clear``: what the parsed-input cache holds, and emptying it
(:mod:`amiga_heatmap.pipeline.input_cache`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..options.sections import GENERAL
from .commands import main, option, report, reports_errors
from .help import SectionedCommand

ENTRIES_SHOWN = 10


@main.command(
    "cache",
    cls=SectionedCommand,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="A run with --no-cache neither reads nor fills the cache.",
)
@click.argument("action", type=click.Choice(["info", "clear"]), metavar="info|clear")
@option("--verbose", is_flag=True, section=GENERAL, help="Show tracebacks on errors.")
@reports_errors
def cache_command(action: str, verbose: bool) -> None:
    """Show (info) or empty (clear) the parsed-input cache: the columns runs read from text summaries,
    kept as Parquet so that the next run on the same, unchanged file skips parsing, and the SHA-256 of
    input files, remembered so that an unchanged file is not hashed again.

    \b
    The folder is $AMIGA_HEATMAP_CACHE_DIR/parsed-inputs, or the user's cache folder;
    $AMIGA_HEATMAP_CACHE_SIZE bounds it (default 2GB; 0 stores nothing).
    """
    from ..output.known_hashes import SUFFIX, forget_all, hashes_folder
    from ..pipeline.input_cache import DEFAULT_LIMIT, cache_folder, clear, entries, size_limit

    folder = cache_folder()
    limit = size_limit()
    hashes = hashes_folder()
    if action == "clear":
        count, size = clear(folder) if folder.is_dir() else (0, 0)
        forgotten = forget_all(hashes) if hashes.is_dir() else 0
        report(f"Removed {count} cache entries ({_size(size)}) from {folder}, and {forgotten} remembered "
               f"file hashes.")
        return
    found = entries(folder) if folder.is_dir() else []
    bound = "set by AMIGA_HEATMAP_CACHE_SIZE" if limit != DEFAULT_LIMIT else "the default"
    total = _size(sum(size for _, size, _ in found))
    lines = [f"Cache folder: {folder}", f"Entries: {len(found)}, {total} of at most {_size(limit)} ({bound})."]
    newest = list(reversed(found))[:ENTRIES_SHOWN]
    if newest:
        lines.append("Used most recently:")
        lines.extend(f"  {_size(size):>9}  {_described(place)}" for place, size, _ in newest)
    if len(found) > ENTRIES_SHOWN:
        lines.append(f"  and {len(found) - ENTRIES_SHOWN} more")
    remembered = len(list(hashes.glob("*" + SUFFIX))) if hashes.is_dir() else 0
    lines.append(f"Remembered file hashes: {remembered} (in {hashes}).")
    report("\n".join(lines))


def _described(place: Path) -> str:
    """An entry as ``cache info`` lists it: its summary file and its engine."""
    from ..pipeline.input_cache import described_entry

    described = described_entry(place)
    return "(unreadable entry)" if described is None else f"{described[0]} ({described[1]} engine)"


def _size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"
