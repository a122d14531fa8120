"""--color-x-by / --color-y-by with schemes, files, the automatic palette and the "other" colour; the
colours per label and the legend entries are read back from the result and from the drawn figure."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError, UsageError
from amiga_heatmap.pipeline.labels.colors import distinct_color

from .figure_parts import legend, strip_colors

SCHEME = "USA_1995:#1b9e77; MEX_2020:orange"


def strains(path) -> pd.Series:
    rows = pd.read_csv(path, sep="\t")
    return rows.drop_duplicates("Isolate").set_index("Isolate")["Strain"]


def test_scheme_colours_each_column_and_the_legend(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.5",
        color_x_by="Strain",
        color_scheme_x=SCHEME,
    )
    strain = strains(normalized)
    scheme = {"USA_1995": "#1b9e77", "MEX_2020": to_hex("orange")}
    expected = [scheme[strain[isolate]] for isolate in result.matrix.columns]
    assert list(result.x_colors.colors) == expected
    assert result.x_colors.legend == {"MEX_2020": to_hex("orange"), "USA_1995": "#1b9e77"}
    figure = result.figure()
    assert strip_colors(figure, "column colours") == expected
    assert legend(figure, "x legend") == ("Strain", result.x_colors.legend)


def test_row_colours_follow_the_clustered_order(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.5",
        color_y_by="PM",
        color_scheme_y={1: "black", 2: "0.7"},
        cluster_y=True,
    )
    rows = pd.read_csv(normalized, sep="\t")
    plate = rows.drop_duplicates("Substrate").set_index("Substrate")["PM"]
    expected = [to_hex("black") if plate[label] == 1 else to_hex("0.7") for label in result.matrix.index]
    assert strip_colors(result.figure(), "row colours") == expected
    assert list(result.y_colors.values) == [str(plate[label]) for label in result.matrix.index]  # as text


def test_colour_file(normalized, tmp_path) -> None:
    colour_file = tmp_path / "colours.txt"
    colour_file.write_text("Strain\tColor\tNote\nUSA_1995\t#e41a1c\tfirst\nMEX_2020\tsteelblue\tsecond\n")
    result = heatmap(
        normalized,
        value="norm(gr)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        color_x_by="Strain",
        color_file_x=colour_file,
    )
    strain = strains(normalized)
    colours = {"USA_1995": "#e41a1c", "MEX_2020": to_hex("steelblue")}
    assert dict(result.x_colors.colors) == {
        isolate: colours[strain[isolate]] for isolate in result.matrix.columns
    }


def test_automatic_palette_when_no_colours_are_given(summary) -> None:
    result = heatmap(
        summary, value="gr", x="Isolate", y="Substrate", operation="mean", subset="PM:1", color_x_by="Isolate"
    )
    import matplotlib

    tab10 = [to_hex(color) for color in matplotlib.colormaps["tab10"].colors]
    assert result.x_colors.legend == dict(zip(["ER1", "ER2", "ER3", "ER4"], tab10[:4]))
    assert list(result.x_colors.colors) == tab10[:4]


def test_values_without_a_colour_share_a_distinct_stable_colour(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(gr)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        color_x_by="Strain",
        color_scheme_x="USA_1995:#1f77b4",
    )
    other = result.x_colors.legend["other"]
    assert other == distinct_color(["#1f77b4"]) and other not in ("#1f77b4", "#ffffff")
    again = heatmap(
        normalized,
        value="norm(gr)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        color_x_by="Strain",
        color_scheme_x="USA_1995:#1f77b4",
    )
    assert again.x_colors.legend == result.x_colors.legend
    given = heatmap(
        normalized,
        value="norm(gr)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        color_x_by="Strain",
        color_scheme_x="USA_1995:#1f77b4",
        missing_color="grey",
    )
    assert given.x_colors.legend == {"USA_1995": "#1f77b4", "other": to_hex("grey")}
    assert sorted(given.x_colors.colors) == sorted(["#1f77b4"] * 2 + [to_hex("grey")] * 2)


def test_separate_legend_files_next_to_the_figure(normalized, tmp_path) -> None:
    from pypdf import PdfReader

    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.5",
        color_x_by="Strain",
        color_y_by="PM",
    )
    path = tmp_path / "figure.pdf"
    assert result.save(path) == [
        str(path),
        str(tmp_path / "figure_x_legend.pdf"),
        str(tmp_path / "figure_y_legend.pdf"),
    ]
    text = PdfReader(tmp_path / "figure_x_legend.pdf").pages[0].extract_text()
    assert "Strain" in text and "MEX_2020" in text and "USA_1995" in text
    assert "PM" in PdfReader(tmp_path / "figure_y_legend.pdf").pages[0].extract_text()
    inside_only = tmp_path / "inside"
    inside_only.mkdir()
    result.save(inside_only / "figure.pdf", legend="inside")
    assert sorted(path.name for path in inside_only.iterdir() if not path.name.startswith(".")) == [
        "figure.pdf"
    ]
    separate = result.figure(legend="separate")
    assert legend(separate, "x legend") is None


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (
            {"color_x_by": "Strain", "color_scheme_x": "USA_1995:notacolour"},
            UsageError,
            "'notacolour' for 'USA_1995' is not a colour",
        ),
        ({"color_x_by": "Strain", "color_scheme_x": "USA_1995"}, UsageError, "KEY:VALUE"),
        ({"color_scheme_x": "USA_1995:red"}, UsageError, "of color_x_by, which is not given. Add color_x_by COLUMN"),
        (
            {"color_x_by": "Strain", "color_scheme_x": "a:red", "color_file_x": "x.txt"},
            UsageError,
            "not both",
        ),
        ({"color_x_by": "Strain", "missing_color": "nope"}, UsageError, "^missing_color: 'nope'"),
        ({"color_y_by": "PM"}, DataError, "^color_y_by PM: each Substrate needs one PM value"),
        (
            {"color_x_by": "Strain", "color_file_x": "no-such-file.txt"},
            DataError,
            "Cannot read the colour file",
        ),
    ],
)
def test_colour_mistakes(summary, arguments, error, message) -> None:
    with pytest.raises(error, match=message):
        heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean", **arguments)


def test_colour_file_without_a_color_column(summary, tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("Strain\tShade\nUSA_1995\tred\n")
    with pytest.raises(DataError, match="a column named 'Color'"):
        heatmap(
            summary,
            value="gr",
            x="Isolate",
            y="Substrate",
            operation="mean",
            color_x_by="Strain",
            color_file_x=bad,
        )


def test_colour_strips_as_plain_text_reach_a_plugin_renderer(normalized) -> None:
    result = heatmap(
        normalized,
        value="norm(auc_lin)",
        x="Isolate",
        y="Substrate",
        operation="mean",
        filter="row any > 1.5",
        color_x_by="Strain",
        color_y_by="PM",
        color_scheme_y="1:black;2:grey",
    )
    strips = result.colour_strips
    assert strips["x"].variable == "Strain" and strips["x"].colours == tuple(result.x_colors.colors)
    assert strips["x"].values == tuple(strains(normalized)[list(result.matrix.columns)])
    assert set(strips["y"].values) == {"1", "2"}
    plotly_renderer = pytest.importorskip("amiga_heatmap_plotly.renderer")
    figure = plotly_renderer.build_figure(result, {})
    traces = {trace.name: trace for trace in figure.data if trace.name in ("Strain", "PM")}
    assert set(traces) == {"Strain", "PM"}
    # each strip cell is painted with the colour the core gave its label, in plotted order
    assert plotly_strip_colours(traces["Strain"], "x") == list(result.x_colors.colors.items())
    assert plotly_strip_colours(traces["PM"], "y") == list(result.y_colors.colors.items())
    assert list(result.y_colors.colors.index) == list(result.matrix.index)
    assert list(result.x_colors.colors.index) == list(result.matrix.columns)
    assert set(result.y_colors.colors) == {"#000000", "#808080"}  # both plates are plotted


def plotly_strip_colours(trace, axis: str) -> list[tuple[str, str]]:
    """(label, colour) of each cell of a plotly colour-strip trace: a cell's code ``k`` is drawn with the
    colour of the colour scale's band ``k`` (two stops per band, see amiga_heatmap_plotly.strips)."""
    labels = trace.x if axis == "x" else trace.y
    codes = trace.z[0] if axis == "x" else [row[0] for row in trace.z]
    band_colours = [colour for _, colour in trace.colorscale[::2]]
    return [(label, band_colours[code]) for label, code in zip(labels, codes, strict=True)]


