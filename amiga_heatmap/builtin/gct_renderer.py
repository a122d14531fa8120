"""The built-in ``gct`` renderer: the plotted matrix as a GCT 1.3 file, which Morpheus, GenePattern and
other expression tools open. Row and column colour strips (``--color-y-by`` / ``--color-x-by``) become
row and column annotations, so they can be coloured and sorted there too.

GCT 1.3 layout: the line ``#1.3``; the counts ``rows  columns  row annotations  column annotations``;
a header ``id``, the row annotation names, then the column labels; one line per column annotation (its
name, blanks under the row annotations, then a value per column); one line per row (the label, its
annotation values, then its cells). Missing cells are ``NaN``; labels are written as text with tabs and
line breaks replaced by spaces.
"""

from __future__ import annotations

from ..plugin_system.components import Renderer
from ..plugin_system.hookspecs import hookimpl


def _text(value) -> str:
    """A label or annotation value as one GCT field: as typed (``1`` for the number 1.0), tabs and line
    breaks replaced by spaces, empty when missing."""
    from ..pipeline.labels.metadata import as_text

    if value is None or value != value:  # None or NaN
        return ""
    return " ".join(as_text(value).split("\t")).replace("\r", " ").replace("\n", " ")


def _number(value: float) -> str:
    """A cell as GCT text: the shortest text that reads back as the same float; ``NaN`` when missing."""
    if value != value:
        return "NaN"
    return repr(float(value))


def render(result, path, file_format, options):
    """Write ``result`` in plotted order as GCT 1.3 to ``path``."""
    matrix = result.matrix
    row_annotations = [] if result.y_colors is None else [result.y_colors]
    column_annotations = [] if result.x_colors is None else [result.x_colors]
    lines = [
        "#1.3",
        "\t".join(map(str, (matrix.shape[0], matrix.shape[1], len(row_annotations), len(column_annotations)))),
        "\t".join(["id", *(_text(colors.column) for colors in row_annotations),
                   *(_text(label) for label in matrix.columns)]),
    ]
    for colors in column_annotations:
        values = colors.values.reindex(matrix.columns)
        lines.append("\t".join([_text(colors.column), *([""] * len(row_annotations)), *map(_text, values)]))
    row_values = [colors.values.reindex(matrix.index) for colors in row_annotations]
    for position, (label, cells) in enumerate(zip(matrix.index, matrix.to_numpy(dtype=float))):
        annotations = [_text(values.iloc[position]) for values in row_values]
        lines.append("\t".join([_text(label), *annotations, *map(_number, cells)]))
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")


@hookimpl
def register_renderers(register):
    """Register the gct renderer."""
    register(Renderer(name="gct", formats=("gct",), render=render,
                      description="the plotted matrix as GCT 1.3 (Morpheus), colour strips as annotations",
                      capabilities=frozenset({"colour_strips"})))
