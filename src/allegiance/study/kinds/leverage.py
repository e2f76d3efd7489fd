"""Evidence kind ``leverage``: has one patron more leverage over a target than the others?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor
from allegiance.study.kinds.common import fmt, label, paired_comparison

__all__ = ["INDICATORS", "STANDING", "decide_leverage", "leverage", "patron_years"]

#: Indicators of a patron's ties to the target, higher meaning more leverage: the source, and
#: which patrons the bundle covers (an indicator compares two patrons only where it has a
#: value for both).
INDICATORS: dict[str, tuple[str, str]] = {
    "alliance": ("ATOP v5.1: strongest pledge of the patron to the target (3 defense, 2 offense "
                 "or neutrality, 1 non-aggression or consultation, 0 none), 1815-2018",
                 "every patron"),
    "arms_tiv": ("SIPRI arms transfers: TIV the patron delivered to the target (0 in a year "
                 "without deliveries)", "every patron"),
    "trade": ("kdiplo: South Korea's exports plus imports with the other state (US$)",
              "dyads with South Korea only"),
    "cpd_elite_visits": ("AidData China's Public Diplomacy: elite visits between China and the "
                         "target", "China only"),
    "cv_engagements": ("China Vitae: engagements of senior Chinese leaders with the target, "
                       "2003-2018", "China only"),
    "us_pres_visits": ("Office of the Historian: visits of the US President to the target",
                       "the United States only"),
    "us_sec_visits": ("Office of the Historian: visits of the US Secretary of State to the "
                      "target", "the United States only"),
}  # fmt: skip

#: How a patron's standing toward the target is read in each year.
STANDING = (
    "ally: an ATOP defense pledge of the patron to the target; adversary: an ongoing strategic "
    "rivalry (Thompson, Sakuwa & Suhas), an ongoing militarized dispute on opposite sides "
    "(COW MID 5.0) or no diplomatic relations (kdiplo for dyads with a Korea, else COW "
    "Diplomatic Exchange, carried forward between its observations, to 2005). A year in "
    "which one patron is an ally and the other an adversary that is not also an ally is "
    "uninformative for their comparison and left out."
)

THRESHOLDS = (
    Threshold("alpha", 0.05, "significance of the one-sided sign test of each indicator's "
              "yearly differences", low=0.0, high=1.0),
    Threshold("support_share", 1.0, "share of the testable comparisons (rival x indicator) on "
              "which the candidate must lead significantly", grid=(0.5, 0.75, 1.0)),
    Threshold("min_years", 10, "informative years with both values an indicator needs to "
              "compare two patrons", grid=(8, 10, 12)),
)  # fmt: skip


def decide_leverage(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Decide from the informative comparisons only.

    A comparison of the candidate with one rival on one indicator is testable when it has at
    least ``min_years`` informative years (no ally set against an adversary) in which both
    have a value, and at least one of them in which the two differ. The candidate *leads* on
    it when the one-sided sign test of the yearly differences gives p <= ``alpha`` for it,
    *trails* when the test the other way does. Supported when it leads on at least
    ``support_share`` of the testable comparisons and trails on none; not supported when it
    leads on none; otherwise mixed. Not testable without a testable comparison.

    >>> ind = {"years": 20, "n_claimed": 12, "n_against": 0, "p_claimed": 0.0002,
    ...        "p_against": 1.0}
    >>> stats = {"comparisons": {"Russia": {"indicators": {"alliance": ind}}}}
    >>> decide_leverage(stats, {"alpha": 0.05, "support_share": 1.0, "min_years": 10})
    ('supported', 'leads on 1 of 1 testable comparisons (vs Russia: alliance p 0.000), trails on 0')
    """
    testable = [(rival, name, s) for rival, comp in stats["comparisons"].items()
                for name, s in comp["indicators"].items()
                if s["years"] >= t["min_years"] and s["n_claimed"] + s["n_against"]]  # fmt: skip
    if not testable:
        return "not testable", (f"no comparison with a rival has {t['min_years']:.0f} "
                                "informative years with both values and a difference"
                                + _uninformative(stats))  # fmt: skip
    leads = [(r, n, s) for r, n, s in testable if s["p_claimed"] <= t["alpha"]]
    trails = [(r, n, s) for r, n, s in testable if s["p_against"] <= t["alpha"]]

    def listed(items: list[tuple[str, str, Any]], key: str) -> str:
        return ", ".join(f"vs {r}: {n} p {fmt(s[key])}" for r, n, s in items)

    reason = (f"leads on {len(leads)} of {len(testable)} testable comparisons"
              + (f" ({listed(leads, 'p_claimed')})" if leads else "")
              + f", trails on {len(trails)}"
              + (f" ({listed(trails, 'p_against')})" if trails else "")
              + _uninformative(stats))  # fmt: skip
    if len(leads) >= t["support_share"] * len(testable) and not trails:
        return "supported", reason
    return ("not supported" if not leads else "mixed"), reason


