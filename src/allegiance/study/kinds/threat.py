"""Evidence kind ``threat_comparison``: does one state treat a target as less of a threat?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor
from allegiance.study.kinds.common import fmt, label, paired_comparison

__all__ = ["INDICATORS", "decide_threat", "threat_comparison"]

#: Indicators of threat toward the target: the column, its source, and whether a *higher*
#: value means *less* threat (so that the difference is oriented the claimed way).
INDICATORS: dict[str, tuple[str, bool]] = {
    "disputes": ("COW MID 5.0, opposite sides (MIDB), 1816-2014", False),
    "relations": ("event data, standardized against all dyads of the source", True),
    "un_agreement": ("UNGA votes alike (Voeten et al.), to 2020", True),
    "idealpoint_distance": ("UNGA ideal-point distance (Bailey et al.), to 2023", False),
}

THRESHOLDS = (
    Threshold("alpha", 0.05, "significance of the one-sided sign test of each indicator",
              low=0.0, high=1.0),
    Threshold("support_share", 1.0, "share of the testable indicators that must point the "
              "claimed way (significantly) for 'supported'", grid=(0.5, 0.75, 1.0)),
    Threshold("min_years", 10, "common years an indicator needs to be testable",
              grid=(8, 10, 12)),
)  # fmt: skip


def decide_threat(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Supported when at least ``support_share`` of the testable indicators point the claimed
    way with a sign test p <= ``alpha`` and none points significantly against; not supported
    when none points the claimed way; otherwise mixed. An indicator is testable with at least
    ``min_years`` common years; with none, the claim is not testable.

    >>> ind = {"years": 20, "p_claimed": 0.01, "p_against": 0.99}
    >>> decide_threat({"indicators": {"a": ind}}, {"alpha": 0.05, "support_share": 1,
    ...                                            "min_years": 10})[1]
    '1 of 1 testable indicators point the claimed way, 0 against (sign test p <= 0.05)'
    """
    testable = {k: v for k, v in stats["indicators"].items() if v["years"] >= t["min_years"]}
    if not testable:
        return "not testable", f"no indicator has {t['min_years']:.0f} common years"
    claimed = [k for k, v in testable.items() if v["p_claimed"] <= t["alpha"]]
    against = [k for k, v in testable.items() if v["p_against"] <= t["alpha"]]
    reason = (f"{len(claimed)} of {len(testable)} testable indicators point the claimed way, "
              f"{len(against)} against (sign test p <= {t['alpha']:g})")  # fmt: skip
    if len(claimed) >= t["support_share"] * len(testable) and not against:
        return "supported", reason
    if not claimed:
        return "not supported", reason
    return "mixed", reason


