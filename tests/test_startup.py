"""``--help`` and importing the package stay light: no pandas, matplotlib or seaborn."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "seaborn", "numpy", "scipy")


def modules_loaded_by(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    return set(done.stdout.split())


def test_help_imports_nothing_heavy() -> None:
    loaded = modules_loaded_by(
        "from amiga_heatmap.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "click" in loaded
    assert not {name for name in loaded if name.split(".")[0] in HEAVY}


def test_loading_plugins_imports_nothing_heavy() -> None:
    loaded = modules_loaded_by("from amiga_heatmap.plugins import get_plugins\nget_plugins()")
    assert "amiga_heatmap.builtin.seaborn_renderer" in loaded
    assert not {name for name in loaded if name.split(".")[0] in HEAVY}


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "amiga_heatmap", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "--x-variable" in done.stdout
