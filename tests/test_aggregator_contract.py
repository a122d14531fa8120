"""The aggregator contract on the real example data: the standard forms, the examples of docs/plugins.md
(run as plugins), group codes that leave out rows without a cell, and wrong results from a plugin. Expected
matrices are computed here with pandas and scipy."""

from __future__ import annotations

import re
import types

import numpy as np
import pandas as pd
import pytest
from scipy.stats import gmean, trim_mean

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.components import AGGREGATION_FORMS, Aggregator
from amiga_heatmap.errors import DataError, PluginError

from .conftest import REPOSITORY, natural

GUIDE = (REPOSITORY / "docs" / "plugins.md").read_text(encoding="utf-8")


def guide_plugin(section: str, index: int) -> types.ModuleType:
    """The ``index``-th Python block of a section of docs/plugins.md, as a plugin module."""
    text = GUIDE[GUIDE.index(section):]
    text = text[: text.index("\n## ", 1)] if "\n## " in text[1:] else text
    code = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)[index]
    module = types.ModuleType(f"guide_{index}")
    exec(compile(code, "docs/plugins.md", "exec"), module.__dict__)  # noqa: S102 - running the guide is the test
    return module


def matrix_of(path, value, how, x="Strain", y="Substrate") -> pd.DataFrame:
    return natural(pd.read_csv(path, sep="\t").groupby([y, x])[value].agg(how).unstack(x))


def linear_quantile(cell: pd.Series, q: float) -> float:
    """The q-quantile of the cell's non-missing values: linear interpolation between the two nearest,
    their value when they are equal (so [inf, inf] gives inf, where inf - inf would give NaN)."""
    ordered = np.sort(cell.dropna().to_numpy())
    if not len(ordered):
        return np.nan
    position = (len(ordered) - 1) * q
    low, high = ordered[int(np.floor(position))], ordered[int(np.ceil(position))]
    return low if low == high else low + (position - np.floor(position)) * (high - low)


class Forms:
    @hookimpl
    def register_aggregators(self, register):
        for form, parameters in AGGREGATION_FORMS.items():
            register(Aggregator(f"form_{form}", description=form, form=form, parameters=parameters))


@pytest.mark.parametrize(
    ("operation", "how"),
    [("form_mean", "mean"), ("form_median", "median"), ("form_quantile(0.1)", lambda cell: linear_quantile(cell, 0.1)),
     ("form_quantile(0.75)", lambda cell: linear_quantile(cell, 0.75)),
     ("form_min", "min"), ("form_max", "max"), ("form_sd", "std"), ("form_count", "count"),
     ("mean", "mean"), ("median", "median")],
)
@pytest.mark.parametrize("value", ["norm(death_lin)", "norm(auc_lin)"])
def test_every_standard_form_matches_pandas(amiga_heatmap_plugin, normalized, operation, how, value) -> None:
    amiga_heatmap_plugin(Forms())
    result = heatmap(normalized, value=value, x="Strain", y="Substrate", operation=operation, missing="keep")
    expected = matrix_of(normalized, value, how).astype(float)
    pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index], rtol=1e-14, check_names=False)


def test_the_guide_examples_match_scipy(amiga_heatmap_plugin, normalized, summary) -> None:
    amiga_heatmap_plugin(guide_plugin("### `register_aggregators`", 0), name="guide-trimmed")
    amiga_heatmap_plugin(guide_plugin("### `register_aggregators`", 1), name="guide-geometric")
    amiga_heatmap_plugin(guide_plugin("## How a plugin looks", 0), name="guide-spread")
    for value in ("norm(death_lin)", "norm(auc_lin)"):
        result = heatmap(normalized, value=value, x="Strain", y="Substrate", operation="trimmed_mean(0.25)",
                         missing="keep")
        expected = matrix_of(normalized, value, lambda cell: trim_mean(cell.dropna(), 0.25)
                             if cell.notna().any() else np.nan)
        pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index], rtol=1e-12,
                                      check_names=False)
    geometric = heatmap(summary, value="OD_Max", x="Isolate", y="Substrate", operation="geometric_mean")
    pd.testing.assert_frame_equal(geometric.matrix, matrix_of(summary, "OD_Max", gmean, x="Isolate"), rtol=1e-12,
                                  check_names=False)
    with pytest.raises(DataError, match="needs positive values"):
        heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation="geometric_mean")
    p90 = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="p90(0.9)")
    pd.testing.assert_frame_equal(p90.matrix, matrix_of(summary, "gr", lambda cell: cell.quantile(0.9),
                                                        x="Isolate"), rtol=1e-14, check_names=False)
    spread = heatmap(normalized, value="norm(death_lin)", x="Strain", y="Substrate", operation="spread",
                     missing="keep")
    with np.errstate(invalid="ignore"):  # inf - inf
        expected = matrix_of(normalized, "norm(death_lin)", lambda cell: cell.max() - cell.min())
    pd.testing.assert_frame_equal(spread.matrix, expected.loc[spread.matrix.index], check_names=False)


