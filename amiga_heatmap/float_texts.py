"""Floats as the text Python's ``repr`` gives them (``1.0``, ``0.25``, ``1e-05``, ``inf``), for whole
arrays at once: the tab-separated matrix writes its cells so, and the Parquet storage rule checks that
a column of text is exactly its numbers written so.

pyarrow turns floats into text in C++ with the same shortest round-trip digits as ``repr``, about four
times faster; its text equals ``repr``'s for a number with a fraction between 1e-4 and 1e16 written
without an exponent, the common case. Every other number (whole numbers, exponents, infinities, NaN)
is written by Python's ``repr``, each distinct one once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pyarrow as pa


def float_texts(values: np.ndarray, nan_text: str = "") -> pa.StringArray:
    """The ``repr`` of every float of the 1-D array ``values``, in order; ``nan_text`` for a NaN."""
    import math

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    values = np.ascontiguousarray(values, dtype=float)
    texts = pc.cast(pa.array(values), pa.string())
    magnitude = np.abs(values)
    with np.errstate(invalid="ignore"):
        plain = (magnitude >= 1e-4) & (magnitude < 1e16) & (values != np.trunc(values))  # pyarrow: "1", repr "1.0"
    plain &= ~pc.match_substring(texts, "e").to_numpy(zero_copy_only=False)
    others = values[~plain]
    if len(others):
        # each distinct number once (by its bits, so that -0.0 and 0.0 stay apart): columns of whole
        # numbers repeat a few values
        distinct, where = np.unique(others.view(np.int64), return_inverse=True)
        written = [nan_text if math.isnan(number) else repr(number) for number in distinct.view(float).tolist()]
        others_texts = pa.array(written, pa.string()).take(pa.array(where.ravel()))
        texts = pc.replace_with_mask(texts, pa.array(~plain), others_texts)
    return texts
