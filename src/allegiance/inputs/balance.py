"""The signed network of a set of states in a year, from the panel's alliances and conflicts.

The input of :class:`allegiance.models.balance.StructuralBalance`: each pair of states gets a
tie of sign +1 (a defense or offense pledge, a DCA), -1 (an ongoing dispute or rivalry) or 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from allegiance.errors import ParameterError

__all__ = ["MIXED_RULES", "NEGATIVE_TIES", "POSITIVE_TIES", "SignedNetwork", "signed_network"]

#: Panel columns that make a tie positive, with the family that adds them.
POSITIVE_TIES = {"atop_defense": "atop", "atop_offense": "atop", "dca_any": "dca"}
#: Panel columns that make a tie negative, with the family that adds them.
NEGATIVE_TIES = {
    "gmlmidongoing": "gml_mids",
    "cowmidongoing": "cow_mids",
    "ongoingrivalry": "rivalries",
}
MIXED_RULES = ("negative", "positive", "sum", "drop")

_SPANS = {  # family -> (bundle table, first-year column, last-year column, label)
    "atop": ("atop_alliance", "year", "year", "ATOP"),
    "dca": ("dcad", "year", "year", "DCAD"),
    "gml_mids": ("gml_mid_ddydisps", "year", "year", "GML MID"),
    "cow_mids": ("cow_mid_ddydisps", "year", "year", "COW MID"),
    "rivalries": ("tss_rivalries", "start", "end", "TSS rivalries"),
}


@dataclass(frozen=True)
class SignedNetwork:
    """A signed network of states in one year, built by :func:`signed_network`.

    ``ties`` has one row per pair (``ccode1 < ccode2``): the actors, the positive and negative
    indicators found (comma-separated column names) and the ``sign``. ``covered`` maps each
    indicator column to whether its source observes the year.
    """

    year: int
    codes: tuple[int, ...]
    actors: tuple[str, ...]
    signs: NDArray[np.int8]
    ties: pl.DataFrame
    covered: dict[str, bool]


def signed_network(
    year: int, states: Sequence[int | str], *, mixed: str = "negative"
) -> SignedNetwork:
    """The signed network of ``states`` in ``year`` from the panel's alliances and conflicts.

    A pair's tie is positive when it has an ATOP defense or offense pledge (``atop_defense``,
    ``atop_offense``) or a defense cooperation agreement in force (``dca_any``); negative when
    a GML or COW militarized dispute is ongoing (``gmlmidongoing``, ``cowmidongoing``) or a
    strategic rivalry is ongoing (``ongoingrivalry``, Thompson-Sakuwa-Suhas); otherwise 0.

    Parameters
    ----------
    year : int
        The year; it must be observed by at least one positive and one negative source.
    states : sequence of int or str
        At least three distinct states (COW codes or names) in the system that year.
    mixed : {"negative", "positive", "sum", "drop"}, default "negative"
        The sign when a pair has both positive and negative indicators: "negative" (default:
        an ongoing dispute or rivalry outweighs a treaty, as for Greece and Turkey in NATO),
        "positive", "sum" (the sign of #positive minus #negative indicators, 0 on a tie), or
        "drop" (0).

    Notes
    -----
    ATOP non-aggression, neutrality and consultation pledges do not count: regional pacts
    such as the Treaty of Amity and Cooperation in Southeast Asia would otherwise make almost
    every pair of East Asian states "allies". A source that does not observe the year (its
    column is null) contributes nothing; ``covered`` records which ones did.

    Source
    ------
    ATOP v5.1 [leeds2002]; DCAD v1.0 [kinne2020]; GML MID v2.2.1 [gibler2016]; COW MID v5.0
    [palmer2022]; strategic rivalries [thompson2022] (keys of ``references.bib``).
    """
    from allegiance.data.codes import resolve
    from allegiance.panel.build import build_panel

    if mixed not in MIXED_RULES:
        raise ParameterError(
            "The 'mixed' parameter of signed_network() must be one of "
            f"{{{', '.join(repr(m) for m in MIXED_RULES)}}}. "
            f"Got {mixed!r} instead."
        )
    _check_year(year)
    countries = [resolve(s, year=year) for s in states]
    codes = tuple(int(c.ccode) for c in countries if c.ccode is not None)
    if len(set(codes)) < 3 or len(set(codes)) != len(codes):
        raise ParameterError(
            "The 'states' parameter of signed_network() must name at least three distinct "
            f"states. Got {list(states)}."
        )
    families = sorted({*POSITIVE_TIES.values(), *NEGATIVE_TIES.values()})
    panel = build_panel("dyad_year", years=[year], states=list(codes), families=families)
    frame = panel.collect()
    _check_members(frame, codes, year)
    covered = {c: bool(frame[c].is_not_null().any()) for c in (*POSITIVE_TIES, *NEGATIVE_TIES)}
    _check_covered(covered, year)
    ties = _tie_frame(frame, codes, [c.abb or c.name for c in countries], covered, mixed)
    index = {code: k for k, code in enumerate(codes)}
    signs = np.zeros((len(codes), len(codes)), dtype=np.int8)
    for a, b, sign in ties.select("ccode1", "ccode2", "sign").iter_rows():
        signs[index[a], index[b]] = signs[index[b], index[a]] = sign
    names = tuple(c.abb or c.name for c in countries)
    return SignedNetwork(year, codes, names, signs, ties, covered)


def _check_members(frame: pl.DataFrame, codes: Sequence[int], year: int) -> None:
    from allegiance.data.codes import name_of

    present = set(frame["ccode1"].to_list()) | set(frame["ccode2"].to_list())
    missing = [c for c in codes if c not in present]
    if missing:
        raise ParameterError(
            f"{name_of(missing[0])} (COW {missing[0]}) is not in the COW state system in "
            f"{year}; choose states that were members that year."
        )


def _source_spans(columns: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Label -> (first, last) year observed, for the sources of ``columns`` (from the data)."""
    from allegiance.panel.steps import coverage

    spans = {}
    for family in dict.fromkeys(columns.values()):
        table, first, last, name = _SPANS[family]
        spans[name] = coverage(table, first, last)
    return spans


def _check_year(year: int) -> None:
    """The year must be observed by some alliance source, some conflict source, and the system."""
    from allegiance.panel.universe import system_years

    pos, neg = _source_spans(POSITIVE_TIES), _source_spans(NEGATIVE_TIES)
    lo = max(min(a for a, _ in pos.values()), min(a for a, _ in neg.values()), system_years()[0])
    hi = min(max(b for _, b in pos.values()), max(b for _, b in neg.values()), system_years()[1])
    if not lo <= year <= hi:

        def show(spans: dict[str, tuple[int, int]]) -> str:
            return ", ".join(f"{k} {a}-{b}" for k, (a, b) in spans.items())

        raise ParameterError(
            f"The year of a signed network must lie within {lo}-{hi}, where alliance data "
            f"({show(pos)}) and conflict data ({show(neg)}) overlap. Got {year}."
        )


def _check_covered(covered: dict[str, bool], year: int) -> None:
    for kind, columns in (
        ("alliance or DCA", POSITIVE_TIES),
        ("dispute or rivalry", NEGATIVE_TIES),
    ):
        if not any(covered[c] for c in columns):
            spans = ", ".join(f"{k} {a}-{b}" for k, (a, b) in _source_spans(columns).items())
            raise ParameterError(
                f"No {kind} data cover {year}, so its signed network cannot be built. "
                f"Sources: {spans}."
            )


def _tie_frame(
    frame: pl.DataFrame,
    codes: Sequence[int],
    names: Sequence[str],
    covered: dict[str, bool],
    mixed: str,
) -> pl.DataFrame:
    def found(columns: dict[str, str]) -> pl.Expr:
        hits = [pl.when(pl.col(c) == 1).then(pl.lit(c)) for c in columns if covered[c]]
        return pl.concat_str(hits, separator=",", ignore_nulls=True) if hits else pl.lit("")

    label = dict(zip(codes, names, strict=True))
    out = frame.select(
        "ccode1",
        "ccode2",
        pl.col("ccode1").replace_strict(label, return_dtype=pl.String).alias("actor1"),
        pl.col("ccode2").replace_strict(label, return_dtype=pl.String).alias("actor2"),
        found(POSITIVE_TIES).alias("positive"),
        found(NEGATIVE_TIES).alias("negative"),
    )
    n_pos = pl.col("positive").str.split(",").list.eval(pl.element().str.len_chars() > 0).list.sum()
    n_neg = pl.col("negative").str.split(",").list.eval(pl.element().str.len_chars() > 0).list.sum()
    return out.with_columns(_mixed_sign(n_pos, n_neg, mixed).cast(pl.Int8).alias("sign")).sort(
        "ccode1", "ccode2"
    )


def _mixed_sign(n_pos: pl.Expr, n_neg: pl.Expr, mixed: str) -> pl.Expr:
    both = {"negative": -1, "positive": 1, "drop": 0}
    single = pl.when(n_pos > 0).then(1).when(n_neg > 0).then(-1).otherwise(0)
    if mixed == "sum":
        return (n_pos - n_neg).sign()
    return pl.when((n_pos > 0) & (n_neg > 0)).then(both[mixed]).otherwise(single)
