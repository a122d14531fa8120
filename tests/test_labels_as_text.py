"""Labels are text, exactly as written (issue 14, kind 3).

Metadata columns (every column that is not the value shown) must come out of every reader, the
pipeline, the table renderer and ``--save-filtered-table`` as the characters of the input cell:
``01``, ``1`` and ``1.0`` are three labels, ``NA`` is a label, ``000123`` keeps its zeros. The value
column is still parsed as numbers. Expected results are computed here from the cells as written, with
plain Python (csv, statistics), never with the code under test.
"""

from __future__ import annotations

import csv
import math
import statistics
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from amiga_heatmap import heatmap
from amiga_heatmap.builtin import readers
from amiga_heatmap.builtin.table_sniffing import DECIMAL_POINT, sniff

from .conftest import EXAMPLES

# Labels pandas' defaults would turn into numbers, booleans or missing values, and labels with spaces.
TRICKY = ["01", "1", "1.0", "NA", "nan", "N/A", "null", "TRUE", "1e3", "000123", "007", " x ", "-0", "inf",
          "None", "#N/A", "2", "10", "false", "-", " 1", "1 ", "é", "Ω-1", "😀", "１"]
# A label holds no separator, quote or line break (those need quoting, which is not "as written").
FREE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters='\t;,"'),
    min_size=1, max_size=6,
).filter(str.strip)
LABEL = st.one_of(st.sampled_from(TRICKY), FREE_TEXT)
NUMBER_TEXT = st.sampled_from(["0.5", "0.50", "1e-3", "2", "-1.25", "", "NA", "inf", "3.0"])

# How a table is saved: (suffix, separator, encoding, decimal mark, line end).
LAYOUTS = {
    "tab": (".txt", "\t", "utf-8", ".", "\n"),
    "comma": (".csv", ",", "utf-8", ".", "\n"),
    "bom-crlf": (".txt", "\t", "utf-8-sig", ".", "\r\n"),
    "semicolon-decimal-comma": (".csv", ";", "utf-8", ",", "\r\n"),
    "utf-16": (".txt", "\t", "utf-16", ".", "\r\n"),
}
HEADER = ["Sample_ID", "Isolate", "PM", "value"]

wells = st.lists(st.tuples(LABEL, LABEL, LABEL, NUMBER_TEXT), min_size=1, max_size=12)


def write_table(folder: Path, layout: str, rows: list[tuple[str, ...]], name: str = "summary") -> Path:
    """Write ``rows`` (texts, value last) under HEADER as ``layout`` says; decimal commas in values."""
    suffix, separator, encoding, decimal, line_end = LAYOUTS[layout]
    lines = [HEADER] + [[*cells[:-1], cells[-1].replace(".", decimal)] for cells in rows]
    path = folder / f"{name}{suffix}"
    path.write_bytes("".join(separator.join(line) + line_end for line in lines).encode(encoding))
    return path


def number(text: str) -> float:
    """The number a value cell holds, as the readers promise (blank and NA missing)."""
    return math.nan if text in ("", "NA") else float(text)


def fits(layout: str, rows: list[tuple[str, ...]]) -> bool:
    """Whether ``rows`` keep the layout sniffable: a decimal-comma file must hold no label that reads
    as a number with a decimal point (the sniffer would then take the points as the decimal mark)."""
    if LAYOUTS[layout][3] != ",":
        return True
    return not any(DECIMAL_POINT.search(cell) for row in rows for cell in row[:-1])


