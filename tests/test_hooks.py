"""Every hook of the contract, exercised by a test plugin registered with the ``amiga_heatmap_plugin``
fixture and used in a real run on the example data. ``test_hook_contract.py`` checks that each hook in
hookspecs.py has a test here named ``test_<hook>_...``."""

from __future__ import annotations

import json
import warnings
from functools import partial

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.builtin.readers import read_delimited, read_header
from amiga_heatmap.components import (
    Aggregator,
    Annotation,
    LegacyAggregatorWarning,
    Operator,
    Quantifier,
    Reader,
    Renderer,
)
from amiga_heatmap.errors import DataError, UsageError

from .conftest import natural


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t")


class SemicolonReader:
    """Reads ``.scsv`` files: semicolon-separated summary tables."""

    @hookimpl
    def register_readers(self, register):
        register(Reader("semicolon", (".scsv",), partial(read_delimited, separator=";"),
                        partial(read_header, separator=";"), "semicolon-separated tables"))


def test_register_readers_reads_a_new_suffix_in_files_and_folders(amiga_heatmap_plugin, summary, tmp_path) -> None:
    plugins = amiga_heatmap_plugin(SemicolonReader())
    assert plugins.reader_for("x/plate.SCSV").name == "semicolon"
    rows = read(summary)
    folder = tmp_path / "semicolons"
    folder.mkdir()
    for plate, part in rows.groupby("PM"):
        part.to_csv(folder / f"plate{plate}.scsv", sep=";", index=False)
    result = heatmap(folder, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    expected = natural(rows.groupby(["Substrate", "Isolate"])["auc_lin"].mean().unstack("Isolate"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)
    assert len(result.rows) == len(rows)


def largest(values, groups, n_groups):
    maxima = np.full(n_groups, np.nan)
    np.fmax.at(maxima, groups, values)  # fmax skips NaN
    return maxima


class MaximumAggregator:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("maximum", largest, "largest replicate"))


def test_register_aggregators_adds_an_operation(amiga_heatmap_plugin, summary, run_cli) -> None:
    amiga_heatmap_plugin(MaximumAggregator())
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="maximum")
    expected = natural(read(summary).groupby(["Substrate", "Isolate"])["gr"].max().unstack("Isolate"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=0)
    assert result.operation == "maximum"
    done = run_cli("-i", summary, "-o", "max", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "maxium",
                   "--format", "tsv")
    assert done.exit_code == 2
    assert "Did you mean 'maximum'" in done.stderr and "'maximum', 'mean', 'median'" in done.stderr


def spread_of_cell(values, groups, n_groups, weight):
    """weight * (largest - smallest) of each cell's non-missing values."""
    highest, lowest = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    np.fmax.at(highest, groups, values)
    np.fmin.at(lowest, groups, values)
    with np.errstate(invalid="ignore"):  # inf - inf
        return weight * (highest - lowest)


class SpreadAggregator:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("spread", spread_of_cell, "weighted range of the replicates", parameters=("weight",)))
        register(Aggregator("p90", description="90th percentile", form="quantile", parameters=("q",)))


def test_register_aggregators_with_parameters_and_forms(amiga_heatmap_plugin, normalized, run_cli) -> None:
    amiga_heatmap_plugin(SpreadAggregator())
    rows = read(normalized)
    groups = rows.groupby(["Substrate", "Strain"])["norm(death_lin)"]
    result = heatmap(normalized, value="norm(death_lin)", x="Strain", y="Substrate", operation="spread(0.5)",
                     missing="keep")
    expected = natural((0.5 * (groups.max() - groups.min())).unstack("Strain"))
    assert np.isnan(expected.to_numpy()).any() and np.isinf(expected.to_numpy()).any()
    pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index], rtol=1e-15)
    assert result.operation == "spread(0.5)"
    quantiles = heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="p90(0.9)")
    expected = natural(rows.groupby(["Substrate", "Strain"])["norm(auc_lin)"].quantile(0.9).unstack("Strain"))
    pd.testing.assert_frame_equal(quantiles.matrix, expected, rtol=1e-15)
    done = run_cli("-i", normalized, "-o", "q", "-x", "Strain", "-y", "Substrate", "-v", "gr", "-p", "p90(1.5)",
                   "--format", "tsv")
    assert done.exit_code == 2 and "q must be between 0 and 1, not 1.5" in done.stderr


def group_maximum(groups):
    return groups.max()


