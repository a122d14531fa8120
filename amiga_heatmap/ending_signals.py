"""The signals that end a run, turned into exceptions so that clean-up code runs.

By default SIGTERM (``kill``, job schedulers, time-outs), SIGHUP (a closed terminal or ssh session),
SIGQUIT (Ctrl-\\) and the alarms and limits below end a process on the spot, leaving a half-written
temporary file behind. :func:`install` (called by the command line only) makes each of them raise
:class:`SignalExit` instead (SIGINT raises :class:`SignalInterrupt`, a KeyboardInterrupt), so that the
atomic writes of :mod:`amiga_heatmap.output.files` remove their temporary file; only SIGKILL, which no
process can catch, can still leave one. A signal the parent process ignores (``nohup`` ignores SIGHUP)
stays ignored.

:func:`deferred` holds these signals back for the few steps that must not be cut in two (creating a
temporary file and arranging its removal; putting the finished file in place and recording it).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ENDING_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGXCPU")
    if hasattr(signal, name)
)
INTERRUPTED = "Interrupted. A file being written was removed; an older file of the same name is unchanged."

_installed: list[int] = []
_state: dict[str, Any] = {"depth": 0, "pending": None}


class SignalExit(SystemExit):
    """Raised by :func:`install`'s handler: the run was ended by ``signal_number``; the exit status is
    128 plus that number, as a shell reports a process killed by it."""

    def __init__(self, signal_number: int):
        super().__init__(128 + signal_number)
        self.signal_number = signal_number


class SignalInterrupt(KeyboardInterrupt):
    """Raised by :func:`install`'s handler for SIGINT (Ctrl-C)."""


def install() -> None:
    """Make every signal of :data:`ENDING_SIGNALS` that is not ignored raise, in the main thread, a
    :class:`SignalInterrupt` (SIGINT) or :class:`SignalExit`. After the first, further ones are ignored,
    so that a second Ctrl-C cannot cut the clean-up short."""
    for number in ENDING_SIGNALS:
        if signal.getsignal(number) in (signal.SIG_IGN, None):
            continue
        signal.signal(number, _end_run)
        _installed.append(number)


def from_signal(error: BaseException) -> bool:
    """Whether ``error`` ends the run because of a signal, rather than being raised by code (a plugin
    calling ``sys.exit()`` or raising KeyboardInterrupt itself). Without :func:`install` (the Python
    API), a KeyboardInterrupt cannot be told from a real Ctrl-C, so it counts as one."""
    if isinstance(error, (SignalExit, SignalInterrupt)):
        return True
    return isinstance(error, KeyboardInterrupt) and signal.SIGINT not in _installed


@contextmanager
def deferred() -> Iterator[None]:
    """Hold the ending signals back inside the block: one that comes meanwhile takes effect (raises)
    when the outermost block ends (in place of any exception the block raised). Blocks may nest."""
    _state["depth"] += 1
    try:
        yield
    finally:
        _state["depth"] -= 1
        if _state["pending"] is not None and not _state["depth"]:
            pending, _state["pending"] = _state["pending"], None
            _raise_for(pending)


def _end_run(signal_number: int, frame: Any) -> None:
    for number in _installed:
        signal.signal(number, signal.SIG_IGN)
    if _state["depth"]:
        _state["pending"] = signal_number
        return
    _raise_for(signal_number)


def _raise_for(signal_number: int) -> None:
    if signal_number == signal.SIGINT:
        raise SignalInterrupt
    try:
        sys.stderr.write(f"{INTERRUPTED}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # the terminal is gone (SIGHUP): end all the same
        pass
    raise SignalExit(signal_number)
