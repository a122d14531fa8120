"""Synthetic AMiGA summary tables for benchmarking amiga-heatmap.

The tables mimic AMiGA's ``*_summary_normalized.txt`` output: one row per
well, tab-separated, the same 49 columns in the same order, and ``norm(p)``
columns that are the ratio of parameter ``p`` to the negative-control well
(A1) of the same plate, so that well's ``norm`` values are exactly 1.0.

Layout contract, for ``n_isolates`` x ``n_substrates`` x ``n_replicates``:

* exactly ``n_isolates * n_substrates * n_replicates`` rows, ordered by
  isolate, then plate (PM), then replicate, then well;
* every isolate is tested on the same ``ceil(n_substrates / 96)`` PM plates
  filled in row-major order (A1, A2, ..., H12), the last one possibly
  partially; well A1 of each plate is the ``Negative Control`` (so the table
  has ``n_substrates - n_plates + 1`` distinct Substrate values);
* isolates ``ES1, ES2, ...`` belong to strains of ``ISOLATES_PER_STRAIN``
  consecutive isolates; Plate_ID is ``{Isolate}_PM{PM}-{Replicate}``.

Growth model: a substrate is either used by every strain, used by a random
subset of strains, or used by none. Wells without growth have
``norm(auc_lin)`` within a few percent of 1 (never above 1.09), so with the
benchmark's filter ``row any >= 1.2`` on Isolate x Substrate means roughly
20-30% of the substrates are kept at every size (small: 19 of 96,
medium: 49 of 189, large: 102 of 381 with seed 0). A few parameter cells are
blank (missing), as in real AMiGA output.

The output is a pure function of the sizes and the seed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

SIZES = {
    "small": (16, 96, 2),
    "medium": (200, 190, 2),
    "large": (2000, 384, 2),
    "huge": (2604, 960, 4),  # 9,999,360 wells, 10 PM plates, 4 replicates: about 3.5 GB of text
    "screen": (13021, 1920, 4),  # 100,001,280 wells, 20 PM plates (PM1-PM20), 4 replicates
}
FORMATS = {"small": "text", "medium": "text", "large": "text", "huge": "text", "screen": "parquet"}
"""The format each size is written in by default (``--format`` overrides it)."""
PARQUET_METADATA = {b"amiga-heatmap": b'{"decimal": "."}'}
"""What ``amiga-heatmap convert`` records in a Parquet file: the decimal mark of its numbers."""
DEFAULT_OUT = Path(__file__).parent / "data"
NAMES_FILE = Path(__file__).parent / "substrate_names.txt"

WELLS = tuple(f"{row}{column}" for row in "ABCDEFGH" for column in range(1, 13))
WELLS_PER_PLATE = len(WELLS)
ISOLATES_PER_STRAIN = 8
ISOLATES_PER_BLOCK = 40
ISOLATE_PREFIX = "ES"
CONTROL_NAME = "Negative Control"
SPECIES = "E_synthetica"
COUNTRIES = ("USA", "MEX", "BRA", "GBR", "FRA", "DEU", "KEN", "IND", "CHN", "JPN", "AUS", "ZAF")
HOURS = 16.5  # duration of the simulated growth curves
READ_INTERVAL = 1 / 6  # plate reader interval, hours

PARAMETERS = [
    "auc_lin", "auc_log", "k_lin", "k_log", "death_lin", "death_log", "gr", "dr",
    "td", "lagC", "lagP", "t_k", "t_gr", "t_dr",
]  # fmt: skip
COLUMNS = [
    "Sample_ID", "Well", "Plate_ID", "Species", "Strain", "Isolate", "PM",
    "Replicate", "Substrate", "Group", "Control", "Flag", "OD_Baseline",
    "OD_Min", "OD_Max", "OD_Emp_AUC", "Fold_Change", "OD_Offset",
    *PARAMETERS, "diauxie", "MSE", "K_Error > 20%",
    *(f"norm({p})" for p in PARAMETERS),
]  # fmt: skip
# Parameters sometimes left blank by the fit, and how often (non-control wells).
MISSING_RATE = {
    "auc_lin": 0.0005, "auc_log": 0.001, "gr": 0.002, "dr": 0.002, "td": 0.002, "lagC": 0.002,
}  # fmt: skip
# Decimal places kept in the file; the default keeps about six significant digits.
DECIMALS = {"MSE": 13, "death_lin": 9, "death_log": 9, "dr": 8}
DEFAULT_DECIMALS = 6


def substrate_names(count: int) -> list[str]:
    """Return ``count`` distinct carbon-source names.

    Real Biolog-style names first, then numbered variants (``"Glycine #2"``)
    once the list is exhausted.
    """
    base = NAMES_FILE.read_text(encoding="utf-8").split("\n")
    base = [name for name in base if name]
    return [
        base[i % len(base)] + ("" if i < len(base) else f" #{i // len(base) + 1}")
        for i in range(count)
    ]


def plate_layout(n_substrates: int) -> pd.DataFrame:
    """Return the wells tested per isolate and replicate.

    One row per well, in file order, with columns PM, Well, Substrate and
    Control (1 for the negative control in A1 of each plate, else 0).
    """
    position = np.arange(n_substrates)
    pm = position // WELLS_PER_PLATE + 1
    in_plate = position % WELLS_PER_PLATE
    control = in_plate == 0
    names = np.empty(n_substrates, dtype=object)
    names[control] = CONTROL_NAME
    names[~control] = substrate_names(int((~control).sum()))
    return pd.DataFrame(
        {
            "PM": pm,
            "Well": np.array(WELLS)[in_plate],
            "Substrate": names,
            "Control": control.astype(int),
        }
    )


@dataclass(frozen=True)
class _Design:
    """What every block of one table shares: sizes, seed, plates and substrate use.

    ``grows[strain, position]`` says whether a strain grows on the substrate
    at that well position; ``level[position]`` is the fold change in carrying
    capacity of a growing well, before isolate and replicate noise.
    """

    n_isolates: int
    n_replicates: int
    seed: int
    layout: pd.DataFrame
    grows: np.ndarray
    level: np.ndarray

    @property
    def n_blocks(self) -> int:
        return -(-self.n_isolates // ISOLATES_PER_BLOCK)


def _design(n_isolates: int, n_substrates: int, n_replicates: int, seed: int) -> _Design:
    """Draw which strains use which substrates (universal 8%, some 22%, none 70%)."""
    if min(n_isolates, n_substrates, n_replicates) < 1:
        raise ValueError("sizes must be positive")
    rng = np.random.default_rng([seed, 0])
    layout = plate_layout(n_substrates)
    n_strains = -(-n_isolates // ISOLATES_PER_STRAIN)
    kind = rng.choice(3, size=n_substrates, p=[0.08, 0.22, 0.70])
    share = rng.uniform(0.2, 0.8, size=n_substrates)
    grows = rng.random((n_strains, n_substrates)) < share
    grows[:, kind == 0] = True
    grows[:, (kind == 2) | (layout["Control"].to_numpy() == 1)] = False
    level = 1.0 + rng.lognormal(0.0, 0.5, size=n_substrates)
    return _Design(n_isolates, n_replicates, seed, layout, grows, level)


@dataclass(frozen=True)
class _Rows:
    """Per-row indices of one block, rows in file order.

    ``position`` indexes the plate layout, ``isolate`` counts from 0 within
    the block, ``plate`` numbers the block's (isolate, PM, replicate) plates
    and ``control_row[plate]`` is the row of that plate's negative control.
    """

    first_isolate: int
    n_isolates: int
    position: np.ndarray
    replicate: np.ndarray
    isolate: np.ndarray
    strain: np.ndarray
    pm: np.ndarray
    plate: np.ndarray
    control: np.ndarray
    control_row: np.ndarray


def _rows(design: _Design, first_isolate: int, n_isolates: int) -> _Rows:
    pm_of_position = design.layout["PM"].to_numpy()
    n_pm = int(pm_of_position[-1])
    position, replicate = [], []  # one isolate: PM, then replicate, then wells
    for pm in range(1, n_pm + 1):
        wells = np.flatnonzero(pm_of_position == pm)
        for rep in range(1, design.n_replicates + 1):
            position.append(wells)
            replicate.append(np.full(wells.size, rep))
    per_isolate = sum(part.size for part in position)
    position = np.tile(np.concatenate(position), n_isolates)
    replicate = np.tile(np.concatenate(replicate), n_isolates)
    isolate = np.repeat(np.arange(n_isolates), per_isolate)
    pm = pm_of_position[position]
    plate = (isolate * n_pm + pm - 1) * design.n_replicates + replicate - 1
    control = design.layout["Control"].to_numpy()[position] == 1
    control_row = np.empty(n_isolates * n_pm * design.n_replicates, dtype=np.int64)
    control_row[plate[control]] = np.flatnonzero(control)
    strain = (first_isolate + isolate) // ISOLATES_PER_STRAIN
    return _Rows(
        first_isolate, n_isolates, position, replicate, isolate, strain, pm, plate, control, control_row
    )


def _growth(rng: np.random.Generator, design: _Design, rows: _Rows) -> tuple[np.ndarray, ...]:
    """Return (growing, fold change of k_lin, fold change of auc_lin) per row.

    Fold changes are relative to the plate's negative control (exactly 1 there).
    Non-growing wells stay within 1 +- 0.05 (auc within 1 +- 0.09); rare
    artefacts (bubbles, condensation) only lower the reading.
    """
    n = rows.position.size
    shape = (rows.n_isolates, len(design.layout))
    isolate_lost = rng.random(shape) < 0.05  # isolate lost its strain's pathway
    isolate_effect = rng.lognormal(0.0, 0.1, size=shape)
    cell = (rows.isolate, rows.position)
    growing = design.grows[rows.strain, rows.position] & ~isolate_lost[cell]
    fold = np.where(
        growing,
        design.level[rows.position] * isolate_effect[cell] * rng.lognormal(0.0, 0.08, size=n),
        1.0 + np.clip(rng.normal(0.0, 0.015, size=n), -0.05, 0.05),
    )
    artefact = ~rows.control & (rng.random(n) < 0.002)
    fold[artefact] *= rng.uniform(0.0, 0.9, size=artefact.sum())
    auc_noise = np.where(
        growing,
        rng.lognormal(0.0, 0.04, size=n),
        np.exp(np.clip(rng.normal(0.0, 0.01, size=n), -0.03, 0.03)),
    )
    auc_fold = fold * auc_noise
    fold[rows.control] = auc_fold[rows.control] = 1.0
    return growing, fold, auc_fold


def _sixths(values: np.ndarray) -> np.ndarray:
    """Snap times (hours) to the plate reader's grid."""
    return np.round(values / READ_INTERVAL) * READ_INTERVAL


