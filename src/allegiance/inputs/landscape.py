"""Sizes and propensities of a landscape: from CSV files, or from the data bundle for a year."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from allegiance.errors import ParameterError
from allegiance.userfiles import text_stream

__all__ = [
    "EXPECTED_FIRST_YEAR",
    "EXPECTED_FORMULA",
    "INDEX_WEIGHTS",
    "PROPENSITIES",
    "SIZES",
    "LandscapeInputs",
    "actor_codes",
    "actor_names",
    "expected_pairs",
    "propensity_index",
    "read_landscape_files",
    "state_sizes",
]

#: Size measures: a state-year column of the ``nmc`` panel family (``equal`` gives size 1).
SIZES = ("cinc", "milex", "milper", "tpop", "equal")

#: Propensity rules: the documented additive index, or the expected-cooperation model.
PROPENSITIES = ("index", "expected")

#: Predictors of the expected-cooperation model used for propensities: the default formula
#: without UN ideal points, so that every year since 1950 has complete rows.
EXPECTED_FORMULA = (
    "log_capdist + contiguity + religion_similarity + common_language + joint_democracy + "
    "common_rivals + third_party_threat + wars_opposite + mids_25y + colonial + claim_active + "
    "log_capability_ratio + major_power + dyadigos"
)
#: First year of the dyad-years the propensity model is fitted on.
EXPECTED_FIRST_YEAR = 1950

#: Weights of the additive propensity index (see :func:`propensity_index`).
INDEX_WEIGHTS: Mapping[str, float] = {
    "alliance": 1.0,
    "threat": 0.5,
    "democracy": 0.5,
    "animosity": -1.0,
    "claims": -0.5,
    "un": 1.0,
}

_COVERAGE = re.compile(r"needs years within (\d{4})-(\d{4})")


@dataclass(frozen=True)
class LandscapeInputs:
    """What ``Landscape.fit`` needs, plus where each piece came from."""

    actors: tuple[str, ...]
    ccodes: tuple[int, ...]
    sizes: np.ndarray
    propensity: np.ndarray
    components: dict[str, np.ndarray] = field(default_factory=dict)
    years_used: dict[str, int] = field(default_factory=dict)


def actor_codes(year: int, states: Sequence[int | str]) -> list[int]:
    """COW codes of at least two distinct states (codes or names, resolved in ``year``)."""
    from allegiance.data.codes import to_ccode

    codes = [int(s) if str(s).strip().isdigit() else to_ccode(str(s), year) for s in states]
    if len(codes) < 2 or len(set(codes)) != len(codes):
        raise ParameterError(f"A landscape needs at least two distinct states; got {codes}.")
    return codes


def expected_pairs(
    scored: pl.DataFrame, codes: Sequence[int]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""Propensities from expected probabilities of one year: :math:`p_{ij} = \hat P_{ij} - \bar P`.

    ``scored`` holds ``ccode1 < ccode2, expected`` for every dyad of the year; :math:`\bar P`
    is their mean. A pair of ``codes`` without a row gets 0 (marked in ``missing``).
    """
    mean = float(scored["expected"].mean())  # type: ignore[arg-type]
    lookup = {(a, b): p for a, b, p in scored.select("ccode1", "ccode2", "expected").iter_rows()}
    n = len(codes)
    prob = np.zeros((n, n))
    missing = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            key = (min(codes[i], codes[j]), max(codes[i], codes[j]))
            if key in lookup:
                prob[i, j] = prob[j, i] = lookup[key]
            else:
                missing[i, j] = missing[j, i] = 1
    prop = np.where(missing == 1, 0.0, prob - mean)
    np.fill_diagonal(prop, 0.0)
    return prop, {"expected": prob, "missing": missing}


def actor_names(year: int, codes: Sequence[int]) -> tuple[str, ...]:
    """COW abbreviations (``USA``, ``ROK``) of the states."""
    from allegiance.data.codes import resolve

    return tuple(resolve(c, year=year).abb for c in codes)


