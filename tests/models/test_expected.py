"""ExpectedCooperation: recovery of known coefficients, anomaly ranking, calibration, errors."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.models.contract import check_model

from allegiance.errors import ParameterError
from allegiance.models.base import NotFittedError
from allegiance.models.expected import (
    ExpectedCooperation,
    ExpectedFit,
    brier_score,
    calibration_table,
    fit_expected,
    rank_anomalies,
    top_dyads,
)

TRUE = {"Intercept": -1.0, "x1": 0.8, "x2": -0.6}
YEARS = range(1981, 2011)


def simulate(rng: np.random.Generator, n_dyads: int = 300) -> pl.DataFrame:
    """Dyad-years with y ~ Bernoulli(logistic(-1 + 0.8 x1 - 0.6 x2)); x1 persists in a dyad."""
    a = np.repeat(np.arange(n_dyads) // 20 + 2, len(YEARS))
    b = np.repeat(np.arange(n_dyads) % 20 + 100, len(YEARS))
    year = np.tile(np.array(YEARS), n_dyads)
    level = np.repeat(rng.normal(size=n_dyads), len(YEARS))
    x1 = level + 0.5 * rng.normal(size=len(year))
    x2 = (rng.random(len(year)) < 0.4).astype(np.int64)
    eta = TRUE["Intercept"] + TRUE["x1"] * x1 + TRUE["x2"] * x2
    y = (rng.random(len(year)) < 1 / (1 + np.exp(-eta))).astype(np.int8)
    return pl.DataFrame({"ccode1": a, "ccode2": b, "year": year, "y": y, "x1": x1, "x2": x2})


@pytest.fixture
def frame(rng: np.random.Generator) -> pl.DataFrame:
    return simulate(rng)


def fit(frame: pl.DataFrame, **kw: object) -> ExpectedCooperation:
    params = {"outcome": "y", "formula": "x1 + x2", "split": 2000, "random_state": 1} | kw
    return ExpectedCooperation(**params).fit(frame)  # type: ignore[arg-type]


def test_known_coefficients_recovered_within_three_clustered_ses(frame: pl.DataFrame) -> None:
    coef = fit(frame).coefficients()
    for row in coef.iter_rows(named=True):
        assert abs(row["estimate"] - TRUE[row["term"]]) < 3 * row["std_error"], row
        assert row["ci_low"] < row["estimate"] < row["ci_high"]


def test_standard_errors_are_clustered_by_dyad(frame: pl.DataFrame) -> None:
    model = fit(frame)
    assert model.result_.cov_type == "cluster"
    assert model.result_.cov_kwds["groups"].shape == (model.n_train_,)
    assert "Standard errors clustered by dyad" in model.summary()


def test_planted_anomalies_rank_first(frame: pl.DataFrame) -> None:
    planted = pl.DataFrame(
        {
            "ccode1": [1, 1],
            "ccode2": [999, 998],
            "year": [2005, 2005],
            "y": [0, 1],
            "x1": [9.0, -9.0],
            "x2": [0, 1],
        },
        schema=frame.schema,
    )
    data = pl.concat([frame, planted])
    ranked = rank_anomalies(fit(data).expected(data))
    missing = top_dyads(ranked, "missing", 1).row(0, named=True)
    surprising = top_dyads(ranked, "surprising", 1).row(0, named=True)
    assert (missing["ccode1"], missing["ccode2"], missing["missing_rank"]) == (1, 999, 1)
    assert (surprising["ccode1"], surprising["ccode2"]) == (1, 998)
    assert missing["percentile"] == 100.0 and surprising["percentile"] == 0.0


def test_correct_model_is_calibrated_out_of_sample(rng: np.random.Generator) -> None:
    model = fit(simulate(rng, n_dyads=1000))
    table = model.calibration_
    assert table["n"].sum() == model.n_test_ and table.height == 10
    gap = (table["mean_predicted"] - table["observed_rate"]).abs()
    assert gap.max() < 0.06, table  # type: ignore[operator]
    assert 0.6 < model.metrics_["auc"] < 1
    assert model.metrics_["brier"] < model.metrics_["brier_climatology"]


def test_gbm_fits_and_scores(frame: pl.DataFrame) -> None:
    model = fit(frame, estimator="gbm")
    proba = model.predict_proba(frame)
    assert proba.shape == (frame.height, 2)
    assert np.allclose(proba.sum(axis=1), 1)
    assert model.metrics_["auc"] > 0.6
    with pytest.raises(ParameterError, match="coefficients\\(\\) needs estimator='logit'"):
        model.coefficients()
    assert "HistGradientBoostingClassifier" in model.summary()


def test_missing_predictors_dropped_and_counted(frame: pl.DataFrame) -> None:
    holes = frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 10 == 0).then(None).otherwise(pl.col("x2")).alias("x2")
    )
    model = fit(holes)
    assert model.n_dropped_ == frame.height // 10 == model.dropped_by_column_["x2"]
    assert model.n_train_ + model.n_test_ == frame.height - model.n_dropped_
    assert model.expected(holes).height == frame.height - model.n_dropped_
    with pytest.raises(ParameterError, match="missing predictor values"):
        model.predict_proba(holes)


def test_dyad_percentile_band_and_seed(frame: pl.DataFrame) -> None:
    top = frame.with_columns(
        pl.when(pl.col("ccode1") == 2, pl.col("ccode2") == 100)
        .then(5.0)
        .otherwise("x1")
        .alias("x1")
    )
    model = fit(top, n_draws=50)
    place = model.dyad_percentile(top, (100, 2))
    assert place.dyad == (2, 100) and place.seed == 1 and place.n_draws == 50
    assert place.yearly.height == len(YEARS)
    assert (place.yearly["percentile"] == 100.0).all()
    assert (place.yearly["percentile_low"] <= place.yearly["percentile"]).all()
    assert place.decades["decade"].to_list() == [1980, 1990, 2000, 2010]
    again = fit(top, n_draws=50).dyad_percentile(top, (2, 100))
    assert place.yearly.equals(again.yearly)


def test_fit_expected_collects_both_estimators(frame: pl.DataFrame) -> None:
    run = fit_expected(
        frame.with_columns(pl.lit(None, pl.Float64).alias("gap")),
        outcome="y",
        split=2000,
        dyad=(2, 100),
        formula="x1 + x2",
        n_draws=20,
        random_state=3,
    )
    assert run.metrics["estimator"].to_list() == ["logit", "gbm"]
    assert set(run.coefficients["term"]) == set(TRUE)
    assert run.ranking.height == 2 * frame.height and run.dyad_missing == {}


def _grouped_fit(frame: pl.DataFrame) -> ExpectedFit:
    return fit_expected(
        frame,
        outcome="y",
        split=2000,
        dyad=(2, 100),
        formula="x1 + x2",
        estimators=("logit",),
        n_draws=20,
        random_state=3,
        groups=("g",),
    )


def test_percentile_among_a_group_is_computed_over_its_dyads_only(frame: pl.DataFrame) -> None:
    """The dyad (2, 100) is placed among the dyads with g = 1 (every third dyad, itself
    included): recompute the 2005 percentile by hand from the fitted probabilities."""
    grouped = frame.with_columns(
        ((pl.col("ccode1") * 20 + pl.col("ccode2")) % 3 == (2 * 20 + 100) % 3)
        .cast(pl.Int8)
        .alias("g")
    )
    run = _grouped_fit(grouped)
    model = run.models["logit"]
    year = grouped.filter(pl.col("year") == 2005, pl.col("g") == 1)
    p = model.expected(year)
    mine = p.filter(pl.col("ccode1") == 2, pl.col("ccode2") == 100)["expected"].item()
    others = p.filter(~((pl.col("ccode1") == 2) & (pl.col("ccode2") == 100)))["expected"]
    by_hand = 100 * (int((others < mine).sum()) + 0.5 * int((others == mine).sum())) / len(others)
    got = run.group_percentile.filter(pl.col("year") == 2005).row(0, named=True)
    assert got["among"] == "g" and got["estimator"] == "logit"
    assert got["percentile"] == pytest.approx(by_hand)
    assert got["n_dyads"] == year.height < frame.filter(pl.col("year") == 2005).height
    everyone = run.percentile.filter(pl.col("year") == 2005)["percentile"].item()
    assert everyone != pytest.approx(by_hand)  # a different comparison set, a different rank
    assert run.group_decades["decade"].to_list() == [1980, 1990, 2000, 2010]


def test_no_group_table_when_the_dyad_is_not_in_the_group(frame: pl.DataFrame) -> None:
    outside = frame.with_columns((pl.col("ccode1") != 2).cast(pl.Int8).alias("g"))
    run = _grouped_fit(outside)
    assert run.group_percentile.height == 0 and run.percentile.height == len(YEARS)


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"formula": "x1 + nope"}, "The formula term 'nope' is not a column of the design frame"),
        ({"formula": "x1 +"}, "The formula 'x1 +' cannot be parsed"),
        ({"formula": "y ~ x1"}, "The formula gives only the predictors"),
        ({"outcome": "peace"}, "Unknown outcome 'peace'"),
        ({"outcome": "x1"}, "The outcome 'x1' must be 0/1"),
        ({"split": 1970}, "The split year must leave training and test years inside"),
        ({"split": 2010}, "a year in 1981-2009. Got 2010"),
        ({"estimator": "forest"}, "The 'estimator' parameter of ExpectedCooperation must be"),
    ],
)
def test_bad_input_raises_one_clear_line(
    frame: pl.DataFrame, kw: dict[str, object], message: str
) -> None:
    with pytest.raises(ParameterError, match=re.escape(message)) as info:
        fit(frame, **kw)
    assert "\n" not in str(info.value)


def test_empty_training_window(frame: pl.DataFrame) -> None:
    early_missing = frame.with_columns(
        pl.when(pl.col("year") <= 1990).then(None).otherwise(pl.col("x1")).alias("x1")
    )
    with pytest.raises(ParameterError, match=r"training window \(years <= 1990\) has no complete"):
        fit(early_missing, split=1990)


def test_contract(frame: pl.DataFrame) -> None:
    for estimator in ("logit", "gbm"):
        check_model(
            lambda e=estimator: ExpectedCooperation(
                outcome="y", formula="x1 + x2", estimator=e, random_state=0
            ),
            lambda m: m.fit(frame),  # type: ignore[attr-defined]
            lambda m: m.predict_proba(frame),  # type: ignore[attr-defined]
            lambda a, b: bool(np.allclose(a, b)),
        )
    with pytest.raises(NotFittedError):
        ExpectedCooperation().summary()


def test_brier_and_calibration_hand_cases() -> None:
    assert brier_score([1, 0, 1], [1.0, 0.0, 0.5]) == pytest.approx(0.25 / 3)
    table = calibration_table([0, 1, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], bins=3)
    assert table["n"].to_list() == [2, 2, 2]
    assert table["observed_rate"].to_list() == [0.5, 0.5, 1.0]
    assert table["mean_predicted"].to_list() == pytest.approx([0.15, 0.5, 0.85])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=30))
def test_percentile_bounded_and_monotone(values: list[float]) -> None:
    scored = pl.DataFrame(
        {
            "ccode1": list(range(len(values))),
            "ccode2": [999] * len(values),
            "year": [2000] * len(values),
            "observed": [0] * len(values),
            "expected": values,
        }
    )
    ranked = rank_anomalies(scored).sort("expected")
    pct = ranked["percentile"].to_numpy()
    assert ((pct >= 0) & (pct <= 100)).all() and (np.diff(pct) >= 0).all()
    assert ranked.sort("missing_rank")["expected"].to_list() == sorted(values, reverse=True)
