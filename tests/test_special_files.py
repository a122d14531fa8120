"""Special files and empty names given as paths: each path is checked for what it must be before it is
opened, text files are read with a size limit and a declared encoding, and messages stay short.

Runs that could hang if a check were missing (a FIFO, ``/dev/zero``) run in a real process with a
time-out, so that a regression fails instead of blocking the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from amiga_heatmap.output.own_outputs import MANIFEST, _read_manifest

from .conftest import REPOSITORY

AXES = ("-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean")
DEVICES = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")


def run_process(*args: object, timeout: int = 120, **settings) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), "AMIGA_HEATMAP_PLUGINS": ""}
    environment.update(settings.pop("env", {}))
    return subprocess.run(
        [sys.executable, "-m", "amiga_heatmap", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
        **settings,
    )


def mean_matrix(summary: Path) -> pd.DataFrame:
    rows = pd.read_csv(summary, sep="\t")
    return rows.groupby(["Substrate", "Isolate"])["gr"].mean().unstack("Isolate").dropna()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "stream.txt"
    os.mkfifo(path)
    return path


# ------------------------------------------------------------------------------------------- -i PATH


def test_a_fifo_as_input_is_refused_without_waiting_for_a_writer(fifo, tmp_path):
    done = run_process("-i", fifo, *AXES, "--output-dir", tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"The input '{fifo}' (given to -i/--input) is a FIFO (named pipe)" in done.stderr


@DEVICES
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_as_input_is_refused_before_reading(device, tmp_path):
    done = run_process("-i", device, *AXES, "--output-dir", tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"The input '{device}' (given to -i/--input) is a device" in done.stderr


@DEVICES
def test_a_link_to_a_device_is_refused_too(tmp_path, run_cli):
    link = tmp_path / "plate.txt"
    os.symlink("/dev/zero", link)
    result = run_cli("-i", link, *AXES, "--output-dir", tmp_path)
    assert result.exit_code == 1
    assert "is a device, not a summary file or a folder" in result.stderr


def test_an_empty_input_name_is_a_usage_error_and_reads_nothing(tmp_path, run_cli, monkeypatch, summary):
    monkeypatch.chdir(summary.parent)  # the folder "" would have searched
    result = run_cli("-i", "", *AXES)
    assert result.exit_code == 2
    assert "-i/--input is empty" in result.stderr
    assert not [path for path in summary.parent.iterdir() if path.suffix == ".pdf"]


def test_an_empty_input_name_in_python_is_refused_too():
    from amiga_heatmap import heatmap
    from amiga_heatmap.errors import UsageError

    with pytest.raises(UsageError, match="is empty"):
        heatmap("", value="gr", x="Isolate", y="Substrate")


def test_a_fifo_inside_an_input_folder_is_not_read(summary, tmp_path, run_cli):
    # a folder of its own: tmp_path also holds the example folder, whose files repeat the same wells
    folder = tmp_path / "plates"
    folder.mkdir()
    os.mkfifo(folder / "stream.txt")
    (folder / "plate.txt").write_bytes(summary.read_bytes())
    result = run_cli("-i", folder, *AXES, "-o", "m", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(folder / "m.tsv", sep="\t", index_col=0)
    assert written.shape == mean_matrix(summary).shape


def test_a_folder_nested_past_the_path_length_limit_gives_a_short_message(tmp_path):
    root = tmp_path / "deep"
    root.mkdir()
    handle = os.open(root, os.O_RDONLY)
    for _ in range(30):  # 30 x 201 characters: past Linux's 4,096
        os.mkdir("d" * 200, dir_fd=handle)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=handle)
        os.close(handle)
        handle = inner
    with os.fdopen(os.open("plate.txt", os.O_WRONLY | os.O_CREAT, dir_fd=handle), "w") as plate:
        plate.write("Isolate\tSubstrate\tgr\nER1\tA\t1\n")
    os.close(handle)
    done = run_process("-i", root, *AXES, "--output-dir", tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"Cannot search the folder '{root}'" in done.stderr
    assert "(ENAMETOOLONG)" in done.stderr
    assert len(done.stderr) < 700


@pytest.fixture
def nested_folder(tmp_path: Path):
    """A folder 1,500 levels deep (short names: deeper than Python's recursion limit, within the path
    limit). Removed level by level afterwards: pytest's own clean-up would hit the recursion limit."""
    root = tmp_path / "nested"
    root.mkdir()
    depth, handle = 0, os.open(root, os.O_RDONLY)
    try:
        while depth < 1500:  # two descriptors open at a time, at most
            os.mkdir("a", dir_fd=handle)
            inner = os.open("a", os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle, depth = inner, depth + 1
        yield root
    finally:
        for _ in range(depth):  # back up through "..", removing the level below
            parent = os.open("..", os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = parent
            os.rmdir("a", dir_fd=handle)
        os.close(handle)


def test_a_folder_nested_too_deeply_to_search_gives_a_short_message(nested_folder, tmp_path):
    done = run_process("-i", nested_folder, *AXES, "--output-dir", tmp_path)
    assert done.returncode == 1, done.stderr
    assert f"Cannot search the folder '{nested_folder}'" in done.stderr
    assert "RecursionError" not in done.stderr
    assert len(done.stderr) < 700


# ------------------------------------------------------------------------------------ colour files


def colour_run(run_cli, summary: Path, colour_file: object):
    return run_cli(
        "-i",
        summary,
        *AXES,
        "--format",
        "gct",  # a format whose renderer draws colour strips (the table renderer refuses them)
        "--output-dir",
        summary.parent,
        "--color-x-by",
        "Strain",
        "--color-file-x",
        colour_file,
    )


def test_a_binary_colour_file_is_a_data_error_naming_the_byte(summary, tmp_path, run_cli):
    binary = tmp_path / "colours.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = colour_run(run_cli, summary, binary)
    assert result.exit_code == 1
    assert (
        f"Cannot read the colour file '{binary}' (--color-file-x): it is not UTF-8 text (byte 1"
        in result.stderr
    )


def test_a_colour_file_holding_zero_bytes_is_not_text(summary, tmp_path, run_cli):
    zeros = tmp_path / "colours.txt"
    zeros.write_bytes(b"Strain\tColor\n\x00\x00\x00")
    result = colour_run(run_cli, summary, zeros)
    assert result.exit_code == 1
    assert "it is not UTF-8 text (byte 14" in result.stderr


@pytest.mark.parametrize("name", ["device", "fifo"])
def test_a_colour_file_that_is_not_a_regular_file_is_refused_without_reading(summary, tmp_path, name):
    if name == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("needs /dev/zero")
        path, kind = Path("/dev/zero"), "a device"
    else:
        path, kind = tmp_path / "colours.fifo", "a FIFO (named pipe)"
        os.mkfifo(path)
    done = run_process(
        "-i",
        summary,
        *AXES,
        "--format",
        "gct",
        "--color-x-by",
        "Strain",
        "--color-file-x",
        path,
        "--output-dir",
        tmp_path,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert f"Cannot read the colour file '{path}' (--color-file-x): it is {kind}." in done.stderr


def test_a_colour_file_larger_than_the_limit_is_refused_without_reading_it_whole(summary, tmp_path, run_cli):
    from amiga_heatmap.pipeline.labels.colors import COLOR_FILE_LIMIT

    huge = tmp_path / "colours.txt"
    with open(huge, "wb") as handle:
        handle.write(b"Strain\tColor\n")
        handle.truncate(COLOR_FILE_LIMIT * 4)  # sparse: no disk used
    result = colour_run(run_cli, summary, huge)
    assert result.exit_code == 1
    assert "it is larger than 8 MB" in result.stderr


def test_a_utf8_colour_file_with_a_byte_order_mark_is_read(summary, tmp_path, run_cli):
    from amiga_heatmap import heatmap

    colours = tmp_path / "colours.txt"
    colours.write_bytes("Strain\tColor\nUSA_1995\t#ff0000\nMEX_2020\t#0000ff\n".encode("utf-8-sig"))
    strains = set(pd.read_csv(summary, sep="\t")["Strain"].astype(str))
    assert {"USA_1995", "MEX_2020"} <= strains
    result = heatmap(
        summary,
        value="gr",
        x="Isolate",
        y="Substrate",
        operation="mean",
        color_x_by="Strain",
        color_file_x=colours,
    )
    assert set(result.x_colors.legend.values()) == {"#ff0000", "#0000ff"}


def test_an_empty_colour_file_name_is_a_usage_error(summary, run_cli):
    result = colour_run(run_cli, summary, "")
    assert result.exit_code == 2
    assert "--color-file-x is empty" in result.stderr


# ------------------------------------------------------------------------------------ output names


@pytest.mark.parametrize("name", ["résumé", "Ωmega_α", "日本"])
def test_a_non_ascii_output_name_is_written_and_recorded(summary, tmp_path, run_cli, name):
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("-i", summary, *AXES, "-o", name, "--output-dir", out, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out / name}.tsv" in result.stdout
    assert sorted(_read_manifest(out)) == [f"{name}.provenance.json", f"{name}.tsv"]


def test_a_non_ascii_output_name_under_an_ascii_locale_is_written_and_recorded(summary, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    ascii_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = run_process(
        "-i", summary, *AXES, "-o", "résumé", "--output-dir", out, "--format", "tsv", env=ascii_locale
    )
    assert done.returncode == 0, done.stderr
    assert (out / "résumé.tsv").is_file()
    assert "résumé.tsv".encode() in (out / MANIFEST).read_bytes()
    assert "résumé.tsv" in done.stdout  # the bytes given, printed back as they were
    second = run_process("-i", out, *AXES, "-o", "again", "--format", "tsv")
    assert second.returncode == 1  # the only file in the folder is ours: skipped
    assert "holds no summary files" in second.stderr


@pytest.mark.parametrize("name", ["one\ttwo", "line\nbreak", "bell\x07"])
def test_an_output_name_with_a_control_character_is_a_usage_error(summary, tmp_path, run_cli, name):
    result = run_cli("-i", summary, *AXES, "-o", name, "--output-dir", tmp_path)
    assert result.exit_code == 2
    assert "holds a control character" in result.stderr
    assert not [path for path in tmp_path.iterdir() if path.is_file() and path.suffix == ".pdf"]


def test_an_empty_output_folder_name_is_a_usage_error(summary, run_cli):
    result = run_cli("-i", summary, *AXES, "--output-dir", "")
    assert result.exit_code == 2
    assert "--output-dir is empty" in result.stderr


# ---------------------------------------------------------------------------------- plugin folders


def test_a_fifo_in_a_plugins_folder_is_not_imported(summary, tmp_path, run_cli):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    os.mkfifo(plugins / "stream.py")
    (plugins / "maximum.py").write_text(
        textwrap.dedent("""
        from amiga_heatmap import hookimpl
        from amiga_heatmap.components import Aggregator

        @hookimpl
        def register_aggregators(register):
            register(Aggregator("maximum", lambda groups: groups.max()))
    """),
        encoding="utf-8",
    )
    done = run_process(
        "--plugins-dir",
        plugins,
        "-i",
        summary,
        *AXES[:-1],
        "maximum",
        "--format",
        "tsv",
        "-o",
        "m",
        "--output-dir",
        tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(summary, sep="\t")
    expected = rows.groupby(["Substrate", "Isolate"])["gr"].max().unstack("Isolate").dropna()
    written = pd.read_csv(tmp_path / "m.tsv", sep="\t", index_col=0)
    assert (written.loc[expected.index, expected.columns] - expected).abs().max().max() < 1e-12
