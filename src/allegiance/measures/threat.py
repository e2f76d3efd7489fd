"""Shared threat: common strategic rivals, common dispute opponents and third-party threat."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from allegiance.data.coverage import table_years
from allegiance.measures.registry import Scope, register_measure, require_years, scope_dyad_years
from allegiance.panel.networks import (
    DISPUTE_SOURCES,
    RIVALRY_SOURCES,
    common_thirds,
    dispute_edges,
    rival_edges,
    window_edges,
)
from allegiance.panel.universe import dyad_years, state_years

__all__ = [
    "CommonOpponentsOptions",
    "CommonRivalsOptions",
    "ThirdPartyThreatOptions",
    "common_opponents",
    "common_rivals",
    "distance_decay",
    "third_party_threat",
    "threat_contributions",
]

_KEYS = ["ccode1", "ccode2", "year"]
_FloatArray = npt.NDArray[np.float64]


def _null_outside(columns: list[str], lo: int, hi: int) -> list[pl.Expr]:
    inside = pl.col("year").is_between(lo, hi)
    return [pl.when(inside).then(pl.col(c)).otherwise(None).alias(c) for c in columns]


# --------------------------------------------------------------------------- common rivals


class CommonRivalsOptions(BaseModel):
    """Options of ``common_rivals``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    source: Literal["tss", "td"] = "tss"


@register_measure(
    "common_rivals",
    options=CommonRivalsOptions,
    citations=("thompson2022", "thompson2012"),
)
def common_rivals(scope: Scope, opts: CommonRivalsOptions) -> pl.DataFrame:
    r"""Number of states that are strategic rivals of both states of a dyad in a year.

    .. math::

       \mathit{common\_rivals}_{ABt} = \sum_{C \neq A, B} R_{ACt} \, R_{BCt}

    where :math:`R_{XCt}` is 1 if states X and C were in an ongoing strategic rivalry in year
    :math:`t` and 0 otherwise.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region) to compute.
    opts : CommonRivalsOptions
        ``source``: ``"tss"`` (Thompson, Sakuwa & Suhas [thompson2022]_, default) or ``"td"``
        (Thompson & Dreyer [thompson2012]_).

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, common_rivals`` (Int16) and ``common_rivals_list`` (the common
        rivals' COW codes, ascending, joined by ``;``; empty if none).

    Raises
    ------
    ParameterError
        No requested year is inside the rivalry set's years.

    Notes
    -----
    Rivalry-years come from :func:`allegiance.panel.rivalries.add_strategic_rivalries` (spell
    years inclusive; Austria-Hungary 300 coded as Austria 305 from 1919). A rivalry between
    A and B themselves does not count (C must differ from both). Rivals must be system
    members in the year. The measure is symmetric. Years after the rivalry set's last year
    (2020 TSS, 2010 TD, read from the data) are null; a year range entirely outside the set
    raises an error.

    Examples
    --------
    >>> d = pl.DataFrame({"ccode1": [1], "ccode2": [2], "year": [2000]})
    >>> e = pl.DataFrame({"ccode1": [1, 9, 2, 9], "ccode2": [9, 1, 9, 2], "year": [2000] * 4})
    >>> common_thirds(d, e)["n"].item()  # state 9 is a rival of both 1 and 2
    1
    """
    table, start, end, _ = RIVALRY_SOURCES[opts.source]
    lo, hi = table_years(table, start, end)
    label = "TSS rivalries" if opts.source == "tss" else "Thompson-Dreyer rivalries"
    years = require_years("common_rivals", scope.years, max(lo, 1816), hi, label)
    dyads = scope_dyad_years(scope)
    edges = rival_edges(years, opts.source)
    out = common_thirds(dyads, edges).rename({"n": "common_rivals", "thirds": "common_rivals_list"})
    return out.with_columns(_null_outside(["common_rivals", "common_rivals_list"], lo, hi))


# --------------------------------------------------------------------------- common opponents