def _uninformative(stats: Mapping[str, Any]) -> str:
    """'; uninformative: ...' for the comparisons that set an ally against an adversary in
    every year, or '' when there are none."""
    gone = [f"{r} ({c['standing']})" for r, c in stats["comparisons"].items()
            if not c.get("informative_years", 1)]  # fmt: skip
    return f"; uninformative (ally against adversary): {', '.join(gone)}" if gone else ""


def patron_years(target: int, patrons: list[int], years: range) -> pl.DataFrame:
    """One row per patron and study year: every indicator of :data:`INDICATORS` (null where
    the bundle has no value) and the patron's standing toward the target (:data:`STANDING`).

    Columns: ``ccode`` (the patron), ``year``, the indicators, ``ally``, ``adversary`` and
    ``adversary_why`` (which of rivalry, dispute, no relations).
    """
    import numpy as np

    from allegiance.data import catalog
    from allegiance.measures.commitment import alliance_type, sipri_deliveries
    from allegiance.panel import add_diplomacy, build_panel

    panel = build_panel("dyad_year", years=years, directed=True, states=[target, *patrons],
                        families=["atop", "rivalries", "mid_sides", "korea_trade"])  # fmt: skip
    frame = (add_diplomacy(panel, fill="forward").collect()
             .filter((pl.col("ccode2") == target) & pl.col("ccode1").is_in(patrons)))  # fmt: skip
    pledges = [frame[c].cast(pl.Float64).fill_null(np.nan).to_numpy() for c in (
        "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")]  # fmt: skip
    ties = pl.coalesce("kdiplo_prk_ties", "kdiplo_rok_ties", "dipex_de")
    why = pl.concat_str(
        pl.when(pl.col("ongoingrivalry") == 1).then(pl.lit("rivalry")),
        pl.when(pl.col("mid_opp_ongoing") == 1).then(pl.lit("dispute")),
        pl.when(ties == 0).then(pl.lit("no relations")), separator=", ", ignore_nulls=True,
    )  # fmt: skip
    frame = frame.with_columns(
        pl.Series("alliance", alliance_type(*pledges)).fill_nan(None),
        (pl.col("kdiplo_exports") + pl.col("kdiplo_imports")).alias("trade"),
        (pl.col("atop_defense") == 1).fill_null(False).alias("ally"),
        why.replace("", None).alias("adversary_why"),
    ).with_columns(pl.col("adversary_why").is_not_null().alias("adversary"))
    lo, hi = catalog.get("sipri_arms").years or (years.start, years.stop - 1)
    arms = pl.concat([sipri_deliveries(p).with_columns(pl.lit(p, pl.Int32).alias("ccode1"))
                      for p in patrons]).cast({"ccode": pl.Int32, "year": pl.Int32})  # fmt: skip
    arms = arms.filter(pl.col("ccode") == target).select("ccode1", "year", "arms_tiv")
    frame = frame.cast({"ccode1": pl.Int32, "year": pl.Int32}).join(
        arms, on=["ccode1", "year"], how="left"
    ).with_columns(
        pl.when(pl.col("year").is_between(lo, hi)).then(pl.col("arms_tiv").fill_null(0.0))
        .alias("arms_tiv")
    )  # fmt: skip
    return frame.select(
        pl.col("ccode1").alias("ccode"), "year",
        *(pl.col(c).cast(pl.Float64) for c in INDICATORS), "ally", "adversary", "adversary_why",
    ).sort("ccode", "year")  # fmt: skip


def _majors_with_ties(target: int, exclude: set[int], years: range) -> list[int]:
    """COW major powers of any study year, other than ``exclude``, with an ATOP defense
    pledge to the target or SIPRI deliveries to it in a study year."""
    from allegiance.panel import build_panel

    states = build_panel("state_year", years=years, families=["majors"]).collect()
    majors = sorted(set(states.filter(pl.col("cowmaj") == 1)["ccode"].to_list()) - exclude
                    - {target})  # fmt: skip
    if not majors:
        return []
    ties = (
        patron_years(target, majors, years)
        .group_by("ccode")
        .agg((pl.col("ally").any() | (pl.col("arms_tiv") > 0).any()).alias("tie"))
    )
    return sorted(int(c) for c in ties.filter(pl.col("tie"))["ccode"].to_list())


