"""The ``-f/--filter`` language: reading a filter into a small immutable syntax tree.

Grammar (keywords, axes and quantifier names ignore case; whitespace between tokens is free)::

    filter     := or_expr END
    or_expr    := and_expr ("OR" and_expr)*
    and_expr   := not_expr ("AND" not_expr)*
    not_expr   := "NOT" not_expr | "(" or_expr ")" | clause
    clause     := axis quantifier ["(" number ("," number)* ")"] [layer] operator number
    layer      := a name of the layer table (``value``, ``n``, ``p``, ``q``): a word, or quoted with " or '
                  for a name holding other characters; ``value`` (the plotted values) when left out
    axis       := "row" | "col"
    quantifier := a name of the quantifier table: letters, digits and "_", starting with a letter
    operator   := a symbol of the operator table: a run of the characters < > = ! ~
    number     := 1, -0.5, +2, .5, 1e-3, nan, inf, -inf, ...

Groups (parentheses) and NOTs nest at most :data:`MAX_DEPTH` deep: deeper nesting is a UsageError, not
a RecursionError. An error message shows at most :data:`SHOWN_CHARACTERS` characters of the filter,
around the offending token.

NOT binds tightest, then AND, then OR. A row clause selects rows and a col clause columns. AND and NOT
combine conditions on one axis only. OR may join conditions on both axes at the top level (also through
parentheses): each axis then keeps what its own conditions select, and an axis without conditions keeps
everything (:attr:`FilterExpression.row_condition`, :attr:`FilterExpression.column_condition`).

Quantifiers and operators are resolved at parse time from the tables given to :func:`parse_filter`, so
plugins can add their own. Every mistake raises :class:`~amiga_heatmap.errors.UsageError` whose message is
one paragraph saying what is wrong and how to fix it, followed by the filter on one line and a caret line
pointing at the offending token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from ...errors import UsageError, did_you_mean, known_list
from ...plugin_system.components import Operator, Quantifier

ROW = "row"
COLUMN = "col"
VALUE_LAYER = "value"
"""The layer a clause compares when it names none: the plotted values."""
AXES = (ROW, COLUMN)

_CLAUSE_EXAMPLE = "A clause reads AXIS QUANTIFIER OPERATOR NUMBER, for example 'row any >= 1.2'."
_NUMBER_EXAMPLE = "Numbers are written like 1.2, -0.5, 1e-3, nan, inf or -inf."
_POINTER_INDENT = "    "
MAX_DEPTH = 100
"""How deep parentheses and NOTs may nest."""
SHOWN_CHARACTERS = 100
"""How much of a long filter an error message shows, around the offending token."""


@dataclass(frozen=True)
class Clause:
    """One comparison: ``AXIS QUANTIFIER[(ARGUMENTS)] OPERATOR THRESHOLD``.

    ``axis`` is ``"row"`` or ``"col"``; ``quantifier`` and ``operator`` are the table entries the names in
    the filter resolved to; ``arguments`` holds the quantifier's arguments (empty for a bare quantifier);
    ``span`` is the ``(start, end)`` character range of the clause in the filter text and takes no part in
    equality.
    """

    axis: str
    quantifier: Quantifier
    arguments: tuple[float, ...]
    operator: Operator
    threshold: float
    span: tuple[int, int] = field(default=(0, 0), compare=False)
    layer: str = VALUE_LAYER

    def to_text(self) -> str:
        """The clause written in canonical filter syntax."""
        name = self.quantifier.name
        if self.quantifier.parameters:
            name += "(" + ", ".join(_format_number(argument) for argument in self.arguments) + ")"
        if self.layer != VALUE_LAYER:
            name += " " + (self.layer if _WORD_PATTERN.fullmatch(self.layer) else repr(self.layer))
        return f"{self.axis} {name} {self.operator.symbol} {_format_number(self.threshold)}"


@dataclass(frozen=True)
class And:
    """Holds where every operand holds. Has at least two operands, all on one axis, none an ``And``."""

    operands: tuple[FilterNode, ...]

    @property
    def axis(self) -> str:
        """The axis every operand is on."""
        return self.operands[0].axis

    def to_text(self) -> str:
        """The conjunction in canonical filter syntax, parenthesising OR operands."""
        return " AND ".join(_grouped_text(operand, Or) for operand in self.operands)


@dataclass(frozen=True)
class Or:
    """Holds where any operand holds. Has at least two operands, none an ``Or``.

    Only the root of a filter may mix row and col operands.
    """

    operands: tuple[FilterNode, ...]

    @property
    def axis(self) -> str | None:
        """The axis all operands are on, or ``None`` when they mix row and col conditions."""
        axes = {operand.axis for operand in self.operands}
        return axes.pop() if len(axes) == 1 else None

    def to_text(self) -> str:
        """The disjunction in canonical filter syntax."""
        return " OR ".join(operand.to_text() for operand in self.operands)


@dataclass(frozen=True)
class Not:
    """Holds where its operand, a condition on one axis, does not."""

    operand: FilterNode

    @property
    def axis(self) -> str:
        """The axis of the negated condition."""
        return self.operand.axis

    def to_text(self) -> str:
        """The negation in canonical filter syntax, parenthesising AND/OR operands."""
        return "NOT " + _grouped_text(self.operand, (And, Or))


FilterNode = Clause | And | Or | Not


@dataclass(frozen=True)
class FilterExpression:
    """A parsed filter: the text the user wrote and the syntax tree read from it."""

    text: str
    root: FilterNode

    @property
    def row_condition(self) -> FilterNode | None:
        """The condition selecting rows, or ``None`` when the filter keeps every row."""
        return self._condition_on(ROW)

    @property
    def column_condition(self) -> FilterNode | None:
        """The condition selecting columns, or ``None`` when the filter keeps every column."""
        return self._condition_on(COLUMN)

    def describe(self) -> str:
        """One line for verbose logs: the filter as written and what it keeps on each axis."""
        written = " ".join(self.text.split())
        rows = _describe_selection("row", self.row_condition)
        columns = _describe_selection("column", self.column_condition)
        return f"filter {written!r} keeps {rows} and {columns}"

    def _condition_on(self, axis: str) -> FilterNode | None:
        if self.root.axis == axis:
            return self.root
        if self.root.axis is not None:
            return None
        return _joined(Or, [term for term in self.root.operands if term.axis == axis])


def parse_filter(
    text: str,
    quantifiers: Mapping[str, Quantifier],
    operators: Mapping[str, Operator],
    layers: Mapping[str, str] | None = None,
) -> FilterExpression:
    """Read ``text`` as a filter, resolving names in ``quantifiers`` (by name) and ``operators`` (by symbol).

    ``layers`` maps the layer names a clause may compare (besides ``value``) to a short description for
    messages (``{"n": "replicates per cell", "q": "q-values of --test"}``); None allows ``value`` only.

    Quantifier names match case-insensitively when no entry matches exactly. Raises
    :class:`~amiga_heatmap.errors.UsageError` for any mistake: empty filter, unexpected character,
    malformed number, unknown axis, quantifier or operator, wrong quantifier arguments, missing or
    trailing tokens, unbalanced parentheses, and AND or NOT joining conditions on different axes.
    """
    root = _Parser(text, quantifiers, operators, {VALUE_LAYER: "the plotted values", **(layers or {})}).parse()
    return FilterExpression(text=text, root=root)


def _format_number(number: float) -> str:
    return repr(float(number))


def _grouped_text(node: FilterNode, needs_parentheses: type | tuple[type, ...]) -> str:
    text = node.to_text()
    return f"({text})" if isinstance(node, needs_parentheses) else text


def _describe_selection(noun: str, condition: FilterNode | None) -> str:
    if condition is None:
        return f"every {noun}"
    return f"the {noun}s where '{condition.to_text()}'"


def _joined(kind: type[And | Or], operands: Sequence[FilterNode]) -> FilterNode | None:
    """Combine ``operands`` with ``kind``, splicing in operands that are already of that kind."""
    flat: list[FilterNode] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, kind) else (operand,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _syntax_error(text: str, start: int, end: int, problem: str) -> UsageError:
    """A UsageError: ``problem``, then the filter on one line and carets under ``text[start:end]``; of a
    filter longer than :data:`SHOWN_CHARACTERS`, the part around the carets, cut ends marked ``…``."""
    shown = "".join(" " if character.isspace() else character for character in text)
    end = min(end, start + SHOWN_CHARACTERS // 2)
    if len(shown) > SHOWN_CHARACTERS:
        first = max(0, min(start - SHOWN_CHARACTERS // 2, len(shown) - SHOWN_CHARACTERS))
        last = first + SHOWN_CHARACTERS
        shown = ("\u2026" if first else "") + shown[first:last] + ("\u2026" if last < len(shown) else "")
        start, end = start - first + bool(first), end - first + bool(first)
    carets = "^" * max(1, end - start)
    return UsageError(
        f"Cannot read the filter: {problem}\n"
        f"{_POINTER_INDENT}{shown}\n"
        f"{_POINTER_INDENT}{' ' * start}{carets}"
    )


# ---------------------------------------------------------------------------------------------- tokens

_WORD = "word"
_NUMBER = "number"
_OPERATOR = "operator"
_END = "end"

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-](?:infinity|inf|nan))
    | (?P<word>[A-Za-z][A-Za-z0-9_]*)
    | (?P<operator>[<>=!~]+)
    | (?P<punctuation>[(),])
    | (?P<string>"[^"]*"|'[^']*')
    """,
    re.VERBOSE | re.IGNORECASE,
)
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]+")
_STRING = "string"
_WORD_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NAMED_NUMBERS = frozenset({"nan", "inf", "infinity"})


