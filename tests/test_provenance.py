"""The provenance record beside every output (NAME.provenance.json), ``amiga-heatmap replay``, and the
GCT renderer (--format gct), on the example data: every recorded fact is checked against an independent
computation (hashlib, a pandas groupby, scipy's own tree)."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import leaves_list, linkage

from amiga_heatmap import heatmap

from .conftest import natural

X, Y, VALUE = "Strain", "Substrate", "norm(auc_lin)"
RUN = ["-x", X, "-y", Y, "-v", VALUE, "-p", "mean", "-f", "row any > 1.2"]


def means(path) -> pd.DataFrame:
    return natural(pd.read_csv(path, sep="\t").groupby([Y, X])[VALUE].mean().unstack(X))


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_output_gets_a_record_of_how_it_was_made(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "fig", *RUN, "--cluster-y", "--color-y-by", "PM")
    assert result.exit_code == 0, result.stderr
    folder = normalized.parent
    record = json.loads((folder / "fig.provenance.json").read_text(encoding="utf-8"))
    assert "Wrote " + str(folder / "fig.provenance.json") in result.stdout
    assert record["command_line"] == ["amiga-heatmap", "-i", str(normalized), "-o", "fig", *RUN, "--cluster-y",
                                      "--color-y-by", "PM"]
    assert record["inputs"] == [{"path": str(normalized.resolve()), "size": normalized.stat().st_size,
                                 "sha256": digest(normalized)}]
    outputs = {entry["path"]: entry["sha256"] for entry in record["outputs"]}
    assert outputs == {str((folder / name).resolve()): digest(folder / name)
                       for name in ("fig.pdf", "fig_y_legend.pdf")}
    expected = means(normalized)
    kept = expected.index[(expected > 1.2).any(axis=1)]
    assert sorted(record["rows"]) == sorted(kept) and record["columns"] == ["MEX_2020", "USA_1995"]
    filtered = next(stage for stage in record["stages"] if stage["stage"] == "filter_matrix")
    assert sorted(filtered["removed_rows"]) == sorted(set(expected.index) - set(kept))
    assert record["spec"]["y"] == {"column": Y, "sort_by": None, "cluster": True, "color_by": "PM",
                                   "color_scheme": None, "color_file": None, "split_by": None}
    assert record["engine"] == "pandas" and record["column_tree"] is None
    assert {"builtin.stages", "builtin.pandas_engine"} <= {plugin["name"] for plugin in record["plugins"]}
    assert record["versions"]["amiga-heatmap"] and record["versions"]["pandas"] == pd.__version__


def newick_leaves(text: str) -> list[str]:
    """The leaf labels of a Newick tree, left to right (quoted labels unquoted)."""
    leaves = re.findall(r"(?:(?<=\()|(?<=,))('(?:[^']|'')*'|[^():,;]+)(?=:)", text)
    return [leaf[1:-1].replace("''", "'") if leaf.startswith("'") else leaf for leaf in leaves]


def test_the_clustering_tree_is_recorded_as_newick(normalized, tmp_path) -> None:
    from amiga_heatmap.output.provenance import newick

    result = heatmap(normalized, value=VALUE, x="Isolate", y=Y, operation="mean", filter="row any > 1.2",
                     cluster_y=True, cluster_x=True)
    tree = newick(result.row_linkage, list(result.matrix.index))
    assert newick_leaves(tree) == list(result.matrix.index)
    # scipy's own linkage of the same matrix gives the same leaf order
    sorted_matrix = natural(result.matrix)  # the linkage is over the labels in (natural) sorted order
    order = leaves_list(linkage(sorted_matrix.to_numpy(), method="average", metric="euclidean"))
    assert list(sorted_matrix.index[order]) == list(result.matrix.index)
    heights = [float(length) for length in re.findall(r":([0-9.e+-]+)", tree)]
    assert len(heights) == 2 * len(result.matrix.index) - 2 and min(heights) >= 0
    assert newick(None, ["a"]) is None


def test_no_provenance_writes_none(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "plain", *RUN, "--format", "tsv", "--no-provenance")
    assert result.exit_code == 0, result.stderr
    assert not (normalized.parent / "plain.provenance.json").exists()
    assert ".provenance.json" not in result.stdout


def test_replay_says_identical_then_different_after_the_input_changes(run_cli, normalized) -> None:
    assert run_cli("-i", normalized, "-o", "again", *RUN, "--format", "tsv").exit_code == 0
    record = normalized.parent / "again.provenance.json"
    replayed = run_cli("replay", record)
    assert replayed.exit_code == 0, replayed.stderr
    assert replayed.stdout.strip() == f"identical: {(normalized.parent / 'again.tsv').resolve()}"
    rows = pd.read_csv(normalized, sep="\t")
    rows.loc[rows[Y] == "D-Sorbitol", VALUE] *= 2
    rows.to_csv(normalized, sep="\t", index=False)
    changed = run_cli("replay", record)
    assert changed.exit_code == 1
    assert f"Warning: the input {normalized.resolve()} changed (or is gone) since the record was made." in changed.stderr
    assert "DIFFERENT: " in changed.stdout
    assert "The replay did not reproduce every output byte for byte" in changed.stderr
    assert digest(normalized.parent / "again.tsv") == json.loads(record.read_text())["outputs"][0]["sha256"]


def test_replay_refuses_a_file_that_is_not_a_record(run_cli, tmp_path) -> None:
    other = tmp_path / "other.provenance.json"
    other.write_text('{"rows": []}', encoding="utf-8")
    result = run_cli("replay", other)
    assert result.exit_code == 1
    assert "is not a provenance record amiga-heatmap wrote" in result.stderr


def read_gct(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#1.3"
    rows, columns, row_annotations, column_annotations = map(int, lines[1].split("\t"))
    header = lines[2].split("\t")
    body = [line.split("\t") for line in lines[3 + column_annotations:]]
    values = pd.DataFrame([[float(cell) for cell in line[1 + row_annotations:]] for line in body],
                          index=[line[0] for line in body], columns=header[1 + row_annotations:])
    return (rows, columns, row_annotations, column_annotations), header, lines[3:3 + column_annotations], body, values


def test_gct_holds_the_plotted_matrix_and_the_strips_as_annotations(run_cli, normalized) -> None:
    result = run_cli("-i", normalized, "-o", "morpheus", *RUN, "--format", "gct", "--color-y-by", "PM",
                     "--color-x-by", "Species", "--keep-rows-missing-data", "--keep-columns-missing-data")
    assert result.exit_code == 0, result.stderr
    counts, header, column_lines, body, values = read_gct(normalized.parent / "morpheus.gct")
    expected = means(normalized)
    expected = expected[(expected > 1.2).any(axis=1)]
    assert counts == (len(expected), 2, 1, 1)
    assert header[:2] == ["id", "PM"]
    assert column_lines == ["Species\t\tE_randomii\tE_randomii"]
    pd.testing.assert_frame_equal(values.sort_index(), expected.sort_index().rename_axis(None).rename_axis(
        None, axis=1), rtol=0, check_exact=True)
    rows = pd.read_csv(normalized, sep="\t")
    plate = rows.drop_duplicates(Y).set_index(Y)["PM"]
    assert {line[0]: line[1] for line in body} == {label: str(plate[label]) for label in expected.index}
    assert np.isfinite(values.to_numpy()).all()
