"""Draw docs/images/architecture.png: the stages of a run, the hook called at each, and the built-in
plugins that do the work there, read from the plugin set itself (so the picture cannot fall behind the
code).

    python docs/make_architecture.py                     # writes docs/images/architecture.png
    python docs/make_architecture.py --out /tmp/arch.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
OUTPUT = REPOSITORY / "docs" / "images" / "architecture.png"

# (stage, hook, the name tables whose registered objects the stage uses)
STAGES = (
    ("prepare", None, ()),
    ("cells: read, annotate, subset, aggregate", "compute_cells",
     ("engines", "readers", "annotations", "aggregators")),
    ("pivot", "pivot_cells", ()),
    ("missing cells", "handle_missing_cells", ()),
    ("test: p and q per cell", "test_cells", ()),
    ("transform", "transform_matrix", ("transforms",)),
    ("filter", "filter_matrix", ("quantifiers", "operators")),
    ("order: sort or cluster", "order_matrix", ()),
    ("decorate: colour strips, highlights", "decorate_matrix", ()),
    ("render", None, ("renderers",)),
)
STAGE_COLOUR, HOOK_COLOUR, PLUGIN_COLOUR, FRONT_COLOUR = "#dbe9f6", "#2b6cb0", "#f3e6d3", "#e2efd9"


def builtin_names(plugins, table: str) -> str:
    """The names the built-in plugins registered in ``table``, e.g. ``pandas`` or ``mean, median``."""
    registry = plugins.registries()[table]
    return ", ".join(
        str(name) for name, entry in registry.entries() if plugins.is_builtin(entry.plugin)
    )


def draw(path: Path) -> None:
    """Draw the picture and save it as a PNG at ``path``."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from amiga_heatmap.plugins import PluginOptions, load_plugins

    plugins = load_plugins(PluginOptions(entry_points=False))
    figure = Figure(figsize=(11.5, 8.6))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 11.5)
    axes.set_ylim(-0.4, 10)
    axes.axis("off")

    def box(x, y, width, height, text, colour, **font):
        axes.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.02,rounding_size=0.08",
                                      facecolor=colour, edgecolor="#555555", linewidth=0.8))
        axes.text(x + width / 2, y + height / 2, text, ha="center", va="center", fontsize=9, **font)

    def arrow(start, end):
        axes.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, color="#555555",
                                       linewidth=0.8))

    axes.text(5, 9.75, "One run: Pipeline(spec, plugins).run(data)", ha="center", va="center", fontsize=12,
              weight="bold")
    box(0.2, 8.85, 2.2, 0.55, "command line\n(amiga-heatmap ...)", FRONT_COLOUR)
    box(2.7, 8.85, 2.2, 0.55, "Python\nheatmap(data, ...)", FRONT_COLOUR)
    box(1.2, 8.0, 2.7, 0.5, "HeatmapSpec (x, y: AxisSpec)", FRONT_COLOUR)
    arrow((1.3, 8.85), (2.2, 8.5))
    arrow((3.8, 8.85), (2.9, 8.5))
    axes.text(6.0, 9.2, "stage", fontsize=9, weight="bold", ha="center")
    axes.text(7.55, 9.2, "hook (through pluggy)", fontsize=9, weight="bold", ha="left", color=HOOK_COLOUR)
    axes.text(7.55, 8.95, "built-in plugins (trylast) and what they register", fontsize=8, ha="left",
              color="#7a5a2a")

    top, step, height = 8.15, 0.86, 0.52
    previous = (3.9, 8.25)
    for index, (stage_name, hook, tables) in enumerate(STAGES):
        y = top - index * step
        box(4.7, y, 2.6, height, stage_name, STAGE_COLOUR)
        arrow(previous, (4.7, y + height / 2) if index == 0 else (6.0, y + height))
        previous = (6.0, y)
        implementers = []
        if hook is not None:
            caller = getattr(plugins.manager.hook, hook)
            implementers = [item.plugin_name for item in caller.get_hookimpls()]
        heading = hook or ("(no hook)" if stage_name == "prepare" else "renderer.render")
        axes.text(7.55, y + height - 0.08, heading, fontsize=9, family="monospace", color=HOOK_COLOUR, va="top")
        details = [f"{table}: {builtin_names(plugins, table)}" for table in tables]
        if stage_name == "prepare":
            details = ["check and parse the spec before reading anything"]
        if stage_name == "render":
            details.insert(0, "HeatmapResult.save() / figure()")
        pairs = ["; ".join(details[start:start + 2]) for start in range(0, len(details), 2)]
        lines = ([", ".join(implementers)] if implementers else []) + pairs
        axes.text(7.55, y + height - 0.3, "\n".join(lines), fontsize=7.5, color="#7a5a2a", va="top")
    axes.text(0.25, 3.0, "Every stage hook is firstresult:\na plugin may go first, return None\n"
              "to decline, or wrap the stage\n(@hookimpl(wrapper=True)).\n\nRegistration hooks\n"
              "(register_readers, ...) fill the\nname tables once, as plugins load.", fontsize=8.5,
              va="bottom", color="#333333")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, metadata={"Software": None})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where to write the PNG")
    draw(parser.parse_args().out)


if __name__ == "__main__":
    main()
