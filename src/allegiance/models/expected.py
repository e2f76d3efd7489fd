r"""Expected cooperation: how much military cooperation a dyad's circumstances predict.

A dyad-year's outcome (an alliance, a defense cooperation agreement, a joint exercise) is
modelled from proximity, culture, regime, shared threats, animosity and power; the fitted
probability is the dyad's *expected* cooperation and its gap to what happened marks the
anomalies ("missing" and "surprising" cooperation).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from allegiance.errors import AllegianceWarning, ParameterError
from allegiance.models.base import (
    Interval,
    Model,
    ModelMeta,
    Options,
    check_is_fitted,
    register_model,
    resolve_seed,
    validate_params,
)
from allegiance.models.formula import parse_formula

__all__ = [
    "DyadPercentile",
    "ExpectedCooperation",
    "ExpectedFit",
    "brier_score",
    "calibration_table",
    "check_formula",
    "fit_expected",
    "rank_anomalies",
    "top_dyads",
]

_KEYS = ["ccode1", "ccode2", "year"]
FloatArray = npt.NDArray[np.float64]


@register_model
class ExpectedCooperation(Model):
    r"""Expected military cooperation of dyad-years: a clustered logit or gradient boosting.

    .. math::

       \Pr(y_{ijt} = 1) = \Lambda(x_{ijt}^\top \beta), \qquad
       \Lambda(z) = \frac{1}{1 + e^{-z}}

    where :math:`y_{ijt}` is 1 if states :math:`i` and :math:`j` cooperate (the chosen
    outcome) in year :math:`t`, :math:`x_{ijt}` the predictors named by ``formula`` (with an
    intercept) and :math:`\beta` their coefficients, estimated by maximum likelihood on the
    training years :math:`t \le T` (``split``) with standard errors clustered by dyad. With
    ``estimator="gbm"`` :math:`\Pr(y=1)` is a histogram gradient-boosted tree ensemble
    instead (scikit-learn's ``HistGradientBoostingClassifier`` with default settings).

    Parameters
    ----------
    outcome : str, default "atop_defense"
        The 0/1 outcome column of the frame (the design frame of
        :func:`allegiance.inputs.expected.design_frame` names its outcomes ``atop_defense``,
        ``atop_alliance`` (ATOP [leeds2002]_), ``dca_any`` (DCAD [kinne2020]_), ``mme_any``
        (MME [dorazio2021]_) and ``military_cooperation``, 1 when any of ``atop_defense``,
        ``dca_any`` and ``mme_any`` is; its predictors are of the year before the outcome).
    formula : str
        Right-hand side of a Wilkinson formula (formulaic syntax, e.g. ``"a + np.log(b)"``)
        over columns of the frame (required; the design frame's default is
        :data:`allegiance.inputs.expected.DEFAULT_FORMULA`).
    estimator : {"logit", "gbm"}, default "logit"
    split : int or None, default 2000
        Last training year :math:`T`; years after it are the test set. None trains on all
        years and measures nothing out of sample.
    n_draws : int, default 200
        Coefficient draws for the uncertainty band of :meth:`dyad_percentile`.
    random_state : int or None
        Seed of the gradient boosting and of the coefficient draws; the seed used is
        recorded in ``seed_``.

    Attributes
    ----------
    outcome_column_ : str
    n_train_, n_test_, n_dropped_ : int
        Complete training and test rows; rows dropped for a missing outcome or predictor.
    dropped_by_column_ : dict
        Missing values per column among the frame's rows.
    metrics_ : dict
        Test-set ``auc``, ``brier``, ``brier_climatology`` (Brier of always predicting the
        training base rate), ``base_rate``, ``n_test`` (empty when ``split`` is None).
    calibration_ : polars.DataFrame
        Test-set calibration by deciles of the predicted probability.
    result_ : statsmodels results (logit) ; classifier_ (gbm)
    seed_ : int

    Notes
    -----
    Rows with a missing outcome or predictor are dropped listwise and counted, never
    imputed. The clustered covariance is statsmodels' ``cov_type="cluster"`` with the dyad
    as cluster, which allows any correlation of a dyad's years.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-(x - 1)))).astype(int)
    >>> frame = pl.DataFrame({"ccode1": np.arange(2000) % 50, "ccode2": 100 + np.arange(2000) % 7,
    ...                       "year": 1990 + np.arange(2000) % 20, "y": y, "x": x})
    >>> m = ExpectedCooperation(outcome="y", formula="x", split=2004).fit(frame)
    >>> round(float(m.coefficients()["estimate"][1]), 1)
    1.0
    """

    meta = ModelMeta(
        name="expected", citations=("leeds2002", "kinne2020", "dorazio2021"), stochastic=True
    )
    _constraints = {  # noqa: RUF012  (ClassVar in the base class)
        "estimator": [Options(frozenset({"logit", "gbm"}))],
        "split": [Interval(int, allow_none=True)],
        "n_draws": [Interval(int, 2, None)],
        "random_state": [Interval(int, 0, None, allow_none=True)],
    }

    def __init__(
        self,
        *,
        outcome: str = "atop_defense",
        formula: str | None = None,
        estimator: str = "logit",
        split: int | None = 2000,
        n_draws: int = 200,
        random_state: int | None = None,
    ) -> None:
        self.outcome = outcome
        self.formula = formula
        self.estimator = estimator
        self.split = split
        self.n_draws = n_draws
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(self, frame: pl.DataFrame) -> ExpectedCooperation:
        """Fit on the training years of ``frame`` and score the test years.

        ``frame`` has ``ccode1, ccode2, year``, the outcome and the formula's columns
        (e.g. :func:`allegiance.inputs.expected.design_frame`).
        """
        validate_params(self)
        if self.formula is None:
            raise ParameterError(
                "ExpectedCooperation needs a formula: the right-hand side over columns of the "
                "frame, e.g. formula='log_capdist + contiguity'."
            )
        column = _outcome_column(self.outcome, frame)
        variables = check_formula(self.formula, frame.columns)
        data, dropped = _complete(frame, [column, *variables])
        train, test = _split(data, self.split, column, frame)
        self.seed_ = resolve_seed(self.random_state)
        self.outcome_column_ = column
        self.variables_ = variables
        self.n_dropped_ = frame.height - data.height
        self.dropped_by_column_ = dropped
        self.n_train_, self.n_test_ = train.height, test.height
        self.model_spec_, x_train = _first_matrix(self.formula, train)
        y_train = train[column].cast(pl.Float64).to_numpy()
        if self.estimator == "logit":
            self.result_ = _fit_logit(x_train, y_train, _dyad_ids(train), self.column_names_)
        else:
            self.classifier_ = _fit_gbm(x_train, y_train, self.seed_)
        self.metrics_, self.calibration_ = self._evaluate(test, float(y_train.mean()))
        return self

    @property
    def column_names_(self) -> list[str]:
        """Names of the model-matrix columns (intercept first)."""
        check_is_fitted(self, "model_spec_")
        return list(self.model_spec_.column_names)

    def _evaluate(self, test: pl.DataFrame, base: float) -> tuple[dict[str, float], pl.DataFrame]:
        if test.height == 0:
            return {}, calibration_table(np.empty(0), np.empty(0))
        observed = test[self.outcome_column_].cast(pl.Float64).to_numpy()
        predicted = self._proba(self._matrix(test))
        metrics = {
            "auc": _auc(observed, predicted),
            "brier": brier_score(observed, predicted),
            "brier_climatology": brier_score(observed, np.full_like(observed, base)),
            "base_rate": float(observed.mean()),
            "n_train": float(self.n_train_),
            "n_test": float(test.height),
        }
        return metrics, calibration_table(observed, predicted)

    # --------------------------------------------------------------- prediction
    def _matrix(self, frame: pl.DataFrame) -> FloatArray:
        matrix = self.model_spec_.get_model_matrix(frame.select(self.variables_).to_pandas())
        return np.asarray(matrix, dtype=np.float64)

    def _proba(self, x: FloatArray) -> FloatArray:
        if self.estimator == "logit":
            return _logistic(x @ self.result_.params)
        return np.asarray(self.classifier_.predict_proba(x)[:, 1], dtype=np.float64)

    def predict_proba(self, frame: pl.DataFrame) -> FloatArray:
        """Probabilities of no cooperation and cooperation, shape ``(n_rows, 2)``.

        Every row must have the formula's columns; use :meth:`expected` to drop incomplete
        rows instead.
        """
        check_is_fitted(self, "model_spec_")
        missing = frame.select(self.variables_).null_count().sum_horizontal().item()
        if missing:
            raise ParameterError(
                f"predict_proba() got {missing} missing predictor values; drop incomplete "
                "rows first or use expected(), which drops and counts them."
            )
        p = self._proba(self._matrix(frame))
        return np.column_stack([1.0 - p, p])

    def expected(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Expected probability and observed outcome of every complete dyad-year of ``frame``.

        Returns ``ccode1, ccode2, year, observed, expected, sample`` (``train``/``test``);
        rows with a missing outcome or predictor are left out.
        """
        check_is_fitted(self, "model_spec_")
        data, _ = _complete(frame, [self.outcome_column_, *self.variables_])
        train = pl.col("year") <= (self.split if self.split is not None else 10**6)
        return data.select(
            *_KEYS,
            pl.col(self.outcome_column_).cast(pl.Int8).alias("observed"),
            pl.Series("expected", self._proba(self._matrix(data))),
            pl.when(train).then(pl.lit("train")).otherwise(pl.lit("test")).alias("sample"),
        )

    # ------------------------------------------------------------------ reports
    def coefficients(self, level: float = 0.95) -> pl.DataFrame:
        """Logit coefficients with dyad-clustered standard errors and confidence intervals."""
        check_is_fitted(self, "model_spec_")
        if self.estimator != "logit":
            raise ParameterError(
                "coefficients() needs estimator='logit'; a gradient-boosted model has none."
            )
        res = self.result_
        ci = np.asarray(res.conf_int(alpha=1 - level))
        return pl.DataFrame(
            {
                "term": self.column_names_,
                "estimate": np.asarray(res.params),
                "std_error": np.asarray(res.bse),
                "z": np.asarray(res.tvalues),
                "p_value": np.asarray(res.pvalues),
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
                "odds_ratio": np.exp(np.asarray(res.params)),
            }
        )

    def summary(self) -> str:
        """A statsmodels summary (logit) or the settings and test metrics (gbm)."""
        check_is_fitted(self, "model_spec_")
        head = (
            f"Expected cooperation: outcome {self.outcome_column_}, train years <= {self.split}"
            f" ({self.n_train_} dyad-years), test {self.n_test_}, dropped {self.n_dropped_}"
            " for missing values."
        )
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in self.metrics_.items())
        if self.estimator == "logit":
            body = str(self.result_.summary(xname=self.column_names_))
            return f"{head}\nStandard errors clustered by dyad.\n{body}\nTest: {metrics}"
        return f"{head}\nHistGradientBoostingClassifier(random_state={self.seed_})\nTest: {metrics}"

    def dyad_percentile(
        self, frame: pl.DataFrame, dyad: tuple[int, int], *, level: float = 0.9
    ) -> DyadPercentile:
        """Percentile of a dyad's expected cooperation among all dyads, per year and decade.

        See :func:`_percentiles` for the definition and the uncertainty band.
        """
        check_is_fitted(self, "model_spec_")
        return _dyad_percentile(self, frame, dyad, level)


