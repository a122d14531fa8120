"""``--help``, importing the package and listing plugins stay light: no pandas, matplotlib, seaborn or
duckdb."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPOSITORY

HEAVY = ("pandas", "matplotlib", "seaborn", "numpy", "scipy", "pyarrow", "plotly", "duckdb")
MARKER = "MODULES LOADED:"


def modules_loaded_by(code: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``code`` (whatever it prints)."""
    script = f"import sys\n{code}\nprint({MARKER!r}, ' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                          cwd=REPOSITORY)
    line = next(line for line in done.stdout.splitlines() if line.startswith(MARKER))
    return set(line[len(MARKER):].split())


def heavy(modules: set[str]) -> set[str]:
    return {name for name in modules if name.split(".")[0] in HEAVY}


def running_cli(*args: str) -> str:
    return f"from amiga_heatmap.cli import main\ntry:\n    main({list(args)!r})\nexcept SystemExit:\n    pass"


def test_help_imports_nothing_heavy() -> None:
    loaded = modules_loaded_by(running_cli("--help"))
    assert "click" in loaded
    assert not heavy(loaded)


def test_loading_plugins_imports_nothing_heavy() -> None:
    loaded = modules_loaded_by("from amiga_heatmap.plugins import get_plugins\nget_plugins()")
    assert "amiga_heatmap.builtin.seaborn_renderer" in loaded
    assert not heavy(loaded)


def test_listing_plugins_imports_nothing_heavy() -> None:
    loaded = modules_loaded_by(running_cli("plugins"))
    assert "amiga_heatmap.plugin_system.listing" in loaded
    assert not heavy(loaded)
    loaded = modules_loaded_by(running_cli("plugins", "--json", "--plugins-dir", "examples/lab_plugins"))
    assert "amiga_heatmap_folder_plugin_spread_filter" in loaded
    assert not heavy(loaded)


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "amiga_heatmap", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "--x-variable" in done.stdout
