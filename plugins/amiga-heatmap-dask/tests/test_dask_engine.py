"""The dask engine on a real cluster (a scheduler and two worker processes on 127.0.0.1, see conftest.py)
against the pandas engine, on the real example data: the same matrices (to 1e-12 relative) and counts,
and the same errors.

Text files larger than 160 kB are cut into blocks here, so that the merged example files span several
partitions and every reduction combines partial results as it does on a big screen; smaller files (the
per-plate ones) are read whole by the built-in reader on a worker.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import amiga_heatmap_dask
import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import hookimpl
from amiga_heatmap.components import Aggregator
from amiga_heatmap.errors import DataError, UsageError

REPOSITORY = Path(__file__).resolve().parents[3]
EXAMPLES = REPOSITORY / "examples" / "randomii"
CASES = REPOSITORY / "tests" / "data" / "amiga-reference" / "cases.tsv"
SMALL_BLOCKS = "160kB"


class Forms:
    """Aggregators declaring the standard forms amiga-heatmap does not register itself."""

    @hookimpl
    def register_aggregators(self, register):
        for form in ("sd", "min", "max", "count", "quantile"):
            register(Aggregator(f"{form}_form", form=form, parameters=("q",) if form == "quantile" else ()))
        register(Aggregator("spread", lambda values, groups, n_groups: np.zeros(n_groups)))


@pytest.fixture
def engines(amiga_heatmap_plugin):
    amiga_heatmap_plugin(Forms(), name="forms")
    return amiga_heatmap_plugin(amiga_heatmap_dask, name="dask")


@pytest.fixture
def on_cluster(engines, scheduler_address):
    """``heatmap`` keywords running the dask engine on the test cluster."""
    return {"engine": "dask", "engine_options": {"scheduler": scheduler_address, "blocksize": SMALL_BLOCKS}}


@pytest.fixture
def data(tmp_path) -> Path:
    target = tmp_path / "randomii"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("*.pdf", "*.png", "*.svg", "README.md"))
    return target


def same(source, on_cluster, **keywords):
    """Run pandas and dask on ``source``; assert the same matrix and counts; return dask's result."""
    from amiga_heatmap import heatmap

    expected = heatmap(source, **keywords)
    result = heatmap(source, **keywords, **on_cluster)
    assert result.cell_table.engine == "dask"
    pd.testing.assert_frame_equal(result.matrix, expected.matrix, rtol=1e-12)
    pd.testing.assert_frame_equal(result.counts, expected.counts)
    return result


@pytest.mark.parametrize(
    ("name", "keywords"),
    [
        ("ER_all_summary.txt", {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "mean"}),
        ("ER_all_summary.txt", {"value": "OD_Max", "x": "Strain", "y": "Substrate", "operation": "median",
                                    "subset": "PM:1;Substrate:!Negative Control"}),
        ("ER_all_summary.txt", {"value": "k_lin", "x": "Isolate", "y": "Substrate", "operation": "sd_form",
                                    "subset": "Isolate:ER1,ER3"}),
        ("ER_all_summary.txt", {"value": "auc_lin", "x": "Plate_ID", "y": "Well", "operation": "min_form"}),
        ("ER_all_summary.txt", {"value": "lagC", "x": "Isolate", "y": "PM", "operation": "max_form"}),
        ("ER_all_summary.txt", {"value": "death_lin", "x": "Strain", "y": "Substrate", "operation": "count_form",
                                    "filter": "row any >= 8"}),
        ("ER_all_summary.txt", {"value": "gr", "x": "Plate_ID", "y": "Well", "subset": "Isolate:ER2"}),
        ("ER_all_summary_normalized.txt", {"value": "norm(auc_lin)", "x": "Strain", "y": "Substrate",
                                               "operation": "mean", "filter": "row any > 1.2", "sort_y": "PM"}),
        ("per-plate", {"value": "gr", "x": "Isolate", "y": "Substrate", "operation": "median",
                           "subset": "PM:2", "color_y_by": "Group"}),
    ],
)
def test_the_matrix_is_the_pandas_engines(data, on_cluster, name, keywords) -> None:
    same(data / name, on_cluster, **keywords)


def test_the_amiga_reference_cases(data, on_cluster) -> None:
    cases = pd.read_csv(CASES, sep="\t", keep_default_na=False)
    for case in cases.itertuples():
        result = same(data / Path(case.input).name, on_cluster, value=case.value, x=case.x, y=case.y,
                      operation=case.operation, filter=case.filter,
                      subset=None if case.subset == "-" else case.subset)
        amiga = pd.read_csv(CASES.parent / f"{case.name}.tsv", sep="\t", index_col=0)
        matrix = result.matrix.loc[amiga.index, amiga.columns]
        np.testing.assert_allclose(matrix.to_numpy(), amiga.to_numpy(), rtol=1e-12)