def _raw_parameters(
    rng: np.random.Generator, rows: _Rows, growing: np.ndarray, fold: np.ndarray, auc_fold: np.ndarray
) -> dict[str, np.ndarray]:
    """Return the columns OD_Baseline .. MSE, rounded as written, some cells NaN."""
    n = rows.position.size
    control, plate, n_plates = rows.control, rows.plate, rows.control_row.size

    def chance(probability: float) -> np.ndarray:
        return rng.random(n) < probability

    # Negative-control levels: one draw per plate, broadcast to its wells.
    k_control = rng.normal(0.32, 0.01, size=n_plates)[plate]
    auc_control = k_control * 11.7 * rng.lognormal(0.0, 0.01, size=n_plates)[plate]
    gr_control = rng.normal(0.40, 0.005, size=n_plates)[plate]
    lag_control = rng.normal(2.03, 0.02, size=n_plates)[plate]

    baseline = rng.normal(0.102, 0.0015, size=n)
    k_lin = k_control * fold
    auc_lin = auc_control * auc_fold
    k_log = np.log((baseline + k_lin) / baseline)
    gr_noise = np.where(growing & ~control, rng.lognormal(0.0, 0.03, size=n), 1.0)
    gr = gr_control * np.sqrt(fold) * gr_noise
    dies = chance(0.15)
    death_lin = np.where(dies, rng.exponential(3e-4, size=n), 0.0)
    long_lag = ~control & chance(0.005)
    raw = {
        "OD_Baseline": baseline,
        "OD_Min": np.where(chance(0.01), baseline * rng.uniform(0.4, 0.95, size=n), baseline),
        "OD_Max": baseline + k_lin,
        "OD_Emp_AUC": auc_lin + HOURS * baseline,
        "Fold_Change": fold,
        "OD_Offset": baseline,
        "auc_lin": auc_lin,
        "auc_log": k_log * 12.5 * rng.lognormal(0.0, 0.01, size=n),
        "k_lin": k_lin,
        "k_log": k_log,
        "death_lin": death_lin,
        "death_log": death_lin * rng.uniform(0.8, 1.6, size=n),
        "gr": gr,
        "dr": np.where(chance(0.01), -rng.exponential(0.03, size=n), rng.normal(0.003, 0.004, size=n)),
        "td": np.log(2.0) / gr,
        "lagC": np.where(long_lag, rng.uniform(5, 30, size=n), lag_control * rng.lognormal(0, 0.01, size=n)),
        "lagP": np.where(~control & chance(0.01), _sixths(rng.uniform(1.0, 12.0, size=n)), 0.0),
        "t_k": np.where(growing & chance(0.1), _sixths(rng.uniform(8.0, HOURS, size=n)), HOURS),
        "t_gr": np.clip(_sixths(rng.normal(3.67, 0.2, size=n)), 2 * READ_INTERVAL, HOURS),
        "t_dr": np.where(chance(0.03), _sixths(rng.uniform(6.0, HOURS, size=n)), HOURS),
        "diauxie": np.where(growing & chance(0.03), 1.0, 0.0),
        "MSE": rng.lognormal(np.log(1e-7), 0.4, size=n) * np.where(growing, 2.0, 1.0),
    }
    for name, rate in MISSING_RATE.items():
        raw[name][~control & chance(rate)] = np.nan
    return {name: np.round(value, DECIMALS.get(name, DEFAULT_DECIMALS)) for name, value in raw.items()}


