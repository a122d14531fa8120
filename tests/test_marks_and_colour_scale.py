"""Stars on tested cells (--mark) and honest colour for ratios (--color-scale, --bins), on the real
example data through the real renderer: the figure is read back (text artists, mesh colours, colour-bar
ticks, legends) and compared with values computed here with pandas and scipy."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from amiga_heatmap import heatmap
from amiga_heatmap.errors import UsageError

from .figure_parts import axes_named, cells_artist, labels, legend

VALUE, X, Y = "norm(gr)", "Isolate", "Substrate"
FILTER = "row any >= 1.3 OR row any <= 0.7"
THRESHOLDS = (0.15, 0.12, 0.11)  # the plotted cells' q-values are 0.105 to 0.161: 0 to 3 stars


def replicate_groups(path):
    rows = pd.read_csv(path, sep="\t", dtype={X: str, Y: str})
    return rows.groupby([Y, X])[VALUE]


def scipy_q_values(path) -> pd.Series:
    """BH q-values of one-sample t-tests of log2 replicates against 0 (ratio 1), over every cell of the
    matrix the missing-cell stage keeps (substrates with a value for every isolate), by scipy."""
    groups = replicate_groups(path)
    complete = groups.median().unstack().dropna().index
    p = {}
    for (substrate, isolate), values in groups:
        values = values.dropna().to_numpy()
        if substrate not in complete or len(values) < 2 or (values <= 0).any() or np.ptp(values) == 0:
            continue
        p[(substrate, isolate)] = stats.ttest_1samp(np.log2(values), 0.0).pvalue
    p = pd.Series(p)
    return pd.Series(stats.false_discovery_control(p.to_numpy(), method="bh"), index=p.index)


def drawn_marks(figure) -> dict[tuple[str, str], str]:
    """{(row label, column label): stars} read from the figure: each mark's cell from its position, the
    cell's labels from the label artists drawn at that row and column."""
    rows = {math.floor(position): text for text, position, _ in labels(figure, "row labels")}
    columns = {math.floor(position): text for text, position, _ in labels(figure, "column labels")}
    heat = axes_named(figure, "heatmap")
    found = {}
    for text in heat.texts:
        if text.get_gid() == "mark":
            x, y = text.get_position()
            found[(rows[math.floor(y)], columns[math.floor(x)])] = text.get_text()
    return found


def expected_stars(labels_of_cells, q: pd.Series) -> dict[tuple[str, str], str]:
    expected = {}
    for cell in labels_of_cells:
        level = sum(bool(q.get(cell, np.nan) < threshold) for threshold in THRESHOLDS)
        if level:
            expected[cell] = "*" * level
    return expected


@pytest.fixture
def tested(normalized):
    return heatmap(normalized, value=VALUE, x=X, y=Y, operation="median", filter=FILTER, test=True,
                   cluster_x=True, cluster_y=True)


def test_stars_of_a_clustered_figure_sit_on_the_cells_whose_q_earned_them(tested, normalized) -> None:
    q = scipy_q_values(normalized)
    table = tested.cells.set_index([Y, X])["q"].dropna()
    np.testing.assert_allclose(table.to_numpy(), q.reindex(table.index).to_numpy(), rtol=0, atol=1e-12)
    assert tested.matrix.index.tolist() != sorted(tested.matrix.index), "clustering reordered the rows"
    assert tested.matrix.columns.tolist() != sorted(tested.matrix.columns), "and the columns"
    figure = tested.figure(mark="q", mark_thresholds=",".join(map(str, THRESHOLDS)))
    drawn = drawn_marks(figure)
    cells = [(row, column) for row in tested.matrix.index for column in tested.matrix.columns]
    expected = expected_stars(cells, q)
    assert {len(stars) for stars in expected.values()} == {1, 2, 3}, "every level is exercised"
    assert drawn == expected
    # dark stars on light cells, white ones on dark cells (Capric Acid: 0.13, the darkest blue)
    heat = axes_named(figure, "heatmap")
    colours = {text.get_text(): text.get_color() for text in heat.texts if text.get_gid() == "mark"}
    assert colours
    position = tested.matrix.index.get_loc("Capric Acid")
    on_dark = [text.get_color() for text in heat.texts
               if text.get_gid() == "mark" and math.floor(text.get_position()[1]) == position]
    assert on_dark and set(on_dark) == {"white"}
    assert ".15" in {text.get_color() for text in heat.texts if text.get_gid() == "mark"}
    _, entries = legend(figure, "missing cells")
    lines = " ".join(entries)
    assert "*  q < 0.15" in entries and "***  q < 0.11" in entries
    assert "one-sample t-test of log2" in lines and "against 1" in lines and "Benjamini-Hochberg" in lines


