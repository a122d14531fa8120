"""In a notebook a result shows itself: the figure as PNG, and in HTML the figure with a one-line summary."""

from __future__ import annotations

import base64
import io
import re

import pandas as pd
from matplotlib.image import imread

from amiga_heatmap import heatmap


def test_a_result_shows_its_figure_and_what_was_kept(normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                     filter="row any > 1.2")
    rows = pd.read_csv(normalized, sep="\t")
    means = rows.groupby(["Substrate", "Strain"])["norm(auc_lin)"].mean().unstack()
    kept = means[(means > 1.2).any(axis=1)]
    behind = rows[rows.Substrate.isin(kept.index)]
    assert result.summary() == (
        f"{len(kept)} Substrate x 2 Strain: mean norm(auc_lin) of {len(behind)} rows; filter 'row any > 1.2'"
    )

    picture = result._repr_png_()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    height, width, _ = imread(io.BytesIO(picture)).shape
    figure = result.figure()
    assert (width, height) == tuple(round(inches * 100) for inches in figure.get_size_inches())

    page = result._repr_html_()
    embedded = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page).group(1)
    assert base64.b64decode(embedded) == picture
    assert "<figcaption>24 Substrate x 2 Strain: mean norm(auc_lin) of 192 rows; filter &#x27;row any &gt; 1.2&#x27;" in page


def test_the_summary_names_labels_dropped_for_missing_cells(normalized) -> None:
    result = heatmap(normalized, value="norm(lagP)", x="Isolate", y="Substrate", operation="mean")
    rows = pd.read_csv(normalized, sep="\t")
    means = rows.groupby(["Substrate", "Isolate"])["norm(lagP)"].mean().unstack()
    incomplete = means.isna().any(axis=1).sum()
    assert incomplete > 0
    assert result.summary().endswith(f"; {incomplete} Substrate dropped for missing cells")