def _normalised(raw: dict[str, np.ndarray], rows: _Rows) -> dict[str, np.ndarray]:
    """Return ``norm(p)``: each parameter over its plate's negative control.

    As in AMiGA, 0/0 gives a blank (NaN) and x/0 gives inf.
    """
    control_of_row = rows.control_row[rows.plate]
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            f"norm({p})": np.round(raw[p] / raw[p][control_of_row], DEFAULT_DECIMALS)
            for p in PARAMETERS
        }


def _labels(design: _Design, rows: _Rows) -> dict[str, object]:
    """Return the identifying columns Sample_ID .. Control (strings as categoricals)."""
    first, layout = rows.first_isolate, design.layout
    isolates = [f"{ISOLATE_PREFIX}{first + i + 1}" for i in range(rows.n_isolates)]
    plates = [
        f"{isolate}_PM{pm}-{rep}"
        for isolate in isolates
        for pm in range(1, int(layout["PM"].iloc[-1]) + 1)
        for rep in range(1, design.n_replicates + 1)
    ]
    strains = [_strain_name(s) for s in range(rows.strain[0], rows.strain[-1] + 1)]
    substrate_codes, substrates = pd.factorize(layout["Substrate"])
    return {
        "Sample_ID": first * len(layout) * design.n_replicates + np.arange(rows.position.size),
        "Well": pd.Categorical.from_codes(rows.position % WELLS_PER_PLATE, WELLS),
        "Plate_ID": pd.Categorical.from_codes(rows.plate, plates),
        "Species": pd.Categorical.from_codes(np.zeros_like(rows.position), [SPECIES]),
        "Strain": pd.Categorical.from_codes(rows.strain - rows.strain[0], strains),
        "Isolate": pd.Categorical.from_codes(rows.isolate, isolates),
        "PM": rows.pm,
        "Replicate": rows.replicate,
        "Substrate": pd.Categorical.from_codes(substrate_codes[rows.position], substrates),
        "Group": np.ones_like(rows.position),
        "Control": rows.control.astype(np.int64),
    }


