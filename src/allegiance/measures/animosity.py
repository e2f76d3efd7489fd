"""Historical animosity: wars on opposite sides, recent dispute years, colonial ties, claims."""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict

from allegiance.data import catalog
from allegiance.data.coverage import table_years
from allegiance.measures.registry import Scope, register_measure, require_years, scope_dyad_years
from allegiance.panel.colonial import add_icow_colonial
from allegiance.panel.disputes import add_cow_mids, add_gml_mids
from allegiance.panel.territory import add_icow_claims
from allegiance.panel.universe import dyad_years, system_years
from allegiance.panel.wars import add_cow_wars

__all__ = ["COMPONENTS", "FLAGS", "AnimosityOptions", "animosity", "animosity_index", "saturate"]

_KEYS = ["ccode1", "ccode2", "year"]
_PAIR = ["_lo", "_hi"]
_DISPUTES = {
    "gml": ("gml_mid_ddydisps", "gmlmidonset", "gmlmidongoing"),
    "cow": ("cow_mid_ddydisps", "cowmidonset", "cowmidongoing"),
}
#: Highest ICOW salience (six tangible plus six intangible indicators).
SALIENCE_MAX = 12.0
#: The components, as columns of the measure (the dispute counts of the index are chosen by the
#: ``disputes`` option: ``mid_years_*`` or ``mids_*``).
COMPONENTS = ("wars_opposite", "mid_years_10y", "mid_years_25y", "mids_10y", "mids_25y",
              "colonial", "claim_active", "claim_salience")  # fmt: skip
#: Flags of components carried forward past their source's last year.
FLAGS = ("wars_carried", "claim_carried")