@dataclass(frozen=True)
class _Token:
    """A piece of the filter: ``kind`` is a word, number, operator, ``(``, ``)``, ``,`` or the end."""

    kind: str
    text: str
    start: int
    end: int

    def describe(self) -> str:
        return "the end of the filter" if self.kind == _END else repr(self.text)


def _tokenize(text: str) -> list[_Token]:
    """Split ``text`` into tokens, ending with an end token. Unsigned nan/inf are read as words."""
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _unexpected_character(text, position)
        kind = match.lastgroup
        if kind == _NUMBER and (tail := _NUMBER_TAIL.match(text, match.end())):
            written = text[match.start() : tail.end()]
            raise _syntax_error(
                text, match.start(), tail.end(), f"{written!r} is not a number. {_NUMBER_EXAMPLE}"
            )
        if kind == "punctuation":
            kind = match.group()
        if kind != "space":
            tokens.append(_Token(kind, match.group(), match.start(), match.end()))
        position = match.end()
    tokens.append(_Token(_END, "", len(text), len(text)))
    return tokens


def _unexpected_character(text: str, position: int) -> UsageError:
    character = text[position]
    if character in "+-":
        hint = "A sign must be written directly before its number, as in -0.5."
    else:
        hint = (
            f"{_CLAUSE_EXAMPLE} Clauses are joined with AND, OR and NOT and grouped with parentheses; "
            "operators are written with the characters < > = ! ~."
        )
    return _syntax_error(text, position, position + 1, f"unexpected character {character!r}. {hint}")