def _strain_name(index: int) -> str:
    """Name strain ``index`` like AMiGA examples do: ``{country}_{year}``."""
    return f"{COUNTRIES[index % len(COUNTRIES)]}_{1990 + index // len(COUNTRIES)}"


def _block(design: _Design, index: int) -> pd.DataFrame:
    """Return block ``index``: the rows of isolates ``index * ISOLATES_PER_BLOCK ...``.

    String columns are categoricals (cheap to build and to format).
    """
    first = index * ISOLATES_PER_BLOCK
    rows = _rows(design, first, min(ISOLATES_PER_BLOCK, design.n_isolates - first))
    rng = np.random.default_rng([design.seed, 1, index])
    growing, fold, auc_fold = _growth(rng, design, rows)
    raw = _raw_parameters(rng, rows, growing, fold, auc_fold)
    flags = ~rows.control & (rng.random((2, rows.position.size)) < [[0.002], [0.005]])
    columns = {
        **_labels(design, rows),
        "Flag": flags[0].astype(np.int64),
        **raw,
        "K_Error > 20%": flags[1],
        **_normalised(raw, rows),
    }
    return pd.DataFrame(columns, columns=COLUMNS)


def _as_text(block: pd.DataFrame) -> bytes:
    """Format a block as AMiGA (pandas) writes it, without header.

    Floats are formatted by Arrow (about three times faster than
    ``DataFrame.to_csv``), then given pandas' ``1.0`` and ``1e-07`` spelling;
    blanks for NaN, ``inf``, ``True``/``False``. Numbers in [1e-6, 1e-4) are
    written in positional rather than exponent notation: same value.
    """
    arrays = {}
    for name, column in block.items():
        if column.dtype == np.float64:
            text = pc.cast(pa.array(column.to_numpy(), from_pandas=True), pa.string())
            whole = pc.match_substring_regex(text, r"^-?[0-9]+$")
            text = pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text)
            arrays[name] = pc.replace_substring_regex(text, r"e-([0-9])$", r"e-0\1")
        elif column.dtype == np.bool_:
            codes = column.to_numpy().astype(np.int8)
            arrays[name] = pa.DictionaryArray.from_arrays(codes, ["False", "True"])
        else:
            arrays[name] = pa.array(column)
    sink = pa.BufferOutputStream()
    options = pa_csv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")
    pa_csv.write_csv(pa.table(arrays), sink, options)
    return sink.getvalue().to_pybytes()


