"""One expected-cooperation analysis: the design frame, every estimator, the dyad's place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from allegiance.errors import ParameterError
from allegiance.inputs.expected import (
    DEFAULT_FORMULA,
    DESIGN_SOURCES,
    Outcome,
    design_columns,
    design_frame,
    outcome_years,
    resolve_outcome,
)
from allegiance.models.base import resolve_seed
from allegiance.models.expected import ExpectedFit, check_formula, fit_expected, top_dyads
from allegiance.params import check_years, invalid
from allegiance.runs.result import RunMeta

__all__ = ["ESTIMATORS", "GROUPS", "ExpectedResult", "check_expected", "run_expected"]

#: The 0/1 columns whose dyads the chosen dyad is also ranked among.
GROUPS = ("shared_patron",)

#: The estimators by name, and ``both``.
ESTIMATORS = {"logit": ("logit",), "gbm": ("gbm",), "both": ("logit", "gbm")}


@dataclass(frozen=True)
class ExpectedResult:
    """An expected-cooperation run: the fitted estimators and their tables, with metadata."""

    fit: ExpectedFit
    outcome: Outcome
    formula: str
    meta: RunMeta

    def tables(self) -> dict[str, pl.DataFrame]:
        """The run's tables by file stem: metrics (with seed and train/test years),
        coefficients, calibration, ranking (every dyad-year), top (top 100 anomalies of
        each kind), dyad_percentile and dyad_decades (among all dyads) and
        dyad_group_percentile and dyad_group_decades (among the dyads of each group, e.g.
        those with a shared patron; empty when there is none)."""
        fit = self.fit
        seeds = {name: m.seed_ for name, m in fit.models.items()}
        metrics = fit.metrics.with_columns(
            pl.col("estimator").replace_strict(seeds, return_dtype=pl.Int64).alias("seed"),
            pl.lit(f"{fit.years.start}-{fit.split}").alias("train_years"),
            pl.lit(f"{fit.split + 1}-{fit.years.stop - 1}").alias("test_years"),
        )
        top = [
            top_dyads(fit.ranking.filter(pl.col("estimator") == name), kind, 100).select(
                pl.lit(kind).alias("kind"), pl.all()
            )
            for name in fit.models
            for kind in ("missing", "surprising")
        ]
        return {
            "metrics": metrics,
            "coefficients": fit.coefficients,
            "calibration": fit.calibration,
            "ranking": fit.ranking,
            "top": pl.concat(top),
            "dyad_percentile": fit.percentile,
            "dyad_decades": fit.decades,
            "dyad_group_percentile": fit.group_percentile,
            "dyad_group_decades": fit.group_decades,
        }


def check_expected(
    outcome: str, years: range, split: int, formula: str | None = None
) -> tuple[Outcome, range, str]:
    """Validate a run's parameters before any work: the outcome, the years it is observed in
    (cut to its coverage), the split year and the formula. Returns them resolved."""
    target = resolve_outcome(outcome)
    check_years(years, "years")
    used = outcome_years(target, years)
    last = years.stop - 1
    if not years.start <= split < last:
        raise invalid(
            "split",
            f"be a year in {years.start}-{last - 1} (inside the years {years.start}-{last}, "
            "leaving test years after it)",
            split,
        )
    if split < used.start:
        raise ParameterError(
            f"The training window (years <= {split}) is empty: the outcome {target.name!r} is "
            f"observed from {used.start}. Choose a split year of {used.start} or later."
        )
    if split >= used.stop - 1:
        raise ParameterError(
            f"The test window (years > {split}) is empty: the outcome {target.name!r} is "
            f"observed to {used.stop - 1}. Choose a split year before {used.stop - 1}."
        )
    rhs = formula or DEFAULT_FORMULA
    check_formula(rhs, design_columns(target.name))
    return target, used, rhs


def run_expected(
    *,
    outcome: str = "atop_defense",
    years: range = range(1946, 2015),
    split: int = 2000,
    formula: str | None = None,
    estimators: Sequence[str] = ("logit", "gbm"),
    dyad: tuple[int, int] = (732, 740),
    n_draws: int = 200,
    seed: int | None = None,
    frame: pl.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> ExpectedResult:
    """Fit the expected-cooperation model on every COW dyad-year, test it out of sample after
    ``split``, rank the anomalies and place ``dyad`` among all dyads by year and decade.

    Parameters are checked first (:func:`check_expected`); then the design frame is built
    (:func:`allegiance.inputs.expected.design_frame`, cut to the outcome's years) unless
    ``frame`` is given, and every estimator is fitted
    (:func:`allegiance.models.expected.fit_expected`) with one recorded seed. The design
    frame's predictors are of the year before the outcome (see its Notes); the dyad is placed
    among all dyads and, when the frame has ``shared_patron``, among the dyads whose states
    share a defense-pact ally (:data:`GROUPS`).

    >>> run_expected(outcome="peace")
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: Unknown outcome 'peace'. Valid outcomes: atop_defense, ...
    """
    target, used, rhs = check_expected(outcome, years, split, formula)
    unknown = [e for e in estimators if e not in ESTIMATORS["both"]]
    if unknown or not estimators:
        raise invalid("estimators", "be logit and/or gbm", list(estimators))
    used_seed = resolve_seed(seed)
    built = frame is None
    if frame is None:
        frame = design_frame(target.name, used, progress=progress)
    if progress is not None:
        progress("fitting")
    fit = fit_expected(
        frame,
        outcome=target.column,
        split=split,
        dyad=dyad,
        estimators=tuple(estimators),
        formula=rhs,
        n_draws=n_draws,
        random_state=used_seed,
        groups=tuple(g for g in GROUPS if g in frame.columns),
    )
    params = {"outcome": target.name, "years": [used.start, used.stop - 1], "split": split,
              "formula": rhs, "estimators": list(estimators), "dyad": list(dyad),
              "n_draws": n_draws, "predictor_lag": 1 if built else None}  # fmt: skip
    sources = tuple(dict.fromkeys((*DESIGN_SOURCES, "atop_alliance", *target.tables)))
    meta = RunMeta("expected", params, used_seed, sources, (used.start, used.stop - 1))
    return ExpectedResult(fit, target, rhs, meta)
