"""The built-in Biolog plate map (``builtin.biolog``) on the real E. randomii data (PM1 and PM2): its
columns work as -y, -s, --sort-y-by and --color-y-by, checked against the packaged map read here on its
own with pandas, joined on plate and well."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from amiga_heatmap import heatmap

from .conftest import EXAMPLES, REPOSITORY

MAP_FILE = REPOSITORY / "amiga_heatmap" / "builtin" / "data" / "biolog-plate-map.tsv"
CARBOHYDRATE = "C-Source, carbohydrate"


@pytest.fixture(scope="module")
def plate_map() -> pd.DataFrame:
    """The packaged map, read independently: one row per (plate_id, well_id), e.g. (PM01, A01); spaces
    around a cell (some CAS numbers have one) are not part of it."""
    table = pd.read_csv(MAP_FILE, sep="\t", skiprows=5, dtype=str)
    return table.rename(columns={"#plate_id": "plate_id"}).apply(lambda column: column.str.strip())


@pytest.fixture(scope="module")
def summary_rows() -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / "ER_all_summary_normalized.txt", sep="\t")


def map_keys(rows: pd.DataFrame) -> pd.DataFrame:
    """AMiGA's PM 1 and Well A1 written as the map writes them: PM01, A01."""
    return pd.DataFrame({
        "plate_id": "PM" + rows["PM"].astype(int).astype(str).str.zfill(2),
        "well_id": rows["Well"].str[0] + rows["Well"].str[1:].str.zfill(2),
    }, index=rows.index)


def joined(rows: pd.DataFrame, plate_map: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the map's columns, by plate and well."""
    keys = map_keys(rows)
    return keys.merge(plate_map, on=["plate_id", "well_id"], how="left").set_index(rows.index)


def test_every_well_of_the_example_gets_its_class_from_the_map(normalized, plate_map, summary_rows) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="biolog_class", operation="mean",
                     read_all_columns=True)
    rows = result.source_rows
    assert len(rows) == 1536
    assert rows["biolog_class"].notna().all()
    expected = joined(rows, plate_map)
    assert rows["biolog_class"].tolist() == expected["moa"].tolist()
    assert rows["biolog_chemical"].tolist() == expected["chemical"].tolist()
    assert rows["biolog_category"].tolist() == expected["category"].tolist()
    assert rows["biolog_kegg"].fillna("").tolist() == expected["co_id"].fillna("").tolist()
    assert rows["biolog_cas"].fillna("").tolist() == expected["cas_id"].fillna("").str.removeprefix("CAS ").tolist()
    # joined on plate and well, not on the name: AMiGA's misspelt L-Arabanose is the map's L-Arabinose
    arabinose = rows.loc[rows["Substrate"] == "L-Arabanose", "biolog_chemical"].unique().tolist()
    assert arabinose == ["L-Arabinose"]
    # the mean per class and isolate, computed here
    means = rows.groupby(["biolog_class", "Isolate"])["norm(auc_lin)"].mean().unstack()
    pd.testing.assert_frame_equal(result.matrix.sort_index(), means.sort_index(), check_names=False)


def test_a_quoted_class_holding_a_comma_keeps_exactly_the_wells_of_that_class(
    normalized, plate_map, summary_rows, run_cli, tmp_path
) -> None:
    classes = joined(summary_rows, plate_map)["moa"]
    wanted = summary_rows[classes == CARBOHYDRATE]
    assert len(wanted) == 568  # 71 carbohydrate wells on PM1 and PM2, 4 isolates x 2 replicates
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                     subset=f'biolog_class:"{CARBOHYDRATE}"', missing="keep")
    kept = result.source_rows
    assert sorted(zip(kept["PM"], kept["Well"], kept["Sample_ID"])) == sorted(  # labels are read as text
        zip(wanted["PM"].astype(str), wanted["Well"], wanted["Sample_ID"].astype(str)))

    done = run_cli("-i", normalized, "-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean",
                   "-s", f'biolog_class:"{CARBOHYDRATE}"', "--format", "tsv", "--output-dir", tmp_path, "-o", "sugars")
    assert done.exit_code == 0, done.stderr
    table = pd.read_csv(tmp_path / "sugars.tsv", sep="\t", index_col=0)
    assert set(table.index) == set(wanted["Substrate"])


def test_chemical_names_as_rows_through_the_command_line(normalized, plate_map, summary_rows, run_cli,
                                                         tmp_path) -> None:
    done = run_cli("-i", normalized, "-x", "Isolate", "-y", "biolog_chemical", "-v", "norm(auc_lin)", "-p",
                   "mean", "--format", "tsv", "--output-dir", tmp_path, "-o", "chemicals")
    assert done.exit_code == 0, done.stderr
    table = pd.read_csv(tmp_path / "chemicals.tsv", sep="\t", index_col=0)
    rows = summary_rows.assign(chemical=joined(summary_rows, plate_map)["chemical"])
    expected = rows.groupby(["chemical", "Isolate"])["norm(auc_lin)"].mean().unstack()
    pd.testing.assert_frame_equal(table.sort_index(), expected.sort_index(), check_names=False)
    assert "L-Arabinose" in table.index and "L-Arabanose" not in table.index


