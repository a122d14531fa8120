"""Shared fixtures: the name tables a filter is parsed with, built from the built-in plugin module."""

import numpy as np
import pytest

from amiga_heatmap.builtin import filters
from amiga_heatmap.components import Operator, Quantifier


def table_from_hook(hook, key):
    """Call a registration hook the way the core does and collect what it registers, keyed by ``key``."""
    table = {}

    def register(component, override=False):
        table[key(component)] = component

    hook(register=register)
    return table


def _at_least(values, compare, axis, count):
    return np.count_nonzero(compare(values), axis=axis) >= count


def _within(values, compare, axis, low, high):
    hits = np.count_nonzero(compare(values), axis=axis)
    return (hits >= low) & (hits <= high)


AT_LEAST = Quantifier("atleast", _at_least, "at least COUNT cells satisfy the comparison", ("count",))
WITHIN = Quantifier("within", _within, "between LOW and HIGH cells satisfy the comparison", ("low", "high"))


@pytest.fixture(scope="session")
def builtin_quantifiers():
    return table_from_hook(filters.register_quantifiers, lambda quantifier: quantifier.name)


@pytest.fixture(scope="session")
def builtin_operators():
    return table_from_hook(filters.register_operators, lambda operator: operator.symbol)


@pytest.fixture(scope="session")
def quantifiers(builtin_quantifiers):
    """The built-in quantifiers plus two parameterised test-only ones: atleast(count), within(low, high)."""
    return {**builtin_quantifiers, "atleast": AT_LEAST, "within": WITHIN}


@pytest.fixture(scope="session")
def operators(builtin_operators):
    """The built-in operators plus a test-only '!=' (NaN never satisfies it)."""
    not_equal = Operator("!=", lambda values, threshold: (values != threshold) & ~np.isnan(values))
    return {**builtin_operators, "!=": not_equal}
