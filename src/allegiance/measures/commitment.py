"""Patron commitment to each state-year: troops, alliance, DCAs, arms transfers, exercises."""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict, field_validator

from allegiance.data import bundle
from allegiance.errors import AllegianceWarning, UnknownCodeError
from allegiance.measures.registry import Scope, register_measure, require_years, scope_state_years
from allegiance.panel.base import Panel
from allegiance.panel.steps import coverage
from allegiance.panel.universe import state_years, system_years

__all__ = [
    "INDEX_COMPONENTS",
    "CommitmentOptions",
    "alliance_type",
    "commitment_index",
    "scale_components",
    "sipri_deliveries",
    "split_deliveries",
    "us_commitment",
]

US = 2
#: Components of the composite index (``troops_change`` is reported but not in the index).
INDEX_COMPONENTS = ("troops", "alliance_type", "dca", "arms_tiv", "exercises")
#: Components scaled on log(1 + x) before min-max scaling (counts and volumes, right-skewed).
_LOGGED = ("troops", "arms_tiv", "exercises")
#: SIPRI recipient/supplier names the code book does not resolve, mapped to names it does.
_SIPRI_NAMES = {
    "DR Congo": "Democratic Republic of the Congo",
    "East Germany (GDR)": "German Democratic Republic",
    "Saint Vincent": "Saint Vincent and the Grenadines",
    "Yemen Arab Republic (North Yemen)": "Yemen Arab Republic",
}


# --------------------------------------------------------------------------- pure helpers


def alliance_type(
    defense: npt.ArrayLike,
    offense: npt.ArrayLike,
    neutral: npt.ArrayLike,
    nonagg: npt.ArrayLike,
    consul: npt.ArrayLike,
) -> npt.NDArray[np.float64]:
    """The strongest ATOP pledge: 3 defense, 2 offense or neutrality, 1 non-aggression or
    consultation, 0 none (NaN where the pledges are missing).

    >>> alliance_type([1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0])
    array([3., 2., 1., 0.])
    """
    d, o, n, a, c = (
        np.asarray(x, dtype=np.float64) for x in (defense, offense, neutral, nonagg, consul)
    )
    out = np.where(
        d > 0, 3.0, np.where((o > 0) | (n > 0), 2.0, np.where((a > 0) | (c > 0), 1.0, 0.0))
    )
    missing = np.isnan(d) | np.isnan(o) | np.isnan(n) | np.isnan(a) | np.isnan(c)
    return np.where(missing, np.nan, out)


def split_deliveries(tiv_delivered: float, delivery_years: str | None) -> list[tuple[int, float]]:
    """Spread a deal's delivered TIV evenly over its listed delivery years.

    >>> split_deliveries(90.0, "2017; 2018; 2019")
    [(2017, 30.0), (2018, 30.0), (2019, 30.0)]
    >>> split_deliveries(5.0, None)
    []
    """
    if not delivery_years:
        return []
    years = [int(y) for y in delivery_years.replace(",", ";").split(";") if y.strip().isdigit()]
    if not years:
        return []
    return [(y, tiv_delivered / len(years)) for y in years]


def scale_components(
    values: npt.ArrayLike, lo: float, hi: float, *, log: bool
) -> npt.NDArray[np.float64]:
    r"""Min-max scale to [0, 1]: :math:`(f(x) - f_{lo}) / (f_{hi} - f_{lo})` with
    :math:`f(x) = \log(1 + x)` if ``log`` else :math:`f(x) = x`; ``lo``/``hi`` are raw values.

    >>> scale_components([0, 9, 99], 0, 99, log=True).round(3).tolist()
    [0.0, 0.5, 1.0]
    >>> scale_components([0, 1.5, 3], 0, 3, log=False).tolist()
    [0.0, 0.5, 1.0]
    """
    x = np.asarray(values, dtype=np.float64)
    f = np.log1p if log else (lambda v: v)
    lo_f, hi_f = f(np.float64(lo)), f(np.float64(hi))
    if hi_f <= lo_f:
        return np.where(np.isnan(x), np.nan, 0.0)
    return np.asarray((f(x) - lo_f) / (hi_f - lo_f), dtype=np.float64)