def test_the_biolog_annotation_joins_on_the_cluster(data, on_cluster) -> None:
    result = same(data / "ER_all_summary.txt", on_cluster, value="gr", x="Isolate", y="biolog_class",
                  operation="mean", subset='biolog_class:!"C-Source, carbohydrate"')
    assert len(result.matrix) > 3


def test_a_data_frame_input(on_cluster) -> None:
    rows = pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t")
    same(rows, on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean", subset={"PM": [1]})


def test_the_command_line_with_engine_options(data, engines, scheduler_address, run_cli) -> None:
    arguments = ["-i", data / "ER_all_summary.txt", "--output-dir", data, "--format", "tsv", "-x", "Isolate",
                 "-y", "Substrate", "-v", "gr", "-p", "mean", "-f", "row any > 0.3"]
    assert run_cli(*arguments, "-o", "pandas").exit_code == 0
    done = run_cli(*arguments, "-o", "dask", "--engine", "dask", "--engine-option", f"scheduler={scheduler_address}",
                   "--engine-option", "blocksize=32kB")
    assert done.exit_code == 0, done.stderr
    expected = pd.read_csv(data / "pandas.tsv", sep="\t", index_col=0)
    pd.testing.assert_frame_equal(pd.read_csv(data / "dask.tsv", sep="\t", index_col=0), expected, rtol=1e-12)


def test_the_scheduler_from_the_environment(data, engines, scheduler_address, monkeypatch) -> None:
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler_address)
    same(data / "ER_all_summary.txt", {"engine": "dask"}, value="gr", x="Isolate", y="Substrate", operation="mean")


def test_a_local_cluster_without_a_scheduler(data, engines, monkeypatch) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    same(data / "ER_all_summary.txt", {"engine": "dask", "engine_options": {"workers": "1"}}, value="gr",
         x="Isolate", y="Substrate", operation="median", subset="PM:2")


# ------------------------------------------------------------------------------------------ errors


def messages(source, on_cluster, **keywords) -> tuple[str, str]:
    """The messages of the errors pandas and dask raise for the same run."""
    from amiga_heatmap import heatmap

    with pytest.raises(DataError) as pandas_error:
        heatmap(source, **keywords)
    with pytest.raises(DataError) as dask_error:
        heatmap(source, **keywords, **on_cluster)
    return pandas_error.value.message, dask_error.value.message


def test_a_missing_column_names_the_closest(data, on_cluster) -> None:
    expected, message = messages(data / "ER_all_summary.txt", on_cluster, value="auc_lim", x="Isolate",
                                 y="Substrate", operation="mean")
    assert message == expected and "'auc_lin'" in message