class CommonOpponentsOptions(BaseModel):
    """Options of ``common_opponents``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    source: Literal["gml", "cow"] = "gml"
    k: int = Field(10, ge=1)


@register_measure(
    "common_opponents",
    options=CommonOpponentsOptions,
    citations=("gibler2016", "palmer2022"),
)
def common_opponents(scope: Scope, opts: CommonOpponentsOptions) -> pl.DataFrame:
    r"""Number of states that had a militarized dispute with both states in the last k years.

    .. math::

       \mathit{common\_opponents}_{ABt} = \sum_{C \neq A, B} D^{(k)}_{ACt} \, D^{(k)}_{BCt},
       \qquad D^{(k)}_{XCt} = \max_{s = t-k+1}^{t} M_{XCs}

    where :math:`M_{XCs}` is 1 if a militarized interstate dispute between X and C was ongoing
    in year :math:`s` (0 otherwise), and :math:`k` is the window length in years.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region) to compute.
    opts : CommonOpponentsOptions
        ``source``: ``"gml"`` (Gibler-Miller-Little MIDs [gibler2016]_, default) or ``"cow"`` (COW
        MID v5.0 [palmer2022]_); ``k``: window length in years, an integer >= 1 (default 10); the
        window is ``[year - k + 1, year]``.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, common_opponents`` (Int16) and ``common_opponents_list`` (the
        opponents' COW codes, ascending, joined by ``;``).

    Raises
    ------
    ParameterError
        No requested year is inside the dispute data's years.

    Notes
    -----
    A dispute counts in every year it was ongoing (``gmlmidongoing``/``cowmidongoing`` from
    :func:`allegiance.panel.disputes.add_gml_mids` / ``add_cow_mids``), so a dispute that
    began before the window but lasted into it counts. Sides are not compared: C counts
    whether A and B fought C on the same side of one dispute or in separate disputes.
    Disputes between A and B themselves do not count. C need only have been a system member
    when it fought (a state that fought both and then left the system still counts). Years
    after the dispute data's last year (2010 GML, 2014 COW, read from the data) are null;
    windows reaching before 1816 use the years observed.

    Examples
    --------
    >>> e = pl.DataFrame({"ccode1": [1, 9, 2, 9], "ccode2": [9, 1, 9, 2],
    ...                   "year": [1990, 1990, 1999, 1999]})
    >>> d = pl.DataFrame({"ccode1": [1], "ccode2": [2], "year": [1999]})
    >>> common_thirds(d, window_edges(e, 10))["n"].item()  # 1990 is inside 1990-1999
    1
    >>> common_thirds(d, window_edges(e, 9))["n"].item()   # but not inside 1991-1999
    0
    """
    table, _ = DISPUTE_SOURCES[opts.source]
    lo, hi = table_years(table)
    label = "GML MIDs" if opts.source == "gml" else "COW MIDs"
    years = require_years("common_opponents", scope.years, lo, hi, label)
    dyads = scope_dyad_years(scope)
    edges = window_edges(
        dispute_edges(range(years.start - opts.k + 1, years.stop), opts.source), opts.k
    )
    out = common_thirds(dyads, edges).rename(
        {"n": "common_opponents", "thirds": "common_opponents_list"}
    )
    return out.with_columns(_null_outside(["common_opponents", "common_opponents_list"], lo, hi))


# --------------------------------------------------------------------------- third-party threat


def distance_decay(distance_km: npt.ArrayLike, lambda_km: float) -> _FloatArray:
    r"""Distance decay :math:`g(d) = e^{-d/\lambda}`; missing distances (NaN) give 0.

    >>> distance_decay([0.0, 1000.0, float("nan")], 1000.0).round(4).tolist()
    [1.0, 0.3679, 0.0]
    """
    d = np.asarray(distance_km, dtype=np.float64)
    return np.nan_to_num(np.exp(-d / lambda_km), nan=0.0)


def threat_contributions(
    cinc: npt.ArrayLike,
    dist_a: npt.ArrayLike,
    dist_b: npt.ArrayLike,
    rival_a: npt.ArrayLike,
    rival_b: npt.ArrayLike,
    mid_a: npt.ArrayLike,
    mid_b: npt.ArrayLike,
    *,
    lambda_km: float = 1000.0,
    rivalry_weight: float = 1.0,
    dispute_weight: float = 1.0,
) -> _FloatArray:
    r"""Threat posed by each third state C to a dyad (A, B); arrays broadcast elementwise.

    .. math::

       T_C = \mathit{cinc}_C \cdot \frac{g(d_{CA}) + g(d_{CB})}{2} \cdot
             \bigl(1 + r\,(R_{CA} + R_{CB}) + m\,(M_{CA} + M_{CB})\bigr)

    where :math:`\mathit{cinc}_C` is C's CINC score, :math:`d_{CX}` the distance (km) from C
    to X, :math:`g(d) = e^{-d/\lambda}` the distance decay with scale :math:`\lambda`
    (``lambda_km``), :math:`R_{CX}` and :math:`M_{CX}` 0/1 indicators of a rivalry and of a
    recent dispute between C and X, and :math:`r`, :math:`m` the rivalry and dispute weights.
    A missing CINC or distance (NaN) gives :math:`T_C = 0`.

    Examples
    --------
    One third state, CINC 0.2, 0 km from A and 1000 km from B, a rival of A; with
    lambda = 1000 km: 0.2 * (1 + e**-1) / 2 * (1 + 1) = 0.2 * 0.68394 * 2 = 0.27358.

    >>> float(threat_contributions(0.2, 0.0, 1000.0, 1, 0, 0, 0).round(5))
    0.27358
    """
    w = np.nan_to_num(np.asarray(cinc, dtype=np.float64), nan=0.0)
    g = (distance_decay(dist_a, lambda_km) + distance_decay(dist_b, lambda_km)) / 2.0
    hostility = (
        1.0
        + rivalry_weight * (np.asarray(rival_a, np.float64) + np.asarray(rival_b, np.float64))
        + dispute_weight * (np.asarray(mid_a, np.float64) + np.asarray(mid_b, np.float64))
    )
    return np.asarray(w * g * hostility, dtype=np.float64)


class ThirdPartyThreatOptions(BaseModel):
    """Options of ``third_party_threat`` (see its docstring for each parameter)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    lambda_km: float = Field(1000.0, gt=0)
    rivalry_weight: float = Field(1.0, ge=0)
    dispute_weight: float = Field(1.0, ge=0)
    k: int = Field(10, ge=1)
    distance: Literal["capital", "minimum"] = "capital"
    rivalry_source: Literal["tss", "td"] = "tss"
    dispute_source: Literal["gml", "cow"] = "gml"


def _year_matrix(
    frame: pl.DataFrame | None,
    index: npt.NDArray[np.int64],
    n: int,
    value: str,
    fill: float,
) -> _FloatArray:
    """An n x n matrix from ordered-pair rows ``ccode1, ccode2, value`` of one year.

    ``index`` maps a COW code to its row (a lookup array indexed by code).
    """
    out = np.full((n, n), fill, dtype=np.float64)
    if frame is not None and frame.height:
        i = index[frame["ccode1"].to_numpy()]
        j = index[frame["ccode2"].to_numpy()]
        out[i, j] = frame[value].cast(pl.Float64).fill_null(np.nan).to_numpy()
    return out


def _by_year(frame: pl.DataFrame) -> dict[int, pl.DataFrame]:
    return {int(k[0]): v for k, v in frame.partition_by("year", as_dict=True).items()}


#: Dyads per block of :func:`_dyad_threats` (a block's arrays stay in the processor's cache).
_CHUNK = 512


def _dyad_threats(
    g: _FloatArray,
    r: _FloatArray,
    m: _FloatArray,
    w: _FloatArray,
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    opts: ThirdPartyThreatOptions,
) -> tuple[_FloatArray, npt.NDArray[np.int64], _FloatArray]:
    """Total threat, the top third state's index and its share for the dyads ``(a, b)`` of
    one year, from the year's decay ``g``, rivalry ``r`` and dispute ``m`` matrices and the
    CINC scores ``w``: :func:`threat_contributions` summed over every C but A and B."""
    contrib = g[a]
    contrib += g[b]
    contrib /= 2.0
    contrib *= w[None, :]
    hostility = r[a]
    hostility += r[b]
    hostility *= opts.rivalry_weight
    hostility += 1.0
    disputes = m[a]
    disputes += m[b]
    disputes *= opts.dispute_weight
    hostility += disputes
    contrib *= hostility
    rows = np.arange(len(a))
    contrib[rows, a] = 0.0
    contrib[rows, b] = 0.0
    total = contrib.sum(axis=1)
    top = contrib.argmax(axis=1)
    share = np.where(total > 0, contrib[rows, top] / np.where(total > 0, total, 1.0), np.nan)
    return total, top, share


@register_measure(
    "third_party_threat",
    options=ThirdPartyThreatOptions,
    citations=("singer1972", "thompson2022", "gibler2016", "miller2022"),
)
def third_party_threat(scope: Scope, opts: ThirdPartyThreatOptions) -> pl.DataFrame:
    r"""Walt-style threat to a dyad from all third states: power, proximity and hostility.

    .. math::

       \mathit{third\_party\_threat}_{ABt} = \sum_{C \neq A, B} \mathit{cinc}_{Ct}\,
           \frac{g(d_{CAt}) + g(d_{CBt})}{2}\,
           \bigl(1 + r\,(R_{CAt} + R_{CBt}) + m\,(M^{(k)}_{CAt} + M^{(k)}_{CBt})\bigr),
       \qquad g(d) = e^{-d/\lambda}

    where C runs over the COW system members in year :math:`t` other than A and B,
    :math:`\mathit{cinc}_{Ct}` is C's Composite Index of National Capability (COW NMC v7.0
    [singer1972]_),
    :math:`d_{CXt}` the distance in km between C and X (capital-to-capital by default),
    :math:`\lambda` the distance-decay scale in km, :math:`R_{CXt}` is 1 if C and X were in an
    ongoing strategic rivalry in year :math:`t`, :math:`M^{(k)}_{CXt}` is 1 if a militarized
    dispute between C and X was ongoing in any year of :math:`[t-k+1, t]`, and :math:`r`,
    :math:`m` are the rivalry and dispute weights.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region) to compute.
    opts : ThirdPartyThreatOptions
        ``lambda_km`` (float > 0, default 1000): distance at which proximity falls to :math:`e^{-1}
        \approx 0.37` (it halves every :math:`\lambda \ln 2 \approx 693` km). ``rivalry_weight``
        (float >= 0, default 1): added to the hostility multiplier for each of A and B that is C's
        rival. ``dispute_weight`` (float >= 0, default 1): added for each of A and B that had a
        dispute with C in the window. ``k`` (int >= 1, default 10): dispute window in years.
        ``distance``: ``"capital"`` (great-circle distance between capitals, as peacesciencer
        [miller2022]_ computes it, default) or ``"minimum"`` (minimum distance between territories,
        CShapes 2.0, 1886-2019; 0 km for land neighbours). ``rivalry_source``: ``"tss"`` (default,
        [thompson2022]_) or ``"td"``; ``dispute_source``: ``"gml"`` (default, [gibler2016]_) or
        ``"cow"``.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, third_party_threat`` (Float64) plus ``top_threat_ccode``
        (Int32, the C with the largest :math:`T_C`) and ``top_threat_share`` (Float64, its
        share of the sum; null if the sum is 0).

    Raises
    ------
    ParameterError
        No requested year is covered by every source the formula uses.

    Notes
    -----
    - Design. Walt's balance of threat combines aggregate power, proximity and aggressive
      intentions. Power is CINC (a share of system capabilities, so the sum is comparable
      across years); proximity is an exponential loss-of-strength gradient, averaged over
      the two states so that C threatens the dyad as a whole; intentions are observed
      hostility (rivalry, recent disputes), which multiplies rather than adds, so a distant
      or weak rival still poses little threat. Offensive capabilities are not measured
      separately. With both weights 0 the measure is a distance-discounted sum of third
      states' capabilities.
    - The dyad's own members are excluded, so hostility between A and B does not enter.
    - Missing values: a C with no CINC or no distance in the year contributes 0 (a capital
      not recorded for the year; a pair CShapes lacks). The rivalry and dispute indicators
      are 0 where no rivalry (dispute) is recorded. Years outside a source whose weight is
      positive (NMC 1816-2022; TSS to 2020, TD to 2010; GML to 2010, COW MIDs to 2014;
      minimum distances 1886-2019; all read from the data) are null: set
      ``dispute_weight=0`` to extend the measure past the dispute data.
    - The measure is symmetric in A and B; ``top_threat_ccode`` breaks ties by the lower
      code.
    - The defaults (lambda 1000 km, weights 1, k 10) are judgment calls, not estimates;
      results should be checked for sensitivity to them.

    Examples
    --------
    >>> float(threat_contributions(0.2, 0.0, 1000.0, 1, 0, 0, 0).round(5))
    0.27358
    """
    from allegiance.panel.capabilities import add_nmc
    from allegiance.panel.distance import add_capital_distance, add_minimum_distance

    lo, hi = table_years("cow_nmc")
    sources = ["COW NMC"]
    if opts.rivalry_weight > 0:
        table, start, end, _ = RIVALRY_SOURCES[opts.rivalry_source]
        hi = min(hi, table_years(table, start, end)[1])
        sources.append(f"{opts.rivalry_source.upper()} rivalries")
    if opts.dispute_weight > 0:
        hi = min(hi, table_years(DISPUTE_SOURCES[opts.dispute_source][0])[1])
        sources.append(f"{opts.dispute_source.upper()} MIDs")
    if opts.distance == "minimum":
        dlo, dhi = table_years("cow_mindist")
        lo, hi = max(lo, dlo), min(hi, dhi)
        sources.append("CShapes minimum distances")
    years = require_years("third_party_threat", scope.years, lo, hi, ", ".join(sources))
    dyads = scope_dyad_years(scope)
    members = sorted(set(dyads["ccode1"].to_list()) | set(dyads["ccode2"].to_list()))

    cinc = add_nmc(state_years("cow", years), keep=["cinc"]).collect()
    pairs = dyad_years("cow", years, directed=True)
    pairs = pairs.with_frame(pairs.frame.filter(pl.col("ccode1").is_in(members)))
    if opts.distance == "capital":
        dist = add_capital_distance(pairs).frame.rename({"capdist": "dist"})
    else:
        dist = add_minimum_distance(pairs).frame.rename({"mindist": "dist"})
    dist_df = dist.collect()
    empty = pl.DataFrame(schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "year": pl.Int16})
    rivals = rival_edges(years, opts.rivalry_source) if opts.rivalry_weight > 0 else empty
    if opts.dispute_weight > 0:
        raw = dispute_edges(range(years.start - opts.k + 1, years.stop), opts.dispute_source)
        mids = window_edges(raw, opts.k)
    else:
        mids = empty
    # Only links of the scope's states with system members of the same year enter.
    alive = cinc.select("ccode", "year")
    rivals, mids = (
        e.filter(pl.col("ccode1").is_in(members))
        .join(alive.rename({"ccode": "ccode1"}), on=["ccode1", "year"], how="semi")
        .join(alive.rename({"ccode": "ccode2"}), on=["ccode2", "year"], how="semi")
        .with_columns(pl.lit(1.0).alias("v"))
        for e in (rivals, mids)
    )

    cinc_y, dist_y = _by_year(cinc), _by_year(dist_df)
    rivals_y, mids_y = _by_year(rivals), _by_year(mids)
    # Each year's values are written into the dyads' own rows (no join back).
    total = np.full(dyads.height, np.nan)
    top_code = np.zeros(dyads.height, dtype=np.int32)
    share = np.full(dyads.height, np.nan)
    inside = dyads.with_row_index("_row").filter(
        pl.col("year").is_between(years.start, years.stop - 1)
    )
    for (year,), rows in inside.group_by(["year"], maintain_order=True):
        states = cinc_y[year].sort("ccode")
        codes = states["ccode"].to_numpy()
        index = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
        index[codes] = np.arange(len(codes))
        n = len(codes)
        w = np.nan_to_num(states["cinc"].cast(pl.Float64).fill_null(np.nan).to_numpy(), nan=0.0)
        # threat_contributions() in the same order of operations, with the decay g(d)
        # computed once a year (n x n) and only gathered per dyad.
        g = distance_decay(_year_matrix(dist_y.get(year), index, n, "dist", np.nan),
                           opts.lambda_km)  # fmt: skip
        r = _year_matrix(rivals_y.get(year), index, n, "v", 0.0)
        m = _year_matrix(mids_y.get(year), index, n, "v", 0.0)
        a = index[rows["ccode1"].to_numpy()]
        b = index[rows["ccode2"].to_numpy()]
        at = rows["_row"].to_numpy()
        for lo in range(0, len(a), _CHUNK):
            part = slice(lo, lo + _CHUNK)
            t, k, sh = _dyad_threats(g, r, m, w, a[part], b[part], opts)
            total[at[part]], top_code[at[part]], share[at[part]] = t, codes[k], sh
    out = dyads.with_columns(
        pl.Series("third_party_threat", total, dtype=pl.Float64).fill_nan(None),
        pl.Series("top_threat_ccode", top_code, dtype=pl.Int32),
        pl.Series("top_threat_share", share, dtype=pl.Float64).fill_nan(None),
    )
    return out.with_columns(
        pl.when(pl.col("third_party_threat") > 0)
        .then(pl.col("top_threat_ccode"))
        .otherwise(None)
        .alias("top_threat_ccode")
    )
