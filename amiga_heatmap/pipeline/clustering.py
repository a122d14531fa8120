"""Hierarchical clustering of the heatmap's rows or columns: the leaf order and the linkage behind it.

Distances come from :func:`scipy.spatial.distance.pdist`; the linkage from
:func:`scipy.cluster.hierarchy.linkage`, or from ``fastcluster.linkage`` when that optional package is
installed (same results, less time on large matrices). The order is
:func:`scipy.cluster.hierarchy.leaves_list`, which walks the tree without recursion, so 10,000 rows
never meet Python's recursion limit. The same matrix always gives the same order.

Missing cells: with the ``euclidean`` metric two labels are compared on the cells both have, and the
sum of squares is scaled up to the full number of cells (the convention of R's ``dist``); other
metrics need every cell and stop with a DataError saying what to do. Infinite cells always stop with a
DataError: no distance is defined for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DataError, UsageError, did_you_mean, known_list

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

METHODS = {
    "average": "mean distance between the members of two clusters (UPGMA)",
    "complete": "largest distance between members",
    "single": "smallest distance between members",
    "weighted": "average of the two merged clusters' distances (WPGMA)",
    "centroid": "distance between cluster centroids (euclidean only)",
    "median": "distance between cluster medians (euclidean only)",
    "ward": "merge that least increases the within-cluster variance (euclidean only)",
}
EUCLIDEAN_ONLY = frozenset({"centroid", "median", "ward"})
METRICS = {
    "euclidean": "straight-line distance; tolerates missing cells",
    "sqeuclidean": "squared euclidean distance",
    "cityblock": "sum of absolute differences (Manhattan)",
    "chebyshev": "largest absolute difference",
    "canberra": "sum of |a-b| / (|a|+|b|)",
    "braycurtis": "sum |a-b| / sum |a+b|",
    "correlation": "1 - Pearson correlation: similar profiles, whatever their level",
    "cosine": "1 - cosine similarity",
}
EXAMPLES_SHOWN = 5
BLOCK_ROWS = 1024


@dataclass(frozen=True)
class Clustering:
    """The outcome of clustering one axis.

    - ``order``: positions (into the labels as given) in clustered order, left to right / top to bottom.
    - ``linkage``: scipy's ``(n - 1) x 4`` linkage matrix over the labels as given (not reordered).
    """

    order: np.ndarray
    linkage: np.ndarray


def check_method_and_metric(method: str, metric: str) -> None:
    """Raise UsageError for an unknown method or metric, or a method that needs euclidean distances."""
    if method not in METHODS:
        raise UsageError(
            f"Unknown clustering method {method!r} (--cluster-method).{did_you_mean(method, METHODS)} "
            f"Known methods: {known_list(METHODS)}."
        )
    if metric not in METRICS:
        raise UsageError(
            f"Unknown clustering metric {metric!r} (--cluster-metric).{did_you_mean(metric, METRICS)} "
            f"Known metrics: {known_list(METRICS)}."
        )
    if method in EUCLIDEAN_ONLY and metric != "euclidean":
        raise UsageError(
            f"The clustering method {method!r} is defined for euclidean distances only, but "
            f"--cluster-metric is {metric!r}. Use --cluster-metric euclidean, or a method such as "
            "'average' or 'complete'."
        )


def cluster(values: np.ndarray, labels: Sequence[object], method: str, metric: str, what: str) -> Clustering:
    """Cluster the rows of the 2-D float array ``values`` (one row per label).

    ``labels`` name the rows in error messages; ``what`` says what they are (``"Substrate rows"``).
    Fewer than two rows give the trivial order and an empty ``(0, 4)`` linkage.
    Raises UsageError for an unknown method or metric and DataError when no distance can be computed
    (infinite cells, missing cells with a metric other than euclidean, constant rows under correlation,
    all-zero rows under cosine, rows sharing no cell).
    """
    import numpy as np

    check_method_and_metric(method, metric)
    values = np.asarray(values, dtype=float)
    count = values.shape[0]
    if count < 2:
        return Clustering(order=np.arange(count), linkage=np.empty((0, 4)))
    _refuse_infinite(values, labels, what)
    _refuse_too_many(count, what)
    missing = np.isnan(values)
    if missing.any():
        if metric != "euclidean":
            raise DataError(
                f"Cannot cluster the {what} with --cluster-metric {metric}: {int(missing.sum())} cells have "
                "no value (kept by --keep-rows-missing-data / --keep-columns-missing-data). Use "
                "--cluster-metric euclidean, which compares two labels on the cells both have, or leave "
                "out the --keep-...-missing-data options so that incomplete rows or columns are dropped."
            )
        distances = nan_euclidean_distances(values)
    else:
        from scipy.spatial.distance import pdist

        distances = pdist(values, metric=metric)
    _refuse_undefined(distances, count, labels, metric, what)
    linkage = _linkage(distances, method)
    from scipy.cluster.hierarchy import leaves_list

    return Clustering(order=leaves_list(linkage), linkage=linkage)


def nan_euclidean_distances(values: np.ndarray) -> np.ndarray:
    """Condensed euclidean distances between the rows of ``values``, ignoring missing (NaN) cells.

    Two rows are compared on the columns where both have a value; the sum of squared differences is
    scaled by ``columns / shared columns``. Pairs sharing no column get NaN. Computed in blocks of rows,
    so memory stays near the size of the result.
    """
    import numpy as np

    count, width = values.shape
    present = (~np.isnan(values)).astype(float)
    filled = np.where(present > 0, values, 0.0)
    squares = filled * filled
    pieces = []
    for start in range(0, count, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, count)
        shared = present[start:stop] @ present.T
        total = (
            squares[start:stop] @ present.T
            + present[start:stop] @ squares.T
            - 2.0 * (filled[start:stop] @ filled.T)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(shared > 0, np.maximum(total, 0.0) * (width / shared), np.nan)
        upper = np.arange(start, stop)[:, None] < np.arange(count)[None, :]
        pieces.append(np.sqrt(scaled[upper]))
    return np.concatenate(pieces)


def _linkage(distances: np.ndarray, method: str) -> np.ndarray:
    try:
        import fastcluster
    except ImportError:
        from scipy.cluster.hierarchy import linkage

        return linkage(distances, method=method)
    return fastcluster.linkage(distances, method=method)


def _refuse_too_many(count: int, what: str) -> None:
    """Raise DataError, before any distance is computed, when the ``count * (count - 1) / 2`` distances
    (8 bytes each) would take more than half of the computer's memory (when it says how much it has)."""
    import os

    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return
    pairs = count * (count - 1) // 2
    needed = pairs * 8
    if memory > 0 and needed > memory / 2:
        raise DataError(
            f"Cannot cluster the {count:,} {what}: their {pairs:,} distances need {needed / 2**30:,.1f} GB "
            f"of memory, more than half of this computer's {memory / 2**30:,.1f} GB. Leave labels out with "
            "--subset or -f, or cluster the other axis only."
        )


