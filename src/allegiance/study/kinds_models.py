"""Evidence kinds computed from the models: quasi-alliance, expected cooperation, landscape."""

from __future__ import annotations

from typing import Any

import polars as pl

from allegiance.study.evidence import Evidence, Verdict, register_kind, resolve_actor

__all__ = [
    "expected_percentile",
    "landscape_without",
    "quasi_alliance",
    "scenario_alignment",
]


@register_kind(
    "quasi_alliance",
    required=("patron", "clients"),
    optional=("years", "periods", "seed", "permutations"),
    lists=("clients",),
)
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
    from allegiance.params import parse_periods, parse_years
    from allegiance.runs.quasi import QUASI_SOURCES, run_quasi

    patron = resolve_actor(actors, params["patron"])
    clients = [resolve_actor(actors, c) for c in params["clients"]]
    span = parse_years(str(params["years"])) if "years" in params else years
    periods = parse_periods(params["periods"], span) if "periods" in params else None
    run = run_quasi(patron=patron, clients=clients, years=span, periods=periods,
                    permutations=int(params.get("permutations", 999)),
                    seed=int(params.get("seed", 1)))  # fmt: skip
    model = run.model
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
    thin = by_year.filter(pl.col("n_components") <= 1)["year"].to_list()
    return Evidence(
        table=evaluation.with_columns(pl.lit(model.seed_).alias("seed")),
        figure="quasi_predicted_observed", verdict=verdict,
        tables={"by_year": by_year.select("year", "intensity", "composite", "n_components")},
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
        sources=QUASI_SOURCES,
    )  # fmt: skip


def _span(years: list[int]) -> str:
    return f"{min(years)}-{max(years)}" if years else "none"


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _together(model: Any, a: str, b: str) -> float:
    """Share of starting configurations (basins) ending with ``a`` and ``b`` in one bloc."""
    total = sum(c.basin_size for c in model.stable_)
    same = sum(c.basin_size for c in model.stable_ if any(a in bl and b in bl for bl in c.blocs))
    return same / total if total else float("nan")


def _blocs(model: Any) -> str:
    return " / ".join(" | ".join(" ".join(bl) for bl in c.blocs if bl) for c in model.stable_)


