"""Clustering (--cluster-x/-y, --cluster-method, --cluster-metric): the order and linkage equal scipy's,
computed here; missing and infinite cells; 10,000 rows without recursion; dendrogram geometry."""

from __future__ import annotations

import re
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import dendrogram, leaves_list, linkage

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.figure.dendrogram import segments
from amiga_heatmap.errors import DataError, UsageError
from amiga_heatmap.pipeline.clustering import cluster, nan_euclidean_distances

from .conftest import natural
from .figure_parts import axes_named, row_labels


def expected_matrix(path, value="norm(auc_lin)", threshold=1.2) -> pd.DataFrame:
    rows = pd.read_csv(path, sep="\t")
    matrix = natural(rows.groupby(["Substrate", "Isolate"])[value].mean().unstack("Isolate"))
    return matrix[(matrix > threshold).any(axis=1)]


@pytest.mark.parametrize(
    ("method", "metric"),
    [
        ("average", "euclidean"),
        ("complete", "correlation"),
        ("single", "cityblock"),
        ("ward", "euclidean"),
        ("weighted", "cosine"),
    ],
)
def test_row_and_column_order_equal_scipys(normalized, method, metric) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.2",
        cluster_x=True,
        cluster_y=True,
        cluster_method=method,
        cluster_metric=metric,
    )
    expected = expected_matrix(normalized)  # sorted labels, as the pipeline has them before clustering
    rows_linkage = linkage(expected.to_numpy(), method=method, metric=metric)
    columns_linkage = linkage(expected.to_numpy().T, method=method, metric=metric)
    assert list(result.matrix.index) == list(expected.index[leaves_list(rows_linkage)])
    assert list(result.matrix.columns) == list(expected.columns[leaves_list(columns_linkage)])
    np.testing.assert_allclose(result.row_linkage, rows_linkage, rtol=1e-12)
    np.testing.assert_allclose(result.column_linkage, columns_linkage, rtol=1e-12)
    # the values travel with their labels
    pd.testing.assert_frame_equal(
        result.matrix, expected.loc[result.matrix.index, result.matrix.columns], rtol=1e-13
    )


def test_clustering_is_deterministic_and_one_axis_only(normalized) -> None:
    first = heatmap(
        normalized, value="norm(gr)", x="Isolate", y="Substrate", operation="median", cluster_y=True
    )
    second = heatmap(
        normalized, value="norm(gr)", x="Isolate", y="Substrate", operation="median", cluster_y=True
    )
    assert list(first.matrix.index) == list(second.matrix.index)
    assert list(first.matrix.columns) == ["ER1", "ER2", "ER3", "ER4"]
    assert first.column_linkage is None and first.row_linkage.shape == (len(first.matrix) - 1, 4)


def test_ten_thousand_rows_cluster_without_recursion() -> None:
    values = np.random.default_rng(7).normal(size=(10_000, 3))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)  # far below the depth a recursive tree walk would need
    try:
        outcome = cluster(values, list(range(10_000)), "single", "euclidean", "rows")
        shapes = segments(outcome.linkage, outcome.order)
    finally:
        sys.setrecursionlimit(limit)
    assert outcome.order.tolist() == leaves_list(linkage(values, "single")).tolist()
    assert shapes.shape == (9_999, 4, 2)


def test_dendrogram_segments_match_scipys_drawing(normalized) -> None:
    matrix = expected_matrix(normalized).to_numpy()
    tree = linkage(matrix, "average")
    ours = segments(tree, leaves_list(tree))
    theirs = dendrogram(tree, no_plot=True)  # leaves at 5, 15, 25, ...: ten times our positions
    ours_as_scipy = {tuple(np.round(np.r_[shape[:, 0] * 10, shape[:, 1]], 9)) for shape in ours}
    theirs_set = {tuple(np.round(np.r_[x, y], 9)) for x, y in zip(theirs["icoord"], theirs["dcoord"])}
    assert ours_as_scipy == theirs_set


