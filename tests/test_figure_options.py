"""The seaborn renderer's figure options: size (and the 200 in cap), label sizes and thinning, ratios,
rotation, highlights, the colour scale, pages, rasterised cells, and bad values as UsageErrors."""

from __future__ import annotations

import logging
import sys
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_hex

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError

from .conftest import REPOSITORY
from .figure_parts import axes_named, column_labels, labels, row_labels, text_with_gid


@pytest.fixture(scope="module")
def five_thousand_rows():
    """5,000 isolates x 4 wells of synthetic AMiGA data from the benchmark generator."""
    sys.path.insert(0, str(REPOSITORY / "benchmarks"))
    try:
        from generate import generate_summary
    finally:
        sys.path.pop(0)
    return generate_summary(5000, 4, n_replicates=1, seed=0)


@pytest.fixture(scope="module")
def tall(five_thousand_rows):
    return heatmap(
        five_thousand_rows,
        value="auc_lin",
        x="Substrate",
        y="Isolate",
        highlight={"y": ["ES2501", "ES2502", "ES17"]},
    )


@pytest.fixture
def small(normalized):
    return heatmap(
        normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean", filter="row any > 1.2"
    )


def heat_height_points(figure) -> float:
    return axes_named(figure, "heatmap").get_position().height * figure.get_size_inches()[1] * 72


def test_default_size_grows_with_the_matrix_and_never_passes_72_inches(small, summary, tall) -> None:
    few = small.figure().get_size_inches()
    more = (
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean").figure().get_size_inches()
    )
    most = tall.figure().get_size_inches()
    assert few[1] < more[1] < most[1]
    assert most[1] == pytest.approx(72) and max(most) <= 72
    assert 0.22 * 24 < few[1] < 12  # about a fifth of an inch per row plus title and labels


def test_a_given_size_may_reach_the_200_inch_page_limit_and_shows_more_labels(tall) -> None:
    default, tallest = tall.figure(), tall.figure(width=20, height=200)
    assert tuple(tallest.get_size_inches()) == pytest.approx((20, 200))
    assert len(row_labels(default)) < len(row_labels(tallest)) < len(tall.matrix.index)


def test_five_thousand_labels_are_thinned_to_a_legible_subset(tall, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="amiga_heatmap"):
        figure = tall.figure()
    shown = row_labels(figure)
    names = [str(label) for label in tall.matrix.index]
    positions = [names.index(text) for text in shown]
    assert 500 < len(shown) < len(names) == 4993  # 7 isolates lack a value and are dropped
    assert {"ES2501", "ES2502", "ES17"} <= set(shown)
    highlighted = {names.index(name) for name in ("ES2501", "ES2502", "ES17")}
    regular = [position for position in positions if position not in highlighted]
    steps = set(np.diff(regular).tolist())
    step = min(steps)
    assert step > 1 and steps <= {step, 2 * step, 3 * step}  # every step-th, gaps only around highlights
    fonts = {artist.fontsize for _, _, artist in labels(figure, "row labels")}
    assert min(fonts) >= 5
    assert heat_height_points(figure) / len(names) * step * 0.8 / 1.2 == pytest.approx(fonts.pop(), rel=1e-6)
    assert f"showing {len(shown)} of {len(names)} Isolate (row) labels" in caplog.text


def test_large_matrices_draw_cells_as_one_image_and_keep_text_vector(tall, small, tmp_path) -> None:
    from pypdf import PdfReader

    heat = axes_named(tall.figure(), "heatmap")
    assert len(heat.images) == 1 and heat.images[0].get_array().shape == tall.matrix.shape
    assert len(axes_named(small.figure(), "heatmap").images) == 0  # a few cells stay vector rectangles
    [path] = tall.save(tmp_path / "tall.pdf")
    assert (tmp_path / "tall.pdf").stat().st_size < 2_000_000
    assert "ES2501" in PdfReader(path).pages[0].extract_text()


def test_given_size_and_too_small_a_size(small) -> None:
    assert small.figure(width=8, height=6).get_size_inches().tolist() == [8, 6]
    with pytest.raises(UsageError, match="--width-height: a width of 1 in leaves"):
        small.figure(width=1, height=6)


def test_label_scales_set_font_sizes_arithmetically(summary) -> None:
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean")
    fonts = {}
    for scale in (0.5, 0.8):
        figure = result.figure(height=40, y_tick_labels_scale=scale)
        font = labels(figure, "row labels")[0][2].fontsize
        assert font == pytest.approx(scale * heat_height_points(figure) / 191 / 1.2)
        fonts[scale] = font
    assert fonts[0.5] < fonts[0.8] < 10
    small_bar = result.figure(color_bar_labels_scale=0.2)
    large_bar = result.figure(color_bar_labels_scale=1.0)
    size = [
        axes_named(figure, "colour bar").get_yticklabels()[0].get_fontsize()
        for figure in (small_bar, large_bar)
    ]
    assert size[0] < size[1]
    narrow = result.figure(width=6, x_tick_labels_scale=0.3)
    assert labels(narrow, "column labels")[0][2].fontsize < 10