def commitment_index(
    scaled: npt.ArrayLike,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Row means of the scaled components that are not missing, and how many there were.

    >>> idx, n = commitment_index([[1.0, 0.5, np.nan], [np.nan, np.nan, np.nan]])
    >>> idx.tolist(), n.tolist()
    ([0.75, nan], [2, 0])
    """
    x = np.asarray(scaled, dtype=np.float64)
    n = (~np.isnan(x)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(x, axis=1) / np.maximum(n, 1), np.nan)
    return mean, n.astype(np.int64)


# --------------------------------------------------------------------------- sources


@cache
def _resolve(name: str, year: int) -> int | None:
    """COW code of a SIPRI name in a year, or None; cached, as every patron's deliveries
    resolve the same supplier names (as long as :func:`sipri_deliveries` caches its tables)."""
    from allegiance.data.codes import to_ccode

    try:
        return to_ccode(_SIPRI_NAMES.get(name, name), year=year)
    except UnknownCodeError:
        return None  # non-state recipients (rebels, NATO**, unknown recipient(s)) and others


@cache
def sipri_deliveries(patron: int) -> pl.DataFrame:
    """``ccode, year, arms_tiv``: SIPRI TIV the patron delivered to each state in each year.

    Each deal's delivered TIV is spread evenly over its listed delivery years
    (:func:`split_deliveries`); supplier and recipient names are resolved to COW codes in the
    delivery year (``Germany`` is West Germany before 1990). Malformed export lines (no
    names) and non-state recipients are dropped.
    """
    deals = (
        bundle.scan("sipri_arms")
        .filter(~pl.col("malformed") & pl.col("tiv_delivered").is_not_null())
        .select("supplier", "recipient", "delivery_years", "tiv_delivered")
        .collect()
    )
    rows = [
        (sup, rec, year, tiv)
        for sup, rec, years, total in deals.iter_rows()
        for year, tiv in split_deliveries(float(total), years)
    ]
    long = pl.DataFrame(
        rows, schema={"supplier": pl.String, "recipient": pl.String, "year": pl.Int32,
                      "tiv": pl.Float64}, orient="row",
    )  # fmt: skip
    sup = long.select("supplier", "year").unique()
    sup = sup.with_columns(
        pl.Series("s", [_resolve(n, y) for n, y in sup.iter_rows()], dtype=pl.Int32)
    ).filter(pl.col("s") == patron)
    mine = long.join(sup.select("supplier", "year"), on=["supplier", "year"], how="semi")
    rec = mine.select("recipient", "year").unique()
    rec = rec.with_columns(
        pl.Series("ccode", [_resolve(n, y) for n, y in rec.iter_rows()], dtype=pl.Int32)
    )
    return (
        mine.join(rec, on=["recipient", "year"], how="left")
        .filter(pl.col("ccode").is_not_null() & (pl.col("ccode") != patron))
        .group_by("ccode", "year")
        .agg(pl.col("tiv").sort().sum().alias("arms_tiv"))  # one order: the same last digit
        .sort("ccode", "year")
    )


def _sipri_years() -> tuple[int, int]:
    years = (
        bundle.scan("sipri_arms")
        .select(pl.col("delivery_years").str.extract_all(r"\d{4}").alias("y"))
        .explode("y")
        .select(
            pl.col("y").cast(pl.Int32).min().alias("lo"),
            pl.col("y").cast(pl.Int32).max().alias("hi"),
        )
        .collect()
    )
    lo, hi = years.row(0)
    return int(lo), int(hi)


@cache
def _components(patron: int) -> pl.DataFrame:
    """The raw components for every COW state-year (the index's reference set)."""
    from allegiance.panel.alliances import PLEDGES, add_atop_alliance
    from allegiance.panel.cooperation import add_dca, add_exercises
    from allegiance.panel.troops import add_us_troops

    first, last = system_years("cow")
    sy = state_years("cow", range(first, last + 1))
    frame = sy.frame
    if patron == US:
        frame = add_us_troops(sy).frame.rename({"us_troops": "troops"})
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int32).alias("troops"))
    # Dyads (patron, state) in the years both were members: a directed dyad-year panel.
    patron_years = sy.frame.filter(pl.col("ccode") == patron).select("year")
    dyads = (
        sy.frame.filter(pl.col("ccode") != patron)
        .join(patron_years, on="year", how="semi")
        .select(
            pl.lit(patron, dtype=pl.Int32).alias("ccode1"), pl.col("ccode").alias("ccode2"), "year"
        )
    )
    panel = Panel(frame=dyads, unit="dyad_year", system="cow", directed=True)
    panel = add_exercises(add_dca(add_atop_alliance(panel)))
    ties = panel.collect()
    ties = ties.with_columns(
        pl.Series(
            "alliance_type",
            alliance_type(
                *(ties[p].cast(pl.Float64).fill_null(np.nan).to_numpy() for p in PLEDGES)
            ),
        )
        .fill_nan(None)
        .cast(pl.Int8),
        pl.col("dca_any").alias("dca"),
        pl.col("mme_joint").alias("exercises"),
    ).select(pl.col("ccode2").alias("ccode"), "year", "alliance_type", "dca", "exercises")
    lo, hi = _sipri_years()
    arms = sipri_deliveries(patron).with_columns(pl.col("year").cast(pl.Int16))
    out = (
        frame.collect()
        .join(ties, on=["ccode", "year"], how="left")
        .join(arms, on=["ccode", "year"], how="left")
        .with_columns(
            pl.when(pl.col("year").is_between(lo, hi) & (pl.col("ccode") != patron))
            .then(pl.col("arms_tiv").fill_null(0.0))
            .otherwise(None)
            .alias("arms_tiv")
        )
        .sort("ccode", "year")
    )
    # Patron's own row: no commitment to itself.
    own = pl.col("ccode") == patron
    out = out.with_columns(
        pl.when(own).then(None).otherwise(pl.col(c)).alias(c) for c in INDEX_COMPONENTS
    )
    previous = pl.col("troops").shift(1).over("ccode")
    consecutive = (pl.col("year") - pl.col("year").shift(1).over("ccode")) == 1
    out = out.with_columns(
        pl.when(consecutive)
        .then(pl.col("troops") - previous)
        .otherwise(None)
        .cast(pl.Int32)
        .alias("troops_change")
    )
    # Scale on the reference: every state-year of the system with the component observed.
    scaled = []
    for c in INDEX_COMPONENTS:
        col = out[c].cast(pl.Float64)
        lo_c, hi_c = col.min(), col.max()
        values = col.fill_null(np.nan).to_numpy()
        if lo_c is None or hi_c is None:
            scaled.append(np.full(out.height, np.nan))
        else:
            scaled.append(scale_components(values, float(lo_c), float(hi_c), log=c in _LOGGED))  # type: ignore[arg-type]
    index, n = commitment_index(np.column_stack(scaled))
    return out.with_columns(
        pl.Series("us_commitment", index, dtype=pl.Float64).fill_nan(None),
        pl.Series("n_components", n, dtype=pl.Int8),
    )


