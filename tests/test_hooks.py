"""Every hook of the contract, exercised by a test plugin registered with the ``amiga_heatmap_plugin``
fixture and used in a real run on the example data. ``test_hook_contract.py`` checks that each hook in
hookspecs.py has a test here named ``test_<hook>_...``."""

from __future__ import annotations

import json
from functools import partial

import numpy as np
import pandas as pd

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.builtin.readers import read_delimited, read_header
from amiga_heatmap.components import Aggregator, Operator, Quantifier, Reader, Renderer

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


def group_maximum(groups):
    return groups.max()


class MaximumAggregator:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("maximum", group_maximum, "largest replicate"))


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
