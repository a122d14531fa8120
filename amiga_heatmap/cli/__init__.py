"""The ``amiga-heatmap`` command line: :func:`main` is the click group, :func:`run` the process entry
point; ``convert`` and ``cache`` are commands of their own modules."""

from . import convert  # noqa: F401  (registers the convert command)
from .commands import main, run

__all__ = ["main", "run"]
