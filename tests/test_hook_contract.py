"""The hook contract, its documentation and its tests cannot drift apart: every hook in hookspecs.py has a
section in docs/plugins.md whose example is a working plugin, and a test in test_hooks.py (registration
hooks) or test_stage_hooks.py (stage hooks)."""

from __future__ import annotations

import inspect
import re
import types

import pytest

from amiga_heatmap import heatmap
from amiga_heatmap.plugin_system import hookspecs
from amiga_heatmap.plugin_system.loading import HOOK_TABLES
from amiga_heatmap.plugin_system.stage_calls import STAGE_HOOKS

from . import test_hooks, test_stage_hooks
from .conftest import REPOSITORY

GUIDE = (REPOSITORY / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOKS = sorted(
    name for name, function in vars(hookspecs).items()
    if inspect.isfunction(function) and hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
)


def section(hook: str) -> str:
    """The text of the guide's section on ``hook``, up to the next heading of the same or a higher level."""
    match = re.search(rf"^### `{hook}`\n(.*?)(?=^##)", GUIDE, flags=re.MULTILINE | re.DOTALL)
    assert match, f"docs/plugins.md has no section '### `{hook}`'"
    return match.group(1)


def test_the_hooks_are_the_registration_and_the_stage_hooks() -> None:
    assert sorted(HOOK_TABLES) == [
        "register_aggregators", "register_annotations", "register_engines", "register_operators", "register_quantifiers",
        "register_readers", "register_renderers", "register_transforms",
    ]
    assert STAGE_HOOKS == (
        "compute_cells", "pivot_cells", "handle_missing_cells", "test_cells", "transform_matrix",
        "filter_matrix", "order_matrix", "decorate_matrix",
    )
    assert HOOKS == sorted([*HOOK_TABLES, *STAGE_HOOKS])


def test_stage_hooks_are_firstresult_and_registration_hooks_are_not() -> None:
    for hook in HOOKS:
        options = getattr(getattr(hookspecs, hook), f"{hookspecs.PROJECT_NAME}_spec")
        assert options["firstresult"] is (hook in STAGE_HOOKS), hook


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_contract(hook: str) -> None:
    text = section(hook)
    assert "**Contract.**" in text and "```python" in text
    assert f"[`{hook}`](#{hook})" in GUIDE, "listed in the guide's table of contents"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook: str) -> None:
    module = test_stage_hooks if hook in STAGE_HOOKS else test_hooks
    tests = [name for name, function in vars(module).items()
             if inspect.isfunction(function) and name.startswith(f"test_{hook}_")]
    assert tests, f"{module.__name__} has no test_{hook}_... test"


def examples(hook: str) -> list[str]:
    """The plugin examples (Python blocks with a ``@hookimpl``) of the guide's section on ``hook``."""
    blocks = re.findall(r"```python\n(.*?)```", section(hook), flags=re.DOTALL)
    return [block for block in blocks if "@hookimpl" in block]


@pytest.mark.parametrize(("hook", "number"), [(hook, number) for hook in HOOKS for number in range(len(examples(hook)))])
def test_every_documented_example_is_a_working_plugin(hook: str, number: int, amiga_heatmap_plugin) -> None:
    code = examples(hook)[number]
    module = types.ModuleType(f"guide_example_{hook}_{number}")
    exec(compile(code, f"docs/plugins.md ({hook}, example {number + 1})", "exec"), module.__dict__)
    plugins = amiga_heatmap_plugin(module, name=f"guide-{hook}")
    assert plugins.problems == []
    if hook in STAGE_HOOKS:
        implemented = [item.plugin_name for item in getattr(plugins.manager.hook, hook).get_hookimpls()]
        assert f"guide-{hook}" in implemented
        result = heatmap(REPOSITORY / "examples" / "randomii" / "ER_all_summary_normalized.txt",
                         value="norm(auc_lin)", x="Strain", y="Substrate", operation="mean")
        assert result.matrix.size > 0
        return
    table = plugins.registries()[HOOK_TABLES[hook]]
    provided = [name for name, entry in table.entries() if entry.plugin == f"guide-{hook}"]
    assert provided, "the example registers something"
    if "Option(" in code:  # the renderer that declares its options: they are what it registered
        renderer = table.get(provided[0])
        assert [option.name for option in renderer.options] == ["digits"]
        assert renderer.options[0].flags == ("--md-digits",) and renderer.capabilities == {"highlights"}
        assert renderer.options_accepted == {"digits": "decimals written per cell, 0 to 12 (default 3)"}


def test_the_guide_has_a_renderer_declaring_its_options() -> None:
    assert any("Option(" in code and "capabilities=" in code for code in examples("register_renderers"))
