"""The ``duckdb`` engine gives the ``pandas`` engine's matrix (to 1e-12 relative), counts, labels, tests
and errors on every real input, and ``auto`` chooses between them as documented.

Each case runs the same spec with ``engine="pandas"`` and ``engine="duckdb"``; the pandas engine's result
is itself checked against independent computations elsewhere (tests/test_amiga_reference.py and the
tests of each stage), so agreeing with it is agreeing with them.
"""

from __future__ import annotations

import logging
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.components import Aggregator
from amiga_heatmap.errors import DataError, UsageError

from .conftest import EXAMPLES, REFERENCE

CASES = pd.read_csv(REFERENCE / "cases.tsv", sep="\t", dtype=str).set_index("name")
NORMALIZED = EXAMPLES / "ER_all_summary_normalized.txt"
SUMMARY = EXAMPLES / "ER_all_summary.txt"
PER_PLATE = EXAMPLES / "per-plate"


class Forms:
    """Aggregators declaring each standard form the built-ins do not register."""

    @hookimpl
    def register_aggregators(self, register):
        for form in ("min", "max", "sd", "count"):
            register(Aggregator(f"test_{form}", form=form))
        register(Aggregator("test_quantile", form="quantile", parameters=("q",)))
        register(Aggregator("test_python", lambda values, groups, n_groups: np.bincount(groups, minlength=n_groups)))


def both(data, **spec):
    """The results of ``spec`` on ``data`` with the pandas and the duckdb engine (warnings collected).

    The duckdb engine groups rows it can read again cheaply (Parquet, its cache entries, a DataFrame) by
    label codes, and rows it parses from text by their labels: it runs both ways here (with the cache,
    then with ``no_cache``, which parses a text input in the query itself), and both give the same."""
    results = {}
    for run, options in (("pandas", {"engine": "pandas"}), ("duckdb", {"engine": "duckdb"}),
                         ("duckdb without the cache", {"engine": "duckdb", "no_cache": True})):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results[run] = heatmap(data, **{**options, **spec})
        results[run].caught = sorted(str(warning.message) for warning in caught)
    assert_same(results["duckdb"], results["duckdb without the cache"])
    return results["pandas"], results["duckdb"]


def assert_same(pandas_result, duckdb_result) -> None:
    """The same matrix (labels, order, values to 1e-12 relative), counts, dropped labels and warnings."""
    assert duckdb_result.cell_table.engine == "duckdb"
    pd.testing.assert_frame_equal(duckdb_result.matrix, pandas_result.matrix, rtol=1e-12, atol=0,
                                  check_index_type=False, check_column_type=False)
    pd.testing.assert_frame_equal(duckdb_result.counts, pandas_result.counts, check_dtype=False,
                                  check_index_type=False, check_column_type=False)
    assert list(duckdb_result.dropped) == list(pandas_result.dropped)
    assert duckdb_result.caught == pandas_result.caught


@pytest.mark.parametrize("name", list(CASES.index))
def test_amiga_reference_cases(name: str) -> None:
    case = CASES.loc[name]
    assert_same(*both(EXAMPLES / case["input"].split("/")[-1], value=case["value"], x=case["x"], y=case["y"],
                      operation=case["operation"], filter=case["filter"],
                      subset=None if case["subset"] == "-" else case["subset"]))