def read_tsv_cells(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# ------------------------------------------------------------------------------------- the readers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=wells, layout=st.sampled_from(sorted(LAYOUTS)), every_column=st.booleans())
def test_every_text_layout_reads_metadata_as_written_and_values_as_numbers(rows, layout, every_column) -> None:
    assume(fits(layout, rows))
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(Path(folder), layout, rows)
        columns = None if every_column else frozenset(HEADER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", readers.GuessedEncodingWarning)
            table = readers.read_delimited(str(path), columns, LAYOUTS[layout][1], numbers=frozenset({"value"}))
    for position, column in enumerate(HEADER[:-1]):
        assert table[column].tolist() == [row[position] for row in rows]
        assert pd.api.types.is_string_dtype(table[column].dtype)
    assert pd.api.types.is_numeric_dtype(table["value"].dtype)
    assert all(same_number(read, number(row[-1])) for read, row in zip(table["value"], rows))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=wells, layout=st.sampled_from(["tab", "comma", "bom-crlf"]))
def test_the_pyarrow_and_c_tiers_read_the_same_text(rows, layout) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = str(write_table(Path(folder), layout, rows))
        sniffed = sniff(path, LAYOUTS[layout][1])
        positions = list(range(len(HEADER)))
        text = positions[:-1]
        fast = readers._read_fast(path, sniffed, positions, text)
        careful = readers._read_careful(path, sniffed, positions, text)
    assert fast is not None  # UTF-8 without quotes: the pyarrow tier reads it
    pd.testing.assert_frame_equal(fast, careful, check_exact=True)
    assert careful["Isolate"].tolist() == [row[1] for row in rows]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=wells)
def test_the_parquet_reader_returns_stored_text_as_stored(rows) -> None:
    from amiga_heatmap.builtin.parquet_reader import read_parquet

    frame = pd.DataFrame([[*row[:-1], number(row[-1])] for row in rows], columns=HEADER, dtype=object)
    frame = frame.astype({"value": float})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "summary.parquet"
        frame.to_parquet(path)
        table = read_parquet(str(path), frozenset(HEADER), numbers=frozenset({"value"}))
    for position, column in enumerate(HEADER[:-1]):
        assert table[column].tolist() == [row[position] for row in rows]
    assert table["value"].dtype == float


def test_the_parquet_reader_turns_stored_numbers_of_metadata_into_text(tmp_path) -> None:
    from amiga_heatmap.builtin.parquet_reader import read_parquet

    path = tmp_path / "typed.parquet"
    pd.DataFrame({"PM": [1, 2, None], "Replicate": [1.0, 2.5, 3.0], "Control": [True, False, True],
                  "gr": [0.5, 1.0, 2.0]}).to_parquet(path)
    table = read_parquet(str(path), None, numbers=frozenset({"gr"}))
    # floats as repr writes them (how amiga-heatmap convert reads its float64 columns back): pandas
    # stores PM, an integer column with a missing value, as floats
    assert table["PM"].tolist()[:2] == ["1.0", "2.0"] and pd.isna(table["PM"].iloc[2])
    assert table["Replicate"].tolist() == ["1.0", "2.5", "3.0"]
    assert table["Control"].tolist() == ["true", "false", "true"]
    assert table["gr"].tolist() == [0.5, 1.0, 2.0]


def test_a_reader_without_the_numbers_argument_is_called_the_classic_way(amiga_heatmap_plugin, tmp_path) -> None:
    from amiga_heatmap import hookimpl
    from amiga_heatmap.components import Reader

    calls = []

    def classic(path, columns):
        calls.append(columns)
        return pd.DataFrame({"Isolate": ["a", "b"], "PM": [1, 2], "gr": [0.5, 1.5]})

    class Classic:
        @hookimpl
        def register_readers(self, register):
            register(Reader("classic", (".classic",), classic, lambda path: ["Isolate", "PM", "gr"]))

    amiga_heatmap_plugin(Classic())
    (tmp_path / "t.classic").write_text("")
    result = heatmap(tmp_path / "t.classic", value="gr", x="Isolate", y="PM", subset="PM:1.0")
    assert calls and result.matrix.to_dict() == {"a": {1: 0.5}}  # its numbers still match numerically


# ------------------------------------------------------------------- the pipeline and its writers


def expected_cells(rows: list[tuple[str, ...]]) -> dict[tuple[str, str], float]:
    """The mean value of each (PM, Isolate) pair of labels as written, rows with a blank label out."""
    values: dict[tuple[str, str], list[float]] = {}
    for _, isolate, pm, text in rows:
        values.setdefault((pm, isolate), []).append(number(text))
    means = {}
    for key, numbers in values.items():
        present = [value for value in numbers if not math.isnan(value)]
        means[key] = statistics.fmean(present) if present else math.nan
    return means


