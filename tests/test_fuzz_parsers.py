"""Property-based tests: whatever a user types or whatever file they point at, amiga-heatmap either does
the right thing or says what is wrong with its own error; it never fails with anything else.

- Every text parser of the command line, on arbitrary text, returns or raises UsageError. A new
  parser (a colour scheme, a highlight list) is covered by adding one line to ``TEXT_PARSERS``.
- The shared ``key:value;...`` splitting reads back whatever is written with its quoting rules.
- Reading arbitrary bytes as a summary file returns a table or raises DataError.
- The whole pipeline on random matrices with NaN and inf cells, with a random filter, equals a naive
  computation written here cell by cell.
"""

from __future__ import annotations

import math
import operator
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from amiga_heatmap import heatmap
from amiga_heatmap.builtin import readers
from amiga_heatmap.errors import DataError, UsageError
from amiga_heatmap.pipeline.filtering.language import parse_filter
from amiga_heatmap.pipeline.subset import parse_subset
from amiga_heatmap.rendering.kwargs import parse_kwargs, parse_literal
from amiga_heatmap.text_lists import parse_key_values, split_outside_quotes, split_values

# ------------------------------------------------------------------------------ arbitrary text


def filter_parser(text: str):
    from amiga_heatmap.builtin import filters

    from .conftest import table_from_hook

    quantifiers = table_from_hook(filters.register_quantifiers, lambda quantifier: quantifier.name)
    operators = table_from_hook(filters.register_operators, lambda symbol: symbol.symbol)
    return parse_filter(text, quantifiers, operators)


TEXT_PARSERS: dict[str, Callable[[str], object]] = {
    "--subset": parse_subset,
    "--filter": filter_parser,
    "--kwargs": parse_kwargs,
    "key:value lists": lambda text: parse_key_values(text, "--option", "'a:1;b:2'"),
    "value lists": lambda text: split_values(text, "--option"),
    "quote-aware split": lambda text: split_outside_quotes(text, ";", "--option"),
}
"""Every parser of user-typed text. Add new ones here (e.g. "--colours": parse_colour_scheme)."""

SPECIAL = list(":;,\"' ()<>=!~.-+eE\t\n") + ["row", "col", "any", "all", "and", "or", "not", "nan", "inf",
                                             "1.2", "-0.5", "1e-3", "PM", "true", "none", "α", "😀"]
typed_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SPECIAL) | st.text(max_size=3), max_size=20).map("".join),
)


@pytest.mark.parametrize("name", sorted(TEXT_PARSERS))
@settings(max_examples=200, deadline=None)
@given(text=typed_text)
def test_parsers_succeed_or_raise_usage_errors_only(name, text) -> None:
    try:
        TEXT_PARSERS[name](text)
    except UsageError as error:
        assert error.message.strip()
        assert error.exit_code == 2


# ------------------------------------------------------------------------- key:value round trips

field_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


def quoted(field: str) -> str:
    """``field`` written so that the splitter reads it back exactly, or rejected by ``assume``."""
    stripped = field.strip()
    assume(stripped == field and field)
    if not any(character in field for character in ";:,\"'") and not field.startswith("!"):  # !: leave out
        return field
    quote = '"' if '"' not in field else "'"
    assume(quote not in field)
    return f"{quote}{field}{quote}"


@settings(max_examples=200, deadline=None)
@given(entries=st.lists(st.tuples(field_text, st.lists(field_text, min_size=1, max_size=3)), min_size=1, max_size=4),
       spaces=st.sampled_from(["", " ", "  "]))
def test_key_value_lists_read_back_what_was_written(entries, spaces) -> None:
    text = f"{spaces};{spaces}".join(
        f"{quoted(key)}{spaces}:{spaces}" + f"{spaces},{spaces}".join(quoted(value) for value in values)
        for key, values in entries
    )
    pairs = parse_key_values(text, "--option", "'a:1'")
    assert [key for key, _ in pairs] == [key for key, _ in entries]
    assert [split_values(raw, "--option") for _, raw in pairs] == [values for _, values in entries]
    selection = parse_subset(text)
    for key, values in entries:
        assert all(value in selection[key] for value in values)


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False), st.booleans(), st.none()))
def test_kwargs_literals_read_back(value) -> None:
    written = "none" if value is None else str(value).lower() if isinstance(value, bool) else repr(value)
    assert parse_literal(written) == value and type(parse_literal(written)) is type(value)


# --------------------------------------------------------------------------------- arbitrary files