class CommitmentOptions(BaseModel):
    """Options of ``us_commitment``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    patron: int = 2

    @field_validator("patron")
    @classmethod
    def _known_state(cls, value: int) -> int:
        from allegiance.data.codes import codebook

        try:
            codebook().country(value)
        except UnknownCodeError as exc:
            raise ValueError(f"not a COW state code ({exc})") from None
        return value


@register_measure(
    "us_commitment",
    unit="state_year",
    options=CommitmentOptions,
    citations=(
        "kane2006",
        "allen2021",
        "leeds2002",
        "kinne2020",
        "sipri-armstransfers",
        "dorazio2021",
    ),
)
def us_commitment(scope: Scope, opts: CommitmentOptions) -> pl.DataFrame:
    r"""Commitment of a patron (default the United States) to each state-year: a composite.

    .. math::

       \mathit{us\_commitment}_{it} = \frac{1}{|J_{it}|} \sum_{j \in J_{it}}
           \frac{f_j(x_{jit}) - \min_j}{\max_j - \min_j}

    where :math:`x_{jit}` is component :math:`j` (troops, alliance type, DCA, arms TIV,
    exercises) for state :math:`i` in year :math:`t`, :math:`f_j(x) = \log(1 + x)` for the
    troops, arms and exercises counts and :math:`f_j(x) = x` for the alliance type and DCA,
    :math:`\min_j` and :math:`\max_j` are the minimum and maximum of :math:`f_j` over the
    reference set (every COW state-year other than the patron's in which component :math:`j`
    is observed), and :math:`J_{it}` is the set of components observed for :math:`i` in
    :math:`t`.

    Parameters
    ----------
    scope : Scope
        Years and states (``--states``, or the states of ``--dyads``; all COW states if
        neither).
    opts : CommitmentOptions
        ``patron``: COW code of the patron (default 2, the United States).

    Returns
    -------
    polars.DataFrame
        ``ccode, year, us_commitment`` (Float64, in [0, 1]) and the components: ``troops``
        (Int32, US military personnel in the state; troopdata legacy 1950-2021 [allen2021]_
        [kane2006]_), ``troops_change`` (Int32, change from the previous year),
        ``alliance_type`` (Int8, ATOP [leeds2002]_ 1815-2018: 3 defense, 2 offense or
        neutrality, 1 non-aggression or consultation, 0 none), ``dca`` (Int8, a DCA with the
        patron in force, DCAD [kinne2020]_ 1980-2010), ``arms_tiv`` (Float64, SIPRI
        [sipri-armstransfers]_ TIV delivered by the patron, 1950-2024), ``exercises`` (Int16,
        joint multinational exercises with the patron, MME [dorazio2021]_ 1980-2010) and
        ``n_components`` (Int8, how many components entered the index).

    Raises
    ------
    ParameterError
        ``patron`` is not a COW code, or no requested year is covered by any component.

    Notes
    -----
    - Which components exist when: alliance type 1815-2018; troops 1950-2021 (US only);
      arms 1950-2024; DCA and exercises 1980-2010. So the index averages one component
      (alliance type) before 1950, three in 1950-1979 and 2011-2018, all five in 1980-2010,
      and two (troops, arms) after 2018; ``n_components`` says how many. Comparisons across
      those periods mix different information; compare within one.
    - ``troops_change`` is reported but not in the index (the index measures levels).
    - Alliance type is the patron's directed pledge to the state (ATOP's directed dyad-year
      data, patron as state 1): what the patron promised, not what the state promised.
    - DCAs are counted from signature to DCAD's estimated end year; exercises are distinct
      MME exercises both took part in (``add_dca``, ``add_exercises``).
    - Arms: the SIPRI trade register gives each deal's delivered TIV and its delivery years
      but not the split by year; the TIV is spread evenly over the listed years (SIPRI's own
      yearly TIV tables use the yearly numbers delivered, which the register export lacks).
      Names are resolved to COW codes in the delivery year; non-state recipients are
      dropped. Within 1950-2024 a state-year with no delivery is 0.
    - Troops come from ``add_us_troops`` and exist for the United States as patron only;
      for another patron they are null (a warning says so) and the index uses the rest.
    - The patron's own state-years are null. State-years outside every component's years
      have a null index. The reference set is fixed (the whole system over the components'
      years), so a state's value does not depend on which other states are requested.

    Examples
    --------
    >>> idx, n = commitment_index([[1.0, 2 / 3, 0.0, np.nan, np.nan]])
    >>> round(float(idx[0]), 4), int(n[0])
    (0.5556, 3)
    """
    spans = [coverage("atop_alliance"), _sipri_years()]
    if opts.patron == US:
        spans.append(coverage("troops_legacy"))
    else:
        warnings.warn(
            f"us_commitment: troops are only available for the United States (2); for patron "
            f"{opts.patron} the troops components are null.",
            AllegianceWarning,
            stacklevel=2,
        )
    lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
    require_years("us_commitment", scope.years, lo, hi, "ATOP, troopdata, SIPRI, DCAD, MME")
    rows = scope_state_years(scope)
    values = _components(opts.patron).select(
        "ccode", "year", "us_commitment", "troops", "troops_change", "alliance_type", "dca",
        "arms_tiv", "exercises", "n_components",
    )  # fmt: skip
    return rows.join(values, on=["ccode", "year"], how="left", maintain_order="left")
