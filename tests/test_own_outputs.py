"""--save-filtered-table, and outputs never read back: running the same command twice on a folder gives
the same files."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from amiga_heatmap.output.own_outputs import MANIFEST, own_output_reason

COMMAND = ("-x", "Isolate", "-y", "Substrate", "-v", "auc_lin", "-p", "mean", "-f", "row any > 8")


def read_folder(folder) -> pd.DataFrame:
    return pd.concat(
        [pd.read_csv(path, sep="\t") for path in sorted(folder.glob("*_summary.txt"))], ignore_index=True
    )


def test_filtered_table_holds_the_whole_input_rows_behind_the_cells(run_cli, data_dir) -> None:
    folder = data_dir / "per-plate"
    done = run_cli("-i", folder, "-o", "grow", *COMMAND, "--save-filtered-table", "--format", "tsv")
    assert done.exit_code == 0, done.stderr
    assert f"Wrote {folder / 'grow_filtered.txt'}." in done.stdout
    rows = read_folder(folder)
    means = rows.groupby(["Substrate", "Isolate"])["auc_lin"].mean().unstack("Isolate")
    kept = means[(means > 8).any(axis=1)].index
    expected = rows[rows.Substrate.isin(kept)].reset_index(drop=True)
    written = pd.read_csv(folder / "grow_filtered.txt", sep="\t")
    assert list(written.columns) == list(expected.columns)  # every input column, in input order
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    assert len(written) == len(kept) * 4 * 2


@pytest.mark.parametrize("file_format", ["tsv", "pdf"])
def test_running_twice_on_a_folder_gives_the_same_outputs(run_cli, data_dir, file_format) -> None:
    folder = data_dir / "per-plate"
    arguments = (
        "-i",
        folder,
        "-o",
        "twice",
        *COMMAND,
        "--save-filtered-table",
        "--format",
        file_format,
        "--color-x-by",
        "Strain",
    )
    if file_format == "tsv":
        arguments = arguments[:-2]
    outputs = sorted(path.name for path in folder.iterdir())
    first = run_cli(*arguments)
    assert first.exit_code == 0, first.stderr
    written = {path.name: path.read_bytes() for path in folder.iterdir() if path.name not in outputs}
    assert f"twice.{file_format}" in written and "twice_filtered.txt" in written and MANIFEST in written
    second = run_cli(*arguments)
    assert second.exit_code == 0, second.stderr
    assert "Warning" not in second.stderr
    assert {name: (folder / name).read_bytes() for name in written} == written


def test_outputs_under_any_name_are_recognised_by_their_content(run_cli, data_dir) -> None:
    folder = data_dir / "per-plate"
    done = run_cli("-i", folder, "-o", "matrix_summary", *COMMAND, "--format", "tsv")
    assert done.exit_code == 0
    assert own_output_reason(folder / "matrix_summary.tsv") is not None
    assert own_output_reason(folder / "ER1_PM1-1_summary.txt") is None
    # the user overwrites our output with a real summary: it is read again
    shutil.copy(folder / "ER1_PM1-1_summary.txt", folder / "matrix_summary.tsv")
    assert own_output_reason(folder / "matrix_summary.tsv") is None


def test_a_copied_filtered_table_is_skipped_by_name_with_a_warning(run_cli, data_dir, tmp_path) -> None:
    folder = data_dir / "per-plate"
    assert (
        run_cli("-i", folder, "-o", "grow", *COMMAND, "--save-filtered-table", "--format", "tsv").exit_code
        == 0
    )
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    for path in folder.glob("*.txt"):
        shutil.copy(path, elsewhere)  # no manifest travels with them
    again = run_cli("-i", elsewhere, "-o", "grow", *COMMAND, "--format", "tsv")
    assert again.exit_code == 0
    assert "Skipped 1 file(s) whose names mark them as amiga-heatmap outputs" in again.stderr
    assert (elsewhere / "grow.tsv").read_text() == (folder / "grow.tsv").read_text()
    # given directly, the table is read: it is a valid summary of the same wells
    direct = run_cli("-i", elsewhere / "grow_filtered.txt", "-o", "direct", *COMMAND, "--format", "tsv")
    assert direct.exit_code == 0, direct.stderr
    assert (elsewhere / "direct.tsv").read_text() == (folder / "grow.tsv").read_text()


def test_filtered_table_never_overwrites_an_input(run_cli, data_dir) -> None:
    source = data_dir / "per-plate" / "ER1_PM1-1_summary.txt"
    target = data_dir / "per-plate" / "x_filtered.txt"
    shutil.copy(source, target)
    before = target.read_bytes()
    refused = run_cli("-i", target, "-o", "x", *COMMAND[:-2], "--save-filtered-table")
    assert refused.exit_code == 2 and "one of the input files" in refused.stderr
    assert target.read_bytes() == before
