"""The built-in ``biolog`` annotation: what each well of the Biolog Phenotype MicroArray plates PM01-PM25
holds, joined to AMiGA summaries on their ``PM`` and ``Well`` columns.

The plate map is DuctApe's (``data/biolog-plate-map.tsv``, BSD 2-clause, copyright (c) 2012 Marco
Galardini; the licence is ``data/LICENSE-DuctApe.txt``; docs/biolog.md). It joins on plate and well,
never on the substrate's name, whose spelling differs between AMiGA and the map. AMiGA writes the
plate as ``1`` and the well as ``A1``; the map's ``PM01`` and ``A01`` are rewritten that way.

The added columns: ``biolog_class`` (the map's ``moa``, e.g. ``C-Source, carbohydrate``),
``biolog_category`` (``carbon``, ``nitrogen``, ..., ``chemicals``), ``biolog_chemical``, ``biolog_cas``
(the CAS number without its ``CAS`` prefix), ``biolog_kegg`` (KEGG compound id) and
``biolog_concentration`` (1-4 on the chemical plates PM11-PM25, 0 elsewhere).

Classes and categories have fixed colours (:func:`class_colors`), so carbohydrates are the same colour
in every figure.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ..plugin_system.components import Annotation
from ..plugin_system.hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

PLATE_MAP_FILE = "biolog-plate-map.tsv"
KEYS = ("PM", "Well")
ADDED = {
    "moa": "biolog_class",
    "category": "biolog_category",
    "chemical": "biolog_chemical",
    "cas_id": "biolog_cas",
    "co_id": "biolog_kegg",
    "concentration": "biolog_concentration",
}
"""The plate map's columns and the names they are added under."""

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#5254a3", "#8ca252", "#bd9e39", "#ad494a",
    "#a55194", "#6b6ecf", "#b5cf6b", "#e7ba52", "#d6616b", "#ce6dbd", "#9c9ede", "#cedb9c", "#e7cb94",
    "#e7969c", "#de9ed6",
)
"""The colours classes are given, strong ones first: matplotlib's tab10, tab20's pale half, tab20b, all
without their greys (grey is for labels without a value)."""

NUTRIENT_PLATES = tuple(f"PM{number:02d}" for number in range(1, 9))


def plate_map_path():
    """The packaged plate map (a :class:`importlib.resources` traversable)."""
    return resources.files("amiga_heatmap.builtin") / "data" / PLATE_MAP_FILE


@cache
def plate_map() -> pd.DataFrame:
    """The plate map as a lookup table: ``PM`` (``"1"`` ... ``"25"``) and ``Well`` (``"A1"`` ...
    ``"H12"``), as AMiGA writes them, then the ``biolog_*`` columns. Read once per process; callers
    never modify it."""
    import pandas as pd

    with plate_map_path().open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, sep="\t", skiprows=5, dtype=str)
    table = table.rename(columns={"#plate_id": "plate_id"})
    lookup = pd.DataFrame({
        "PM": table["plate_id"].str.removeprefix("PM").str.lstrip("0"),
        "Well": table["well_id"].str[0] + table["well_id"].str[1:].str.lstrip("0"),
        "plate": table["plate_id"],
    })
    for source, name in ADDED.items():
        lookup[name] = table[source].str.strip()
    lookup["biolog_cas"] = lookup["biolog_cas"].str.removeprefix("CAS ")
    lookup["biolog_concentration"] = pd.to_numeric(lookup["biolog_concentration"]).astype("int64")
    return lookup


@cache
def class_colors(column: str) -> dict[str, str]:
    """The fixed colour of every value of ``column`` (``biolog_class`` or ``biolog_category``) in the
    plate map, the same in every figure.

    Values are taken in sorted order and each gets the first colour of :data:`PALETTE` that no value
    already coloured shares a group with, so values drawn together differ: for classes the groups are
    the nutrient plates PM01-PM08 together and each other plate alone; the categories are one group.
    (Beyond the palette's length colours would repeat; the packaged map needs 36 for its 203 classes.)
    It depends only on the packaged map."""
    table = plate_map()
    if column == "biolog_class":
        groups = table["plate"].where(~table["plate"].isin(NUTRIENT_PLATES), "nutrients")
    else:
        groups = "all"
    groups_of = table.assign(group=groups).dropna(subset=[column]).groupby(column)["group"].agg(frozenset)
    colors: dict[str, str] = {}
    used: dict[str, set[int]] = {}
    for value in sorted(groups_of.index):
        taken = set().union(*(used.get(group, set()) for group in groups_of[value]))
        index = min(set(range(len(taken) + 1)) - taken)
        colors[value] = PALETTE[index % len(PALETTE)]
        for group in groups_of[value]:
            used.setdefault(group, set()).add(index)
    return colors


def colors_of(column: str) -> dict[str, str] | None:
    """The fixed colours of ``column``'s values, for ``biolog_class`` and ``biolog_category``."""
    return class_colors(column) if column in ("biolog_class", "biolog_category") else None


def lookup_table() -> pd.DataFrame:
    """The plate map's keys and added columns (the table the annotation joins)."""
    return plate_map()[[*KEYS, *ADDED.values()]]


PLATE_MAP = Annotation(
    name="biolog",
    keys=KEYS,
    adds=tuple(ADDED.values()),
    table=lookup_table,
    description="Biolog PM01-PM25 plate map (DuctApe): class, category, chemical, CAS, KEGG, concentration",
    colors=colors_of,
)


@hookimpl
def register_annotations(register):
    """Register the ``biolog`` plate map."""
    register(PLATE_MAP)
