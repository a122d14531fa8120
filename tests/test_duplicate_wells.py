"""The same wells read twice (examples/randomii holds merged and per-plate summaries of the same plates)
stop the run with a data error naming the files; --allow-duplicate-wells reads them anyway."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError

QUERY = {"value": "auc_lin", "x": "Isolate", "y": "Substrate", "operation": "mean"}


def test_a_folder_of_merged_and_per_plate_summaries_is_refused_naming_the_files(run_cli, data_dir) -> None:
    result = run_cli("-i", data_dir, "-o", "twice", "-x", "Isolate", "-y", "Substrate", "-v", "auc_lin",
                     "-p", "mean", "--format", "tsv")
    assert result.exit_code == 1
    message = result.stderr
    assert "1,536 wells" in message and "18 input files" in message
    assert "ER_all_summary.txt" in message and "per-plate/ER1_PM1-1_summary.txt" in message
    assert "--allow-duplicate-wells" in message
    assert not (data_dir / "twice.tsv").exists()


def test_allowing_duplicate_wells_counts_each_well_once_per_file(data_dir) -> None:
    result = heatmap(data_dir, **QUERY, allow_duplicate_wells=True)
    merged = pd.read_csv(data_dir / "ER_all_summary.txt", sep="\t")
    replicates = merged.groupby(["Substrate", "Isolate"]).size().unstack()
    # three files hold every well: the merged, the normalised merged and its per-plate file
    np.testing.assert_array_equal(result.counts.loc[replicates.index, replicates.columns], 3 * replicates)


def test_per_plate_files_alone_are_each_well_once(data_dir) -> None:
    result = heatmap(data_dir / "per-plate", **QUERY)
    merged = pd.read_csv(data_dir / "ER_all_summary.txt", sep="\t")
    expected = merged.groupby(["Substrate", "Isolate"])["auc_lin"].mean().unstack()
    np.testing.assert_allclose(result.matrix.loc[expected.index, expected.columns], expected, rtol=1e-12)
    replicates = merged.groupby(["Substrate", "Isolate"]).size().unstack()
    np.testing.assert_array_equal(result.counts.loc[replicates.index, replicates.columns], replicates)


def without_well_ids(source, target, plate=None) -> None:
    """Copy the summary ``source`` without Plate_ID and Well; with ``plate``, only that plate's rows,
    numbered from 0 as in a per-plate summary."""
    table = pd.read_csv(source, sep="\t")
    if plate is not None:
        table = table[table["Plate_ID"] == plate].assign(Sample_ID=range((table["Plate_ID"] == plate).sum()))
    table.drop(columns=["Plate_ID", "Well"]).to_csv(target, sep="\t", index=False)


ENGINES = pytest.mark.parametrize("engine", ["pandas", "duckdb"])


@ENGINES
def test_without_well_ids_a_file_whose_rows_are_all_in_another_is_refused(data_dir, tmp_path, engine) -> None:
    folder = tmp_path / "no_ids"
    folder.mkdir()
    without_well_ids(data_dir / "ER_all_summary_normalized.txt", folder / "merged.txt")
    without_well_ids(data_dir / "per-plate" / "ER3_PM2-1_summary.txt", folder / "plate.txt")
    with pytest.raises(DataError) as caught:
        heatmap(folder, **QUERY, engine=engine)
    assert "most rows of" in caught.value.message
    assert "plate.txt" in caught.value.message and "merged.txt" in caught.value.message
    allowed = heatmap(folder, **QUERY, allow_duplicate_wells=True, engine=engine)
    substrate = pd.read_csv(folder / "plate.txt", sep="\t")["Substrate"].iloc[1]
    assert int(allowed.counts.loc[substrate, "ER3"]) == 3  # two replicate plates in merged, one copy


@ENGINES
def test_without_well_ids_replicate_plates_sharing_some_rows_are_read(data_dir, tmp_path, engine) -> None:
    folder = tmp_path / "replicates"
    folder.mkdir()
    for plate in ("ER1_PM1-1", "ER1_PM1-2"):
        without_well_ids(data_dir / "ER_all_summary_normalized.txt", folder / f"{plate}.txt", plate)
    first, second = (pd.read_csv(folder / f"ER1_PM1-{n}.txt", sep="\t") for n in (1, 2))
    read = ["Sample_ID", "Isolate", "Substrate", "norm(auc_lin)"]
    # the normalised negative control reads exactly 1.0 on both plates: a row-by-row check would stop
    assert len(first[read].merge(second[read])) >= 1
    result = heatmap(folder, value="norm(auc_lin)", x="Isolate", y="Substrate", operation="mean", engine=engine)
    assert int(result.counts.loc["Negative Control", "ER1"]) == 2
