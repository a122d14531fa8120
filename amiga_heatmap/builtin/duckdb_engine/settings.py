"""The ``duckdb`` engine's settings (``--engine-option KEY=VALUE``) and the DuckDB connection they
configure.

- ``memory_limit``: the most memory DuckDB may hold before it spills to disk, e.g. ``2GB`` (default:
  :data:`DEFAULT_MEMORY`, 1 GiB, or half of the machine's memory or of the container's limit when that
  is less). 1 GiB holds the running totals of millions of cells and spills the rest, so a screen of
  10^8 wells is drawn in under 2 GB in all; a larger limit spills less and is somewhat faster on such
  screens (docs/performance.md, "10^8 wells from Parquet").
- ``threads``: how many threads DuckDB uses (default: one per core).
- ``temp_directory``: the folder DuckDB spills to. The engine always works in a folder of its own,
  made under the system's temporary folder (or under this one) and removed when the run ends, even when
  it is interrupted; never in the input's folder.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ...errors import UsageError
from ...options.declaration import Option

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

DEFAULT_MEMORY = 1 << 30
"""The memory DuckDB may use when ``memory_limit`` is not given (on a machine with at least twice as much)."""
MEMORY_SHARE = 0.5
"""The largest share of the machine's memory DuckDB may use when ``memory_limit`` is not given."""
MINIMUM_MEMORY = 64 << 20
"""The smallest ``memory_limit`` accepted: below it DuckDB cannot run a group-by at all."""
UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
         "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
MEMORY_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")
FOLDER_PREFIX = "amiga-heatmap-duckdb-"
CGROUP_LIMIT = "/sys/fs/cgroup/memory.max"


def memory_bytes(label: str, value: object) -> int:
    """``value`` (``2GB``, ``512MiB``, ``1.5GB``; a number alone is bytes) as a number of bytes; UsageError
    naming ``label`` for anything else or less than :data:`MINIMUM_MEMORY`."""
    found = MEMORY_TEXT.match(str(value))
    unit = found.group(2).lower() if found else None
    if found is None or unit not in UNITS:
        raise UsageError(
            f"{label}={value!r} is not an amount of memory; write a number and a unit, e.g. 2GB, 512MB or "
            "1.5GiB."
        )
    amount = int(float(found.group(1)) * UNITS[unit])
    if amount < MINIMUM_MEMORY:
        raise UsageError(f"{label}={value!r} is too little for DuckDB to aggregate anything; give at least 64MB.")
    return amount


def thread_count(label: str, value: object) -> int:
    """``value`` as a whole number of threads, at least 1; UsageError naming ``label`` otherwise."""
    try:
        threads = int(str(value))
    except ValueError:
        threads = 0
    if threads < 1:
        raise UsageError(f"{label}={value!r} is not a number of threads; give a whole number of at least 1, e.g. 2.")
    return threads


def spill_folder(label: str, value: object) -> str:
    """``value`` as an existing, writable folder; UsageError naming ``label`` otherwise."""
    folder = os.path.abspath(os.path.expanduser(str(value)))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            f"{label}={value!r} is not a folder amiga-heatmap can write to; give an existing folder with room "
            "for the data DuckDB spills, or leave the setting out to use the system's temporary folder."
        )
    return folder


SETTINGS = (
    Option("memory_limit", "the most memory DuckDB may use before spilling to disk, e.g. 2GB (default: 1GiB, "
           "or half of the machine's memory if less)", check=memory_bytes, reads="engine duckdb"),
    Option("threads", "how many threads DuckDB uses (default: one per core)", check=thread_count,
           reads="engine duckdb"),
    Option("temp_directory", "the folder DuckDB spills to (default: the system's temporary folder); a folder "
           "of the run's own is made in it and removed afterwards", check=spill_folder, reads="engine duckdb"),
)


def default_memory_limit() -> int:
    """:data:`DEFAULT_MEMORY`, or :data:`MEMORY_SHARE` of the machine's memory (or of the container's limit)
    when that is less."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        with open(CGROUP_LIMIT, encoding="ascii") as handle:
            limit = handle.read().strip()
        if limit.isdigit():
            total = min(total, int(limit))
    except OSError:
        pass
    return max(MINIMUM_MEMORY, min(DEFAULT_MEMORY, int(total * MEMORY_SHARE)))


@contextmanager
def work_folder(settings: Mapping[str, Any]) -> Iterator[str]:
    """A new, private folder for the run's spilled data and transcoded copies, under
    ``temp_directory`` or the system's temporary folder; removed with everything in it on leaving,
    whatever happens."""
    folder = tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=settings.get("temp_directory"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def connect(settings: Mapping[str, Any], folder: str,
            database: str = ":memory:") -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
    """A DuckDB database bounded by ``settings`` (memory limit, threads), spilling into ``folder``, and
    the cursor to work through: a query runs on the cursor in a worker thread while the main thread
    asks the same cursor for its progress or interrupts it (DuckDB refuses a second call on a
    connection that is busy, but not on its cursor). DuckDB tracks progress without printing it: the
    engine draws its own line on standard error."""
    import duckdb

    memory = settings.get("memory_limit") or default_memory_limit()
    config = {
        "memory_limit": f"{max(1, memory >> 20)}MiB",
        "temp_directory": folder,
        "preserve_insertion_order": True,
    }
    if settings.get("threads"):
        config["threads"] = int(settings["threads"])
    connection = duckdb.connect(database, config=config)
    cursor = connection.cursor()
    cursor.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    return connection, cursor