# ---------------------------------------------------------------------------------------------- parser


class _Parser:
    """Recursive-descent parser over the tokens of one filter; see the module grammar."""

    def __init__(
        self,
        text: str,
        quantifiers: Mapping[str, Quantifier],
        operators: Mapping[str, Operator],
        layers: Mapping[str, str],
    ) -> None:
        self._text = text
        self._tokens = _tokenize(text)
        self._index = 0
        self._quantifiers = quantifiers
        self._operators = operators
        self._layers = layers
        self._depth = 0

    def parse(self) -> FilterNode:
        if self._peek().kind == _END:
            raise self._error(self._peek(), f"the filter is empty. {_CLAUSE_EXAMPLE}")
        root = self._parse_or()
        token = self._peek()
        if token.kind == ")":
            raise self._error(token, "this ')' closes no '('. Remove it or add the missing '('.")
        if token.kind != _END:
            self._refuse_decimal_comma(token)
            raise self._error(
                token,
                f"expected AND, OR or the end of the filter after a clause, found {token.describe()}."
                f"{did_you_mean(token.text, ['AND', 'OR'])} Join clauses with AND or OR.",
            )
        return root

    # -- expressions

    def _parse_or(self) -> FilterNode:
        operands = [self._parse_and()]
        while self._at_keyword("or"):
            self._advance()
            operands.append(self._parse_and())
        return _joined(Or, operands)

    def _parse_and(self) -> FilterNode:
        operands = [self._parse_not()]
        while self._at_keyword("and"):
            keyword = self._advance()
            operand = self._parse_not()
            self._check_same_axis(keyword, operands[0], operand)
            operands.append(operand)
        return _joined(And, operands)

    def _parse_not(self) -> FilterNode:
        if not self._at_keyword("not"):
            return self._parse_primary()
        keyword = self._advance()
        with self._nested(keyword):
            operand = self._parse_not()
        if operand.axis is None:
            raise self._error(
                keyword,
                "NOT applies to conditions on one axis, but the group after it mixes row and col "
                "clauses. Write NOT inside the group, in front of conditions on one axis, and join row "
                "and col conditions with OR only.",
            )
        return Not(operand)

    def _parse_primary(self) -> FilterNode:
        opening = self._peek()
        if opening.kind != "(":
            return self._parse_clause()
        self._advance()
        with self._nested(opening):
            node = self._parse_or()
        closing = self._peek()
        if closing.kind == _END:
            raise self._error(opening, "this '(' is never closed. Add ')' after the clauses it groups.")
        if closing.kind != ")":
            self._refuse_decimal_comma(closing)
            raise self._error(
                closing,
                f"expected AND, OR or ')' after a clause, found {closing.describe()}. "
                "Join clauses with AND or OR.",
            )
        self._advance()
        return node

    def _check_same_axis(self, keyword: _Token, left: FilterNode, right: FilterNode) -> None:
        for side, operand in (("before", left), ("after", right)):
            if operand.axis is None:
                raise self._error(
                    keyword,
                    f"AND joins conditions on one axis, but the group {side} it mixes row and col "
                    "clauses. Combine row and col conditions with OR only: each axis then keeps what "
                    "its own clauses select.",
                )
        if left.axis != right.axis:
            raise self._error(
                keyword,
                f"AND joins conditions on one axis, but here it joins a {left.axis} condition and a "
                f"{right.axis} condition. Use OR to filter rows and columns together: each axis then "
                "keeps what its own clauses select.",
            )

    # -- clauses

    def _parse_clause(self) -> Clause:
        first = self._peek()
        axis = self._read_axis()
        quantifier = self._read_quantifier(axis)
        arguments = self._read_arguments(quantifier)
        layer = self._read_layer()
        operator = self._read_operator(axis, quantifier)
        threshold = self._read_number(f"the threshold after {operator.symbol!r}")
        return Clause(
            axis=axis,
            quantifier=quantifier,
            arguments=arguments,
            operator=operator,
            threshold=threshold,
            span=(first.start, self._tokens[self._index - 1].end),
            layer=layer,
        )

    def _read_layer(self) -> str:
        """The layer the clause names before its operator (``q`` in ``row any q < 0.05``), or ``value``."""
        token = self._peek()
        if token.kind not in (_WORD, _STRING) or (token.kind == _WORD and token.text.casefold() in _NAMED_NUMBERS):
            return VALUE_LAYER
        name = token.text[1:-1] if token.kind == _STRING else token.text
        if name not in self._layers:
            known = "; ".join(f"{layer} ({meaning})" for layer, meaning in self._layers.items())
            raise self._error(
                token,
                f"unknown layer {name!r}.{did_you_mean(name, self._layers)} A clause may compare: {known}. "
                "p and q exist with --test.",
            )
        self._advance()
        return name

    def _read_axis(self) -> str:
        token = self._peek()
        if token.kind == _WORD and token.text.casefold() in AXES:
            self._advance()
            return token.text.casefold()
        if token.kind == _END:
            problem = "expected a clause, but the filter ends here."
        elif token.kind == _WORD:
            problem = (
                f"expected 'row' or 'col' to start a clause, found {token.describe()}."
                f"{did_you_mean(token.text, AXES)}"
            )
        else:
            problem = f"expected a clause starting with 'row' or 'col', found {token.describe()}."
        raise self._error(token, f"{problem} {_CLAUSE_EXAMPLE}")

    def _read_quantifier(self, axis: str) -> Quantifier:
        token = self._peek()
        known = f"Known quantifiers: {known_list(self._quantifiers)}."
        if token.kind != _WORD:
            raise self._error(
                token, f"expected a quantifier after {axis!r}, found {token.describe()}. {known}"
            )
        quantifier = _look_up_name(token.text, self._quantifiers)
        if quantifier is None:
            raise self._error(
                token,
                f"unknown quantifier {token.text!r}.{did_you_mean(token.text, self._quantifiers)} {known}",
            )
        self._advance()
        return quantifier

    def _read_arguments(self, quantifier: Quantifier) -> tuple[float, ...]:
        opening = self._peek()
        usage = f"{quantifier.name}({', '.join(quantifier.parameters)})"
        if opening.kind != "(":
            if quantifier.parameters:
                raise self._error(
                    self._tokens[self._index - 1],
                    f"quantifier {quantifier.name!r} takes {_count(quantifier.parameters, 'argument')}; "
                    f"write it as {usage}, for example 'row {quantifier.name}"
                    f"({', '.join('1' for _ in quantifier.parameters)}) >= 1.2'.",
                )
            return ()
        if not quantifier.parameters:
            raise self._error(
                opening,
                f"quantifier {quantifier.name!r} takes no arguments. Write it bare, as in "
                f"'row {quantifier.name} >= 1.2'.",
            )
        self._advance()
        arguments = []
        if self._peek().kind != ")":
            arguments.append(self._read_number(f"an argument of {quantifier.name!r}"))
            while self._peek().kind == ",":
                self._advance()
                arguments.append(self._read_number(f"an argument of {quantifier.name!r}"))
        closing = self._peek()
        if closing.kind == _END:
            raise self._error(opening, f"this '(' is never closed. Write the arguments as {usage}.")
        if closing.kind != ")":
            raise self._error(
                closing,
                f"expected ',' or ')' in the arguments of {quantifier.name!r}, found "
                f"{closing.describe()}. Write them as {usage}.",
            )
        self._advance()
        if len(arguments) != len(quantifier.parameters):
            raise _syntax_error(
                self._text,
                opening.start,
                closing.end,
                f"quantifier {quantifier.name!r} takes {_count(quantifier.parameters, 'argument')}, "
                f"but {len(arguments)} {'was' if len(arguments) == 1 else 'were'} given. "
                f"Write it as {usage}.",
            )
        return tuple(arguments)

    def _read_operator(self, axis: str, quantifier: Quantifier) -> Operator:
        token = self._peek()
        known = f"Known operators: {known_list(self._operators)}."
        if token.kind != _OPERATOR:
            raise self._error(
                token,
                f"expected a comparison operator after '{axis} {quantifier.name}', found "
                f"{token.describe()}. {known}",
            )
        operator = self._operators.get(token.text)
        if operator is None:
            raise self._error(
                token,
                f"unknown operator {token.text!r}.{did_you_mean(token.text, self._operators)} {known}",
            )
        self._advance()
        return operator

    def _read_number(self, role: str) -> float:
        token = self._peek()
        if token.kind == _NUMBER or (token.kind == _WORD and token.text.casefold() in _NAMED_NUMBERS):
            self._advance()
            return float(token.text)
        raise self._error(token, f"expected a number as {role}, found {token.describe()}. {_NUMBER_EXAMPLE}")

    @contextmanager
    def _nested(self, token: _Token) -> Iterator[None]:
        """One level deeper (a group or a NOT starting at ``token``); raise past :data:`MAX_DEPTH`."""
        if self._depth >= MAX_DEPTH:
            raise self._error(
                token,
                f"parentheses and NOTs nest more than {MAX_DEPTH} deep here. Write the filter with less "
                "nesting: NOT NOT cancels out, and clauses joined by one kind of operator need no "
                "parentheses.",
            )
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    # -- token access

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _advance(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def _at_keyword(self, keyword: str) -> bool:
        token = self._peek()
        return token.kind == _WORD and token.text.casefold() == keyword

    def _error(self, token: _Token, problem: str) -> UsageError:
        return _syntax_error(self._text, token.start, token.end, problem)

    def _refuse_decimal_comma(self, comma: _Token) -> None:
        """Raise UsageError when the unexpected token ``comma`` is a ``,`` written between two digits,
        as in ``1,2``: a decimal comma, which filters do not read."""
        position = self._tokens.index(comma)
        if comma.kind != "," or position == 0:
            return
        before, after = self._tokens[position - 1], self._tokens[position + 1]
        if before.kind == after.kind == _NUMBER and before.end == comma.start and after.start == comma.end:
            written = self._text[before.start : after.end]
            raise _syntax_error(
                self._text, before.start, after.end,
                f"{written!r} is not a number: write the decimal point, as in "
                f"{written.replace(',', '.', 1)} (filters do not read decimal commas).",
            )


def _look_up_name(name: str, table: Mapping[str, Quantifier]) -> Quantifier | None:
    """The entry named ``name``, else the first (in sorted order) whose name matches ignoring case."""
    if name in table:
        return table[name]
    folded = name.casefold()
    matches = [known for known in sorted(table) if known.casefold() == folded]
    return table[matches[0]] if matches else None


def _count(names: Sequence[str], noun: str) -> str:
    plural = "" if len(names) == 1 else "s"
    return f"{len(names)} {noun}{plural} ({', '.join(names)})"
