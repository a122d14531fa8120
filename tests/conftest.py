"""Shared fixtures: the real example data, copied per test, a command-line runner, and the name tables a
filter is parsed with.

Entry-point plugins installed on the machine and plugins folders named in the environment are switched
off for the whole suite, so they can never change a test's result; tests that need a plugin register it
with the ``amiga_heatmap_plugin`` fixture (amiga_heatmap/testing.py).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from amiga_heatmap.builtin import filters
from amiga_heatmap.components import Operator, Quantifier

from .input_guard import input_paths, inputs_unchanged

os.environ["AMIGA_HEATMAP_PLUGINS"] = ""
os.environ.pop("AMIGA_HEATMAP_PLUGINS_DIR", None)
# the parsed-input cache of the suite's runs goes to a folder of its own, never the user's
os.environ["AMIGA_HEATMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="amiga-heatmap-test-cache-")
atexit.register(shutil.rmtree, os.environ["AMIGA_HEATMAP_CACHE_DIR"], True)
os.environ.pop("AMIGA_HEATMAP_CACHE_SIZE", None)

# The runs the tests start and then signal get the signals' default actions, as from a terminal, also
# when the suite itself was started with some ignored (a background job ignores SIGINT and SIGQUIT,
# nohup SIGHUP): an ignored signal stays ignored in every child, and the tests of what a signal does
# would wait for a run that never stops.
for _number in (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM):
    if signal.getsignal(_number) == signal.SIG_IGN:
        signal.signal(_number, signal.default_int_handler if _number == signal.SIGINT else signal.SIG_DFL)

# The amiga_heatmap_plugin fixture; installed copies of amiga-heatmap also provide it as a pytest11
# entry point of the same name, which pytest then does not load twice.
pytest_plugins = ["amiga_heatmap.testing"]

REPOSITORY = Path(__file__).resolve().parent.parent


def natural_key(label):
    """The sort key of amiga-heatmap's natural label order (see :func:`natural`), for ``sorted``."""
    from natsort import natsort_keygen, ns

    return natsort_keygen(alg=ns.INT | ns.IGNORECASE)(label)


def natural(table):
    """``table`` (DataFrame or Series) with its row labels, and a DataFrame's column labels, in natural
    order: case-insensitive, numbers inside labels in numeric order, as amiga-heatmap sorts labels
    (docs/differences-from-amiga.md). The key is natsort's, so expected matrices built with pandas'
    groupby (character-code order) compare in the pipeline's order."""
    from natsort import index_natsorted, ns

    table = table.iloc[index_natsorted(table.index, alg=ns.INT | ns.IGNORECASE)]
    if hasattr(table, "columns"):
        table = table.iloc[:, index_natsorted(table.columns, alg=ns.INT | ns.IGNORECASE)]
    return table
EXAMPLES = REPOSITORY / "examples" / "randomii"
REFERENCE = Path(__file__).resolve().parent / "data" / "amiga-reference"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of examples/randomii (merged files and per-plate folder)."""
    target = tmp_path / "randomii"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("*.pdf", "*.png", "*.svg", "README.md"))
    return target


@pytest.fixture
def normalized(data_dir: Path) -> Path:
    """The merged, normalised summary file (1,536 wells with norm(...) columns)."""
    return data_dir / "ER_all_summary_normalized.txt"


@pytest.fixture
def summary(data_dir: Path) -> Path:
    """The merged summary file without normalisation."""
    return data_dir / "ER_all_summary.txt"


@pytest.fixture
def run_cli():
    """Run ``amiga-heatmap ARGS`` in-process; returns click's Result (exit_code, stdout, stderr).

    Every run is checked to leave its input files (and examples/) byte for byte as they were."""
    from click.testing import CliRunner

    from amiga_heatmap.cli import main

    def run(*args: str):
        with inputs_unchanged([*input_paths(args), REPOSITORY / "examples"]):
            return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return run


@pytest.fixture(scope="session", autouse=True)
def examples_never_change():
    """The repository's example data is the same after the whole suite as before it."""
    with inputs_unchanged([REPOSITORY / "examples"]):
        yield

def table_from_hook(hook, key):
    """Call a registration hook the way the core does and collect what it registers, keyed by ``key``."""
    table = {}

    def register(component, override=False):
        table[key(component)] = component

    hook(register=register)
    return table


def _at_least(values, compare, axis, count):
    return np.count_nonzero(compare(values), axis=axis) >= count


def _within(values, compare, axis, low, high):
    hits = np.count_nonzero(compare(values), axis=axis)
    return (hits >= low) & (hits <= high)


AT_LEAST = Quantifier("atleast", _at_least, "at least COUNT cells satisfy the comparison", ("count",))
WITHIN = Quantifier("within", _within, "between LOW and HIGH cells satisfy the comparison", ("low", "high"))


@pytest.fixture(scope="session")
def builtin_quantifiers():
    return table_from_hook(filters.register_quantifiers, lambda quantifier: quantifier.name)


@pytest.fixture(scope="session")
def builtin_operators():
    return table_from_hook(filters.register_operators, lambda operator: operator.symbol)


@pytest.fixture(scope="session")
def quantifiers(builtin_quantifiers):
    """The built-in quantifiers plus two parameterised test-only ones: atleast(count), within(low, high)."""
    return {**builtin_quantifiers, "atleast": AT_LEAST, "within": WITHIN}


@pytest.fixture(scope="session")
def operators(builtin_operators):
    """The built-in operators plus a test-only '!=' (NaN never satisfies it)."""
    not_equal = Operator("!=", lambda values, threshold: (values != threshold) & ~np.isnan(values))
    return {**builtin_operators, "!=": not_equal}


def writing_in_renderer(folder: Path, content: bytes) -> bool:
    """Whether a slow test renderer has written ``content`` (all it writes) into its temporary file in
    ``folder``. Other temporary files come and go just before it (the check that the output folder
    takes a file), so a ``.part`` alone does not say the run is waiting in the renderer."""
    for path in folder.glob("*.part"):
        try:
            if path.read_bytes() == content:
                return True
        except OSError:  # removed meanwhile
            continue
    return False


HUNG_AFTER = 600
"""Seconds after which :func:`wait_during_run` takes a run for hung. A guard, not a measure: no test
here asserts how fast anything is, and a busy machine only makes the wait longer."""


def wait_during_run(process: subprocess.Popen, condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until it holds while ``process`` runs. When the process ends first (or hangs
    past :data:`HUNG_AFTER`), kill it and fail the test, saying ``what`` was awaited and what the process
    wrote to its standard error (when piped)."""
    import pytest

    hung_at = time.monotonic() + HUNG_AFTER
    while not condition():
        if process.poll() is not None or time.monotonic() > hung_at:
            process.kill()
            _, stderr = process.communicate()
            pytest.fail(f"{what} never happened (exit status {process.returncode}): {stderr}")
        time.sleep(0.02)
