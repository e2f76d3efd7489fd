"""Evidence kinds computed from the models: quasi-alliance, expected cooperation, landscape."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from allegiance.study.evidence import Evidence, Verdict, register_kind, resolve_actor

__all__ = ["quasi_alliance"]


@register_kind("quasi_alliance")
def quasi_alliance(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Do the two clients cooperate when both fear abandonment by the patron (Cha)?

    Runs :class:`allegiance.models.quasi.QuasiAlliance` for ``patron`` and ``clients`` over
    ``params["years"]`` (default: the study years) and reads its overall evaluation: the
    Spearman correlation of predicted intensity with the observed cooperation composite and
    its one-sided block-permutation p-value. "Supported" when rho >= ``min_rho`` (0.3) and
    p <= ``alpha`` (0.05); "not testable with the data" when fewer than ``min_years`` (20)
    years have any observed component; otherwise "not supported".
    """
    from allegiance.models.quasi import QuasiAlliance, parse_periods
    from allegiance.models.quasi_data import check_actors, client_inputs, observed_relation

    patron = resolve_actor(actors, params["patron"])
    pair = check_actors(patron, [resolve_actor(actors, c) for c in params["clients"]])
    span = years
    if "years" in params:
        first, last = (int(y) for y in str(params["years"]).split("-"))
        span = range(first, last + 1)
    periods = parse_periods(params["periods"], span) if "periods" in params else None
    model = QuasiAlliance(n_permutations=int(params.get("permutations", 999)),
                          random_state=int(params.get("seed", 1)))  # fmt: skip
    model.fit(client_inputs(patron, pair, span), observed_relation(pair, span), clients=pair,
              periods=periods)  # fmt: skip
    evaluation = model.evaluate()
    overall = evaluation.filter(pl.col("period") == "all").row(0, named=True)
    observed_years = int(model.by_year_.filter(pl.col("n_components") > 0).height)
    rho, p = overall["spearman"], overall["p_spearman"]
    verdict: Verdict
    if observed_years < thresholds.get("min_years", 20) or rho is None:
        verdict = "not testable with the data"
    elif rho >= thresholds.get("min_rho", 0.3) and p <= thresholds.get("alpha", 0.05):
        verdict = "supported"
    else:
        verdict = "not supported"
    by_year = model.by_year_
    fig = go.Figure([
        go.Scatter(x=by_year["year"].to_list(), y=by_year["intensity"].to_list(),
                   name="predicted intensity", mode="lines+markers"),
        go.Scatter(x=by_year["year"].to_list(), y=by_year["composite"].to_list(),
                   name="observed cooperation (composite)", mode="lines+markers"),
    ])  # fmt: skip
    fig.update_layout(title="Quasi-alliance: predicted vs observed cooperation of the clients",
                      xaxis_title="year", template="plotly_white")  # fmt: skip
    thin = by_year.filter(pl.col("n_components") <= 1)["year"].to_list()
    return Evidence(
        table=evaluation.with_columns(pl.lit(model.seed_).alias("seed")),
        figure=fig.to_plotly_json(), verdict=verdict,
        certainty="low" if len(thin) > len(span) / 3 else "medium",
        reason=f"{observed_years} of {len(span)} years have some observed cooperation data, but "
        f"{len(thin)} of them ({_span(thin)}) have at most one component (disputes only), so "
        "the Nixon and Carter episodes are barely observed; the fear weights are documented "
        "judgment calls, not estimates.",
        summary=f"Overall Spearman {_f(rho)} (permutation p {_f(p)}), match rate "
        f"{_f(overall['match_rate'])} (p {_f(overall['p_match'])}) over {observed_years} "
        "observed years.",
        settle="Dated records of Japan-ROK security consultations, exercises and agreements "
        "before 1980 (the Nixon and Carter episodes), and survey data on fear of abandonment.",
        sources=("troops_legacy", "atop_alliance", "dcad", "sipri_arms", "mme", "icews",
                 "gml_mid_ddydisps", "un_votes", "us_commitment_signals"),
    )  # fmt: skip


def _span(years: list[int]) -> str:
    return f"{min(years)}-{max(years)}" if years else "none"


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
