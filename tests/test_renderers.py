"""The built-in renderers: the written PDF, SVG and PNG files show the matrix's labels."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pandas as pd
import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError

from .figure_parts import cell_values, column_labels, row_labels


@pytest.fixture
def result(normalized):
    return heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                   filter="row any > 1.2", title="Normalized AUC")


def test_pdf_holds_every_row_and_column_label_and_the_title(result, tmp_path) -> None:
    from pypdf import PdfReader

    [path] = result.save(tmp_path / "figure.pdf")
    text = PdfReader(path).pages[0].extract_text()
    for label in [*result.matrix.index, *result.matrix.columns, "Normalized AUC", "Substrate", "Strain"]:
        assert str(label) in text, label
    assert result.matrix.shape == (24, 2)


def test_svg_text_elements_are_the_labels(result, tmp_path) -> None:
    [path] = result.save(tmp_path / "figure.svg")
    texts = [element.text for element in ElementTree.parse(path).iter() if element.tag.endswith("text") and element.text]
    joined = "\n".join(texts)
    for label in [*result.matrix.index, *result.matrix.columns]:
        assert str(label) in joined


def test_figure_labels_and_cells_equal_the_matrix(result) -> None:
    figure = result.figure()
    assert row_labels(figure) == [str(label) for label in result.matrix.index]
    assert column_labels(figure) == [str(label) for label in result.matrix.columns]
    assert cell_values(figure).reshape(result.matrix.shape).tolist() == result.matrix.to_numpy().tolist()


def test_png_is_a_real_image_of_the_figure_size(result, tmp_path) -> None:
    import matplotlib.image

    [path] = result.save(tmp_path / "figure.png")
    pixels = matplotlib.image.imread(path)
    width, height = result.figure().get_size_inches()
    assert pixels.shape[0] == pytest.approx(height * 150, abs=2)
    assert pixels.shape[1] == pytest.approx(width * 150, abs=2)
    assert pixels.std() > 0.05, "the image is not blank"


def test_table_renderer_round_trips(result, tmp_path) -> None:
    [path] = result.save(tmp_path / "matrix.tsv")
    back = pd.read_csv(path, sep="\t", index_col=0)
    assert back.index.name == "Substrate"
    assert (back.to_numpy() == result.matrix.to_numpy()).all()


def test_bad_options_are_refused_before_anything_is_written(result, tmp_path) -> None:
    # both mistakes are caught by the option checks, before the renderer opens a file; a renderer that
    # fails half-way through writing is test_data_safety's
    # test_a_failing_render_leaves_no_partial_file_and_keeps_the_older_one
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(UsageError):
        result.save(folder / "figure.pdf", cmapp="viridis")
    assert list(folder.iterdir()) == []
    with pytest.raises(UsageError, match="'no-such-colour-map' is not a colour map"):
        result.save(folder / "figure.pdf", cmap="no-such-colour-map")
    assert list(folder.iterdir()) == []
