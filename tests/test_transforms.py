"""The built-in transforms (``--transform``) against scipy and numpy computed in the test, and plugins in a
single file dropped into ``--plugins-dir`` that add a transform or replace the engine, run through the real
command line."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError

from .conftest import natural

X, Y, VALUE = "Isolate", "Substrate", "norm(auc_lin)"


def means(path) -> pd.DataFrame:
    return natural(pd.read_csv(path, sep="\t").groupby([Y, X])[VALUE].mean().unstack(X))


def test_log2_matches_numpy_and_leaves_cells_at_or_below_zero_missing(normalized) -> None:
    with pytest.warns(UserWarning, match=r"--transform log2: 4 cells hold a value at or below 0"):
        result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms="log2",
                         missing="keep")
    expected = means(normalized)
    expected = np.log2(expected.where(expected > 0))
    pd.testing.assert_frame_equal(result.matrix, expected, rtol=1e-15)
    assert result.transforms == ("log2",)


@pytest.mark.parametrize("axis, along", [("row", 1), ("col", 0)])
def test_zscore_matches_scipy(normalized, axis, along) -> None:
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms=f"zscore({axis})")
    expected = means(normalized)
    scores = stats.zscore(expected.to_numpy(), axis=along, ddof=0)
    np.testing.assert_allclose(result.matrix.loc[expected.index, expected.columns].to_numpy(), scores,
                               rtol=1e-12)


def test_zscore_defaults_to_rows_and_center_subtracts_the_median(normalized) -> None:
    by_default = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms="zscore")
    by_row = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms="zscore(row)")
    pd.testing.assert_frame_equal(by_default.matrix, by_row.matrix)
    centred = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms="center(col)")
    expected = means(normalized)
    pd.testing.assert_frame_equal(centred.matrix, expected - np.median(expected.to_numpy(), axis=0),
                                  rtol=1e-13)


def test_the_filter_compares_transformed_values(normalized) -> None:
    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="mean", transforms=["log2"],
                     filter="row any >= 0.5", missing="keep")
    expected = means(normalized)
    kept = expected.index[(expected >= 2 ** 0.5).any(axis=1)]
    assert sorted(result.matrix.index) == sorted(kept)


@pytest.mark.parametrize("text, message", [
    ("zscore(diagonal)", "the argument 'diagonal' is not an axis; write row (each row on its own) or col."),
    ("log2(2)", "log2 takes none, but 1 were given."),
    ("zscore(row, 2)", "zscore takes at most 1: axis, but 2 were given."),
    ("logg2", "Unknown transform 'logg2' (given to --transform). Did you mean 'log2'?"),
    ("center(row", "is not a transform: write a name, optionally with arguments in parentheses"),
    ("center(r@w)", "the argument 'r@w' is neither a number nor a word."),
])
def test_bad_transforms_are_usage_errors_before_reading(text, message, tmp_path) -> None:
    with pytest.raises(UsageError) as raised:
        heatmap(tmp_path / "does-not-exist.txt", value=VALUE, x=X, y=Y, transforms=text)
    assert message in raised.value.message


def test_verbose_says_which_transforms_ran(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "t", "-x", X, "-y", Y, "-v", VALUE, "-p", "mean", "--format", "tsv",
                     "--transform", "center(row)", "--transform", "zscore(col)", "--verbose")
    assert result.exit_code == 0, result.stderr
    assert "transform center(row) applied" in result.stderr and "transform zscore(col) applied" in result.stderr
    assert result.stderr.index("center(row) applied") < result.stderr.index("zscore(col) applied")


def write_plugin(folder, name, code) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")


def test_a_single_file_plugin_adds_a_transform(run_cli, normalized, tmp_path) -> None:
    lab = tmp_path / "lab"
    write_plugin(lab, "doubling", """
        from amiga_heatmap import hookimpl
        from amiga_heatmap.components import Transform


        def times(values, factor=2.0):
            return values * factor


        @hookimpl
        def register_transforms(register):
            register(Transform("times", times, "multiply every cell", parameters=("factor",)))
    """)
    result = run_cli("-i", normalized, "-o", "doubled", "-x", X, "-y", Y, "-v", VALUE, "-p", "mean",
                     "--format", "tsv", "--plugins-dir", lab, "--transform", "times(3)")
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(normalized.parent / "doubled.tsv", sep="\t", index_col=0)
    expected = means(normalized) * 3
    np.testing.assert_allclose(written.loc[expected.index, expected.columns].to_numpy(), expected.to_numpy(),
                               rtol=1e-12)
    listing = run_cli("plugins", "--plugins-dir", lab)
    assert "transforms: times(factor)" in listing.stdout


def test_a_single_file_plugin_replaces_the_engine(run_cli, normalized, tmp_path) -> None:
    lab = tmp_path / "lab"
    write_plugin(lab, "median_engine", """
        from amiga_heatmap import hookimpl
        from amiga_heatmap.components import Engine


        def compute(sources, run):
            import pandas as pd

            from amiga_heatmap.pipeline.cell_table import CellTable

            spec = run.spec
            rows = sources.read(run)
            grouped = rows.groupby([spec.y.column, spec.x.column])[spec.value]
            cells = pd.DataFrame({"value": grouped.median().astype(float), "n": grouped.count()})
            return CellTable(cells=cells, x=spec.x.column, y=spec.y.column, value=spec.value, labels=rows,
                             rows=rows, engine="medians")


        @hookimpl
        def register_engines(register):
            register(Engine("medians", compute, "every cell is the median of its replicates"))
    """)
    result = run_cli("-i", normalized, "-o", "medians", "-x", X, "-y", Y, "-v", VALUE, "-p", "mean",
                     "--format", "tsv", "--plugins-dir", lab, "--engine", "medians")
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(normalized.parent / "medians.tsv", sep="\t", index_col=0)
    expected = pd.read_csv(normalized, sep="\t").groupby([Y, X])[VALUE].median().unstack(X)
    np.testing.assert_allclose(written.loc[expected.index, expected.columns].to_numpy(), expected.to_numpy(),
                               rtol=1e-12)
    listing = run_cli("plugins", "--plugins-dir", lab)
    assert "engines: medians" in listing.stdout
    unknown = run_cli("-i", normalized, "-x", X, "-y", Y, "-v", VALUE, "-p", "mean", "--engine", "median")
    assert unknown.exit_code == 2
    assert "Unknown engine 'median' (given to --engine)." in unknown.stderr
