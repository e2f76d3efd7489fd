"""Evidence kind ``expected_percentile``: does a dyad cooperate far less than expected?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.params import parse_years
from allegiance.runs.expected import run_expected
from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor

__all__ = ["decide_expected", "expected_percentile"]

THRESHOLDS = (
    Threshold("min_percentile", 80, "a decade counts when the dyad's percentile of expected "
              "cooperation is at least this while the outcome is never observed",
              low=0.0, high=100.0),
    Threshold("support_share", 0.5, "share of the decades that must count", low=0.0, high=1.0),
)  # fmt: skip


def decide_expected(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Supported when at least ``support_share`` of the decades have the dyad at or above
    ``min_percentile`` of expected cooperation while it never cooperated; not supported when
    no decade does; otherwise mixed.

    >>> decide_expected({"decades": [{"percentile": 90, "observed_years": 0}]},
    ...                 {"min_percentile": 80, "support_share": 0.5})[0]
    'supported'
    """
    counts = [d["percentile"] >= t["min_percentile"] and not d["observed_years"]
              for d in stats["decades"]]  # fmt: skip
    share = sum(counts) / len(counts) if counts else 0.0
    reason = (f"{sum(counts)} of {len(counts)} decades at or above the "
              f"{t['min_percentile']:.0f}th percentile without cooperation")  # fmt: skip
    if counts and share >= t["support_share"]:
        return "supported", reason
    return ("not supported" if not any(counts) else "mixed"), reason


@register_kind(
    "expected_percentile",
    evidence_type="model",
    decide=decide_expected,
    thresholds=THRESHOLDS,
    required=("dyad", "formula"),
    optional=("outcome", "years", "split", "n_draws", "seed"),
    lists=("dyad",),
)
def expected_percentile(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Does the dyad cooperate far less than its predictors lead one to expect?

    Fits :class:`allegiance.models.expected.ExpectedCooperation` (clustered logit, the
    study's ``formula``) on every COW dyad-year of ``params["years"]``, trained up to
    ``split``, and reads the dyad's percentile of expected probability among all dyads, by
    decade, with a band from ``n_draws`` coefficient draws. See :func:`decide_expected`.
    """
    span = parse_years(str(params["years"])) if "years" in params else years
    dyad = tuple(resolve_actor(actors, d) for d in params["dyad"])
    outcome = str(params.get("outcome", "atop_defense"))
    result = run_expected(outcome=outcome, years=span, split=int(params.get("split", 2000)),
                          dyad=(dyad[0], dyad[1]), estimators=("logit",),
                          formula=str(params["formula"]), n_draws=int(params.get("n_draws", 100)),
                          seed=int(params.get("seed", 1)))  # fmt: skip
    run = result.fit
    lo, hi = min(dyad), max(dyad)
    mine = run.ranking.filter((pl.col("ccode1") == lo) & (pl.col("ccode2") == hi))
    observed = mine.group_by((pl.col("year") // 10 * 10).alias("decade")).agg(
        pl.col("observed").sum().alias("observed_years")
    )
    table = run.decades.join(observed, on="decade", how="left").sort("decade")
    metrics = run.metrics.row(0, named=True)
    best = mine["missing_rank"].drop_nulls().min()
    decades = table.select("decade", "percentile", pl.col("observed_years").fill_null(0))
    return Finding(
        table=table,
        stats={"decades": decades.to_dicts(), "auc": metrics["auc"]},
        summary="Percentile by decade: " + ", ".join(
            f"{r['decade']}s {r['percentile']:.0f} [{r['percentile_low']:.0f}-"
            f"{r['percentile_high']:.0f}]" for r in table.iter_rows(named=True))
        + f"; best rank among missing-cooperation dyad-years: {best!s}.",
        certainty="medium" if metrics["auc"] >= 0.8 else "low",
        reason=f"Out-of-sample AUC {metrics['auc']:.3f}, Brier {metrics['brier']:.4f} (base "
        f"rate Brier {metrics['brier_climatology']:.4f}); bands are 90% from coefficient draws.",
        settle="A measure of military cooperation short of alliance (exercises, intelligence "
        "sharing, logistics agreements) for all dyads over the whole period.",
        figure="percentile_by_decade",
        figure_args={"title": f"Expected {outcome}: percentile of the dyad among all dyads"},
        sources=result.meta.sources,
    )  # fmt: skip