# ------------------------------------------------------------------------- checks


def _outcome_column(outcome: str, frame: pl.DataFrame) -> str:
    if outcome not in frame.columns:
        raise ParameterError(f"Unknown outcome {outcome!r}: not a column of the frame.")
    column = outcome
    missing = [k for k in _KEYS if k not in frame.columns]
    if missing:
        raise ParameterError(
            f"The frame needs the columns ccode1, ccode2, year; {missing[0]!r} "
            "is missing. Build it with design_frame()."
        )
    values = set(frame[column].drop_nulls().unique().to_list())
    if not values <= {0, 1}:
        raise ParameterError(
            f"The outcome {column!r} must be 0/1. Got values {sorted(values)[:5]}."
        )
    return column


def check_formula(formula: str, columns: Sequence[str]) -> list[str]:
    """The columns a right-hand-side formula uses; one clear ParameterError if it is invalid.

    The formula is checked against :func:`allegiance.models.formula.parse_formula`'s grammar
    (column names, ``+ - : * **``, parentheses and a few transforms) before the formula engine
    ever sees it, so no user text is evaluated as code.

    >>> check_formula("a + np.log(b)", ["a", "b", "c"])
    ['a', 'b']
    >>> check_formula("a + zz", ["a"])
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: The formula term 'zz' is not a column of the design ...
    """
    return parse_formula(formula, columns)


