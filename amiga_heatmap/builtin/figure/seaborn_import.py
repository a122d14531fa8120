"""Importing seaborn, which draws the cell panel, at the least cost the process allows.

``import seaborn`` takes about a second, four fifths of it in ``scipy.stats``, which seaborn loads only
for kernel density estimates (``kdeplot``) and does without when scipy is absent: it then uses its own
bundled copy of ``gaussian_kde``, and only a cumulative KDE is refused. A heatmap needs none of it.

The command line owns its process and ends after one heatmap, so it asks for the lean import
(:func:`lean_import_in_this_process`, called by :func:`amiga_heatmap.cli.commands.run`): seaborn is
then imported while ``scipy.stats`` is hidden, which keeps the default PDF within its time budget
(docs/performance.md). Anywhere else (the Python API, a notebook, the tests) seaborn is imported as
usual, since a later ``sns.kdeplot(..., cumulative=True)`` there must keep working. Nothing changes when
seaborn or ``scipy.stats`` is already imported, and ``scipy.stats`` stays importable afterwards.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar
from types import ModuleType

_LEAN = ContextVar("amiga_heatmap_lean_seaborn_import", default=False)
_SKIPPED = "scipy.stats"


def lean_import_in_this_process() -> None:
    """Let :func:`seaborn_module` import seaborn without ``scipy.stats`` from now on, in this context.
    Only for a process that draws heatmaps and nothing else (the command line)."""
    _LEAN.set(True)


def seaborn_module() -> ModuleType:
    """The ``seaborn`` module, imported on first use (leanly when asked, see the module docstring)."""
    if "seaborn" in sys.modules or not _LEAN.get() or _SKIPPED in sys.modules:
        import seaborn

        return seaborn
    sys.modules[_SKIPPED] = None  # type: ignore[assignment]  # makes "import scipy.stats" fail
    try:
        import seaborn
    finally:
        del sys.modules[_SKIPPED]
    return seaborn