@register_kind(
    "threat_comparison",
    evidence_type="evidence",
    decide=decide_threat,
    thresholds=THRESHOLDS,
    required=("subject", "other", "target"),
)
def threat_comparison(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Does ``subject`` treat ``target`` as less of a threat than ``other`` does?

    Four indicators of each dyad's relation with the target (:data:`INDICATORS`): ongoing
    militarized disputes on opposite sides, observed relations from event data (standardized
    against all dyads of each source, so that two dyads can be compared), UN voting agreement
    and ideal-point distance. Each indicator compares the two dyads **year by year over the
    years where both have a value**: the paired differences, oriented so that a positive one
    points the claimed way, are tested with a one-sided sign test (ties dropped), and their
    mean is reported for the first and second half of those years and before and after the
    detected change point (:func:`~allegiance.study.kinds.common.change_point`), besides the
    pooled means. Indicators that cover different windows are each compared on their own
    common years only. See :func:`decide_threat` for the verdict.
    """
    subj, other, target = (resolve_actor(actors, params[k]) for k in ("subject", "other", "target"))
    dyads = [(subj, target), (other, target)]
    names = {d: f"{label(actors, d[0])}-{label(actors, d[1])}" for d in dyads}
    table = (
        _indicator_table(dyads, years)
        .with_columns(
            pl.struct("ccode1", "ccode2")
            .map_elements(lambda s: names[(s["ccode1"], s["ccode2"])], return_dtype=pl.String)
            .alias("dyad")
        )
        .sort("dyad", "year")
    )
    stats: dict[str, Any] = {"indicators": {}, "dyads": [names[d] for d in dyads]}
    paired = []
    for col, (_, higher_is_less) in INDICATORS.items():
        wide = table.pivot(on="dyad", index="year", values=col).drop_nulls().sort("year")
        if wide.height == 0 or names[dyads[0]] not in wide.columns:
            stats["indicators"][col] = {"years": 0, "p_claimed": 1.0, "p_against": 1.0}
            continue
        a, b = wide[names[dyads[0]]], wide[names[dyads[1]]]
        diff = (a - b) if higher_is_less else (b - a)
        result = paired_comparison(wide["year"].to_list(), diff.to_list())
        result |= {"subject_mean": float(a.mean()), "other_mean": float(b.mean())}  # type: ignore[arg-type]
        stats["indicators"][col] = result
        paired.append({"indicator": col, "source": INDICATORS[col][0], **result})
    untestable = None if any(v["years"] for v in stats["indicators"].values()) else (
        "no indicator has a year in which both dyads are observed")  # fmt: skip
    return Finding(
        table=pl.DataFrame(paired) if paired else pl.DataFrame({"indicator": []}),
        stats=stats,
        summary=_summary(stats, names[dyads[0]], names[dyads[1]]),
        certainty="medium" if len(paired) >= 3 else "low",
        reason="Threat perception itself is not observed: disputes, event data and UN votes "
        "are what states did, compared year by year.",
        settle="Elite and public threat-perception surveys, and defense white papers coded by "
        "year, for both states.",
        figure="threat_indicators_by_year",
        sources=("cow_midb", "weis_events", "icews_cow", "gdelt_pair_month", "un_votes",
                 "un_roll_calls", "unga_idealpoints"),
        untestable=untestable,
        tables={"by_year": table},
    )  # fmt: skip


def _indicator_table(dyads: list[tuple[int, int]], years: range) -> pl.DataFrame:
    """``ccode1, ccode2, year`` and every indicator for the two dyads."""
    from allegiance.measures import compute
    from allegiance.panel.build import build_panel

    keys = ["ccode1", "ccode2", "year"]
    states = sorted({c for d in dyads for c in d})
    panel = build_panel("dyad_year", years=years, directed=True, states=states,
                        families=["mid_sides"]).collect()  # fmt: skip
    wanted = pl.DataFrame(dyads, schema=["ccode1", "ccode2"], orient="row").cast(pl.Int32)
    table = panel.join(wanted, on=["ccode1", "ccode2"]).select(
        *keys, pl.col("mid_opp_ongoing").cast(pl.Float64).alias("disputes")
    )
    measures = (
        compute("relations", years, dyads=dyads, reference="system").select(*keys, "relations"),
        compute("un_agreement", years, dyads=dyads).select(*keys, "un_agreement"),
        compute("idealpoint_distance", years, dyads=dyads).select(*keys, "idealpoint_distance"),
    )
    for m in measures:
        table = table.join(m.cast({k: table.schema[k] for k in keys}), on=keys, how="left")
    return table


def _summary(stats: dict[str, Any], a: str, b: str) -> str:
    parts = []
    for col, s in stats["indicators"].items():
        if not s["years"]:
            parts.append(f"{col}: no common year")
            continue
        parts.append(
            f"{col}: {a} the less threatened in {s['n_claimed']} of {s['years']} common years "
            f"({s['first_year']}-{s['last_year']}), {b} in {s['n_against']} (sign test p "
            f"{fmt(s['p_claimed'])}); mean difference {fmt(s['mean_difference'])}, first half "
            f"{fmt(s['first_half_mean'])}, second half {fmt(s['second_half_mean'])}"
        )
    return "; ".join(parts) + "."
