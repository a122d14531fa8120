"""Built-in aggregators for replicate values: ``mean`` and ``median`` (missing values are skipped).

Both are declared as standard forms, so every engine computes them itself (pandas' grouped reductions
in the built-in engine, ``AVG`` and ``MEDIAN`` in SQL).
"""

from __future__ import annotations

from ..plugin_system.components import Aggregator
from ..plugin_system.hookspecs import hookimpl


@hookimpl
def register_aggregators(register):
    """Register ``mean`` and ``median``."""
    register(Aggregator("mean", description="arithmetic mean of the replicates (missing values skipped)",
                        form="mean"))
    register(Aggregator("median", description="median of the replicates (missing values skipped)",
                        form="median"))
