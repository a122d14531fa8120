"""The order of labels wherever they are sorted: rows and columns of the matrix, ``--sort-x-by`` and
``--sort-y-by`` values, colour-strip legends.

Labels are sorted the way a reader expects, not by character code: case-insensitively
(``alpha-D-Glucose`` among the a's, not after ``Sucrose``) and with the numbers inside them in numeric
order (``ER2`` before ``ER10``, ``PM 9`` before ``PM 10``). Labels that differ only in case keep their
character-code order (``ABC`` before ``abc``), so the order is the same on every run. natsort computes
the keys; numbers (a ``PM`` column of integers) sort as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd


def natural_positions(labels: Sequence[object] | pd.Index) -> np.ndarray:
    """The positions that put ``labels`` in natural order (like ``argsort``)."""
    import numpy as np
    from natsort import index_natsorted, ns

    labels = list(labels)
    by_code = sorted(range(len(labels)), key=lambda position: _code_key(labels[position]))
    in_order = index_natsorted([labels[position] for position in by_code], alg=ns.INT | ns.IGNORECASE)
    return np.asarray([by_code[position] for position in in_order], dtype=np.intp)


def sort_by_value(values: pd.Series) -> pd.Index:
    """The index of ``values`` ordered by value in natural order; ties keep their order, missing values
    come last."""
    import numpy as np
    from natsort import index_natsorted, ns

    present = values[values.notna()]
    order = index_natsorted(present.tolist(), alg=ns.INT | ns.IGNORECASE)  # stable: ties keep order
    return present.index[np.asarray(order, dtype=np.intp)].append(values.index[values.isna().to_numpy()])


def _code_key(label: object) -> tuple[int, object]:
    """Character-code order for the labels natural order ties (numbers before text)."""
    return (0, label) if isinstance(label, (int, float)) else (1, str(label))
