"""Evidence kinds computed from measures and panels: threat, territory, leverage."""

from __future__ import annotations

from typing import Any

import polars as pl

from allegiance.measures import compute
from allegiance.panel.build import build_panel
from allegiance.study.evidence import Evidence, Verdict, register_kind, resolve_actor

__all__ = ["leverage", "territorial_claims", "threat_comparison"]


def _label(actors: dict[str, int | str], code: int) -> str:
    for label in actors:
        if resolve_actor(actors, label) == code:
            return label
    return str(code)


def _vote(shares: list[bool], thresholds: dict[str, float]) -> Verdict:
    """Supported when at least ``support_share`` of indicators agree, not when none do."""
    if not shares:
        return "not testable with the data"
    share = sum(shares) / len(shares)
    if share >= thresholds.get("support_share", 1.0):
        return "supported"
    return "not supported" if share <= thresholds.get("reject_share", 0.0) else "mixed"


@register_kind("threat_comparison", required=("subject", "other", "target"))
def threat_comparison(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Does ``subject`` treat ``target`` as less of a threat than ``other`` does?

    Indicators, each compared over the study years where both dyads have a value: militarized
    dispute onsets with the target (GML MIDs; fewer = less threat), UN voting agreement with
    the target (higher = less threat) and ideal-point distance (lower = less threat). The
    verdict is "supported" when at least ``support_share`` (default 1) of the indicators point
    the claimed way, "not supported" when at most ``reject_share`` (default 0) do, else mixed.
    """
    subj, other, target = (resolve_actor(actors, params[k]) for k in ("subject", "other", "target"))
    dyads = [(subj, target), (other, target)]
    names = {d: f"{_label(actors, d[0])}-{_label(actors, d[1])}" for d in dyads}
    panel = build_panel("dyad_year", years=years, directed=True, states=[subj, other, target],
                        families=["gml_mids"]).collect()  # fmt: skip
    mids = panel.join(pl.DataFrame(dyads, schema=["ccode1", "ccode2"], orient="row")
                      .cast(pl.Int32), on=["ccode1", "ccode2"])  # fmt: skip
    agree = compute("un_agreement", years, dyads=dyads)
    ideal = compute("idealpoint_distance", years, dyads=dyads)
    table = (
        mids.select("ccode1", "ccode2", "year", "gmlmidonset")
        .join(agree.select("ccode1", "ccode2", "year", "un_agreement"),
              on=["ccode1", "ccode2", "year"], how="left")
        .join(ideal.select("ccode1", "ccode2", "year", "idealpoint_distance"),
              on=["ccode1", "ccode2", "year"], how="left")
        .with_columns(pl.struct("ccode1", "ccode2").map_elements(
            lambda s: names[(s["ccode1"], s["ccode2"])], return_dtype=pl.String).alias("dyad"))
        .sort("dyad", "year")
    )  # fmt: skip
    # each indicator is compared over the years where both dyads have a value
    s: dict[str, Any] = {}
    o: dict[str, Any] = {}
    for col, agg in (("gmlmidonset", "sum"), ("un_agreement", "mean"),
                     ("idealpoint_distance", "mean")):  # fmt: skip
        both = table.pivot(on="dyad", index="year", values=col).drop_nulls()
        n = both.height
        first, second = both[names[dyads[0]]] if n else None, both[names[dyads[1]]] if n else None
        s[col] = getattr(first, agg)() if n else None
        o[col] = getattr(second, agg)() if n else None
        s[f"{col}_years"] = o[f"{col}_years"] = n
    shares: list[bool] = []
    for col, lower_is_less in (("gmlmidonset", True), ("un_agreement", False),
                               ("idealpoint_distance", True)):  # fmt: skip
        if s[col] is not None and o[col] is not None and s[col] != o[col]:
            shares.append(s[col] < o[col] if lower_is_less else s[col] > o[col])
        elif s[col] is not None:
            shares.append(False)  # a tie does not point the claimed way
    verdict = _vote(shares, thresholds)
    summary = (
        f"{names[dyads[0]]} vs {names[dyads[1]]}: MID onsets {s['gmlmidonset']} vs "
        f"{o['gmlmidonset']} ({s['gmlmidonset_years']} common years); mean UN agreement "
        f"{_f(s['un_agreement'])} vs {_f(o['un_agreement'])} ({s['un_agreement_years']} years); "
        f"mean ideal-point distance {_f(s['idealpoint_distance'])} vs "
        f"{_f(o['idealpoint_distance'])} ({s['idealpoint_distance_years']} years)."
    )
    certainty = "medium" if len(shares) == 3 else "low"
    return Evidence(
        table=table, figure="un_agreement_by_year", verdict=verdict, certainty=certainty,
        reason=f"{sum(shares)} of {len(shares)} indicators point the claimed way; disputes end "
        "in 2010 (GML) and UN votes in 2020; threat perception itself is not observed.",
        summary=summary,
        settle="Elite and public threat-perception surveys, and defense white papers coded "
        "by year, for both states.",
        sources=("gml_mid_ddydisps", "un_votes", "un_roll_calls", "unga_idealpoints"),
    )  # fmt: skip


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@register_kind("territorial_claims", required=("subject", "main", "others"), lists=("others",))
def territorial_claims(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Is ``subject``'s main territorial dispute with ``main`` and none significant with ``others``?

    From ICOW claims: per partner, the years with an active claim and the highest salience
    (0-12). Supported when the subject has a claim with ``main`` of salience at least
    ``min_salience`` (default 6) and every other partner's highest salience is below
    ``max_other_salience`` (default 4).
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
        pl.col("ccode2").map_elements(lambda c: _label(actors, c), return_dtype=pl.String)
        .alias("partner")
    ).sort("ccode2")  # fmt: skip
    sal = dict(zip(table["ccode2"], table["max_salience"], strict=True))
    main_ok = (sal.get(main) or 0) >= thresholds.get("min_salience", 6)
    others_ok = all((sal.get(o) or 0) < thresholds.get("max_other_salience", 4) for o in others)
    verdict: Verdict = "supported" if main_ok and others_ok else (
        "mixed" if main_ok or others_ok else "not supported")  # fmt: skip
    covered = int(table["years_covered"].sum())
    return Evidence(
        table=table.select("partner", "ccode2", "claim_years", "first_claim_year",
                           "last_claim_year", "max_salience", "years_covered"),
        figure="claim_salience", verdict=verdict,
        figure_args={"title": f"Highest ICOW claim salience, {_label(actors, subj)} and partners"},
        certainty="high" if covered else "low",
        reason="ICOW provisional claims data run to 2001; later years are not covered.",
        summary="; ".join(f"{r['partner']}: {r['claim_years']} claim-years, max salience "
                          f"{r['max_salience']}" for r in table.iter_rows(named=True)),
        settle="ICOW claims data after 2001 (the provisional global file ends in 2001).",
        sources=("icow_claims",),
    )  # fmt: skip


@register_kind("leverage", required=("target", "candidate", "rivals"), lists=("rivals",))
def leverage(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Has ``candidate`` more leverage over ``target`` than each of ``rivals``?

    Indicators per patron: years of an ATOP defense pledge with the target, and SIPRI arms
    transfers (TIV) delivered to the target. COW dyadic trade is not in the bundle (only
    state-year totals), so trade is reported as not testable. Supported when the candidate
    leads on every available indicator.
    """
    target = resolve_actor(actors, params["target"])
    cand = resolve_actor(actors, params["candidate"])
    patrons = [cand, *(resolve_actor(actors, r) for r in params["rivals"])]
    from allegiance.measures.commitment import sipri_deliveries

    panel = build_panel("dyad_year", years=years, directed=True, states=[target, *patrons],
                        families=["atop"]).collect().filter(pl.col("ccode2") == target)  # fmt: skip
    rows = []
    for p in patrons:
        arms = sipri_deliveries(p).filter(
            (pl.col("ccode") == target) & pl.col("year").is_between(years.start, years.stop - 1)
        )
        mine = panel.filter(pl.col("ccode1") == p)
        rows.append({"patron": _label(actors, p), "ccode": p,
                     "defense_pact_years": int((mine["atop_defense"] == 1).sum()),
                     "any_atop_years": int((mine["atop_anypledge"] == 1).sum()),
                     "arms_tiv": float(arms["arms_tiv"].sum()),
                     "dyadic_trade": None})  # fmt: skip
    table = pl.DataFrame(rows, schema_overrides={"dyadic_trade": pl.Float64})
    lead = [all(table[col][0] > v for v in table[col][1:]) for col in
            ("defense_pact_years", "arms_tiv") if table[col].sum() > 0]  # fmt: skip
    verdict = _vote(lead, thresholds)
    return Evidence(
        table=table, figure="leverage_by_patron", verdict=verdict,
        figure_args={"title": f"Leverage over {_label(actors, target)}"},
        certainty="medium" if len(lead) == 2 else "low",
        reason="Alliance and arms transfers are observed; dyadic trade and aid are not in the "
        "bundle, and leverage itself is inferred from ties.",
        summary="; ".join(f"{r['patron']}: {r['defense_pact_years']} defense-pact years, "
                          f"{r['arms_tiv']:.0f} TIV of arms" for r in rows),
        settle="Dyadic trade (COW dyadic trade v4.0 or UN Comtrade), aid and energy flows to "
        "the target by year.",
        sources=("atop_alliance", "sipri_arms"),
    )  # fmt: skip
