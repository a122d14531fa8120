"""The ``~=`` filter operator: a cell equals the threshold up to floating-point rounding.

``row any ~= 1`` keeps rows holding a cell within ``ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * |threshold|``
of 1, so a ratio computed as ``0.1 * 3 / 0.3`` matches 1 where the built-in ``=`` (exact) does not. It is
meant for values that are equal in principle, not for "roughly 1": write a range for that, e.g.
``row any >= 0.95 AND row any <= 1.05`` (or per cell with a plugin quantifier). A missing cell matches
nothing.
"""

from __future__ import annotations

from amiga_heatmap.components import Operator

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


def approximately_equal(values, threshold):
    """True where ``|value - threshold| <= ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * |threshold|``."""
    import numpy as np

    return np.isclose(values, threshold, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE, equal_nan=False)


OPERATORS = (
    Operator(
        "~=",
        approximately_equal,
        f"cell equals the threshold up to rounding: within {ABSOLUTE_TOLERANCE:g} + "
        f"{RELATIVE_TOLERANCE:g} x |threshold|",
    ),
)
