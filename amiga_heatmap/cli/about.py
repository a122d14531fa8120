"""What ``amiga-heatmap --version`` and ``amiga-heatmap docs`` print.

Versions come from the installed distributions' metadata, so nothing heavy is imported: a methods
section can quote the line without the command loading pandas or matplotlib.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..plugin_system.plugin_set import PluginSet

LIBRARIES = ("pandas", "numpy", "scipy", "matplotlib", "seaborn", "pyarrow", "pluggy", "click")
"""The libraries whose versions can change a figure or its numbers."""

DOCS = Path(__file__).resolve().parent.parent / "docs"
"""The guides installed with the package (in a checkout, a link to the repository's docs/)."""

GUIDES = (
    ("usage.md", "every option of the command line, with an example"),
    ("gallery.md", "a picture of each option"),
    ("api.md", "the Python API: heatmap() and HeatmapResult"),
    ("errors.md", "every error and warning: cause and fix; exit statuses"),
    ("differences-from-amiga.md", "where amiga-heatmap and AMiGA's heatmap differ"),
    ("biolog.md", "Biolog plates: substrate classes, and joining lab tables (--annotate)"),
    ("statistics.md", "replicate statistics and tests per cell (--test)"),
    ("plugins.md", "writing plugins"),
    ("architecture.md", "how the pipeline, engines and plugins fit together"),
    ("performance.md", "speed and memory on large screens"),
    ("scale.md", "which engine for which screen; the dask engine on a cluster (SLURM, Kubernetes)"),
)


def version_text(plugin_set: PluginSet) -> str:
    """amiga-heatmap's version, Python's, the drawing libraries' and every plugin that is not built in.

    One line each, e.g. ``plugins: labtools 0.1.0 (entry point: amiga-heatmap-labtools)``.
    """
    libraries = ", ".join(f"{name} {_installed_version(name)}" for name in LIBRARIES)
    plugins = [
        f"{name} {info.version or '(version unknown)'} ({info.source}: {info.origin})"
        for name, info in plugin_set.info.items()
        if not plugin_set.is_builtin(name)
    ]
    return "\n".join([
        f"amiga-heatmap {__version__} (Python {platform.python_version()})",
        f"libraries: {libraries}",
        f"plugins: {', '.join(plugins) if plugins else 'none besides the built-in ones'}",
    ])


def docs_text() -> str:
    """Where the installed guides are, one per line with what it covers."""
    width = max(len(name) for name, _ in GUIDES)
    lines = [f"The amiga-heatmap {__version__} guides, installed with the package in {DOCS}:"]
    lines += [f"  {DOCS / name!s:<{len(str(DOCS)) + 1 + width}}  {about}" for name, about in GUIDES]
    lines.append("They are Markdown: open them in any text editor or Markdown viewer.")
    return "\n".join(lines)


def _installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"