def _complete(frame: pl.DataFrame, columns: list[str]) -> tuple[pl.DataFrame, dict[str, int]]:
    """Rows with every column present, and the missing values per column."""
    counts = frame.select(columns).null_count().row(0, named=True)
    dropped = {c: int(n) for c, n in counts.items() if n}
    return frame.drop_nulls(columns), dropped


def _split(
    data: pl.DataFrame, split: int | None, column: str, frame: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if split is None:
        train, test = data, data.clear()
    else:
        first, last = int(frame["year"].min()), int(frame["year"].max())  # type: ignore[arg-type]
        if not first <= split < last:
            raise ParameterError(
                f"The split year must leave training and test years inside the data's "
                f"{first}-{last}: a year in {first}-{last - 1}. Got {split}."
            )
        train, test = data.filter(pl.col("year") <= split), data.filter(pl.col("year") > split)
    if train.height == 0:
        raise ParameterError(
            f"The training window (years <= {split}) has no complete dyad-years; "
            f"{frame.height - data.height} rows were dropped for missing values."
        )
    if train[column].n_unique() < 2:
        raise ParameterError(
            f"The outcome {column!r} is constant in the training window (years <= {split}); "
            "choose a later split or other years."
        )
    return train, test


def _dyad_ids(frame: pl.DataFrame) -> FloatArray:
    pair = frame.select(
        pl.min_horizontal("ccode1", "ccode2").cast(pl.Int64) * 100_000
        + pl.max_horizontal("ccode1", "ccode2")
    )
    return np.asarray(pair.to_series().to_numpy())


# ----------------------------------------------------------------------- fitting


def _first_matrix(formula: str, frame: pl.DataFrame) -> tuple[Any, FloatArray]:
    from formulaic import Formula

    columns = sorted(Formula(formula).required_variables)
    matrix = Formula(formula).get_model_matrix(frame.select(columns).to_pandas())
    return matrix.model_spec, np.asarray(matrix, dtype=np.float64)


def _fit_logit(x: FloatArray, y: FloatArray, groups: FloatArray, names: list[str]) -> Any:
    import statsmodels.api as sm

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = sm.Logit(y, x).fit(
                disp=0, maxiter=200, cov_type="cluster", cov_kwds={"groups": groups}
            )
    except np.linalg.LinAlgError:
        raise ParameterError(
            f"The logit cannot be estimated: the formula's columns ({', '.join(names)}) are "
            "collinear or constant in the training years."
        ) from None
    if not result.mle_retvals.get("converged", True) or caught:
        why = str(caught[0].message).splitlines()[0] if caught else "did not converge"
        warnings.warn(f"Logit estimation: {why}", AllegianceWarning, stacklevel=3)
    return result


def _fit_gbm(x: FloatArray, y: FloatArray, seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(random_state=seed).fit(x, y.astype(np.int64))


def _logistic(z: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64))), dtype=np.float64)