def _refuse_infinite(values: np.ndarray, labels: Sequence[object], what: str) -> None:
    import numpy as np

    infinite = np.isinf(values).any(axis=1)
    if infinite.any():
        named = ", ".join(repr(str(labels[i])) for i in np.flatnonzero(infinite)[:EXAMPLES_SHOWN])
        raise DataError(
            f"Cannot cluster the {what}: {int(infinite.sum())} of them have infinite cells (e.g. {named}), "
            "usually a ratio to a control that did not grow. Leave them out with a filter such as "
            "-f 'NOT (row any = inf OR row any = -inf)' (or the same with col), or with --subset, or do not cluster."
        )


def _refuse_undefined(
    distances: np.ndarray, count: int, labels: Sequence[object], metric: str, what: str
) -> None:
    import numpy as np

    bad = np.flatnonzero(~np.isfinite(distances))
    if not bad.size:
        return
    first, second = _condensed_pair(int(bad[0]), count)
    reasons = {
        "correlation": "a label whose cells are all equal has no correlation with anything",
        "cosine": "a label whose cells are all zero has no direction",
        "euclidean": "they share no cell with a value",
    }
    reason = reasons.get(metric, "the metric is undefined for them")
    raise DataError(
        f"Cannot cluster the {what} with --cluster-metric {metric}: the distance between "
        f"{str(labels[first])!r} and {str(labels[second])!r} (and {bad.size - 1} other pairs) is undefined: "
        f"{reason}. Choose another metric (e.g. euclidean), or leave such labels out with --subset or a filter."
    )


def _condensed_pair(index: int, count: int) -> tuple[int, int]:
    """The (i, j) row pair, i < j, stored at ``index`` of a condensed distance vector."""
    import numpy as np

    starts = np.cumsum(np.r_[0, np.arange(count - 1, 0, -1)])
    first = int(np.searchsorted(starts, index, side="right") - 1)
    return first, first + 1 + index - int(starts[first])
