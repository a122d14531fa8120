"""``python -m amiga_heatmap``: the same command line as ``amiga-heatmap``."""

from .cli.commands import run

run()
