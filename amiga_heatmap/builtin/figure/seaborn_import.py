"""Importing seaborn, which draws the cell panel, at the least cost the process allows.

``import seaborn`` takes about a second, nearly all of it in scipy: ``scipy.stats``, which seaborn loads
for kernel density estimates (``kdeplot``), and ``scipy.cluster``, for ``clustermap``. seaborn does
without both when scipy is absent (its bundled copy of ``gaussian_kde`` serves KDEs; only a cumulative
KDE and ``clustermap``/``dendrogram`` are refused). A heatmap needs none of them.

The command line owns its process and ends after one heatmap, so it asks for the lean import
(:func:`lean_import_in_this_process`, called by :func:`amiga_heatmap.cli.commands.run`): seaborn is
then imported while those of the two modules not yet imported are hidden, which takes its import from
about a second to a tenth and keeps the default PDF within its time budget (docs/performance.md).
Anywhere else (the Python API, a notebook, the tests) seaborn is imported as usual, since a later
``sns.clustermap`` or cumulative ``sns.kdeplot`` there must keep working. Nothing changes when seaborn is
already imported; the modules hidden stay importable afterwards (our own clustering imports
``scipy.cluster``).
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from types import ModuleType

_LEAN = ContextVar("amiga_heatmap_lean_seaborn_import", default=False)
HIDDEN = ("scipy.stats", "scipy.cluster")


def lean_import_in_this_process() -> None:
    """Let :func:`seaborn_module` import seaborn without :data:`HIDDEN` from now on, in this context.
    Only for a process that draws heatmaps and nothing else (the command line)."""
    _LEAN.set(True)


def seaborn_module() -> ModuleType:
    """The ``seaborn`` module, imported on first use (leanly when asked, see the module docstring)."""
    if "seaborn" in sys.modules or not _LEAN.get():
        import seaborn

        return seaborn
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import scipy.stats" fail
    try:
        import seaborn
    finally:
        for name in hidden:
            del sys.modules[name]
    return seaborn