class LegacyMaximum:
    """An aggregator written against the old contract: reduce(SeriesGroupBy)."""

    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("maximum", group_maximum, "largest replicate"))


def test_register_aggregators_of_the_old_contract_still_work_with_one_warning(
    amiga_heatmap_plugin, summary, run_cli, tmp_path
) -> None:
    amiga_heatmap_plugin(LegacyMaximum(), name="oldlab")
    expected = natural(read(summary).groupby(["Substrate", "Isolate"])["gr"].max().unstack("Isolate"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="maximum")
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=0)
    legacy = [warning for warning in caught if issubclass(warning.category, LegacyAggregatorWarning)]
    assert len(legacy) == 1 and len(caught) == 1
    assert "The aggregator 'maximum' of the plugin 'oldlab' is written against the old contract" in str(
        legacy[0].message)
    assert "change it to reduce(values, groups, n_groups)" in str(legacy[0].message)
    done = run_cli("-i", summary, "--output-dir", tmp_path, "-o", "max", "-x", "Isolate", "-y", "Substrate",
                   "-v", "gr", "-p", "maximum", "--format", "tsv")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count("Warning: ") == 1 and "old contract reduce(groups)" in done.stderr
    written = pd.read_csv(tmp_path / "max.tsv", sep="\t", index_col=0)
    pd.testing.assert_frame_equal(written, expected, check_names=False, rtol=0)


def _at_least(values, compare, axis, count):
    return np.count_nonzero(compare(values), axis=axis) >= count


class AtLeastQuantifier:
    @hookimpl
    def register_quantifiers(self, register):
        register(Quantifier("atleast", _at_least, "at least COUNT cells pass", ("count",)))


def test_register_quantifiers_adds_a_parameterised_quantifier(amiga_heatmap_plugin, normalized) -> None:
    amiga_heatmap_plugin(AtLeastQuantifier())
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     filter="row atleast(3) >= 1.2")
    expected = natural(read(normalized).groupby(["Substrate", "Isolate"])["norm(auc_lin)"].mean().unstack("Isolate"))
    expected = expected.dropna()
    expected = expected[(expected >= 1.2).sum(axis=1) >= 3]
    assert len(expected) > 0
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


def _not_equal(values, threshold):
    return (values != threshold) & ~np.isnan(values)


class NotEqualOperator:
    @hookimpl
    def register_operators(self, register):
        register(Operator("!=", _not_equal, "cell differs from the threshold"))


def test_register_operators_adds_a_comparison(amiga_heatmap_plugin, summary) -> None:
    amiga_heatmap_plugin(NotEqualOperator())
    result = heatmap(summary, value="death_lin", x="Isolate", y="Substrate", operation="mean",
                     filter="row any != 0")
    expected = natural(read(summary).groupby(["Substrate", "Isolate"])["death_lin"].mean().unstack("Isolate"))
    expected = expected[(expected != 0).any(axis=1)]
    assert 0 < len(expected) < 191
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-13)


def write_json(result, path, file_format, options):
    payload = {"rows": [str(label) for label in result.matrix.index],
               "columns": [str(label) for label in result.matrix.columns],
               "values": result.matrix.to_numpy().tolist(), "indent": options.get("indent")}
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=options.get("indent"))


class JsonRenderer:
    @hookimpl
    def register_renderers(self, register):
        register(Renderer("json", ("json",), write_json, "the matrix as JSON",
                          options_accepted={"indent": "spaces to indent with"}))


