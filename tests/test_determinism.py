"""The same input and options give the same files: byte for byte for TSV, PDF and SVG, pixel for pixel
for PNG, even from two separate processes with different hash seeds and clocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from .conftest import REPOSITORY

FORMATS = ("tsv", "pdf", "svg", "png")

# One process draws every format (importing matplotlib once), as the user would run the command.
DRAW_ALL = """
import json, sys
from amiga_heatmap.cli import main
source, out = sys.argv[1], sys.argv[2]
for file_format in json.loads(sys.argv[3]):
    drawing = [] if file_format == "tsv" else ["--kwargs", "annot:true;fmt:.2f;cmap:RdBu_r;center:1"]
    main(["-i", source, "--output-dir", out, "-o", "figure", "--format", file_format, "-x", "Isolate",
          "-y", "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-s", "PM:1", "-f", "row any >= 1.05", "-t", "Growth α",
          *drawing], standalone_mode=False)
"""


def draw_in_a_new_process(source: Path, out: Path, seed: str, epoch: str) -> None:
    out.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), "PYTHONHASHSEED": seed,
                   "SOURCE_DATE_EPOCH": epoch, "AMIGA_HEATMAP_PLUGINS": ""}
    done = subprocess.run([sys.executable, "-c", DRAW_ALL, str(source), str(out), json.dumps(FORMATS)],
                          env=environment, cwd=REPOSITORY, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    source = REPOSITORY / "examples" / "randomii" / "ER_all_summary_normalized.txt"
    root = tmp_path_factory.mktemp("determinism")
    first, second = root / "first", root / "second"
    draw_in_a_new_process(source, first, seed="1", epoch="946684800")  # 2000-01-01
    draw_in_a_new_process(source, second, seed="2", epoch="1893456000")  # 2030-01-01
    return first, second


@pytest.mark.parametrize("file_format", ["tsv", "pdf", "svg"])
def test_text_and_vector_files_are_byte_identical(two_runs, file_format) -> None:
    first, second = (run / f"figure.{file_format}" for run in two_runs)
    assert first.stat().st_size > 500
    assert first.read_bytes() == second.read_bytes()


def test_png_pixels_are_identical(two_runs) -> None:
    first, second = (imread(run / "figure.png") for run in two_runs)
    assert first.shape == second.shape and first.shape[0] > 100
    assert np.array_equal(first, second)


def test_no_date_or_random_identifier_is_written(two_runs) -> None:
    pdf = (two_runs[0] / "figure.pdf").read_bytes()
    for field in (b"/CreationDate", b"/ModDate", b"/ID ["):
        assert field not in pdf
    svg = (two_runs[0] / "figure.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
