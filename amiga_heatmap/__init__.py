"""amiga-heatmap: heatmaps of microbial growth-curve summaries, extensible through pluggy plugins."""

from .hookspecs import hookimpl

__all__ = ["hookimpl"]
