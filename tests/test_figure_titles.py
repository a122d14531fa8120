"""Axis titles, the colour bar's label, horizontal short column labels and the page-high default of
tall figures (issue 13, item 10), read back from the matplotlib figures drawn from the example data.

Positions are measured in display pixels of the drawn figure (``get_window_extent`` after a draw),
against the boxes of the other parts: the row labels' axes, the heatmap, the strips, the dendrogram,
the colour bar with its ticks and label, the legends.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.textpath import TextPath

from amiga_heatmap import heatmap
from amiga_heatmap.builtin.figure.draw import figure_pages
from amiga_heatmap.builtin.figure.options import read_options

from .figure_parts import axes_named, labels, text_with_gid

PAGE = 11.0  # inches: a US Letter page


def drawn(figure):
    """``figure`` drawn once on an Agg canvas; returns its renderer, for window extents."""
    FigureCanvasAgg(figure)
    figure.canvas.draw()
    return figure.canvas.get_renderer()


def title_box(figure, renderer, gid):
    [text] = [text for text in figure.texts if text.get_gid() == gid]
    return text.get_window_extent(renderer)


def box_of(figure, renderer, label):
    """The window extent of the axes ``label``, its ticks and label included."""
    return axes_named(figure, label).get_tightbbox(renderer)


def overlaps(first, second) -> bool:
    return first.x0 < second.x1 and second.x0 < first.x1 and first.y0 < second.y1 and second.y0 < first.y1


@pytest.fixture
def clustered(normalized):
    """24 substrates x 4 isolates with both colour strips, a row dendrogram and their legends."""
    return heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any >= 1.5",
        color_x_by="Strain",
        color_y_by="PM",
        cluster_y=True,
    )


def test_the_y_title_is_left_of_the_rows_clear_of_every_other_part(clustered) -> None:
    figure = clustered.figure(show_dendrogram=True)
    renderer = drawn(figure)
    title = title_box(figure, renderer, "y name")
    assert text_with_gid(figure, "y name") == "Substrate"
    rows = axes_named(figure, "row labels").get_window_extent(renderer)
    heat = axes_named(figure, "heatmap").get_window_extent(renderer)
    left_parts = [box_of(figure, renderer, name) for name in ("row dendrogram", "row colours")]
    assert title.x1 < rows.x0 and title.x1 <= heat.x0
    assert all(title.x1 <= part.x0 for part in left_parts)  # beside the rows, left of dendrogram and strip
    bar = box_of(figure, renderer, "colour bar")
    assert title.x1 < bar.x0  # the colour bar is on the other side of the rows
    others = [bar, rows, heat, *left_parts, box_of(figure, renderer, "column labels")]
    others += [legend.get_window_extent(renderer) for legend in figure.legends]
    assert not any(overlaps(title, other) for other in others)
    assert heat.y0 < (title.y0 + title.y1) / 2 < heat.y1
    assert (title.y0 + title.y1) / 2 == pytest.approx((heat.y0 + heat.y1) / 2, abs=1)


def test_the_y_title_is_centred_on_the_rows_of_every_page(summary) -> None:
    result = heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    pages = list(figure_pages(result, read_options({"rows_per_page": 50})))
    rows = len(result.matrix.index)
    assert [len(labels(page, "row labels")) for page in pages] == [50, 50, 50, rows - 150]
    for page in pages:
        renderer = drawn(page)
        title = title_box(page, renderer, "y name")
        heat = axes_named(page, "heatmap").get_window_extent(renderer)
        row_labels = axes_named(page, "row labels").get_window_extent(renderer)
        assert title.x1 < heat.x0 < row_labels.x0
        assert (title.y0 + title.y1) / 2 == pytest.approx((heat.y0 + heat.y1) / 2, abs=1)


def test_a_y_title_longer_than_the_rows_clears_slanted_column_labels(normalized) -> None:
    result = heatmap(
        normalized, value="norm(auc_lin)", x="Substrate", y="Isolate", operation="mean", filter="col any >= 2"
    )
    figure = result.figure(x_rotation=45, y_title="Isolate of E. randomii (four of them)", width=9, height=4)
    renderer = drawn(figure)
    title = title_box(figure, renderer, "y name")
    heat = axes_named(figure, "heatmap").get_window_extent(renderer)
    assert title.height > heat.height  # it reaches down beside the slanted labels
    columns = axes_named(figure, "column labels")
    along = math.cos(math.radians(45)) * figure.dpi / 72  # display units per point of a label's length
    reach = min(
        columns.transData.transform((position, 1))[0]
        - TextPath((0, 0), text, size=artist.fontsize).get_extents().width * along
        for text, position, artist in labels(figure, "column labels")
    )
    assert title.x1 < reach < heat.x0


def test_the_colour_bar_has_its_own_label_the_value_name_or_cbar_kws_label(normalized) -> None:
    result = heatmap(
        normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean", filter="row any > 1.2"
    )
    default = result.figure()
    assert axes_named(default, "colour bar").get_ylabel() == "norm(auc_lin)"
    assert text_with_gid(default, "y name") == "Substrate"
    long_label = "Area under the curve relative to the negative control"
    figure = result.figure(cbar_kws={"label": long_label})
    bar_axes = axes_named(figure, "colour bar")
    assert bar_axes.get_ylabel() == long_label
    renderer = drawn(figure)
    label = bar_axes.yaxis.label.get_window_extent(renderer)
    bar = bar_axes.get_window_extent(renderer)
    assert label.x0 > bar.x1  # on the colour bar's side, right of its ticks' line
    assert bar.y0 - 1 <= label.y0 and label.y1 <= bar.y1 + 1  # no longer than the bar: nothing overlaps it
    assert not overlaps(label, title_box(figure, renderer, "y name"))
    width, height = figure.get_size_inches() * figure.dpi
    assert 0 <= label.x0 and label.x1 <= width and 0 <= label.y0 and label.y1 <= height


def test_axis_titles_are_settable_and_can_be_left_out(normalized, run_cli) -> None:
    result = heatmap(
        normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean", filter="row any > 1.2"
    )
    figure = result.figure(x_title="Strain of E. randomii", y_title="Carbon source")
    assert text_with_gid(figure, "x name") == "Strain of E. randomii"
    assert text_with_gid(figure, "y name") == "Carbon source"
    with_titles = result.figure()
    without = result.figure(x_title="", y_title="")
    assert text_with_gid(without, "x name") is None and text_with_gid(without, "y name") is None
    # no room is kept for them: the heatmap starts further left and the figure is shorter
    assert axes_named(without, "heatmap").get_position().x0 * without.get_size_inches()[0] < (
        axes_named(with_titles, "heatmap").get_position().x0 * with_titles.get_size_inches()[0]
    )
    assert without.get_size_inches()[1] < with_titles.get_size_inches()[1]

    done = run_cli(
        "-i", normalized, "-o", "titled", "-x", "Strain", "-y", "Substrate", "-v", "norm(auc_lin)",
        "-p", "mean", "-f", "row any > 1.2", "--format", "svg",
        "--x-title", "Strain of E. randomii", "--kwargs", "y_title:",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    svg = (normalized.parent / "titled.svg").read_text()
    assert "Strain of E. randomii" in svg and ">Substrate<" not in svg


@pytest.mark.parametrize("x", ["Replicate", "PM"])
def test_short_column_labels_are_horizontal_when_they_fit(summary, x) -> None:
    result = heatmap(summary, value="auc_lin", x=x, y="Substrate", operation="mean", subset="PM:1",
                     filter="row any > 0.8")
    figure = result.figure()
    drawn_labels = labels(figure, "column labels")
    assert sorted(text for text, _, _ in drawn_labels) == sorted(str(c) for c in result.matrix.columns)
    assert {artist.rotation for _, _, artist in drawn_labels} == {0}
    heat = axes_named(figure, "heatmap").get_position()
    column = heat.width * figure.get_size_inches()[0] * 72 / result.matrix.shape[1]  # points
    for text, _, artist in drawn_labels:
        assert TextPath((0, 0), text, size=artist.fontsize).get_extents().width < column
    assert {a.rotation for _, _, a in labels(result.figure(x_rotation=90), "column labels")} == {90}


def test_long_column_labels_keep_the_upright_default(normalized) -> None:
    result = heatmap(
        normalized, value="norm(auc_lin)", x="Substrate", y="Isolate", operation="mean", filter="col any >= 2"
    )
    assert {artist.rotation for _, _, artist in labels(result.figure(), "column labels")} == {90}


def test_a_tall_default_figure_is_a_page_high_with_legible_labels(summary, tmp_path) -> None:
    from pypdf import PdfReader

    result = heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    rows = len(result.matrix.index)
    assert rows == len(pd.read_csv(summary, sep="\t")["Substrate"].unique()) == 191
    figure = result.figure()
    assert figure.get_size_inches()[1] <= PAGE
    shown = labels(figure, "row labels")
    assert rows / 4 < len(shown) < rows
    assert min(artist.fontsize for _, _, artist in shown) >= 5
    [path] = result.save(tmp_path / "tall.pdf")
    [page] = PdfReader(path).pages
    assert float(page.mediabox.height) <= PAGE * 72


def test_a_given_height_rows_per_page_or_yticklabels_still_win(summary) -> None:
    result = heatmap(summary, value="auc_lin", x="Isolate", y="Substrate", operation="mean")
    rows = len(result.matrix.index)
    assert result.figure(height=40).get_size_inches()[1] == 40
    every = result.figure(yticklabels=True)
    assert every.get_size_inches()[1] > 40 and len(labels(every, "row labels")) == rows
    [first, *_] = figure_pages(result, read_options({"rows_per_page": 60}))
    assert first.get_size_inches()[1] > 60 * 0.22 and len(labels(first, "row labels")) == 60


def test_a_default_heatmap_is_as_long_as_its_axis_titles(summary) -> None:
    result = heatmap(summary, value="k_lin", x="Isolate", y="Substrate", operation="mean", subset="PM:2",
                     filter="row any > 0.8")
    assert len(result.matrix.index) == 3
    figure = result.figure(y_title="Carbon source on Biolog plate PM2 of the screen",
                           x_title="Isolates of Escherichia randomii from the 1995 and 2020 outbreaks")
    renderer = drawn(figure)
    heat = axes_named(figure, "heatmap").get_window_extent(renderer)
    y_title, x_title = title_box(figure, renderer, "y name"), title_box(figure, renderer, "x name")
    assert heat.y0 <= y_title.y0 and y_title.y1 <= heat.y1 and y_title.x1 < heat.x0
    assert heat.x0 <= x_title.x0 and x_title.x1 <= heat.x1 and x_title.y1 < heat.y0
