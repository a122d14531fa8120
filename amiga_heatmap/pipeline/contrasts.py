"""Contrasts (``--contrast``): each cell shown relative to the reference cell of its row (``--reference
LABEL``, a column) or of its column (``--reference y:LABEL``, a row).

- ``ratio``: value / reference value;
- ``difference``: value - reference value;
- ``log2ratio``: log2(value / reference value); a ratio at or below 0 has no logarithm and is missing,
  with a warning counting such cells.

The reference column (row) itself is dropped from the matrix, since it would show only 1 (or 0),
unless ``--keep-reference``. Applied in the transform stage, before ``--transform``, so that a filter
compares the contrasted values.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import UsageError, known_list
from .statistics import parse_reference, reference_label
from .transforms import log2_where_positive

if TYPE_CHECKING:  # pragma: no cover
    from .matrix_state import MatrixState
    from .spec import HeatmapSpec

CONTRASTS = {
    "ratio": "value / reference value",
    "difference": "value - reference value",
    "log2ratio": "log2(value / reference value)",
}


def check_contrast(spec: HeatmapSpec) -> None:
    """Raise UsageError for an unknown ``--contrast``, one without ``--reference``, or
    ``--keep-reference`` without ``--contrast``."""
    if spec.contrast is None:
        if spec.keep_reference:
            raise UsageError("--keep-reference keeps the reference of --contrast, which is not given. Add --contrast.")
        return
    if spec.contrast not in CONTRASTS:
        raise UsageError(
            f"--contrast {spec.contrast!r} is not a contrast; choose one of {known_list(CONTRASTS)}."
        )
    if spec.reference is None:
        raise UsageError(
            f"--contrast {spec.contrast} shows each cell relative to a reference cell: add --reference LABEL "
            "(a column, e.g. --reference ER1) or --reference y:LABEL (a row)."
        )


def apply_contrast(matrix: MatrixState, contrast: str, reference: str, keep_reference: bool) -> MatrixState:
    """``matrix`` with its values shown as ``contrast`` to the ``reference`` cells (see the module
    docstring); ``transforms`` records it as ``"log2ratio to ER1"``."""
    import numpy as np

    axis, text = parse_reference(reference)
    values = matrix.values
    label = reference_label(values.columns if axis == "x" else values.index, text, axis)
    baseline = values[label] if axis == "x" else values.loc[label]
    along = 0 if axis == "x" else 1  # the reference column's values align with the rows, a row's with columns
    if contrast == "difference":
        contrasted = values.sub(baseline, axis=along)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = values.div(baseline, axis=along)
        if contrast == "log2ratio":
            ratio = log2_where_positive(
                ratio,
                f"--contrast log2ratio: {{count}} cells have a ratio to {text} at or below 0, which has no "
                "logarithm; they are drawn as missing.",
            )
        contrasted = ratio
    contrasted.index.name, contrasted.columns.name = values.index.name, values.columns.name
    changed = replace(matrix, values=contrasted, transforms=(*matrix.transforms, f"{contrast} to {text}"))
    if keep_reference:
        return changed
    if axis == "x":
        return changed.select(values.index, [column for column in values.columns if column != label])
    return changed.select([row for row in values.index if row != label], values.columns)