cell = st.sampled_from(["a", "b", "1", "1.5", "1,5", "-inf", "NA", "", " ", "µM", "α", '"x, y"', '"', "a1"])
tables = st.integers(1, 4).flatmap(lambda width: st.builds(
    lambda separator, rows, line_end: line_end.join(
        separator.join(line) for line in [["a", "b", "a1", "µ"][:width], *rows]) + line_end,
    st.sampled_from(["\t", ",", ";"]),
    st.lists(st.lists(cell, min_size=width, max_size=width) | st.lists(cell, max_size=5), min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
))
file_text = st.lists(st.sampled_from(list('ab1.,;\t\n\r" \x00é') + ["µ", "α", "NA", "inf"]), max_size=150).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        tables.map(lambda text: text.encode("utf-8")),
        tables.map(lambda text: text.encode("cp1252", "replace")),
        file_text.map(lambda text: text.encode("utf-8")),
        file_text.map(lambda text: text.encode("cp1252", "replace")),
        file_text.map(lambda text: text.encode("utf-16")),
    ),
    columns=st.sampled_from([None, frozenset({"a", "b"}), frozenset({"a1", "µ"})]),
    separator=st.sampled_from(["\t", ","]),
)
def test_any_file_reads_as_a_table_or_raises_a_data_error(data, columns, separator) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "summary.txt"
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", readers.GuessedEncodingWarning)
            try:
                table = readers.read_delimited(str(path), columns, separator)
            except DataError as error:
                assert str(path) in error.message
                event("refused")
            else:
                event("read")
                assert isinstance(table, pd.DataFrame) and len(table) > 0
                assert len(set(table.columns)) == table.shape[1]


# ------------------------------------------------------------ the pipeline against a naive reading

NAN, INF = math.nan, math.inf
CELLS = [NAN, INF, -INF, -1.5, -0.5, 0.0, 0.5, 1.0, 1.2, 2.0]
THRESHOLDS = {-INF: "-inf", -0.5: "-0.5", 0.0: "0", 0.5: "5e-1", 1.0: "1", 1.2: "1.2", INF: "inf", NAN: "nan"}
OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}

clause = st.tuples(st.sampled_from(["row", "col"]), st.sampled_from(["any", "all"]),
                   st.sampled_from(sorted(OPERATORS)), st.sampled_from(list(THRESHOLDS)))


def naive_mean(values: list[float]) -> float:
    present = [value for value in values if not math.isnan(value)]
    return sum(present) / len(present) if present else NAN


@settings(max_examples=80, deadline=None)
@given(
    cells=st.lists(st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=2), min_size=3, max_size=3),
                   min_size=1, max_size=5),
    clauses=st.lists(clause, min_size=0, max_size=2),
)
def test_pipeline_with_nan_inf_and_a_filter_equals_a_naive_reading(cells, clauses) -> None:
    # cells[row][column] holds the replicate values of one (substrate, isolate) pair
    substrates = [f"S{row}" for row in range(len(cells))]
    isolates = ["I0", "I1", "I2"]
    rows = pd.DataFrame(
        [{"Substrate": substrates[r], "Isolate": isolates[c], "v": value}
         for r, line in enumerate(cells) for c, replicates in enumerate(line) for value in replicates]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        means = {(substrates[r], isolates[c]): naive_mean(replicates)
                 for r, line in enumerate(cells) for c, replicates in enumerate(line)}
    complete = [s for s in substrates if not any(math.isnan(means[s, i]) for i in isolates)]
    text = " OR ".join(f"{axis} {quantifier} {symbol} {THRESHOLDS[threshold]}"
                       for axis, quantifier, symbol, threshold in clauses) or None

    def keeps(axis: str, values: list[float]) -> bool:
        own = [c for c in clauses if c[0] == axis]
        return not own or any(
            {"any": any, "all": all}[quantifier](OPERATORS[symbol](value, threshold) for value in values)
            for _, quantifier, symbol, threshold in own
        )

    kept_rows = [s for s in complete if keeps("row", [means[s, i] for i in isolates])]
    kept_columns = [i for i in isolates if keeps("col", [means[s, i] for s in complete])]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        event("drawn" if complete and kept_rows and kept_columns else "refused")
        if not complete:
            with pytest.raises(DataError, match="missing cell"):
                heatmap(rows, value="v", x="Isolate", y="Substrate", operation="mean", filter=text)
            return
        if not kept_rows or not kept_columns:
            with pytest.raises(DataError, match="keeps no cells"):
                heatmap(rows, value="v", x="Isolate", y="Substrate", operation="mean", filter=text)
            return
        result = heatmap(rows, value="v", x="Isolate", y="Substrate", operation="mean", filter=text)
    expected = [[means[s, i] for i in kept_columns] for s in kept_rows]
    if len(kept_columns) == 1:  # a one-column heatmap is sorted by value, largest first
        order = sorted(range(len(kept_rows)), key=lambda index: -expected[index][0])
        kept_rows, expected = [kept_rows[i] for i in order], [expected[i] for i in order]
    assert list(result.matrix.index) == kept_rows
    assert list(result.matrix.columns) == kept_columns
    np.testing.assert_allclose(result.matrix.to_numpy(), np.array(expected, dtype=float), rtol=1e-12)