def iter_summary(
    n_isolates: int, n_substrates: int, n_replicates: int = 2, seed: int = 0
) -> Iterator[pd.DataFrame]:
    """Yield the summary table in consecutive row blocks of a few isolates.

    Concatenated, the blocks are the table described in the module docstring;
    string columns are categoricals.
    """
    design = _design(n_isolates, n_substrates, n_replicates, seed)
    return (_block(design, index) for index in range(design.n_blocks))


def generate_summary(
    n_isolates: int, n_substrates: int, n_replicates: int = 2, seed: int = 0
) -> pd.DataFrame:
    """Return the whole summary table (see the module docstring) in memory.

    Dtypes are those ``pandas.read_csv`` gives the written file.
    """
    table = pd.concat(iter_summary(n_isolates, n_substrates, n_replicates, seed), ignore_index=True)
    strings = table.select_dtypes("category").columns
    return table.astype({name: "str" for name in strings})


def write_summary(
    path: Path | str, n_isolates: int, n_substrates: int, n_replicates: int = 2, seed: int = 0
) -> int:
    """Write the summary table to ``path`` as tab-separated text; return the row count.

    Memory use is bounded by one block of ``ISOLATES_PER_BLOCK`` isolates.
    """
    with open(path, "wb") as handle:
        handle.write(("\t".join(COLUMNS) + "\n").encode())
        handle.writelines(_as_text(block) for block in iter_summary(n_isolates, n_substrates, n_replicates, seed))
    return n_isolates * n_substrates * n_replicates


