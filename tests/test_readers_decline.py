"""Readers that decline files (``Reader.accepts``): real plugin files dropped into --plugins-dir, run through
the command line on the example data. A declined file in a folder is skipped with one warning; given
directly it is a data error; a plugin's reader that declines a file leaves it to a built-in reader of the
same suffix."""

from __future__ import annotations

import json
import logging
import textwrap
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from .conftest import natural

PER_PLATE_COLUMNS = ["Sample_ID", "Isolate", "Substrate", "PM", "gr"]

JSON_READER = '''
import json

from amiga_heatmap import hookimpl
from amiga_heatmap.components import Reader


def holds_records(path):
    """JSON summaries are a list of records; the instrument's metadata files are one object."""
    with open(path, "rb") as handle:
        return handle.read(256).lstrip().startswith(b"[")


def records(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_json(path, columns):
    import pandas as pd

    frame = pd.DataFrame(records(path))
    return frame if columns is None else frame[[name for name in frame.columns if name in columns]]


@hookimpl
def register_readers(register):
    register(Reader("json", (".json",), read_json, lambda path: list(records(path)[0]),
                    "summaries as a JSON list of records", accepts=holds_records))
'''

XLSX_READER = '''
import os
import zipfile
from xml.etree import ElementTree

from amiga_heatmap import hookimpl
from amiga_heatmap.components import Reader

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def is_workbook(path):
    """Excel keeps a lock file '~$NAME.xlsx' beside a workbook it has open: not a workbook."""
    return not os.path.basename(path).startswith("~$")


def sheet_rows(path):
    with zipfile.ZipFile(path) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    for row in sheet.iter(MAIN + "row"):
        yield [cell.findtext(f"{MAIN}is/{MAIN}t") if cell.get("t") == "inlineStr"
               else float(cell.findtext(MAIN + "v")) for cell in row.iter(MAIN + "c")]


def read_xlsx(path, columns):
    import pandas as pd

    header, *rows = sheet_rows(path)
    frame = pd.DataFrame(rows, columns=header)
    return frame if columns is None else frame[[name for name in header if name in columns]]


@hookimpl
def register_readers(register):
    register(Reader("xlsx", (".xlsx",), read_xlsx, lambda path: next(sheet_rows(path)),
                    "the first sheet of Excel workbooks", accepts=is_workbook))
'''

PLATE_READER_TXT = '''
from amiga_heatmap import hookimpl
from amiga_heatmap.components import Reader


def is_plate_reader_export(path):
    with open(path, "rb") as handle:
        return handle.read(9) == b"#reader\\t1"


def read_export(path, columns):
    import pandas as pd

    return pd.read_csv(path, sep="\\t", skiprows=1)


@hookimpl
def register_readers(register):
    register(Reader("plate-reader", (".txt",), read_export, lambda path: [],
                    "a plate reader's own .txt exports", accepts=is_plate_reader_export))
'''


def plates(data_dir: Path) -> dict[str, pd.DataFrame]:
    """The per-plate example summaries, by file stem, with the columns these tests use."""
    folder = data_dir / "per-plate"
    return {path.stem: pd.read_csv(path, sep="\t")[PER_PLATE_COLUMNS] for path in sorted(folder.glob("*.txt"))}


def expected_means(frames) -> pd.DataFrame:
    rows = pd.concat(frames, ignore_index=True)
    return natural(rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate"))


def plugins_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    for name, code in files.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return folder


def write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    """A minimal Office Open XML workbook with one sheet: text as inline strings, numbers as values."""
    def cell(value) -> str:
        if isinstance(value, str):
            return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'
        return f"<c><v>{value!r}</v></c>"

    rows = [list(frame.columns), *frame.itertuples(index=False)]
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(f"<row>{''.join(cell(value) for value in row)}</row>" for row in rows)
             + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)


@pytest.fixture(autouse=True)
def logger_restored():
    """--verbose in-process adds a handler bound to this run's stderr: take it away afterwards."""
    logger = logging.getLogger("amiga_heatmap")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


def heatmap_args(source: Path, output: Path, *extra: object) -> list[object]:
    return ["-i", source, "--output-dir", output, "-o", "means", "--format", "tsv", "-x", "Isolate",
            "-y", "Substrate", "-v", "gr", "-p", "mean", *extra]


@pytest.fixture
def json_summaries(data_dir: Path, tmp_path: Path) -> tuple[Path, dict[str, pd.DataFrame]]:
    """A folder of per-plate summaries as JSON records, with the instrument's metadata.json among them."""
    folder = tmp_path / "json-plates"
    (folder / "run1").mkdir(parents=True)
    frames = plates(data_dir)
    for stem, frame in frames.items():
        frame.to_json(folder / "run1" / f"{stem}.json", orient="records")
    (folder / "run1" / "metadata.json").write_text(json.dumps({"instrument": "Biolog", "plates": 16}))
    return folder, frames


