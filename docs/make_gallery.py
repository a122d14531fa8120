"""Regenerate docs/gallery.md and its pictures (docs/images/gallery/) from the example data.

    python docs/make_gallery.py                      # from anywhere; writes into docs/
    python docs/make_gallery.py --out /tmp/gallery   # gallery.md and images/gallery/ elsewhere

Every picture is drawn by running the command shown above it in the gallery (in-process, with
``--output-dir`` and ``--format png`` added), so the page shows exactly what the commands draw.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
IMAGES = "images/gallery"
WIDTH = 100  # characters per line of a command shown
NORMALIZED = "-i examples/randomii/ER_all_summary_normalized.txt"
SUMMARY = "-i examples/randomii/ER_all_summary.txt"
GROWERS = "-x Isolate -y Substrate -v 'norm(auc_lin)' -p mean -f 'row any >= 1.5'"
SOME_SUBSTRATES = (
    "'PM:1;Substrate:D-Fructose,D-Galactose,D-Mannitol,D-Sorbitol,D-Threonine,Fumaric Acid,Lactulose,"
    "Negative Control,Pyruvic Acid,Sucrose,Tween 20,m-Inositol'"
)


@dataclass(frozen=True)
class Entry:
    """One gallery picture: ``command`` (the arguments after ``amiga-heatmap``, in shell syntax; ``-o``
    names the picture), a title and a caption. ``pictures`` lists the output files shown (default: the
    figure); ``page`` shows that page (from 0) of a multi-page PDF instead; ``table`` shows the first lines
    of a text output."""

    title: str
    caption: str
    command: str
    pictures: tuple[str, ...] = ("{name}.png",)
    page: int | None = None
    table: str | None = None

    @property
    def arguments(self) -> list[str]:
        return shlex.split(self.command)

    @property
    def name(self) -> str:
        arguments = self.arguments
        return arguments[arguments.index("-o") + 1]


ENTRIES = (
    Entry("The README example",
          "Mean normalised area under the curve of two strains on the substrates where either grows more than "
          "20 % better than on the negative control. `norm(...)` values are ratios: a diverging log2 scale centred "
          "at 1, ticks written as ratios.",
          f"{NORMALIZED} -o basic -x Strain -y Substrate -v 'norm(auc_lin)' -p mean -f 'row any > 1.2' "
          "-t 'Normalized AUC'"),
    Entry("`--cluster-x`, `--cluster-y`, `--show-dendrogram`",
          "Rows and columns ordered by average-linkage clustering of euclidean distances, with the dendrograms.",
          f"{NORMALIZED} -o cluster {GROWERS} --cluster-x --cluster-y --show-dendrogram"),
    Entry("`--cluster-method`, `--cluster-metric`",
          "Complete linkage of correlation distances groups substrates by the shape of their profile across "
          "isolates, whatever its level.",
          f"{NORMALIZED} -o cluster-metric -x Isolate -y Substrate -v 'norm(gr)' -p median "
          "-f 'row any >= 1.3 OR row any <= 0.7' --cluster-y --cluster-method complete "
          "--cluster-metric correlation --show-dendrogram"),
    Entry("`--sort-x-by`, `--sort-y-by`",
          "Columns sorted by strain and rows by Biolog plate (each label must have one value of the column), "
          "shown by colour strips of the same columns.",
          f"{NORMALIZED} -o sort {GROWERS} --sort-x-by Strain --sort-y-by PM --color-x-by Strain --color-y-by PM"),
    Entry("`--color-x-by`, `--color-y-by`, `--color-scheme-x`, `--color-scheme-y`",
          "Colour strips along the columns (strain) and rows (plate), with their legends.",
          f"{NORMALIZED} -o colours {GROWERS} --color-x-by Strain --color-scheme-x 'USA_1995:#1b9e77;MEX_2020:#d95f02' "
          "--color-y-by PM --color-scheme-y '1:black;2:#bbbbbb'"),
    Entry("`--color-file-x`, `--missing-color`",
          "Colours from a tab-separated file ([gallery-strain-colours.txt](gallery-strain-colours.txt): a "
          "header, the value first, a `Color` column). It lists one strain only; the other gets "
          "`--missing-color` and the legend entry \"other\" (without `--missing-color`, a colour distinct "
          "from the given ones).",
          f"{NORMALIZED} -o colour-file {GROWERS} --color-x-by Strain "
          "--color-file-x docs/gallery-strain-colours.txt --missing-color lightgrey"),
    Entry("`--color-x-by` without colours",
          "Without a scheme or file, values get a categorical palette (AMiGA stops with an error here).",
          f"{SUMMARY} -o automatic-palette -x Isolate -y Substrate -v k_lin -p mean -s PM:2 -f 'row any > 0.8' "
          "--color-x-by Isolate --color-y-by Substrate"),
    Entry("`--color-x-ratio`, `--color-y-ratio`, `--colorbar-ratio`",
          "The colour strips take 5 % of the figure's height and width, the colour bar 6 % of its width.",
          f"{NORMALIZED} -o ratios {GROWERS} --color-x-by Strain --color-y-by PM --color-x-ratio 0.05 "
          "--color-y-ratio 0.05 --colorbar-ratio 0.06"),
    Entry("`--legend separate`",
          "Legends go to `NAME_x_legend.png` / `NAME_y_legend.png` (AMiGA's place) instead of the figure; "
          "`--legend both` (the default) does both. Shown: the figure and its x legend.",
          f"{NORMALIZED} -o legend-separate {GROWERS} --color-x-by Strain --legend separate",
          pictures=("{name}.png", "{name}_x_legend.png")),
    Entry("`--keep-rows-missing-data --keep-columns-missing-data`",
          "Both flags keep every cell. Cells without a value are light grey; infinite cells (a ratio to a "
          "control that did not grow) are magenta under a hatch, with no outline; cells at 0 (here no death "
          "phase; 0 has no place on the log2 scale of a ratio) are black; the legend under the colour bar explains them.",
          f"{NORMALIZED} -o keep-missing -x Isolate -y Substrate -v 'norm(death_lin)' -p mean "
          f"-s {SOME_SUBSTRATES} --keep-rows-missing-data --keep-columns-missing-data"),
    Entry("`--keep-rows-missing-data`",
          "Keeps the rows with missing cells and drops the columns holding them instead: of these substrates, "
          "only ER2 has a value on every one. A one-column heatmap is sorted by value.",
          f"{NORMALIZED} -o keep-rows -x Isolate -y Substrate -v 'norm(death_lin)' -p mean "
          f"-s {SOME_SUBSTRATES} --keep-rows-missing-data"),
    Entry("`--width-height`",
          "A figure of exactly 6 x 4 inches; the heatmap takes what the labels, colour bar and legend leave.",
          f"{NORMALIZED} -o size {GROWERS} --width-height 6 4"),
    Entry("`--x-tick-labels-scale`, `--y-tick-labels-scale`, `--color-bar-labels-scale`",
          "Each label may take this share of its row or column (default 0.8); sizes are computed from the layout.",
          f"{NORMALIZED} -o label-scales {GROWERS} --x-tick-labels-scale 0.4 --y-tick-labels-scale 0.45 "
          "--color-bar-labels-scale 0.4"),
    Entry("`--x-rotation`",
          "Column labels at 45 degrees (default 90).",
          f"{NORMALIZED} -o rotation -x Substrate -y Isolate -v 'norm(auc_lin)' -p mean -f 'col any >= 2' "
          "--x-rotation 45"),
    Entry("`--x-title`, `--y-title`, `cbar_kws.label`",
          "The axis titles (default: the `-x` and `-y` column names; `''` for none) and the colour bar's own "
          "label (default: the value's name). The y title stands left of the rows, away from the colour bar; "
          "the isolate names fit across their columns, so they are horizontal.",
          f"{NORMALIZED} -o titles {GROWERS} --x-title 'E. randomii isolate' --y-title 'Carbon source' "
          "--kwargs 'cbar_kws.label:AUC relative to no carbon'"),
    Entry("`--highlight-labels`",
          "Labels in bold red. Labels holding `,` `:` or `;` can be quoted: `y:\"Tween 20, 1%\"`.",
          f"{NORMALIZED} -o highlight {GROWERS} --highlight-labels 'y:Sucrose,D-Sorbitol;x:ER3'"),
    Entry("Tall matrices: a page high",
          "191 substrates: the default figure is at most a page (11 in) high, so the rows are 0.05 in and only "
          "every 3rd label is drawn, at 7.5 pt (`--verbose` says so); highlighted labels are always drawn. "
          "`--rows-per-page` (below) labels every row.",
          f"{SUMMARY} -o thinning -x Isolate -y Substrate -v auc_lin -p mean "
          "--highlight-labels 'y:Negative Control'"),
    Entry("`--rows-per-page`",
          "All 191 substrates over five PDF pages of 40 rows, each under 10 in high, every row labelled, with "
          "one colour scale; the y title is centred on each page's rows. Shown: page 2.",
          f"{SUMMARY} -o pages -x Isolate -y Substrate -v auc_lin -p mean --rows-per-page 40",
          pictures=(), page=1),
    Entry("`--kwargs` (seaborn's options)",
          "The cells are drawn by `seaborn.heatmap`, which takes these keywords: a seaborn colour map, "
          "annotations with a number format and size, lines between cells, the colour bar's label "
          "(nested keywords are written with a dot).",
          f"{NORMALIZED} -o kwargs -x Strain -y Substrate -v 'norm(auc_lin)' -p mean -f 'row any > 2.5' "
          "--kwargs 'cmap:vlag;annot:true;fmt:.2f;annot_kws.size:7;linewidths:1;cbar_kws.label:Fold change'"),
    Entry("`--save-filtered-table`",
          "Writes the input rows behind the plotted cells, every column, to `NAME_filtered.txt` beside the figure "
          "(first lines and columns shown). Folder inputs never read it back.",
          f"{NORMALIZED} -o filtered-table {GROWERS} --save-filtered-table",
          pictures=(), table="{name}_filtered.txt"),
    Entry("Biolog classes: `--color-y-by biolog_class`",
          "The built-in Biolog plate map adds each well's class, chemical, CAS and KEGG ids (docs/biolog.md), "
          "joined on plate and well; classes have fixed colours, the same in every figure.",
          f"{NORMALIZED} -o biolog-classes {GROWERS} --color-y-by biolog_class --sort-y-by biolog_class"),
    Entry("Splits: `--split-y-by biolog_class`",
          "Every substrate of PM1 and PM2 in blocks by Biolog class (natural order of the classes), a gap and the "
          "class as title before each block, each block clustered on its own.",
          f"{NORMALIZED} -o biolog-split -x Isolate -y Substrate -v 'norm(auc_lin)' -p mean "
          "--split-y-by biolog_class --cluster-y --color-y-by biolog_class"),
    Entry("Several parameters: `-v` repeated",
          "Area, growth rate and lag time side by side in one row order, clustered on the three together (each "
          "scaled to mean 0 and standard deviation 1 first); each panel has its own colour scale.",
          f"{NORMALIZED} -o three-values -x Isolate -y Substrate -v 'norm(auc_lin)' -v 'norm(gr)' -v 'norm(lagC)' "
          "-p mean -f 'row any >= 1.5' --cluster-y"),
    Entry("`--annotate`",
          "A lab's own table ([gallery-phylogroups.tsv](gallery-phylogroups.tsv)) joined on the column it shares "
          "with the summary (`Isolate`), adding `phylogroup` and `source` to colour, sort or subset by.",
          f"{NORMALIZED} -o annotate {GROWERS} --annotate docs/gallery-phylogroups.tsv --color-x-by phylogroup "
          "--sort-x-by phylogroup"),
    Entry("`--color-scale` (auto: log2 for ratios)",
          "The substrates where an isolate grows 30 % faster or slower than on the negative control. Ratios "
          "are drawn on a log2 scale symmetric around 1: Capric Acid at 0.13 (a 7.5-fold drop, the strongest "
          "effect here) is as deep a blue as a 7.5-fold rise would be red, and the ticks read as ratios on "
          "both sides of 1.",
          f"{NORMALIZED} -o log2-ratios -x Isolate -y Substrate -v 'norm(gr)' -p median "
          "-f 'row any >= 1.3 OR row any <= 0.7'"),
    Entry("`--color-scale linear`",
          "The same cells on a linear scale centred at 1 (the look before `--color-scale`): the 7.5-fold drop "
          "is a medium blue beside a deep red 2.9-fold rise, since 0.13 is only 0.87 below 1.",
          f"{NORMALIZED} -o linear-ratios -x Isolate -y Substrate -v 'norm(gr)' -p median "
          "-f 'row any >= 1.3 OR row any <= 0.7' --color-scale linear"),
    Entry("`--bins`, `--bin-labels`",
          "Growth calls: one colour per bin of ratios, with a legend of the categories instead of a colour bar. "
          "A bin holds values from its lower edge up to, not including, its upper edge.",
          f"{NORMALIZED} -o bins -x Isolate -y Substrate -v 'norm(gr)' -p median "
          "-f 'row any >= 1.3 OR row any <= 0.7' --bins '0,0.5,0.8,1.25,2,inf' "
          "--bin-labels 'none,low,normal,high,very high'"),
    Entry("`--test`, `--mark`",
          "Each cell tested from its replicates (a one-sample t-test of log2 ratios against 1, "
          "[statistics](statistics.md)), rows and columns clustered: the stars follow their cells. With two "
          "replicates per cell no q-value of this data reaches 0.05 (the smallest is 0.105), so this figure "
          "marks p-values, which are not corrected for the 760 tests: `--mark q` is the one to draw "
          "conclusions from.",
          f"{NORMALIZED} -o marks -x Isolate -y Substrate -v 'norm(gr)' -p median "
          "-f 'row any >= 1.3 OR row any <= 0.7' --test --mark p --cluster-x --cluster-y"),
)  # fmt: skip


def run(arguments: list[str]) -> None:
    """Run ``amiga-heatmap ARGUMENTS`` in this process; raise if it fails."""
    from amiga_heatmap.cli import main

    try:
        main(arguments, standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            raise RuntimeError(f"amiga-heatmap {shlex.join(arguments)} exited with {stop.code}") from None


def render(entry: Entry, work: Path, images: Path) -> list[str]:
    """Make the pictures of ``entry`` in ``images``; return the markdown under its heading."""
    is_pdf = entry.page is not None
    run([*entry.arguments, "--output-dir", str(work), "--format", "pdf" if is_pdf else "png"])
    lines = [f"## {entry.title}", "", entry.caption, "", "```", command_text(entry), "```", ""]
    shown = [picture.format(name=entry.name) for picture in entry.pictures]
    if is_pdf:
        shown = [f"{entry.name}-page{entry.page + 1}.png"]
        page_picture(entry, work / shown[0])
    for picture in shown:
        shutil.copy(work / picture, images / picture)
        lines += [f"![{entry.name}]({IMAGES}/{picture})", ""]
    if entry.table:
        table = (work / entry.table.format(name=entry.name)).read_text().splitlines()
        lines += ["```", *("\t".join(line.split("\t")[:10]) for line in table[:4]), "...", "```", ""]
    return lines


def page_picture(entry: Entry, target: Path) -> None:
    """Draw page ``entry.page`` of the entry's multi-page figure as a PNG, as the PDF holds it."""
    import matplotlib

    from amiga_heatmap import heatmap
    from amiga_heatmap.builtin.figure.draw import figure_pages
    from amiga_heatmap.builtin.figure.options import read_options
    from amiga_heatmap.builtin.seaborn_renderer import SAVE_SETTINGS

    words = entry.arguments
    given = dict(zip(words[::2], words[1::2]))  # the paged entry is "-i FILE -o NAME -x COLUMN ..." pairs
    named = {"-i": "data", "-x": "x", "-y": "y", "-v": "value", "-p": "operation"}
    result = heatmap(**{named[flag]: value for flag, value in given.items() if flag in named})
    pages = list(figure_pages(result, read_options({"rows_per_page": int(given["--rows-per-page"])})))
    with matplotlib.rc_context(SAVE_SETTINGS):
        pages[entry.page].savefig(target, format="png", dpi=150)


