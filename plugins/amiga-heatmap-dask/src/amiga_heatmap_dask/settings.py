"""The dask engine's settings, from ``--engine-option KEY=VALUE`` (``engine_options`` in Python) and the
environment:

- ``scheduler``: the address of a running Dask scheduler, ``tcp://HOST:PORT`` (default: the
  ``DASK_SCHEDULER_ADDRESS`` environment variable; neither: a local cluster);
- ``workers``: how many worker processes a local cluster starts (default 2; ignored with a scheduler);
- ``blocksize``: how many bytes of a text file one partition holds (default 64 MB; a plain number of
  bytes, or with ``kB``, ``MB`` or ``GB``).

Checking them imports nothing heavy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from amiga_heatmap.errors import UsageError, known_list, shortened

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
DEFAULT_WORKERS = 2
DEFAULT_BLOCKSIZE = 64 * 2**20
ADDRESS = re.compile(r"^(tcp|tls)://[^\s/:]+:\d{1,5}$")
SIZE = re.compile(r"^\s*(\d+)\s*(|b|kb|mb|gb)\s*$", re.IGNORECASE)
UNITS = {"": 1, "b": 1, "kb": 2**10, "mb": 2**20, "gb": 2**30}
KNOWN = ("scheduler", "workers", "blocksize")


@dataclass(frozen=True)
class DaskSettings:
    """The checked settings: ``scheduler`` (None: a local cluster) and where it came from (``source``,
    for messages), ``workers`` and ``blocksize``."""

    scheduler: str | None = None
    source: str = ""
    workers: int = DEFAULT_WORKERS
    blocksize: int = DEFAULT_BLOCKSIZE

    @classmethod
    def of(cls, options: Mapping[str, str], environment: Mapping[str, str] = os.environ) -> DaskSettings:
        """The settings of the engine options ``options``; UsageError naming an unknown key or a bad value."""
        unknown = sorted(set(options) - set(KNOWN))
        if unknown:
            raise UsageError(
                f"The dask engine has no setting {shortened(unknown[0])!r} (given to --engine-option); its "
                f"settings are {known_list(KNOWN)}, e.g. --engine-option scheduler=tcp://10.0.0.5:8786."
            )
        if options.get("scheduler"):
            scheduler, source = options["scheduler"], f"--engine-option scheduler={options['scheduler']}"
        elif environment.get(SCHEDULER_VARIABLE):
            scheduler = environment[SCHEDULER_VARIABLE]
            source = f"the environment variable {SCHEDULER_VARIABLE}={scheduler}"
        else:
            scheduler, source = None, ""
        if scheduler is not None and not ADDRESS.match(scheduler):
            raise UsageError(
                f"The Dask scheduler address {shortened(scheduler)!r} (from {shortened(source, 120)}) is not of "
                "the form tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786 (what 'dask scheduler' prints)."
            )
        workers = _whole_number(options.get("workers"), "workers", DEFAULT_WORKERS)
        blocksize = DEFAULT_BLOCKSIZE
        if options.get("blocksize"):
            size = SIZE.match(options["blocksize"])
            if not size or int(size.group(1)) == 0:
                raise UsageError(
                    f"The dask engine's blocksize must be a positive number of bytes, e.g. 64MB or 1000000, "
                    f"not {shortened(options['blocksize'])!r}."
                )
            blocksize = int(size.group(1)) * UNITS[size.group(2).lower()]
        return cls(scheduler, source, workers, blocksize)


def _whole_number(text: str | None, key: str, default: int) -> int:
    if not text:
        return default
    if not text.strip().isdigit() or int(text) < 1:
        raise UsageError(
            f"The dask engine's {key} must be a whole number of at least 1, e.g. {key}=2, not {shortened(text)!r}."
        )
    return int(text)
