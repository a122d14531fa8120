"""Where the dask engine computes: a running Dask cluster, or a local one made for the run.

:func:`connected` yields a ``distributed.Client`` that ``dask.compute`` uses within the block. With a
scheduler address it connects (giving up after :data:`CONNECT_TIMEOUT` seconds with a DataError that
names the address, never hanging); without one it starts a local cluster of worker processes listening
on 127.0.0.1 only (its web server on a free port there), and closes it when the block ends, even on an error or Ctrl-C.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from amiga_heatmap.errors import DataError

from .settings import DaskSettings

log = logging.getLogger("amiga_heatmap")

CONNECT_TIMEOUT = 5
"""Seconds to wait for a scheduler to answer before reporting it unreachable."""


@contextmanager
def connected(settings: DaskSettings) -> Iterator[object]:
    """A client of the cluster ``settings`` name (see the module docstring)."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT}s"}):
        if settings.scheduler is not None:
            try:
                client = Client(settings.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=True)
            except (OSError, TimeoutError) as error:
                raise DataError(
                    f"Cannot reach the Dask scheduler at {settings.scheduler} (from {settings.source}) within "
                    f"{CONNECT_TIMEOUT} s: {str(error).splitlines()[0] if str(error) else type(error).__name__}. "
                    "Check the address (the one 'dask scheduler' prints) and that the scheduler is running and "
                    "reachable from this machine, or leave the scheduler out to run on a local cluster."
                ) from error
            log.info("dask: connected to the scheduler at %s (%s)", settings.scheduler, settings.source)
            with client:
                yield client
            return
        with LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster, \
                Client(cluster, set_as_default=True) as client:
            log.info("dask: started a local cluster of %d worker processes at %s", settings.workers,
                     cluster.scheduler_address)
            yield client
