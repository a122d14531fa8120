"""The dask engine's settings, from ``--engine-option KEY=VALUE`` (``engine_options`` in Python) and the
environment:

- ``scheduler``: the address of a running Dask scheduler, ``tcp://HOST:PORT`` (default: the
  ``DASK_SCHEDULER_ADDRESS`` environment variable; neither: a local cluster);
- ``workers``: how many worker processes a local cluster starts (default 2; ignored with a scheduler);
- ``blocksize``: how many bytes of a text file one partition holds (default 64 MB; a plain number of
  bytes, or with ``kB``, ``MB`` or ``GB``).

The core checks ``--engine-option`` against :data:`SETTINGS` before any data is read; checking
imports nothing heavy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from amiga_heatmap.errors import UsageError, shortened
from amiga_heatmap.options.declaration import Option

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
DEFAULT_WORKERS = 2
DEFAULT_BLOCKSIZE = 64 * 2**20
ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")
SIZE = re.compile(r"^\s*(\d+)\s*(|b|kb|mb|gb)\s*$", re.IGNORECASE)
UNITS = {"": 1, "b": 1, "kb": 2**10, "mb": 2**20, "gb": 2**30}


def scheduler_address(label: str, value: object) -> str:
    """``value`` as a scheduler address ``tcp://HOST:PORT``; UsageError for anything else."""
    address = str(value).strip()
    _check_address(address, f"{label}={address}")
    return address


def worker_count(label: str, value: object) -> int:
    """``value`` as a whole number of local workers, at least 1; UsageError otherwise."""
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise UsageError(
            f"The dask engine's workers must be a whole number of at least 1, e.g. workers=2, not {shortened(text)!r}."
        )
    return int(text)


def block_bytes(label: str, value: object) -> int:
    """``value`` (``64MB``, ``1000000``) as a number of bytes, more than 0; UsageError otherwise."""
    size = SIZE.match(str(value))
    if not size or int(size.group(1)) == 0:
        raise UsageError(
            f"The dask engine's blocksize must be a positive number of bytes, e.g. 64MB or 1000000, "
            f"not {shortened(str(value))!r}."
        )
    return int(size.group(1)) * UNITS[size.group(2).lower()]


SETTINGS = (
    Option("scheduler", "a running Dask scheduler to use, tcp://HOST:PORT (default: DASK_SCHEDULER_ADDRESS; "
           "neither: a local cluster)", check=scheduler_address, reads="engine dask"),
    Option("workers", f"worker processes of the local cluster (default {DEFAULT_WORKERS})", check=worker_count,
           reads="engine dask"),
    Option("blocksize", "bytes of a text file per partition, e.g. 64MB (the default)", check=block_bytes,
           reads="engine dask"),
)
"""The settings the engine declares; the core checks ``--engine-option`` against them before reading."""


@dataclass(frozen=True)
class DaskSettings:
    """The settings of a run: ``scheduler`` (None: a local cluster) and where it came from (``source``,
    for messages), ``workers`` and ``blocksize``."""

    scheduler: str | None = None
    source: str = ""
    workers: int = DEFAULT_WORKERS
    blocksize: int = DEFAULT_BLOCKSIZE

    @classmethod
    def of(cls, options: Mapping[str, object], environment: Mapping[str, str] = os.environ) -> DaskSettings:
        """The settings of the checked engine options ``options`` (``run.engine_options``) and the
        environment; UsageError for a malformed ``DASK_SCHEDULER_ADDRESS``."""
        if options.get("scheduler"):
            scheduler, source = str(options["scheduler"]), f"--engine-option scheduler={options['scheduler']}"
        elif environment.get(SCHEDULER_VARIABLE):
            scheduler = environment[SCHEDULER_VARIABLE]
            source = f"the environment variable {SCHEDULER_VARIABLE}={scheduler}"
            _check_address(scheduler, source)
        else:
            scheduler, source = None, ""
        return cls(scheduler, source, int(options.get("workers", DEFAULT_WORKERS)),
                   int(options.get("blocksize", DEFAULT_BLOCKSIZE)))


def _check_address(scheduler: str, source: str) -> None:
    if not ADDRESS.match(scheduler):
        raise UsageError(
            f"The Dask scheduler address {shortened(scheduler)!r} (from {shortened(source, 120)}) is not of "
            "the form tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786 (what 'dask scheduler' prints)."
        )