def test_a_json_reader_declines_a_metadata_file_in_a_folder(json_summaries, run_cli, tmp_path, caplog) -> None:
    folder, frames = json_summaries
    plugins = plugins_folder(tmp_path, json_reader=JSON_READER)
    done = run_cli("--plugins-dir", plugins, *heatmap_args(folder, tmp_path))
    assert done.exit_code == 0, done.stderr
    metadata = folder / "run1" / "metadata.json"
    assert done.stderr == (
        f"Warning: Skipped 1 file(s) that no reader accepts: {metadata}. Their readers declined them as not "
        "their kind of file (a lock or metadata file, say); if one of them is a summary table, its reader "
        "plugin is wrong about it: --verbose names the reader.\n"
    )
    written = pd.read_csv(tmp_path / "means.tsv", sep="\t", index_col=0)
    pd.testing.assert_frame_equal(written, expected_means(frames.values()), check_names=False, rtol=1e-12)
    run_cli("--plugins-dir", plugins, *heatmap_args(folder, tmp_path, "--verbose"))
    assert f"the reader json declined {metadata}" in caplog.messages


def test_a_declined_file_given_directly_is_a_data_error(json_summaries, run_cli, tmp_path) -> None:
    folder, _ = json_summaries
    plugins = plugins_folder(tmp_path, json_reader=JSON_READER)
    metadata = folder / "run1" / "metadata.json"
    done = run_cli("--plugins-dir", plugins, *heatmap_args(metadata, tmp_path))
    assert done.exit_code == 1
    assert done.stderr == (
        f"Error: Every reader for the file {str(metadata)!r} declined it as not its kind of file ('json'), so "
        "it cannot be read. Check that it is a summary table (not a lock file, a metadata file or a file of "
        "another program) and give -i the right file.\n"
    )
    assert not (tmp_path / "means.tsv").exists()


def test_an_xlsx_reader_declines_an_excel_lock_file(data_dir, run_cli, tmp_path) -> None:
    folder = tmp_path / "workbooks"
    folder.mkdir()
    frames = plates(data_dir)
    for stem, frame in frames.items():
        write_xlsx(folder / f"{stem}.xlsx", frame)
    lock = folder / "~$ER1_PM1-1_summary.xlsx"
    lock.write_bytes(b"\x0bresearcher" + b"\x00" * 154)  # what Excel writes: the user's name, padded
    plugins = plugins_folder(tmp_path, xlsx_reader=XLSX_READER)
    done = run_cli("--plugins-dir", plugins, *heatmap_args(folder, tmp_path))
    assert done.exit_code == 0, done.stderr
    assert done.stderr.count("Warning: ") == 1 and f"no reader accepts: {lock}." in done.stderr
    written = pd.read_csv(tmp_path / "means.tsv", sep="\t", index_col=0)
    pd.testing.assert_frame_equal(written, expected_means(frames.values()), check_names=False, rtol=1e-12)
    direct = run_cli("--plugins-dir", plugins, *heatmap_args(lock, tmp_path))
    assert direct.exit_code == 1 and "declined it as not its kind of file ('xlsx')" in direct.stderr
    for stem in sorted(frames)[1:7]:
        (folder / f"~${stem}.xlsx").write_bytes(b"\x0bresearcher" + b"\x00" * 154)
    many = run_cli("--plugins-dir", plugins, *heatmap_args(folder, tmp_path))
    assert many.exit_code == 0, many.stderr
    assert many.stderr.count("Warning: ") == 1
    assert "Skipped 7 file(s) that no reader accepts: " in many.stderr
    assert " and 2 more (--verbose lists them). Their readers declined them" in many.stderr


def test_a_plugin_reader_that_declines_leaves_the_file_to_the_builtin_reader(data_dir, run_cli, tmp_path,
                                                                             caplog) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    frames = plates(data_dir)
    names = sorted(frames)
    for stem in names[:8]:
        frames[stem].to_csv(folder / f"{stem}.txt", sep="\t", index=False)
    for stem in names[8:]:
        text = frames[stem].to_csv(sep="\t", index=False)
        (folder / f"{stem}.txt").write_text("#reader\t1\n" + text, encoding="utf-8")
    plugins = plugins_folder(tmp_path, plate_reader=PLATE_READER_TXT)
    done = run_cli("--plugins-dir", plugins, *heatmap_args(folder, tmp_path, "--verbose"))
    assert done.exit_code == 0, done.stderr
    assert "Warning" not in done.stderr
    read_by = {message.split(":")[0].removeprefix("read "): message.rsplit("(reader ", 1)[1].rstrip(")")
               for message in caplog.messages if message.startswith("read ") and "(reader " in message}
    assert read_by == {str(folder / f"{stem}.txt"): "amiga-text" if stem in names[:8] else "plate-reader"
                       for stem in names}
    assert f"the reader plate-reader declined {folder / names[0]}.txt" in caplog.messages
    written = pd.read_csv(tmp_path / "means.tsv", sep="\t", index_col=0)
    pd.testing.assert_frame_equal(written, expected_means(frames.values()), check_names=False, rtol=1e-12)
