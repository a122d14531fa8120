"""``python -m amiga_heatmap``: the same command line as ``amiga-heatmap``."""

from .cli import main

main(prog_name="amiga-heatmap")
