r"""Quasi-alliance model: two clients of one patron cooperate when both fear abandonment.

Victor Cha's argument (*Alignment Despite Antagonism*, 1999): two states that share a patron
but are not allied with each other cooperate when *both* fear that the patron will abandon
them, and quarrel when their fears of abandonment and entrapment are asymmetric; what decides
it is their perception of the patron's commitment, not the threat itself. The model turns
that into fears per client-year that move only when the patron's commitment moves:

- fear of abandonment rises with the patron's dated signals of reduced commitment to the
  client (announced withdrawals, doctrine statements, cuts agreed) and with troop cuts beyond
  the client's normal year-to-year variation, falls with signals of raised commitment and
  abnormal reinforcements, and persists after each with a documented decay;
- fear of entrapment rises with the patron's conflicts that the client does not share.

A year in which nothing happens moves a fear only by the decay of earlier shocks toward its
baseline (a span in which nothing ever happens stays at the baseline). The predicted
relation of the two clients follows from the pair of fears (:func:`classify_relation`) and is
evaluated against the observed relation with a block-permutation test.

The functional forms and every default were fixed from the theory before any evaluation
year was looked at; none is fitted. :meth:`QuasiAlliance.stability` reports how many
predicted years change when each weight moves by 10%.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import polars as pl

from allegiance.errors import ParameterError
from allegiance.models.base import (
    Interval,
    Model,
    ModelMeta,
    NotFittedError,
    Options,
    check_is_fitted,
    clone,
    register_model,
    resolve_seed,
    validate_params,
)

__all__ = [
    "INPUT_COLUMNS",
    "STABILITY_PARAMETERS",
    "QuasiAlliance",
    "abandonment_fear",
    "abnormal_changes",
    "block_permutation",
    "classify_relation",
    "decade_periods",
    "decayed_stock",
    "entrapment_fear",
    "logistic",
    "observed_composite",
    "observed_terciles",
    "predicted_intensity",
    "spearman",
    "standardize",
]

FloatArray = npt.NDArray[np.float64]
#: Columns :meth:`QuasiAlliance.fit` needs, one row per client-year.
INPUT_COLUMNS = ("ccode", "year", "signals_down", "signals_up", "troop_change", "exposure")
#: The parameters :meth:`QuasiAlliance.stability` moves by 10% each way.
STABILITY_PARAMETERS = (
    "signal_weight",
    "troop_weight",
    "reassurance",
    "decay",
    "abnormal_sd",
    "exposure_weight",
    "threshold",
    "asymmetry",
)
_LABELS = ("friction", "baseline", "cooperation")
_ROBUST_SD = 1.4826  # MAD to standard deviation under normality


# --------------------------------------------------------------------------- fear functions


def logistic(x: npt.ArrayLike) -> FloatArray:
    """The logistic function :math:`\\sigma(x) = 1 / (1 + e^{-x})`.

    >>> logistic([0.0]).tolist()
    [0.5]
    """
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64))), dtype=np.float64)


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def standardize(x: npt.ArrayLike) -> FloatArray:
    """z-scores ignoring NaN; a constant series gives 0 (NaN stays NaN).

    >>> standardize([1.0, 2.0, 3.0, float("nan")]).round(4).tolist()
    [-1.2247, 0.0, 1.2247, nan]
    """
    v = np.asarray(x, dtype=np.float64)
    ok = ~np.isnan(v)
    if ok.sum() == 0:
        return v.copy()
    sd = float(np.std(v[ok]))
    if sd == 0.0:
        return np.where(ok, 0.0, np.nan)
    return np.asarray((v - np.mean(v[ok])) / sd, dtype=np.float64)


def decayed_stock(shocks: npt.ArrayLike, decay: float) -> FloatArray:
    r"""Shocks that persist: :math:`X_t = s_t + \delta X_{t-1}`, :math:`X_0 = s_0`.

    :math:`s_t` is the year's net shock and :math:`\delta` (``decay``) the share that carries
    into the next year (a half-life of :math:`\ln 2 / -\ln \delta` years); a missing shock
    counts 0.

    >>> decayed_stock([-2.0, 0.0, 1.0], 0.5).tolist()
    [-2.0, -1.0, 0.5]
    """
    s = np.nan_to_num(np.asarray(shocks, dtype=np.float64), nan=0.0)
    out = np.zeros_like(s)
    for t in range(len(s)):
        out[t] = s[t] + (decay * out[t - 1] if t else 0.0)
    return out


def abnormal_changes(
    change: npt.ArrayLike, *, k: float = 2.0, floor: float = 0.05
) -> tuple[FloatArray, FloatArray]:
    r"""Troop cuts and reinforcements beyond a client's normal year-to-year variation.

    With :math:`\Delta_t` the year's change in the log of the patron's troops in the client
    and :math:`\hat\sigma = \max(1.4826\,\mathrm{MAD}(\Delta), f)` its robust standard
    deviation over the years given (``floor`` :math:`f` keeps a flat series from calling
    every small change abnormal), a cut is :math:`\Delta_t < -k\hat\sigma` and a
    reinforcement :math:`\Delta_t > k\hat\sigma` (``k`` robust standard deviations). Returns
    two 0/1 arrays; a missing change is neither.

    >>> cuts, ups = abnormal_changes([0.0, 0.01, -0.01, -0.5, 0.0, 0.02])
    >>> cuts.tolist(), ups.tolist()
    ([0.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    d = np.asarray(change, dtype=np.float64)
    ok = ~np.isnan(d)
    if not ok.any():
        return np.zeros_like(d), np.zeros_like(d)
    mad = float(np.median(np.abs(d[ok] - np.median(d[ok]))))
    sd = max(_ROBUST_SD * mad, floor)
    with np.errstate(invalid="ignore"):
        return (d < -k * sd).astype(np.float64), (d > k * sd).astype(np.float64)


def abandonment_fear(
    signals_down: npt.ArrayLike,
    signals_up: npt.ArrayLike,
    cuts: npt.ArrayLike,
    reinforcements: npt.ArrayLike,
    *,
    signal_weight: float = 1.0,
    troop_weight: float = 1.0,
    reassurance: float = 1.0,
    decay: float = 0.5,
    baseline: float = 0.5,
) -> FloatArray:
    r"""Fear of abandonment: the persisting weight of the patron's signals and troop moves.

    .. math::

       A_{it} = \sigma\bigl(\operatorname{logit} A_0
                + w_s\, S_{it} + w_r\, R_{it}\bigr), \qquad
       S_{it} = \sum_{\tau \le t} \delta^{t-\tau}\,(d_{i\tau} - \rho\, u_{i\tau}), \quad
       R_{it} = \sum_{\tau \le t} \delta^{t-\tau}\,(c_{i\tau} - \rho\, g_{i\tau})

    where :math:`d_{it}` and :math:`u_{it}` count the patron's signals of reduced and of raised
    commitment to client :math:`i` in year :math:`t`, :math:`c_{it}` and :math:`g_{it}` mark
    troop cuts and reinforcements beyond the client's normal variation
    (:func:`abnormal_changes`), :math:`w_s, w_r` are their weights, :math:`\rho` the weight of
    reassurance relative to alarm, :math:`\delta` the yearly decay and :math:`A_0` the
    baseline fear (with nothing to fear, :math:`A = A_0`).

    >>> abandonment_fear([0.0], [0.0], [0.0], [0.0]).tolist()
    [0.5]
    >>> abandonment_fear([1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]).round(4).tolist()
    [0.7311, 0.6225]
    """
    s = decayed_stock(_sub(signals_down, signals_up, reassurance), decay)
    r = decayed_stock(_sub(cuts, reinforcements, reassurance), decay)
    return logistic(_logit(baseline) + signal_weight * s + troop_weight * r)


def _sub(a: npt.ArrayLike, b: npt.ArrayLike, rho: float) -> FloatArray:
    x = np.nan_to_num(np.asarray(a, dtype=np.float64), nan=0.0)
    y = np.nan_to_num(np.asarray(b, dtype=np.float64), nan=0.0)
    return np.asarray(x - rho * y, dtype=np.float64)


def entrapment_fear(
    exposure: npt.ArrayLike,
    *,
    center: float,
    scale: float,
    weight: float = 1.0,
    baseline: float = 0.5,
) -> FloatArray:
    r"""Fear of entrapment: the patron's conflicts that the client does not share.

    .. math:: E_{it} = \sigma\bigl(\operatorname{logit} E_0 + v\,(x_{it} - m) / s\bigr)

    where :math:`x_{it}` counts the patron's dispute opponents that client :math:`i` is not
    itself in dispute with in year :math:`t`, :math:`m` and :math:`s` (``center``, ``scale``)
    the median and robust spread of that count over both clients and all years (one scale
    for the pair, so that a conflict one client shares and the other does not shows as a
    difference between them), :math:`v` its weight and :math:`E_0` the baseline. A missing
    count makes :math:`E` missing.

    >>> entrapment_fear([2.0, 4.0], center=2.0, scale=2.0).round(4).tolist()
    [0.5, 0.7311]
    """
    x = np.asarray(exposure, dtype=np.float64)
    return logistic(_logit(baseline) + weight * (x - center) / (scale if scale > 0 else 1.0))


def classify_relation(
    a1: npt.ArrayLike,
    a2: npt.ArrayLike,
    e1: npt.ArrayLike,
    e2: npt.ArrayLike,
    *,
    threshold: float = 0.6,
    asymmetry: float = 0.3,
) -> list[str | None]:
    r"""The predicted relation of two clients in each year.

    ``cooperation`` if both fear abandonment (:math:`A_1 > \tau` and :math:`A_2 > \tau`);
    otherwise ``friction`` if fears are asymmetric: one fears abandonment while the other
    fears entrapment but not abandonment (:math:`A_i > \tau`, :math:`E_j > \tau`,
    :math:`A_j \le \tau`), or :math:`|A_1 - A_2| > \delta`; otherwise ``baseline``.
    :math:`\tau` is ``threshold`` and :math:`\delta` ``asymmetry``. None if a fear is missing
    (a missing :math:`E` counts as not high).

    >>> classify_relation([0.8, 0.8, 0.5], [0.7, 0.4, 0.5], [0.5, 0.5, 0.5], [0.5, 0.7, 0.5])
    ['cooperation', 'friction', 'baseline']
    """
    A1, A2 = np.asarray(a1, np.float64), np.asarray(a2, np.float64)
    E1, E2 = (np.nan_to_num(np.asarray(e, np.float64), nan=0.0) for e in (e1, e2))
    out: list[str | None] = []
    for x1, x2, y1, y2 in zip(A1, A2, E1, E2, strict=True):
        if np.isnan(x1) or np.isnan(x2):
            out.append(None)
        elif x1 > threshold and x2 > threshold:
            out.append("cooperation")
        elif (
            (x1 > threshold and y2 > threshold)
            or (x2 > threshold and y1 > threshold)
            or abs(x1 - x2) > asymmetry
        ):
            out.append("friction")
        else:
            out.append("baseline")
    return out


def predicted_intensity(a1: npt.ArrayLike, a2: npt.ArrayLike, penalty: float = 1.0) -> FloatArray:
    r"""Continuous predicted cooperation :math:`I_t = \min(A_1, A_2) - w\,|A_1 - A_2|`.

    Shared fear raises it; asymmetry (weight :math:`w`, ``penalty``) lowers it.

    >>> predicted_intensity([0.8, 0.9], [0.8, 0.3]).round(2).tolist()
    [0.8, -0.3]
    """
    x1, x2 = np.asarray(a1, np.float64), np.asarray(a2, np.float64)
    return np.asarray(np.minimum(x1, x2) - penalty * np.abs(x1 - x2), dtype=np.float64)


# --------------------------------------------------------------------------- observed


def observed_composite(
    observed: pl.DataFrame,
    signs: Mapping[str, float] | None = None,
    required: Sequence[str] = (),
) -> pl.DataFrame:
    r"""Add ``composite``, ``n_components`` and ``components`` to the observed components.

    .. math:: O_t = \frac{1}{|K_t|} \sum_{k \in K_t} s_k\, z(o_{kt})

    where :math:`o_{kt}` is component :math:`k` in year :math:`t`, :math:`z` its z-score over
    the years it is observed, :math:`s_k` its sign from ``signs`` (+1 for a component that
    measures cooperation, -1 for one that measures conflict; default +1 for every column but
    ``year``; :data:`allegiance.inputs.quasi.OBSERVED_COMPONENTS` gives the bundled ones) and
    :math:`K_t` the components observed in year :math:`t` that vary over the years (a constant
    component carries no information and is left out). A year with no component has a null
    composite and ``n_components`` 0; with ``required``, so has a year in which none of the
    ``required`` components is observed (e.g. cooperation measures: the absence of a
    dispute alone is not an observation of cooperation).

    >>> f = pl.DataFrame({"year": [1, 2, 3], "disputes": [1.0, 0.0, None]})
    >>> observed_composite(f, {"disputes": -1.0})["composite"].to_list()
    [-1.0, 1.0, None]
    """
    if signs is None:
        signs = {c: 1.0 for c in observed.columns if c != "year"}
    present = [c for c in signs if c in observed.columns]
    z = {c: standardize(observed[c].cast(pl.Float64).fill_null(np.nan).to_numpy()) for c in present}
    used = [c for c in present if np.any(~np.isnan(z[c]) & (z[c] != 0))]
    n = len(observed)
    signed = np.column_stack([signs[c] * z[c] for c in used]) if used else np.full((n, 0), np.nan)
    count = (~np.isnan(signed)).sum(axis=1)
    needed = [k for k, c in enumerate(used) if c in required]
    if required:
        count = np.where((~np.isnan(signed[:, needed])).any(axis=1), count, 0)
        signed = np.where(count[:, None] > 0, signed, np.nan)
    with np.errstate(invalid="ignore"):
        comp = np.where(count > 0, np.nansum(signed, axis=1) / np.maximum(count, 1), np.nan)
    names = [
        ";".join(c for c, v in zip(used, row, strict=True) if not np.isnan(v)) for row in signed
    ]
    return observed.with_columns(
        pl.Series("composite", comp, dtype=pl.Float64).fill_nan(None),
        pl.Series("n_components", count, dtype=pl.Int8),
        pl.Series("components", names if used else [""] * n, dtype=pl.String),
    )


def observed_terciles(composite: npt.ArrayLike) -> list[str | None]:
    """Observed category by tercile of the composite: friction, baseline, cooperation.

    >>> observed_terciles([1.0, 2.0, 3.0, float("nan")])
    ['friction', 'baseline', 'cooperation', None]
    """
    v = np.asarray(composite, dtype=np.float64)
    ok = v[~np.isnan(v)]
    if ok.size == 0:
        return [None] * len(v)
    lo, hi = np.quantile(ok, [1 / 3, 2 / 3])
    return [None if np.isnan(x) else _LABELS[int(x > lo) + int(x > hi)] for x in v]


# --------------------------------------------------------------------------- agreement


def _ranks(x: FloatArray) -> FloatArray:
    """Ranks from 1, ties given their average rank (scipy's ``rankdata(method="average")``).

    >>> _ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist()
    [3.5, 1.0, 3.5, 2.0]
    """
    order = np.argsort(x, kind="mergesort")
    ordered = x[order]
    group = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1
    size = np.bincount(group)
    # A run of c ties ending at rank e shares the average rank e - (c - 1) / 2 (exact).
    average = np.cumsum(size) - (size - 1) / 2.0
    ranks = np.empty(len(x))
    ranks[order] = average[group]
    return ranks


def spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman's rank correlation over the pairs where both are present (NaN if < 3 pairs
    or a constant side).

    >>> spearman([1, 2, 3, 4], [10, 20, 30, 25])
    0.8
    """
    a, b = np.asarray(x, np.float64), np.asarray(y, np.float64)
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 3:
        return float("nan")
    ra, rb = _ranks(a[ok]), _ranks(b[ok])
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.round(np.corrcoef(ra, rb)[0, 1], 12))


def block_permutation(n: int, block_length: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """A permutation of ``range(n)`` that keeps runs of years together.

    The series is rotated by a random offset, cut into blocks of ``block_length`` years and
    the blocks are shuffled, so autocorrelation within blocks survives.

    >>> sorted(block_permutation(7, 3, np.random.default_rng(0)).tolist())
    [0, 1, 2, 3, 4, 5, 6]
    """
    rotated = np.roll(np.arange(n), int(rng.integers(n)) if n else 0)
    blocks = [rotated[i : i + block_length] for i in range(0, n, block_length)]
    order = rng.permutation(len(blocks))
    return np.concatenate([blocks[i] for i in order]) if blocks else rotated


# --------------------------------------------------------------------------- periods


def decade_periods(years: range) -> list[tuple[int, int]]:
    """Default periods: calendar decades clipped to ``years``.

    >>> decade_periods(range(1965, 1982))
    [(1965, 1969), (1970, 1979), (1980, 1981)]
    """
    out, y = [], years.start
    while y < years.stop:
        end = min((y // 10) * 10 + 9, years.stop - 1)
        out.append((y, end))
        y = end + 1
    return out


# --------------------------------------------------------------------------- the model


@register_model
class QuasiAlliance(Model):
    r"""Cha's quasi-alliance model: shared fear of abandonment makes two clients cooperate.

    For clients :math:`i = 1, 2` of one patron in year :math:`t`, fear of abandonment
    :math:`A_{it}` (:func:`abandonment_fear`) and of entrapment :math:`E_{it}`
    (:func:`entrapment_fear`); the predicted relation is :func:`classify_relation` and the
    predicted intensity :math:`I_t = \min(A_{1t}, A_{2t}) - w|A_{1t} - A_{2t}|`
    (:func:`predicted_intensity`). Given the observed relation, :math:`I_t` is compared with
    the observed composite :math:`O_t` (:func:`observed_composite`) by Spearman's
    :math:`\rho`, and the predicted category with the observed tercile by the match rate, for
    every period and overall; one-sided p-values come from ``n_permutations`` block
    permutations of the observed years (:func:`block_permutation`):
    :math:`p = (1 + \#\{T^{(b)} \ge T\}) / (1 + B)`.

    Parameters
    ----------
    signal_weight : float, default 1
        :math:`w_s`: one signal of reduced commitment moves the log-odds of abandonment by 1
        (from the baseline 0.5 to 0.73) in its year.
    troop_weight : float, default 1
        :math:`w_r`: an abnormal troop cut counts as much as a signal.
    reassurance : float, default 1
        :math:`\rho`: a signal of raised commitment (or an abnormal reinforcement) offsets one
        of reduced commitment.
    decay : float in [0, 1), default 0.5
        :math:`\delta`: half of a shock carries into the next year (a half-life of one year),
        so a signal weighs in the two years after it and fades in the third.
    abnormal_sd : float, default 2
        :math:`k` of :func:`abnormal_changes`: a troop change is abnormal beyond two robust
        standard deviations of the client's year-to-year changes.
    troop_floor : float, default 0.05
        The smallest robust standard deviation of troop changes (5% a year).
    abandonment_baseline, entrapment_baseline : float in (0, 1), default 0.5
        :math:`A_0, E_0`: the fears when nothing moves.
    exposure_weight : float, default 1
        :math:`v` of :func:`entrapment_fear`.
    threshold : float in (0, 1), default 0.6
        :math:`\tau`: a fear above it is "high" (one fresh signal crosses it; the baseline
        does not).
    asymmetry : float in [0, 1], default 0.2
        :math:`\delta_A`: an abandonment gap above it is friction (one fresh signal to one
        client opens a gap of 0.23).
    asymmetry_penalty : float, default 1
        :math:`w` of the intensity.
    n_permutations : int, default 999
        Block permutations for the p-values (0 skips the test).
    block_length : int, default 4
        Years per permuted block.
    random_state : int or None
        Seed of the permutations; None draws one, recorded in ``seed_``.

    Attributes
    ----------
    fears_ : polars.DataFrame
        Client-years: the inputs, ``cut`` and ``reinforcement`` (abnormal troop changes),
        ``abandonment``, ``entrapment``.
    predicted_ : polars.DataFrame
        Years: ``ccode1, ccode2, abandonment_1/2, entrapment_1/2, relation, intensity``.
    by_year_ : polars.DataFrame
        Years: predicted and observed side by side, ``observed_relation`` (tercile),
        ``match`` (after :meth:`fit` with ``observed``).
    evaluation_ : polars.DataFrame
        Periods: ``period, first, last, n_years, n_observed, spearman, p_spearman,
        match_rate, p_match, share_cooperation, mean_intensity, mean_composite``; the last
        row is ``all``.
    seed_ : int
        The seed the permutations used.

    Notes
    -----
    The defaults are set from the theory's statement, not estimated and not chosen by
    looking at any evaluation year: a fresh signal makes a fear "high", one year later it
    is still above the threshold, two years later it is back near the baseline; reassurance
    weighs as much as alarm; troop numbers count only when they move beyond their own
    normal variation (so the year-to-year noise of deployment counts cannot move a fear).
    The threat to the clients enters nowhere: Cha's point is that the clients react to the
    patron's commitment, not to the threat. Cha's 1999 book is the source of the argument;
    its full reference is not in the package's sources, so it is not cited here.

    Examples
    --------
    >>> years = [2000, 2001, 2002, 2003]
    >>> inputs = pl.DataFrame({"ccode": [1] * 4 + [2] * 4, "year": years * 2,
    ...     "signals_down": [0, 1, 0, 0] * 2, "signals_up": [0] * 8,
    ...     "troop_change": [0.0] * 8, "exposure": [0.0] * 8})
    >>> m = QuasiAlliance(n_permutations=0, random_state=0).fit(inputs, clients=(1, 2))
    >>> m.predict()["relation"].to_list()
    ['baseline', 'cooperation', 'cooperation', 'baseline']
    """

    meta: ClassVar[ModelMeta] = ModelMeta(name="quasi", citations=(), stochastic=True)
    _constraints: ClassVar[dict[str, list[Interval | Options]]] = {
        "signal_weight": [Interval(float, 0, None)],
        "troop_weight": [Interval(float, 0, None)],
        "reassurance": [Interval(float, 0, None)],
        "decay": [Interval(float, 0, 0.999)],
        "abnormal_sd": [Interval(float, 0.5, None)],
        "troop_floor": [Interval(float, 0, None)],
        "abandonment_baseline": [Interval(float, 0.001, 0.999)],
        "entrapment_baseline": [Interval(float, 0.001, 0.999)],
        "exposure_weight": [Interval(float, 0, None)],
        "threshold": [Interval(float, 0.001, 0.999)],
        "asymmetry": [Interval(float, 0, 1)],
        "asymmetry_penalty": [Interval(float, 0, None)],
        "n_permutations": [Interval(int, 0, 100_000)],
        "block_length": [Interval(int, 1, None)],
        "random_state": [Interval(int, 0, None, allow_none=True)],
    }

    def __init__(
        self,
        *,
        signal_weight: float = 1.0,
        troop_weight: float = 1.0,
        reassurance: float = 1.0,
        decay: float = 0.5,
        abnormal_sd: float = 2.0,
        troop_floor: float = 0.05,
        abandonment_baseline: float = 0.5,
        entrapment_baseline: float = 0.5,
        exposure_weight: float = 1.0,
        threshold: float = 0.6,
        asymmetry: float = 0.2,
        asymmetry_penalty: float = 1.0,
        n_permutations: int = 999,
        block_length: int = 4,
        random_state: int | None = None,
    ) -> None:
        self.signal_weight = signal_weight
        self.troop_weight = troop_weight
        self.reassurance = reassurance
        self.decay = decay
        self.abnormal_sd = abnormal_sd
        self.troop_floor = troop_floor
        self.abandonment_baseline = abandonment_baseline
        self.entrapment_baseline = entrapment_baseline
        self.exposure_weight = exposure_weight
        self.threshold = threshold
        self.asymmetry = asymmetry
        self.asymmetry_penalty = asymmetry_penalty
        self.n_permutations = n_permutations
        self.block_length = block_length
        self.random_state = random_state

    # ----------------------------------------------------------------------- fit

    def fit(
        self,
        inputs: pl.DataFrame,
        observed: pl.DataFrame | None = None,
        *,
        clients: Sequence[int] | None = None,
        periods: Sequence[tuple[int, int]] | None = None,
        signs: Mapping[str, float] | None = None,
        required: Sequence[str] = (),
    ) -> QuasiAlliance:
        """Compute fears and the predicted relation; evaluate against ``observed`` if given.

        Parameters
        ----------
        inputs : polars.DataFrame
            One row per client-year with :data:`INPUT_COLUMNS` (see
            :func:`allegiance.inputs.quasi.client_inputs`).
        observed : polars.DataFrame, optional
            One row per year: ``year`` and any observed components
            (:func:`allegiance.inputs.quasi.observed_relation`).
        clients : pair of int, optional
            Which client is 1 and which 2 (default: the codes in ``inputs`` ascending).
        periods : list of (first, last), optional
            Evaluation periods (default :func:`decade_periods`).
        signs : mapping, optional
            Sign of each observed component in the composite (see
            :func:`observed_composite`).
        required : sequence of str, optional
            Components of which at least one must be observed for a year to count as observed
            (see :func:`observed_composite`).
        """
        validate_params(self)
        a, b = self._clients(inputs, clients)
        self._inputs = inputs
        exposure = inputs["exposure"].cast(pl.Float64).drop_nulls().to_numpy()
        center = float(np.median(exposure)) if exposure.size else 0.0
        spread = float(np.median(np.abs(exposure - center))) * _ROBUST_SD if exposure.size else 0
        rows = [self._fears(inputs.filter(pl.col("ccode") == c), center, spread) for c in (a, b)]
        self.fears_ = pl.concat(rows)
        self.predicted_ = self._predict(a, b)
        self.seed_ = resolve_seed(self.random_state)
        for name in ("by_year_", "evaluation_"):
            self.__dict__.pop(name, None)
        if observed is not None:
            self.by_year_ = self._join_observed(observed, signs, required)
            years = self.by_year_["year"]
            span = range(int(years.min()), int(years.max()) + 1)  # type: ignore[arg-type]
            self.evaluation_ = self._evaluate(list(periods) if periods else decade_periods(span))
        return self

    def predict(self) -> pl.DataFrame:
        """The predicted relation per year (``predicted_``)."""
        check_is_fitted(self, "predicted_")
        return self.predicted_

    def evaluate(self) -> pl.DataFrame:
        """The agreement table by period (``evaluation_``)."""
        check_is_fitted(self, "predicted_")
        if not hasattr(self, "evaluation_"):
            raise NotFittedError(
                "QuasiAlliance was fitted without observed data; pass observed= to fit()."
            )
        return self.evaluation_

    def evaluation(self, periods: Sequence[tuple[int, int]]) -> pl.DataFrame:
        """The agreement table for other ``periods`` (same fit, same seed; see ``evaluation_``)."""
        check_is_fitted(self, "predicted_")
        if not hasattr(self, "by_year_"):
            raise NotFittedError(
                "QuasiAlliance was fitted without observed data; pass observed= to fit()."
            )
        return self._evaluate(list(periods))

    def stability(self, factors: Sequence[float] = (0.9, 1.1)) -> pl.DataFrame:
        """How many predicted years change when each parameter moves by 10% either way.

        For each parameter of :data:`STABILITY_PARAMETERS` and each factor, the model is
        refitted on the same inputs with that one parameter multiplied by the factor
        (bounded parameters are clipped to their range) and the predicted relation of every
        year is compared with this fit's. Returns ``parameter, factor, value, n_years,
        n_changed, share_changed``.
        """
        check_is_fitted(self, "predicted_")
        base = self.predicted_.select("year", "relation")
        a, b = (int(self.predicted_[c][0]) for c in ("ccode1", "ccode2"))
        rows = []
        for name in STABILITY_PARAMETERS:
            for factor in factors:
                moved = clone(self)
                assert isinstance(moved, QuasiAlliance)
                value = _clip(name, getattr(self, name) * factor)
                moved.set_params(**{name: value, "n_permutations": 0})
                other = moved.fit(self._inputs, clients=(a, b)).predicted_
                both = base.join(other.select("year", "relation"), on="year", suffix="_moved")
                changed = both.filter(
                    pl.col("relation").ne_missing(pl.col("relation_moved"))
                ).height
                share = changed / both.height if both.height else None
                rows.append({"parameter": name, "factor": factor, "value": value,
                             "n_years": both.height, "n_changed": changed,
                             "share_changed": share})  # fmt: skip
        return pl.DataFrame(rows)

    # ----------------------------------------------------------------------- steps

    @staticmethod
    def _clients(inputs: pl.DataFrame, clients: Sequence[int] | None) -> tuple[int, int]:
        missing = [c for c in INPUT_COLUMNS if c not in inputs.columns]
        if missing:
            raise ParameterError(
                f"QuasiAlliance.fit() needs input columns {', '.join(INPUT_COLUMNS)}; "
                f"missing {', '.join(missing)}."
            )
        codes = sorted(int(c) for c in inputs["ccode"].unique())
        pair = [int(c) for c in clients] if clients is not None else codes
        if len(pair) != 2 or sorted(pair) != codes or pair[0] == pair[1]:
            raise ParameterError(
                f"QuasiAlliance.fit() needs inputs for exactly two clients. Got codes {codes}"
                + (f" for clients {list(pair)}." if clients is not None else ".")
            )
        return pair[0], pair[1]

    def _fears(self, rows: pl.DataFrame, center: float, spread: float) -> pl.DataFrame:
        rows = rows.sort("year")

        def col(name: str) -> FloatArray:
            return rows[name].cast(pl.Float64).fill_null(np.nan).to_numpy()

        cuts, ups = abnormal_changes(col("troop_change"), k=self.abnormal_sd,
                                     floor=self.troop_floor)  # fmt: skip
        aband = abandonment_fear(
            col("signals_down"), col("signals_up"), cuts, ups,
            signal_weight=self.signal_weight, troop_weight=self.troop_weight,
            reassurance=self.reassurance, decay=self.decay, baseline=self.abandonment_baseline,
        )  # fmt: skip
        entrap = entrapment_fear(col("exposure"), center=center, scale=spread,
                                 weight=self.exposure_weight,
                                 baseline=self.entrapment_baseline)  # fmt: skip
        series = {"cut": cuts, "reinforcement": ups, "abandonment": aband, "entrapment": entrap}
        return rows.select(INPUT_COLUMNS).with_columns(
            pl.Series(k, v, dtype=pl.Float64).fill_nan(None) for k, v in series.items()
        )

    def _predict(self, a: int, b: int) -> pl.DataFrame:
        def side(code: int, n: int) -> pl.DataFrame:
            f = self.fears_.filter(pl.col("ccode") == code)
            return f.select(
                "year",
                pl.col("abandonment").alias(f"abandonment_{n}"),
                pl.col("entrapment").alias(f"entrapment_{n}"),
            )

        wide = side(a, 1).join(side(b, 2), on="year", how="inner").sort("year")
        arr = {c: wide[c].fill_null(np.nan).to_numpy() for c in wide.columns if c != "year"}
        relation = classify_relation(
            arr["abandonment_1"], arr["abandonment_2"], arr["entrapment_1"],
            arr["entrapment_2"], threshold=self.threshold, asymmetry=self.asymmetry,
        )  # fmt: skip
        intensity = predicted_intensity(
            arr["abandonment_1"], arr["abandonment_2"], self.asymmetry_penalty
        )
        return wide.select(
            pl.lit(a, dtype=pl.Int32).alias("ccode1"),
            pl.lit(b, dtype=pl.Int32).alias("ccode2"),
            pl.all(),
        ).with_columns(
            pl.Series("relation", relation, dtype=pl.String),
            pl.Series("intensity", intensity, dtype=pl.Float64).fill_nan(None),
        )

    def _join_observed(
        self, observed: pl.DataFrame, signs: Mapping[str, float] | None, required: Sequence[str]
    ) -> pl.DataFrame:
        if "year" not in observed.columns:
            raise ParameterError("QuasiAlliance.fit() needs a 'year' column in observed.")
        pred = self.predicted_.select("year", "relation", "intensity")
        obs = observed_composite(
            observed.with_columns(pl.col("year").cast(pl.Int32)), signs, required
        )
        joined = pred.with_columns(pl.col("year").cast(pl.Int32)).join(obs, on="year", how="left")
        joined = joined.with_columns(
            pl.col("n_components").fill_null(0), pl.col("components").fill_null("")
        )
        # Terciles over the years with both a prediction and an observation.
        both = joined["intensity"].is_not_null() & joined["composite"].is_not_null()
        comp = joined["composite"].fill_null(np.nan).to_numpy().copy()
        comp[~both.to_numpy()] = np.nan
        terc = observed_terciles(comp)
        return joined.with_columns(
            pl.Series("observed_relation", terc, dtype=pl.String),
            (pl.col("relation") == pl.Series(terc, dtype=pl.String)).alias("match"),
        )

    def _evaluate(self, periods: list[tuple[int, int]]) -> pl.DataFrame:
        by = self.by_year_
        years = by["year"].to_numpy()
        pred_i = by["intensity"].fill_null(np.nan).to_numpy()
        pred_c = np.array(by["relation"].to_list(), dtype=object)
        obs_o = by["composite"].fill_null(np.nan).to_numpy()
        obs_c = np.array(by["observed_relation"].to_list(), dtype=object)
        spans = [*periods, (int(years.min()), int(years.max()))]
        masks = [(years >= lo) & (years <= hi) for lo, hi in spans]
        stats = np.array([_agreement(pred_i[m], pred_c[m], obs_o[m], obs_c[m]) for m in masks])
        rng = np.random.default_rng(self.seed_)
        exceed = np.zeros_like(stats)
        for _ in range(self.n_permutations):
            idx = block_permutation(len(years), self.block_length, rng)
            o, c = obs_o[idx], obs_c[idx]
            perm = np.array([_agreement(pred_i[m], pred_c[m], o[m], c[m]) for m in masks])
            exceed += perm >= stats - 1e-12
        with np.errstate(invalid="ignore"):
            p = (
                (1 + exceed) / (1 + self.n_permutations)
                if self.n_permutations
                else np.full_like(stats, np.nan)
            )
        p = np.where(np.isnan(stats), np.nan, p)
        rows = []
        for k, (lo, hi) in enumerate(spans):
            m = masks[k]
            ok = m & ~np.isnan(pred_i) & ~np.isnan(obs_o)
            label = "all" if k == len(spans) - 1 else f"{lo}-{hi}"
            rows.append(
                {
                    "period": label,
                    "first": lo,
                    "last": hi,
                    "n_years": int(m.sum()),
                    "n_observed": int(ok.sum()),
                    "spearman": stats[k, 0],
                    "p_spearman": p[k, 0],
                    "match_rate": stats[k, 1],
                    "p_match": p[k, 1],
                    "share_cooperation": _share(pred_c[m], "cooperation"),
                    "mean_intensity": _nanmean(pred_i[m]),
                    "mean_composite": _nanmean(obs_o[m]),
                }
            )
        return pl.DataFrame(rows).with_columns(pl.col(pl.Float64).fill_nan(None))


def _clip(name: str, value: float) -> float:
    """A moved parameter inside its allowed range."""
    rules = QuasiAlliance._constraints[name]
    rule = rules[0]
    if isinstance(rule, Interval):
        lo = -np.inf if rule.low is None else rule.low
        hi = np.inf if rule.high is None else rule.high
        return float(min(max(value, lo), hi))
    return value


def _share(labels: Any, label: str) -> float:
    return float(np.mean(labels == label)) if len(labels) else float("nan")


def _nanmean(x: FloatArray) -> float:
    return float(np.nanmean(x)) if np.any(~np.isnan(x)) else float("nan")


def _agreement(pi: FloatArray, pc: Any, oo: FloatArray, oc: Any) -> tuple[float, float]:
    """Spearman of intensity vs composite, and the category match rate, on shared years."""
    rho = spearman(pi, oo)
    has = (pc != None) & (oc != None)  # noqa: E711 (elementwise on object arrays)
    rate = float(np.mean(pc[has] == oc[has])) if has.any() else float("nan")
    return rho, rate
