"""Splits: the labels of an axis drawn in blocks, one per value of a metadata column
(``--split-y-by``/``--split-x-by``).

Blocks come in natural order of the column's values (:mod:`.label_order`), labels without a value in a
last block of their own. Every label needs one value of the column: a label whose rows disagree is a
DataError naming it (:func:`~.labels.metadata.value_per_label`). The order stage orders each block on
its own (sorted, clustered or in label order) and keeps the blocks contiguous; a block the filter
emptied has no label left, so it is not there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .label_order import natural_positions
from .labels.metadata import as_text, value_per_label

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

NO_VALUE = "(no value)"
"""The title of the block of labels that have no value in the split column."""


@dataclass(frozen=True)
class Block:
    """One block of an axis: its ``value`` of the split column (None for labels without one), and the
    positions ``start``..``stop`` (stop excluded) of its labels in plotted order."""

    value: Any
    start: int
    stop: int

    @property
    def title(self) -> str:
        """The block's value as text (:data:`NO_VALUE` for the labels without one)."""
        return NO_VALUE if self.value is None else as_text(self.value)


@dataclass(frozen=True)
class AxisBlocks:
    """The blocks of one axis after the order stage.

    - ``column``: the split column.
    - ``of_label``: each label's block value, indexed by the labels in plotted order (missing: no value).
    - ``blocks``: the :class:`Block` spans, top to bottom (left to right), contiguous.
    - ``linkages``: per block, the scipy linkage of its labels (over its labels in label order, before
      clustering) when the axis is clustered, else None.
    """

    column: str
    of_label: pd.Series = field(repr=False)
    blocks: tuple[Block, ...]
    linkages: tuple[np.ndarray | None, ...] = field(default=(), repr=False)

    def titles(self) -> list[str]:
        """The block of each label as text, in plotted order."""
        return [NO_VALUE if value is None else as_text(value) for value in self.values()]

    def values(self) -> list[Any]:
        """The block value of each label in plotted order (None for no value)."""
        return [None if _missing(value) else value for value in self.of_label.tolist()]


def split_labels(
    rows: pd.DataFrame, axis_column: str, column: str, labels: pd.Index, option: str
) -> list[tuple[Any, pd.Index]]:
    """The labels grouped by their value of ``column`` (looked up in ``rows``): ``[(value, labels), ...]``
    with the values in natural order, then the labels without a value (value None); labels keep their
    order within a group. Raises DataError naming the labels with several values (``option`` asking)."""
    values = value_per_label(rows, axis_column, column, list(labels), option)
    present = values[values.notna()]
    groups: list[tuple[Any, pd.Index]] = []
    distinct = present.drop_duplicates().tolist()
    for position in natural_positions(distinct):
        value = distinct[position]
        groups.append((value, labels[(values == value).to_numpy()]))
    missing = labels[values.isna().to_numpy()]
    if len(missing):
        groups.append((None, missing))
    return groups


def axis_blocks(column: str, groups: list[tuple[Any, pd.Index]], linkages: list[np.ndarray | None]) -> AxisBlocks:
    """The :class:`AxisBlocks` of ``groups`` (value, labels in their final order), in the order given."""
    import pandas as pd

    blocks, start = [], 0
    for value, labels in groups:
        blocks.append(Block(value, start, start + len(labels)))
        start += len(labels)
    index = groups[0][1].append([labels for _, labels in groups[1:]]) if groups else pd.Index([])
    of_label = pd.Series([value for value, labels in groups for _ in labels], index=index, name=column, dtype=object)
    return AxisBlocks(column=column, of_label=of_label, blocks=tuple(blocks), linkages=tuple(linkages))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
