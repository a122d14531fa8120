"""docs/make_gallery.py regenerates the gallery from the example data: every picture the page shows is
drawn, and the page it writes is the one committed (so the docs never drift from the commands)."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib.image

from .conftest import REPOSITORY


def test_gallery_script_draws_every_picture_of_the_committed_page(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPOSITORY / "docs" / "make_gallery.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "gallery.md").read_text()
    assert page == (REPOSITORY / "docs" / "gallery.md").read_text(), "run python docs/make_gallery.py"
    pictures = re.findall(r"!\[[^]]*\]\((images/gallery/[^)]+)\)", page)
    assert len(pictures) >= 18
    drawn = sorted(path.name for path in (tmp_path / "images" / "gallery").iterdir())
    assert drawn == sorted(picture.rsplit("/", 1)[1] for picture in pictures)
    assert drawn == sorted(path.name for path in (REPOSITORY / "docs" / "images" / "gallery").iterdir())
    for picture in pictures:
        pixels = matplotlib.image.imread(tmp_path / picture)
        assert pixels.std() > 0.05, f"{picture} is blank"
    for flag in (
        "--cluster-x",
        "--sort-y-by",
        "--color-file-x",
        "--missing-color",
        "--color-x-ratio",
        "--legend",
        "--keep-rows-missing-data",
        "--width-height",
        "--y-tick-labels-scale",
        "--x-rotation",
        "--highlight-labels",
        "--rows-per-page",
        "--save-filtered-table",
        "--colorbar-ratio",
        "--x-title",
    ):
        assert flag in page, flag
