"""What hovering a cell shows: its labels, its value, how many replicates went into it and their spread.

The statistics come from ``result.rows`` (the input rows behind the plotted cells), grouped by the y and
x labels like the core's aggregation, and are aligned with ``result.matrix``; the text is built for the
whole matrix at once with numpy string operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from amiga_heatmap.result import HeatmapResult

MISSING = "–"


def cell_statistics(result: HeatmapResult) -> dict[str, pd.DataFrame]:
    """``{"sd", "min", "max"}`` of the non-missing replicate values of each plotted cell, each a
    DataFrame with ``result.matrix``'s index and columns (sd is missing for a single replicate)."""
    groups = result.rows.groupby([result.y, result.x], observed=True)[result.value]
    statistics = groups.agg(["std", "min", "max"]).rename(columns={"std": "sd"})
    return {
        name: statistics[name].unstack(result.x).reindex(index=result.matrix.index, columns=result.matrix.columns)
        for name in ("sd", "min", "max")
    }


def escape(labels) -> np.ndarray:
    """The labels as text safe inside plotly's hover HTML (``& < >`` escaped)."""
    import pandas as pd

    text = pd.Index(labels).astype(str)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.str.replace(character, entity, regex=False)
    return text.to_numpy(dtype=str)


def formatted(values, number_format: str) -> np.ndarray:
    """``values`` written with the %-style ``number_format`` (".4g"), missing values as a dash."""
    import numpy as np

    numbers = np.asarray(values, dtype=float)
    return np.where(np.isnan(numbers), MISSING, np.char.mod(f"%{number_format}", numbers))


def hover_text(result: HeatmapResult) -> np.ndarray:
    """A string per cell, shape of ``result.matrix``, lines separated by ``<br>``::

        Strain: USA_1995
        Substrate: D-Sorbitol
        norm(auc_lin) (mean): 3.908
        replicates: 2
        SD: 0.0141
        range: 3.898 – 3.918
    """
    import numpy as np

    statistics = cell_statistics(result)
    shape = result.matrix.shape
    value_name = result.value + (f" ({result.operation})" if result.operation else "")
    lines = [
        np.char.add(f"{escape([result.x])[0]}: ", np.broadcast_to(escape(result.matrix.columns), shape)),
        np.char.add(f"{escape([result.y])[0]}: ", np.broadcast_to(escape(result.matrix.index)[:, None], shape)),
        np.char.add(f"{escape([value_name])[0]}: ", formatted(result.matrix, ".4g")),
        np.char.add("replicates: ", result.counts.to_numpy(dtype=int).astype(str)),
        np.char.add("SD: ", formatted(statistics["sd"], ".3g")),
        np.char.add(np.char.add("range: ", formatted(statistics["min"], ".4g")),
                    np.char.add(" – ", formatted(statistics["max"], ".4g"))),
    ]
    text = lines[0]
    for line in lines[1:]:
        text = np.char.add(np.char.add(text, "<br>"), line)
    return text
