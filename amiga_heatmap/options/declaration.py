"""The declaration of one option: :class:`Option`, and the helpers every other part derives from it.

An option is known by its ``name``: the keyword of :func:`amiga_heatmap.heatmap` (``sort_y``), or the
key of a renderer option (``color_x_ratio``, given in ``--kwargs`` or to ``result.save``). Its ``flags``
are the command-line spellings, AMiGA's included (``--x_variable``). Messages name an option through
:func:`option_label`, which says ``--sort-y-by`` while the command line runs and ``sort_y`` in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

DEFAULT_SECTION = "Other options"  # the --help section of an option that names none
AXIS_WORDS = {"x": ("column", "columns", "col"), "y": ("row", "rows", "row")}

_on_command_line: ContextVar[bool] = ContextVar("amiga_heatmap_command_line", default=False)


@dataclass(frozen=True)
class Option:
    """One option, declared once.

    - ``name``: the keyword or renderer-option key, e.g. ``"color_x_ratio"``.
    - ``help``: one line saying what it does, lower case without a full stop; ``--help`` shows it as a
      sentence, ``amiga-heatmap plugins`` as the option's explanation.
    - ``flags``: its command-line spellings, e.g. ``("-x", "--x-variable", "--x_variable")``; empty: the
      option is given only in ``--kwargs`` or from Python.
    - ``default``: its value when not given (None: computed from the data, or off).
    - ``check``: ``check(label, value)`` returns the checked (converted) value or raises
      :class:`~amiga_heatmap.errors.UsageError` naming the option as ``label`` (what
      :func:`option_label` gives: ``--x-rotation (x_rotation)`` on the command line, ``x_rotation`` in
      Python); None: any value.
    - ``section``: the ``--help`` section of its flag; ``metavar``: the flag's placeholder.
    - ``value_type``: the flag's value type (``str``, ``int``, ``float``); ``choices``: the values it
      takes, if a fixed list; ``is_flag``: a switch without value; ``multiple``: repeatable;
      ``required``: the command line needs it; ``show_default``: ``--help`` shows the default.
    - ``sets``: for a flag taking several values, the option names they set, in order
      (``--width-height W H`` sets ``width`` and ``height``); ``flag_help``: the flag's ``--help`` text
      when it says more than ``help`` (default: ``help``).
    - ``reads``: which stage or renderer reads it, e.g. ``"order"`` or ``"renderer seaborn"``.
    - ``needs``: the renderer capability the option needs when given (``"colour_strips"``).
    - ``axis``, ``axis_field``: for one of an x/y pair (:func:`per_axis`), its axis and the
      :class:`~amiga_heatmap.pipeline.spec.AxisSpec` field it sets.
    - ``kwargs_alias``: AMiGA's ``--kwargs`` key for it, e.g. ``row_cluster`` for ``cluster_y``.
    """

    name: str
    help: str
    flags: tuple[str, ...] = ()
    default: Any = None
    check: Callable[[str, Any], Any] | None = None
    section: str = DEFAULT_SECTION
    metavar: str | None = None
    value_type: type | None = None
    choices: tuple[str, ...] = ()
    is_flag: bool = False
    multiple: bool = False
    required: bool = False
    show_default: bool = False
    sets: tuple[str, ...] = ()
    flag_help: str | None = None
    reads: str = ""
    needs: str | None = None
    axis: str | None = None
    axis_field: str | None = None
    kwargs_alias: str | None = None

    @property
    def flag(self) -> str | None:
        """The flag messages name: the short and the first long spelling (``-x/--x-variable``), or the
        long one alone (``--sort-y-by``); None without flags."""
        short = [flag for flag in self.flags if not flag.startswith("--")]
        long = [flag for flag in self.flags if flag.startswith("--")]
        return "/".join([*short[:1], *long[:1]]) or None

    @property
    def keys(self) -> tuple[str, ...]:
        """The option names its flag sets: ``sets``, or just ``name``."""
        return self.sets or (self.name,)

    def checked(self, value: Any, flag: str | None = None) -> Any:
        """``value`` checked by ``check`` (unchanged without one); ``flag``: the flag that gave it, if
        not the option's own (``--width-height`` for ``height``)."""
        return value if self.check is None else self.check(option_label(self, flag), value)


def per_axis(option: Option, axis_field: str) -> tuple[Option, Option]:
    """The x and y options of one declaration written with ``{axis}`` (``x``/``y``), ``{label}``
    (``column``/``row``), ``{labels}`` (``columns``/``rows``) and ``{short}`` (``col``/``row``) in its name, flags, help and
    ``kwargs_alias``; each sets ``axis_field`` of its axis's AxisSpec."""

    def of(axis: str) -> Option:
        label, labels, short = AXIS_WORDS[axis]
        words = {"axis": axis, "label": label, "labels": labels, "short": short}
        alias = None
        if option.kwargs_alias is not None:
            alias = option.kwargs_alias.format(**words)
        return replace(
            option,
            name=option.name.format(**words),
            flags=tuple(flag.format(**words) for flag in option.flags),
            help=option.help.format(**words),
            axis=axis,
            axis_field=axis_field,
            kwargs_alias=alias,
        )

    return of("x"), of("y")


def by_name(options: Iterable[Option]) -> dict[str, Option]:
    """``{option.name: option}``."""
    return {option.name: option for option in options}


def flag_of(options: Iterable[Option], name: str) -> str | None:
    """The flag that sets the option ``name`` among ``options`` (``--width-height`` for ``height``)."""
    for option in options:
        if name in option.keys and option.flag is not None:
            return option.flag
    return None


def option_label(option: Option, flag: str | None = None) -> str:
    """How a message names ``option``; the one place deciding between flags and keywords.

    In Python: its keyword or key (``sort_y``, ``x_rotation``). While the command line runs: a pipeline
    option's flag (``--sort-y-by``); a renderer option's flag with its key, since it may also come from
    ``--kwargs`` (``--x-rotation (x_rotation)``), or ``the option 'cmap' in --kwargs`` without a flag.
    ``flag`` is the flag that set the option when it is not its own (``--width-height`` for ``height``).
    """
    if not _on_command_line.get():
        return option.name
    flag = flag or option.flag
    if option.reads.startswith("renderer "):
        return f"{flag} ({option.name})" if flag else f"the option {option.name!r} in --kwargs"
    return flag or option.name


@contextmanager
def naming_flags() -> Iterator[None]:
    """Within the block, messages name options by their flags (the command line runs)."""
    token = _on_command_line.set(True)
    try:
        yield
    finally:
        _on_command_line.reset(token)


def sentence(text: str) -> str:
    """``help`` text as a sentence: first letter upper case, a full stop at the end."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."
