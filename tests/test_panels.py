"""Several values side by side (-v repeated): one panel per value in one row order, checked on the real
E. randomii data against pandas and scipy computed here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import pdist

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError

from .conftest import EXAMPLES, natural

VALUES = ("norm(auc_lin)", "norm(gr)", "norm(lagC)")


@pytest.fixture(scope="module")
def means() -> dict[str, pd.DataFrame]:
    rows = pd.read_csv(EXAMPLES / "ER_all_summary_normalized.txt", sep="\t")
    return {value: natural(rows.groupby(["Substrate", "Isolate"])[value].mean().unstack()) for value in VALUES}


def standardised(table: pd.DataFrame) -> pd.DataFrame:
    cells = table.to_numpy()
    return (table - cells.mean()) / cells.std()


def panel_row_labels(figure) -> list[list[str]]:
    """The row labels of each panel, left to right, as drawn."""
    from amiga_heatmap.builtin.figure.label_artist import LabelArtist

    panels = sorted((axes for axes in figure.axes if axes.get_label() == "row labels"),
                    key=lambda axes: axes.get_position().x0)
    drawn = []
    for axes in panels:
        found = [(anchor[1], text) for artist in axes.artists if isinstance(artist, LabelArtist)
                 for text, anchor in zip(artist.texts, artist.anchors)]
        drawn.append([text for _, text in sorted(found)])
    return drawn


def test_three_panels_share_the_row_order_clustered_on_the_scaled_panels_together(normalized, means) -> None:
    result = heatmap(normalized, value=list(VALUES), x="Isolate", y="Substrate", operation="mean",
                     filter="row any > 1.3", cluster_y=True)
    kept = means[VALUES[0]].index[(means[VALUES[0]] > 1.3).any(axis=1)]
    features = pd.concat([standardised(means[value].loc[kept]) for value in VALUES], axis=1)
    order = leaves_list(linkage(pdist(features.to_numpy()), method="average"))
    expected = [str(label) for label in kept[order]]
    assert list(result.matrix.index) == expected
    assert list(result.panels) == list(VALUES) and result.values == VALUES
    assert result.summary().startswith(f"{len(expected)} Substrate x 4 Isolate: mean {', '.join(VALUES)} of ")
    for value, panel in result.panels.items():
        np.testing.assert_allclose(panel.to_numpy(), means[value].loc[expected, panel.columns].to_numpy())
    figure = result.figure()
    assert panel_row_labels(figure) == [expected] * 3
    bars = sorted((axes for axes in figure.axes if axes.get_label() == "colour bar"),
                  key=lambda axes: axes.get_position().x0)
    assert [bar.get_ylabel() for bar in bars] == list(VALUES)
    titles = sorted((text for text in figure.texts if text.get_gid() == "title"), key=lambda text: text.get_position()[0])
    assert [text.get_text() for text in titles] == list(VALUES)


def test_the_filter_compares_the_first_value_unless_a_clause_names_another(normalized, means) -> None:
    first = heatmap(normalized, value=list(VALUES), x="Isolate", y="Substrate", operation="mean",
                    filter="row any > 1.3")
    named = heatmap(normalized, value=list(VALUES), x="Isolate", y="Substrate", operation="mean",
                    filter='row any "norm(gr)" >= 1.3')
    by_auc = means[VALUES[0]].index[(means[VALUES[0]] > 1.3).any(axis=1)]
    by_gr = means["norm(gr)"].index[(means["norm(gr)"] >= 1.3).any(axis=1)]
    assert list(first.matrix.index) == list(by_auc)
    assert list(named.matrix.index) == list(by_gr)
    assert set(by_auc) != set(by_gr)


def test_one_value_in_a_list_is_that_value_alone(normalized) -> None:
    alone = heatmap(normalized, value="norm(gr)", x="Isolate", y="Substrate", operation="mean")
    listed = heatmap(normalized, value=("norm(gr)",), x="Isolate", y="Substrate", operation="mean")
    pd.testing.assert_frame_equal(alone.matrix, listed.matrix)
    assert alone.values == listed.values == ("norm(gr)",) and not alone.layers
    assert alone.spec == listed.spec


def test_tsv_writes_a_file_per_value_and_a_long_table(normalized, tmp_path, run_cli, means) -> None:
    arguments = [argument for value in VALUES for argument in ("-v", value)]
    outcome = run_cli("-i", normalized, "-o", "three", "--output-dir", tmp_path, "-x", "Isolate", "-y", "Substrate",
                      *arguments, "-p", "mean", "-f", "row any > 1.3", "--format", "tsv")
    assert outcome.exit_code == 0, outcome.output
    kept = means[VALUES[0]].index[(means[VALUES[0]] > 1.3).any(axis=1)]
    for value, name in zip(VALUES, ("norm_auc_lin", "norm_gr", "norm_lagC")):
        table = pd.read_csv(tmp_path / f"three_{name}.tsv", sep="\t", index_col=0)
        assert list(table.index) == list(kept)
        np.testing.assert_array_equal(table.to_numpy(), means[value].loc[kept, table.columns].to_numpy())
    long = pd.read_csv(tmp_path / "three.tsv", sep="\t")
    assert list(long.columns) == ["Substrate", "Isolate", *VALUES]
    assert len(long) == len(kept) * 4
    for value in VALUES:
        expected = means[value].loc[kept].stack()
        np.testing.assert_array_equal(long[value].to_numpy(), expected.to_numpy())


def test_a_value_named_twice_is_a_usage_error_and_nothing_is_written(normalized, tmp_path, run_cli) -> None:
    with pytest.raises(UsageError, match=r"^value names 'norm\(gr\)' twice; each value is drawn once"):
        heatmap(normalized, value=["norm(gr)", "norm(auc_lin)", "norm(gr)"], x="Isolate", y="Substrate",
                operation="mean")
    outcome = run_cli("-i", normalized, "-o", "twice", "--output-dir", tmp_path, "-x", "Isolate", "-y", "Substrate",
                      "-v", "norm(gr)", "-v", "norm(gr)", "-p", "mean")
    assert outcome.exit_code == 2
    assert "-v/--value names 'norm(gr)' twice" in outcome.output
    assert not any(path.name.startswith("twice") for path in tmp_path.iterdir())


def test_a_renderer_drawing_one_value_is_refused_before_reading(normalized, tmp_path, run_cli) -> None:
    outcome = run_cli("-i", normalized, "-o", "one", "--output-dir", tmp_path, "-x", "Isolate", "-y", "Substrate",
                      "-v", "norm(gr)", "-v", "gr", "-p", "mean", "--format", "gct")
    assert outcome.exit_code == 2
    assert "a second -v needs a renderer that draws several values side by side" in outcome.output
