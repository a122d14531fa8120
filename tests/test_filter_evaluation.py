"""Evaluating filters: the masks, the built-in plugin, and agreement with a naive cell-by-cell reading."""

import math
import operator
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from amiga_heatmap.components import Quantifier
from amiga_heatmap.errors import PluginError
from amiga_heatmap.pipeline.filtering.evaluation import evaluate_filter
from amiga_heatmap.pipeline.filtering.language import parse_filter

NAN, INF = math.nan, math.inf

MATRIX = np.array(
    [
        [1.3, 1.0, 0.9],  # some cell >= 1.2
        [1.0, 1.0, 1.0],  # unremarkable
        [0.7, NAN, 1.0],  # some cell <= 0.8, one missing
        [1.25, 1.5, 2.0],  # every cell > 1.2
    ]
)


@pytest.fixture
def masks(quantifiers, operators):
    def evaluate(text, values=MATRIX):
        row_mask, column_mask = evaluate_filter(parse_filter(text, quantifiers, operators), values)
        assert row_mask.dtype == bool and column_mask.dtype == bool
        return row_mask.tolist(), column_mask.tolist()

    return evaluate


# ----------------------------------------------------------------------------------- examples


def test_two_sided_row_filter(masks):
    assert masks("row any >= 1.2 OR row any <= 0.8") == ([True, False, True, True], [True] * 3)


def test_all_fails_on_a_missing_cell_and_any_ignores_it(masks):
    assert masks("row all > 0") == ([True, True, False, True], [True] * 3)
    assert masks("row any < 0.8") == ([False, False, True, False], [True] * 3)


def test_col_clauses_reduce_each_column(masks):
    assert masks("col all >= 1") == ([True] * 4, [False, False, False])
    assert masks("col any > 1.2") == ([True] * 4, [True, True, True])
    assert masks("col all < 1.5") == ([True] * 4, [True, False, False])
    assert masks("col any = 0.9") == ([True] * 4, [False, False, True])


def test_mixed_axes_select_independently_on_the_unfiltered_matrix(masks):
    assert masks("row all > 1.2 OR col any <= 0.8") == ([False, False, False, True], [True, False, False])


def test_and_not_and_parentheses(masks):
    assert masks("row any >= 1.2 AND NOT row all > 1.2") == ([True, False, False, False], [True] * 3)
    assert masks("NOT (row any >= 1.2 OR row any <= 0.8)") == ([False, True, False, False], [True] * 3)


def test_equality_is_exact(masks):
    values = np.array([[0.1 + 0.2], [0.3], [NAN]])
    assert masks("row any = 0.3", values)[0] == [False, True, False]


def test_infinite_cells_and_thresholds(masks):
    values = np.array([[INF, 1.0], [-INF, 1.0], [NAN, 1.0]])
    assert masks("row any >= inf", values)[0] == [True, False, False]
    assert masks("row all > -inf", values)[0] == [True, False, False]
    assert masks("row any <= -inf", values)[0] == [False, True, False]


def test_a_nan_threshold_matches_nothing(masks):
    assert masks("row any = nan OR row any >= nan OR col any <= nan") == ([False] * 4, [False] * 3)


def test_keeping_nothing_is_left_to_the_caller(masks):
    assert masks("row any > 100") == ([False] * 4, [True] * 3)


def test_a_parameterised_quantifier_receives_its_arguments(masks):
    assert masks("row atleast(2) >= 1.0") == ([True, True, False, True], [True] * 3)
    assert masks("col within(2, 3) > 1.0") == ([True] * 4, [True, False, False])


def test_quantifiers_get_the_whole_matrix_the_axis_and_the_arguments(operators):
    calls = []

    def spy(values, compare, axis, *arguments):
        calls.append((values.shape, compare(np.array([0.0, 5.0, NAN])).tolist(), axis, arguments))
        return np.zeros(values.shape[1 - axis], dtype=bool)

    spy_quantifier = Quantifier("spy", spy, parameters=("a", "b"))
    expression = parse_filter("row spy(1, 2) > 1 OR col spy(3, 4) <= 0", {"spy": spy_quantifier}, operators)
    evaluate_filter(expression, MATRIX)
    assert calls == [
        ((4, 3), [False, True, False], 1, (1.0, 2.0)),
        ((4, 3), [True, False, False], 0, (3.0, 4.0)),
    ]


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_empty_matrices_give_masks_of_matching_length(masks, shape):
    values = np.empty(shape)
    row_mask, column_mask = masks("row any > 1 OR col all > 1 OR col atleast(1) > 0", values)
    assert len(row_mask) == shape[0]
    assert len(column_mask) == shape[1]
    assert masks("row all > 1", values) == ([True] * shape[0], [True] * shape[1])


