"""Summary tables as editors and interrupted runs leave them, through the real command line.

Each test writes a small table derived from the example data (plate PM1 of examples/randomii) in some
hostile form, runs ``amiga-heatmap ... --format tsv`` on it, and compares the written matrix with the
one plain pandas computes here from the rows before they were written; or checks that the run stops
with exit status 1 and a message naming the file and the fix.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap.builtin import readers
from amiga_heatmap.builtin.table_sniffing import sniff

from .conftest import EXAMPLES, natural

VALUE = "gr"


@pytest.fixture(scope="module")
def plate() -> pd.DataFrame:
    """The 768 PM1 rows of the example summary (4 isolates x 96 wells x 2 replicates), as pandas reads
    them. Tests must copy before changing it."""
    rows = pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t")
    return rows[rows.PM == 1].reset_index(drop=True)


def expected(rows: pd.DataFrame, value: str = VALUE, x: str = "Isolate", y: str = "Substrate") -> pd.DataFrame:
    """The mean matrix plain pandas computes, rows with a missing cell dropped, in natural label order."""
    matrix = natural(rows.groupby([y, x])[value].mean().unstack(x).dropna())
    matrix.columns = matrix.columns.astype(str)
    return matrix


def read_matrix(path) -> pd.DataFrame:
    """A matrix written by --format tsv; labels are read as text exactly (no 'NA' guessing)."""
    matrix = pd.read_csv(path, sep="\t", index_col=0, keep_default_na=False, na_values=[""], dtype={0: str})
    matrix.columns = matrix.columns.astype(str)
    return matrix.astype(float)


@pytest.fixture
def heatmap_tsv(run_cli, tmp_path):
    """Run the CLI writing a TSV into tmp_path/out; return (click result, matrix or None)."""
    out = tmp_path / "out"
    out.mkdir()

    def run(source, *args, value=VALUE, x="Isolate", y="Substrate"):
        result = run_cli(
            "-i", source, "-v", value, "-x", x, "-y", y, "-p", "mean", "--format", "tsv",
            "--output-dir", out, "-o", "matrix", *args,
        )
        written = out / "matrix.tsv"
        return result, read_matrix(written) if result.exit_code == 0 else None

    return run


def assert_same(written: pd.DataFrame, wanted: pd.DataFrame) -> None:
    assert list(written.index) == list(wanted.index)
    assert list(written.columns) == list(wanted.columns)
    np.testing.assert_array_equal(written.to_numpy(), wanted.to_numpy())


def fails_naming(result, *fragments: str) -> None:
    """The run stopped with a data error whose one-paragraph message holds every fragment (warnings that
    explain it come first)."""
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


# ------------------------------------------------------------------------- encodings and line ends


@pytest.mark.parametrize(
    ("encoding", "line_end"), [("utf-8-sig", "\r\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\n"), ("utf-8", "\r")]
)
def test_byte_order_mark_and_windows_or_old_mac_line_endings(plate, tmp_path, heatmap_tsv, encoding, line_end):
    source = tmp_path / "summary.txt"
    plate.to_csv(source, sep="\t", index=False, encoding=encoding, lineterminator=line_end)
    # the last column would read 'False\r' if a line ending leaked into it, and select nothing
    result, written = heatmap_tsv(source, "-s", "K_Error > 20%:False;Well:A1,A2,B1")
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr
    assert_same(written, expected(plate[plate.Well.isin(["A1", "A2", "B1"])]))


def test_excel_unicode_text_utf16(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    rows["Substrate"] = rows.Substrate.replace({"alpha-D-Glucose": "α-D-Glucose", "Tween 20": "Tween 20 µM"})
    source = tmp_path / "unicode.txt"
    rows.to_csv(source, sep="\t", index=False, encoding="utf-16", lineterminator="\r\n")
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(rows))
    assert {"α-D-Glucose", "Tween 20 µM"} <= set(written.index)


LATIN_NAMES = {
    "D-Fructose": "D-Fructose 2,5 µM",
    "L-Arabanose": "L–Arabanose",  # an en dash: Excel's autocorrect, 0x96 in Windows-1252
    "N-Acetyl-D-Glucosamine": "N-Acétyl-D-Glucosamine à 5 °C",
}


@pytest.mark.parametrize("where", ["first rows", "only past the sniffed sample"])
def test_windows_1252_labels_decode_correctly(plate, tmp_path, heatmap_tsv, where):
    rows = plate.copy()
    assert set(LATIN_NAMES) <= set(rows.Substrate)
    rows["Substrate"] = rows.Substrate.replace(LATIN_NAMES)
    if where != "first rows":  # the renamed wells last: the first 64 kB are plain ASCII
        rows = rows.sort_values("Substrate", key=lambda s: s.isin(LATIN_NAMES.values()), kind="stable")
        assert rows.head(300).Substrate.isin(LATIN_NAMES.values()).sum() == 0
    source = tmp_path / "excel.txt"
    rows.to_csv(source, sep="\t", index=False, encoding="cp1252", lineterminator="\r\n")
    assert b"2,5 \xb5M" in source.read_bytes()
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(rows))
    assert set(LATIN_NAMES.values()) <= set(written.index)
    assert "Warning: " in result.stderr and "Windows-1252" in result.stderr


def test_utf8_greek_letters_stay_correct_and_raise_no_warning(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    greek = {"alpha-D-Glucose": "α-D-Glucose", "beta-Methyl-D-Glucoside": "β-Methyl-D-Glucoside", "Tween 20": "γ-Tween 20 µM"}
    rows["Substrate"] = rows.Substrate.replace(greek)
    rows = rows.sort_values("Substrate", key=lambda s: s.isin(greek.values()), kind="stable")
    source = tmp_path / "greek.txt"
    rows.to_csv(source, sep="\t", index=False, encoding="utf-8")
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr
    assert_same(written, expected(rows))
    assert set(greek.values()) <= set(written.index)


def test_a_file_mixing_utf8_and_windows_1252_is_refused(plate, tmp_path, heatmap_tsv):
    head, tail = plate.head(100).copy(), plate.tail(100).copy()
    head.loc[head.index[5], "Substrate"] = "α-D-Glucose"
    tail.loc[tail.index[5], "Substrate"] = "µ-Arabanose"
    source = tmp_path / "edited.txt"
    source.write_bytes(head.to_csv(sep="\t", index=False).encode() + tail.to_csv(sep="\t", index=False, header=False).encode("cp1252"))
    result, _ = heatmap_tsv(source)
    fails_naming(result, str(source), "mixes two text encodings", "save it as UTF-8")


# ------------------------------------------------------------------------------------ separators


def test_tab_comma_and_semicolon_files_mixed_in_one_folder(plate, tmp_path, heatmap_tsv):
    folder = tmp_path / "summaries"
    folder.mkdir()
    parts = dict(tuple(plate.groupby("Isolate")))
    parts["ER1"].to_csv(folder / "ER1_summary.txt", sep="\t", index=False)
    parts["ER2"].to_csv(folder / "ER2_summary.txt", sep=",", index=False)  # a .txt that is really CSV
    parts["ER3"].to_csv(folder / "ER3_summary.csv", sep=",", index=False)
    parts["ER4"].to_csv(folder / "ER4_summary.csv", sep=";", index=False)
    result, written = heatmap_tsv(folder)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(plate))
    assert list(written.columns) == ["ER1", "ER2", "ER3", "ER4"]


@pytest.mark.parametrize(("name", "separator"), [("european.csv", ";"), ("european.txt", "\t")])
def test_decimal_commas_from_european_excel(plate, tmp_path, heatmap_tsv, name, separator):
    rows = plate.copy()
    rows["Substrate"] = rows.Substrate.replace(LATIN_NAMES)  # labels with commas, too
    source = tmp_path / name
    rows.to_csv(source, sep=separator, index=False, decimal=",", encoding="cp1252", lineterminator="\r\n")
    assert ";0," in source.read_text("cp1252").replace("\t", ";")
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(rows))
    assert "D-Fructose 2,5 µM" in written.index


def test_a_comma_separated_file_keeps_quoted_labels_with_commas(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    rows["Substrate"] = rows.Substrate.replace({"alpha-D-Glucose": "alpha-D-Glucose, 2 mM"})
    source = tmp_path / "quoted.csv"
    rows.to_csv(source, index=False)
    assert '"alpha-D-Glucose, 2 mM"' in source.read_text()
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(rows))


# -------------------------------------------------------------------------------- missing values


def test_inf_nan_and_blank_cells_in_their_spellings(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    spelled = rows[VALUE].map(repr).astype(object)
    numbers = rows[VALUE].copy()
    glucose = rows.index[rows.Substrate == "alpha-D-Glucose"]
    arabinose = rows.index[rows.Substrate == "L-Arabanose"]
    mannose = rows.index[rows.Substrate == "D-Mannose"]
    ribose = rows.index[rows.Substrate == "D-Ribose"]
    # one replicate infinite -> the mean is infinite; minus infinity, too
    for index, text, number in ((glucose[0], "inf", np.inf), (glucose[1], "Infinity", np.inf),
                                (arabinose[0], "-inf", -np.inf), (arabinose[3], "-Infinity", -np.inf)):
        spelled[index], numbers[index] = text, number
    # missing spellings: both replicates of ER1 missing drops the row; one replicate missing is skipped
    assert rows.loc[mannose[:2], "Isolate"].tolist() == ["ER1", "ER1"]
    for index, text in zip([*mannose[:3], *ribose[::2]], ["", "N/A", "null", "NaN", "nan", "NA", "#N/A"]):
        spelled[index], numbers[index] = text, np.nan
    source = tmp_path / "holes.txt"
    rows.assign(**{VALUE: spelled}).to_csv(source, sep="\t", index=False)
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    wanted = expected(rows.assign(**{VALUE: numbers}))
    assert "D-Mannose" not in wanted.index and "Dropped 1 of 96 Substrate rows" in result.stderr
    assert "D-Ribose" in wanted.index
    assert np.isposinf(wanted.loc["alpha-D-Glucose"]).any() and np.isneginf(wanted.loc["L-Arabanose"]).any()
    assert_same(written, wanted)


# ---------------------------------------------------------------------------- damaged structure


def test_ragged_rows_are_refused_naming_them(plate, tmp_path, heatmap_tsv):
    lines = plate.to_csv(sep="\t", index=False).splitlines()
    lines[3] = lines[3].rsplit("\t", 1)[0]  # a cell lost
    lines[7] = lines[7] + "\t0.5"  # a cell added
    source = tmp_path / "ragged.txt"
    source.write_text("\n".join(lines) + "\n")
    result, _ = heatmap_tsv(source)
    fails_naming(result, str(source), "35 columns of its header", "row 4 has 34 cells", "row 8 has 36 cells")


def test_a_file_cut_short_by_an_interrupted_run_is_refused(plate, tmp_path, heatmap_tsv):
    data = plate.to_csv(sep="\t", index=False).encode()
    source = tmp_path / "interrupted.txt"
    source.write_bytes(data[: len(data) // 2])  # ends in the middle of a row
    result, _ = heatmap_tsv(source)
    fails_naming(result, str(source), "cut short")


def test_a_needed_column_named_twice_is_refused(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    rows.insert(3, "gr_copy", rows[VALUE] * 2)
    source = tmp_path / "twice.txt"
    text = rows.to_csv(sep="\t", index=False).replace("gr_copy", VALUE, 1)
    source.write_text(text)
    result, _ = heatmap_tsv(source)
    fails_naming(result, str(source), "'gr' appears 2 times", "columns 4, 26", "Rename or delete")


def test_repeated_names_of_unneeded_columns_are_harmless(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    rows.insert(3, "extra", 0.0)
    source = tmp_path / "repeated.txt"
    source.write_text(rows.to_csv(sep="\t", index=False).replace("extra", "OD_Max", 1))
    assert sniff(str(source), "\t").names.count("OD_Max") == 2
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(plate))


def test_an_empty_file_is_refused(tmp_path, heatmap_tsv):
    source = tmp_path / "empty.txt"
    source.write_bytes(b"")
    fails_naming(heatmap_tsv(source)[0], str(source), "is empty")
    source.write_bytes(b"\r\n\n  \n")
    fails_naming(heatmap_tsv(source)[0], str(source), "is empty")


def test_a_header_without_rows_is_refused(plate, tmp_path, heatmap_tsv):
    folder = tmp_path / "plates"
    folder.mkdir()
    plate.to_csv(folder / "full.txt", sep="\t", index=False)
    plate.head(0).to_csv(folder / "header_only.txt", sep="\t", index=False)
    result, _ = heatmap_tsv(folder)
    fails_naming(result, str(folder / "header_only.txt"), "no data rows")


def test_a_binary_file_is_refused_naming_it(plate, tmp_path, heatmap_tsv):
    folder = tmp_path / "plates"
    folder.mkdir()
    plate.to_csv(folder / "ER_summary.txt", sep="\t", index=False)
    with zipfile.ZipFile(folder / "workbook.csv", "w", compression=zipfile.ZIP_DEFLATED) as workbook:
        workbook.writestr("xl/worksheets/sheet1.xml", plate.to_csv())  # an .xlsx renamed .csv
    result, _ = heatmap_tsv(folder)
    fails_naming(result, str(folder / "workbook.csv"), "not a text table", "Excel .xlsx")
    (folder / "workbook.csv").unlink()
    (folder / "image.txt").write_bytes(np.random.default_rng(0).bytes(5000))
    fails_naming(heatmap_tsv(folder)[0], str(folder / "image.txt"), "binary data")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", "does not exist"),
        (lambda root: (root / "empty").mkdir() or root / "empty", "holds no summary files"),
        (
            lambda root: [(root / "figures").mkdir(), (root / "figures" / "a.pdf").write_bytes(b"%PDF"),
                          (root / "figures" / "b.xlsx").write_bytes(b"PK")] and root / "figures",
            "holds no summary files",
        ),
        (lambda root: (root / "table.xlsx").write_bytes(b"PK") and root / "table.xlsx", "No reader handles"),
    ],
    ids=["missing path", "empty folder", "folder without summary files", "unknown suffix"],
)
def test_inputs_that_are_not_there(tmp_path, heatmap_tsv, make, message):
    source = make(tmp_path)
    fails_naming(heatmap_tsv(source)[0], message)


# ------------------------------------------------------------------------------------ hostile text

HOSTILE_LABELS = {
    "alpha-D-Glucose": 'Tween "20" 5\'',
    "L-Arabanose": "D-Glucose, 2 mM",
    "N-Acetyl-D-Glucosamine": "pH 7: buffered",
    "D-Saccharic Acid": "A;B;C",
    "Succinic Acid": "Glucose 😀 🧫",
    "D-Galactose": "L" * 10_000,
    "L-Aspartic Acid": "$5 $\\alpha$",
    "L-Proline": "NA",
    "D-Mannose": 'Tween "20", 1%',
}


def test_labels_with_quotes_separators_emoji_and_ten_thousand_characters(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    assert set(HOSTILE_LABELS) <= set(rows.Substrate)
    rows["Substrate"] = rows.Substrate.replace(HOSTILE_LABELS)
    source = tmp_path / "hostile.txt"
    rows.to_csv(source, sep="\t", index=False)
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(rows))
    assert set(HOSTILE_LABELS.values()) <= set(written.index)
    # labels holding separators, or quotes of the other kind, can be selected, quoted, in --subset
    chosen = ['"D-Glucose, 2 mM"', '"pH 7: buffered"', '"A;B;C"', "'Tween \"20\", 1%'", "Glucose 😀 🧫", "NA"]
    result, written = heatmap_tsv(source, "-s", "Substrate:" + ",".join(chosen[:3]) + ";Substrate:" + ",".join(chosen[3:]))
    assert result.exit_code == 0, result.stderr
    kept = ["D-Glucose, 2 mM", "pH 7: buffered", "A;B;C", 'Tween "20", 1%', "Glucose 😀 🧫", "NA"]
    assert set(kept) == set(written.index)
    assert_same(written, expected(rows[rows.Substrate.isin(kept)]))
    # a label holding both kinds of quote with one left unpaired cannot be written in --subset (there is
    # no escape character): a usage error pointing at the quote, not a silent mismatch
    result, _ = heatmap_tsv(source, "-s", "Substrate:'Tween \"20\" 5''")
    assert result.exit_code == 2 and "is never closed" in result.stderr


def test_hostile_labels_are_drawn_as_written(plate, tmp_path, run_cli):
    rows = plate.copy()
    rows["Substrate"] = rows.Substrate.replace({"alpha-D-Glucose": "$5 $\\alpha$ & <b>", "L-Arabanose": "Glucose 😀"})
    rows = rows[rows.Substrate.isin(["$5 $\\alpha$ & <b>", "Glucose 😀", "D-Mannose"])]
    source = tmp_path / "dollars.txt"
    rows.to_csv(source, sep="\t", index=False)
    result = run_cli("-i", source, "-v", VALUE, "-x", "Isolate", "-y", "Substrate", "-p", "mean",
                     "--format", "svg", "-o", "figure", "-t", "Growth in $ (per h) > 0")
    assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "figure.svg").read_text()
    assert "$5 $\\alpha$ &amp; &lt;b&gt;" in svg and "Glucose 😀" in svg and "Growth in $ (per h) &gt; 0" in svg


def test_value_and_subset_columns_named_with_parentheses_spaces_and_greater_than(plate, tmp_path, heatmap_tsv):
    value = "gr (1/h) > 0.2 [95% CI]"
    rows = plate.rename(columns={VALUE: value, "Isolate": "Isolate name"})
    source = tmp_path / "names.txt"
    rows.to_csv(source, sep="\t", index=False)
    result, written = heatmap_tsv(source, "-s", "K_Error > 20%:False", value=value, x="Isolate name")
    assert result.exit_code == 0, result.stderr
    assert_same(written, expected(rows, value=value, x="Isolate name"))


# -------------------------------------------------------------------------- thresholds and subsets


@pytest.mark.parametrize(
    ("text", "keep"),
    [
        ("row any >= 1e-3 AND row all < 5E-1", lambda m: (m >= 1e-3).any(axis=1) & (m < 0.5).all(axis=1)),
        ("row all > -0.5 AND row any > .45", lambda m: (m > -0.5).all(axis=1) & (m > 0.45).any(axis=1)),
        ("row any < inf AND NOT row all <= 0.4", lambda m: (m < np.inf).any(axis=1) & ~(m <= 0.4).all(axis=1)),
        ("row all >= -inf AND row any >= +4.5e-1", lambda m: (m >= 0.45).any(axis=1)),
    ],
)
def test_thresholds_in_their_spellings(plate, tmp_path, heatmap_tsv, text, keep):
    source = tmp_path / "summary.txt"
    plate.to_csv(source, sep="\t", index=False)
    result, written = heatmap_tsv(source, "-f", text)
    assert result.exit_code == 0, result.stderr
    matrix = expected(plate)
    wanted = matrix[keep(matrix)]
    assert 0 < len(wanted) < len(matrix)
    assert_same(written, wanted)


@pytest.mark.parametrize("text", ["row any = nan", "row any >= NaN OR col all <= nan", "row any > inf"])
def test_thresholds_no_cell_can_pass_stop_the_run(plate, tmp_path, heatmap_tsv, text):
    source = tmp_path / "summary.txt"
    plate.to_csv(source, sep="\t", index=False)
    fails_naming(heatmap_tsv(source, "-f", text)[0], "keeps no cells", "values range from")


def test_subset_values_that_do_not_exist(plate, tmp_path, heatmap_tsv):
    source = tmp_path / "summary.txt"
    plate.to_csv(source, sep="\t", index=False)
    result, written = heatmap_tsv(source, "-s", "Isolate:ER1,ER9;Substrate:alpha-D-Glucose,D-Mannose,alpha-D-Glucosee")
    assert result.exit_code == 0, result.stderr
    assert "Warning: These --subset values match no row" in result.stderr
    assert "Isolate:ER9" in result.stderr and "Substrate:alpha-D-Glucosee (closest: 'alpha-D-Glucose'" in result.stderr
    chosen = expected(plate[(plate.Isolate == "ER1") & plate.Substrate.isin(["alpha-D-Glucose", "D-Mannose"])])
    assert_same(written, chosen.sort_values("ER1", ascending=False, kind="stable"))  # one column: by value
    fails_naming(heatmap_tsv(source, "-s", "Isolate:ER9")[0], "selects no rows")
    fails_naming(heatmap_tsv(source, "-s", "Isolate:ER1;PM:2")[0], "selects no rows")


# ------------------------------------------------------------------------- the two reading tiers


def hostile_but_readable(plate, folder):
    """Files both tiers must read the same: clean AMiGA, CRLF with BOM, hostile labels, semicolons,
    a comma .txt, blank and infinite cells, repeated unneeded names."""
    rows = plate.copy()
    rows["Substrate"] = rows.Substrate.replace(HOSTILE_LABELS)
    rows.loc[::7, VALUE] = np.nan
    rows.loc[::11, VALUE] = np.inf
    rows.loc[::13, "Isolate"] = np.nan
    files = {
        "clean.txt": {"sep": "\t"},
        "bom_crlf.txt": {"sep": "\t", "encoding": "utf-8-sig", "lineterminator": "\r\n"},
        "semicolons.csv": {"sep": ";"},
        "commas.txt": {"sep": ","},
    }
    for name, options in files.items():
        rows.to_csv(folder / name, index=False, **options)
    (folder / "repeated.txt").write_text(rows.to_csv(sep="\t", index=False).replace("OD_Min", "OD_Max"))
    return [folder / name for name in [*files, "repeated.txt"]] + [EXAMPLES / "ER_all_summary_normalized.txt"]


@pytest.mark.parametrize("columns", [frozenset({"Sample_ID", "Isolate", "Substrate", VALUE, "K_Error > 20%"}), None])
def test_fast_and_careful_tiers_give_the_same_table(plate, tmp_path, columns):
    for path in hostile_but_readable(plate, tmp_path):
        layout = sniff(str(path), "\t")
        positions = readers.column_positions(str(path), layout, columns)
        text = [position for position in positions if layout.names[position] != VALUE]
        fast = readers._read_fast(str(path), layout, positions, text)
        careful = readers._read_careful(str(path), layout, positions, text)
        if fast is None:  # reading every column, pandas would rename the repeated one: left to careful
            assert path.name == "repeated.txt" and columns is None
        else:
            pd.testing.assert_frame_equal(fast, careful, check_exact=True)
        pd.testing.assert_frame_equal(readers.read_delimited(str(path), columns, "\t", frozenset({VALUE})), careful)
        if path.parent == tmp_path and columns:
            assert fast["Substrate"].isin(HOSTILE_LABELS.values()).sum() == len(HOSTILE_LABELS) * 8


# ------------------------------------------------------------------------------- infinite cells drawn


def test_infinite_cells_are_drawn_in_their_own_colour_not_blank():
    from matplotlib.colors import to_rgba

    from amiga_heatmap import heatmap

    from .figure_parts import annotations, cells_artist, infinite_cells, infinite_layer, legend

    values = {"r1": [0.0, 1.0], "r2": [np.inf, 0.5], "r3": [-np.inf, 2.0]}
    rows = pd.DataFrame(
        [{"x": x, "y": y, "v": value} for y, pair in values.items() for x, value in zip("ab", pair)]
    )
    figure = heatmap(rows, value="v", x="x", y="y").figure(annot=True, infinite_cell_color="#00ff00")
    cells = cells_artist(figure)
    assert (cells.norm.vmin, cells.norm.vmax) == (0.0, 2.0), "the scale spans the finite values"
    drawn = infinite_cells(figure, (3, 2))
    assert drawn.tolist() == [[False, False], [True, False], [True, False]], "infinite cells are drawn over"
    assert infinite_layer(figure).get_facecolor().tolist() == [list(to_rgba("#00ff00"))]
    assert legend(figure, "missing cells") == ("", {"infinite": "#00ff00"})
    written = annotations(figure)
    assert [written[cell] for cell in sorted(written)] == ["0", "1", "inf", "0.5", "-inf", "2"]


def test_infinite_cells_of_the_real_data_are_drawn(normalized):
    from amiga_heatmap import heatmap

    from .figure_parts import cells_artist, infinite_cells

    with pytest.warns(UserWarning, match="Dropped"):
        result = heatmap(normalized, value="norm(death_lin)", x="Isolate", y="Substrate", operation="mean")
    values = result.matrix.to_numpy()
    assert np.isposinf(values).any()
    figure = result.figure(vmax=0.5)
    assert cells_artist(figure).norm.vmax == 0.5
    assert np.array_equal(infinite_cells(figure, values.shape), np.isinf(values))


def test_a_quote_that_never_closes_loses_no_rows_silently(tmp_path, heatmap_tsv):
    # pyarrow reads large files in parallel blocks and silently drops the rows after such a quote
    rows = pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t")
    lines = pd.concat([rows] * 3).to_csv(sep="\t", index=False).splitlines()
    lines[2] = lines[2].replace("\tER1\t", '\t"ER1\t', 1)
    source = tmp_path / "quote.txt"
    source.write_text("\n".join(lines) + "\n")
    assert source.stat().st_size > 2**20  # more than one of pyarrow's 1 MB blocks
    result, _ = heatmap_tsv(source, value="gr")
    fails_naming(result, str(source), "row 3 has 6 cells", "A double quote that opens a cell and never closes")


def test_zero_bytes_left_by_a_crash_are_refused(plate, tmp_path, heatmap_tsv):
    data = plate.to_csv(sep="\t", index=False).encode()
    source = tmp_path / "crashed.txt"
    source.write_bytes(data[: 200_000] + b"\x00" * 4096)  # the sniffed first 64 kB are clean
    fails_naming(heatmap_tsv(source)[0], str(source), "holds zero bytes from line", "damaged")


def test_bytes_windows_1252_leaves_undefined_are_read_as_latin_1(plate, tmp_path, heatmap_tsv):
    rows = plate.copy()
    rows["Substrate"] = rows.Substrate.replace({"D-Fructose": "D-Fructose \x9d 2 µM"})  # 0x9D: no cp1252 letter
    source = tmp_path / "latin1.txt"
    rows.to_csv(source, sep="\t", index=False, encoding="latin-1")
    result, written = heatmap_tsv(source)
    assert result.exit_code == 0, result.stderr
    assert "Latin-1 (ISO-8859-1)" in result.stderr
    assert_same(written, expected(rows))