def test_both_strips_draw_from_one_palette(normalized) -> None:
    result = heatmap(normalized, value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean",
                     filter="row any > 1.2", color_x_by="Strain", color_y_by="PM")
    rows = pd.read_csv(normalized, sep="\t")
    plates = {str(plate) for plate in rows[rows.Substrate.isin(result.matrix.index)].drop_duplicates("Substrate").PM}
    assert set(result.x_colors.legend) == {"MEX_2020", "USA_1995"} and set(result.y_colors.legend) == plates
    x_colours, y_colours = set(result.x_colors.legend.values()), set(result.y_colors.legend.values())
    assert len(x_colours) == 2 and len(y_colours) == len(plates)
    assert not x_colours & y_colours  # MEX_2020 and PM 1 were both tab10 blue
    figure = result.figure()
    assert set(strip_colors(figure, "column colours")) == x_colours
    assert set(strip_colors(figure, "row colours")) == y_colours


def test_the_same_values_on_both_axes_keep_one_colour(summary) -> None:
    # PM and Replicate both take the values 1 and 2: the same values, so the same colours
    both = heatmap(summary, value="gr", x="PM", y="Replicate", operation="mean", color_x_by="PM",
                   color_y_by="Replicate")
    assert both.x_colors.legend == both.y_colors.legend
    assert len(set(both.x_colors.legend.values())) == 2
    # four isolates and two plates: six values, six colours
    apart = heatmap(summary, value="gr", x="Isolate", y="PM", operation="mean", color_x_by="Isolate",
                    color_y_by="PM")
    assert len(set(apart.x_colors.legend.values()) | set(apart.y_colors.legend.values())) == 6


def test_automatic_colours_avoid_those_given_to_the_other_axis(summary) -> None:
    given = {"ER1": "#1f77b4", "ER2": "#ff7f0e", "ER3": "#2ca02c", "ER4": "#d62728"}  # tab10's first four
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean",
                     subset="Substrate:!Negative Control", color_x_by="Isolate", color_y_by="PM",
                     color_scheme_x=given)
    assert result.x_colors.legend == given
    assert set(result.y_colors.legend) == {"1", "2"}
    assert not set(result.y_colors.legend.values()) & set(given.values())