# ----------------------------------------------------------------------- metrics


def brier_score(observed: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    r"""Mean squared error of probabilities: :math:`\frac{1}{n}\sum_k (p_k - y_k)^2`.

    >>> brier_score([1, 0], [0.5, 0.5])
    0.25
    """
    y, p = np.asarray(observed, dtype=np.float64), np.asarray(predicted, dtype=np.float64)
    return float(np.mean((p - y) ** 2))


def _auc(observed: FloatArray, predicted: FloatArray) -> float:
    from sklearn.metrics import roc_auc_score

    if len(np.unique(observed)) < 2:
        return float("nan")
    return float(roc_auc_score(observed, predicted))


def calibration_table(
    observed: npt.ArrayLike, predicted: npt.ArrayLike, bins: int = 10
) -> pl.DataFrame:
    """Mean predicted probability and observed rate in equal-count bins of the prediction.

    Rows are sorted by prediction and cut into ``bins`` groups of (nearly) equal size, so
    heavy ties at zero do not empty a bin.

    >>> calibration_table([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], bins=2)["observed_rate"].to_list()
    [0.0, 1.0]
    """
    y, p = np.asarray(observed, dtype=np.float64), np.asarray(predicted, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    groups = [g for g in np.array_split(order, bins) if len(g)] if len(p) else []
    return pl.DataFrame(
        {
            "bin": [i + 1 for i in range(len(groups))],
            "n": [len(g) for g in groups],
            "mean_predicted": [float(p[g].mean()) for g in groups],
            "observed_rate": [float(y[g].mean()) for g in groups],
            "predicted_low": [float(p[g].min()) for g in groups],
            "predicted_high": [float(p[g].max()) for g in groups],
        },
        schema={
            "bin": pl.Int32,
            "n": pl.Int64,
            "mean_predicted": pl.Float64,
            "observed_rate": pl.Float64,
            "predicted_low": pl.Float64,
            "predicted_high": pl.Float64,
        },
    )


# --------------------------------------------------------------------- anomalies


def rank_anomalies(scored: pl.DataFrame) -> pl.DataFrame:
    """Rank dyad-years by the gap between expected and observed cooperation.

    ``scored`` is :meth:`ExpectedCooperation.expected` output. Adds ``residual`` (observed
    minus expected), ``rank_year`` (1 = highest expectation that year), ``n_year``,
    ``percentile`` (share of the year's other dyads with a lower expectation, ties counted
    half, times 100), ``missing_rank`` (among observed-0 dyad-years, 1 = highest
    expectation: "missing cooperation") and ``surprising_rank`` (among observed-1
    dyad-years, 1 = lowest expectation: "surprising cooperation").
    """
    e = pl.col("expected")
    below = e.rank("min").over("year") - 1
    ties = e.rank("max").over("year") - e.rank("min").over("year")
    n = pl.len().over("year")
    zero, one = pl.col("observed") == 0, pl.col("observed") == 1
    return scored.with_columns(
        (pl.col("observed") - e).alias("residual"),
        e.rank("min", descending=True).over("year").cast(pl.Int64).alias("rank_year"),
        n.cast(pl.Int64).alias("n_year"),
        (100 * (below + 0.5 * ties) / pl.max_horizontal(n - 1, 1)).alias("percentile"),
        pl.when(zero)
        .then(pl.when(zero).then(e).rank("ordinal", descending=True))
        .cast(pl.Int64)
        .alias("missing_rank"),
        pl.when(one)
        .then(pl.when(one).then(e).rank("ordinal"))
        .cast(pl.Int64)
        .alias("surprising_rank"),
    )


def top_dyads(ranked: pl.DataFrame, kind: str = "missing", n: int = 10) -> pl.DataFrame:
    """The ``n`` dyads with the strongest anomaly, each at its most anomalous year.

    ``kind`` is ``"missing"`` (highest expectation, no cooperation) or ``"surprising"``.
    """
    if kind not in ("missing", "surprising"):
        raise ParameterError(f"kind must be 'missing' or 'surprising'. Got {kind!r}.")
    col = f"{kind}_rank"
    best = ranked.filter(pl.col(col).is_not_null()).sort(col)
    return best.unique(["ccode1", "ccode2"], keep="first", maintain_order=True).head(n)


# ------------------------------------------------------------ dyad's percentile


@dataclass(frozen=True)
class DyadPercentile:
    """A dyad's percentile of expected cooperation per year and per decade, with bands."""

    dyad: tuple[int, int]
    yearly: pl.DataFrame
    decades: pl.DataFrame
    level: float
    n_draws: int
    seed: int


def _dyad_percentile(
    model: ExpectedCooperation, frame: pl.DataFrame, dyad: tuple[int, int], level: float
) -> DyadPercentile:
    a, b = sorted(int(c) for c in dyad)
    data, _ = _complete(frame, [model.outcome_column_, *model.variables_])
    mine = (pl.min_horizontal("ccode1", "ccode2") == a) & (
        pl.max_horizontal("ccode1", "ccode2") == b
    )
    years = data.filter(mine)["year"].unique().sort().to_list()
    if not years:
        raise ParameterError(
            f"The dyad {a}-{b} has no complete dyad-year in the frame (not both system members, "
            "or a predictor is missing); choose another dyad or years."
        )
    data = data.filter(pl.col("year").is_in(years)).sort("year")
    is_dyad = data.select(mine).to_series().to_numpy()
    x, year = model._matrix(data), data["year"].to_numpy()
    draws = _coefficient_draws(model)
    rows, per_draw = [], []
    for t in years:
        in_year = year == t
        point, sims = _percentiles(model, x[in_year], is_dyad[in_year], draws)
        rows.append({"year": t, **point, **_band(sims, level)})
        per_draw.append(sims)
    yearly = pl.DataFrame(rows).with_columns(pl.col("year").cast(pl.Int32))
    decades = _decades(yearly, per_draw, level)
    return DyadPercentile((a, b), yearly, decades, level, len(draws), model.seed_)


def _coefficient_draws(model: ExpectedCooperation) -> FloatArray:
    """Coefficient vectors from N(beta, V_cluster) (logit), or none (gbm)."""
    if model.estimator != "logit":
        return np.empty((0, 0))
    rng = np.random.default_rng(model.seed_)
    beta = np.asarray(model.result_.params)
    cov = np.asarray(model.result_.cov_params())
    return np.asarray(rng.multivariate_normal(beta, cov, size=model.n_draws, method="eigh"))


def _percentiles(
    model: ExpectedCooperation, x: FloatArray, is_dyad: npt.NDArray[np.bool_], draws: FloatArray
) -> tuple[dict[str, float], FloatArray]:
    r"""The dyad's percentile among one year's dyads at the estimate and at each draw.

    .. math:: P = 100\,\frac{\#\{k \ne d: p_k < p_d\} + \tfrac12 \#\{k \ne d: p_k = p_d\}}{n - 1}

    where :math:`p_k` is dyad :math:`k`'s expected probability, :math:`d` the chosen dyad
    and :math:`n` the number of dyads that year. The logistic link is monotone, so each
    draw compares linear predictors :math:`x_k^\top \beta^{(s)}`.
    """
    p = model._proba(x)
    pd_ = p[is_dyad][0]
    n = len(p)
    point = {
        "expected": float(pd_),
        "percentile": _pct(p, pd_, n),
        "rank": float(1 + np.sum(p > pd_)),
        "n_dyads": float(n),
    }
    if draws.size == 0:
        return point, np.empty(0)
    eta = x @ draws.T  # (n, n_draws)
    eta_d = eta[is_dyad][0]
    below = (eta < eta_d).sum(axis=0)
    ties = (eta == eta_d).sum(axis=0) - 1
    sims = 100 * (below + 0.5 * ties) / max(n - 1, 1)
    return point, np.asarray(sims, dtype=np.float64)


def _pct(p: FloatArray, value: float, n: int) -> float:
    below, ties = np.sum(p < value), np.sum(p == value) - 1
    return float(100 * (below + 0.5 * ties) / max(n - 1, 1))


def _band(sims: FloatArray, level: float) -> dict[str, float | None]:
    if sims.size == 0:
        return {"percentile_low": None, "percentile_high": None}
    lo, hi = np.quantile(sims, [(1 - level) / 2, (1 + level) / 2])
    return {"percentile_low": float(lo), "percentile_high": float(hi)}


def _decades(yearly: pl.DataFrame, per_draw: list[FloatArray], level: float) -> pl.DataFrame:
    """Mean percentile (and rank) per decade; the band is over draws of the decade mean."""
    decade = (yearly["year"].to_numpy() // 10) * 10
    rows = []
    for d in np.unique(decade):
        sel = decade == d
        sims = np.vstack([per_draw[i] for i in np.flatnonzero(sel)]) if per_draw[0].size else None
        part = yearly.filter(pl.Series(sel))
        rows.append(
            {
                "decade": int(d),
                "years": int(sel.sum()),
                "percentile": float(part["percentile"].mean()),  # type: ignore[arg-type]
                "median_rank": float(part["rank"].median()),  # type: ignore[arg-type]
                "mean_n_dyads": float(part["n_dyads"].mean()),  # type: ignore[arg-type]
                **_band(sims.mean(axis=0) if sims is not None else np.empty(0), level),
            }
        )
    return pl.DataFrame(rows)


# ------------------------------------------------------------------- every estimator


@dataclass(frozen=True)
class ExpectedFit:
    """Everything one expected-cooperation analysis produces (see :func:`fit_expected`)."""

    outcome: str
    years: range
    split: int
    dyad: tuple[int, int]
    models: dict[str, ExpectedCooperation]
    metrics: pl.DataFrame
    coefficients: pl.DataFrame
    calibration: pl.DataFrame
    ranking: pl.DataFrame
    percentile: pl.DataFrame
    decades: pl.DataFrame
    dyad_missing: dict[str, list[int]]
    group_percentile: pl.DataFrame = field(default_factory=pl.DataFrame)
    group_decades: pl.DataFrame = field(default_factory=pl.DataFrame)


def fit_expected(
    frame: pl.DataFrame,
    *,
    outcome: str,
    split: int,
    dyad: tuple[int, int],
    formula: str,
    estimators: Sequence[str] = ("logit", "gbm"),
    n_draws: int = 200,
    random_state: int | None = None,
    groups: Sequence[str] = (),
) -> ExpectedFit:
    """Fit each estimator, evaluate it out of sample, rank anomalies and place ``dyad``.

    Tables carry an ``estimator`` column; ``dyad_missing`` lists, per missing predictor,
    the years the dyad is dropped for it. Each name in ``groups`` is a 0/1 column of the
    frame: the dyad is also placed among the dyads that have it (1) in the year
    (``group_percentile``, ``group_decades``, with a column ``among`` naming the group), in
    the years the dyad itself belongs to the group; the percentile is
    :func:`_percentiles` computed over the group's dyads only.
    """
    models: dict[str, ExpectedCooperation] = {}
    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in _RUN_TABLES}
    seed = resolve_seed(random_state)
    for name in estimators:
        model = ExpectedCooperation(
            outcome=outcome,
            formula=formula,
            estimator=name,
            split=split,
            n_draws=n_draws,
            random_state=seed,
        ).fit(frame)
        models[name] = model
        place = model.dyad_percentile(frame, dyad)
        among = _group_places(model, frame, dyad, groups)
        tables = {
            "metrics": pl.DataFrame([{**model.metrics_, "n_dropped": model.n_dropped_}]),
            "coefficients": model.coefficients() if name == "logit" else None,
            "calibration": model.calibration_,
            "ranking": rank_anomalies(model.expected(frame)),
            "percentile": place.yearly,
            "decades": place.decades,
            "group_percentile": among[0],
            "group_decades": among[1],
        }
        for key, table in tables.items():
            if table is not None:
                parts[key].append(table.select(pl.lit(name).alias("estimator"), pl.all()))
    first = next(iter(models.values()))
    joined = {
        k: pl.concat(v, how="diagonal_relaxed") if v else pl.DataFrame() for k, v in parts.items()
    }
    return ExpectedFit(
        outcome=outcome,
        years=range(int(frame["year"].min()), int(frame["year"].max()) + 1),  # type: ignore[arg-type]
        split=split,
        dyad=(min(dyad), max(dyad)),
        models=models,
        dyad_missing=_dyad_missing(frame, dyad, first.variables_),
        **joined,
    )


_RUN_TABLES = ("metrics", "coefficients", "calibration", "ranking", "percentile", "decades",
               "group_percentile", "group_decades")  # fmt: skip


def _group_places(
    model: ExpectedCooperation, frame: pl.DataFrame, dyad: tuple[int, int], groups: Sequence[str]
) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    """The dyad's percentile among each group's dyads (yearly, by decade), or None when
    there are no groups or the dyad never belongs to one."""
    a, b = sorted(int(c) for c in dyad)
    yearly, decades = [], []
    for group in groups:
        if group not in frame.columns:
            raise ParameterError(f"The group {group!r} is not a column of the frame.")
        members = frame.filter(pl.col(group) == 1)
        mine = members.filter(pl.min_horizontal("ccode1", "ccode2") == a,
                              pl.max_horizontal("ccode1", "ccode2") == b)  # fmt: skip
        if _complete(mine, [model.outcome_column_, *model.variables_])[0].height == 0:
            continue
        place = model.dyad_percentile(members, (a, b))
        yearly.append(place.yearly.select(pl.lit(group).alias("among"), pl.all()))
        decades.append(place.decades.select(pl.lit(group).alias("among"), pl.all()))
    if not yearly:
        return None, None
    return pl.concat(yearly), pl.concat(decades)


def _dyad_missing(
    frame: pl.DataFrame, dyad: tuple[int, int], columns: list[str]
) -> dict[str, list[int]]:
    a, b = sorted(dyad)
    rows = frame.filter(pl.col("ccode1") == a, pl.col("ccode2") == b)
    return {
        c: rows.filter(pl.col(c).is_null())["year"].cast(pl.Int64).to_list()
        for c in columns
        if rows[c].null_count()
    }
