"""Reading filters: the grammar, the syntax tree, and every kind of error message."""

import math

import pytest

from amiga_heatmap.errors import UsageError
from amiga_heatmap.pipeline.filtering.language import And, Clause, Not, Or, parse_filter


@pytest.fixture
def parse(quantifiers, operators):
    return lambda text: parse_filter(text, quantifiers, operators)


def read_error(parse, text):
    """Parse ``text`` expecting a UsageError; return its paragraph and the part of ``text`` the carets mark.

    Also checks the layout: one paragraph, the filter on one line, the carets on the next.
    """
    with pytest.raises(UsageError) as caught:
        parse(text)
    paragraph, shown, pointer = str(caught.value).split("\n")
    assert paragraph.startswith("Cannot read the filter: ")
    indent = len(shown) - len(text)
    assert shown[indent:] == "".join(" " if character.isspace() else character for character in text)
    start = pointer.index("^") - indent
    end = start + pointer.count("^")
    assert pointer.strip() == "^" * (end - start)
    return paragraph, start, text[start:end]


# ------------------------------------------------------------------------------------------- grammar


def test_a_single_clause_resolves_its_names(parse, quantifiers, operators):
    clause = parse("row any >= 1.2").root
    assert clause == Clause("row", quantifiers["any"], (), operators[">="], 1.2)
    assert clause.span == (0, 14)


def test_the_filter_keeps_its_text_and_spans_point_into_it(parse):
    text = "  col all < 3 OR row any > 1 "
    expression = parse(text)
    assert expression.text == text
    spans = [clause.span for clause in expression.root.operands]
    assert [text[start:end] for start, end in spans] == ["col all < 3", "row any > 1"]


def test_or_joins_clauses(parse):
    root = parse("row any >= 1.2 OR row any <= 0.8").root
    assert isinstance(root, Or)
    assert root.to_text() == "row any >= 1.2 OR row any <= 0.8"


def test_and_binds_tighter_than_or(parse):
    root = parse("row any > 1 OR row all < 2 AND row any = 3").root
    assert isinstance(root, Or)
    assert isinstance(root.operands[1], And)
    assert root.operands[1].to_text() == "row all < 2.0 AND row any = 3.0"


def test_parentheses_override_precedence(parse):
    root = parse("(row any > 1 OR row all < 2) AND row any = 3").root
    assert isinstance(root, And)
    assert isinstance(root.operands[0], Or)
    assert root.to_text() == "(row any > 1.0 OR row all < 2.0) AND row any = 3.0"


def test_not_binds_tightest(parse):
    root = parse("NOT row any > 1 AND row all < 2").root
    assert isinstance(root, And)
    assert isinstance(root.operands[0], Not)


def test_not_applies_to_a_parenthesised_group_and_repeats(parse):
    assert isinstance(parse("NOT (row any > 1 AND row all < 2)").root.operand, And)
    assert parse("NOT NOT row any > 1").root == Not(Not(parse("row any > 1").root))
    assert parse("NOT(row any > 1)").root.to_text() == "NOT row any > 1.0"


def test_redundant_parentheses_and_chains_are_flattened(parse):
    root = parse("((row any > 1)) OR (row any > 2 OR (row any > 3))").root
    assert isinstance(root, Or) and len(root.operands) == 3
    root = parse("(row any > 1 AND row any > 2) AND row any > 3").root
    assert isinstance(root, And) and len(root.operands) == 3


def test_keywords_axes_and_quantifiers_ignore_case(parse):
    assert (
        parse("ROW Any >= 1 or Col ALL < 2 And col any > 0 oR NOT row AtLeast(1) > 0").root.to_text()
        == "row any >= 1.0 OR col all < 2.0 AND col any > 0.0 OR NOT row atleast(1.0) > 0.0"
    )


@pytest.mark.parametrize(
    "text",
    [
        "row any>=1.2",
        "row any >=1.2",
        "row any>= 1.2",
        "\trow\nany  >=\r\n1.2  ",
        "(row any>=1.2)",
    ],
)
def test_whitespace_is_free_between_tokens(parse, text):
    assert parse(text).root.to_text() == "row any >= 1.2"


def test_no_whitespace_is_needed_around_parentheses(parse):
    assert parse("(row any>1)OR(col all<2)").root.to_text() == "row any > 1.0 OR col all < 2.0"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1", 1.0),
        ("1.", 1.0),
        ("1e-3", 0.001),
        ("1E3", 1000.0),
        ("-1.5e+2", -150.0),
        ("-0.5", -0.5),
        ("+2", 2.0),
        (".5", 0.5),
        ("-.5", -0.5),
        ("inf", math.inf),
        ("+inf", math.inf),
        ("Infinity", math.inf),
        ("-inf", -math.inf),
        ("-INFINITY", -math.inf),
    ],
)
def test_numbers(parse, written, value):
    assert parse(f"row any >= {written}").root.threshold == value
    assert parse(f"row any>={written}").root.threshold == value


@pytest.mark.parametrize("written", ["nan", "NaN", "-nan", "+NAN"])
def test_nan_threshold(parse, written):
    assert math.isnan(parse(f"row any = {written}").root.threshold)


