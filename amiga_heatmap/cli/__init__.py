"""The ``amiga-heatmap`` command line: :func:`main` is the click group, :func:`run` the process entry
point; ``convert`` and ``cache`` are commands of their own modules."""

from . import cache, convert  # noqa: F401  (register the cache and convert commands)
from .commands import main, run

__all__ = ["main", "run"]
