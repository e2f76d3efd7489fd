"""Sizes and propensities of a landscape: from CSV files, or from the data bundle for a year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from allegiance.errors import ParameterError
from allegiance.inputs.propensity import INDEX_WEIGHTS, Propensities
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
    "expected_audit",
    "expected_pairs",
    "propensity_index",
    "read_landscape_files",
    "rule_propensities",
    "state_sizes",
]

#: Size measures: a state-year column of the ``nmc`` panel family (``equal`` gives size 1).
SIZES = ("cinc", "milex", "milper", "tpop", "equal")

#: Propensity rules: the documented additive index, Axelrod and Bennett's five factors, or the
#: expected-cooperation model.
PROPENSITIES = ("index", "ab1993", "expected")

#: Predictors of the expected-cooperation model used for propensities: the default formula
#: without UN ideal points, so that every year since 1950 has complete rows.
EXPECTED_FORMULA = (
    "log_capdist + contiguity + religion_similarity + common_language + joint_democracy + "
    "common_rivals + third_party_threat + wars_opposite + mids_25y + colonial + claim_active + "
    "log_capability_ratio + major_power + dyadigos"
)
#: First year of the dyad-years the propensity model is fitted on.
EXPECTED_FIRST_YEAR = 1950


@dataclass(frozen=True)
class LandscapeInputs:
    """What ``Landscape.fit`` needs, plus where each piece came from.

    ``components`` are the propensity's parts (for a rule of the data, each component's
    contribution matrix), ``years_used`` the year each component was read at, ``audit`` the
    propensity audit (one row per pair and term, see
    :data:`~allegiance.inputs.propensity.AUDIT_SCHEMA`; empty for CSV inputs) and ``absent``
    the components without data in the year (name -> why), which count 0.
    """

    actors: tuple[str, ...]
    ccodes: tuple[int, ...]
    sizes: np.ndarray
    propensity: np.ndarray
    components: dict[str, np.ndarray] = field(default_factory=dict)
    years_used: dict[str, int] = field(default_factory=dict)
    audit: pl.DataFrame = field(default_factory=pl.DataFrame)
    absent: dict[str, str] = field(default_factory=dict)

    def subset(self, ccodes: Sequence[int]) -> LandscapeInputs:
        """The inputs of some of the actors (by COW code, in the given order).

        Sizes and pairwise propensities do not depend on which other actors are present, so
        a landscape without one actor reads the same numbers as the full one less its row and
        column; so does the audit.

        >>> full = LandscapeInputs(("A", "B", "C"), (1, 2, 3), np.ones(3), np.eye(3))
        >>> full.subset([3, 1]).actors
        ('C', 'A')
        """
        index = [self.ccodes.index(c) for c in ccodes]
        kept = list(ccodes)
        audit = self.audit
        if audit.height:
            audit = audit.filter(pl.col("ccode1").is_in(kept) & pl.col("ccode2").is_in(kept))
        return replace(
            self,
            actors=tuple(self.actors[i] for i in index),
            ccodes=tuple(ccodes),
            sizes=self.sizes[index],
            propensity=self.propensity[np.ix_(index, index)],
            components={k: m[np.ix_(index, index)] for k, m in self.components.items()},
            audit=audit,
        )


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
    """The additive propensity index of :func:`~allegiance.inputs.propensity.index_propensities`
    as ``(p, components, years_used)`` (each component's contribution matrix); the audit
    comes with :func:`rule_propensities`."""
    out = rule_propensities("index", year, codes, weights)
    return out.matrix, out.components, out.years_used


def rule_propensities(
    rule: str, year: int, codes: Sequence[int], weights: Mapping[str, float] | None = None
) -> Propensities:
    """Propensities of ``codes`` in ``year`` by a rule of the data: ``"index"`` (the additive
    index, :func:`~allegiance.inputs.propensity.index_propensities`, with optional
    ``weights``) or ``"ab1993"`` (Axelrod and Bennett's five factors,
    :func:`~allegiance.inputs.ab1993.ab1993_propensities`)."""
    from allegiance.inputs.ab1993 import ab1993_propensities
    from allegiance.inputs.propensity import index_propensities

    names = actor_names(year, codes)
    if rule == "ab1993":
        return ab1993_propensities(year, codes, names)
    if rule != "index":
        raise ParameterError(
            f"The 'propensity' parameter must be one of index, ab1993. Got {rule!r} instead."
        )
    return index_propensities(year, codes, names, weights)


def expected_audit(
    year: int,
    codes: Sequence[int],
    prop: np.ndarray,
    parts: Mapping[str, np.ndarray],
    used: int,
) -> pl.DataFrame:
    """The audit of expected-cooperation propensities: one row per pair, the pair's expected
    probability (``raw``) less the year's mean (``value``), read at ``used``."""
    from allegiance.inputs.propensity import Term, audit_table

    rows = [{"lo": min(codes[i], codes[j]), "hi": max(codes[i], codes[j]),
             "raw": None if parts["missing"][i, j] else float(parts["expected"][i, j]),
             "value": float(prop[i, j]), "detail": "expected P(atop_defense) less the mean"}
            for i in range(len(codes)) for j in range(i + 1, len(codes))]  # fmt: skip
    schema = {"lo": pl.Int32, "hi": pl.Int32, "raw": pl.Float64, "value": pl.Float64,
              "detail": pl.String}  # fmt: skip
    term = Term("expected", 1.0, "expected-cooperation model", used, used < year,
                pl.DataFrame(rows, schema=schema))  # fmt: skip
    return audit_table(year, codes, actor_names(year, codes), [term])


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
