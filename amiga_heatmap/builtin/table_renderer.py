"""The built-in ``table`` renderer: the plotted matrix as tab-separated text (``--format tsv``).

Layout: a header line with the y variable's name then the x values; one line per y value in plotted
order; numbers written with full round-trip precision (``repr`` of the float), missing cells empty.
Labels are written as the text they were read as (``01``, ``1.0``, ``NA`` stay as they are); a label
holding a tab, a double quote or a line break is quoted as in CSV, so a CSV reader gets it back whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..plugin_system.components import Renderer
from ..plugin_system.hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    from ..result import HeatmapResult


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result.matrix`` to ``path`` as described in the module docstring."""
    result.matrix.to_csv(path, sep="\t", index_label=result.y, na_rep="", float_format=None, lineterminator="\n")


@hookimpl
def register_renderers(register):
    """Register the table renderer."""
    register(
        Renderer(
            name="table",
            formats=("tsv",),
            render=render,
            description="the plotted matrix as tab-separated text, full precision",
        )
    )
