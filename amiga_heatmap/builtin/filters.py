"""The built-in filter quantifiers (``any``, ``all``) and operators (``>=``, ``<=``, ``>``, ``<``, ``=``).

Importing this module stays light: numpy is imported inside the quantifiers when a filter runs, and the
operators are Python's own comparisons, which numpy arrays answer cell by cell.
"""

from __future__ import annotations

from operator import eq, ge, gt, le, lt

from ..plugin_system.components import Operator, Quantifier
from ..plugin_system.hookspecs import hookimpl


def _any_cell(values, compare, axis):
    """True for each row (axis 1) or column (axis 0) where at least one cell satisfies ``compare``."""
    import numpy as np

    return np.any(compare(values), axis=axis)


def _all_cells(values, compare, axis):
    """True for each row (axis 1) or column (axis 0) where every cell satisfies ``compare``."""
    import numpy as np

    return np.all(compare(values), axis=axis)


@hookimpl
def register_quantifiers(register):
    """Register ``any`` and ``all``."""
    register(
        Quantifier(
            "any",
            _any_cell,
            "keep a row (or column) when at least one of its cells satisfies the comparison; "
            "missing cells are ignored",
        )
    )
    register(
        Quantifier(
            "all",
            _all_cells,
            "keep a row (or column) when every one of its cells satisfies the comparison; "
            "a missing cell fails it",
        )
    )


@hookimpl
def register_operators(register):
    """Register ``>=``, ``<=``, ``>``, ``<`` and ``=``; a missing (NaN) cell satisfies none of them."""
    register(Operator(">=", ge, "cell is greater than or equal to the threshold"))
    register(Operator("<=", le, "cell is less than or equal to the threshold"))
    register(Operator(">", gt, "cell is greater than the threshold"))
    register(Operator("<", lt, "cell is less than the threshold"))
    register(
        Operator(
            "=",
            eq,
            "cell equals the threshold exactly, as AMiGA's '=' (exact float equality: "
            "0.1 + 0.2 does not equal 0.3)",
        )
    )
