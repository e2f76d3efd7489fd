"""Evidence kind ``leverage``: has one patron more leverage over a target than others?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.panel.build import build_panel
from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor
from allegiance.study.kinds.common import label

__all__ = ["decide_leverage", "leverage"]

THRESHOLDS = (
    Threshold("support_share", 1.0, "share of the available indicators on which the candidate "
              "must lead", grid=(0.5, 0.75, 1.0)),
)  # fmt: skip


def decide_leverage(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Supported when the candidate leads every rival on at least ``support_share`` of the
    indicators with data; not supported when it leads on none; otherwise mixed.

    >>> decide_leverage({"leads": {"arms": True, "alliance": False}}, {"support_share": 1.0})
    ('mixed', 'the candidate leads on 1 of 2 indicators')
    """
    leads = stats["leads"]
    if not leads:
        return "not testable", "no indicator has data for any patron"
    n = sum(leads.values())
    reason = f"the candidate leads on {n} of {len(leads)} indicators"
    if n >= t["support_share"] * len(leads):
        return "supported", reason
    return ("not supported" if n == 0 else "mixed"), reason


@register_kind(
    "leverage",
    evidence_type="evidence",
    decide=decide_leverage,
    thresholds=THRESHOLDS,
    required=("target", "candidate", "rivals"),
    lists=("rivals",),
)
def leverage(params: dict[str, Any], years: range, actors: dict[str, int | str]) -> Finding:
    """Has ``candidate`` more leverage over ``target`` than each of ``rivals``?

    Indicators per patron: years of an ATOP defense pledge with the target, and SIPRI arms
    transfers (TIV) delivered to the target. See :func:`decide_leverage` for the verdict.
    """
    from allegiance.measures.commitment import sipri_deliveries

    target = resolve_actor(actors, params["target"])
    cand = resolve_actor(actors, params["candidate"])
    patrons = [cand, *(resolve_actor(actors, r) for r in params["rivals"])]
    panel = build_panel("dyad_year", years=years, directed=True, states=[target, *patrons],
                        families=["atop"]).collect().filter(pl.col("ccode2") == target)  # fmt: skip
    rows = []
    for p in patrons:
        arms = sipri_deliveries(p).filter(
            (pl.col("ccode") == target) & pl.col("year").is_between(years.start, years.stop - 1)
        )
        mine = panel.filter(pl.col("ccode1") == p)
        rows.append({"patron": label(actors, p), "ccode": p,
                     "defense_pact_years": int((mine["atop_defense"] == 1).sum()),
                     "any_atop_years": int((mine["atop_anypledge"] == 1).sum()),
                     "arms_tiv": float(arms["arms_tiv"].sum())})  # fmt: skip
    table = pl.DataFrame(rows)
    leads = {col: all(table[col][0] > v for v in table[col][1:])
             for col in ("defense_pact_years", "arms_tiv") if table[col].sum() > 0}  # fmt: skip
    return Finding(
        table=table,
        stats={"leads": leads},
        summary="; ".join(f"{r['patron']}: {r['defense_pact_years']} defense-pact years, "
                          f"{r['arms_tiv']:.0f} TIV of arms" for r in rows),
        certainty="medium" if len(leads) == 2 else "low",
        reason="Alliance and arms transfers are observed; leverage itself is inferred from ties.",
        settle="Dyadic trade, aid and energy flows to the target by year.",
        figure="leverage_by_patron",
        figure_args={"title": f"Leverage over {label(actors, target)}"},
        sources=("atop_alliance", "sipri_arms"),
    )  # fmt: skip