def test_text_in_the_value_column_names_the_samples(data, on_cluster) -> None:
    rows = pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t", dtype=str, keep_default_na=False)
    rows.loc[[700, 1500], "gr"] = ["n.d.", "NA"]
    rows.loc[5, "gr"] = "NA"
    path = data / "typed.txt"
    rows.to_csv(path, sep="\t", index=False)
    expected, message = messages(path, on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert message == expected and "3 cells hold text" in message
    # missing-number words alone are missing numbers, as for the built-in reader
    rows.loc[700, "gr"] = ""
    rows.to_csv(path, sep="\t", index=False)
    same(path, on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")


def test_replicates_without_an_operation(data, on_cluster) -> None:
    expected, message = messages(data / "ER_all_summary.txt", on_cluster, value="gr", x="Isolate", y="Substrate")
    assert message.split(", for example")[0] == expected.split(", for example")[0]
    assert "(x, y) pairs have more than one row" in message


def test_an_empty_selection(data, on_cluster) -> None:
    with pytest.warns(UserWarning, match="match no row"):
        expected, message = messages(data / "ER_all_summary.txt", on_cluster, value="gr", x="Isolate",
                                     y="Substrate", operation="mean", subset="Isolate:ER9")
    assert message == expected and "selects no rows" in message


@pytest.mark.parametrize("operation", ["quantile_form(0.5)", "spread"])
def test_an_aggregator_it_cannot_translate(data, on_cluster, operation) -> None:
    from amiga_heatmap import heatmap

    with pytest.raises(UsageError, match=r"dask engine cannot combine replicates with the aggregator .*--engine "
                                         r"pandas"):
        heatmap(data / "ER_all_summary.txt", value="gr", x="Isolate", y="Substrate", operation=operation,
                **on_cluster)


def test_an_unreachable_scheduler_is_an_error_not_a_hang(data, engines, run_cli) -> None:
    import socket

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    done = run_cli("-i", data / "ER_all_summary.txt", "--output-dir", data, "--format", "tsv", "-x", "Isolate",
                   "-y", "Substrate", "-v", "gr", "-p", "mean", "--engine", "dask", "--engine-option",
                   f"scheduler=tcp://127.0.0.1:{port}")
    assert done.exit_code == 1, done.stderr
    assert f"Cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr and not list(data.glob("*.tsv"))


@pytest.mark.parametrize(
    ("option", "words"),
    [("workers=none", "whole number"), ("blocksize=big", "positive number of bytes"),
     ("schedular=tcp://127.0.0.1:1", "no setting 'schedular'"), ("scheduler=127.0.0.1:8786", "tcp://HOST:PORT")],
)
def test_settings_are_checked(data, engines, run_cli, option, words) -> None:
    done = run_cli("-i", data / "ER_all_summary.txt", "--output-dir", data, "-x", "Isolate", "-y", "Substrate",
                   "-v", "gr", "-p", "mean", "--engine", "dask", "--engine-option", option)
    assert done.exit_code == 2 and words in done.stderr, done.stderr


def test_importing_the_plugin_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = "import sys, amiga_heatmap_dask\nprint(*sorted({name.split('.')[0] for name in sys.modules}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not set(done.stdout.split()) & {"pandas", "numpy", "dask", "distributed", "pyarrow"}


def test_a_needed_column_named_twice_is_refused_as_by_the_built_in_reader(data, on_cluster) -> None:
    text = (EXAMPLES / "ER_all_summary.txt").read_text(encoding="utf-8").replace("\tdr\t", "\tgr\t", 1)
    path = data / "twice.txt"
    path.write_text(text, encoding="utf-8")
    expected, message = messages(path, on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert message == expected and "appears 2 times in the header" in message


# ------------------------------------------------------------------------------ repeated wells


def files_per_well(folder: Path) -> pd.Series:
    """How many of the summaries under ``folder`` hold each (plate, well), read with pandas alone."""
    keys = pd.concat([pd.read_csv(path, sep="\t", usecols=["Plate_ID", "Well"], dtype=str).assign(file=number)
                      for number, path in enumerate(sorted(folder.rglob("*.txt")))])
    return keys.drop_duplicates().groupby(["Plate_ID", "Well"]).size()


def test_merged_and_per_plate_files_together_are_refused_as_by_the_pandas_engine(data, on_cluster) -> None:
    shared = int((files_per_well(data) > 1).sum())
    expected, message = messages(data, on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert message == expected
    assert message.startswith(f"The same wells are read more than once: {shared:,} wells") and shared > 1000


def test_repeated_wells_are_read_when_allowed(data, on_cluster) -> None:
    result = same(data, on_cluster, value="gr", x="Isolate", y="Substrate", operation="count_form",
                  allow_duplicate_wells=True)
    merged = pd.read_csv(EXAMPLES / "ER_all_summary.txt", sep="\t")
    # every well is read three times: the merged, the normalised and the per-plate summaries
    assert int(result.counts.sum().sum()) == 3 * int(merged["gr"].notna().sum())


def test_per_plate_files_alone_share_no_wells(data, on_cluster) -> None:
    assert int(files_per_well(data / "per-plate").max()) == 1
    same(data / "per-plate", on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")


def without_well_ids(source: Path, target: Path) -> None:
    """Copy the summaries under ``source`` to ``target`` without their Well column."""
    for path in source.rglob("*.txt"):
        rows = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False).drop(columns="Well")
        copy = target / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        rows.to_csv(copy, sep="\t", index=False)


def test_files_without_well_ids_are_compared_on_their_rows_as_by_the_pandas_engine(data, tmp_path,
                                                                                      on_cluster) -> None:
    folder = tmp_path / "without-wells"
    without_well_ids(data / "per-plate", folder / "per-plate")
    shutil.copy(data / "ER_all_summary.txt", folder)  # with well ids: the files do not all have them
    expected, message = messages(folder, on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")
    assert message == expected
    assert message.startswith("The same wells are read more than once: most rows of")
    assert "ER_all_summary.txt" in message
    same(folder / "per-plate", on_cluster, value="gr", x="Isolate", y="Substrate", operation="mean")


# ---------------------------------------------------------------------------- a header alone


@pytest.mark.parametrize("blank_lines", [0, 200_000])
def test_a_header_without_rows_is_refused_as_by_the_built_in_reader(data, on_cluster, blank_lines) -> None:
    header = (EXAMPLES / "ER_all_summary.txt").read_text(encoding="utf-8").splitlines()[0]
    path = data / "header.txt"
    path.write_text(header + "\n" * (1 + blank_lines), encoding="utf-8")
    blocks = {**on_cluster, "engine_options": {**on_cluster["engine_options"], "blocksize": "64"}}
    expected, message = messages(path, blocks if blank_lines == 0 else on_cluster, value="gr", x="Isolate",
                                 y="Substrate", operation="mean")
    assert message == expected and "has a header row but no data rows" in message


def test_blocks_smaller_than_a_line(data, on_cluster) -> None:
    path = data / "per-plate" / "ER1_PM1-1_summary.txt"
    longest = max(len(line) for line in path.read_bytes().splitlines())
    blocks = {**on_cluster, "engine_options": {**on_cluster["engine_options"], "blocksize": str(longest // 2)}}
    same(path, blocks, value="gr", x="Isolate", y="Substrate", operation="mean")
