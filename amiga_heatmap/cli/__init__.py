"""The ``amiga-heatmap`` command line: :func:`main` is the click group, :func:`run` the process entry
point."""

from .commands import main, run

__all__ = ["main", "run"]
