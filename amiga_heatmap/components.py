"""The objects plugins register, at the import path plugin authors use.

Defined in :mod:`amiga_heatmap.plugin_system.components`; this module re-exports them so that
``from amiga_heatmap.components import Aggregator`` keeps working.
"""

from .plugin_system.components import *  # noqa: F403
from .plugin_system.components import __all__  # noqa: F401
