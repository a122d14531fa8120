"""Loading plugins: the test fixture, overrides, clashes, broken plugins, plugins folders, disabling."""

from __future__ import annotations

import shutil
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest

from amiga_heatmap import heatmap, hookimpl
from amiga_heatmap.components import Aggregator, Quantifier
from amiga_heatmap.errors import PluginError
from amiga_heatmap.plugins import PluginOptions, PluginWarning, get_plugins, load_plugins

from .conftest import REPOSITORY, natural

LAB_PLUGINS = REPOSITORY / "examples" / "lab_plugins"

pytest_plugins = ["pytester"]


def group_maximum(values, groups, n_groups):
    maxima = np.full(n_groups, np.nan)
    np.fmax.at(maxima, groups, values)
    return maxima


def group_minimum(values, groups, n_groups):
    minima = np.full(n_groups, np.nan)
    np.fmin.at(minima, groups, values)
    return minima


class Maximum:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("maximum", group_maximum, "largest replicate"))


class AnotherMaximum:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("maximum", group_minimum, "a different 'maximum'"))


class MeanIsMaximum:
    """Replaces the built-in 'mean' on purpose."""

    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("mean", group_maximum, "the largest replicate, as 'mean'"), override=True)


class TakesMeanByAccident:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("maximum", group_maximum, ""))
        register(Aggregator("mean", group_maximum, ""))


class RaisesWhileRegistering:
    @hookimpl
    def register_quantifiers(self, register):
        register(Quantifier("first", lambda values, compare, axis: compare(values)[:, 0], ""))

    @hookimpl
    def register_aggregators(self, register):
        raise RuntimeError("the plugin's own bug")


class RegistersTheWrongThing:
    @hookimpl
    def register_aggregators(self, register):
        register("geomean")


class MisspeltHook:
    @hookimpl
    def register_aggregator(self, register):
        register(Aggregator("maximum", group_maximum, ""))

    @hookimpl
    def register_quantifiers(self, register):
        register(Quantifier("first", lambda values, compare, axis: compare(values)[:, 0], ""))


class ForgotTheDecorator:
    def register_aggregators(self, register):
        register(Aggregator("maximum", group_maximum, ""))


def raises_in_a_run(values, groups, n_groups):
    raise ZeroDivisionError("division by zero in the plugin")


class FailsDuringARun:
    @hookimpl
    def register_aggregators(self, register):
        register(Aggregator("fragile", raises_in_a_run, ""))


def summary_matrix(path, how):
    rows = pd.read_csv(path, sep="\t")
    return natural(rows.groupby(["Substrate", "Isolate"])["gr"].agg(how).unstack("Isolate"))


# ------------------------------------------------------------------------------------ the fixture