def test_register_renderers_adds_a_format_to_the_command_line(amiga_heatmap_plugin, summary, run_cli) -> None:
    amiga_heatmap_plugin(JsonRenderer())
    done = run_cli("-i", summary, "-o", "matrix", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                   "-s", "PM:2", "--format", "json", "--kwargs", "indent:2")
    assert done.exit_code == 0, done.stderr
    written = json.loads((summary.parent / "matrix.json").read_text())
    rows = read(summary)
    expected = natural(rows[rows.PM == 2].groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate"))
    assert written["rows"] == list(expected.index) and written["columns"] == list(expected.columns)
    np.testing.assert_allclose(written["values"], expected.to_numpy(), rtol=1e-15)
    assert written["indent"] == 2
    refused = run_cli("-i", summary, "-o", "bad", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                      "--format", "json", "--kwargs", "cmap:viridis")
    assert refused.exit_code == 2 and "'indent'" in refused.stderr


class MaximumEngine:
    """An engine of its own: reads through the registered readers, keeps the largest replicate, and
    refuses the aggregators it cannot run."""

    @hookimpl
    def register_engines(self, register):
        from amiga_heatmap.components import Engine
        from amiga_heatmap.errors import UsageError

        def compute(sources, run):
            from amiga_heatmap.pipeline.cell_table import CellTable
            from amiga_heatmap.pipeline.subset import apply_subset

            if run.aggregator is None or run.aggregator.name != "max":
                raise UsageError("The largest engine only runs -p max; use --engine pandas for the others.")
            rows = apply_subset(sources.read(run), run.selection)
            grouped = rows.groupby([run.spec.y.column, run.spec.x.column])[run.spec.value]
            cells = pd.DataFrame({"value": grouped.max().astype(float), "n": grouped.count()})
            return CellTable(cells=cells, x=run.spec.x.column, y=run.spec.y.column, value=run.spec.value,
                             labels=rows, rows=None, engine="largest")

        register(Engine("largest", compute, "largest replicate, computed apart from pandas' engine"))

    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("max", description="largest replicate", form="max"))


def test_register_engines_replaces_the_computation_of_the_cells(amiga_heatmap_plugin, summary) -> None:
    plugins = amiga_heatmap_plugin(MaximumEngine())
    assert sorted(plugins.engines.names()) == ["auto", "duckdb", "largest", "pandas"]
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="max", engine="largest",
                     subset={"PM": [2]})
    rows = read(summary)
    expected = natural(rows[rows["PM"] == 2].groupby(["Substrate", "Isolate"])["gr"].max().unstack("Isolate"))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=0)
    assert result.cell_table.engine == "largest"
    with pytest.raises(DataError, match="engine keeps no input rows in memory"):
        result.rows  # noqa: B018


def test_register_engines_refusal_and_unknown_engine_are_usage_errors(amiga_heatmap_plugin, summary) -> None:
    amiga_heatmap_plugin(MaximumEngine())
    with pytest.raises(UsageError, match="only runs -p max"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", engine="largest")
    with pytest.raises(UsageError, match=r"Unknown engine 'largets' \(given to engine\)\. Did you mean "
                                         r"'largest'\?"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", engine="largets")


def rank_in_row(values, scale=1.0):
    return values.rank(axis=1, pct=True) * scale


class RankTransform:
    @hookimpl
    def register_transforms(self, register):
        from amiga_heatmap.components import Transform

        register(Transform("rowrank", rank_in_row, "percentile rank within the row, times scale",
                           parameters=("scale",)))


def test_register_transforms_adds_a_transform_applied_in_order(amiga_heatmap_plugin, summary) -> None:
    amiga_heatmap_plugin(RankTransform())
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean",
                     transforms=["center(row)", "rowrank(100)"], filter="row any >= 100")
    means = read(summary).groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate")
    centred = means.sub(means.median(axis=1), axis=0)
    expected = centred.rank(axis=1, pct=True) * 100
    pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index], rtol=1e-13)
    assert result.transforms == ("center(row)", "rowrank(100)")
    with pytest.raises(UsageError, match=r"rowrank takes at most 1: scale, but 2 were given"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", transforms="rowrank(1, 2)")


class HabitatAnnotation:
    @hookimpl
    def register_annotations(self, register):
        table = pd.DataFrame({"Isolate": ["ER1", "ER2", "ER3"], "habitat": ["soil", "soil", "gut"]})
        register(Annotation("habitats", ("Isolate",), ("habitat",), lambda: table, "isolation habitat"))


def test_register_annotations_adds_a_column_joined_on_its_keys(amiga_heatmap_plugin, summary) -> None:
    plugins = amiga_heatmap_plugin(HabitatAnnotation())
    assert plugins.annotations.plugin_of("habitats") == "HabitatAnnotation"
    with pytest.warns(UserWarning, match="'habitats' has no entry for 384 of 1536 rows \\(Isolate ER4\\)"):
        result = heatmap(summary, value="gr", x="habitat", y="Substrate", operation="mean", subset="habitat:soil")
    rows = read(summary)
    expected = rows[rows["Isolate"].isin(["ER1", "ER2"])].groupby("Substrate")["gr"].mean()
    pd.testing.assert_series_equal(result.matrix["soil"].sort_index(), expected, check_names=False)
