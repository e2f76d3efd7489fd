"""Diplomacy by dyad-year: COW Diplomatic Exchange, US and Chinese visits, both Koreas' ties."""

from __future__ import annotations

from functools import cache
from typing import Literal

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.combine import join_sources, orient
from allegiance.panel.steps import Variable, coverage, register, require_unit

__all__ = ["DIPEX_COLUMNS", "VISIT_COLUMNS", "add_diplomacy"]

_DIPEX = "cow_dipex"
_PRESIDENT = {"to2023": "us_president_visits_2023", "to2020": "us_president_visits"}
_SECRETARY = "us_secretary_visits"
_AIDDATA = "china_public_diplomacy"
_VITAE = "china_vitae"
_TIES = "kdiplo_ties"

#: COW codes the visit and tie columns are about, read as COW codes (never as names).
_USA, _CHINA, _ROK, _PRK = 2, 710, 732, 731

DIPEX_COLUMNS = ("dipex_dr_at_1", "dipex_dr_at_2", "dipex_de", "dipex_year")
VISIT_COLUMNS = (
    "us_pres_visits", "us_sec_visits", "cpd_gov_visits", "cpd_mil_visits", "cpd_elite_visits",
    "cv_engagements", "kdiplo_rok_ties", "kdiplo_prk_ties",
)  # fmt: skip
_LEVELS = "0 none, 1 charge d'affaires, 2 minister, 3 ambassador"
_NOT_LEVEL = (
    "; null where the source codes 9 (1950-1965: level not reported; otherwise interest "
    "section, consulate or similar), in years the source does not observe (it is every five "
    "years) and for dyads it does not list"
)


_VARIABLES = [
    Variable("dipex_dr_at_1", "Diplomatic representation of state 2 at state 1 (COW DR_at_1: "
             f"{_LEVELS})" + _NOT_LEVEL, "Int8", "cow_dipex", None),
    Variable("dipex_dr_at_2", "Diplomatic representation of state 1 at state 2 (COW DR_at_2: "
             f"{_LEVELS})" + _NOT_LEVEL, "Int8", "cow_dipex", None),
    Variable("dipex_de", "1 if at least one side was represented at the other (COW DE; for "
             "1950-1965 a 9 counts as representation), else 0; null in unobserved years and for "
             "unlisted dyads", "Int8", "cow_dipex", None),
    Variable("dipex_year", "The Diplomatic Exchange year the dipex_* values come from: the year "
             "itself, or with fill='forward' the latest observed year before it", "Int16",
             "cow_dipex", None),
    Variable("us_pres_visits", "Number of visits by the US President to the other state that "
             "year (dyads with the United States, either order); 0 if none within the list's "
             "years, null otherwise", "Int16", "us_travels", None),
    Variable("us_sec_visits", "Number of visits by the US Secretary of State to the other state "
             "that year (dyads with the United States); 0 if none within 1866-2020, null "
             "otherwise", "Int16", "us_travels", None),
    Variable("cpd_gov_visits", "High-level and provincial visits by government officials between "
             "China and the other state (AidData government_visits; dyads with China and one of "
             "AidData's 39 receiving countries); null where AidData has no value", "Int16",
             "aiddata_cpd", None),
    Variable("cpd_mil_visits", "Visits by military officials between China and the other state "
             "(AidData military_visits); null where AidData has no value", "Int16",
             "aiddata_cpd", None),
    Variable("cpd_elite_visits", "All elite visits between China and the other state (AidData "
             "total_elite_visits = government + military); null where AidData has no value",
             "Int16", "aiddata_cpd", None),
    Variable("cv_engagements", "Number of China Vitae engagement records of seven senior Chinese "
             "leaders with the other state (dyads with China); 0 if none within 2003-2018, null "
             "otherwise", "Int16", "china_vitae", None),
    Variable("kdiplo_rok_ties", "1 if South Korea had diplomatic ties with the other state that "
             "year, 0 if not (kdiplo; dyads with the ROK); null where kdiplo has no row",
             "Int8", "kdiplo", None),
    Variable("kdiplo_prk_ties", "1 if North Korea had diplomatic ties with the other state that "
             "year, 0 if not (kdiplo; dyads with the DPRK); null where kdiplo has no row",
             "Int8", "kdiplo", None),
]  # fmt: skip


