"""The built-in ``table`` renderer: the plotted matrix as tab-separated text (``--format tsv``).

Layout: a header line with the y variable's name then the x values; one line per y value in plotted
order; numbers written with full round-trip precision (``repr`` of the float), missing cells empty.
Labels are written as the text they were read as (``01``, ``1.0``, ``NA`` stay as they are); a label
holding a tab, a double quote or a line break is quoted as in CSV, so a CSV reader gets it back whole.

Split axes (``--split-y-by``/``--split-x-by``) keep their block order and say each label's block: a
``row_block`` column right after the row labels, and a line right after the header
holding each column's block (``column_block`` in its first field), blocks' values as read.

Several values side by side (``-v`` repeated) give one file per value, ``NAME_<value>.tsv`` (laid out as
above; the value made a safe file name: every run of characters other than letters, digits, ``.``,
``_`` and ``-`` becomes ``_``, so ``norm(auc_lin)`` gives ``NAME_norm_auc_lin.tsv``, and a name taken
twice gets ``_2``, ``_3``), and ``NAME.tsv`` holds them all as a long table: one line per cell in plotted
order (row by row), the y and x labels, the blocks when split (``row_block``, ``column_block``), then one
column per value.

A matrix without blocks is written with the bytes of ``DataFrame.to_csv(sep="\\t", na_rep="", lineterminator="\\n")``, written faster:
the numbers are turned into text for the whole matrix at once (:mod:`amiga_heatmap.float_texts`: the
text of ``repr``, which pandas writes too) and the lines joined by pyarrow, instead of pandas' per-column
formatting, which took 6 s for a 586 x 4,000 matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..plugin_system.components import Renderer
from ..plugin_system.hookspecs import hookimpl

ROW_BLOCK, COLUMN_BLOCK = "row_block", "column_block"

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..result import HeatmapResult


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result.matrix`` (or the long table of several values) to ``path`` as described in the
    module docstring."""
    if len(result.values) > 1:
        long_table(result).to_csv(path, sep="\t", index=False, na_rep="", float_format=None, lineterminator="\n")
        return
    _write_matrix(result, result.matrix, path)


def _write_matrix(result: HeatmapResult, matrix: pd.DataFrame, path: str) -> None:
    if result.row_blocks is None and result.column_blocks is None:
        write_matrix(matrix, result.y, path)
        return
    blocked_table(result, matrix).to_csv(path, sep="\t", index_label=result.y, na_rep="", float_format=None,
                                         lineterminator="\n")


def companions(result: HeatmapResult, options: Mapping[str, Any], file_format: str) -> dict[str, Any]:
    """With several values, the file of each value (``_<value>.tsv``); none for one value."""
    if len(result.values) < 2:
        return {}
    panels = result.panels
    return {
        f"_{name}.{file_format}": lambda path, value=value: _write_matrix(result, panels[value], path)
        for value, name in file_names(result.values).items()
    }


def file_names(values: tuple[str, ...]) -> dict[str, str]:
    """Each value as a safe part of a file name (the module docstring), unique."""
    import re

    names: dict[str, str] = {}
    for value in values:
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("_.") or "value"
        name, count = base, 1
        while name in names.values():
            count += 1
            name = f"{base}_{count}"
        names[value] = name
    return names


def long_table(result: HeatmapResult) -> pd.DataFrame:
    """Every value's cells side by side, one line per cell in plotted order (the module docstring)."""
    import pandas as pd

    table = pd.DataFrame({value: panel.stack(future_stack=True) for value, panel in result.panels.items()})
    table.index = table.index.set_names([result.y, result.x])
    table = table.reset_index()
    for name, blocks, label in ((COLUMN_BLOCK, result.column_blocks, result.x), (ROW_BLOCK, result.row_blocks, result.y)):
        if blocks is not None:
            table.insert(2, name, table[label].map(blocks.of_label))
    return table


def blocked_table(result: HeatmapResult, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """``matrix`` (default ``result.matrix``) with the blocks of ``result``'s split axes (the module
    docstring); the matrix itself when no axis is split."""
    import pandas as pd

    table = result.matrix if matrix is None else matrix
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


def write_matrix(matrix: pd.DataFrame, index_label: str, path: str) -> None:
    """Write ``matrix`` (float cells) to ``path`` as tab-separated text: ``index_label`` and the column
    labels, then each row's label and its cells (see the module docstring)."""
    import csv

    values = matrix.to_numpy(dtype=float)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([index_label, *_label_texts(matrix.columns)])
        if values.shape[1] == 0:
            writer.writerows([label] for label in _label_texts(matrix.index))
            return
        lines = zip(_quoted(_label_texts(matrix.index)), _row_texts(values))
        handle.writelines(f"{label}\t{cells}\n" for label, cells in lines)


def _row_texts(values: np.ndarray) -> list[str]:
    """Each row of the 2-D float array ``values`` as its cells' texts joined by tabs: ``repr`` of each
    float (``1.0``, ``1e-05``, ``inf``), a NaN empty (:func:`~amiga_heatmap.float_texts.float_texts`)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..float_texts import float_texts

    texts = float_texts(values.ravel())
    width = values.shape[1]
    rows = pa.ListArray.from_arrays(pa.array(np.arange(0, values.size + 1, width, dtype=np.int32)), texts)
    return pc.binary_join(rows, "\t").to_pylist()


def _quoted(labels: list[str]) -> list[str]:
    """Each of ``labels`` as the csv module writes it as the first field of a line (quoted when it holds
    a tab, a double quote or a line break; an empty label stays empty)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    texts = []
    for label in labels:
        writer.writerow([label, ""])
        texts.append(buffer.getvalue()[:-2])  # without the empty second field and the line end
        buffer.seek(0)
        buffer.truncate()
    return texts


def _label_texts(labels: pd.Index) -> list[str]:
    """Each label as pandas writes it: its text, a missing label empty."""
    import pandas as pd

    return ["" if pd.isna(label) else str(label) for label in labels]


@hookimpl
def register_renderers(register):
    """Register the table renderer."""
    register(
        Renderer(
            name="table",
            formats=("tsv",),
            render=render,
            description="the plotted matrix as tab-separated text, full precision",
            capabilities=frozenset({"blocks", "panels"}),
            companions=companions,
        )
    )