def state_sizes(year: int, codes: Sequence[int], size: str) -> np.ndarray:
    """Size of each state: an nmc column in ``year`` (missing -> error naming the state)."""
    from allegiance.panel.build import build_panel

    if size not in SIZES:
        raise ParameterError(
            f"The 'size' parameter must be one of {', '.join(SIZES)}. Got {size!r} instead."
        )
    if size == "equal":
        return np.ones(len(codes))
    frame = build_panel("state_year", years=[year], states=codes, families=["nmc"]).collect()
    values = dict(zip(frame["ccode"].to_list(), frame[size].to_list(), strict=True))
    missing = [c for c in codes if values.get(c) is None or not values[c] > 0]
    if missing:
        raise ParameterError(
            f"No positive {size} for state(s) {missing} in {year} (COW NMC); choose other "
            "states, another year or --size equal."
        )
    return np.array([float(values[c]) for c in codes])


def propensity_index(
    year: int, codes: Sequence[int], weights: Mapping[str, float] | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, int]]:
    r"""The additive propensity index of every pair of ``codes`` in ``year``.

    .. math::

       p_{ij} = w_a A_{ij} + w_t \min(C_{ij}, 3)/3 + w_d D_{ij} + w_n N_{ij}
                + w_c K_{ij} + w_u (2 U_{ij} - 1)

    where :math:`A_{ij}` is 1 if the two have an ATOP defense pledge (v5.1), :math:`C_{ij}`
    the number of common opponents (states in a GML militarized dispute with both in the last
    10 years: shared threat), :math:`D_{ij}` 1 if both have Polity2 :math:`\ge 6` (joint
    democracy), :math:`N_{ij} \in [0, 1]` the animosity index (wars, disputes, colonial
    rule, claims), :math:`K_{ij}` 1 if an ICOW territorial claim is active (carried forward
    after 2001), :math:`U_{ij}` the share of UN General Assembly votes alike; the weights
    :math:`w` are :data:`INDEX_WEIGHTS` (animosity and claims negative). A component whose
    source ends before ``year`` is taken at the source's last year (``years_used``); a
    missing value counts 0. Returns ``(p, components, years_used)``.
    """
    w = {**INDEX_WEIGHTS, **(weights or {})}
    parts = {
        "alliance": _panel_pairs(year, codes, "atop", _defense),
        "threat": _measure_pairs(year, codes, "common_opponents", lambda v: min(v, 3) / 3),
        "democracy": _panel_pairs(year, codes, "democracy", _joint_democracy),
        "animosity": _measure_pairs(year, codes, "animosity", float),
        "claims": _measure_pairs(year, codes, "animosity", float, column="claim_active"),
        "un": _measure_pairs(year, codes, "un_agreement", lambda v: 2 * v - 1),
    }
    p = sum(w[name] * matrix for name, (matrix, _) in parts.items())
    used = {name: y for name, (_, y) in parts.items()}
    return np.asarray(p), {k: m for k, (m, _) in parts.items()}, used


def _fill(
    codes: Sequence[int], rows: pl.DataFrame, column: str, f: Callable[[Any], float]
) -> np.ndarray:
    index = {c: i for i, c in enumerate(codes)}
    out = np.zeros((len(codes), len(codes)))
    for a, b, v in rows.select("ccode1", "ccode2", column).iter_rows():
        if v is not None and a in index and b in index:
            out[index[a], index[b]] = out[index[b], index[a]] = f(v)
    return out


