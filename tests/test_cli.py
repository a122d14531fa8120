"""The command line, flag by flag, on the real example data."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest

from .conftest import REPOSITORY

SVG = "{http://www.w3.org/2000/svg}"


def read_tsv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", index_col=0)


def test_readme_example_writes_24_substrates_by_2_strains(run_cli, normalized) -> None:
    result = run_cli(
        "-i", normalized, "-o", "ER_norm_auc", "-x", "Strain", "-y", "Substrate",
        "-v", "norm(auc_lin)", "-p", "mean", "-f", "row any > 1.2", "-t", "Normalized AUC",
    )
    assert result.exit_code == 0, result.stderr
    written = normalized.parent / "ER_norm_auc.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert "24 Substrate x 2 Strain" in result.stdout


def test_tsv_output_is_the_plotted_matrix_at_full_precision(run_cli, normalized) -> None:
    result = run_cli(
        "-i", normalized, "-o", "strain", "-x", "Strain", "-y", "Substrate", "-v", "norm(gr)",
        "-p", "median", "-f", "row any >= 1.3 OR row any <= 0.7", "--format", "tsv",
    )
    assert result.exit_code == 0, result.stderr
    text = (normalized.parent / "strain.tsv").read_text()
    assert text.splitlines()[0] == "Substrate\tMEX_2020\tUSA_1995"
    written = read_tsv(normalized.parent / "strain.tsv")
    rows = pd.read_csv(normalized, sep="\t")
    expected = rows.groupby(["Substrate", "Strain"])["norm(gr)"].median().unstack("Strain")
    keep = (expected >= 1.3).any(axis=1) | (expected <= 0.7).any(axis=1)
    expected = expected[keep]
    assert list(written.index) == list(expected.index)
    # full round-trip precision: the floats read back are bit-for-bit the pandas values
    np.testing.assert_array_equal(written.to_numpy(), expected.to_numpy())


def test_x_y_spellings_of_the_spec_page_are_accepted(run_cli, summary) -> None:
    for x_flag, y_flag in (("--x-variable", "--y-variable"), ("--x_variable", "--y_variable")):
        result = run_cli("-i", summary, "-o", f"spell{x_flag[3]}", x_flag, "Isolate", y_flag, "Substrate",
                         "-v", "gr", "-p", "mean", "-s", "PM:1", "--format", "tsv")
        assert result.exit_code == 0, result.stderr
        assert read_tsv(summary.parent / f"spell{x_flag[3]}.tsv").shape == (96, 4)


def test_subset_flag(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-o", "pm2", "-x", "Isolate", "-y", "Substrate", "-v", "k_lin", "-p", "mean",
                     "--subset", "PM:2;Isolate:ER4", "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    written = read_tsv(summary.parent / "pm2.tsv")
    rows = pd.read_csv(summary, sep="\t")
    chosen = rows[(rows.PM == 2) & (rows.Isolate == "ER4")].groupby("Substrate")["k_lin"].mean()
    # one column: substrates ordered by value, highest first, ties kept in alphabetical order
    expected = chosen.sort_values(ascending=False, kind="stable")
    assert len(expected) == 96
    assert list(written.columns) == ["ER4"]
    assert list(written.index) == list(expected.index)
    np.testing.assert_array_equal(written["ER4"].to_numpy(), expected.to_numpy())


def test_output_dir_and_default_timestamp_name(run_cli, summary, tmp_path) -> None:
    out = tmp_path / "figures"
    out.mkdir()
    result = run_cli("-i", summary, "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                     "--output-dir", out, "--format", "png")
    assert result.exit_code == 0, result.stderr
    written = sorted(path.name for path in out.iterdir() if not path.name.startswith("."))  # .amiga-heatmap-outputs
    assert len(written) == 2  # the figure and its provenance record
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d\.png", written[0])
    assert written[1] == written[0].replace(".png", ".provenance.json")


def test_folder_input_writes_into_the_folder(run_cli, data_dir) -> None:
    folder = data_dir / "per-plate"
    result = run_cli("-i", folder, "-o", "plates", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                     "--format", "svg")
    assert result.exit_code == 0, result.stderr
    assert (folder / "plates.svg").exists()


def test_kwargs_reach_the_renderer_and_unknown_keys_are_refused(run_cli, summary) -> None:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    ok = run_cli("-i", summary, "-o", "kw", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                 "-s", "PM:1", "--format", "svg",
                 "--kwargs", "cmap:RdBu_r; center:0.4; vmin:0; annot:true; fmt:.3f; linewidths:0.5; linecolor:#123456")
    assert ok.exit_code == 0, ok.stderr
    svg = ElementTree.parse(summary.parent / "kw.svg")
    # the cells are the paths outlined in the linecolor, with the linewidths
    cell_styles = [path.get("style", "") for path in svg.iter(SVG + "path") if "stroke: #123456" in path.get("style", "")]
    assert len(cell_styles) == 96 * 4
    assert all("stroke-width: 0.5" in style for style in cell_styles)
    # every cell is painted in a colour of RdBu_r (seaborn re-centres the map but keeps its colours)
    fills = {re.search(r"fill: (#[0-9a-f]{6})", style).group(1) for style in cell_styles}
    assert fills <= {to_hex(colormaps["RdBu_r"](i)) for i in range(256)}
    assert not fills & {to_hex(colormaps["viridis"](i)) for i in range(256)}
    # annot with fmt: every cell's mean, computed here, is written in the figure as text
    rows = pd.read_csv(summary, sep="\t")
    means = rows[rows.PM == 1].groupby(["Substrate", "Isolate"])["gr"].mean()
    texts = Counter("".join(text.itertext()) for text in svg.iter(SVG + "text"))
    assert Counter(f"{value:.3f}" for value in means) <= texts
    bad = run_cli("-i", summary, "-o", "kw2", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                  "--kwargs", "cmapp:viridis")
    assert bad.exit_code == 2
    assert "does not accept the option 'cmapp'" in bad.stderr and "'cmap'" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not (summary.parent / "kw2.pdf").exists()


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["-v", "auc_lni"], 1, "Closest column names: 'auc_lin'"),
        (["-v", "gr", "-p", "average"], 2, "Known aggregators: 'mean', 'median'"),
        (["-v", "gr"], 1, "Add -p mean"),
        (["-v", "gr", "-p", "mean", "-s", "Isolate:ER7"], 1, "selects no rows"),
        (["-v", "gr", "-p", "mean", "-f", "row anny > 1"], 2, "Did you mean 'any'"),
        (["-v", "gr", "-p", "mean", "-f", "row any > 100"], 1, "keeps no cells"),
        (["-v", "gr", "-p", "mean", "--format", "jpeg"], 2, "Known formats: 'gct', 'pdf', 'png', 'svg', 'tsv'"),
        (["-v", "gr", "-p", "mean", "-o", "out/fig"], 2, "without a folder"),
        (["-v", "gr", "-p", "mean", "--kwargs", "cmap"], 2, "KEY:VALUE"),
    ],
)
def test_errors_are_one_paragraph_with_exit_status(run_cli, summary, args, status, message) -> None:
    result = run_cli("-i", summary, "-x", "Isolate", "-y", "Substrate", "-o", "err", *args)
    assert result.exit_code == status, result.stderr
    assert message in result.stderr.replace("\n", " ") or message in result.stderr
    warnings, _ = result.stderr.rstrip("\n").split("Error: ")  # warnings explaining it come first
    assert all(line.startswith("Warning: ") for line in warnings.splitlines())
    assert "Traceback" not in result.stderr
    assert not list(summary.parent.glob("err*"))


def test_warnings_print_before_the_error_they_explain(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-x", "Isolate", "-y", "Substrate", "-o", "err", "-v", "gr", "-p", "mean",
                     "-s", "PM:3")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    plates = sorted(pd.read_csv(summary, sep="\t")["PM"].unique())
    assert plates == [1, 2]
    assert lines[0].startswith("Warning: ") and "PM:3" in lines[0]
    assert lines[-1].startswith("Error: ") and "selects no rows" in lines[-1]


def test_a_decimal_comma_in_a_filter_is_named_with_the_fix(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-x", "Isolate", "-y", "Substrate", "-o", "err", "-v", "gr", "-p", "mean",
                     "-f", "row any >= 1,2")
    assert result.exit_code == 2
    assert "'1,2' is not a number: write the decimal point, as in 1.2" in result.stderr
    assert "               ^^^" in result.stderr.splitlines()  # under 1,2
    fixed = run_cli("-i", summary, "-x", "Isolate", "-y", "Substrate", "-o", "ok", "-v", "gr", "-p", "mean",
                    "-f", "row any >= 0.6", "--format", "tsv")
    assert fixed.exit_code == 0, fixed.stderr
    means = pd.read_csv(summary, sep="\t").groupby(["Substrate", "Isolate"])["gr"].mean().unstack()
    assert len(read_tsv(summary.parent / "ok.tsv")) == int((means >= 0.6).any(axis=1).sum())


def test_missing_input_exits_1(run_cli, tmp_path) -> None:
    result = run_cli("-i", tmp_path / "none.txt", "-x", "Isolate", "-y", "Substrate", "-v", "gr")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_verbose_reports_stages_and_shows_tracebacks(summary) -> None:
    command = [sys.executable, "-m", "amiga_heatmap", "-i", str(summary), "-o", "v", "-x", "Isolate",
               "-y", "Substrate", "-v", "gr", "-p", "mean", "-f", "row any > 0.5", "--verbose"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPOSITORY)
    assert done.returncode == 0, done.stderr
    for stage in ("read 1536 rows", "aggregated with mean: 191 Substrate x 4 Isolate", "filter kept", "matrix:"):
        assert stage in done.stderr
    failing = subprocess.run(command[:-1] + ["-v", "nope", "--verbose"], capture_output=True, text=True, cwd=REPOSITORY)
    assert failing.returncode == 1
    assert "Traceback" in failing.stderr and "DataError" in failing.stderr


def test_missing_cells_warning_is_printed(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "lag", "-x", "Isolate", "-y", "Substrate", "-v", "norm(death_lin)",
                     "-p", "mean", "--format", "tsv")
    assert result.exit_code == 0
    assert "Warning: Dropped" in result.stderr


def test_an_empty_filter_is_an_error_not_no_filter(run_cli, summary) -> None:
    result = run_cli("-i", summary, "-o", "empty", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                     "-f", "")
    assert result.exit_code == 2
    assert "the filter is empty" in result.stderr