@register_kind(
    "landscape_without", required=("remove", "pair", "rival", "years"), lists=("pair", "years")
)
def landscape_without(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Without ``remove`` (the patron), do ``pair`` balance against each other?

    For each year in ``params["years"]``, the landscape (Axelrod & Bennett 1993; two blocs,
    exact, sizes = CINC, propensities = the documented additive index of
    :func:`allegiance.models.landscape_data.propensity_index`) of all study actors, and again
    with ``remove`` taken out. The evidence is the share of starting configurations (basins)
    that end with the pair in one bloc, and with the first of the pair beside ``rival``.
    "Supported" when, in at least ``support_share`` (default 0.5) of the years, the pair is split in
    most basins without the patron; "not supported" when it never is; otherwise mixed.
    """
    from allegiance.runs.landscape import INDEX_SOURCES, landscape_inputs, run_landscape

    codes = [resolve_actor(actors, label) for label in actors]
    removed = resolve_actor(actors, params["remove"])
    a_code, b_code = (resolve_actor(actors, p) for p in params["pair"])
    rival = resolve_actor(actors, params["rival"])
    rows = []
    for year in params["years"]:
        full = landscape_inputs(int(year), codes)
        names = dict(zip(full.ccodes, full.actors, strict=True))
        without = landscape_inputs(int(year), [c for c in codes if c != removed])
        fitted = {
            label: run_landscape(inputs=inp, n_blocs=2, method="exact").model
            for label, inp in (("with", full), ("without", without))
        }
        a, b, r = names[a_code], names[b_code], names[rival]
        rows.append({
            "year": int(year),
            "pair_together_with_patron": _together(fitted["with"], a, b),
            "pair_together_without_patron": _together(fitted["without"], a, b),
            "first_with_rival_without_patron": _together(fitted["without"], a, r),
            "second_with_rival_without_patron": _together(fitted["without"], b, r),
            "stable_with_patron": _blocs(fitted["with"]),
            "stable_without_patron": _blocs(fitted["without"]),
        })  # fmt: skip
    table = pl.DataFrame(rows)
    split = [float(r["pair_together_without_patron"]) < 0.5 for r in table.iter_rows(named=True)]
    share = sum(split) / len(split)
    verdict: Verdict = "supported" if share >= thresholds.get("support_share", 0.5) else (
        "not supported" if share == 0 else "mixed")  # fmt: skip
    return Evidence(
        table=table, figure="landscape_with_without", verdict=verdict,
        certainty="low",
        reason="The landscape is a model: propensities come from a documented additive index "
        "(alliances, shared opponents, democracy, animosity, claims, UN agreement) whose "
        "components end at different years and are carried forward.",
        summary="; ".join(f"{r['year']}: pair together {r['pair_together_with_patron']:.2f} "
                          f"with the patron, {r['pair_together_without_patron']:.2f} without"
                          for r in rows),
        settle="Propensities estimated from behaviour (e.g. the expected-cooperation model) "
        "rather than an index, and a case where the patron actually withdrew.",
        sources=INDEX_SOURCES,
    )  # fmt: skip


@register_kind(
    "expected_percentile",
    required=("dyad", "formula"),
    optional=("outcome", "years", "split", "n_draws", "seed"),
    lists=("dyad",),
)
def expected_percentile(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Does the dyad cooperate far less than its predictors lead one to expect?

    Fits :class:`allegiance.models.expected.ExpectedCooperation` (clustered logit, the
    study's ``formula``) on every COW dyad-year of ``params["years"]``, trained up to
    ``split``, and reads the dyad's percentile of expected probability among all dyads, by
    decade, with a band from ``n_draws`` coefficient draws. A decade counts for the claim when
    the percentile is at least ``min_percentile`` (80) while the outcome is never observed.
    "Supported" when at least ``support_share`` (0.5) of the decades count; "not supported"
    when none do; otherwise mixed.
    """
    from allegiance.params import parse_years
    from allegiance.runs.expected import run_expected

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
    floor = thresholds.get("min_percentile", 80.0)
    counts = [float(r["percentile"]) >= floor and not r["observed_years"]
              for r in table.iter_rows(named=True)]  # fmt: skip
    share = sum(counts) / len(counts) if counts else 0.0
    verdict: Verdict = "supported" if share >= thresholds.get("support_share", 0.5) else (
        "not supported" if share == 0 else "mixed")  # fmt: skip
    metrics = run.metrics.row(0, named=True)
    best = mine["missing_rank"].drop_nulls().min()
    return Evidence(
        table=table, figure="percentile_by_decade", verdict=verdict,
        figure_args={"title": f"Expected {outcome}: percentile of the dyad among all dyads"},
        certainty="medium" if metrics["auc"] >= 0.8 else "low",
        reason=f"Out-of-sample AUC {metrics['auc']:.3f}, Brier {metrics['brier']:.4f} (base "
        f"rate Brier {metrics['brier_climatology']:.4f}); bands are 90% from coefficient draws; "
        "predictors are not lagged and defense pacts persist, which flatters the AUC.",
        summary="Percentile by decade: " + ", ".join(
            f"{r['decade']}s {r['percentile']:.0f} [{r['percentile_low']:.0f}-"
            f"{r['percentile_high']:.0f}]" for r in table.iter_rows(named=True))
        + f"; best rank among missing-cooperation dyad-years: {best!s}.",
        settle="A measure of military cooperation short of alliance (exercises, intelligence "
        "sharing, logistics agreements) for all dyads over the whole period.",
        sources=result.meta.sources,
    )  # fmt: skip


@register_kind(
    "scenario_alignment",
    required=("subject", "toward", "away", "test"),
    optional=("baseline", "draws", "seed"),
    lists=("test",),
)
def scenario_alignment(
    params: dict[str, Any], thresholds: dict[str, float], years: range,
    actors: dict[str, int | str],
) -> Evidence:  # fmt: skip
    """Under the named scenarios, is ``subject`` more likely to share a bloc with ``toward``
    than with ``away``?

    Runs each shipped scenario file (Monte Carlo landscape draws, seeded) and reads the
    probability that the subject shares a bloc with each candidate (basin-weighted). The
    ``test`` scenarios are those where US weight falls; ``baseline`` is shown for
    comparison. "Supported" when P(subject with toward) > P(subject with away) in at least
    ``support_share`` (1.0) of the test scenarios, "not supported" when in none, else mixed.
    """
    from allegiance.runs.landscape import INDEX_SOURCES
    from allegiance.runs.scenario import run_scenario

    subj, toward, away = (_abb(actors, params[k]) for k in ("subject", "toward", "away"))
    rows = []
    for name in [params.get("baseline", "baseline"), *params["test"]]:
        result = run_scenario(name, draws=int(params.get("draws", 1000)),
                              seed=int(params.get("seed", 1)))  # fmt: skip
        top = result.configurations().row(0, named=True)
        rows.append({"scenario": name, "test": name in params["test"],
                     f"p_{subj}_with_{toward}": result.p_together(subj, toward),
                     f"p_{subj}_with_{away}": result.p_together(subj, away),
                     "most_probable": top["configuration"],
                     "p_most_probable": top["p_basin"]})  # fmt: skip
    table = pl.DataFrame(rows)
    tests = table.filter(pl.col("test"))
    wins = [r[f"p_{subj}_with_{toward}"] > r[f"p_{subj}_with_{away}"]
            for r in tests.iter_rows(named=True)]  # fmt: skip
    share = sum(wins) / len(wins) if wins else 0.0
    verdict: Verdict = "supported" if share >= thresholds.get("support_share", 1.0) else (
        "not supported" if share == 0 else "mixed")  # fmt: skip
    return Evidence(
        table=table, figure="scenario_probabilities", verdict=verdict, certainty="low",
        reason="Scenario shocks are assumptions, and the landscape's propensities come from "
        "a documented index at the 2010 base year; probabilities reflect the stated "
        "uncertainty, not forecasts.",
        summary="; ".join(f"{r['scenario']}: P({subj}-{toward}) "
                          f"{r[f'p_{subj}_with_{toward}']:.2f} vs P({subj}-{away}) "
                          f"{r[f'p_{subj}_with_{away}']:.2f}" for r in rows),
        settle="Observed alignment after an actual reduction of US presence, or propensities "
        "estimated from behaviour rather than an index.",
        sources=INDEX_SOURCES,
    )  # fmt: skip


def _abb(actors: dict[str, int | str], label: str) -> str:
    """The COW abbreviation of an actor (the scenario files name actors by it)."""
    from allegiance.data.codes import resolve

    return resolve(resolve_actor(actors, label)).abb