def test_stars_follow_their_cells_over_pages_and_under_a_reference_test(normalized) -> None:
    from amiga_heatmap.builtin.figure.draw import figure_pages
    from amiga_heatmap.builtin.figure.options import read_options

    result = heatmap(normalized, value=VALUE, x=X, y=Y, operation="median", filter=FILTER, test=True,
                     cluster_y=True)
    q = scipy_q_values(normalized)
    drawn = {}
    options = {"mark": "q", "mark_thresholds": THRESHOLDS, "rows_per_page": 3}
    pages = list(figure_pages(result, read_options(options, "pdf", shape=result.matrix.shape)))
    assert len(pages) == 3
    for page in pages:
        drawn.update(drawn_marks(page))
    cells = [(row, column) for row in result.matrix.index for column in result.matrix.columns]
    assert drawn == expected_stars(cells, q)
    # Welch's test against ER1: the legend names it, the reference column gets no star
    versus = heatmap(normalized, value=VALUE, x=X, y=Y, operation="median", filter=FILTER, test=True,
                     reference="ER1")
    figure = versus.figure(mark="p", mark_thresholds="0.5,0.2,0.1")
    assert "Welch's t-test of log2" in " ".join(legend(figure, "missing cells")[1])
    assert all(column != "ER1" for _, column in drawn_marks(figure))
    p = versus.cells.set_index([Y, X])["p"]
    expected = {cell: "*" * sum(bool(p[cell] < t) for t in (0.5, 0.2, 0.1))
                for cell in p.index if cell[0] in versus.matrix.index and p[cell] < 0.5}
    assert drawn_marks(figure) == expected


def test_mark_without_test_is_a_usage_error_and_writes_nothing(run_cli, normalized) -> None:
    with pytest.raises(UsageError, match="Add --test"):
        heatmap(normalized, value=VALUE, x=X, y=Y, operation="median").figure(mark="q")
    before = sorted(normalized.parent.iterdir())
    result = run_cli("-i", str(normalized), "-o", "starred", "-x", X, "-y", Y, "-v", VALUE, "-p", "median",
                     "--mark", "q")
    assert result.exit_code == 2 and "--mark (mark) q draws stars" in result.output
    assert sorted(normalized.parent.iterdir()) == before


@pytest.mark.parametrize("thresholds", ["0.01,0.05", "0.05,0.01,0.001,0.0001", "1.5", "a,b"])
def test_bad_thresholds_are_refused(tested, thresholds) -> None:
    with pytest.raises(UsageError, match="mark_thresholds must be one to three numbers between 0 and 1"):
        tested.figure(mark="q", mark_thresholds=thresholds)


# ------------------------------------------------------------------------------------- colour scale


@pytest.fixture
def ratios(normalized):
    return heatmap(normalized, value=VALUE, x=X, y=Y, operation="median", filter=FILTER)


def test_a_log2_ratio_figure_has_ratio_ticks_both_sides_of_one_and_draws_halves_and_doubles_alike(ratios):
    figure = ratios.figure()  # auto: log2 for a norm(...) column
    bar = axes_named(figure, "colour bar")
    low, high = bar.get_ylim()
    assert low * high == pytest.approx(1.0), "symmetric around 1 in ratio"
    ticks = [tick for tick in bar.get_yticks() if low <= tick <= high]
    assert min(ticks) < 1 < max(ticks) and 1.0 in ticks
    assert all(math.log2(tick).is_integer() for tick in ticks), "powers of 2"
    texts = {label.get_text() for label in bar.get_yticklabels()}
    assert {"0.25", "1", "4"} <= texts
    mesh = cells_artist(figure)
    assert mesh.norm(0.5) + mesh.norm(2.0) == pytest.approx(1.0), "mirrored positions on the map"
    half, centre, double = mesh.to_rgba(np.array([0.5, 1.0, 2.0]))
    below, above = np.linalg.norm(half - centre), np.linalg.norm(double - centre)
    # RdBu_r itself is not quite symmetric in RGB (its red side is darker): within that
    assert below > 0.2 and min(below, above) / max(below, above) > 0.75
    # bwr is symmetric in RGB by construction: there the two are equally far from the centre
    even = cells_artist(ratios.figure(cmap="bwr"))
    half, centre, double = even.to_rgba(np.array([0.5, 1.0, 2.0]))
    below, above = np.linalg.norm(half - centre), np.linalg.norm(double - centre)
    assert below > 0.2 and abs(below - above) / max(below, above) < 0.02
    # the mesh draws the real cells with that mapping: a 7.5-fold drop as strong as a 7.5-fold rise
    values = ratios.matrix.to_numpy()
    drawn = mesh.to_rgba(mesh.get_array()).reshape(*values.shape, 4)
    lowest = np.unravel_index(np.argmin(values), values.shape)
    mirror = mesh.to_rgba(np.array([1 / values[lowest]]))[0]
    assert abs(np.linalg.norm(drawn[lowest] - centre) - np.linalg.norm(mirror - centre)) < 0.1
    # on the linear scale the same halves and doubles differ: what the log scale corrects
    linear = cells_artist(ratios.figure(color_scale="linear", cmap="bwr"))
    half, centre, double = linear.to_rgba(np.array([0.5, 1.0, 2.0]))
    below, above = np.linalg.norm(half - centre), np.linalg.norm(double - centre)
    assert abs(below - above) / max(below, above) > 0.3