def test_dendrograms_are_drawn_beside_the_clustered_axes(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.2",
        cluster_x=True,
        cluster_y=True,
    )
    figure = result.figure(show_dendrogram=True)
    rows = axes_named(figure, "row dendrogram").collections[0]
    columns = axes_named(figure, "column dendrogram").collections[0]
    assert len(rows.get_segments()) == len(result.matrix) - 1
    assert len(columns.get_segments()) == result.matrix.shape[1] - 1
    assert row_labels(figure) == list(result.matrix.index)
    assert axes_named(result.figure(), "row dendrogram") is None


def test_missing_cells_cluster_with_nan_aware_euclidean(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(death_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        subset="PM:1",
        missing="keep",
        filter="NOT row any = inf",
        cluster_y=True,
    )
    rows = pd.read_csv(normalized, sep="\t")
    matrix = natural(rows[rows.PM == 1].groupby(["Substrate", "Isolate"])["norm(death_lin)"].mean().unstack("Isolate"))
    matrix = matrix[~np.isinf(matrix).any(axis=1)].to_numpy()
    assert np.isnan(matrix).any()
    # R's dist(): sum of squares over the shared cells, scaled up to all cells
    naive = []
    for i in range(len(matrix)):
        for j in range(i + 1, len(matrix)):
            shared = ~np.isnan(matrix[i]) & ~np.isnan(matrix[j])
            squares = ((matrix[i] - matrix[j])[shared] ** 2).sum()
            naive.append(np.sqrt(squares * matrix.shape[1] / shared.sum()) if shared.any() else np.nan)
    naive = np.array(naive)
    np.testing.assert_allclose(nan_euclidean_distances(matrix), naive, rtol=1e-9, atol=1e-12)
    assert not np.isnan(naive).any()  # every pair of these rows shares a cell
    np.testing.assert_allclose(result.row_linkage, linkage(naive, "average"), rtol=1e-9)


def test_missing_cells_with_another_metric_say_what_to_do(normalized) -> None:
    with pytest.raises(
        DataError, match="--cluster-metric euclidean, which compares two labels on the cells both have"
    ):
        heatmap(
            normalized,
            value="norm(death_lin)",
            x="Isolate",
            y="Substrate",
            operation="mean",
            subset="PM:1",
            missing="keep",
            filter="NOT row any = inf",
            cluster_y=True,
            cluster_metric="correlation",
        )


def test_infinite_cells_are_refused_with_a_filter_that_fixes_them(normalized) -> None:
    request = dict(
        value="norm(death_lin)", x="Isolate", y="Substrate", operation="mean", subset="PM:1", missing="keep",
        cluster_y=True,
    )
    with pytest.raises(DataError, match=r"infinite cells .* -f '([^']+)'") as caught:
        heatmap(normalized, **request)
    suggested = re.search(r"-f '([^']+)'", caught.value.message).group(1)
    result = heatmap(normalized, filter=suggested, **request)
    assert np.isfinite(result.matrix.to_numpy()[~np.isnan(result.matrix.to_numpy())]).all()
    assert result.row_linkage is not None


def test_undefined_correlation_names_the_constant_label() -> None:
    values = np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0], [3.0, 1.0, 0.0]])
    with pytest.raises(DataError, match="'flat'.*all equal has no correlation"):
        cluster(values, ["rising", "flat", "falling"], "average", "correlation", "rows")


@pytest.mark.parametrize(
    ("method", "metric", "message"),
    [
        ("avrage", "euclidean", "Did you mean 'average'"),
        ("average", "pearson", "Known metrics"),
        ("ward", "correlation", "euclidean distances only"),
    ],
)
def test_bad_method_or_metric_is_a_usage_error(summary, method, metric, message) -> None:
    with pytest.raises(UsageError, match=message):
        heatmap(
            summary,
            value="gr",
            x="Isolate",
            y="Substrate",
            operation="mean",
            cluster_x=True,
            cluster_method=method,
            cluster_metric=metric,
        )