def _compare(by_year: pl.DataFrame, cand: int, rival: int) -> dict[str, Any]:
    """The candidate against one rival: standing and each indicator year by year."""
    c_rows = by_year.filter(pl.col("ccode") == cand)
    r_rows = by_year.filter(pl.col("ccode") == rival)
    wide = c_rows.join(r_rows, on="year", suffix="_r").sort("year")
    c_over_r = pl.col("ally") & pl.col("adversary_r") & ~pl.col("ally_r")
    r_over_c = pl.col("ally_r") & pl.col("adversary") & ~pl.col("ally")
    wide = wide.with_columns(
        pl.when(c_over_r).then(pl.lit("ally")).when(r_over_c).then(pl.lit("adversary"))
        .alias("side_c"),
        (c_over_r | r_over_c).alias("opposed"),
    )  # fmt: skip
    opposed = int(wide["opposed"].sum())
    informative = wide.filter(~pl.col("opposed"))
    out: dict[str, Any] = {
        "years": wide.height, "opposed_years": opposed,
        "informative_years": informative.height,
        "standing": _standing_text(wide, opposed),
        "indicators": {},
    }  # fmt: skip
    for name in INDICATORS:
        pair = informative.select("year", name, f"{name}_r").drop_nulls()
        diff = (pair[name] - pair[f"{name}_r"]).to_list()
        stats = paired_comparison(pair["year"].to_list(), diff)
        stats |= {"candidate_mean": pair[name].mean(), "rival_mean": pair[f"{name}_r"].mean()}
        out["indicators"][name] = stats
    return out


def _standing_text(wide: pl.DataFrame, opposed: int) -> str:
    """The comparison's standing in words: which side was the ally, which the adversary and
    why, in how many of the common years."""
    if not opposed:
        return f"no ally set against an adversary in {wide.height} common years"
    parts = []
    for side, why_col, words in (
        ("ally", "adversary_why_r", "candidate ally, rival adversary"),
        ("adversary", "adversary_why", "candidate adversary, rival ally"),
    ):
        rows = wide.filter(pl.col("side_c") == side)
        if rows.height:
            why = sorted({p for v in rows[why_col].drop_nulls().to_list()
                          for p in str(v).split(", ")})  # fmt: skip
            first, last = rows["year"].min(), rows["year"].max()
            parts.append(f"{words} ({', '.join(why)}) in {rows.height} years, {first!s}-{last!s}")
    return "; ".join(parts) + f", of {wide.height} common years"


@register_kind(
    "leverage",
    evidence_type="evidence",
    decide=decide_leverage,
    thresholds=THRESHOLDS,
    required=("target", "candidate", "rivals"),
    lists=("rivals",),
)
def leverage(params: dict[str, Any], years: range, actors: dict[str, int | str]) -> Finding:
    """Has ``candidate`` more leverage over ``target`` than each of ``rivals`` and the other
    major patrons the data show?

    The patrons compared are the candidate, the named ``rivals`` and, added automatically,
    every other COW major power of the study years with an ATOP defense pledge to the target
    or SIPRI arms deliveries to it in a study year (so the USSR/Russia is compared wherever
    it armed or allied with the target). Each patron is read year by year on every indicator
    of :data:`INDICATORS` the bundle has for it (alliance pledge, arms delivered, South
    Korea's trade where the ROK is in the dyad, and the visits the bundle records for China
    and for the United States only), with its standing toward the target
    (:data:`STANDING`). The candidate is compared with each other patron on each indicator
    over the informative years where both have a value: a comparison that sets an ally of
    the target against one of its adversaries says nothing about leverage, so those years
    are left out and a comparison left with none is reported as uninformative. See
    :func:`decide_leverage` for the verdict; with no informative comparison the claim is not
    testable.
    """
    target = resolve_actor(actors, params["target"])
    cand = resolve_actor(actors, params["candidate"])
    named = [resolve_actor(actors, r) for r in params["rivals"]]
    added = _majors_with_ties(target, {cand, *named}, years)
    patrons = [cand, *dict.fromkeys(r for r in named if r != cand), *added]
    names = {p: _name(actors, p) for p in patrons}
    roles = {p: "candidate" if p == cand else "named rival" if p in named else
             "added: major power with ties" for p in patrons}  # fmt: skip
    by_year = patron_years(target, patrons, years).with_columns(
        pl.col("ccode").replace_strict(names, return_dtype=pl.String).alias("patron")
    )
    comparisons = {names[r]: _compare(by_year, cand, r) for r in patrons[1:]}
    table = _patron_table(by_year, patrons, names, roles)
    comp_table = _comparison_table(comparisons)
    stats = {"candidate": names[cand], "comparisons": comparisons}
    usable = {name for c in comparisons.values() for name, s in c["indicators"].items()
              if s["n_claimed"] + s["n_against"]}  # fmt: skip
    untestable = None if usable else (
        "no informative comparison: no indicator separates the candidate from another patron "
        "in a year with both values and no ally set against an adversary"
        + "".join(f"; {r}: {c['standing']}" for r, c in comparisons.items()))  # fmt: skip
    return Finding(
        table=table,
        stats=stats,
        summary=_summary(names[cand], label(actors, target), comparisons, table),
        certainty="medium" if len(usable) >= 2 else "low",
        reason="Alliance pledges, arms deliveries, trade and visits are observed ties; leverage "
        "itself is inferred from them. Visits are compared only between patrons one source "
        "covers (each visits source here covers one patron), trade only for South Korea. "
        + STANDING,
        settle="Aid, energy and trade flows from every patron to the target by year, and a "
        "common record of leaders' visits for all patrons.",
        figure="leverage_by_patron",
        figure_args={"title": f"Ties of each patron to {label(actors, target)}, year by year"},
        sources=("atop_alliance", "sipri_arms", "tss_rivalries", "cow_midb", "cow_dipex",
                 "kdiplo_ties", "kdiplo_trade", "china_public_diplomacy", "china_vitae",
                 "us_president_visits_2023", "us_secretary_visits", "cow_majors"),
        untestable=untestable,
        tables={"by_year": by_year, "comparisons": comp_table},
    )  # fmt: skip


