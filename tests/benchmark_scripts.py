"""Importing the scripts of ``benchmarks/`` (a folder of scripts, not a package) from the tests."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from .conftest import REPOSITORY


def benchmark_module(name: str) -> ModuleType:
    """Import ``benchmarks/{name}.py``."""
    path = REPOSITORY / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
