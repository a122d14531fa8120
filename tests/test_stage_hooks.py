"""The stage hooks: each is called through pluggy during a real run on the example data, a plugin's
implementation goes before the built-in (which is ``trylast``), a wrapper sees and changes the stage's
result, and a failing implementation is named. ``test_hook_contract.py`` checks that every stage hook has
a ``test_<hook>_...`` test here."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.errors import PluginError

from .conftest import natural

X, Y, VALUE = "Isolate", "Substrate", "norm(auc_lin)"


def expected_means(path, minimum_replicates: int = 0) -> pd.DataFrame:
    """The matrix of replicate means, computed independently with a pandas groupby."""
    grouped = pd.read_csv(path, sep="\t").groupby([Y, X])[VALUE]
    means = grouped.mean()
    if minimum_replicates:
        means = means[grouped.count() >= minimum_replicates]
    return natural(means.unstack(X))


class AtLeastTwoReplicates:
    @hookimpl(wrapper=True)
    def compute_cells(self, sources, run):
        cells = yield
        return replace(cells, cells=cells.cells[cells.cells["n"] >= 2])


def test_compute_cells_wrapper_changes_the_engine_result(amiga_heatmap_plugin, normalized) -> None:
    rows = pd.read_csv(normalized, sep="\t")
    one_replicate = rows[rows["Replicate"] == 1]
    amiga_heatmap_plugin(AtLeastTwoReplicates())
    # in the full data every cell has two replicates; keep only the first replicate of ER1
    data = pd.concat([rows[rows[X] != "ER1"], one_replicate[one_replicate[X] == "ER1"]])
    result = heatmap(data, value=VALUE, x=X, y=Y, operation="mean", missing="keep")
    grouped = data.groupby([Y, X])[VALUE]
    expected = natural(grouped.mean()[grouped.count() >= 2].unstack(X))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)
    assert result.matrix["ER1"].isna().sum() > 150  # most ER1 cells had one replicate


class TakeOverTheCells:
    """Replaces the whole cells stage: every cell is the largest replicate."""

    @hookimpl
    def compute_cells(self, sources, run):
        from amiga_heatmap.pipeline.cell_table import CellTable

        rows = sources.read(run)
        grouped = rows.groupby([run.spec.y.column, run.spec.x.column])[run.spec.value]
        cells = pd.DataFrame({"value": grouped.max().astype(float), "n": grouped.count()})
        return CellTable(cells=cells, x=run.spec.x.column, y=run.spec.y.column, value=run.spec.value,
                         labels=rows, rows=rows, engine="maximum")


def test_compute_cells_plugin_goes_before_the_builtin_engine(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(TakeOverTheCells())
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean")
    expected = natural(pd.read_csv(normalized, sep="\t").groupby([Y, X])[VALUE].max().unstack(X))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=0)
    assert result.cell_table.engine == "maximum"


class UpperCaseLabels:
    @hookimpl(wrapper=True)
    def pivot_cells(self, cells, run):
        matrix = yield
        return replace(matrix, values=matrix.values.rename(index=str.upper),
                       counts=matrix.counts.rename(index=str.upper))


def test_pivot_cells_wrapper_renames_labels(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(UpperCaseLabels())
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean")
    expected = expected_means(normalized).rename(index=str.upper)
    pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index], rtol=1e-13)
    assert sorted(result.matrix.index) == sorted(expected.index)


class TolerateOneMissingCell:
    @hookimpl
    def handle_missing_cells(self, matrix, run):
        if run.spec.missing != "drop-rows":
            return None
        keep = matrix.values.isna().sum(axis=1) <= 1
        return replace(matrix, values=matrix.values[keep], counts=matrix.counts[keep],
                       dropped_rows=tuple(matrix.values.index[~keep]))


def test_handle_missing_cells_plugin_replaces_the_builtin(amiga_heatmap_plugin, normalized) -> None:
    rows = pd.read_csv(normalized, sep="\t")
    # one substrate loses one isolate, another loses two
    gapped = rows[~((rows[Y] == "D-Serine") & (rows[X] == "ER1"))
                  & ~((rows[Y] == "D-Sorbitol") & rows[X].isin(["ER1", "ER2"]))]
    amiga_heatmap_plugin(TolerateOneMissingCell())
    result = heatmap(gapped, value=VALUE, x=X, y=Y, operation="mean")
    assert "D-Serine" in result.matrix.index and np.isnan(result.matrix.loc["D-Serine", "ER1"])
    assert "D-Sorbitol" not in result.matrix.index and result.dropped == ["D-Sorbitol"]


class Bonferroni:
    @hookimpl(wrapper=True)
    def test_cells(self, matrix, cells, run):
        tested = yield
        if tested.tests is None:
            return tested
        count = int(tested.tests["p"].notna().sum())
        return replace(tested, layers={**tested.layers, "q": (tested.layers["p"] * count).clip(upper=1.0)},
                       tests=tested.tests.assign(q=(tested.tests["p"] * count).clip(upper=1.0)))


def test_test_cells_wrapper_replaces_the_q_values(amiga_heatmap_plugin, normalized) -> None:
    from scipy import stats

    amiga_heatmap_plugin(Bonferroni())
    result = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean", test=True)
    rows = pd.read_csv(normalized, sep="\t")
    values = rows[(rows[Y] == "Capric Acid") & (rows[X] == "ER1")]["norm(gr)"].to_numpy()
    p = stats.ttest_1samp(np.log2(values), 0.0).pvalue
    tested = int(result.tests["p"].notna().sum())
    np.testing.assert_allclose(result.layers["q"].loc["Capric Acid", "ER1"], min(1.0, p * tested), rtol=1e-12)
    cells = result.cells.set_index([Y, X])
    np.testing.assert_allclose(cells.loc[("Capric Acid", "ER1"), "q"], min(1.0, p * tested), rtol=1e-12)


def test_test_cells_builtin_leaves_a_run_without_test_unchanged(normalized) -> None:
    result = heatmap(normalized, value="norm(gr)", x=X, y=Y, operation="mean")
    assert result.tests is None and result.layers == {}
    assert "p" not in result.cells.columns and (result.cells["plotted"]).all()


class CapAtOneHalf:
    @hookimpl(wrapper=True)
    def transform_matrix(self, matrix, run):
        transformed = yield
        return replace(transformed, values=transformed.values.clip(upper=0.5))


def test_transform_matrix_wrapper_runs_after_the_builtin_transforms(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(CapAtOneHalf())
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms=["log2"])
    expected = np.log2(expected_means(normalized)).clip(upper=0.5)
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)
    assert result.transforms == ("log2",)


class KeepTheControl:
    @hookimpl(wrapper=True)
    def filter_matrix(self, matrix, run):
        kept = yield
        if "Negative Control" not in kept.values.index:
            rows = [*kept.values.index, "Negative Control"]
            return replace(kept, values=matrix.values.loc[rows, kept.values.columns],
                           counts=matrix.counts.loc[rows, kept.values.columns])
        return kept


def test_filter_matrix_wrapper_sees_the_matrix_before_and_after(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(KeepTheControl())
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", filter="row any > 1.5")
    means = expected_means(normalized)
    passing = means.index[(means > 1.5).any(axis=1)]
    assert sorted(result.matrix.index) == sorted([*passing, "Negative Control"])
    pd.testing.assert_series_equal(result.matrix.loc["Negative Control"], means.loc["Negative Control"],
                                   rtol=1e-13)


class LargestMeanFirst:
    @hookimpl
    def order_matrix(self, matrix, cells, run):
        if run.spec.y.sort_by or run.spec.y.cluster:
            return None
        order = matrix.values.mean(axis=1).sort_values(ascending=False, kind="stable").index
        return matrix.select(order, matrix.values.columns)


def test_order_matrix_plugin_orders_unless_an_order_is_asked(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(LargestMeanFirst())
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean")
    expected = expected_means(normalized).mean(axis=1).sort_values(ascending=False, kind="stable")
    assert list(result.matrix.index) == list(expected.index)
    clustered = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", cluster_y=True)
    assert clustered.row_linkage is not None


class HighlightTheBest:
    @hookimpl(wrapper=True)
    def decorate_matrix(self, matrix, cells, run):
        decorations = yield
        best = matrix.values.mean(axis=1).idxmax()
        return replace(decorations, highlighted={**decorations.highlighted,
                                                 "y": [*decorations.highlighted["y"], best]})


def test_decorate_matrix_wrapper_adds_a_highlight(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(HighlightTheBest())
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", highlight="x:ER2")
    assert result.highlighted["x"] == ["ER2"]
    assert result.highlighted["y"] == [expected_means(normalized).mean(axis=1).idxmax()]


class BrokenStage:
    @hookimpl
    def filter_matrix(self, matrix, run):
        raise ZeroDivisionError("a plugin bug")


def test_filter_matrix_failure_names_the_plugin_and_the_stage(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(BrokenStage(), name="broken-filter")
    with pytest.raises(PluginError, match=r"Plugin 'broken-filter' failed while filtering the matrix: "
                                          r"ZeroDivisionError: a plugin bug"):
        heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean")


def test_pivot_cells_builtin_is_trylast_and_every_stage_is_called(amiga_heatmap_plugin, normalized) -> None:
    calls = []

    class Tracer:
        pass

    for hook in ("compute_cells", "pivot_cells", "handle_missing_cells", "test_cells", "transform_matrix",
                 "filter_matrix", "order_matrix", "decorate_matrix"):
        def traced(self, _hook=hook, **arguments):
            calls.append(_hook)
            return (yield)

        traced.__name__ = hook
        setattr(Tracer, hook, hookimpl(wrapper=True)(traced))
    plugins = amiga_heatmap_plugin(Tracer(), name="tracer")
    order = [item.plugin_name for item in plugins.manager.hook.pivot_cells.get_hookimpls()]
    assert order[0] == "builtin.stages"  # pluggy lists trylast implementations first
    heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean")
    assert calls == ["compute_cells", "pivot_cells", "handle_missing_cells", "test_cells", "transform_matrix",
                     "filter_matrix", "order_matrix", "decorate_matrix"]