def test_rotation_ratios_and_highlights(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.5",
        color_x_by="Strain",
        color_y_by="PM",
        highlight="y:Sucrose;x:ER3",
    )
    figure = result.figure(x_rotation=45, colorbar_ratio=0.05, color_x_ratio=0.04, color_y_ratio=0.03)
    width = figure.get_size_inches()[0]
    assert {artist.rotation for _, _, artist in labels(figure, "column labels")} == {45}
    bar = axes_named(figure, "colour bar").get_position()
    assert bar.width * width == pytest.approx(0.05 * width)
    assert axes_named(figure, "column colours").get_position().height == pytest.approx(0.04)
    assert axes_named(figure, "row colours").get_position().width == pytest.approx(0.03)
    bold = {
        text: (to_hex(artist.color), artist.weight)
        for axes in ("row labels", "column labels")
        for text, _, artist in labels(figure, axes)
    }
    assert bold["Sucrose"] == ("#ff0000", "bold") and bold["ER3"] == ("#ff0000", "bold")
    assert bold["ER1"] == ("#000000", "normal")
    assert result.highlighted == {"y": ["Sucrose"], "x": ["ER3"]}


def test_highlight_labels_may_be_quoted_and_unknown_ones_warn(normalized) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = heatmap(
            normalized,
            value="norm(auc_lin)",
            x="Isolate",
            y="Substrate",
            operation="mean",
            highlight='y:"D-Glucose, anhydrous",Sucrose; Isolate: ER9',
        )
    assert result.highlighted == {"y": ["Sucrose"], "x": []}
    message = " ".join(str(warning.message) for warning in caught)
    assert "y:D-Glucose, anhydrous" in message and "x:ER9 (closest: 'ER4'" in message


def test_norm_values_get_a_scale_centred_at_one(small) -> None:
    import matplotlib

    values = small.matrix.to_numpy()
    for scale in ("auto", "linear"):
        heat = axes_named(small.figure(color_scale=scale), "heatmap").collections[0]
        centre = np.array(heat.cmap(heat.norm(1.0)))
        assert np.abs(centre - np.array(matplotlib.colormaps["RdBu_r"](0.5))).max() < 0.02, scale
    # auto is log2 for ratios: limits symmetric around 1 in ratio (1/r to r) and covering the data
    low, high = axes_named(small.figure(), "colour bar").get_ylim()
    reach = max(values.max(), 1 / values.min())
    assert (low, high) == pytest.approx((1 / reach, reach))
    # linear: the colour bar shows only the part the data cover, as seaborn does
    low, high = axes_named(small.figure(color_scale="linear"), "colour bar").get_ylim()
    assert (low, high) == pytest.approx((values.min(), values.max()))
    plain = axes_named(small.figure(vmin=0, vmax=4), "heatmap").collections[0]
    assert plain.norm(1.0) == pytest.approx(0.25)
    assert np.allclose(plain.cmap(0.0), matplotlib.colormaps["viridis"](0.0))
    chosen = axes_named(small.figure(cmap="vlag"), "heatmap").collections[0]  # a seaborn colour map
    assert chosen.cmap.name.startswith("vlag")


def test_annotations(small) -> None:
    heat = axes_named(small.figure(annot=True, fmt=".1f"), "heatmap")
    expected = [format(value, ".1f") for value in small.matrix.to_numpy().ravel()]
    assert [text.get_text() for text in heat.texts] == expected


def test_rows_split_over_pages_with_one_colour_scale(summary, tmp_path) -> None:
    from pypdf import PdfReader

    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1")
    [path] = result.save(tmp_path / "pages.pdf", rows_per_page=40)
    pages = PdfReader(path).pages
    assert len(pages) == 3
    texts = [page.extract_text().split("\n") for page in pages]
    for number, lines in enumerate(texts, start=1):
        assert f"gr (page {number} of 3)" in lines
    assert set(result.matrix.index[:40]) <= set(texts[0]) and result.matrix.index[40] not in texts[0]
    assert set(result.matrix.index[80:]) <= set(texts[2])
    from amiga_heatmap.builtin.figure.draw import figure_pages
    from amiga_heatmap.builtin.figure.options import read_options

    bars = [
        axes_named(page, "colour bar") for page in figure_pages(result, read_options({"rows_per_page": 40}))
    ]
    assert (
        len({(bar.get_ylim(), tuple(bar.get_yticks())) for bar in bars}) == 1
    )  # one colour scale on every page
    with pytest.raises(UsageError, match="splits rows over the pages of a PDF"):
        result.save(tmp_path / "pages.png", rows_per_page=40)
    with pytest.raises(UsageError, match="over 3 pages"):
        result.figure(rows_per_page=40)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"width": -3}, r"^width must be a number at least 0.5"),
        ({"height": 250}, "at most 200"),
        ({"x_rotation": 120}, r"^x_rotation must be a number at least 0 and at most 90"),
        ({"colorbar_ratio": 1.5}, "^colorbar_ratio must be"),
        ({"y_tick_labels_scale": 0}, "^y_tick_labels_scale must be"),
        ({"legend": "nowhere"}, "inside, separate, both"),
        ({"rows_per_page": 0}, "a whole number at least 1"),
        ({"cmap": "virdis"}, "Did you mean 'viridis'"),
        ({"vmin": 3, "vmax": 1}, "must be below vmax"),
        ({"fmt": "%q"}, "not a number format"),
        ({"linecolor": "nope"}, "must be a colour"),
        ({"xticklabels": -2}, "auto, true, false or a whole number"),
        ({"annot": "yes"}, "true or false"),
    ],
)
def test_bad_option_values_are_usage_errors_naming_the_option(small, options, message) -> None:
    # from Python the option is named by its keyword; the command line names its flag (test_cli_figure_options)
    with pytest.raises(UsageError, match=message):
        small.figure(**options)


def test_tick_label_modes(small) -> None:
    assert row_labels(small.figure(yticklabels=False)) == []
    assert row_labels(small.figure(yticklabels=5)) == [str(label) for label in small.matrix.index[::5]]
    assert column_labels(small.figure(xticklabels=True)) == ["MEX_2020", "USA_1995"]
    assert text_with_gid(small.figure(), "title") == small.title
