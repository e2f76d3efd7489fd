"""One quasi-alliance analysis: client inputs, the observed relation, fears, evaluation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from allegiance.inputs.quasi import (
    OBSERVED_COMPONENTS,
    check_actors,
    client_inputs,
    input_years,
    observed_relation,
)
from allegiance.models.base import resolve_seed
from allegiance.models.quasi import QuasiAlliance
from allegiance.params import check_years
from allegiance.runs.result import RunMeta

__all__ = ["QUASI_SOURCES", "QuasiResult", "run_quasi"]

#: The bundle tables the inputs and the observed relation are built from.
QUASI_SOURCES = (
    "troops_legacy",
    "atop_alliance",
    "dcad",
    "sipri_arms",
    "mme",
    "icews",
    "gml_mid_ddydisps",
    "cow_mid_ddydisps",
    "cow_nmc",
    "cow_capitals",
    "tss_rivalries",
    "un_votes",
    "us_commitment_signals",
)


@dataclass(frozen=True)
class QuasiResult:
    """A quasi-alliance run: the fitted model (fears, prediction, evaluation) and metadata."""

    model: QuasiAlliance
    clients: tuple[int, int]
    meta: RunMeta

    def tables(self) -> dict[str, pl.DataFrame]:
        """predicted, fears (client-year inputs and fears), observed (components, composite,
        observed relation, match) and evaluation (by period, with the seed)."""
        model = self.model
        by_year = model.by_year_
        components = [c for c in by_year.columns if c in OBSERVED_COMPONENTS]
        observed = by_year.select(
            "year", *components, "composite", "n_components", "components",
            "observed_relation", "match",
        )  # fmt: skip
        return {
            "predicted": model.predict(),
            "fears": model.fears_,
            "observed": observed,
            "evaluation": model.evaluate().with_columns(pl.lit(model.seed_).alias("seed")),
        }


def run_quasi(
    *,
    patron: int = 2,
    clients: Sequence[int] = (732, 740),
    years: range = range(1965, 2015),
    periods: Sequence[tuple[int, int]] | None = None,
    signals: pl.DataFrame | None = None,
    permutations: int = 999,
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> QuasiResult:
    """Run Cha's quasi-alliance model for ``patron`` and two ``clients`` over ``years``.

    Client-year inputs (:func:`allegiance.inputs.quasi.client_inputs`; ``signals`` default
    to the bundled US commitment signals for patron 2) and the clients' observed relation
    (:func:`allegiance.inputs.quasi.observed_relation`) are assembled, the model is fitted and
    evaluated by ``periods`` (default: decades) with ``permutations`` block permutations.
    """
    pair = check_actors(patron, clients)
    check_years(years, "years", input_years(), "the years every input covers (ATOP, COW NMC, "
                "TSS rivalries, COW MIDs)")  # fmt: skip
    say = progress or (lambda _stage: None)
    used_seed = resolve_seed(seed)
    say("assembling client-year inputs")
    inputs = client_inputs(patron, pair, years, signals=signals)
    say("assembling the observed relation")
    observed = observed_relation(pair, years)
    say(f"fitting and running {permutations} permutations")
    model = QuasiAlliance(n_permutations=permutations, random_state=used_seed)
    model.fit(inputs, observed, clients=pair, periods=periods, signs=OBSERVED_COMPONENTS)
    params = {"patron": patron, "clients": list(pair), "years": [years.start, years.stop - 1],
              "periods": [list(p) for p in periods] if periods else None,
              "permutations": permutations,
              "signals": "user file" if signals is not None else "bundled"}  # fmt: skip
    meta = RunMeta("quasi", params, used_seed, QUASI_SOURCES, (years.start, years.stop - 1))
    return QuasiResult(model, pair, meta)
