"""How long each stage of a run took: for ``--verbose`` and the benchmark (benchmarks/run.py).

Times are kept only while a caller has opened :func:`recording`; otherwise timing costs nothing worth
measuring. Straight-line code marks the end of each stage with :class:`Stopwatch` laps; a block of work
elsewhere (a renderer's clustering, a plugin's own step) is timed with ``with stage("cluster"): ...``.
Time spent in a ``stage`` block is counted there and not again in the lap or stage around it, so the
stages add up to the time they cover. A stage reached twice accumulates.

    >>> with recording() as times:
    ...     result = heatmap(...)
    ...     with stage("render"):
    ...         result.save("out.pdf")
    >>> times.summary()
    'import 0.38 s, read 0.41 s, subset 0.00 s, aggregate 0.03 s, pivot 0.01 s, filter 0.00 s, render 0.52 s'
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import perf_counter


class StageTimes:
    """Seconds spent in each stage, in the order the stages were first reached."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.recorded = 0.0  # the sum of ``seconds``, kept so that outer timers can leave it out

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` more for the stage ``name``."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.recorded += seconds

    def summary(self) -> str:
        """One line, e.g. ``read 0.41 s, aggregate 0.03 s`` (benchmarks/run.py parses it)."""
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.seconds.items())


_active: ContextVar[StageTimes | None] = ContextVar("amiga_heatmap_stage_times", default=None)


@contextmanager
def recording() -> Iterator[StageTimes]:
    """Record the stages run inside the ``with`` block into a new :class:`StageTimes`."""
    times = StageTimes()
    token = _active.set(times)
    try:
        yield times
    finally:
        _active.reset(token)


class Stopwatch:
    """Times consecutive stages of straight-line code: ``lap(name)`` ends the stage ``name``, which began
    at the previous lap (or when the stopwatch was made)."""

    def __init__(self) -> None:
        self._times = _active.get()
        self._start = perf_counter()
        self._recorded = self._times.recorded if self._times else 0.0

    def lap(self, name: str) -> None:
        """Record the time since the previous lap as the stage ``name``, less the nested stages'."""
        if self._times is None:
            return
        now = perf_counter()
        self._times.add(name, now - self._start - (self._times.recorded - self._recorded))
        self._start, self._recorded = now, self._times.recorded


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the ``with`` block (also when it raises) as the stage ``name`` of the current recording."""
    times = _active.get()
    if times is None:
        yield
        return
    start, recorded = perf_counter(), times.recorded
    try:
        yield
    finally:
        times.add(name, perf_counter() - start - (times.recorded - recorded))