def test_cells_at_or_below_zero_get_the_declared_colour_on_a_log_scale(normalized) -> None:
    from matplotlib.colors import to_rgba

    from .figure_parts import infinite_cells

    value = "norm(death_lin)"  # has wells with no death phase: ratio 0
    result = heatmap(normalized, value=value, x=X, y=Y, operation="mean", missing="keep")
    rows = pd.read_csv(normalized, sep="\t", dtype={X: str, Y: str})
    means = rows.groupby([Y, X])[value].mean().unstack().reindex(index=result.matrix.index,
                                                                  columns=result.matrix.columns)
    zero = (np.isfinite(means) & (means <= 0)).to_numpy()
    assert zero.any()
    figure = result.figure(nonpositive_cell_color="#00aa00", color_scale="log10")
    [layer] = [c for c in axes_named(figure, "heatmap").collections if c.get_gid() == "nonpositive cells"]
    assert layer.get_facecolor().tolist() == [list(to_rgba("#00aa00"))]
    covered = np.zeros(zero.shape, dtype=bool)
    for path in layer.get_paths():
        xs, ys = path.vertices[:, 0], path.vertices[:, 1]
        covered[round(ys.min()) : round(ys.max()), round(xs.min()) : round(xs.max())] = True
    assert np.array_equal(covered, zero)
    assert not infinite_cells(figure, zero.shape)[zero].any()
    assert legend(figure, "missing cells")[1]["0 or below"] == "#00aa00"
    assert np.ma.getmaskarray(cells_artist(figure).get_array()).reshape(zero.shape)[zero].all()
    with pytest.raises(UsageError, match="vmin 0 is at or below 0, which a log2 colour scale cannot show"):
        result.figure(color_scale="log2", vmin=0)


def test_auto_is_linear_for_values_that_are_not_ratios(normalized) -> None:
    plain = heatmap(normalized, value="gr", x=X, y=Y, operation="median", subset="PM:1")
    assert type(cells_artist(plain.figure()).norm).__name__ == "Normalize"
    logged = heatmap(normalized, value=VALUE, x=X, y=Y, operation="median", filter=FILTER, transforms="log2")
    assert type(cells_artist(logged.figure()).norm).__name__ == "Normalize", "a log2 ratio is no ratio"
    contrasted = heatmap(normalized, value="gr", x=X, y=Y, operation="median", filter="row any >= 0.3",
                         reference="ER1", contrast="ratio")
    assert type(cells_artist(contrasted.figure()).norm).__name__ == "LogNorm"


def test_bins_map_cells_to_the_right_categories(ratios) -> None:
    edges = [0, 0.5, 0.8, 1.25, 2, np.inf]
    names = ["none", "low", "normal", "high", "very high"]
    figure = ratios.figure(bins="0,0.5,0.8,1.25,2,inf", bin_labels=",".join(names))
    assert axes_named(figure, "colour bar") is None, "a categorical legend instead of a colour bar"
    title, entries = legend(figure, "bins")
    assert title == VALUE and list(entries) == names
    mesh = cells_artist(figure)
    from matplotlib.colors import to_hex

    drawn = [to_hex(colour) for colour in mesh.to_rgba(mesh.get_array()).reshape(-1, 4)]
    category_of = {colour: name for name, colour in entries.items()}
    expected = pd.cut(ratios.matrix.stack(), edges, right=False, labels=names).astype(str).tolist()
    assert [category_of[colour] for colour in drawn] == expected
    assert len(set(expected)) >= 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bins": "0,1,2", "bin_labels": "a,b,c"}, "bin_labels gives 3 names, but the 3 edges of bins make 2 bins"),
        ({"bin_labels": "a,b"}, "bin_labels names the bins of bins, which is not given"),
        ({"bins": "0,1,2", "color_scale": "log2"}, "bins draws one colour per bin instead of a colour scale"),
        ({"bins": "2,1"}, "bins must be at least two numbers in increasing order"),
        ({"bins": "0,1", "bin_labels": "a,a"}, "'a' is given twice"),
    ],
)
def test_bad_bins_are_usage_errors(ratios, options, message) -> None:
    with pytest.raises(UsageError, match=message):
        ratios.figure(**options)


def test_symlog_is_symmetric_around_zero_for_differences(normalized) -> None:
    import matplotlib

    result = heatmap(normalized, value="auc_lin", x=X, y=Y, operation="median", filter="row any >= 3 OR row any <= -3",
                     reference="ER1", contrast="difference")
    figure = result.figure(color_scale="symlog")
    mesh = cells_artist(figure)
    assert type(mesh.norm).__name__ == "SymLogNorm"
    values = result.matrix.to_numpy()
    low, high = axes_named(figure, "colour bar").get_ylim()
    assert (low, high) == pytest.approx((-np.abs(values).max(), np.abs(values).max()))
    assert np.abs(mesh.to_rgba(0.0) - np.array(matplotlib.colormaps["RdBu_r"](0.5))).max() < 0.02
    ticks = [tick for tick in axes_named(figure, "colour bar").get_yticks() if low <= tick <= high]
    assert 0.0 in ticks and min(ticks) < 0 < max(ticks)
