"""Evidence kind ``expected_percentile``: does a dyad cooperate far less than expected?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.errors import ParameterError
from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor

__all__ = ["decide_expected", "expected_percentile", "expected_table"]

THRESHOLDS = (
    Threshold("min_percentile", 80, "a decade counts when the dyad's percentile of expected "
              "cooperation, among all dyads and among shared-patron dyads, is at least this "
              "while the outcome is never observed", low=0.0, high=100.0),
    Threshold("support_share", 0.5, "share of the decades that must count", low=0.0, high=1.0),
)  # fmt: skip

#: The group the dyad is also ranked among (a 0/1 column of the design frame).
GROUP = "shared_patron"


def _counts(decade: Mapping[str, Any], t: Mapping[str, float]) -> bool:
    """Whether a decade counts: high expectation among both comparison sets, no cooperation."""
    shares = [decade["percentile"]]
    if decade.get("percentile_shared_patron") is not None:
        shares.append(decade["percentile_shared_patron"])
    return min(shares) >= t["min_percentile"] and not decade["observed_years"]


def decide_expected(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    r"""Supported when the dyad is expected to cooperate yet never does, in enough decades.

    A decade :math:`d` *counts* when

    .. math:: \min(P^{\mathrm{all}}_d, P^{\mathrm{sp}}_d) \ge p_{\min}
              \quad\text{and}\quad O_d = 0

    where :math:`P^{\mathrm{all}}_d` is the dyad's mean percentile of expected cooperation
    among all dyads in the decade's years, :math:`P^{\mathrm{sp}}_d` the same among the
    dyads whose states share a defense-pact ally (left out of the minimum when the dyad has
    no shared-patron year in the decade), :math:`p_{\min}` the threshold ``min_percentile``
    and :math:`O_d` the number of the decade's years in which the outcome is observed (1).
    The claim is *supported* when the counting decades are at least ``support_share`` of
    the decades, *not supported* when none counts, *mixed* otherwise. Requiring both
    percentiles makes the test harder: the dyad must stand out among the dyads that share a
    patron too, not only among all dyads, most of which are far apart and never cooperate.

    >>> t = {"min_percentile": 80, "support_share": 0.5}
    >>> decide_expected({"decades": [{"percentile": 90, "percentile_shared_patron": 85,
    ...                               "observed_years": 0}]}, t)[0]
    'supported'
    >>> decide_expected({"decades": [{"percentile": 90, "percentile_shared_patron": 60,
    ...                               "observed_years": 0}]}, t)[0]
    'not supported'
    """
    counts = [_counts(d, t) for d in stats["decades"]]
    share = sum(counts) / len(counts) if counts else 0.0
    reason = (f"{sum(counts)} of {len(counts)} decades at or above the "
              f"{t['min_percentile']:.0f}th percentile (among all dyads and among "
              "shared-patron dyads) without cooperation")  # fmt: skip
    if counts and share >= t["support_share"]:
        return "supported", reason
    return ("not supported" if not any(counts) else "mixed"), reason


def expected_table(
    decades: pl.DataFrame, group: pl.DataFrame, yearly: pl.DataFrame, columns: Mapping[str, str]
) -> pl.DataFrame:
    """One row per decade: the percentile among all dyads and among shared-patron dyads (with
    their bands), and the years the outcome and each single outcome were observed.

    ``decades`` and ``group`` are the run's decade tables (all dyads; the group's, possibly
    empty); ``yearly`` the dyad's rows of the design frame (``year`` and the outcome
    columns); ``columns`` maps a name in the table (``observed`` and one per single outcome)
    to its column in ``yearly``.

    >>> d = pl.DataFrame({"decade": [1990], "years": [2], "percentile": [90.0],
    ...                   "percentile_low": [85.0], "percentile_high": [95.0],
    ...                   "mean_n_dyads": [100.0]})
    >>> g = d.with_columns(pl.col("percentile") - 10)
    >>> y = pl.DataFrame({"year": [1990, 1991], "m": [0, 1], "e": [0, 1]})
    >>> expected_table(d, g, y, {"observed": "m", "exercise": "e"}).select(
    ...     "percentile_shared_patron", "observed_years", "exercise_years").row(0)
    (80.0, 1, 1)
    """
    observed = yearly.group_by((pl.col("year") // 10 * 10).alias("decade")).agg(
        *(pl.col(c).cast(pl.Int64).sum().alias(f"{name}_years") for name, c in columns.items()),
        pl.col(next(iter(columns.values()))).is_not_null().sum().alias("outcome_years"),
    )
    table = decades.join(observed, on="decade", how="left")
    if group.height:
        shared = group.select(
            "decade",
            pl.col("years").alias("shared_patron_years"),
            pl.col("percentile").alias("percentile_shared_patron"),
            pl.col("percentile_low").alias("percentile_shared_patron_low"),
            pl.col("percentile_high").alias("percentile_shared_patron_high"),
            pl.col("mean_n_dyads").alias("mean_n_shared_patron_dyads"),
        )
        table = table.join(shared, on="decade", how="left")
    else:
        table = table.with_columns(
            pl.lit(0, dtype=pl.Int64).alias("shared_patron_years"),
            *(pl.lit(None, dtype=pl.Float64).alias(c) for c in
              ("percentile_shared_patron", "percentile_shared_patron_low",
               "percentile_shared_patron_high", "mean_n_shared_patron_dyads")),
        )  # fmt: skip
    counts = [f"{name}_years" for name in columns]
    return table.with_columns(pl.col(c).fill_null(0) for c in counts).sort("decade")


@register_kind(
    "expected_percentile",
    evidence_type="model",
    decide=decide_expected,
    thresholds=THRESHOLDS,
    required=("dyad",),
    optional=("outcome", "formula", "years", "split", "n_draws", "seed"),
    lists=("dyad",),
)
def expected_percentile(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Does the dyad cooperate far less than its predictors lead one to expect?

    Fits :class:`allegiance.models.expected.ExpectedCooperation` (clustered logit) of
    ``outcome`` (default ``military_cooperation``: an ATOP defense pact, a DCA or a joint
    exercise in the year, observed in the years all three cover) on the year-before
    predictors of ``formula`` (default
    :data:`allegiance.inputs.expected.DEFAULT_FORMULA`, which includes ``shared_patron``)
    for every COW dyad-year of ``params["years"]``, trained up to ``split``. It reads the
    dyad's percentile of expected probability by decade among all dyads and among the
    dyads whose states share a defense-pact ally, with bands from ``n_draws`` coefficient
    draws, beside the years the outcome and each of its single outcomes were observed (both
    over the years the dyad is placed in: those with every predictor). See
    :func:`decide_expected` for the verdict rule; the claim is not testable when its years
    have no observed outcome.
    """
    from allegiance.inputs.expected import (
        DEFAULT_FORMULA,
        DEFAULT_OUTCOME,
        design_frame,
        outcome_years,
        resolve_outcome,
    )
    from allegiance.params import parse_years
    from allegiance.runs.expected import run_expected

    span = parse_years(str(params["years"])) if "years" in params else years
    dyad = tuple(resolve_actor(actors, d) for d in params["dyad"])
    target = resolve_outcome(str(params.get("outcome", DEFAULT_OUTCOME)))
    try:
        outcome_years(target, span)
    except ParameterError as exc:
        return _untestable(target.name, str(exc))
    result = run_expected(outcome=target.name, years=span, split=int(params.get("split", 2000)),
                          dyad=(dyad[0], dyad[1]), estimators=("logit",),
                          formula=str(params.get("formula", DEFAULT_FORMULA)),
                          n_draws=int(params.get("n_draws", 100)),
                          seed=int(params.get("seed", 1)))  # fmt: skip
    run = result.fit
    lo, hi = min(dyad), max(dyad)
    frame = design_frame(target.name, range(run.years.start, run.years.stop))
    columns = {"observed": target.column,
               **{o.name: o.column for o in target.parts if o is not target}}  # fmt: skip
    placed = run.percentile["year"].cast(pl.Int64).to_list()  # the dyad's complete years
    mine = frame.filter(pl.col("ccode1") == lo, pl.col("ccode2") == hi,
                        pl.col("year").cast(pl.Int64).is_in(placed)).select(
        "year", *dict.fromkeys(columns.values())
    )  # fmt: skip
    table = expected_table(run.decades.drop("estimator"), run.group_decades.drop("estimator",
                           "among", strict=False), mine, columns)  # fmt: skip
    metrics = run.metrics.row(0, named=True)
    dyad_rank = run.ranking.filter((pl.col("ccode1") == lo) & (pl.col("ccode2") == hi))
    best = dyad_rank["missing_rank"].drop_nulls().min()
    keep = ["decade", "percentile", "percentile_shared_patron", "observed_years"]
    decades = table.select(keep)
    return Finding(
        table=table,
        stats={"decades": decades.to_dicts(), "auc": metrics["auc"], "outcome": target.name},
        summary=f"{target.label}; percentile by decade among all dyads [among shared-patron "
        "dyads], with years observed: " + "; ".join(_decade_text(r, columns)
                                                    for r in table.iter_rows(named=True))
        + f". Best rank among missing-cooperation dyad-years: {best!s}.",
        certainty="medium" if metrics["auc"] >= 0.8 else "low",
        reason=f"Out-of-sample AUC {metrics['auc']:.3f}, Brier {metrics['brier']:.4f} (base "
        f"rate Brier {metrics['brier_climatology']:.4f}); predictors lagged one year; bands "
        "are 90% from coefficient draws.",
        settle="A measure of military cooperation short of alliance beyond exercises and DCAs "
        "(intelligence sharing, logistics agreements) for all dyads over the whole period.",
        figure="percentile_by_decade",
        figure_args={"title": f"Expected {target.name}: percentile of the dyad among all "
                     "dyads and among shared-patron dyads"},
        sources=result.meta.sources,
    )  # fmt: skip


def _decade_text(row: Mapping[str, Any], columns: Mapping[str, str]) -> str:
    shared = row.get("percentile_shared_patron")
    among = f" [{shared:.0f}]" if shared is not None else " [no shared patron]"
    seen = ", ".join(f"{name} {row[f'{name}_years']}" for name in columns if name != "observed")
    return (f"{row['decade']}s {row['percentile']:.0f} ({row['percentile_low']:.0f}-"
            f"{row['percentile_high']:.0f}){among}, observed {row['observed_years']} of "
            f"{row['outcome_years']} years" + (f" ({seen})" if seen else ""))  # fmt: skip


def _untestable(outcome: str, why: str) -> Finding:
    schema = {"decade": pl.Int64, "percentile": pl.Float64, "percentile_low": pl.Float64,
              "percentile_high": pl.Float64, "percentile_shared_patron": pl.Float64,
              "observed_years": pl.Int64}  # fmt: skip
    return Finding(
        table=pl.DataFrame(schema=schema), stats={"decades": [], "outcome": outcome},
        summary="No year of the claim has the outcome observed.", certainty="low",
        reason=why, settle="Outcome data for the claim's years.",
        figure="percentile_by_decade", untestable=f"the outcome is not observed: {why}",
    )  # fmt: skip
