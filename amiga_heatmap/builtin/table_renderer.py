"""The built-in ``table`` renderer: the plotted matrix as tab-separated text (``--format tsv``).

Layout: a header line with the y variable's name then the x values; one line per y value in plotted
order; numbers written with full round-trip precision (``repr`` of the float), missing cells empty.
Labels are written as the text they were read as (``01``, ``1.0``, ``NA`` stay as they are); a label
holding a tab, a double quote or a line break is quoted as in CSV, so a CSV reader gets it back whole.

Split axes (``--split-y-by``/``--split-x-by``) keep their block order and say each label's block: a
``row_block`` column right after the row labels, and a line right after the header
holding each column's block (``column_block`` in its first field), blocks' values as read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..plugin_system.components import Renderer
from ..plugin_system.hookspecs import hookimpl

ROW_BLOCK, COLUMN_BLOCK = "row_block", "column_block"

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..result import HeatmapResult


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result.matrix`` to ``path`` as described in the module docstring."""
    blocked_table(result).to_csv(path, sep="\t", index_label=result.y, na_rep="", float_format=None,
                                 lineterminator="\n")


def blocked_table(result: HeatmapResult) -> pd.DataFrame:
    """``result.matrix`` with the blocks of its split axes (the module docstring); the matrix itself
    when no axis is split."""
    import pandas as pd

    table = result.matrix
    if result.row_blocks is None and result.column_blocks is None:
        return table
    row_blocks = [] if result.row_blocks is None else result.row_blocks.of_label.reindex(table.index).tolist()
    if result.column_blocks is not None:
        header = [result.column_blocks.of_label.reindex(table.columns).tolist()]
        line = pd.DataFrame(header, columns=table.columns, index=pd.Index([COLUMN_BLOCK]), dtype=object)
        table = pd.concat([line, table.astype(object)])
        row_blocks = [None, *row_blocks] if row_blocks else row_blocks
    if result.row_blocks is not None:
        table = table.copy()
        table.insert(0, ROW_BLOCK, row_blocks)
    return table


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