def same_number(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0) or a == b


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=wells, layout=st.sampled_from(sorted(LAYOUTS)))
def test_labels_reach_the_matrix_the_table_renderer_and_the_filtered_table_as_written(rows, layout) -> None:
    assume(fits(layout, rows))
    expected = expected_cells(rows)
    assume(not all(math.isnan(mean) for mean in expected.values()))  # else nothing to draw: an error
    with tempfile.TemporaryDirectory() as name, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folder = Path(name)
        path = write_table(folder, layout, rows)
        result = heatmap(path, value="value", x="Isolate", y="PM", operation="mean", missing="keep",
                         read_all_columns=True)
        assert set(result.matrix.columns) == {isolate for _, isolate, _, _ in rows}
        assert set(result.matrix.index) == {pm for _, _, pm, _ in rows}
        for (pm, isolate), mean in expected.items():
            assert same_number(result.matrix.loc[pm, isolate], mean)

        result.save(folder / "matrix.tsv")
        table = read_tsv_cells(folder / "matrix.tsv")
        assert table[0][0] == "PM" and sorted(table[0][1:]) == sorted(result.matrix.columns)
        written = {(line[0], isolate): line[1 + i] for line in table[1:] for i, isolate in enumerate(table[0][1:])}
        assert {key for key, text in written.items() if text} == {
            key for key, mean in expected.items() if not math.isnan(mean)
        }
        for key, text in written.items():
            assert same_number(float(text) if text else math.nan, expected.get(key, math.nan))

        result.save_filtered_table(folder / "filtered.txt")
        decimal = LAYOUTS[layout][3]
        assert read_tsv_cells(folder / "filtered.txt") == [
            HEADER, *[[*row[:-1], row[-1].replace(".", decimal)] for row in rows]
        ]


# ------------------------------------------------------------------------- the three reported cases


@pytest.fixture
def merged_rows() -> list[list[str]]:
    """The cells of the example summary file as written (csv, no type guessing)."""
    with open(EXAMPLES / "ER_all_summary.txt", encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_isolates_01_1_and_1_0_are_three_columns(run_cli, merged_rows, tmp_path) -> None:
    header, body = merged_rows[0], merged_rows[1:]
    isolate, value, substrate = header.index("Isolate"), header.index("gr"), header.index("Substrate")
    renamed = {"ER1": "01", "ER2": "1", "ER3": "1.0"}
    for row in body:
        row[isolate] = renamed.get(row[isolate], row[isolate])
    path = write_rows(tmp_path / "isolates.txt", [header, *body])
    done = run_cli("-i", path, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv",
                   "-o", "isolates")
    assert done.exit_code == 0, done.stderr
    table = read_tsv_cells(tmp_path / "isolates.tsv")
    assert sorted(table[0][1:]) == sorted(["01", "1", "1.0", "ER4"])
    for line in table[1:]:
        for label, text in zip(table[0][1:], line[1:]):
            replicates = [float(row[value]) for row in body if row[isolate] == label and row[substrate] == line[0]]
            assert math.isclose(float(text), statistics.fmean(replicates), rel_tol=1e-12)


def test_an_isolate_named_NA_is_kept_in_a_folder_of_per_plate_files(run_cli, merged_rows, tmp_path) -> None:
    header, body = merged_rows[0], merged_rows[1:]
    isolate, plate = header.index("Isolate"), header.index("Plate_ID")
    for row in body:
        if row[isolate] == "ER1":
            row[isolate] = "NA"
    folder = tmp_path / "plates"
    folder.mkdir()
    for plate_id in sorted({row[plate] for row in body}):
        write_rows(folder / f"{plate_id}_summary.txt", [header, *[row for row in body if row[plate] == plate_id]])
    merged = write_rows(tmp_path / "merged.txt", [header, *body])
    for source, name in ((folder, "from_folder"), (merged, "from_merged")):
        done = run_cli("-i", source, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                       "--format", "tsv", "-o", name, "--output-dir", tmp_path)
        assert done.exit_code == 0, done.stderr
    from_folder = read_tsv_cells(tmp_path / "from_folder.tsv")
    assert sorted(from_folder[0][1:]) == ["ER2", "ER3", "ER4", "NA"]
    assert from_folder == read_tsv_cells(tmp_path / "from_merged.tsv")


def test_the_filtered_table_keeps_barcodes_and_NA_as_written(run_cli, merged_rows, tmp_path) -> None:
    header, body = merged_rows[0], merged_rows[1:]
    barcodes = ["000123", "007", "1e3", "NA", "0.50", "TRUE"]
    header = ["Barcode", *header]
    body = [[barcodes[place % len(barcodes)], *row] for place, row in enumerate(body)]
    chosen = [row for row in body if row[header.index("PM")] == "1"]
    path = write_rows(tmp_path / "barcodes.txt", [header, *body])
    done = run_cli("-i", path, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "-s", "PM:1",
                   "--save-filtered-table", "--format", "tsv", "-o", "barcodes")
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "barcodes_filtered.txt").read_text(encoding="utf-8") == "".join(
        "\t".join(row) + "\n" for row in [header, *chosen]
    )