def test_integer_matrices_are_read_as_floats(masks):
    assert masks("row any >= 2", np.array([[1, 2], [0, 1]])) == ([True, False], [True, True])


def test_a_matrix_must_be_two_dimensional(quantifiers, operators):
    with pytest.raises(ValueError, match="2-D"):
        evaluate_filter(parse_filter("row any > 1", quantifiers, operators), np.ones(3))


def test_a_quantifier_returning_the_wrong_shape_is_a_plugin_error(operators):
    broken = Quantifier("broken", lambda values, compare, axis: compare(values))
    expression = parse_filter("row broken > 1", {"broken": broken}, operators)
    with pytest.raises(PluginError, match=r"'broken' returned a result of shape \(4, 3\).*shape \(4,\)"):
        evaluate_filter(expression, MATRIX)


# ---------------------------------------------------------------------------- built-in plugin


def test_the_builtin_plugin_registers_any_and_all(builtin_quantifiers):
    assert sorted(builtin_quantifiers) == ["all", "any"]
    for name, quantifier in builtin_quantifiers.items():
        assert quantifier.name == name
        assert quantifier.parameters == ()
        assert quantifier.description


def test_the_builtin_plugin_registers_five_operators(builtin_operators):
    assert sorted(builtin_operators) == ["<", "<=", "=", ">", ">="]
    assert all(operator.description for operator in builtin_operators.values())
    assert "exact" in builtin_operators["="].description


def test_builtin_tables_from_the_hooks_parse_and_evaluate(builtin_quantifiers, builtin_operators):
    expression = parse_filter("row any >= 1.2 OR col all < 2", builtin_quantifiers, builtin_operators)
    row_mask, column_mask = evaluate_filter(expression, MATRIX)
    assert row_mask.tolist() == [True, False, False, True]
    assert column_mask.tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        (">=", [False, True, True]),
        ("<=", [True, True, False]),
        (">", [False, False, True]),
        ("<", [True, False, False]),
        ("=", [False, True, False]),
    ],
)
def test_builtin_operators_compare_cells_and_reject_missing_ones(builtin_operators, symbol, expected):
    result = builtin_operators[symbol].compare(np.array([[0.0, 1.0, 2.0], [NAN, NAN, NAN]]), 1.0)
    assert result.tolist() == [expected, [False, False, False]]


def test_importing_the_builtin_plugin_loads_neither_numpy_nor_pandas():
    code = "import sys, amiga_heatmap.builtin.filters; print(sorted({'numpy', 'pandas'} & set(sys.modules)))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


# --------------------------------------------------------------- agreement with a naive reading
#
# A filter is generated as a small tree of tuples, written out as text in random spellings, parsed, and
# evaluated; the masks must match a plain Python reading of the same tree, one row or column at a time.
#   ("clause", axis, quantifier, arguments, symbol, threshold) | ("not", node) | ("and"|"or", [nodes])

SPELLINGS = {
    -INF: ["-inf", "-Infinity", "-INF"],
    -1.5: ["-1.5", "-15e-1", "-1.50"],
    -0.5: ["-0.5", "-.5", "-5E-1"],
    0.0: ["0", "0.0", "+0", "0e0"],
    0.5: ["0.5", ".5", "+.5", "5e-1"],
    1.0: ["1", "1.", "1.0", "+1", "1e0"],
    1.2: ["1.2", "+1.2", "12e-1", "1.20"],
    2.0: ["2", "2.0", "0.2e1"],
    INF: ["inf", "+inf", "Infinity", "INF"],
    NAN: ["nan", "NaN", "+nan", "-NAN"],
}
CELL_VALUES = list(SPELLINGS)
NAIVE_OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}

matrices = arrays(
    float, array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=5), elements=st.sampled_from(CELL_VALUES)
)


