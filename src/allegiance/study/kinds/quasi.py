"""Evidence kind ``quasi_alliance``: do the clients cooperate when both fear abandonment?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor
from allegiance.study.kinds.common import fmt

__all__ = ["decide_quasi", "quasi_alliance"]

_BOTH = "reduced commitment, to both clients"
_ONE = "reduced commitment, to one client"
_RAISED = "raised commitment"

THRESHOLDS = (
    Threshold("alpha", 0.05, "significance of the event study's one-sided p-value",
              low=0.0, high=1.0),
    Threshold("min_observable", 3, "signals to both clients whose window some source "
              "observes, needed to test the claim", grid=(2, 3, 4)),
)  # fmt: skip


def decide_quasi(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Decided by the observed test (the event study), not by the model.

    Supported when, after signals of reduced commitment that reach both clients, their
    relations are better than in other periods with a one-sided p <= ``alpha``; mixed when
    that test fails but the diverging-fears test does not (relations worse after signals to
    one client only, p <= ``alpha``); not supported otherwise. Not testable with fewer than
    ``min_observable`` observable signals to both clients.

    >>> both = {"n_observable": 5, "difference": 0.4, "p_value": 0.01}
    >>> decide_quasi({"classes": {"reduced commitment, to both clients": both}},
    ...              {"alpha": 0.05, "min_observable": 3})[0]
    'supported'
    """
    both = stats["classes"].get(_BOTH, {})
    one = stats["classes"].get(_ONE, {})
    if both.get("n_observable", 0) < t["min_observable"]:
        n = both.get("n_observable", 0)
        return "not testable", (f"only {n} signals to both clients have an observed window "
                                f"(need {t['min_observable']:.0f})")  # fmt: skip
    p_both = both.get("p_value")
    if p_both is not None and p_both <= t["alpha"] and (both.get("difference") or 0) > 0:
        return "supported", f"relations better after signals to both (p {fmt(p_both)})"
    p_one = one.get("p_value")
    if p_one is not None and p_one <= t["alpha"] and (one.get("difference") or 0) < 0:
        return "mixed", (f"no better relations after signals to both (p {fmt(p_both)}), but worse "
                         f"after signals to one client (p {fmt(p_one)})")  # fmt: skip
    return "not supported", (f"relations after signals to both: difference "
                             f"{fmt(both.get('difference'))}, p {fmt(p_both)}")  # fmt: skip


@register_kind(
    "quasi_alliance",
    evidence_type="evidence",
    decide=decide_quasi,
    thresholds=THRESHOLDS,
    required=("patron", "clients"),
    optional=("years", "periods", "window", "seed", "permutations"),
    lists=("clients",),
)
def quasi_alliance(params: dict[str, Any], years: range, actors: dict[str, int | str]) -> Finding:
    """Do the two clients cooperate when both fear abandonment by the patron (Cha)?

    Runs :func:`allegiance.runs.quasi.run_quasi` for ``patron`` and ``clients`` over
    ``params["years"]`` (default: the study years). The claim is decided by the observed
    test: an event study of the clients' observed relations in the ``window`` (default 24)
    months after each dated signal of the patron's commitment, pooled by class of signal
    (:func:`decide_quasi`). The quasi-alliance model's evaluation against the observed
    composite and its stability are reported beside it, but do not decide: the model's
    fears are built from the same signals, so its agreement with the data is not separate
    evidence.
    """
    from allegiance.params import parse_periods, parse_years
    from allegiance.runs.quasi import QUASI_SOURCES, run_quasi

    patron = resolve_actor(actors, params["patron"])
    clients = [resolve_actor(actors, c) for c in params["clients"]]
    span = parse_years(str(params["years"])) if "years" in params else years
    periods = parse_periods(params["periods"], span) if "periods" in params else None
    run = run_quasi(patron=patron, clients=clients, years=span, periods=periods,
                    window=int(params.get("window", 24)),
                    permutations=int(params.get("permutations", 999)),
                    seed=int(params.get("seed", 1)))  # fmt: skip
    classes = {r["class"]: r for r in run.pooled.to_dicts()}
    overall = run.evaluation.filter(pl.col("period") == "all").row(0, named=True)
    stats = {"classes": classes, "model_spearman": overall["spearman"],
             "model_p": overall["p_spearman"],
             "max_share_changed": float(run.stability["share_changed"].max())}  # type: ignore[arg-type]  # fmt: skip
    n_signals = run.signals.height
    both = classes.get(_BOTH, {})
    untestable = None if n_signals else "no dated commitment signals for these clients"
    return Finding(
        table=run.event_study,
        stats=stats,
        summary=(f"{n_signals} signals; to both clients: relations {fmt(both.get('difference'))} "
                 f"sd better in their windows (p {fmt(both.get('p_value'))}, "
                 f"{both.get('n_observable', 0)} observable); model Spearman "
                 f"{fmt(overall['spearman'])} (p {fmt(overall['p_spearman'])})."),
        certainty="low" if both.get("n_observable", 0) < 6 else "medium",
        reason="Signals are few and the event data are sparse for the pair before 1993 (WEIS) "
        "and missing in 1993-2001 and 2015-2017; a window is compared only within its source.",
        settle="Dated records of Japan-ROK security consultations and agreements before 1980, "
        "and survey data on fear of abandonment.",
        figure="quasi_event_study",
        sources=QUASI_SOURCES,
        untestable=untestable,
        tables={"pooled": run.pooled, "evaluation": run.evaluation,
                "stability": run.stability, "by_year": run.model.by_year_.select(
                    "year", "intensity", "composite", "n_components", "components")},
    )  # fmt: skip
