"""Built-in aggregators for replicate values: ``mean`` and ``median`` (missing values are skipped)."""

from __future__ import annotations

from ..plugin_system.components import Aggregator
from ..plugin_system.hookspecs import hookimpl


def group_mean(groups):
    """Arithmetic mean of each group's non-missing values."""
    return groups.mean()


def group_median(groups):
    """Median of each group's non-missing values."""
    return groups.median()


@hookimpl
def register_aggregators(register):
    """Register ``mean`` and ``median``."""
    register(Aggregator("mean", group_mean, "arithmetic mean of the replicates (missing values skipped)"))
    register(Aggregator("median", group_median, "median of the replicates (missing values skipped)"))