# --------------------------------------------------------------------------- Diplomatic Exchange


@cache
def _dipex(directed: bool, fill: str | None) -> pl.DataFrame:
    """The dipex columns by (oriented) dyad and calendar year.

    Without ``fill`` only the observed years have rows. With ``fill="forward"`` every year from
    the first to the last observed year has the row of the latest observation at or before it.
    An undirected panel reads the file's row with the smaller code first.
    """
    levels = {"dipex_dr_at_1": "DR_at_1", "dipex_dr_at_2": "DR_at_2"}
    rows = bundle.scan(_DIPEX).select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        *(
            pl.when(pl.col(raw) == 9).then(None).otherwise(pl.col(raw)).cast(pl.Int8).alias(name)
            for name, raw in levels.items()
        ),
        pl.col("DE").cast(pl.Int8).alias("dipex_de"),
        pl.col("year").cast(pl.Int16).alias("dipex_year"),
    )
    if not directed:
        rows = rows.filter(pl.col("ccode1") < pl.col("ccode2"))
    if fill is None:
        return rows.collect()
    lo, hi = coverage(_DIPEX)
    observed = rows.select(pl.col("year").unique().sort().alias("dipex_year"))
    years = pl.LazyFrame({"year": pl.int_range(lo, hi + 1, eager=True).cast(pl.Int16)})
    reads = years.join_asof(observed, left_on="year", right_on="dipex_year", strategy="backward")
    return rows.drop("year").join(reads, on="dipex_year").collect()


# --------------------------------------------------------------------------- visits and ties


def _count(other: int, table: str, name: str) -> pl.LazyFrame:
    rows = bundle.scan(table).drop_nulls("ccode").filter(pl.col("ccode") != other)
    return (
        rows.group_by(pl.col("ccode").cast(pl.Int32).alias("ccode2"), pl.col("year").cast(pl.Int16))
        .agg(pl.len().cast(pl.Int16).alias(name))
        .with_columns(pl.lit(other, dtype=pl.Int32).alias("ccode1"))
    )


@cache
def _visit_attrs(president: str) -> pl.DataFrame:
    """All visit and tie columns as one frame, unique by unordered pair and year."""
    cpd = {
        "cpd_gov_visits": "government_visits",
        "cpd_mil_visits": "military_visits",
        "cpd_elite_visits": "total_elite_visits",
    }
    aiddata = (
        bundle.scan(_AIDDATA)
        .drop_nulls("ccode")
        .select(
            pl.lit(_CHINA, dtype=pl.Int32).alias("ccode1"),
            pl.col("ccode").cast(pl.Int32).alias("ccode2"),
            pl.col("year").cast(pl.Int16),
            *(pl.col(raw).cast(pl.Int16).alias(name) for name, raw in cpd.items()),
        )
    )
    ties = bundle.scan(_TIES).drop_nulls(["ccode", "korea_ccode"])
    ties = ties.filter(pl.col("ccode") != pl.col("korea_ccode"))
    korea = [
        ties.filter(pl.col("korea_ccode") == code).select(
            pl.lit(code, dtype=pl.Int32).alias("ccode1"),
            pl.col("ccode").cast(pl.Int32).alias("ccode2"),
            pl.col("year").cast(pl.Int16),
            pl.col("diplomatic_ties").cast(pl.Int8).alias(name),
        )
        for code, name in ((_ROK, "kdiplo_rok_ties"), (_PRK, "kdiplo_prk_ties"))
    ]
    parts = [
        _count(_USA, _PRESIDENT[president], "us_pres_visits"),
        _count(_USA, _SECRETARY, "us_sec_visits"),
        aiddata,
        _count(_CHINA, _VITAE, "cv_engagements"),
        *korea,
    ]
    stacked = pl.concat(parts, how="diagonal_relaxed")
    return (
        stacked.with_columns(
            pl.min_horizontal("ccode1", "ccode2").alias("_lo"),
            pl.max_horizontal("ccode1", "ccode2").alias("_hi"),
        )
        .group_by("_lo", "_hi", "year")
        .agg(pl.col(c).max() for c in VISIT_COLUMNS)
        .rename({"_lo": "ccode1", "_hi": "ccode2"})
        .collect()
    )