def saturate(count: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Map a count to [0, 1): :math:`x / (1 + x)` (0 -> 0, 1 -> 0.5, 3 -> 0.75).

    >>> saturate([0, 1, 3]).tolist()
    [0.0, 0.5, 0.75]
    """
    x = np.asarray(count, dtype=np.float64)
    return np.asarray(x / (1.0 + x), dtype=np.float64)


def animosity_index(
    wars: npt.ArrayLike,
    mids_10y: npt.ArrayLike,
    mids_25y: npt.ArrayLike,
    colonial: npt.ArrayLike,
    salience: npt.ArrayLike,
) -> npt.NDArray[np.float64]:
    r"""The animosity composite: the mean of five component scores in [0, 1].

    .. math::

       \mathit{animosity} = \frac{1}{5}\left(s(W) + s(M_{10}) + s(M_{25}) + K
           + \frac{S}{12}\right), \qquad s(x) = \frac{x}{1 + x}

    where :math:`W` is the number of wars fought on opposite sides so far, :math:`M_{10}`
    and :math:`M_{25}` the dispute counts of the last 10 and 25 years (the measure passes the
    years with a dispute under way, or the onset years), :math:`K` the 0/1 colonial
    relationship and :math:`S` the highest salience (0-12) of the active territorial claims
    (0 if none). A missing component (NaN) gives NaN.

    Examples
    --------
    (0.5 + 2/3 + 3/4 + 1 + 6/12) / 5 = 3.41667 / 5 = 0.68333:

    >>> float(animosity_index(1, 2, 3, 1, 6).round(5))
    0.68333
    >>> float(animosity_index(0, 0, 0, 0, 0))
    0.0
    """
    parts = (
        saturate(wars),
        saturate(mids_10y),
        saturate(mids_25y),
        np.asarray(colonial, dtype=np.float64),
        np.asarray(salience, dtype=np.float64) / SALIENCE_MAX,
    )
    return np.asarray(sum(parts) / 5.0, dtype=np.float64)


class AnimosityOptions(BaseModel):
    """Options of ``animosity``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    source: Literal["gml", "cow"] = "gml"
    claims_after: Literal["carry", "null"] = "carry"
    disputes: Literal["years", "onsets"] = "years"


def _pair_cols() -> list[pl.Expr]:
    return [
        pl.min_horizontal("ccode1", "ccode2").alias("_lo"),
        pl.max_horizontal("ccode1", "ccode2").alias("_hi"),
    ]


def _history(dyads: pl.DataFrame, scope: Scope, last: int, source: str) -> pl.DataFrame:
    """Every year of the scope's unordered pairs from 1816 to ``last``, with the panel steps."""
    pairs = dyads.select(_pair_cols()).unique()
    members = None
    if scope.dyads is not None or scope.states is not None:
        members = sorted(set(pairs["_lo"].to_list()) | set(pairs["_hi"].to_list()))
    first = system_years("cow")[0]
    panel = dyad_years("cow", range(first, last + 1), directed=False, states=members)
    wanted = pairs.rename({"_lo": "ccode1", "_hi": "ccode2"}).lazy()
    panel = panel.with_frame(panel.frame.join(wanted, on=["ccode1", "ccode2"], how="semi"))
    panel = add_cow_wars(panel, keep=["warnum"])
    panel = (add_gml_mids if source == "gml" else add_cow_mids)(panel, keep=())  # onset, ongoing
    panel = add_icow_claims(panel)
    panel = add_icow_colonial(panel)
    return panel.collect().sort(_KEYS)


@register_measure(
    "animosity",
    options=AnimosityOptions,
    citations=("sarkees2010", "gibler2016", "palmer2022", "frederick2017", "hensel2018"),
)
def animosity(scope: Scope, opts: AnimosityOptions) -> pl.DataFrame:
    r"""Historical animosity of a dyad: wars, recent disputes, colonial rule, territorial claims.

    .. math::

       \mathit{animosity}_{ABt} = \frac{1}{5}\left(s(W_{ABt}) + s(M^{10}_{ABt})
           + s(M^{25}_{ABt}) + K_{AB} + \frac{S_{ABt}}{12}\right),
       \qquad s(x) = \frac{x}{1 + x}

    where :math:`W_{ABt}` is the number of COW inter-state wars [sarkees2010]_ A and B fought
    on opposite sides up to year :math:`t`, :math:`M^{n}_{ABt}` the number of dispute years
    in :math:`[t-n+1, t]`: years in which a militarized dispute between A and B was under way
    (begun that year or earlier), :math:`K_{AB}`
    is 1 if one state was the other's colonial ruler (or gained independence from it), and
    :math:`S_{ABt}` the highest ICOW salience (0-12) of the territorial claims [frederick2017]_
    active between
    them in year :math:`t` (0 if none). Each term lies in [0, 1], so the index does too.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or region) to compute.
    opts : AnimosityOptions
        ``source``: dispute data, ``"gml"`` (Gibler-Miller-Little [gibler2016]_, default, to 2010)
        or ``"cow"`` (COW MID v5.0 [palmer2022]_, to 2014). ``claims_after``: what the claim columns
        hold after ICOW's last year (2001): ``"carry"`` (default) the dyad's last observed values,
        ``"null"`` null. ``disputes``: what :math:`M^{n}` counts, ``"years"`` (default) the
        years with a dispute under way, ``"onsets"`` only the years in which one began (the
        rule before dispute years were counted; a dispute lasting three years then weighs as
        much as one lasting a day).

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, animosity`` (Float64) and the components ``wars_opposite``
        (Int32), ``mid_years_10y``, ``mid_years_25y`` (Int32: dispute years), ``mids_10y``,
        ``mids_25y`` (Int32: onset years), ``colonial``, ``claim_active`` (Int8),
        ``claim_salience`` (Int8), and the flags ``wars_carried`` (Int8, 1 after the war
        data's last year, when the war count is carried forward) and ``claim_carried`` (Int8,
        1 where the claim values are carried forward past ICOW's last year).

    Raises
    ------
    ParameterError
        No requested year is inside the dispute data's years.

    Notes
    -----
    - Components come from the panel steps: ``add_cow_wars`` (``warnum``,
      ``cowinterongoing``), ``add_gml_mids``/``add_cow_mids`` (``*midonset``),
      ``add_icow_claims`` (``icow_claim``, ``icow_salmax``) and ``add_icow_colonial``
      (``icow_colonial``, ``icow_indep``).
    - ``wars_opposite`` counts distinct wars (``warnum``) in which the two states were on
      opposite sides in some year up to :math:`t`. The step keeps one war per dyad-year, so
      two wars fought at once and never apart would count once (no such pair-years are
      known to matter here). The war data cover 1816-2007 (catalog); after that the count is
      carried forward (later wars are not observed) and ``wars_carried`` is 1.
    - ``mid_years_10y`` and ``mid_years_25y`` count the years with a dispute under way
      (``*midongoing``), ``mids_10y`` and ``mids_25y`` the years in which one began
      (``*midonset``); both count a year once however many disputes it holds. All four are
      null after the dispute data's last year (2010 GML, 2014 COW), since the window is not
      observed.
    - ``colonial`` is time-invariant (ICOW Colonial History [hensel2018]_): 1 if ``ColRuler`` or
      ``IndFrom`` of one state is the other (Japan and the Koreas; the US and the
      Philippines).
    - Claims: ICOW's provisional data end in 2001. By default the values of the dyad's last
      covered year are carried forward (a claim active in 2001, such as Dokdo/Takeshima, is
      assumed to stay active at the same salience) and ``claim_carried`` marks those rows;
      with ``claims_after="null"`` they are null and so is the index.
    - The index is null if any component is null. The weights are equal and the counts are
      saturated with :math:`x/(1+x)` so that one more war or dispute matters less the more
      there already were; both are design choices, not estimates. It is symmetric in A and
      B.

    Examples
    --------
    >>> float(animosity_index(1, 2, 3, 1, 6).round(5))
    0.68333
    """
    table, onset, ongoing = _DISPUTES[opts.source]
    lo, hi = table_years(table)
    label = "GML MIDs" if opts.source == "gml" else "COW MIDs"
    require_years("animosity", scope.years, lo, hi, label)
    dyads = scope_dyad_years(scope)
    if dyads.height == 0:
        return _empty(dyads)
    claims_hi = table_years("icow_claims")[1]
    wars_hi = (catalog.get("cow_war_inter").years or (0, 0))[1]  # the years add_cow_wars observes
    hist = _history(dyads, scope, int(dyads["year"].max()), opts.source)  # type: ignore[arg-type]
    pair = ["ccode1", "ccode2"]
    first_war = pl.col("warnum").is_not_null() & (
        pl.col("year") == pl.col("year").min().over([*pair, "warnum"])
    )
    after_mids = pl.col("year") > hi
    after_claims = pl.col("year") > claims_hi

    def window(column: str, n: int, name: str) -> pl.Expr:
        counts = pl.col(column).fill_null(0).cast(pl.Int32)
        rolling = counts.rolling_sum_by(pl.col("year").cast(pl.Int32), window_size=f"{n}i")
        counted = pl.when(after_mids).then(None).otherwise(rolling.over(pair))
        return counted.cast(pl.Int32).alias(name)

    hist = hist.with_columns(
        first_war.fill_null(False).cast(pl.Int32).cum_sum().over(pair).alias("wars_opposite"),
        *(window(ongoing, n, f"mid_years_{n}y") for n in (10, 25)),
        *(window(onset, n, f"mids_{n}y") for n in (10, 25)),
        pl.max_horizontal("icow_colonial", "icow_indep").cast(pl.Int8).alias("colonial"),
        pl.col("icow_claim").alias("claim_active"),
        pl.col("icow_salmax").alias("claim_salience"),
    )
    if opts.claims_after == "carry":
        hist = hist.with_columns(
            pl.col(c).forward_fill().over(pair) for c in ("claim_active", "claim_salience")
        )
    hist = hist.with_columns(
        pl.when(after_claims & pl.col("claim_active").is_not_null())
        .then(1)
        .otherwise(0)
        .cast(pl.Int8)
        .alias("claim_carried"),
        (pl.col("year") > wars_hi).cast(pl.Int8).alias("wars_carried"),
    )
    values = hist.select(
        pl.col("ccode1").alias("_lo"),
        pl.col("ccode2").alias("_hi"),
        "year",
        *COMPONENTS,
        *FLAGS,
    )
    out = (
        dyads.with_columns(_pair_cols())
        .join(values, on=[*_PAIR, "year"], how="left", maintain_order="left")
        .drop(_PAIR)
    )
    prefix = "mid_years" if opts.disputes == "years" else "mids"
    counted = (f"{prefix}_10y", f"{prefix}_25y")
    index = animosity_index(
        *(
            out[c].cast(pl.Float64).fill_null(np.nan).to_numpy()
            for c in ("wars_opposite", *counted, "colonial", "claim_salience")
        )
    )
    return out.with_columns(pl.Series("animosity", index, dtype=pl.Float64).fill_nan(None)).select(
        *_KEYS, "animosity", *COMPONENTS, *FLAGS
    )


def _empty(dyads: pl.DataFrame) -> pl.DataFrame:
    types = {"animosity": pl.Float64, "wars_opposite": pl.Int32, "mid_years_10y": pl.Int32,
             "mid_years_25y": pl.Int32, "mids_10y": pl.Int32, "mids_25y": pl.Int32,
             "colonial": pl.Int8, "claim_active": pl.Int8, "claim_salience": pl.Int8,
             "wars_carried": pl.Int8, "claim_carried": pl.Int8}  # fmt: skip
    return dyads.select(_KEYS).with_columns(
        pl.lit(None, dtype=t).alias(c) for c, t in types.items()
    )
