"""--split-y-by / --split-x-by: blocks in natural order of the split column's values, each ordered on its
own; checked on the real E. randomii data (PM1 and PM2) against pandas and scipy computed here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import pdist

from amiga_heatmap import heatmap
from amiga_heatmap.errors import DataError

from .conftest import natural, natural_key
from .test_biolog import joined, plate_map  # noqa: F401  (the packaged map, read independently)

VALUE = "norm(auc_lin)"


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    from .conftest import EXAMPLES

    return pd.read_csv(EXAMPLES / "ER_all_summary_normalized.txt", sep="\t")


def class_of_substrate(rows: pd.DataFrame, plate_map: pd.DataFrame) -> pd.Series:  # noqa: F811
    """Each substrate's Biolog class, from the map joined on plate and well (one class each here)."""
    classes = pd.DataFrame({"Substrate": rows["Substrate"], "class": joined(rows, plate_map)["moa"]})
    distinct = classes.drop_duplicates()
    assert not distinct["Substrate"].duplicated().any()
    return distinct.set_index("Substrate")["class"]


def test_clustered_blocks_are_contiguous_and_each_is_scipys_clustering_of_its_block(
    normalized, rows, plate_map  # noqa: F811
) -> None:
    result = heatmap(normalized, value=VALUE, x="Strain", y="Substrate", operation="mean", cluster_y=True,
                     split_y_by="biolog_class")
    expected = natural(rows.groupby(["Substrate", "Strain"])[VALUE].mean().unstack())
    classes = class_of_substrate(rows, plate_map)
    plotted = list(result.matrix.index)
    assert sorted(plotted) == sorted(expected.index)
    order = sorted(classes.unique(), key=natural_key)
    blocks = [classes[plotted].tolist()[block.start] for block in result.row_blocks.blocks]
    assert blocks == order  # one block per class, in natural order
    for block in result.row_blocks.blocks:
        members = plotted[block.start:block.stop]
        assert set(classes[members]) == {blocks[result.row_blocks.blocks.index(block)]}
        alone = expected.loc[[label for label in expected.index if classes[label] == classes[members[0]]]]
        if len(alone) > 1:
            leaves = leaves_list(linkage(pdist(alone.to_numpy()), method="average"))
            assert members == list(alone.index[leaves])
        else:
            assert members == list(alone.index)
    assert result.row_linkage is None
    assert result.row_blocks.of_label[plotted].tolist() == classes[plotted].tolist()


def test_blocks_are_sorted_within_and_say_their_block_in_the_cell_table(normalized, rows) -> None:
    result = heatmap(normalized, value=VALUE, x="Substrate", y="Isolate", operation="mean", subset="PM:1",
                     split_y_by="Strain", sort_y="Isolate", filter="col any > 1.5")
    strain = rows.drop_duplicates("Isolate").set_index("Isolate")["Strain"]
    expected = sorted(strain.index, key=lambda isolate: (natural_key(strain[isolate]), natural_key(isolate)))
    assert list(result.matrix.index) == expected
    cells = result.cells
    assert list(cells.columns[:3]) == ["Isolate", "Substrate", "row_block"]
    assert cells["row_block"].tolist() == strain[cells["Isolate"]].tolist()
    # the cells keep the plotted (block) order
    assert list(dict.fromkeys(cells["Isolate"])) == expected


def test_the_filter_comes_first_and_a_block_it_empties_is_gone(normalized, rows) -> None:
    result = heatmap(normalized, value=VALUE, x="Isolate", y="Substrate", operation="mean", subset="PM:1",
                     filter="row any > 1.5", split_y_by="PM", split_x_by="Strain")
    means = rows[rows["PM"] == 1].groupby(["Substrate", "Isolate"])[VALUE].mean().unstack()
    kept = means.index[(means > 1.5).any(axis=1)]
    assert sorted(result.matrix.index, key=natural_key) == sorted(kept, key=natural_key)
    assert [block.title for block in result.row_blocks.blocks] == ["1"]
    assert [block.title for block in result.column_blocks.blocks] == ["MEX_2020", "USA_1995"]

    emptied = heatmap(normalized, value=VALUE, x="Strain", y="Substrate", operation="mean",
                      filter="row any > 1.5", split_y_by="biolog_class")
    full = heatmap(normalized, value=VALUE, x="Strain", y="Substrate", operation="mean", split_y_by="biolog_class")
    shown = {block.title for block in emptied.row_blocks.blocks}
    assert shown < {block.title for block in full.row_blocks.blocks}
    assert shown == set(emptied.row_blocks.of_label)


def test_the_table_keeps_the_blocks(normalized, tmp_path, run_cli, rows) -> None:
    target = tmp_path / "split.tsv"
    outcome = run_cli("-i", normalized, "-o", "split.tsv", "--output-dir", tmp_path, "-x", "Isolate", "-y",
                      "Substrate", "-v", VALUE, "-p", "mean", "-s", "PM:1", "-f", "row any > 1.5", "--split-y-by", "biolog_class",
                      "--split-x-by", "Strain")
    assert outcome.exit_code == 0, outcome.output
    table = pd.read_csv(target, sep="\t", dtype=str, keep_default_na=False)
    assert list(table.columns[:2]) == ["Substrate", "row_block"]
    assert table.iloc[0, 0] == "column_block" and table.iloc[0, 1] == ""
    strain = rows.drop_duplicates("Isolate").set_index("Isolate")["Strain"]
    assert table.iloc[0, 2:].tolist() == strain[table.columns[2:]].tolist()
    blocks = table["row_block"].iloc[1:].tolist()
    assert blocks == sorted(blocks, key=natural_key)
    values = table.iloc[1:, 2:].astype(float).set_axis(table["Substrate"].iloc[1:])
    means = rows[rows["PM"] == 1].groupby(["Substrate", "Isolate"])[VALUE].mean().unstack()
    np.testing.assert_array_equal(values.to_numpy(), means.loc[values.index, values.columns].to_numpy())