def command_text(entry: Entry) -> str:
    """The command as a user types it, wrapped before an option when a line would pass WIDTH."""
    lines, current = [], "amiga-heatmap"
    for word in (shlex.quote(word) for word in entry.arguments):
        if word.startswith("-") and len(current) + 1 + len(word) > WIDTH:
            lines.append(current + " \\")
            current = "    " + word
        else:
            current += " " + word
    lines.append(current)
    return "\n".join(lines)


def gallery(out: Path) -> Path:
    """Render every entry into ``out/images/gallery`` and write ``out/gallery.md``; return its path."""
    images = out / IMAGES
    if images.exists():
        shutil.rmtree(images)
    images.mkdir(parents=True)
    markdown = [
        "# Gallery",
        "",
        (
            "Every option, drawn from the example data in `examples/randomii/` (AMiGA summaries of four "
            "*E. randomii* isolates on Biolog plates PM1 and PM2). Regenerate the pictures and this page with "
            "`python docs/make_gallery.py`; the [usage guide](usage.md) explains each option."
        ),
        "",
    ]
    with tempfile.TemporaryDirectory() as work:
        for entry in ENTRIES:
            markdown += render(entry, Path(work), images)
    target = out / "gallery.md"
    target.write_text("\n".join(markdown).rstrip("\n") + "\n")
    return target


def readme_picture(out: Path) -> Path:
    """Draw the picture of the README (``images/ER_norm_auc.png``) with the README's own first command,
    as PNG."""
    import shlex

    line = next(line for line in (REPOSITORY / "README.md").read_text().splitlines()
                if line.startswith("pip install . && amiga-heatmap "))
    arguments = shlex.split(line.split("&& amiga-heatmap ", 1)[1])
    with tempfile.TemporaryDirectory() as work:
        run([*arguments, "--output-dir", work, "--format", "png", "--no-provenance"])
        target = out / "images" / "ER_norm_auc.png"
        shutil.copy(Path(work) / "ER_norm_auc.png", target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(REPOSITORY / "docs"), help="folder for gallery.md and images/gallery/")
    arguments = parser.parse_args(argv)
    out = Path(arguments.out).resolve()
    os.chdir(REPOSITORY)  # the commands name the example data relative to the repository
    written = gallery(out)
    print(f"Wrote {written} and {len(list((out / IMAGES).iterdir()))} pictures, and {readme_picture(out)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
