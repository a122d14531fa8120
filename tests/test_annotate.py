"""Lab annotation tables (``--annotate FILE``, ``heatmap(annotate=...)``) and annotations registered by
plugins, on the real E. randomii data: joined on the shared columns, keys compared as text, and the
mistakes a lab makes (a repeated key, no shared column) reported before any output is written."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.components import Annotation
from amiga_heatmap.errors import DataError

from .conftest import EXAMPLES

PHYLOGROUPS = "Isolate\tphylogroup\tsource\nER1\tA\tsoil\nER2\tA\tgut\nER3\tB\tsoil\nER4\tB\t\n"


@pytest.fixture(scope="module")
def summary_rows() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "ER_all_summary_normalized.txt", sep="\t")


@pytest.fixture
def phylogroups(tmp_path):
    path = tmp_path / "phylogroups.tsv"
    path.write_text(PHYLOGROUPS, encoding="utf-8")
    return path


def test_a_lab_table_joins_on_the_shared_column_through_the_command_line(normalized, phylogroups, summary_rows,
                                                                         run_cli, tmp_path) -> None:
    done = run_cli("-i", normalized, "--annotate", phylogroups, "-x", "phylogroup", "-y", "Substrate", "-v",
                   "norm(auc_lin)", "-p", "mean", "--format", "tsv", "--output-dir", tmp_path, "-o", "groups")
    assert done.exit_code == 0, done.stderr
    table = pd.read_csv(tmp_path / "groups.tsv", sep="\t", index_col=0)
    groups = pd.read_csv(phylogroups, sep="\t")
    rows = summary_rows.merge(groups, on="Isolate")
    expected = rows.groupby(["Substrate", "phylogroup"])["norm(auc_lin)"].mean().unstack()
    pd.testing.assert_frame_equal(table.sort_index(), expected.sort_index(), check_names=False)


def test_lab_columns_subset_sort_and_colour(normalized, phylogroups, summary_rows) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     subset="source:soil", sort_x="phylogroup", color_x_by="phylogroup", annotate=phylogroups)
    assert result.matrix.columns.tolist() == ["ER1", "ER3"]
    assert result.x_colors.values.tolist() == ["A", "B"]
    kept = summary_rows[summary_rows["Isolate"].isin(["ER1", "ER3"])]
    assert len(result.source_rows) == len(kept)
    # an empty cell is a missing value: ER4 has no source, so no column of its own
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = heatmap(normalized, value="norm(auc_lin)", x="source", y="Substrate", operation="mean",
                         annotate=[str(phylogroups)], missing="keep")
    assert sorted(result.matrix.columns) == ["gut", "soil"]


def test_keys_are_compared_as_text_and_a_lab_table_corrects_the_plate_map(normalized, tmp_path,
                                                                          summary_rows) -> None:
    # PM is read as the summary's text ("1"); the table writes it with spaces around a cell
    corrections = tmp_path / "corrections.tsv"
    corrections.write_text("PM\tWell\tbiolog_class\n1\tA2 \tC-Source, pentose\n 2\tA1\tC-Source, control\n",
                           encoding="utf-8")
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     annotate=corrections, subset='biolog_class:"C-Source, pentose"')
    kept = result.source_rows
    assert set(zip(kept["PM"], kept["Well"])) == {("1", "A2")} and len(kept) == 8
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="biolog_class", operation="mean",
                     annotate=corrections, read_all_columns=True)
    rows = result.source_rows
    classes = dict(zip(zip(rows["PM"], rows["Well"]), rows["biolog_class"]))
    assert classes[("1", "A2")] == "C-Source, pentose"
    assert classes[("2", "A1")] == "C-Source, control"
    assert classes[("1", "A1")] == "C-Source, negative control"  # the map's, where the table has nothing
    assert rows["biolog_class"].notna().all()


def test_a_float_key_matches_the_whole_number_written_in_the_table(summary_rows, tmp_path) -> None:
    rows = summary_rows.assign(Replicate=summary_rows["Replicate"].astype(float))
    rows.loc[0, "Replicate"] = None  # a missing key matches nothing
    table = tmp_path / "runs.tsv"
    table.write_text("Replicate\trun\n1\tmorning\n2\tevening\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap(rows, value="norm(auc_lin)", x="run", y="Substrate", operation="mean", annotate=table,
                         missing="keep")
    assert sorted(result.matrix.columns) == ["evening", "morning"]
    expected = rows.assign(run=rows["Replicate"].map({1.0: "morning", 2.0: "evening"}))
    means = expected.groupby(["Substrate", "run"])["norm(auc_lin)"].mean().unstack()
    pd.testing.assert_frame_equal(result.matrix.sort_index(), means.sort_index(), check_names=False)
    messages = [str(warning.message) for warning in caught]
    assert any("'runs.tsv' has no entry for 1 of 1536 rows (Replicate (missing))" in text for text in messages)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Isolate\tphylogroup\nER1\tA\nER2\tA\nER1\tB\n",
         "has 2 rows for Isolate ER1 (rows 1, 3 below the header)"),
        ("Strainz\tphylogroup\nER1\tA\n",
         ("shares no column with the summary, so it cannot be joined: its columns are 'Strainz', 'phylogroup'. "
         "Perhaps rename 'Strainz' -> 'Strain'.")),
        ("Isolate\tStrain\nER1\tA\n", "is already a summary column"),
        ("Isolate\tphylogroup\tphylogroup\nER1\tA\tB\n", "has the column 'phylogroup' twice"),
        ("Isolate\tphylogroup\n", "has a header but no rows"),
    ],
)
def test_a_broken_lab_table_is_an_error_naming_the_problem(normalized, tmp_path, run_cli, content, message) -> None:
    table = tmp_path / "lab.tsv"
    table.write_text(content, encoding="utf-8")
    done = run_cli("-i", normalized, "--annotate", table, "-x", "Isolate", "-y", "Substrate", "-v",
                   "norm(auc_lin)", "-p", "mean", "--output-dir", tmp_path, "-o", "never")
    assert done.exit_code == 1
    assert message in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
    assert not list(tmp_path.glob("never*"))


def test_an_unneeded_lab_table_is_read_but_not_joined(normalized, phylogroups) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     annotate=phylogroups)
    assert "phylogroup" not in result.source_rows.columns


def test_several_lab_tables_apply_in_order(normalized, phylogroups, tmp_path) -> None:
    second = tmp_path / "second.tsv"
    second.write_text("Isolate\tphylogroup\nER4\tC\n", encoding="utf-8")
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     color_x_by="phylogroup", annotate=[phylogroups, second])
    assert result.x_colors.values.tolist() == ["A", "A", "B", "C"]


class Locations:
    """A plugin annotation: where each isolate was found."""

    def __init__(self, table: pd.DataFrame, name: str = "locations"):
        self.frame = table
        self.name = name

    @hookimpl
    def register_annotations(self, register):
        register(Annotation(self.name, ("Isolate",), ("country",), lambda: self.frame, "isolation country"))


def test_a_plugin_annotation_joins_like_a_built_in(normalized, amiga_heatmap_plugin, summary_rows) -> None:
    countries = pd.DataFrame({"Isolate": ["ER1", "ER2", "ER3", "ER4"], "country": ["US", "US", "MX", "MX"]})
    plugins = amiga_heatmap_plugin(Locations(countries))
    assert "locations" in plugins.annotations
    result = heatmap(normalized, value="norm(auc_lin)", x="country", y="Substrate", operation="median")
    rows = summary_rows.merge(countries, on="Isolate")
    expected = rows.groupby(["Substrate", "country"])["norm(auc_lin)"].median().unstack()
    pd.testing.assert_frame_equal(result.matrix.sort_index(), expected.sort_index(), check_names=False)


def test_a_plugin_table_with_a_repeated_key_is_a_data_error(normalized, amiga_heatmap_plugin) -> None:
    amiga_heatmap_plugin(Locations(pd.DataFrame({"Isolate": ["ER1", "ER1"], "country": ["US", "MX"]})))
    with pytest.raises(DataError, match="The annotation 'locations' has 2 rows for Isolate ER1"):
        heatmap(normalized, value="norm(auc_lin)", x="country", y="Substrate", operation="mean")


def test_a_plugin_table_lacking_a_declared_column_is_the_plugins_error(normalized, amiga_heatmap_plugin) -> None:
    from amiga_heatmap.errors import PluginError

    amiga_heatmap_plugin(Locations(pd.DataFrame({"Isolate": ["ER1"]}), name="partial"))
    with pytest.raises(PluginError, match="The table of the annotation 'partial' lacks the columns 'country'"):
        heatmap(normalized, value="norm(auc_lin)", x="country", y="Substrate", operation="mean")


def test_spaces_around_column_names_and_an_all_empty_column_are_harmless(normalized, tmp_path) -> None:
    table = tmp_path / "spaced.tsv"
    table.write_text(" Isolate \tphylogroup \tnote\nER1\tA\t\nER2\tA\t\nER3\tB\t\nER4\tB\t\n", encoding="utf-8")
    result = heatmap(normalized, value="norm(auc_lin)", x="phylogroup", y="Substrate", operation="mean",
                     annotate=table)
    assert result.matrix.columns.tolist() == ["A", "B"]