def test_a_filter_on_one_axis_keeps_every_entry_of_the_other(parse):
    expression = parse("row any > 1 OR row all < 0")
    assert expression.row_condition == expression.root
    assert expression.column_condition is None
    expression = parse("col any > 1")
    assert expression.row_condition is None
    assert expression.column_condition == expression.root


def test_top_level_or_splits_mixed_axes(parse):
    expression = parse("row any > 1 OR col all < 2 OR row all = 3")
    assert expression.row_condition.to_text() == "row any > 1.0 OR row all = 3.0"
    assert expression.column_condition.to_text() == "col all < 2.0"


def test_mixed_axes_may_be_grouped_under_top_level_or(parse):
    expression = parse("(row any > 1 OR col all < 2) OR (col any > 5 AND col all > 0)")
    assert expression.row_condition.to_text() == "row any > 1.0"
    assert expression.column_condition.to_text() == "col all < 2.0 OR col any > 5.0 AND col all > 0.0"


def test_quantifier_arguments(parse, quantifiers):
    clause = parse("row atleast(2) >= 1.2").root
    assert clause.quantifier is quantifiers["atleast"]
    assert clause.arguments == (2.0,)
    assert parse("col within ( 1 ,3 )>0").root.arguments == (1.0, 3.0)
    assert parse("row within(-inf, .5) > 0").root.arguments == (-math.inf, 0.5)


def test_plugin_operators_are_read_as_symbols(parse, operators):
    assert parse("row any != 1").root.operator is operators["!="]
    assert parse("row any!=-1").root.threshold == -1.0


def test_describe_says_what_each_axis_keeps(parse):
    assert parse("row  any>=1.2").describe() == (
        "filter 'row any>=1.2' keeps the rows where 'row any >= 1.2' and every column"
    )
    assert parse("col all < 2 OR row any > 1").describe() == (
        "filter 'col all < 2 OR row any > 1' keeps the rows where 'row any > 1.0' "
        "and the columns where 'col all < 2.0'"
    )


def test_nodes_are_immutable(parse):
    clause = parse("row any > 1").root
    with pytest.raises(AttributeError):
        clause.threshold = 2.0


# -------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_filter(parse, text):
    paragraph, start, _ = read_error(parse, text)
    assert "the filter is empty" in paragraph
    assert "'row any >= 1.2'" in paragraph
    assert start == len(text)


def test_unknown_quantifier_suggests_and_lists(parse):
    paragraph, _, marked = read_error(parse, "row anny >= 1.2")
    assert paragraph == (
        "Cannot read the filter: unknown quantifier 'anny'. Did you mean 'any'? "
        "Known quantifiers: 'all', 'any', 'atleast', 'within'."
    )
    assert marked == "anny"


def test_unknown_axis_suggests(parse):
    paragraph, _, marked = read_error(parse, "rows any > 1")
    assert "expected 'row' or 'col' to start a clause, found 'rows'. Did you mean 'row'?" in paragraph
    assert marked == "rows"
    paragraph, _, marked = read_error(parse, "row any > 1 OR column all < 2")
    assert "Did you mean 'col'?" in paragraph
    assert marked == "column"


def test_unknown_operator_lists_symbols(parse):
    paragraph, _, marked = read_error(parse, "row any => 1")
    assert "unknown operator '=>'." in paragraph
    assert "Known operators: '!=', '<', '<=', '=', '>', '>='." in paragraph
    assert marked == "=>"
    _, _, marked = read_error(parse, "row any >== 1")
    assert marked == ">=="


@pytest.mark.parametrize(
    ("text", "expected", "marked"),
    [
        ("row any 1.2", "expected a comparison operator after 'row any', found '1.2'", "1.2"),
        ("row any", "expected a comparison operator after 'row any', found the end of the filter", ""),
        ("row >= 1", "expected a quantifier after 'row', found '>='", ">="),
        ("col", "expected a quantifier after 'col', found the end of the filter", ""),
        ("row any >= high", "expected a number as the threshold after '>=', found 'high'", "high"),
        ("row any >=", "expected a number as the threshold after '>=', found the end of the filter", ""),
        ("row any >= (1)", "expected a number as the threshold after '>=', found '('", "("),
    ],
)
def test_missing_parts_of_a_clause(parse, text, expected, marked):
    paragraph, start, marked_text = read_error(parse, text)
    assert expected in paragraph
    assert marked_text == marked
    if not marked:
        assert start == len(text)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("row any >= 1.2.3", "1.2.3"),
        ("row any >= 1e", "1e"),
        ("row any > 2x", "2x"),
        ("row any > -infx", "-infx"),
    ],
)
def test_malformed_numbers(parse, text, marked):
    paragraph, _, marked_text = read_error(parse, text)
    assert f"{marked!r} is not a number" in paragraph
    assert "1e-3" in paragraph
    assert marked_text == marked


