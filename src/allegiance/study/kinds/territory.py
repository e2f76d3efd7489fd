"""Evidence kind ``territorial_claims``: where are a state's significant territorial disputes?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.panel.build import build_panel
from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor
from allegiance.study.kinds.common import label

__all__ = ["decide_territory", "territorial_claims"]

THRESHOLDS = (
    Threshold("min_salience", 6, "ICOW salience (0-12) a claim with the main partner needs",
              grid=(5, 6, 7)),
    Threshold("max_other_salience", 4, "every other partner's highest salience must be below "
              "this", grid=(3, 4, 5)),
)  # fmt: skip


def decide_territory(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Supported when the subject's highest-salience claim with ``main`` reaches
    ``min_salience`` and every other partner's stays below ``max_other_salience``; mixed when
    one of the two holds; not supported when neither does.

    >>> decide_territory({"main": 6, "others": {"China": 0}},
    ...                  {"min_salience": 6, "max_other_salience": 4})[0]
    'supported'
    """
    main_ok = (stats["main"] or 0) >= t["min_salience"]
    high = [k for k, v in stats["others"].items() if (v or 0) >= t["max_other_salience"]]
    reason = (f"main partner's highest salience {stats['main']}; others at or above "
              f"{t['max_other_salience']:.0f}: {', '.join(high) or 'none'}")  # fmt: skip
    if main_ok and not high:
        return "supported", reason
    return ("mixed" if main_ok or not high else "not supported"), reason


@register_kind(
    "territorial_claims",
    evidence_type="evidence",
    decide=decide_territory,
    thresholds=THRESHOLDS,
    required=("subject", "main", "others"),
    lists=("others",),
)
def territorial_claims(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Is ``subject``'s main territorial dispute with ``main`` and none significant with ``others``?

    From ICOW claims: per partner, the years with an active claim and the highest salience
    (0-12). See :func:`decide_territory` for the verdict.
    """
    subj = resolve_actor(actors, params["subject"])
    main = resolve_actor(actors, params["main"])
    others = [resolve_actor(actors, o) for o in params["others"]]
    panel = build_panel("dyad_year", years=years, directed=True, states=[subj, main, *others],
                        families=["claims"]).collect().filter(pl.col("ccode1") == subj)  # fmt: skip
    table = panel.group_by("ccode2").agg(
        (pl.col("icow_claim") == 1).sum().alias("claim_years"),
        pl.col("icow_salmax").max().alias("max_salience"),
        pl.col("year").filter(pl.col("icow_claim") == 1).min().alias("first_claim_year"),
        pl.col("year").filter(pl.col("icow_claim") == 1).max().alias("last_claim_year"),
        pl.col("icow_claim").is_not_null().sum().alias("years_covered"),
    ).with_columns(
        pl.col("ccode2").map_elements(lambda c: label(actors, c), return_dtype=pl.String)
        .alias("partner")
    ).sort("ccode2")  # fmt: skip
    sal = dict(zip(table["ccode2"], table["max_salience"], strict=True))
    stats = {"main": sal.get(main), "others": {label(actors, o): sal.get(o) for o in others}}
    covered = int(table["years_covered"].sum())
    return Finding(
        table=table.select("partner", "ccode2", "claim_years", "first_claim_year",
                           "last_claim_year", "max_salience", "years_covered"),
        stats=stats,
        summary="; ".join(f"{r['partner']}: {r['claim_years']} claim-years, max salience "
                          f"{r['max_salience']}" for r in table.iter_rows(named=True)),
        certainty="high" if covered else "low",
        reason="ICOW provisional claims data run to 2001; later years are not covered.",
        settle="ICOW claims data after 2001 (the provisional global file ends in 2001).",
        figure="claim_salience",
        figure_args={"title": f"Highest ICOW claim salience, {label(actors, subj)} and partners"},
        sources=("icow_claims",),
        untestable=None if covered else "ICOW does not cover any of the study years",
    )  # fmt: skip