def test_fixture_registers_for_one_test_only(pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
            from amiga_heatmap import hookimpl
            from amiga_heatmap.components import Aggregator
            from amiga_heatmap.plugins import get_plugins

            class Plugin:
                @hookimpl
                def register_aggregators(self, register):
                    register(Aggregator("largest", lambda groups: groups.max(), ""))

            def test_registers(amiga_heatmap_plugin):
                before = get_plugins()
                plugins = amiga_heatmap_plugin(Plugin(), name="mine")
                assert "largest" in plugins.aggregators and get_plugins() is plugins
                assert plugins.info["mine"].source == "registered in code"
                assert "largest" not in before.aggregators

            def test_is_gone_afterwards():
                assert "largest" not in get_plugins().aggregators
                assert "mine" not in get_plugins().info
            """
        )
    )
    outcome = pytester.runpytest_inprocess("-p", "amiga_heatmap.testing", "-p", "no:cacheprovider")
    outcome.assert_outcomes(passed=2)


def test_fixture_ignores_installed_and_folder_plugins(amiga_heatmap_plugin, monkeypatch) -> None:
    monkeypatch.delenv("AMIGA_HEATMAP_PLUGINS")  # as on a user's machine: every installed plugin wanted
    plugins = amiga_heatmap_plugin(Maximum())
    assert {info.source for info in plugins.info.values()} == {"built-in", "registered in code"}
    assert plugins.info["Maximum"].origin.startswith("<tests.test_plugin_loading.Maximum")


def test_plugin_registered_for_a_test_reaches_the_pipeline(amiga_heatmap_plugin, summary) -> None:
    amiga_heatmap_plugin(Maximum())
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="maximum")
    pd.testing.assert_frame_equal(result.matrix, summary_matrix(summary, "max"), rtol=0)


# ------------------------------------------------------------------------------- names and clashes


def test_override_of_a_builtin_is_used_and_shown(amiga_heatmap_plugin, summary, run_cli, caplog) -> None:
    with caplog.at_level("INFO", logger="amiga_heatmap"):
        plugins = amiga_heatmap_plugin(MeanIsMaximum())
    assert "plugin 'MeanIsMaximum' overrides the built-in aggregator 'mean' of 'builtin.aggregators'" in caplog.text
    overrides = list(plugins.aggregators.overrides())
    assert [(name, entry.plugin, entry.replaced.plugin) for name, entry in overrides] == [
        ("mean", "MeanIsMaximum", "builtin.aggregators")
    ]
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="mean")
    pd.testing.assert_frame_equal(result.matrix, summary_matrix(summary, "max"), rtol=0)
    listing = run_cli("plugins")
    assert "overrides the built-in aggregator 'mean' of builtin.aggregators" in listing.stdout
    assert "mean [overridden by MeanIsMaximum]" in listing.stdout


def test_taking_a_builtin_name_without_override_skips_the_plugin(amiga_heatmap_plugin) -> None:
    with pytest.warns(PluginWarning, match=r"'TakesMeanByAccident' registers the aggregator 'mean'.*override=True.*skipped"):
        plugins = amiga_heatmap_plugin(TakesMeanByAccident())
    assert plugins.aggregators.plugin_of("mean") == "builtin.aggregators"
    assert "maximum" not in plugins.aggregators, "nothing of a skipped plugin stays"
    assert "TakesMeanByAccident" not in plugins.info


def test_two_plugins_claiming_one_name_is_an_error_naming_both(amiga_heatmap_plugin, run_cli, summary) -> None:
    amiga_heatmap_plugin(Maximum())
    with pytest.raises(PluginError, match=r"Plugins 'AnotherMaximum' and 'Maximum' both register the aggregator 'maximum'|Plugins 'Maximum' and 'AnotherMaximum'"):
        amiga_heatmap_plugin(AnotherMaximum())
    run = run_cli("-i", summary, "-o", "x", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean")
    assert run.exit_code == 3 and "both register the aggregator 'maximum'" in run.stderr
    listing = run_cli("plugins")
    assert listing.exit_code == 3
    assert "Conflicts:" in listing.stdout and "AnotherMaximum" in listing.stdout
    fixed = run_cli("-i", summary, "-o", "x", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                    "--format", "tsv", "--disable-plugin", "AnotherMaximum")
    assert fixed.exit_code == 0, fixed.stderr


def test_conflicts_are_ordered_the_same_whatever_the_registration_order() -> None:
    one = load_plugins(PluginOptions(entry_points=False, extra=(("a", Maximum()), ("b", AnotherMaximum()))),
                       allow_conflicts=True)
    two = load_plugins(PluginOptions(entry_points=False, extra=(("b", AnotherMaximum()), ("a", Maximum()))),
                       allow_conflicts=True)
    assert one.conflicts == two.conflicts == [
        ("Plugins 'a' and 'b' both register the aggregator 'maximum'. Uninstall or disable one of them "
         "(--disable-plugin NAME), or rename one of the aggregators.")
    ]
    assert one.aggregators.plugin_of("maximum") == two.aggregators.plugin_of("maximum") == "a"


def test_two_plugins_with_one_name_keep_the_first(amiga_heatmap_plugin) -> None:
    amiga_heatmap_plugin(Maximum(), name="tools")
    with pytest.warns(PluginWarning, match=r"Two plugins are named 'tools'.*second was skipped"):
        plugins = amiga_heatmap_plugin(MeanIsMaximum(), name="tools")
    assert plugins.aggregators.plugin_of("mean") == "builtin.aggregators"


# ---------------------------------------------------------------------------------- broken plugins


def test_plugin_raising_while_registering_is_skipped_and_named(amiga_heatmap_plugin, summary) -> None:
    with pytest.warns(PluginWarning, match=r"'RaisesWhileRegistering' failed in its register_aggregators hook: "
                                           r"RuntimeError: the plugin's own bug\. It was skipped"):
        plugins = amiga_heatmap_plugin(RaisesWhileRegistering())
    assert "first" not in plugins.quantifiers, "what it registered in another hook is gone too"
    assert "RaisesWhileRegistering" not in plugins.info
    result = heatmap(summary, value="gr", x="Isolate", y="Substrate", operation="median")
    assert result.matrix.shape == (191, 4), "the rest keeps working"


def test_registering_something_else_than_a_component_is_named(amiga_heatmap_plugin) -> None:
    with pytest.warns(PluginWarning, match=r"registered 'geomean' as a aggregator.*Aggregator\(\.\.\.\)"):
        amiga_heatmap_plugin(RegistersTheWrongThing())


def test_misspelt_hook_is_reported_with_the_plugin_name(amiga_heatmap_plugin) -> None:
    with pytest.warns(PluginWarning, match=r"'MisspeltHook' implements 'register_aggregator', which is not an "
                                           r"amiga-heatmap hook.*Did you mean 'register_aggregators'"):
        plugins = amiga_heatmap_plugin(MisspeltHook())
    assert "first" in plugins.quantifiers, "its other hooks still work"


def test_hook_without_decorator_is_reported(amiga_heatmap_plugin) -> None:
    with pytest.warns(PluginWarning, match=r"'ForgotTheDecorator' defines register_aggregators without the "
                                           r"@hookimpl decorator"):
        amiga_heatmap_plugin(ForgotTheDecorator())


def test_strict_makes_problems_fatal_and_lists_them_all() -> None:
    options = PluginOptions(entry_points=False, strict=True,
                            extra=(("a", RaisesWhileRegistering()), ("b", MisspeltHook())))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # strict raises instead of warning
        with pytest.raises(PluginError, match=r"^2 plugin problems \(fatal with --strict-plugins\):.*'b'.*'a'"):
            load_plugins(options)


def test_plugin_raising_during_a_run_names_plugin_and_stage(amiga_heatmap_plugin, summary, run_cli) -> None:
    amiga_heatmap_plugin(FailsDuringARun())
    done = run_cli("-i", summary, "-o", "f", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "fragile")
    assert done.exit_code == 3
    assert ("Plugin 'FailsDuringARun' failed while aggregating with 'fragile': ZeroDivisionError: division by "
            "zero in the plugin") in done.stderr
    assert "Traceback" not in done.stderr



def quantifier_that_breaks(values, compare, axis):
    raise IndexError("the plugin indexed past the end")


class BrokenQuantifier:
    @hookimpl
    def register_quantifiers(self, register):
        register(Quantifier("brittle", quantifier_that_breaks, ""))


def test_quantifier_raising_while_filtering_names_plugin_and_clause(amiga_heatmap_plugin, summary, run_cli) -> None:
    amiga_heatmap_plugin(BrokenQuantifier())
    done = run_cli("-i", summary, "-o", "q", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean",
                   "-f", "row brittle > 1")
    assert done.exit_code == 3, done.stderr
    assert ("Plugin 'BrokenQuantifier' failed while filtering with the clause 'row brittle > 1.0': IndexError: "
            "the plugin indexed past the end") in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------------- plugins folders


def test_plugins_dir_loads_the_lab_example(run_cli, normalized) -> None:
    done = run_cli("--plugins-dir", LAB_PLUGINS, "-i", normalized, "-o", "differ", "-x", "Strain", "-y",
                   "Substrate", "-v", "norm(auc_lin)", "-p", "mean", "-f", "row spread >= 0.5", "--format", "tsv")
    assert done.exit_code == 0, done.stderr
    written = pd.read_csv(normalized.parent / "differ.tsv", sep="\t", index_col=0)
    means = pd.read_csv(normalized, sep="\t").groupby(["Substrate", "Strain"])["norm(auc_lin)"].mean()
    matrix = natural(means.unstack("Strain").dropna())
    expected = matrix[(matrix.max(axis=1) - matrix.min(axis=1)) >= 0.5]
    assert list(written.index) == list(expected.index) == ["D-Sorbitol", "L-Lactic Acid", "Sorbic Acid"]
    pd.testing.assert_frame_equal(written, expected, check_names=False, rtol=1e-15)


def test_without_the_folder_the_lab_quantifier_is_unknown(run_cli, normalized) -> None:
    done = run_cli("-i", normalized, "-o", "differ", "-x", "Strain", "-y", "Substrate", "-v", "norm(auc_lin)",
                   "-p", "mean", "-f", "row spread >= 0.5")
    assert done.exit_code == 2 and "unknown quantifier 'spread'" in done.stderr


def test_plugins_dir_variable_and_option_add_up(tmp_path, monkeypatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(LAB_PLUGINS / "spread_filter.py", first)
    (second / "maximum.py").write_text(textwrap.dedent(
        """
        from amiga_heatmap import hookimpl
        from amiga_heatmap.components import Aggregator

        def largest(groups):
            return groups.max()

        @hookimpl
        def register_aggregators(register):
            register(Aggregator("maximum", largest, "largest replicate"))
        """
    ))
    (second / "_helpers.py").write_text("raise RuntimeError('never imported')\n")
    monkeypatch.setenv("AMIGA_HEATMAP_PLUGINS_DIR", str(first))
    plugins = load_plugins(PluginOptions(entry_points=False, directories=(str(second),)))
    assert plugins.info["spread_filter"].source == "plugins folder"
    assert plugins.info["spread_filter"].version == "1.0"
    assert plugins.info["maximum"].origin == str(second / "maximum.py")
    assert "spread" in plugins.quantifiers and "maximum" in plugins.aggregators
    assert "_helpers" not in plugins.info


def test_broken_file_in_plugins_dir_warns_and_the_rest_works(run_cli, tmp_path, summary) -> None:
    folder = tmp_path / "lab"
    folder.mkdir()
    shutil.copy(LAB_PLUGINS / "spread_filter.py", folder)
    (folder / "broken.py").write_text("import numpy_typo_module\n")
    done = run_cli("--plugins-dir", folder, "-i", summary, "-o", "ok", "-x", "Isolate", "-y", "Substrate",
                   "-v", "gr", "-p", "mean", "-f", "row spread >= 0.1", "--format", "tsv")
    assert done.exit_code == 0, done.stderr
    assert ("Warning: Plugin 'broken' from the file " in done.stderr
            and "could not be imported: ModuleNotFoundError: No module named 'numpy_typo_module'" in done.stderr)
    assert "--disable-plugin broken" in done.stderr
    strict = run_cli("--plugins-dir", folder, "--strict-plugins", "-i", summary, "-o", "strict", "-x", "Isolate",
                     "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv")
    assert strict.exit_code == 3 and "fatal with --strict-plugins" in strict.stderr
    assert not (summary.parent / "strict.tsv").exists()
    quiet = run_cli("--plugins-dir", folder, "--disable-plugin", "broken", "--strict-plugins", "-i", summary,
                    "-o", "quiet", "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_missing_plugins_dir_is_a_usage_error(run_cli, tmp_path) -> None:
    done = run_cli("plugins", "--plugins-dir", tmp_path / "nowhere")
    assert done.exit_code == 2 and "--plugins-dir" in done.stderr


def test_missing_folder_in_the_variable_is_a_warning(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("AMIGA_HEATMAP_PLUGINS_DIR", str(tmp_path / "nowhere"))
    with pytest.warns(PluginWarning, match="does not exist or is not a folder"):
        plugins = load_plugins(PluginOptions(entry_points=False))
    assert "mean" in plugins.aggregators


# ------------------------------------------------------------------------------------- disabling


def test_disabling_a_builtin_removes_what_it_provides(run_cli, summary) -> None:
    done = run_cli("--disable-plugin", "builtin.table_renderer", "-i", summary, "-o", "t", "-x", "Isolate",
                   "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv")
    assert done.exit_code == 2 and "No renderer writes the format 'tsv'" in done.stderr
    listing = run_cli("plugins", "--disable-plugin", "builtin.table_renderer")
    assert "Disabled: builtin.table_renderer" in listing.stdout
    assert "table (tsv)" not in listing.stdout


def test_disabling_an_unknown_name_warns_with_the_closest(run_cli, summary) -> None:
    done = run_cli("--plugins-dir", LAB_PLUGINS, "--disable-plugin", "spread-filter", "-i", summary, "-o", "t",
                   "-x", "Isolate", "-y", "Substrate", "-v", "gr", "-p", "mean", "--format", "tsv")
    assert done.exit_code == 0
    assert "--disable-plugin spread-filter: no plugin has that name. Did you mean 'spread_filter'?" in done.stderr


def test_command_line_options_last_for_one_command(run_cli, summary) -> None:
    listing = run_cli("plugins", "--plugins-dir", LAB_PLUGINS, "--disable-plugin", "builtin.aggregators")
    # the command itself saw the folder's plugin and not the disabled one
    assert listing.exit_code == 0, listing.stderr
    assert "spread_filter 1.0 (plugins folder:" in listing.stdout and "quantifiers: spread" in listing.stdout
    assert "Disabled: builtin.aggregators" in listing.stdout
    assert "builtin.aggregators 0.1.0" not in listing.stdout
    # and the next caller gets the plugins of the environment again
    assert "spread" not in get_plugins().quantifiers
    assert "mean" in get_plugins().aggregators