# ------------------------------------------------------------ subsets, sorting, colours, highlights


@pytest.fixture
def plates(tmp_path) -> Path:
    """Two isolates on PM plates written 1, 01, 1.0 and 2, 10 (one substrate each)."""
    rows = [["Sample_ID", "Isolate", "Substrate", "PM", "gr"]]
    for place, (pm, substrate) in enumerate([("1", "A"), ("01", "B"), ("1.0", "C"), ("2", "D"), ("10", "E")]):
        rows += [[f"{place}a", "ER1", substrate, pm, str(place + 1)], [f"{place}b", "ER2", substrate, pm, "0.5"]]
    return write_rows(tmp_path / "plates.txt", rows)


def test_a_subset_value_matches_the_text_exactly(plates) -> None:
    result = heatmap(plates, value="gr", x="Isolate", y="Substrate", subset="PM:1")
    assert list(result.matrix.index) == ["A"]
    assert set(result.rows["PM"]) == {"1"}
    for numbers in ({"PM": 1}, {"PM": [1.0]}):  # from Python, a number selects the text of that number
        assert list(heatmap(plates, value="gr", x="Isolate", y="Substrate", subset=numbers).matrix.index) == ["A"]
    quoted = heatmap(plates, value="gr", x="Isolate", y="Substrate", subset='PM:"01","1.0"')
    assert list(quoted.matrix.index) == ["B", "C"]
    with pytest.warns(UserWarning, match=r"PM:1\.00 \(closest: '1\.0'"):
        heatmap(plates, value="gr", x="Isolate", y="Substrate", subset="PM:1.0,1.00")


def test_sorting_by_numeric_looking_text_sorts_as_numbers(plates) -> None:
    result = heatmap(plates, value="gr", x="Isolate", y="Substrate", sort_y="PM")
    assert list(result.matrix.index) == ["A", "B", "C", "D", "E"]  # 1, 01, 1.0 (tied, label order), 2, 10


def test_colour_strips_and_highlights_tell_01_from_1(plates) -> None:
    from matplotlib.colors import to_hex

    result = heatmap(plates, value="gr", x="Isolate", y="Substrate", color_y_by="PM",
                     color_scheme_y="1:red;01:blue;1.0:green", missing_color="black",
                     highlight={"y": ["A"], "x": ["ER2"]})
    colours = dict(zip(result.y_colors.as_strip().values, result.y_colors.as_strip().colours))
    assert colours == {"1": to_hex("red"), "01": to_hex("blue"), "1.0": to_hex("green"), "2": to_hex("black"),
                       "10": to_hex("black")}
    assert result.highlighted == {"y": ["A"], "x": ["ER2"]}
