"""Alliance-portfolio similarity (S, Scott's pi, Cohen's kappa, Kendall's tau-b) from ATOP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict

from allegiance.data import bundle, catalog
from allegiance.errors import ParameterError
from allegiance.measures.registry import Scope, register_measure, scope_dyad_years

__all__ = [
    "ALLIANCE_LEVELS",
    "ChanceOptions",
    "SScoreOptions",
    "TaubOptions",
    "alliance_level",
    "cohens_kappa",
    "kappa_matrix",
    "pi_matrix",
    "portfolios",
    "s_score",
    "s_score_matrix",
    "scotts_pi",
    "tau_b",
    "tau_b_matrix",
]

Coding = Literal["binary", "valued"]
Metric = Literal["absolute", "squared"]
Reference = Literal["system", "region"]
FloatArray = npt.NDArray[np.float64]

#: The valued (ordinal) alliance tie of a dyad built from its ATOP pledges, strongest first.
#: It carries the COW alliance typology that Signorino and Ritter's valued S and Bueno de
#: Mesquita's tau-b were defined on (defense pact 3 > neutrality or non-aggression pact 2 >
#: entente 1 > none 0) over to ATOP's five pledges.
ALLIANCE_LEVELS: dict[int, str] = {
    3: "defense or offense pledge (a promise of active military support)",
    2: "neutrality or non-aggression pledge, without defense or offense",
    1: "consultation pledge only (the entente of the COW typology)",
    0: "no ATOP pledge in either direction",
}

_TOP = {"valued": 3, "binary": 1}
_PLEDGES = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


# ------------------------------------------------------------------------ pure functions


def alliance_level(
    defense: npt.ArrayLike,
    offense: npt.ArrayLike,
    neutral: npt.ArrayLike,
    nonagg: npt.ArrayLike,
    consul: npt.ArrayLike,
) -> npt.NDArray[np.int8]:
    """The ordinal alliance tie (0-3, see :data:`ALLIANCE_LEVELS`) of ATOP pledge indicators.

    Examples
    --------
    >>> alliance_level([1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [1, 0, 0, 1])
    array([3, 3, 2, 1], dtype=int8)
    """
    d, o, n, a, c = (np.asarray(v) > 0 for v in (defense, offense, neutral, nonagg, consul))
    return np.select([d | o, n | a, c], [3, 2, 1], 0).astype(np.int8)


def _delta(levels: int, metric: Metric) -> FloatArray:
    """``delta[a, b]``: scaled distance (0 to 1) between tie levels ``a`` and ``b`` of 0..levels."""
    scale = np.arange(levels + 1, dtype=np.float64)
    gap = np.abs(scale[:, None] - scale[None, :]) / max(levels, 1)
    return gap if metric == "absolute" else gap**2


def _check_metric(metric: str, func: str) -> None:
    if metric not in ("absolute", "squared"):
        raise ParameterError(
            f"The 'metric' parameter of {func}() must be one of {{'absolute', 'squared'}}. "
            f"Got {metric!r} instead."
        )


def _pair(x: npt.ArrayLike, y: npt.ArrayLike, func: str) -> tuple[FloatArray, FloatArray]:
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape or a.size == 0:
        raise ParameterError(
            f"{func}() needs two non-empty portfolios of the same length. "
            f"Got shapes {a.shape} and {b.shape}."
        )
    return a, b


def s_score(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    d_max: float | None = None,
    metric: Metric = "absolute",
) -> float:
    """Signorino and Ritter's S of two portfolios (the ties of two states to each reference state).

    .. math::

        S = 1 - 2\\,\\frac{\\sum_k w_k\\, \\delta(x_k, y_k)}{\\sum_k w_k}

    where :math:`x_k` and :math:`y_k` are the two states' ties to reference state :math:`k`,
    :math:`w_k \\ge 0` its weight (1 when unweighted), and :math:`\\delta(a, b) = |a - b| /
    d_{max}` (``metric="absolute"``, Signorino and Ritter's choice) or :math:`((a - b) /
    d_{max})^2` (``"squared"``), with :math:`d_{max}` the range of the tie scale (the largest
    possible distance on one reference state). ``d_max`` defaults to the range observed over
    both portfolios; S is 1 when it is 0 (two identical constant portfolios).

    Examples
    --------
    >>> s_score([1, 0, 1], [1, 0, 1])
    1.0
    >>> round(s_score([1, 0, 1], [1, 0, 0]), 4)  # d = 1, d_max = 1 per state x 3: 1 - 2/3
    0.3333
    """
    _check_metric(metric, "s_score")
    a, b = _pair(x, y, "s_score")
    w = np.ones_like(a) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != a.shape or np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ParameterError(
            "The 'weights' parameter of s_score() must be finite, non-negative, not all zero and "
            f"as long as the portfolios. Got {np.asarray(weights).tolist()!r}."
        )
    span = float(np.ptp(np.concatenate([a, b]))) if d_max is None else float(d_max)
    if span < 0 or (d_max is not None and span == 0):
        raise ParameterError(f"The 'd_max' parameter of s_score() must be > 0. Got {d_max!r}.")
    if span == 0:
        return 1.0
    gap = np.abs(a - b) / span
    dist = gap if metric == "absolute" else gap**2
    return float(1 - 2 * (w * dist).sum() / w.sum())


def _chance(
    x: npt.ArrayLike, y: npt.ArrayLike, levels: int, metric: Metric, func: str, scott: bool
) -> float:
    _check_metric(metric, func)
    a, b = _pair(x, y, func)
    if levels < 1 or np.any((a < 0) | (a > levels) | (b < 0) | (b > levels) | (a % 1 != 0)):
        raise ParameterError(
            f"{func}() needs ties coded 0..{levels} (integers); got values outside that scale."
        )
    delta = _delta(levels, metric)
    ia, ib = a.astype(int), b.astype(int)
    observed = delta[ia, ib].mean()
    p = np.bincount(ia, minlength=levels + 1) / a.size
    q = np.bincount(ib, minlength=levels + 1) / b.size
    if scott:
        p = q = (p + q) / 2
    expected = float(p @ delta @ q)
    return float(1 - observed / expected) if expected > 0 else float("nan")


def scotts_pi(
    x: npt.ArrayLike, y: npt.ArrayLike, *, levels: int = 3, metric: Metric = "absolute"
) -> float:
    """Scott's pi of two portfolios coded 0..``levels``: agreement corrected for chance.

    .. math::

        \\pi = 1 - \\frac{D_o}{D_e^{\\pi}}, \\quad
        D_o = \\frac{1}{N}\\sum_{k=1}^{N} \\delta(x_k, y_k), \\quad
        D_e^{\\pi} = \\sum_a \\sum_b \\bar p_a \\bar p_b\\, \\delta(a, b)

    where :math:`N` is the number of reference states, :math:`\\delta` the distance of
    :func:`s_score` with :math:`d_{max} =` ``levels``, and :math:`\\bar p_a = (p_a + q_a) / 2` the
    share of tie level :math:`a` pooled over both portfolios (:math:`p_a`, :math:`q_a` its share
    in each). NaN when :math:`D_e^{\\pi} = 0` (both portfolios constant at the same level).

    Examples
    --------
    >>> scotts_pi([1, 0, 0, 1], [1, 0, 0, 1], levels=1)
    1.0
    >>> scotts_pi([1, 0, 0, 0], [0, 1, 0, 0], levels=1)  # D_o = 2/4, pooled p1 = 1/4: 1 - .5/.375
    -0.33333333333333326
    """
    return _chance(x, y, levels, metric, "scotts_pi", scott=True)


def cohens_kappa(
    x: npt.ArrayLike, y: npt.ArrayLike, *, levels: int = 3, metric: Metric = "absolute"
) -> float:
    """Cohen's kappa of two portfolios coded 0..``levels``: agreement corrected for chance.

    .. math::

        \\kappa = 1 - \\frac{D_o}{D_e^{\\kappa}}, \\quad
        D_e^{\\kappa} = \\sum_a \\sum_b p_a q_b\\, \\delta(a, b)

    where :math:`D_o` and :math:`\\delta` are those of :func:`scotts_pi` and :math:`p_a`,
    :math:`q_b` the shares of tie levels :math:`a` and :math:`b` in each portfolio (each
    state's own propensity to form ties). NaN when :math:`D_e^{\\kappa} = 0`.

    Examples
    --------
    >>> cohens_kappa([1, 1, 0, 0], [1, 0, 0, 0], levels=1)  # D_o = 1/4, D_e = .5*.75 + .5*.25
    0.5
    """
    return _chance(x, y, levels, metric, "cohens_kappa", scott=False)


def tau_b(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Kendall's tau-b of two ordinal portfolios; NaN if either has no variance.

    .. math::

        \\tau_b = \\frac{n_c - n_d}{\\sqrt{(n_0 - n_1)(n_0 - n_2)}}

    where :math:`n_c` and :math:`n_d` are the numbers of concordant and discordant pairs of
    reference states, :math:`n_0 = N(N-1)/2` the number of pairs of the :math:`N` reference
    states, and :math:`n_1 = \\sum_a t_a(t_a - 1)/2`, :math:`n_2 = \\sum_a u_a(u_a - 1)/2` the
    pairs tied in the first and second portfolio (:math:`t_a`, :math:`u_a` the numbers of
    reference states at tie level :math:`a`).

    Examples
    --------
    >>> tau_b([3, 0, 0], [3, 0, 0])
    1.0
    >>> tau_b([3, 0, 1], [0, 3, 1])  # n_c = 0, n_d = 3, no ties
    -1.0
    """
    a, b = _pair(x, y, "tau_b")
    sa = np.sign(a[:, None] - a[None, :])
    sb = np.sign(b[:, None] - b[None, :])
    iu = np.triu_indices(a.size, 1)
    ties_a = float((sa[iu] == 0).sum())
    ties_b = float((sb[iu] == 0).sum())
    n0 = a.size * (a.size - 1) / 2
    denom = np.sqrt((n0 - ties_a) * (n0 - ties_b))
    return float((sa[iu] * sb[iu]).sum() / denom) if denom > 0 else float("nan")


# --------------------------------------------------------- all pairs of a year at once


def _indicators(portfolio: npt.ArrayLike, levels: int) -> FloatArray:
    """``E[a, i, k] = 1`` if state ``i``'s tie to reference state ``k`` is level ``a``."""
    x = np.asarray(portfolio)
    out: FloatArray = (x[None, :, :] == np.arange(levels + 1)[:, None, None]).astype(np.float64)
    return out


def _tables(ind: FloatArray, weights: FloatArray | None = None) -> FloatArray:
    """``T[a, b, i, j]``: (weighted) number of reference states where ``x_ik = a, x_jk = b``."""
    left = ind if weights is None else ind * weights[None, None, :]
    out: FloatArray = np.matmul(left[:, None], ind.transpose(0, 2, 1)[None, :])
    return out


def s_score_matrix(
    portfolio: npt.ArrayLike,
    *,
    levels: int,
    weights: npt.ArrayLike | None = None,
    metric: Metric = "absolute",
) -> FloatArray:
    """S of every pair of rows of ``portfolio`` (states x reference states, ties 0..levels).

    Entry ``[i, j]`` equals ``s_score(portfolio[i], portfolio[j], weights=weights,
    d_max=levels, metric=metric)``; computed with one batch of matrix products.

    Examples
    --------
    >>> s_score_matrix([[1, 0, 1], [1, 0, 0]], levels=1).round(4).tolist()
    [[1.0, 0.3333], [0.3333, 1.0]]
    """
    ind = _indicators(portfolio, levels)
    w = np.ones(ind.shape[2]) if weights is None else np.asarray(weights, dtype=np.float64)
    dist = np.einsum("ab,abij->ij", _delta(levels, metric), _tables(ind, w))
    total = w.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(1 - 2 * dist / total, dtype=np.float64)


def _chance_matrix(
    portfolio: npt.ArrayLike, levels: int, metric: Metric, scott: bool
) -> FloatArray:
    ind = _indicators(portfolio, levels)
    n_ref = ind.shape[2]
    delta = _delta(levels, metric)
    observed = np.einsum("ab,abij->ij", delta, _tables(ind)) / n_ref
    shares = ind.sum(axis=2).T / n_ref  # states x levels
    cross = shares @ delta @ shares.T  # sum_a sum_b p_i(a) p_j(b) delta(a, b)
    if scott:
        own = np.diag(cross)
        expected = (own[:, None] + own[None, :] + 2 * cross) / 4
    else:
        expected = cross
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 1 - observed / expected
    return np.where(expected > 1e-12, out, np.nan)


def pi_matrix(portfolio: npt.ArrayLike, *, levels: int, metric: Metric = "absolute") -> FloatArray:
    """Scott's pi of every pair of rows of ``portfolio`` (see :func:`scotts_pi`).

    Examples
    --------
    >>> pi_matrix([[1, 0, 0, 0], [0, 1, 0, 0]], levels=1).round(4).tolist()
    [[1.0, -0.3333], [-0.3333, 1.0]]
    """
    return _chance_matrix(portfolio, levels, metric, scott=True)


def kappa_matrix(
    portfolio: npt.ArrayLike, *, levels: int, metric: Metric = "absolute"
) -> FloatArray:
    """Cohen's kappa of every pair of rows of ``portfolio`` (see :func:`cohens_kappa`).

    Examples
    --------
    >>> kappa_matrix([[1, 1, 0, 0], [1, 0, 0, 0]], levels=1).round(4).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    return _chance_matrix(portfolio, levels, metric, scott=False)


def tau_b_matrix(portfolio: npt.ArrayLike, *, levels: int) -> FloatArray:
    """Kendall's tau-b of every pair of rows of ``portfolio`` (see :func:`tau_b`).

    With the contingency tables :math:`T_{ab}` of each pair (reference states at level
    :math:`a` for one state and :math:`b` for the other) and :math:`A_{ab} = \\mathrm{sign}(a -
    b)`, :math:`n_c - n_d = \\tfrac12 \\sum_{a,b} T_{ab} (A T A^\\top)_{ab}`: no loop over
    reference states.

    Examples
    --------
    >>> tau_b_matrix([[3, 0, 1], [0, 3, 1], [3, 3, 3]], levels=3).round(4).tolist()
    [[1.0, -1.0, nan], [-1.0, 1.0, nan], [nan, nan, nan]]
    """
    ind = _indicators(portfolio, levels)
    n_ref = ind.shape[2]
    table = _tables(ind)
    scale = np.arange(levels + 1)
    sgn = np.sign(scale[:, None] - scale[None, :]).astype(np.float64)
    flipped = np.einsum("ab,bdij,cd->acij", sgn, table, sgn, optimize=True)
    score = 0.5 * np.einsum("acij,acij->ij", table, flipped)
    counts = ind.sum(axis=2)  # levels x states
    ties = (counts * (counts - 1) / 2).sum(axis=0)
    n0 = n_ref * (n_ref - 1) / 2
    denom = np.sqrt(np.outer(n0 - ties, n0 - ties))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = score / denom
    return np.where(denom > 0, out, np.nan)


# ------------------------------------------------------------------ panel plumbing


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    coding: Coding = "valued"
    reference: Reference = "system"


class SScoreOptions(_Common):
    """Options of ``sscore``: tie coding, weights, distance metric and reference set."""

    weights: Literal["none", "capability"] = "none"
    metric: Metric = "absolute"


class ChanceOptions(_Common):
    """Options of ``pi`` and ``kappa``: tie coding, distance metric and reference set."""

    metric: Metric = "absolute"


class TaubOptions(_Common):
    """Options of ``taub``: tie coding and reference set."""


def _covered(dataset: str, scope: Scope, measure: str) -> tuple[int, int]:
    """The catalog years of ``dataset``; ParameterError if ``scope.years`` misses them all."""
    years = catalog.get(dataset).years
    assert years is not None
    first, last = years
    if not scope.years or scope.years.start > last or scope.years.stop - 1 < first:
        asked = f"{scope.years.start}-{scope.years.stop - 1}" if scope.years else "no years"
        raise ParameterError(
            f"The measure {measure!r} needs {catalog.get(dataset).name} v"
            f"{catalog.get(dataset).version}, which covers {first}-{last}. Got {asked}."
        )
    return first, last


def _members(scope: Scope, opts: _Common, years: range, measure: str) -> pl.DataFrame:
    """``ccode, year, pos`` of the reference set: COW members (of the region) each year."""
    from allegiance.panel.universe import state_years

    states: list[int] | None = None
    if opts.reference == "region":
        if scope.states is None:
            raise ParameterError(
                f"The 'reference' option of measure {measure!r} can be 'region' only when a "
                "region is given (--states). Got 'region' without one; use reference=system."
            )
        states = list(scope.states)
    frame = state_years("cow", years, states).frame.collect()
    frame = frame.filter(pl.col("year").is_between(years.start, years.stop - 1))
    return frame.sort("year", "ccode").with_columns(
        pl.int_range(pl.len()).over("year").cast(pl.Int32).alias("pos")
    )


def portfolios(years: range, members: pl.DataFrame) -> dict[int, npt.NDArray[np.int8]]:
    """Year -> symmetric valued portfolio matrix (0-3) over ``members`` (``ccode, year, pos``).

    ``X[i, k]`` is the tie between states ``i`` and ``k``: the :func:`alliance_level` of their
    ATOP pledges in either direction (the larger if the directions differ); ``X[i, i] = 3``.
    """
    atop = (
        bundle.scan("atop_alliance")
        .filter(pl.col("year").is_between(years.start, years.stop - 1))
        .with_columns(pl.col("year").cast(pl.Int16))
        .collect()
    )
    level = alliance_level(*(atop[p].to_numpy() for p in _PLEDGES))
    ties = atop.select("ccode1", "ccode2", "year").with_columns(pl.Series("level", level))
    pos = members.select("ccode", "year", "pos")
    ties = ties.join(
        pos.rename({"ccode": "ccode1", "pos": "p1"}), on=["ccode1", "year"], how="inner"
    ).join(pos.rename({"ccode": "ccode2", "pos": "p2"}), on=["ccode2", "year"], how="inner")
    sizes = dict(members.group_by("year").len().iter_rows())
    out: dict[int, npt.NDArray[np.int8]] = {}
    for year, n in sizes.items():
        mat = np.zeros((n, n), dtype=np.int8)
        np.fill_diagonal(mat, 3)
        out[int(year)] = mat
    for (year,), part in ties.partition_by("year", as_dict=True).items():
        mat = out[int(year)]
        p1, p2, lv = (part[c].to_numpy() for c in ("p1", "p2", "level"))
        # both directions, keeping the stronger tie where the directed records differ
        np.maximum.at(mat, (p1, p2), lv)
        np.maximum.at(mat, (p2, p1), lv)
    return out


def _weights(years: range, members: pl.DataFrame) -> dict[int, FloatArray]:
    """Year -> CINC share of each reference state (0 where NMC has no CINC), ordered by pos."""
    nmc = bundle.scan("cow_nmc").select(
        pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int16), "cinc"
    )
    frame = (
        members.lazy()
        .join(nmc, on=["ccode", "year"], how="left")
        .with_columns(pl.col("cinc").fill_null(0.0))
        .with_columns((pl.col("cinc") / pl.col("cinc").sum().over("year")).alias("share"))
        .sort("year", "pos")
        .collect()
    )
    return {
        int(y): part["share"].to_numpy()
        for (y,), part in frame.partition_by("year", as_dict=True).items()
    }


Kernel = Callable[[npt.NDArray[np.int8], FloatArray | None], FloatArray]


def _compute(
    scope: Scope, opts: _Common, name: str, kernel: Kernel, weighted: bool
) -> pl.DataFrame:
    """Rows of the scope with ``name`` (null outside the sources' years) and ``n_reference``."""
    rows = scope_dyad_years(scope).with_row_index("_row")
    first, last = _covered("atop", scope, name)
    if weighted:
        nfirst, nlast = _covered("cow_nmc", scope, name)
        first, last = max(first, nfirst), min(last, nlast)
    span = range(max(scope.years.start, first), min(scope.years.stop, last + 1))
    members = _members(scope, opts, span, name)
    mats = portfolios(span, members) if span else {}
    weights = _weights(span, members) if weighted and span else {}
    pos = members.select("ccode", "year", "pos")
    keyed = rows.join(
        pos.rename({"ccode": "ccode1", "pos": "p1"}), on=["ccode1", "year"], how="inner"
    ).join(pos.rename({"ccode": "ccode2", "pos": "p2"}), on=["ccode2", "year"], how="inner")
    pieces = []
    for (year,), part in keyed.partition_by("year", as_dict=True).items():
        mat = mats[int(year)]
        if opts.coding == "binary":
            mat = (mat > 0).astype(np.int8)
        values = kernel(mat, weights.get(int(year)))
        got = values[part["p1"].to_numpy(), part["p2"].to_numpy()]
        pieces.append(
            pl.DataFrame(
                {
                    "_row": part["_row"],
                    name: got,
                    "n_reference": np.full(part.height, mat.shape[0], dtype=np.int32),
                }
            )
        )
    schema = {"_row": pl.UInt32, name: pl.Float64, "n_reference": pl.Int32}
    values_frame = pl.concat(pieces) if pieces else pl.DataFrame(schema=schema)
    return (
        rows.join(values_frame, on="_row", how="left")
        .sort("_row")
        .drop("_row")
        .with_columns(pl.col(name).fill_nan(None))
    )


_NOTES_REFERENCE = """
    The reference set of a year is every COW system member that year (peacesciencer's
    state-years: a member for at least one day), or, with ``reference="region"``, the members of
    the region passed as ``--states``. Each state's portfolio is its ties to every state of the
    reference set, itself included: its tie with itself is the strongest level (3 valued, 1
    binary; every state is taken to be maximally committed to its own defense, as in
    Signorino and Ritter's Table 6). The dyad's own tie therefore enters both portfolios:
    at position :math:`j` of state :math:`i`'s portfolio and at position :math:`i` of
    :math:`j`'s, opposite each state's tie with itself. Ties are undirected: the level of the
    dyad's ATOP [leeds2002]_ pledges in either direction (the stronger if ATOP's directed
    records differ).
    Valued coding (:data:`ALLIANCE_LEVELS`): 3 defense or offense pledge, 2 neutrality or
    non-aggression pledge, 1 consultation only, 0 none, so :math:`d_{max} = 3`; binary coding:
    1 for any pledge, :math:`d_{max} = 1`. Dyad-years outside ATOP's years (and, for
    capability weights, NMC's) are null; a range with no covered year raises ParameterError.
    ``n_reference`` is the size of the reference set that year (null where the measure is)."""


@register_measure(
    "sscore", options=SScoreOptions, citations=("signorino1999", "leeds2002", "singer1972")
)
def sscore(scope: Scope, opts: SScoreOptions) -> pl.DataFrame:
    """Signorino and Ritter's S: similarity of two states' ATOP alliance portfolios.

    .. math::

        S_{ij} = 1 - 2\\,\\frac{\\sum_{k \\in R} w_k\\, \\delta(x_{ik}, x_{jk})}
        {\\sum_{k \\in R} w_k}

    where :math:`R` is the reference set of the year, :math:`x_{ik}` the alliance tie of state
    :math:`i` with state :math:`k`, :math:`w_k` the weight of :math:`k` (1, or its share of the
    reference set's CINC), and :math:`\\delta(a, b) = |a - b| / d_{max}` (or its square) the
    distance on one reference state, scaled by the range :math:`d_{max}` of the tie scale. This is
    Signorino and Ritter's [signorino1999]_ :math:`1 - 2d/d_{max}` with :math:`d = \\sum_k w_k
    |x_{ik} - x_{jk}|` and :math:`d_{max} = \\sum_k w_k \\cdot (\\text{range})`.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region); without either, every dyad-year of the COW system.
    opts : SScoreOptions
        ``coding`` ("valued" 0-3, default, or "binary"), ``weights`` ("none", default, or
        "capability": :math:`w_k = \\mathrm{cinc}_k / \\sum_{m \\in R} \\mathrm{cinc}_m`, NMC v7.0
        [singer1972]_), ``metric`` ("absolute", default, as published, or "squared") and
        ``reference`` ("system", default, or "region").

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, sscore`` (-1 to 1, 1 = identical portfolios) and
        ``n_reference``; one row per dyad-year of the scope.

    Notes
    -----
    {notes}
    Capability weights are normalised to sum to 1 over the reference set; a state without a
    CINC score that year gets weight 0 (S is unchanged by any common rescaling of the weights).

    Examples
    --------
    >>> round(s_score([3, 0, 3], [3, 0, 0], d_max=3), 4)  # d = 3, d_max = 3 * 3: 1 - 2/3
    0.3333
    """
    levels = _TOP[opts.coding]

    def kernel(mat: npt.NDArray[np.int8], w: FloatArray | None) -> FloatArray:
        return s_score_matrix(mat, levels=levels, weights=w, metric=opts.metric)

    return _compute(scope, opts, "sscore", kernel, weighted=opts.weights == "capability")


@register_measure("pi", options=ChanceOptions, citations=("haege2011", "scott1955", "leeds2002"))
def pi(scope: Scope, opts: ChanceOptions) -> pl.DataFrame:
    """Scott's pi (Häge 2011): alliance-portfolio agreement corrected for chance.

    .. math::

        \\pi_{ij} = 1 - \\frac{D^o_{ij}}{D^{\\pi}_{ij}}, \\quad
        D^o_{ij} = \\frac{1}{|R|}\\sum_{k \\in R} \\delta(x_{ik}, x_{jk}), \\quad
        D^{\\pi}_{ij} = \\sum_a \\sum_b \\bar p_{ij}(a)\\, \\bar p_{ij}(b)\\, \\delta(a, b)

    where :math:`R` is the reference set, :math:`x_{ik}` the tie of :math:`i` with :math:`k`,
    :math:`\\delta` the scaled distance of ``sscore`` (absolute or squared), and :math:`\\bar
    p_{ij}(a) = (p_i(a) + p_j(a)) / 2` the share of reference states at tie level :math:`a`,
    pooled over both portfolios. For binary coding :math:`\\delta` is 0/1 and this is Scott's
    :math:`(p_o - p_e) / (1 - p_e)`. Note :math:`S = 1 - D^o / (1/2)`: pi replaces S's fixed
    expected disagreement with the one expected by chance from the dyad's pooled ties.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region); without either, every dyad-year of the COW system.
    opts : ChanceOptions
        ``coding`` ("valued", default, or "binary"), ``metric`` ("absolute", default, or
        "squared") and ``reference`` ("system", default, or "region").

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, pi`` (at most 1) and ``n_reference``.

    Notes
    -----
    {notes}
    pi is null when the expected disagreement is 0 (both portfolios at one level only).
    This is Scott's pi [scott1955]_ on alliance portfolios, as Häge [haege2011]_ proposes.
    Häge's valued indices weight disagreements by a distance; the default here is the absolute
    distance of S, so that pi is S corrected for chance on the same metric.

    Examples
    --------
    >>> scotts_pi([1, 1, 0, 0], [1, 1, 0, 0], levels=1)
    1.0
    """
    levels = _TOP[opts.coding]

    def kernel(mat: npt.NDArray[np.int8], _w: FloatArray | None) -> FloatArray:
        return pi_matrix(mat, levels=levels, metric=opts.metric)

    return _compute(scope, opts, "pi", kernel, weighted=False)


@register_measure("kappa", options=ChanceOptions, citations=("haege2011", "cohen1960", "leeds2002"))
def kappa(scope: Scope, opts: ChanceOptions) -> pl.DataFrame:
    """Cohen's kappa (Häge 2011): alliance-portfolio agreement corrected for each state's ties.

    .. math::

        \\kappa_{ij} = 1 - \\frac{D^o_{ij}}{D^{\\kappa}_{ij}}, \\quad
        D^{\\kappa}_{ij} = \\sum_a \\sum_b p_i(a)\\, p_j(b)\\, \\delta(a, b)

    where :math:`D^o_{ij}` and :math:`\\delta` are those of ``pi``, and :math:`p_i(a)` is the
    share of reference states with which state :math:`i` has a tie of level :math:`a` (its own
    propensity to form ties, unlike pi's pooled shares).

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region); without either, every dyad-year of the COW system.
    opts : ChanceOptions
        ``coding`` ("valued", default, or "binary"), ``metric`` ("absolute", default, or
        "squared") and ``reference`` ("system", default, or "region").

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, kappa`` (at most 1) and ``n_reference``.

    Notes
    -----
    {notes}
    kappa is null when the expected disagreement is 0 (both portfolios at one and the same
    level). For binary coding this is Cohen's [cohen1960]_ :math:`(p_o - p_e) / (1 - p_e)`; for
    valued coding it is the distance-weighted kappa with the absolute (default) or squared
    distance, as Häge [haege2011]_ applies it to alliance portfolios.

    Examples
    --------
    >>> cohens_kappa([1, 1, 0, 0], [1, 1, 0, 0], levels=1)
    1.0
    """
    levels = _TOP[opts.coding]

    def kernel(mat: npt.NDArray[np.int8], _w: FloatArray | None) -> FloatArray:
        return kappa_matrix(mat, levels=levels, metric=opts.metric)

    return _compute(scope, opts, "kappa", kernel, weighted=False)


@register_measure(
    "taub", options=TaubOptions, citations=("kendall1938", "signorino1999", "leeds2002")
)
def taub(scope: Scope, opts: TaubOptions) -> pl.DataFrame:
    """Kendall's tau-b of two states' ordinal alliance portfolios (Bueno de Mesquita 1975).

    .. math::

        \\tau_{b,ij} = \\frac{n_c - n_d}{\\sqrt{(n_0 - n_1)(n_0 - n_2)}}

    where, over the pairs of reference states :math:`(k, l)`, :math:`n_c` counts those ordered
    the same way by :math:`i`'s and :math:`j`'s ties (concordant), :math:`n_d` those ordered
    oppositely (discordant), :math:`n_0 = |R|(|R| - 1)/2` all pairs, and :math:`n_1`,
    :math:`n_2` the pairs tied in :math:`i`'s and in :math:`j`'s portfolio.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region); without either, every dyad-year of the COW system.
    opts : TaubOptions
        ``coding`` ("valued", default: the ordinal table; or "binary") and ``reference``
        ("system", default, or "region").

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, taub`` (-1 to 1) and ``n_reference``.

    Notes
    -----
    {notes}
    tau-b is undefined, and null, when a portfolio has no variance (a state tied at one level
    with every reference state, e.g. in a small region all of whose members share one pact).
    The index is Kendall's tau-b [kendall1938]_. Bueno de Mesquita (1975; not in the package
    bibliography, so named, not cited) brought it on the COW ordinal alliance table into
    conflict studies;
    Signorino and Ritter [signorino1999]_ show why it measures association, not similarity.

    Examples
    --------
    >>> tau_b([3, 3, 0, 0], [3, 0, 3, 0])
    0.0
    """
    levels = _TOP[opts.coding]

    def kernel(mat: npt.NDArray[np.int8], _w: FloatArray | None) -> FloatArray:
        return tau_b_matrix(mat, levels=levels)

    return _compute(scope, opts, "taub", kernel, weighted=False)


for _func in (sscore, pi, kappa, taub):
    _func.__doc__ = (_func.__doc__ or "").replace("{notes}", _NOTES_REFERENCE.strip() + "\n")