def _name(actors: dict[str, int | str], code: int) -> str:
    """The study's label of a state, or its COW name when the study does not name it."""
    from allegiance.data.codes import name_of

    found = label(actors, code)
    return found if found != str(code) else name_of(code)


def _patron_table(by_year: pl.DataFrame, patrons: list[int], names: dict[int, str],
                  roles: dict[int, str]) -> pl.DataFrame:  # fmt: skip
    """One row per patron: role, ally and adversary years, and each indicator's total (null
    where the bundle has no value for the patron)."""
    agg = by_year.group_by("ccode").agg(
        pl.col("ally").sum().alias("ally_years"),
        pl.col("adversary").sum().alias("adversary_years"),
        (pl.col("alliance") == 3).sum().alias("defense_pact_years"),
        *(pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c)
          for c in INDICATORS if c != "alliance"),
        pl.col("alliance").is_not_null().sum().alias("alliance_years_observed"),
    )  # fmt: skip
    order = pl.DataFrame(
        {"ccode": patrons, "patron": [names[p] for p in patrons],
         "role": [roles[p] for p in patrons]},
        schema={"ccode": pl.Int32, "patron": pl.String, "role": pl.String},
    )  # fmt: skip
    return order.join(agg, on="ccode", how="left", maintain_order="left")


def _comparison_table(comparisons: dict[str, dict[str, Any]]) -> pl.DataFrame:
    """One row per rival and indicator: standing, informative years and the sign tests."""
    rows = []
    for rival, comp in comparisons.items():
        for name, s in comp["indicators"].items():
            rows.append({"rival": rival, "indicator": name, "source": INDICATORS[name][0],
                         "covers": INDICATORS[name][1], "standing": comp["standing"],
                         "opposed_years": comp["opposed_years"],
                         **{k: s[k] for k in ("years", "first_year", "last_year", "n_claimed",
                                              "n_against", "n_ties", "p_claimed", "p_against",
                                              "mean_difference", "first_half_mean",
                                              "second_half_mean")}})  # fmt: skip
    if not rows:
        return pl.DataFrame(schema={"rival": pl.String, "indicator": pl.String})
    return pl.DataFrame(rows, infer_schema_length=None)


def _summary(cand: str, target: str, comparisons: dict[str, dict[str, Any]],
             table: pl.DataFrame) -> str:  # fmt: skip
    parts = []
    for rival, comp in comparisons.items():
        if not comp["informative_years"]:
            parts.append(f"{cand} vs {rival}: uninformative ({comp['standing']})")
            continue
        inds = [
            f"{n}: {cand} higher in {s['n_claimed']}, {rival} in {s['n_against']} of "
            f"{s['years']} years (sign test p {fmt(s['p_claimed'])})"
            for n, s in comp["indicators"].items()
            if s["years"]
        ]
        parts.append(f"{cand} vs {rival} ({comp['standing']}): "
                     + ("; ".join(inds) or "no indicator covers both"))  # fmt: skip
    totals = "; ".join(
        f"{r['patron']}: {r['defense_pact_years']} defense-pact years, "
        f"{r['arms_tiv'] or 0:.0f} TIV" for r in table.iter_rows(named=True)
    )  # fmt: skip
    return f"Ties to {target}, year by year. " + " | ".join(parts) + f". Totals: {totals}."