SPECS = {
    "mean": {"value": "norm(auc_lin)", "x": "Isolate", "y": "Substrate", "operation": "mean"},
    "median": {"value": "norm(gr)", "x": "Strain", "y": "Substrate", "operation": "median"},
    "subset": {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean", "subset": "PM:1;Isolate:ER1,ER3"},
    "exclusion": {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "median",
                      "subset": "Substrate:!Negative Control,Water;PM:2"},
    "unmatched subset values": {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean",
                                    "subset": "Isolate:ER1,ER9;Substrate:!Tween 2O"},
    "filter and missing cells": {"value": "norm(death_lin)", "x": "Isolate", "y": "Substrate", "operation": "mean",
                                     "filter": "row any >= 1.2", "missing": "keep"},
    "biolog rows": {"value": "norm(auc_lin)", "x": "Isolate", "y": "biolog_chemical", "operation": "mean",
                        "subset": "biolog_category:carbon"},
    "biolog strips": {"value": "norm(auc_lin)", "x": "Isolate", "y": "Substrate", "operation": "mean",
                          "color_y_by": "biolog_class", "sort_y": "biolog_class"},
    "sorted by metadata": {"value": "k_lin", "x": "Isolate", "y": "Substrate", "operation": "median", "sort_x": "Strain",
                               "color_x_by": "Strain"},
    "one value per cell": {"value": "gr", "x": "Plate_ID", "y": "Well"},
    "test against one": {"value": "norm(auc_lin)", "x": "Isolate", "y": "Substrate", "operation": "mean", "test": True,
                             "filter": "row any n >= 2"},
    "test against a reference": {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean", "test": True,
                                     "reference": "ER1", "subset": "PM:1"},
    "contrast": {"value": "norm(gr)", "x": "Isolate", "y": "Substrate", "operation": "median", "reference": "ER2",
                     "contrast": "log2ratio"},
}
FORMS = ["test_min", "test_max", "test_sd", "test_count", "test_quantile(0.25)", "test_quantile(1)"]


@pytest.mark.parametrize("data", [NORMALIZED, PER_PLATE], ids=["merged", "per-plate"])
@pytest.mark.parametrize("case", list(SPECS))
def test_options_give_the_same_matrix(case: str, data) -> None:
    if data == PER_PLATE and "norm" in SPECS[case]["value"]:
        spec = {key: value for key, value in SPECS[case].items() if key != "filter"}
        spec["value"] = spec["value"][5:-1]  # the per-plate summaries hold no norm(...) columns
    else:
        spec = SPECS[case]
    pandas_result, duckdb_result = both(data, **spec)
    assert_same(pandas_result, duckdb_result)
    if spec.get("test"):
        pd.testing.assert_frame_equal(duckdb_result.tests, pandas_result.tests, rtol=1e-9,
                                      check_index_type=False)
        cells = duckdb_result.cells
        expected = pandas_result.cells
        pd.testing.assert_frame_equal(cells, expected, rtol=1e-9, check_dtype=False)


@pytest.mark.parametrize("operation", FORMS)
def test_every_standard_form(operation: str, amiga_heatmap_plugin) -> None:
    amiga_heatmap_plugin(Forms())
    assert_same(*both(NORMALIZED, value="norm(death_lin)", x="Isolate", y="Substrate", operation=operation,
                      missing="keep"))


def test_the_rows_behind_the_cells_with_read_all_columns(tmp_path) -> None:
    pandas_result, duckdb_result = both(NORMALIZED, value="norm(auc_lin)", x="Isolate", y="biolog_class",
                                        operation="mean", subset="PM:1", read_all_columns=True)
    assert_same(pandas_result, duckdb_result)
    pd.testing.assert_frame_equal(duckdb_result.rows.reset_index(drop=True),
                                  pandas_result.rows.reset_index(drop=True), check_dtype=False)
    assert duckdb_result.save_filtered_table(tmp_path / "d.txt") and pandas_result.save_filtered_table(
        tmp_path / "p.txt")
    assert (tmp_path / "d.txt").read_bytes() == (tmp_path / "p.txt").read_bytes()
    without = heatmap(NORMALIZED, value="gr", x="Isolate", y="Substrate", operation="mean", engine="duckdb")
    with pytest.raises(DataError, match="'duckdb' engine keeps no input rows in memory"):
        without.rows  # noqa: B018


def test_a_dataframe(tmp_path) -> None:
    rows = pd.read_csv(SUMMARY, sep="\t")
    assert_same(*both(rows, value="gr", x="Isolate", y="PM", operation="mean", subset={"PM": [1], "Well": ["A1", "B2"]}))


def written_as(tmp_path, name: str, encoding: str, separator: str = "\t", decimal: str = ".") -> str:
    """The merged summary written again in another encoding, separator or decimal mark."""
    rows = pd.read_csv(SUMMARY, sep="\t", dtype=str, keep_default_na=False)
    rows["Substrate"] = rows["Substrate"].str.replace("Tween 20", "Tween 20 µM")
    if decimal == ",":
        for column in rows.columns:
            if pd.to_numeric(rows[column].replace("", None), errors="coerce").notna().sum() == (rows[column] != "").sum():
                rows[column] = rows[column].str.replace(".", ",")
    path = tmp_path / name
    path.write_bytes(rows.to_csv(sep=separator, index=False).encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "separator", "decimal"), [
    ("cp1252", "\t", "."), ("utf-16", "\t", "."), ("utf-8-sig", ";", ","), ("utf-8", ",", "."),
])
def test_other_encodings_separators_and_decimal_marks(tmp_path, encoding, separator, decimal) -> None:
    path = written_as(tmp_path, "excel.csv" if separator == "," else "excel.txt", encoding, separator, decimal)
    before = path.read_bytes()
    assert_same(*both(path, value="gr", x="Isolate", y="Substrate", operation="mean"))
    assert path.read_bytes() == before
    assert [file.name for file in tmp_path.iterdir()] == [path.name]


