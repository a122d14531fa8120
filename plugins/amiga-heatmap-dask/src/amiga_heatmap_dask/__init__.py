"""amiga-heatmap-dask: the ``dask`` engine, as one amiga-heatmap plugin named ``dask``.

``--engine dask`` reads the summaries as a dask.dataframe (text files in blocks, other files through
their readers), subsets and aggregates them on a Dask cluster, and returns the small cell table: an
existing cluster with ``--engine-option scheduler=tcp://HOST:PORT`` (or ``DASK_SCHEDULER_ADDRESS``), else
a local cluster of worker processes on 127.0.0.1, closed after the run.

Importing this package imports neither pandas nor dask: they load when a heatmap is built.
"""

from amiga_heatmap import hookimpl
from amiga_heatmap.components import Engine

from .settings import SETTINGS

__version__ = "0.1.0"


def _compute(sources, run):
    from .engine import compute

    return compute(sources, run)


@hookimpl
def register_engines(register):
    """Register the ``dask`` engine."""
    register(Engine("dask", _compute, "reads and aggregates the input on a Dask cluster (local, or "
                                      "--engine-option scheduler=tcp://HOST:PORT)", options=SETTINGS))
