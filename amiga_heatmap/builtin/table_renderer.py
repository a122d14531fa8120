"""The built-in ``table`` renderer: the plotted matrix as tab-separated text (``--format tsv``).

Layout: a header line with the y variable's name then the x values; one line per y value in plotted
order; numbers written with full round-trip precision (``repr`` of the float), missing cells empty.
Labels are written as the text they were read as (``01``, ``1.0``, ``NA`` stay as they are); a label
holding a tab, a double quote or a line break is quoted as in CSV, so a CSV reader gets it back whole.

The bytes are those of ``DataFrame.to_csv(sep="\\t", na_rep="", lineterminator="\\n")``, written faster:
the numbers are turned into text for the whole matrix at once (:mod:`amiga_heatmap.float_texts`: the
text of ``repr``, which pandas writes too) and the lines joined by pyarrow, instead of pandas' per-column
formatting, which took 6 s for a 586 x 4,000 matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..plugin_system.components import Renderer
from ..plugin_system.hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..result import HeatmapResult


def render(result: HeatmapResult, path: str, file_format: str, options: Mapping[str, Any]) -> None:
    """Write ``result.matrix`` to ``path`` as described in the module docstring."""
    write_matrix(result.matrix, result.y, path)


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
        )
    )
