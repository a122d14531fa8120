"""amiga-heatmap: heatmaps of microbial growth-curve summaries, extensible through pluggy plugins.

``from amiga_heatmap import hookimpl`` is all a plugin needs to import. ``heatmap`` and ``HeatmapResult``
are loaded on first use, so importing the package (and running ``amiga-heatmap --help``) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .plugin_system.hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    from .api import heatmap
    from .result import HeatmapResult

__all__ = ["HeatmapResult", "heatmap", "hookimpl"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "heatmap":
        from .api import heatmap

        return heatmap
    if name == "HeatmapResult":
        from .result import HeatmapResult

        return HeatmapResult
    raise AttributeError(f"module 'amiga_heatmap' has no attribute {name!r}")
