"""One quasi-alliance analysis: the observed test of Cha's argument, and the model.

Two parts, kept apart because they are different kinds of evidence:

1. **The observed test** (no model): an event study of the two clients' observed relations
   in a window after each dated signal of the patron's commitment
   (:class:`~allegiance.models.event_study.EventStudy`), for signals of reduced commitment
   (the argument predicts better relations) and of raised commitment (worse), per signal and
   pooled. A signal whose window no source observes is "not observable".
2. **The model** (:class:`~allegiance.models.quasi.QuasiAlliance`): fears per client-year
   from the same signals, abnormal troop moves and unshared conflicts, the predicted
   relation, its evaluation against the observed composite by the user's periods and by
   decade, and its stability when each parameter moves by 10%.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from allegiance.inputs.quasi import (
    COOPERATION_COMPONENTS,
    OBSERVED_COMPONENTS,
    check_actors,
    client_inputs,
    default_signals,
    input_years,
    monthly_relations,
    observed_relation,
    pair_signals,
)
from allegiance.models.base import resolve_seed
from allegiance.models.event_study import EventStudy
from allegiance.models.quasi import QuasiAlliance, decade_periods
from allegiance.params import check_years, invalid
from allegiance.runs.result import RunMeta

__all__ = ["CLASSES", "QUASI_SOURCES", "SIGNAL_WINDOW", "QuasiResult", "event_study", "run_quasi"]

#: Months after a signal in which the event study looks for its effect (fixed before looking
#: at any result: two years, the span over which the model's fears also carry a signal).
SIGNAL_WINDOW = 24

#: The bundle tables the inputs, the observed relation and the signals come from.
QUASI_SOURCES = (
    "us_commitment_signals",
    "troops_legacy",
    "cow_mid_ddydisps",
    "cow_midb",
    "weis_events",
    "icews_cow",
    "gdelt_pair_month",
    "dcad",
    "mme",
)

#: The classes of signals of the event study: their direction, whom they reach (``both``
#: clients, ``one`` of them, or either), the direction the argument predicts for the clients'
#: relations in their windows (shared fear: better; diverging fears or reassurance: worse),
#: and whether each signal of the class is also listed on its own.
CLASSES = (
    ("reduced commitment, to both clients", -1, "both", "higher", True),
    ("reduced commitment, to one client", -1, "one", "lower", True),
    ("raised commitment", 1, None, "lower", True),
    ("reduced commitment, all", -1, None, "higher", False),
)


@dataclass(frozen=True)
class QuasiResult:
    """A quasi-alliance run: the event study, the fitted model and their tables."""

    model: QuasiAlliance
    clients: tuple[int, int]
    signals: pl.DataFrame
    series: pl.DataFrame
    event_study: pl.DataFrame
    pooled: pl.DataFrame
    evaluation: pl.DataFrame
    stability: pl.DataFrame
    meta: RunMeta

    def tables(self) -> dict[str, pl.DataFrame]:
        """event_study (per signal, then the pooled rows), predicted, fears, observed
        (components, the composite, which components exist each year), evaluation (by the
        user's periods and by decade, with the seed) and stability."""
        model = self.model
        by_year = model.by_year_
        components = [c for c in by_year.columns if c in OBSERVED_COMPONENTS]
        observed = by_year.select(
            "year", *components, "relations_source", "composite", "n_components",
            "components", "observed_relation", "match",
        )  # fmt: skip
        return {
            "event_study": pl.concat([self.event_study, self.pooled], how="diagonal_relaxed"),
            "predicted": model.predict(),
            "fears": model.fears_,
            "observed": observed,
            "evaluation": self.evaluation.with_columns(pl.lit(model.seed_).alias("seed")),
            "stability": self.stability,
        }


def event_study(
    series: pl.DataFrame,
    signals: pl.DataFrame,
    *,
    window: int = SIGNAL_WINDOW,
    permutations: int = 999,
    seed: int = 0,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The observed test: relations in the window after each signal, per signal and pooled.

    ``series`` is :func:`allegiance.inputs.quasi.monthly_relations`, ``signals``
    :func:`allegiance.inputs.quasi.pair_signals`. Returns the per-signal table (the signal's
    date, event, direction, whom it reaches, the source observing its window, observations
    and events in it, mean in and out, difference, one-sided p-value in the predicted
    direction, ``observable``) and the pooled table (one row per class of signals).
    """
    events = signals.with_row_index("event").with_columns(
        (pl.col("date").dt.year().cast(pl.Int64) * 12 + pl.col("date").dt.month() - 1).alias("t")
    )
    per_signal, pooled = [], []
    for label, direction, reaches, expected, listed in CLASSES:
        mine = events.filter(pl.col("direction") == direction)
        if reaches == "both":
            mine = mine.filter(pl.col("reaches") == "both")
        elif reaches == "one":
            mine = mine.filter(pl.col("reaches") != "both")
        study = EventStudy(window=window, expected=expected, n_permutations=permutations,
                           random_state=seed)  # fmt: skip
        study.fit(series, mine.select("event", "t"))
        pooled.append({"class": label, "expected": expected, "window_months": window,
                       **study.pooled_})  # fmt: skip
        if listed:
            detail = mine.select("event", "date", "description", "direction", "target",
                                 "reaches").join(study.by_event_.drop("t"), on="event")  # fmt: skip
            per_signal.append(detail.with_columns(pl.lit(expected).alias("expected")))
    table = pl.concat(per_signal).sort("date").drop("event")
    table = table.with_columns(
        pl.when(pl.col("observable")).then(pl.lit("observed")).otherwise(pl.lit("not observable"))
        .alias("status")
    )  # fmt: skip
    summary = pl.DataFrame(pooled).with_columns(pl.col(pl.Float64).fill_nan(None))
    return table, summary


def run_quasi(
    *,
    patron: int = 2,
    clients: Sequence[int] = (732, 740),
    years: range = range(1965, 2015),
    periods: Sequence[tuple[int, int]] | None = None,
    signals: pl.DataFrame | None = None,
    window: int = SIGNAL_WINDOW,
    permutations: int = 999,
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> QuasiResult:
    """Test Cha's quasi-alliance argument for ``patron`` and two ``clients`` over ``years``.

    ``signals`` default to the bundled US commitment signals when the clients are South Korea
    and Japan (:func:`allegiance.inputs.quasi.default_signals`); for other clients there are
    no bundled signals and the event study has no events. ``window`` is the event study's
    window in months; ``periods`` the evaluation periods (decades are always reported too).
    """
    pair = check_actors(patron, clients)
    check_years(years, "years", input_years(), "the COW system's years")
    if not 1 <= window <= 120:
        raise invalid("window", "be a whole number of months from 1 to 120", window)
    say = progress or (lambda _stage: None)
    used_seed = resolve_seed(seed)
    sig = signals if signals is not None else default_signals(patron, pair)
    say("assembling the observed relations")
    series = monthly_relations(pair, years)
    observed = observed_relation(pair, years)
    chosen = pair_signals(sig, patron, pair).filter(
        pl.col("year").is_between(years.start, years.stop - 1)
    )
    say(f"event study: {chosen.height} signals, {permutations} permutations")
    per_signal, pooled = event_study(series, chosen, window=window, permutations=permutations,
                                     seed=used_seed)  # fmt: skip
    say("assembling client-year inputs and fitting the model")
    inputs = client_inputs(patron, pair, years, signals=sig)
    model = QuasiAlliance(n_permutations=permutations, random_state=used_seed)
    model.fit(inputs, observed, clients=pair, periods=periods, signs=OBSERVED_COMPONENTS,
              required=COOPERATION_COMPONENTS)  # fmt: skip
    decades = model.evaluation(decade_periods(years))
    evaluation = pl.concat([
        model.evaluate().with_columns(pl.lit("user" if periods else "decade").alias("periods")),
        decades.filter(pl.col("period") != "all").with_columns(pl.lit("decade").alias("periods")),
    ]) if periods else model.evaluate().with_columns(pl.lit("decade").alias("periods"))  # fmt: skip
    say("stability of the predictions")
    stability = model.stability()
    params = {"patron": patron, "clients": list(pair), "years": [years.start, years.stop - 1],
              "periods": [list(p) for p in periods] if periods else None, "window": window,
              "permutations": permutations,
              "signals": "user file" if signals is not None else
              ("bundled" if sig is not None else "none")}  # fmt: skip
    meta = RunMeta("quasi", params, used_seed, QUASI_SOURCES, (years.start, years.stop - 1))
    return QuasiResult(model, pair, chosen, series, per_signal, pooled, evaluation, stability,
                       meta)  # fmt: skip