@pytest.mark.parametrize(
    ("text", "expected", "marked"),
    [
        ("row any ≥ 1", "unexpected character '≥'", "≥"),
        ("row any >= $1", "unexpected character '$'", "$"),
        ("row any >= - 1", "A sign must be written directly before its number", "-"),
        ("row any > 1; col any > 1", "unexpected character ';'", ";"),
    ],
)
def test_unexpected_characters(parse, text, expected, marked):
    paragraph, _, marked_text = read_error(parse, text)
    assert expected in paragraph
    assert marked_text == marked


@pytest.mark.parametrize(
    ("text", "expected", "marked"),
    [
        ("row any > 1 row all < 2", "expected AND, OR or the end of the filter after a clause, found", "row"),
        ("row any > 1 xor row all < 2", "found 'xor'. Did you mean 'OR'?", "xor"),
        ("row any > 1 2", "found '2'", "2"),
        ("row any > 1 OR", "expected a clause, but the filter ends here", ""),
        ("row any > 1 AND AND row any > 2", "expected 'row' or 'col' to start a clause, found 'AND'", "AND"),
        ("NOT", "expected a clause, but the filter ends here", ""),
        ("()", "expected a clause starting with 'row' or 'col', found ')'", ")"),
        (">= 1", "expected a clause starting with 'row' or 'col', found '>='", ">="),
    ],
)
def test_missing_or_trailing_tokens(parse, text, expected, marked):
    paragraph, _, marked_text = read_error(parse, text)
    assert expected in paragraph
    assert marked_text == marked


def test_unclosed_parenthesis_points_at_it(parse):
    paragraph, start, _ = read_error(parse, "row any > 0 OR (row any > 1 OR row all < 2")
    assert "this '(' is never closed" in paragraph
    assert start == 15


def test_unmatched_closing_parenthesis(parse):
    paragraph, start, _ = read_error(parse, "row any > 1) OR row all < 2")
    assert "this ')' closes no '('" in paragraph
    assert start == 11


def test_garbage_inside_parentheses(parse):
    paragraph, _, marked = read_error(parse, "(row any > 1 row all < 2)")
    assert "expected AND, OR or ')' after a clause, found 'row'" in paragraph
    assert marked == "row"


def test_parameterised_quantifier_written_bare(parse):
    paragraph, _, marked = read_error(parse, "row atleast >= 1")
    assert "quantifier 'atleast' takes 1 argument (count); write it as atleast(count)" in paragraph
    assert marked == "atleast"


def test_bare_quantifier_given_arguments(parse):
    paragraph, _, marked = read_error(parse, "row any(2) >= 1")
    assert "quantifier 'any' takes no arguments. Write it bare" in paragraph
    assert marked == "("


@pytest.mark.parametrize(
    ("text", "given", "marked"),
    [
        ("row atleast(1, 2) >= 1", "2 were given", "(1, 2)"),
        ("row atleast() >= 1", "0 were given", "()"),
        ("row within(1) >= 1", "1 was given", "(1)"),
    ],
)
def test_wrong_number_of_arguments(parse, text, given, marked):
    paragraph, _, marked_text = read_error(parse, text)
    assert given in paragraph
    assert "Write it as" in paragraph
    assert marked_text == marked


@pytest.mark.parametrize(
    ("text", "expected", "marked"),
    [
        ("row atleast(x) >= 1", "expected a number as an argument of 'atleast', found 'x'", "x"),
        ("row within(1 2) >= 1", "expected ',' or ')' in the arguments of 'within', found '2'", "2"),
        ("row atleast(2 >= 1", "expected ',' or ')' in the arguments of 'atleast', found '>='", ">="),
        ("row atleast(2", "this '(' is never closed. Write the arguments as atleast(count)", "("),
    ],
)
def test_malformed_argument_lists(parse, text, expected, marked):
    paragraph, _, marked_text = read_error(parse, text)
    assert expected in paragraph
    assert marked_text == marked


@pytest.mark.parametrize(
    ("text", "expected", "keyword_at"),
    [
        ("row any > 1 AND col any > 1", "joins a row condition and a col condition", 12),
        ("col any > 1 AND NOT row any > 1", "joins a col condition and a row condition", 12),
        ("(row any > 1 OR col all < 2) AND row any > 0", "the group before it mixes row and col", 29),
        ("row any > 0 AND (row any > 1 OR col any > 1)", "the group after it mixes row and col", 12),
        ("NOT (row any > 1 OR col any > 1)", "NOT applies to conditions on one axis", 0),
        ("row any > 0 OR NOT (row any > 1 OR col any > 1)", "the group after it mixes row and col", 15),
    ],
)
def test_and_and_not_must_stay_on_one_axis(parse, text, expected, keyword_at):
    paragraph, start, marked = read_error(parse, text)
    assert expected in paragraph
    assert "OR" in paragraph  # says how to combine the axes instead
    assert start == keyword_at
    assert marked in ("AND", "NOT")


def test_whitespace_other_than_spaces_keeps_the_caret_aligned(parse):
    _, start, marked = read_error(parse, "row\tany\n>=\r\nnope")
    assert (start, marked) == (12, "nope")


def test_parsing_never_evaluates_python(parse):
    paragraph, _, marked = read_error(parse, "row any > __import__('os')")
    assert "unexpected character '_'" in paragraph
    assert marked == "_"
