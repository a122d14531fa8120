"""Options are declared once: the pipeline table covers exactly the spec's keywords, the command line's
options are generated from declarations, and renderers' older `options_accepted` still works."""

from __future__ import annotations

from dataclasses import fields

import click
import pytest

from amiga_heatmap.components import Option, Renderer
from amiga_heatmap.options.declaration import naming_flags, option_label
from amiga_heatmap.options.pipeline_options import AXIS_KEYWORDS, PIPELINE_OPTION, PIPELINE_OPTIONS
from amiga_heatmap.pipeline.spec import AxisSpec, HeatmapSpec


def test_the_table_declares_every_keyword_of_the_spec_and_nothing_else() -> None:
    spec_fields = {field.name for field in fields(HeatmapSpec)} - {"x", "y"}
    axis_fields = {field.name for field in fields(AxisSpec)} - {"column"}
    keywords = spec_fields | {AXIS_KEYWORDS[name].format(axis) for name in axis_fields for axis in "xy"} | {"x", "y"}
    spellings = {"keep_rows_missing_data", "keep_columns_missing_data"}  # the command line's `missing`
    assert set(PIPELINE_OPTION) - spellings == keywords


def test_one_declaration_gives_both_axes() -> None:
    sort_x, sort_y = PIPELINE_OPTION["sort_x"], PIPELINE_OPTION["sort_y"]
    assert (sort_x.flags, sort_y.flags) == (("--sort-x-by",), ("--sort-y-by",))
    assert (sort_x.axis_field, sort_y.axis_field) == ("sort_by", "sort_by")
    assert sort_y.help == "order the rows by this metadata column"
    assert PIPELINE_OPTION["cluster_y"].kwargs_alias == "row_cluster"
    assert PIPELINE_OPTION["cluster_x"].kwargs_alias == "col_cluster"
    spec = HeatmapSpec.build("gr", "Isolate", "Substrate", sort_y="PM", color_x_by="Strain")
    assert spec.y.sort_by == "PM" and spec.x.color_by == "Strain"
    assert spec.value_of("sort_y") == "PM" and spec.value_of("cluster_method") == "average"


def test_every_option_of_the_heatmap_command_comes_from_a_declaration() -> None:
    from amiga_heatmap.cli.commands import COMMAND_LINE_OPTIONS, heatmap
    from amiga_heatmap.options.click_options import DeclaredOption

    with click.Context(heatmap) as context:
        parameters = heatmap.get_params(context)
    declared = [parameter for parameter in parameters if isinstance(parameter, DeclaredOption)]
    flags = {flag for parameter in declared for flag in parameter.opts}
    for option in (*COMMAND_LINE_OPTIONS, *PIPELINE_OPTIONS):
        assert set(option.flags) <= flags, option.name
    others = [parameter.name for parameter in parameters if not isinstance(parameter, DeclaredOption)]
    assert others[:-1] == ["plugins_dirs", "disabled_plugins", "strict_plugins", "verbose"]
    assert "--help" in parameters[-1].opts
    x_variable = next(parameter for parameter in declared if parameter.name == "x")
    assert x_variable.opts == ["-x", "--x-variable", "--x_variable"]  # AMiGA's spelling too


def test_labels_say_flags_on_the_command_line_and_keywords_in_python() -> None:
    sort_y = PIPELINE_OPTION["sort_y"]
    rotation = Option("x_rotation", "angle", flags=("--x-rotation",), reads="renderer seaborn")
    cmap = Option("cmap", "colour map", reads="renderer seaborn")
    assert [option_label(sort_y), option_label(rotation), option_label(cmap)] == ["sort_y", "x_rotation", "cmap"]
    with naming_flags():
        assert option_label(sort_y) == "--sort-y-by"
        assert option_label(PIPELINE_OPTION["value"]) == "-v/--value"
        assert option_label(rotation) == "--x-rotation (x_rotation)"
        assert option_label(cmap) == "the option 'cmap' in --kwargs"


def write(result, path, file_format, options) -> None:
    open(path, "w").close()


def test_options_accepted_still_works_and_becomes_declarations() -> None:
    renderer = Renderer("json", ("json",), write, options_accepted={"indent": "spaces to indent with"})
    assert renderer.options == (Option("indent", "spaces to indent with", reads="renderer json"),)
    assert renderer.options_accepted == {"indent": "spaces to indent with"}
    declared = Renderer("md", ("md",), write, options=(Option("digits", "decimals"),), capabilities={"highlights"})
    assert declared.options_accepted == {"digits": "decimals"} and declared.capabilities == {"highlights"}
    assert declared.option("digits").reads == "renderer md" and declared.option("nope") is None


def test_renderer_declaration_mistakes_are_refused() -> None:
    with pytest.raises(TypeError, match="give options or options_accepted, not both"):
        Renderer("md", ("md",), write, options=(Option("a", "b"),), options_accepted={"a": "b"})
    with pytest.raises(ValueError, match="unknown capabilities colour_stripes"):
        Renderer("md", ("md",), write, capabilities={"colour_stripes"})