def _defense(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({"atop_defense": "value"})


def _joint_democracy(frame: pl.DataFrame) -> pl.DataFrame:
    both = (pl.col("polity21") >= 6) & (pl.col("polity22") >= 6)
    return frame.with_columns(both.cast(pl.Int8).alias("value"))


def _panel_pairs(
    year: int, codes: Sequence[int], family: str, derive: Callable[[pl.DataFrame], pl.DataFrame]
) -> tuple[np.ndarray, int]:
    from allegiance.data import catalog
    from allegiance.panel.build import build_panel

    source = {"atop": "atop", "democracy": "isard_democracy"}[family]
    last = (catalog.get(source).years or (year, year))[1]
    used = min(year, last)
    frame = build_panel("dyad_year", years=[used], states=list(codes), families=[family])
    return _fill(codes, derive(frame.collect()), "value", float), used


def _measure_pairs(
    year: int, codes: Sequence[int], name: str, f: Callable[[Any], float], column: str | None = None
) -> tuple[np.ndarray, int]:
    from allegiance.measures.registry import compute

    try:
        rows, used = compute(name, range(year, year + 1), states=list(codes)), year
    except ParameterError as exc:
        match = _COVERAGE.search(str(exc))
        if not match or int(match.group(2)) >= year:
            raise
        used = int(match.group(2))
        rows = compute(name, range(used, used + 1), states=list(codes))
    return _fill(codes, rows, column or name, f), used


def read_landscape_files(sizes_csv: Path, propensities_csv: Path) -> LandscapeInputs:
    """Sizes (``actor,size``) and propensities (``actor1,actor2,propensity``) from CSV files.

    A pair not listed has propensity 0; a pair may be listed in both orders only with equal
    values; every actor of the propensities must have a size.
    """
    sizes = _read_csv(sizes_csv, ("actor", "size"))
    actors = [str(a) for a in sizes["actor"].to_list()]
    if len(set(actors)) != len(actors):
        dup = next(a for a in actors if actors.count(a) > 1)
        raise ParameterError(f"{sizes_csv}: actor {dup!r} has more than one size.")
    values = sizes["size"].to_list()
    bad = [(a, v) for a, v in zip(actors, values, strict=True) if v is None or not 0 < v < np.inf]
    if bad:
        raise ParameterError(
            f"{sizes_csv}: every size must be a positive finite number; {bad[0][0]} has "
            f"{bad[0][1]}."
        )
    index = {a: i for i, a in enumerate(actors)}
    p = np.full((len(actors), len(actors)), np.nan)
    rows = _read_csv(propensities_csv, ("actor1", "actor2", "propensity"))
    for a, b, v in rows.iter_rows():
        _set_pair(p, index, str(a), str(b), v, propensities_csv)
    p[np.isnan(p)] = 0.0
    return LandscapeInputs(tuple(actors), (), np.array(values, dtype=float), p)


def _read_csv(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    try:
        frame = pl.read_csv(text_stream(path, "CSV file"), infer_schema_length=0)
    except pl.exceptions.PolarsError as exc:
        raise ParameterError(f"Cannot read {path}: {exc}".splitlines()[0]) from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"{path} needs the columns {', '.join(columns)}; missing {', '.join(missing)}."
        )
    frame = frame.select(columns)
    numeric = columns[-1]
    try:
        return frame.with_columns(pl.col(numeric).str.strip_chars().cast(pl.Float64))
    except pl.exceptions.PolarsError as exc:
        raise ParameterError(f"{path}: the column {numeric!r} must hold numbers.") from exc


def _set_pair(p: np.ndarray, index: dict[str, int], a: str, b: str, v: Any, path: Path) -> None:
    for actor in (a, b):
        if actor not in index:
            raise ParameterError(f"{path}: unknown actor {actor!r} (not in the sizes file).")
    if a == b or v is None or not np.isfinite(v):
        raise ParameterError(f"{path}: the pair {a},{b} needs two actors and a finite value.")
    i, j = index[a], index[b]
    if not np.isnan(p[i, j]) and p[i, j] != v:
        raise ParameterError(
            f"{path}: the pair {a},{b} is given twice with different values ({p[i, j]} and {v})."
        )
    p[i, j] = p[j, i] = v