class Recorder:
    """Keeps what reduce was given; returns each cell's number of values."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, np.ndarray, int, tuple[float, ...]]] = []

    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("recorded", self.reduce, parameters=("a", "b")))

    def reduce(self, values, groups, n_groups, *arguments):
        self.calls.append((values, groups, n_groups, arguments))
        return np.bincount(groups, minlength=n_groups).astype(float)


def test_reduce_gets_read_only_values_and_codes_of_rows_with_a_cell(amiga_heatmap_plugin, summary) -> None:
    recorder = Recorder()
    amiga_heatmap_plugin(recorder)
    rows = pd.read_csv(summary, sep="\t")
    rows.loc[[3, 10], "Isolate"] = None
    rows.loc[20, "Substrate"] = None
    result = heatmap(rows, value="gr", x="Isolate", y="Substrate", operation="recorded(1, -2.5e-1)")
    (values, groups, n_groups, arguments), = recorder.calls
    kept = rows.drop(index=[3, 10, 20])
    assert arguments == (1.0, -0.25) and result.operation == "recorded(1.0, -0.25)"
    assert values.dtype == float and groups.dtype.kind == "i" and not values.flags.writeable
    assert not groups.flags.writeable
    assert len(values) == len(groups) == len(kept) and n_groups == len(set(zip(kept.Substrate, kept.Isolate)))
    np.testing.assert_array_equal(values, kept["gr"].to_numpy())
    assert sorted(np.unique(groups)) == list(range(n_groups))
    labels = list(zip(kept.Substrate, kept.Isolate))
    codes = {}
    for label, code in zip(labels, groups.tolist()):
        assert codes.setdefault(label, code) == code, "one code per cell"
    pd.testing.assert_frame_equal(result.matrix, natural(kept.groupby(["Substrate", "Isolate"]).size().unstack().astype(float)),
                                  check_names=False)


class WrongLength:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("short", lambda values, groups, n_groups: np.zeros(n_groups - 1)))
        register(Aggregator("texty", lambda values, groups, n_groups: ["high"] * n_groups))


def test_a_result_of_the_wrong_shape_is_the_plugins_error(amiga_heatmap_plugin, summary) -> None:
    amiga_heatmap_plugin(WrongLength(), name="sloppy")
    with pytest.raises(PluginError, match=r"The aggregator 'short' of the plugin 'sloppy' returned a result of "
                                          r"shape \(763,\) for 764 cells; it must return one number per cell"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="short")
    with pytest.raises(PluginError, match=r"'texty' of the plugin 'sloppy' returned a list for 764 cells"):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="texty")


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [({"form": "avg"}, "form='avg' is not a standard form"),
     ({}, "needs a reduce function or a form"),
     ({"form": "quantile"}, "the form 'quantile' takes the parameters ('q',)"),
     ({"reduce": lambda groups: groups.max(), "parameters": ("k",)}, "the old contract, which takes no parameters")],
)
def test_an_aggregator_that_cannot_work_is_refused_when_built(arguments, problem) -> None:
    with pytest.raises(TypeError, match=re.escape(problem)):
        Aggregator("broken", **arguments)


def test_the_old_contract_is_recognised_by_its_one_argument() -> None:
    assert Aggregator("old", lambda groups: groups.max()).legacy
    assert not Aggregator("new", lambda values, groups, n_groups: values[:n_groups]).legacy
    assert not Aggregator("form", form="max").legacy
    assert not Aggregator("builtin", np.add).legacy, "a signature that cannot be read is the new contract"