def test_sorting_by_class_through_the_command_line(normalized, plate_map, summary_rows, run_cli,
                                                   tmp_path) -> None:
    done = run_cli("-i", normalized, "-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean",
                   "-f", "row any > 1.2", "--sort-y-by", "biolog_class", "--format", "tsv",
                   "--output-dir", tmp_path, "-o", "sorted")
    assert done.exit_code == 0, done.stderr
    order = pd.read_csv(tmp_path / "sorted.tsv", sep="\t", index_col=0).index.tolist()
    class_of = dict(zip(summary_rows["Substrate"], joined(summary_rows, plate_map)["moa"]))
    classes = [class_of[substrate] for substrate in order]
    assert classes == sorted(classes)
    assert len(set(classes)) > 2


def test_class_colour_strip_through_the_command_line(normalized, run_cli, tmp_path) -> None:
    done = run_cli("-i", normalized, "-x", "Isolate", "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean",
                   "-f", "row any > 1.2", "--color-y-by", "biolog_class", "--format", "png",
                   "--output-dir", tmp_path, "-o", "coloured")
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "coloured.png").stat().st_size > 0
    assert (tmp_path / "coloured_y_legend.png").stat().st_size > 0


def test_a_class_has_the_same_colour_in_every_figure(normalized, plate_map, summary_rows) -> None:
    def strip(subset):
        result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean",
                         subset=subset, color_y_by="biolog_class")
        return result.y_colors

    plate_one, plate_two, both = strip("PM:1"), strip("PM:2"), strip(None)
    for colours in (plate_one, plate_two, both):
        by_class = pd.DataFrame({"value": colours.values, "colour": colours.colors})
        assert (by_class.groupby("value")["colour"].nunique() == 1).all()  # one colour per class
        assert by_class.drop_duplicates("value")["colour"].is_unique  # and different classes differ
    for colours in (plate_one, plate_two):
        for value, colour in colours.legend.items():
            assert both.legend[value] == colour
    assert plate_one.legend[CARBOHYDRATE] == plate_two.legend[CARBOHYDRATE]
    # PM1 holds fewer classes than PM1 and PM2 together, yet carbohydrates keep their colour
    assert set(plate_one.legend) != set(both.legend)


def test_runs_not_naming_a_biolog_column_do_not_join_the_map(normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean")
    assert not any(column.startswith("biolog_") for column in result.source_rows.columns)
    assert "Well" not in result.source_rows.columns  # the key columns are read only when needed


def test_a_plate_the_map_does_not_know_leaves_its_wells_without_class(summary_rows, plate_map) -> None:
    rows = summary_rows.copy()
    rows.loc[rows["PM"] == 2, "PM"] = 26
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap(rows, value="norm(auc_lin)", x="Isolate", y="biolog_class", operation="mean")
    messages = [str(warning.message) for warning in caught if "biolog" in str(warning.message)]
    assert len(messages) == 1
    assert "no entry for 768 of 1536 rows (PM 26, Well A1" in messages[0]
    plate_one = summary_rows[summary_rows["PM"] == 1]
    assert set(result.matrix.index) == set(joined(plate_one, plate_map)["moa"])
    assert rows.loc[rows["PM"] == 26, "PM"].size == 768  # the caller's frame is unchanged
    assert "biolog_class" not in rows.columns


def test_plates_nine_and_ten_are_placed_too(summary_rows, plate_map) -> None:
    rows = summary_rows[summary_rows["PM"] == 1].assign(PM=9)
    result = heatmap(rows, value="norm(auc_lin)", x="Isolate", y="biolog_chemical", operation="mean")
    expected = set(plate_map.loc[plate_map["plate_id"] == "PM09", "chemical"])
    assert set(result.matrix.index) == expected
    assert "6% NaCl + Betaine" in expected


def test_an_input_without_plate_column_warns_once_then_misses_the_column(summary_rows) -> None:
    from amiga_heatmap.errors import DataError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(DataError, match="'biolog_class' \\(given to y\\) is not in the input"):
            heatmap(summary_rows.drop(columns="PM"), value="norm(auc_lin)", x="Isolate", y="biolog_class",
                    operation="mean")
    messages = [str(warning.message) for warning in caught]
    assert messages == [
        ("The annotation 'biolog' joins on 'PM', 'Well', but the input has no 'PM' column, so the columns it "
        "adds are missing.")
    ]


def test_per_plate_files_are_placed_like_the_merged_file(data_dir, plate_map) -> None:
    result = heatmap(data_dir / "per-plate", value="auc_lin", x="Isolate", y="biolog_category", operation="mean",
                     read_all_columns=True)
    rows = result.source_rows
    assert len(rows) == 1536
    assert rows["biolog_category"].tolist() == joined(rows, plate_map)["category"].tolist()


def test_the_plate_map_is_listed_and_the_help_names_the_class(run_cli) -> None:
    done = run_cli("plugins", "--json")
    listed = json.loads(done.stdout)
    biolog = next(plugin for plugin in listed["plugins"] if plugin["name"] == "builtin.biolog")
    annotation = biolog["provides"]["annotations"][0]
    assert annotation["keys"] == ["PM", "Well"] and "biolog_class" in annotation["adds"]
    text = run_cli("plugins").stdout
    assert "annotations: biolog (PM, Well -> biolog_class" in text
    assert "biolog_class" in run_cli("--help").stdout
    assert (REPOSITORY / "amiga_heatmap" / "builtin" / "data" / "LICENSE-DuctApe.txt").exists()