def clauses(axis):
    quantified = st.one_of(
        st.tuples(st.sampled_from(["any", "all"]), st.just(())),
        st.tuples(st.just("atleast"), st.tuples(st.integers(0, 6))),
    )
    return st.builds(
        lambda quantifier, symbol, threshold: ("clause", axis, *quantifier, symbol, threshold),
        quantified,
        st.sampled_from(list(NAIVE_OPERATORS)),
        st.sampled_from(CELL_VALUES),
    )


def conditions_on(axis):
    return st.recursive(
        clauses(axis),
        lambda children: st.one_of(
            children.map(lambda child: ("not", child)),
            st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3)),
        ),
        max_leaves=6,
    )


filters = st.lists(st.sampled_from(["row", "col"]).flatmap(conditions_on), min_size=1, max_size=4).map(
    lambda terms: terms[0] if len(terms) == 1 else ("or", terms)
)


def write(node, draw):
    """Write ``node`` as filter text in randomly drawn case, whitespace, number spelling and parentheses."""

    def cased(word):
        return draw(st.sampled_from([word.lower(), word.upper(), word.capitalize()]))

    def space(at_least_one):
        return draw(st.sampled_from([" ", "  ", "\t", "\n"] + ([] if at_least_one else [""])))

    def grouped(child, needs_parentheses):
        text = write(child, draw)
        return f"({space(False)}{text}{space(False)})" if needs_parentheses or draw(st.booleans()) else text

    kind = node[0]
    if kind == "clause":
        _, axis, quantifier, arguments, symbol, threshold = node
        written_arguments = f"({', '.join(str(argument) for argument in arguments)})" if arguments else ""
        return (
            f"{cased(axis)}{space(True)}{cased(quantifier)}{written_arguments}{space(False)}{symbol}"
            f"{space(False)}{draw(st.sampled_from(SPELLINGS[threshold]))}"
        )
    if kind == "not":
        return f"{cased('not')}{space(True)}{grouped(node[1], node[1][0] in ('and', 'or'))}"
    keyword = f"{space(True)}{cased(kind)}{space(True)}"
    return keyword.join(grouped(child, kind == "and" and child[0] == "or") for child in node[1])


def axis_of(node):
    return node[1] if node[0] == "clause" else axis_of(node[1] if node[0] == "not" else node[1][0])


def holds(node, cells):
    """Whether ``node`` holds for one row or column, given as a list of Python floats."""
    kind = node[0]
    if kind == "clause":
        _, _, quantifier, arguments, symbol, threshold = node
        hits = [NAIVE_OPERATORS[symbol](cell, threshold) for cell in cells]
        return {"any": any, "all": all, "atleast": lambda hits: sum(hits) >= arguments[0]}[quantifier](hits)
    if kind == "not":
        return not holds(node[1], cells)
    results = [holds(child, cells) for child in node[1]]
    return all(results) if kind == "and" else any(results)


def naive_masks(node, matrix):
    terms = node[1] if node[0] == "or" else [node]
    rows = [row.tolist() for row in matrix]
    columns = [column.tolist() for column in matrix.T]

    def mask(axis, lines):
        own_terms = [term for term in terms if axis_of(term) == axis]
        return [any(holds(term, line) for term in own_terms) if own_terms else True for line in lines]

    return mask("row", rows), mask("col", columns)


@settings(deadline=None, max_examples=300)
@given(node=filters, matrix=matrices, data=st.data())
def test_vectorised_evaluation_matches_a_naive_reading(quantifiers, operators, node, matrix, data):
    expression = parse_filter(write(node, data.draw), quantifiers, operators)
    row_mask, column_mask = evaluate_filter(expression, matrix)
    assert (row_mask.tolist(), column_mask.tolist()) == naive_masks(node, matrix)


@settings(deadline=None)
@given(node=filters, matrix=matrices, data=st.data())
def test_the_canonical_text_reads_back_to_the_same_filter(quantifiers, operators, node, matrix, data):
    expression = parse_filter(write(node, data.draw), quantifiers, operators)
    canonical = expression.root.to_text()
    reread = parse_filter(canonical, quantifiers, operators)
    assert reread.root.to_text() == canonical
    assert [mask.tolist() for mask in evaluate_filter(reread, matrix)] == [
        mask.tolist() for mask in evaluate_filter(expression, matrix)
    ]