def _with(code: int) -> pl.Expr:
    return (pl.col("ccode1") == code) | (pl.col("ccode2") == code)


def _add_visits(panel: Panel, president: str) -> Panel:
    attrs = orient(_visit_attrs(president).lazy(), panel, symmetric=True)
    frame = join_sources(panel, attrs, list(VISIT_COLUMNS))
    counted = {
        "us_pres_visits": (_USA, coverage(_PRESIDENT[president])),
        "us_sec_visits": (_USA, coverage(_SECRETARY)),
        "cv_engagements": (_CHINA, coverage(_VITAE)),
    }
    frame = frame.with_columns(
        pl.when(_with(code) & pl.col("year").is_between(*years))
        .then(pl.col(name).fill_null(0))
        .otherwise(None)
        .alias(name)
        for name, (code, years) in counted.items()
    )
    # AidData and kdiplo rows say everything they observe (zeros included); a missing row or
    # cell is not observed, so those columns are joined as they are, never filled.
    return panel.with_frame(frame)


# --------------------------------------------------------------------------- the step


@register("diplomacy", units=["dyad_year"], variables=_VARIABLES)
def add_diplomacy(
    panel: Panel,
    *,
    fill: Literal["forward"] | None = None,
    president: Literal["to2023", "to2020"] = "to2023",
) -> Panel:
    """Add diplomatic representation, visits and diplomatic ties to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year panel, directed or undirected.
    fill : {None, "forward"}, default None
        The Diplomatic Exchange data are observed every five years (1817, 1824, ..., 2005).
        ``None`` leaves the years between observations null; ``"forward"`` gives each year from
        the first to the last observed year the values of the latest observation at or before
        it (``dipex_year`` says which). Nothing is carried past 2005.
    president : {"to2023", "to2020"}, default "to2023"
        Which list of presidential travels counts: the newer list, December 1952 to October
        2023 (``"to2023"``), or the Office of the Historian scrape, 1909-2020 (``"to2020"``).
        The two list the same trips where they overlap but split them differently (the older
        list keeps a trip with stops on several days as one visit, the newer one lists some
        stops apart), so the counts are never spliced.

    Returns
    -------
    Panel
        The panel with ``dipex_dr_at_1``, ``dipex_dr_at_2``, ``dipex_de``, ``dipex_year`` and
        ``us_pres_visits``, ``us_sec_visits``, ``cpd_gov_visits``, ``cpd_mil_visits``,
        ``cpd_elite_visits``, ``cv_engagements``, ``kdiplo_rok_ties``, ``kdiplo_prk_ties``;
        rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system.
    ParameterError
        If ``fill`` or ``president`` is not one of the values above.

    Notes
    -----
    *Diplomatic Exchange* is directed: ``DR_at_1`` is the level at which state 2 is
    represented at state 1, ``DR_at_2`` that of state 1 at state 2, for the panel's ``ccode1``
    and ``ccode2``; an undirected panel reads its (smaller, larger) row. Levels are 0 (no
    evidence), 1 (charge d'affaires), 2 (minister) and 3 (ambassador). The code 9 is not a
    level: for 1950-1965 the data record every exchange as 9 because the level was not
    reported (so Japan-ROK 1965 has ``DR_at_1`` 9, ``DR_at_2`` 0), and in other years 9 means
    interest sections, consulates or an address only. Both become null levels; ``dipex_de``
    keeps the source's any-exchange flag, which counts a 9 of 1950-1965 as representation.
    The codebook warns that from 1985 the data leave out non-resident (side) accreditations,
    so levels before and after 1980-1985 are not fully comparable. A dyad the file does not
    list in an observed year (a state outside its system list) is null, not 0.

    *Visits.* ``us_pres_visits`` and ``us_sec_visits`` count the visits (rows) of the chosen
    list whose destination is the other state of a dyad with the United States, in the year the
    visit began; destinations that were no COW state that year (Vatican City, the Palestinian
    Authority, France in 1943) count for no dyad. The newer presidential list has two visits
    run together on line 706 (Peru 2016 and Saudi Arabia 2017); the bundle splits them, and it
    spells the ROK both 'Korea, Republic of' and 'Korea, South' (both are 732). The first and
    last list years are partial: the newer list starts with the December 1952 visit to Korea
    and ends on 18 October 2023. ``cpd_*`` are AidData's counts of visits *between* China and
    the other state, wherever they took place, for its 39 receiving countries only
    (East Asia-Pacific and South/Central Asia); AidData has no values for East Asia after
    2016 (Japan and the two Koreas: 2000-2015), which stay null. ``cv_engagements`` counts
    China Vitae records (meetings, visits, calls, messages) of Xi Jinping, Hu Jintao, Li
    Keqiang, Wen Jiabao, Wang Yi, Yang Jiechi and Li Zhaoxing with the other state, 2003-2018
    (2018 to 7 December); England and Wales count as the United Kingdom.

    *Both Koreas' ties* come from kdiplo (ROK Ministry of Foreign Affairs and Ayhan's pages):
    ``kdiplo_rok_ties`` is South Korea's tie with the other state of a dyad with 732,
    ``kdiplo_prk_ties`` North Korea's with the other state of a dyad with 731 (the 731-732
    dyad has both, 0 each: the two Koreas have no diplomatic ties with each other in kdiplo).

    All visit and tie columns are symmetric (A->B equals B->A) and null for dyads without the
    state they are about. Years come from the bundle tables, never from literals.

    Source
    ------
    COW Diplomatic Exchange v2006.1 [bayer2006]_ (``cow_dipex``); Office of the Historian
    travels of the President [historian-president]_ (``us_president_visits_2023`` or
    ``us_president_visits``) and of the Secretary of State [historian-secretary]_
    (``us_secretary_visits``); AidData China's Public Diplomacy Dashboard v2.0
    [aiddata2020]_ (``china_public_diplomacy``); China Vitae [chinavitae]_ (``china_vitae``);
    kdiplo [ayhan2025]_ (``kdiplo_ties``).

    Examples
    --------
    >>> from allegiance.panel import dyad_years
    >>> p = add_diplomacy(dyad_years(years=[1970, 1971], states=[732, 740], directed=False))
    >>> p.collect().select("year", "dipex_dr_at_1", "dipex_dr_at_2", "kdiplo_rok_ties").rows()
    [(1970, 3, 3, 1), (1971, None, None, 1)]
    """
    require_unit(panel, "add_diplomacy", "dyad_year", system="cow")
    if fill not in (None, "forward"):
        raise ParameterError(
            "The 'fill' parameter of add_diplomacy() must be one of {None, 'forward'}. "
            f"Got {fill!r} instead."
        )
    if president not in _PRESIDENT:
        raise ParameterError(
            "The 'president' parameter of add_diplomacy() must be one of "
            f"{{'to2023', 'to2020'}}. Got {president!r} instead."
        )
    dipex = join_sources(panel, _dipex(panel.directed, fill).lazy(), list(DIPEX_COLUMNS))
    out = _add_visits(panel.with_frame(dipex), president)
    sources = (_DIPEX, _PRESIDENT[president], _SECRETARY, _AIDDATA, _VITAE, _TIES)
    return panel.with_frame(out.frame, *sources)
