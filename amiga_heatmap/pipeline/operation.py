"""``-p/--operation``: reading ``NAME`` or ``NAME(ARGUMENTS)`` into an aggregator and its arguments.

``-p mean`` names an aggregator that takes no arguments; ``-p trimmed(0.2)`` one that takes
(:attr:`~amiga_heatmap.plugin_system.components.Aggregator.parameters`), with one number per parameter,
separated by commas and written as in a filter (``0.2``, ``-1``, ``1e-3``, ``inf``, ``nan``). This is the
one place an operation is parsed: the command line and :func:`amiga_heatmap.heatmap` both come here,
and every mistake is a :class:`~amiga_heatmap.errors.UsageError` naming the option. Nothing heavy is
imported.
"""

from __future__ import annotations

import re

from ..errors import UsageError
from ..plugin_system.components import Aggregator
from ..plugin_system.registry import Registry

OPTION = "-p/--operation"

_WRITTEN = re.compile(r"\s*(?P<name>[^\s()]+)\s*(?:\((?P<arguments>[^()]*)\))?\s*")
_NUMBER = re.compile(
    r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)", re.IGNORECASE
)


def parse_operation(text: str, aggregators: Registry[Aggregator]) -> tuple[Aggregator, tuple[float, ...]]:
    """The aggregator ``text`` names in ``aggregators`` and the arguments written after it.

    A registered name is taken as written, even with characters the ``NAME(ARGUMENTS)`` syntax does not
    allow. Raises UsageError for text that is not ``NAME`` or ``NAME(ARGUMENTS)``, an unknown name (with
    the closest names), a wrong number of arguments, an argument that is not a number, and a ``q``
    outside 0..1 for an aggregator of the form ``quantile``.
    """
    if text in aggregators:
        written, arguments_text = text, None
    else:
        match = _WRITTEN.fullmatch(text)
        if match is None:
            raise UsageError(
                f"Cannot read {OPTION} {text!r}: write the name of an aggregator, followed by its arguments "
                "in parentheses if it takes any, e.g. -p mean or -p 'trimmed(0.2)'."
            )
        written, arguments_text = match.group("name"), match.group("arguments")
    aggregator = aggregators.get(written, option=OPTION)
    pieces = [] if arguments_text is None else [piece.strip() for piece in arguments_text.split(",")]
    if pieces == [""]:
        pieces = []
    if len(pieces) != len(aggregator.parameters):
        takes = _takes(aggregator.parameters)
        given = f"{len(pieces)} {'was' if len(pieces) == 1 else 'were'} given"
        raise UsageError(
            f"The aggregator {aggregator.name!r} (given to {OPTION}) takes {takes}, but {given}. "
            f"Write it as {aggregator.usage()}."
        )
    arguments = tuple(_number(piece, aggregator) for piece in pieces)
    if aggregator.form == "quantile" and not 0 <= arguments[0] <= 1:
        raise UsageError(
            f"The aggregator {aggregator.name!r} (given to {OPTION}) computes a quantile, so its argument q "
            f"must be between 0 and 1, not {arguments[0]!r}; e.g. {aggregator.name}(0.9) for the 90th percentile."
        )
    return aggregator, arguments


def operation_text(aggregator: Aggregator, arguments: tuple[float, ...]) -> str:
    """The operation written canonically, as recorded on the result: ``mean``, ``trimmed(0.2)``."""
    if not aggregator.parameters:
        return aggregator.name
    return f"{aggregator.name}({', '.join(repr(float(argument)) for argument in arguments)})"


def _number(piece: str, aggregator: Aggregator) -> float:
    if not _NUMBER.fullmatch(piece):
        raise UsageError(
            f"The argument {piece!r} of the aggregator {aggregator.name!r} (given to {OPTION}) is not a "
            f"number. Write it as {aggregator.usage()} with numbers like 0.2, -1, 1e-3, inf or nan."
        )
    return float(piece)


def _takes(parameters: tuple[str, ...]) -> str:
    if not parameters:
        return "no arguments"
    plural = "" if len(parameters) == 1 else "s"
    return f"{len(parameters)} argument{plural} ({', '.join(parameters)})"