def _as_arrow(block: pd.DataFrame) -> pa.Table:
    """A block as ``amiga-heatmap convert`` stores the text file: labels as text (dictionary-encoded
    in the file), whole-number columns as int64, ``K_Error > 20%`` as the text ``True``/``False``, the
    other parameters as float64 (the numbers of the text; where the text spells a number otherwise
    than ``repr``, such as ``1e-07`` written ``0.0000001``, convert would keep that column as text of the
    same numbers)."""
    arrays = {}
    for name, column in block.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            arrays[name] = pa.array(column.astype(str).to_numpy(), pa.string())
        elif column.dtype == np.bool_:
            arrays[name] = pa.array(np.where(column.to_numpy(), "True", "False"), pa.string())
        else:
            arrays[name] = pa.array(column.to_numpy(), from_pandas=True)
    return pa.table(arrays)


def write_parquet_summary(
    path: Path | str, n_isolates: int, n_substrates: int, n_replicates: int = 2, seed: int = 0
) -> int:
    """Write the summary table to ``path`` as Parquet (zstd, one row group per block); return the row
    count. The rows are those of :func:`write_summary`; memory use is bounded by one block. The file
    appears under its name only when complete."""
    from pyarrow import parquet

    path = Path(path)
    partial = path.with_name(f".{path.name}.part")
    writer = None
    try:
        for block in iter_summary(n_isolates, n_substrates, n_replicates, seed):
            table = _as_arrow(block)
            if writer is None:
                schema = table.schema.with_metadata(PARQUET_METADATA)
                writer = parquet.ParquetWriter(partial, schema, compression="zstd")
            writer.write_table(table.replace_schema_metadata(PARQUET_METADATA))
        writer.close()
        partial.replace(path)
    finally:
        if partial.exists():
            partial.unlink()
    return n_isolates * n_substrates * n_replicates


def data_file(folder: Path, size: str, file_format: str | None = None, n_isolates: int | None = None) -> Path:
    """Where ``generate.py`` writes ``size``: ``synthetic_{size}.txt`` or ``.parquet``
    (``synthetic_{size}_{n}isolates...`` when the number of isolates is overridden)."""
    suffix = ".parquet" if (file_format or FORMATS[size]) == "parquet" else ".txt"
    return folder / f"synthetic_{size}{'' if n_isolates is None else f'_{n_isolates}isolates'}{suffix}"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``generate.py SIZE [--out DIR] [--seed N] [--format text|parquet] [--isolates N]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", choices=SIZES, help="isolates x substrates x replicates preset")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument("--format", choices=("text", "parquet"), dest="file_format",
                        help="file format (default: parquet for screen, text otherwise)")
    parser.add_argument("--isolates", type=int, help="fewer (or more) isolates than the preset, e.g. to "
                        "try the screen generator at a small size; the file name says how many")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    n_isolates, n_substrates, n_replicates = SIZES[args.size]
    n_isolates = args.isolates or n_isolates
    path = data_file(args.out, args.size, args.file_format, args.isolates)
    write = write_parquet_summary if path.suffix == ".parquet" else write_summary
    rows = write(path, n_isolates, n_substrates, n_replicates, seed=args.seed)
    print(f"wrote {rows} rows to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