def test_a_split_column_with_several_values_per_label_names_them(normalized, tmp_path, run_cli) -> None:
    with pytest.raises(DataError, match=r"^split_y_by PM: each Substrate needs one PM value.*'Negative Control' \(1, 2\)"):
        heatmap(normalized, value=VALUE, x="Isolate", y="Substrate", operation="mean", split_y_by="PM")
    target = tmp_path / "out" / "split.pdf"
    target.parent.mkdir()
    outcome = run_cli("-i", normalized, "-o", "split.pdf", "--output-dir", target.parent, "-x", "Isolate", "-y",
                      "Substrate", "-v", VALUE, "-p", "mean", "--split-y-by", "PM")
    assert outcome.exit_code == 1
    assert "--split-y-by PM: each Substrate needs one PM value" in outcome.output
    assert "'Negative Control' (1, 2)" in outcome.output
    assert list(target.parent.iterdir()) == []


def test_the_figure_draws_each_block_after_a_gap_holding_its_title(normalized) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.text import Text

    from .figure_parts import axes_named, column_labels, row_labels

    result = heatmap(normalized, value=VALUE, x="Isolate", y="Substrate", operation="mean", subset="PM:1,2",
                     filter="row any > 1.2", split_y_by="biolog_class", split_x_by="Strain", cluster_y=True,
                     color_y_by="biolog_class")
    figure = result.figure(show_dendrogram=True)
    plotted = list(result.matrix.index)
    expected = []
    for block in result.row_blocks.blocks:
        expected += ["", *plotted[block.start:block.stop]]
    assert row_labels(figure) == expected
    columns = list(result.matrix.columns)
    assert column_labels(figure) == ["", *columns[:2], "", *columns[2:]]
    titles = {gid: [text.get_text() for text in figure.findobj(Text) if text.get_gid() == gid]
              for gid in ("row block title", "column block title")}
    assert titles["row block title"] == [block.title for block in result.row_blocks.blocks]
    assert titles["column block title"] == ["MEX_2020", "USA_1995"]
    # one tree per clustered block: a U per merge of each block with two or more labels
    tree = axes_named(figure, "row dendrogram")
    merges = sum(max(block.stop - block.start - 1, 0) for block in result.row_blocks.blocks)
    assert sum(len(lines.get_segments()) for lines in tree.collections if isinstance(lines, LineCollection)) == merges
    # the gaps are painted over in the background colour
    gaps = [item for item in axes_named(figure, "heatmap").collections if item.get_gid() == "block gaps"]
    assert len(gaps) == 1 and len(gaps[0].get_paths()) == len(result.row_blocks.blocks) + 2


def test_labels_without_a_value_come_last_in_a_block_of_their_own(rows) -> None:
    table = rows.astype({"PM": str})
    table["group"] = table["Substrate"].where(table["Substrate"].str.startswith("D-"))
    result = heatmap(table, value=VALUE, x="Isolate", y="Substrate", operation="mean", subset="PM:1",
                     split_y_by="group")
    blocks = result.row_blocks.blocks
    starting = sorted({label for label in table.loc[table["PM"] == "1", "Substrate"] if label.startswith("D-")},
                      key=natural_key)
    assert [block.title for block in blocks] == [*starting, "(no value)"]
    assert blocks[-1].value is None
    others = {label for label in table.loc[table["PM"] == "1", "Substrate"] if not label.startswith("D-")}
    assert set(result.matrix.index[blocks[-1].start:blocks[-1].stop]) == others
    assert result.cells.loc[result.cells["Substrate"].isin(others), "row_block"].isna().all()


def test_stars_sit_on_their_cells_in_a_split_figure(normalized) -> None:
    from matplotlib.text import Text

    from .figure_parts import axes_named

    result = heatmap(normalized, value=VALUE, x="Isolate", y="Substrate", operation="mean", filter="row any > 1.3",
                     test=True, split_y_by="biolog_class", cluster_y=True)
    figure = result.figure(mark="p")
    grid = []  # the label drawn at each grid row: None for a gap
    for block in result.row_blocks.blocks:
        grid += [None, *result.matrix.index[block.start:block.stop]]
    heat = axes_named(figure, "heatmap")
    drawn = {(grid[int(text.get_position()[1])], result.matrix.columns[int(text.get_position()[0])]): text.get_text()
             for text in heat.findobj(Text) if text.get_gid() == "mark"}
    p = result.layers["p"]
    expected = {(row, column): "***" if p.loc[row, column] < 0.001 else "**" if p.loc[row, column] < 0.01 else "*"
                for row in p.index for column in p.columns if p.loc[row, column] < 0.05}
    assert drawn == expected and expected