def test_cp1252_bytes_after_the_first_sniffed_ones(tmp_path) -> None:
    rows = pd.read_csv(SUMMARY, sep="\t", dtype=str, keep_default_na=False)
    rows.loc[len(rows) - 1, "Substrate"] = "Tween 80 µM"
    path = tmp_path / "late.txt"
    path.write_bytes(rows.to_csv(sep="\t", index=False).encode("cp1252"))
    pandas_result, duckdb_result = both(path, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert_same(pandas_result, duckdb_result)
    assert any("read as Windows-1252" in message for message in duckdb_result.caught)


def test_parquet_written_with_metadata_as_text(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = pd.read_csv(NORMALIZED, sep="\t", dtype=str, keep_default_na=False)
    numbers = [column for column in rows.columns if column not in {
        "Sample_ID", "Plate_ID", "Well", "Isolate", "Strain", "Substrate", "PM", "Replicate", "Flag", "Control"}]
    table = pa.table({column: pa.array(pd.to_numeric(rows[column], errors="coerce"), pa.float64())
                      if column in numbers else pa.array(rows[column].replace("", None), pa.string())
                      for column in rows.columns})
    folder = tmp_path / "screen.parquet"
    folder.mkdir()
    half = len(rows) // 2
    pq.write_table(table.slice(0, half), folder / "part-0.parquet")
    pq.write_table(table.slice(half), folder / "part-1.parquet")
    spec = {"value": "norm(auc_lin)", "x": "Isolate", "y": "biolog_class", "operation": "median", "subset": "PM:1,2",
                "sort_y": "biolog_class"}
    expected = heatmap(NORMALIZED, engine="pandas", **spec)
    for engine in ("duckdb", "auto", "pandas"):
        result = heatmap(folder, engine=engine, **spec)
        pd.testing.assert_frame_equal(result.matrix, expected.matrix, rtol=1e-12, check_index_type=False,
                                      check_column_type=False)
        assert result.cell_table.engine == ("pandas" if engine == "pandas" else "duckdb")


def test_auto_chooses_by_kind_and_size(tmp_path, caplog, amiga_heatmap_plugin, monkeypatch) -> None:
    from amiga_heatmap.builtin import auto_engine

    spec = {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean"}
    with caplog.at_level(logging.INFO, logger="amiga_heatmap"):
        small = heatmap(SUMMARY, engine="auto", **spec)
    assert small.cell_table.engine == "pandas"
    assert "engine auto: pandas (1 MB of text, under the 200 MB threshold)" in caplog.text
    monkeypatch.setattr(auto_engine, "DUCKDB_FROM_BYTES", 1000)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="amiga_heatmap"):
        large = heatmap(SUMMARY, engine="auto", engine_options={"threads": "1"}, no_cache=True, **spec)
    assert large.cell_table.engine == "duckdb"
    assert "engine auto: duckdb (1 MB of text, at or above the 0 MB threshold)" in caplog.text
    assert heatmap(pd.read_csv(SUMMARY, sep="\t"), engine="auto", **spec).cell_table.engine == "pandas"
    amiga_heatmap_plugin(Forms())
    assert heatmap(SUMMARY, engine="auto", **{**spec, "operation": "test_python"}).cell_table.engine == "pandas"
    assert heatmap(SUMMARY, engine="auto", no_cache=True, **{**spec, "operation": "test_max"}).cell_table.engine \
        == "duckdb"


def test_auto_chooses_by_the_input_alone_and_each_engine_reads_its_own_cache_entries(tmp_path_factory, caplog,
                                                                                   monkeypatch) -> None:
    from amiga_heatmap.builtin import auto_engine

    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("AMIGA_HEATMAP_CACHE_DIR", str(cache))
    monkeypatch.setattr(auto_engine, "DUCKDB_FROM_BYTES", 1000)
    source = tmp_path_factory.mktemp("input") / "summary.txt"
    shutil.copyfile(SUMMARY, source)
    spec = {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean"}
    filled = heatmap(source, engine="pandas", **spec)  # a pandas entry only: auto still runs duckdb
    with caplog.at_level(logging.INFO, logger="amiga_heatmap"):
        first = heatmap(source, engine="auto", **spec)
    assert first.cell_table.engine == "duckdb"
    assert "from the cache" not in caplog.text and "cached the columns read from" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="amiga_heatmap"):
        again = heatmap(source, engine="auto", **spec)
    assert again.cell_table.engine == "duckdb" and "from the cache" in caplog.text
    expected = pd.read_csv(source, sep="\t").groupby(["Substrate", "Isolate"])["gr"].mean().unstack()
    for result in (first, again):
        pd.testing.assert_frame_equal(result.matrix, filled.matrix, rtol=1e-12, check_index_type=False,
                                      check_column_type=False)
        np.testing.assert_allclose(result.matrix.to_numpy(), expected.loc[result.matrix.index, result.matrix.columns],
                                   rtol=1e-12)
    assert len(list((cache / "parsed-inputs").glob("*.cache"))) == 2  # one of each engine


def bad_file(tmp_path, name: str, change) -> str:
    lines = SUMMARY.read_text(encoding="utf-8").splitlines()
    change(lines)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_text_values(tmp_path) -> str:
    rows = pd.read_csv(SUMMARY, sep="\t", dtype=str, keep_default_na=False)
    rows.loc[[7, 900], "gr"] = ["broken", "n. d."]
    rows.loc[[3], "gr"] = ["NA"]
    path = tmp_path / "text.txt"
    path.write_text(rows.to_csv(sep="\t", index=False), encoding="utf-8")
    return path


def test_missing_value_words_in_the_value_column_are_missing_not_text(tmp_path) -> None:
    rows = pd.read_csv(SUMMARY, sep="\t", dtype=str, keep_default_na=False)
    rows.loc[[3, 40, 41, 700], "gr"] = ["NA", "NaN", "n/a", "#N/A"]
    path = tmp_path / "words.txt"
    path.write_text(rows.to_csv(sep="\t", index=False), encoding="utf-8")
    pandas_result, duckdb_result = both(path, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert_same(pandas_result, duckdb_result)
    numbers = pd.to_numeric(rows["gr"].mask(rows.index.isin([3, 40, 41, 700])))
    expected = numbers.groupby([rows["Substrate"], rows["Isolate"]]).agg(["mean", "count"])
    cells = duckdb_result.cell_table.cells
    np.testing.assert_allclose(cells["value"], expected["mean"].loc[cells.index], rtol=1e-12)
    assert (cells["n"] == expected["count"].loc[cells.index]).all() and cells["n"].sum() == len(rows) - 4


@pytest.mark.parametrize("kind", ["text", "parquet"])
def test_rows_without_a_label_are_left_out_and_counted_the_same_way(tmp_path, caplog, kind) -> None:
    rows = pd.read_csv(SUMMARY, sep="\t", dtype=str, keep_default_na=False)
    rows.loc[[5, 6, 7], "Isolate"] = ""
    rows.loc[[100, 101, 7], "Substrate"] = ""
    path = tmp_path / "unlabelled.txt"
    path.write_text(rows.to_csv(sep="\t", index=False), encoding="utf-8")
    if kind == "parquet":  # labels missing as nulls, values as numbers
        path = tmp_path / "unlabelled.parquet"
        pd.read_csv(tmp_path / "unlabelled.txt", sep="\t").to_parquet(path)
    with caplog.at_level(logging.INFO, logger="amiga_heatmap"):
        pandas_result, duckdb_result = both(path, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert_same(pandas_result, duckdb_result)
    assert caplog.text.count("left out 5 rows whose Isolate or Substrate is missing") == 3  # each engine, each way
    labelled = rows.drop(index=[5, 6, 7, 100, 101])
    expected = pd.to_numeric(labelled["gr"]).groupby([labelled["Substrate"], labelled["Isolate"]]).count()
    assert int(duckdb_result.cell_table.cells["n"].sum()) == int(expected.sum()) == len(rows) - 5


def test_text_in_a_row_without_a_label_still_makes_the_column_not_numeric(tmp_path) -> None:
    rows = pd.read_csv(SUMMARY, sep="\t", dtype=str, keep_default_na=False)
    rows.loc[[5, 6], "Isolate"] = ""
    rows.loc[6, "gr"] = "lots"
    path = tmp_path / "unlabelled.txt"
    path.write_text(rows.to_csv(sep="\t", index=False), encoding="utf-8")
    messages = set()
    for options in ({"engine": "pandas"}, {"engine": "duckdb"}, {"engine": "duckdb", "no_cache": True}):
        with pytest.raises(DataError) as caught:
            heatmap(path, value="gr", x="Isolate", y="Substrate", operation="mean", **options)
        messages.add(caught.value.message)
    assert len(messages) == 1 and "1 cells hold text" in messages.pop()


ERRORS = {
    "missing column": (lambda tmp: SUMMARY, {"value": "norm(gr)"}),
    "not numeric": (lambda tmp: SUMMARY, {"value": "Plate_ID"}),
    "text in some cells": (lambda tmp: with_text_values(tmp), {}),
    "replicates without -p": (lambda tmp: SUMMARY, {"operation": None}),
    "empty selection": (lambda tmp: SUMMARY, {"subset": "Isolate:ER9"}),
    "exclusion of everything": (lambda tmp: SUMMARY, {"subset": "PM:!1,2"}),
    "missing subset column": (lambda tmp: SUMMARY, {"subset": "plate:1"}),
    "ragged rows": (lambda tmp: bad_file(tmp, "ragged.txt", lambda lines: lines.__setitem__(
        5, lines[5] + "\textra")), {}),
    "unclosed quote": (lambda tmp: bad_file(tmp, "quote.txt", lambda lines: lines.__setitem__(
        9, lines[9].replace("\tER", '\t"ER', 1))), {}),
    "header only": (lambda tmp: bad_file(tmp, "header.txt", lambda lines: lines.__delitem__(slice(1, None))), {}),
    "zero bytes": (lambda tmp: (tmp / "zero.txt").write_bytes(SUMMARY.read_bytes() + b"\x00" * 64) and
                   tmp / "zero.txt", {}),
    "mixed encodings": (lambda tmp: (tmp / "mixed.txt").write_bytes(
        SUMMARY.read_bytes().replace(b"Tween 20", "Tween 20 µ".encode(), 1) + "ER1\tµ\n".encode("cp1252"))
        and tmp / "mixed.txt", {}),
    "binary file": (lambda tmp: (tmp / "plate.txt").write_bytes(b"PK\x03\x04" + b"\x00" * 100) and
                    tmp / "plate.txt", {}),
    "column named twice": (lambda tmp: bad_file(tmp, "twice.txt", lambda lines: lines.__setitem__(
        0, lines[0].replace("\tdr\t", "\tgr\t", 1))), {}),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_the_same_errors(case: str, tmp_path) -> None:
    make, changes = ERRORS[case]
    path = make(tmp_path)
    spec = {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean", **changes}
    messages = {}
    for engine in ("pandas", "duckdb"):
        with pytest.raises((DataError, UsageError)) as caught, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            heatmap(path, engine=engine, **spec)
        messages[engine] = (type(caught.value), caught.value.message)
    assert messages["duckdb"] == messages["pandas"]


def data_error_of_each_engine(source) -> list[str]:
    """The messages of the DataErrors pandas and duckdb raise for the mean gr of ``source``."""
    messages = []
    for engine in ("pandas", "duckdb"):
        with pytest.raises(DataError) as caught:
            heatmap(source, value="gr", x="Isolate", y="Substrate", operation="mean", engine=engine)
        messages.append(caught.value.message)
    return messages


def test_duplicate_wells_are_refused_the_same_way(tmp_path) -> None:
    folder = tmp_path / "both"
    shutil.copytree(PER_PLATE, folder / "per-plate")
    shutil.copy(SUMMARY, folder)
    messages = data_error_of_each_engine(folder)
    assert messages[0] == messages[1]
    assert "The same wells are read more than once" in messages[0]


def test_files_without_well_ids_are_compared_on_their_own_columns_the_same_way(tmp_path) -> None:
    # the per-plate files lose their Well column, the merged file keeps it: the files are compared on
    # their rows, each file with the columns of its own header (a file's missing column is not a column
    # of missing values)
    folder = tmp_path / "without-wells"
    (folder / "per-plate").mkdir(parents=True)
    for path in PER_PLATE.glob("*.txt"):
        rows = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False).drop(columns="Well")
        rows.to_csv(folder / "per-plate" / path.name, sep="\t", index=False)
    shutil.copy(SUMMARY, folder)
    messages = data_error_of_each_engine(folder)
    assert messages[0] == messages[1]
    assert messages[0].startswith("The same wells are read more than once: most rows of")
    assert SUMMARY.name in messages[0]


def rows_with_names_alike() -> pd.DataFrame:
    """The merged summary with a column ``group`` beside its ``Group``: each substrate's first word."""
    rows = pd.read_csv(SUMMARY, sep="\t")
    return rows.assign(group=rows["Substrate"].str.split().str[0])


def written(rows: pd.DataFrame, kind: str, folder) -> object:
    """``rows`` as a tab-separated file, a Parquet file or the DataFrame itself (``kind``)."""
    if kind == "frame":
        return rows
    if kind == "text":
        rows.to_csv(folder / "alike.txt", sep="\t", index=False)
        return folder / "alike.txt"
    rows.to_parquet(folder / "alike.parquet")
    return folder / "alike.parquet"


@pytest.mark.parametrize("kind", ["text", "parquet", "frame"])
def test_a_column_named_like_another_in_case_is_read_for_itself(kind: str, tmp_path) -> None:
    rows = rows_with_names_alike()
    source = written(rows, kind, tmp_path)
    spec = {"value": "gr", "x": "Isolate", "y": "group", "operation": "mean"}
    if kind == "parquet":  # DuckDB renames the second of two names alike when it reads a Parquet file
        with pytest.raises(UsageError, match=r"cannot tell the columns 'Group' and 'group' apart.*pandas"):
            heatmap(source, engine="duckdb", **spec)
        return
    expected = rows.groupby(["group", "Isolate"])["gr"].mean().unstack()
    result = heatmap(source, engine="duckdb", **spec)
    assert result.matrix.shape[0] > 10
    pd.testing.assert_frame_equal(result.matrix, expected.loc[result.matrix.index, result.matrix.columns],
                                  check_names=False, check_index_type=False, check_column_type=False,
                                  rtol=1e-12)


@pytest.mark.parametrize("kind", ["text", "parquet", "frame"])
def test_two_columns_named_alike_in_case_are_refused_when_both_are_read(kind: str, tmp_path) -> None:
    rows = rows_with_names_alike()
    source = written(rows, kind, tmp_path)
    spec = {"value": "gr", "x": "Group", "y": "group", "operation": "mean"}
    heatmap(source, engine="pandas", **spec)  # pandas keeps the names apart
    with pytest.raises(UsageError) as caught:
        heatmap(source, engine="duckdb", **spec)
    assert caught.value.message.startswith(
        "The duckdb engine cannot tell the columns 'Group' and 'group' apart")


def test_an_aggregator_without_a_form_is_refused_naming_both(amiga_heatmap_plugin) -> None:
    amiga_heatmap_plugin(Forms())
    with pytest.raises(UsageError, match=r"The duckdb engine cannot run the aggregator 'test_python' "
                                         r"\(plugin 'Forms'\).*--engine pandas"):
        heatmap(SUMMARY, value="gr", x="Isolate", y="Substrate", operation="test_python", engine="duckdb")


@pytest.mark.parametrize(("options", "message"), [
    (["memory_limit"], "is not KEY=VALUE"),
    (["memory_limt=2GB"], "has no setting 'memory_limt'.*Did you mean 'memory_limit'"),
    (["memory_limit=lots"], "is not an amount of memory"),
    (["memory_limit=1MB"], "is too little"),
    (["threads=0"], "is not a number of threads"),
    (["temp_directory=/nonexistent/folder"], "is not a folder amiga-heatmap can write to"),
])
def test_engine_settings_are_checked_before_reading(options, message) -> None:
    with pytest.raises(UsageError, match=message):
        heatmap(SUMMARY, value="gr", x="Isolate", y="Substrate", operation="mean", engine="duckdb",
                engine_options=options)


def test_pandas_takes_no_settings() -> None:
    with pytest.raises(UsageError, match="The 'pandas' engine takes no --engine-option settings"):
        heatmap(SUMMARY, value="gr", x="Isolate", y="Substrate", operation="mean", engine="pandas",
                engine_options=["threads=2"])


def test_spills_into_its_own_folder_and_leaves_nothing(tmp_path) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    result = heatmap(SUMMARY, value="gr", x="Isolate", y="Substrate", operation="median", engine="duckdb",
                     subset="PM:1", engine_options={"memory_limit": "100MB", "threads": 1,
                                                    "temp_directory": str(spill)})
    assert result.matrix.shape == (96, 4)
    assert list(spill.iterdir()) == []
