"""amiga-heatmap-labtools: extensions labs ask for, as one amiga-heatmap plugin named ``labtools``.

- aggregators (``-p``): ``geomean``, ``trimmed(proportion)``, ``min``, ``max``, ``sd``, ``cv``, ``count``;
- filter quantifiers (``-f``): ``none``, ``most``, the statistics ``mean`` and ``median``, and
  ``atleast(k)``;
- the filter operator ``~=`` (equal up to floating-point rounding).

Its Parquet reader of versions up to 0.2 is now built into amiga-heatmap (``amiga-heatmap convert``).

Importing this package imports neither pandas nor numpy nor pyarrow: they load when a heatmap is built.
"""

from amiga_heatmap import hookimpl

from .aggregators import AGGREGATORS
from .operators import OPERATORS
from .quantifiers import QUANTIFIERS

__version__ = "0.3.0"


@hookimpl
def register_aggregators(register):
    """Register geomean, trimmed, min, max, sd, cv and count."""
    for aggregator in AGGREGATORS:
        register(aggregator)


@hookimpl
def register_quantifiers(register):
    """Register none, most, mean, median and atleast(k)."""
    for quantifier in QUANTIFIERS:
        register(quantifier)


@hookimpl
def register_operators(register):
    """Register ~=."""
    for operator in OPERATORS:
        register(operator)

