"""Event data for dyad-year and dyad-month panels: COPDAB, WEIS, ICEWS and GDELT, side by side."""

from __future__ import annotations

from functools import cache

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.combine import join_sources, orient
from allegiance.panel.steps import Variable, coverage, register, require_unit

__all__ = [
    "ALL_COLUMNS",
    "COPDAB_COLUMNS",
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "WEIS_COLUMNS",
    "add_events",
]

_WEIS = "weis_events"
_COPDAB = "copdab_months"
_ICEWS = "icews_cow"
_GDELT = "gdelt_pair_month"
_GDELT_STATES = "gdelt_country_years"

WEIS_COLUMNS = ("weis_events", "weis_coop", "weis_conf", "weis_net", "weis_mean")
COPDAB_COLUMNS = ("copdab_coop_months", "copdab_conf_months", "copdab_net", "copdab_mean")
ICEWS_COLUMNS = (
    "icews_verb_coop", "icews_matl_coop", "icews_verb_conf", "icews_matl_conf",
    "icews_coop", "icews_conf",
)  # fmt: skip
GDELT_COLUMNS = (
    "gdelt_net", "gdelt_mean", "gdelt_min", "gdelt_max", "gdelt_negdays", "gdelt_days",
    "gdelt_negshare",
)  # fmt: skip
ALL_COLUMNS = (*COPDAB_COLUMNS, *WEIS_COLUMNS, *ICEWS_COLUMNS, *GDELT_COLUMNS)

_ICEWS_RAW = {
    "icews_verb_coop": "verbCoop",
    "icews_matl_coop": "matlCoop",
    "icews_verb_conf": "verbConf",
    "icews_matl_conf": "matlConf",
}
_DIRECTION = (
    " (directed panels: events of state 1 toward state 2; undirected: both directions summed)"
)
_YM = ("dyad_year", "dyad_month")


def _v(name: str, meaning: str, dtype: str, dataset: str, units: tuple[str, ...] = _YM) -> Variable:
    return Variable(name, meaning, dtype, dataset, None, units=units)  # type: ignore[arg-type]


_VARIABLES = [
    _v("weis_events", "Number of WEIS events" + _DIRECTION + "; 0 if none within WEIS's years "
       "(1966-1992), null outside", "Int32", "weis"),
    _v("weis_coop", "Number of cooperative WEIS events (Goldstein weight gscale > 0); 0 if "
       "none within WEIS's years, null outside", "Int32", "weis"),
    _v("weis_conf", "Number of conflictual WEIS events (Goldstein weight gscale < 0); 0 if "
       "none within WEIS's years, null outside", "Int32", "weis"),
    _v("weis_net", "Net Goldstein score: sum of the events' gscale (-10 to 8.3 each); 0 if no "
       "event within WEIS's years, null outside", "Float64", "weis"),
    _v("weis_mean", "Mean Goldstein score per WEIS event (weis_net / weis_events); null when "
       "there is no event", "Float64", "weis"),
    _v("copdab_coop_months", "Number of months with a positive COPDAB score (Lebo & Moore's "
       "monthly estimate; a dyad-month counts once per direction); only the 8 directed COPDAB "
       "dyads 1948-1978, null for every other dyad", "Int16", "copdab"),
    _v("copdab_conf_months", "Number of months with a negative COPDAB score; only the COPDAB "
       "dyads 1948-1978, null otherwise", "Int16", "copdab"),
    _v("copdab_net", "Sum of the monthly COPDAB scores (both directions in undirected panels); "
       "only the COPDAB dyads 1948-1978, null otherwise", "Float64", "copdab"),
    _v("copdab_mean", "Mean monthly COPDAB score over the months (and directions) summed in "
       "copdab_net; only the COPDAB dyads 1948-1978, null otherwise", "Float64", "copdab"),
    *(
        _v(name, f"ICEWS {raw[:4]}al {'cooperation' if 'Coop' in raw else 'conflict'} events "
           f"({raw})" + _DIRECTION + "; dyad-years of the 152 ICEWS countries 2002-2014, null "
           "otherwise and in dyad-month panels (annual data)", "Int32", "icews")
        for name, raw in _ICEWS_RAW.items()
    ),
    _v("icews_coop", "ICEWS cooperation events, verbal plus material (verbCoop + matlCoop); "
       "null outside ICEWS (2002-2014, 152 countries) and in dyad-month panels", "Int32",
       "icews"),
    _v("icews_conf", "ICEWS conflict events, verbal plus material (verbConf + matlConf); null "
       "outside ICEWS and in dyad-month panels", "Int32", "icews"),
    _v("gdelt_net", "GDELT net score: sum of the daily country-network cells (Goldstein score "
       "plus coverage terms, both actors bare country codes; the same for A->B and B->A); 0 "
       "when no event within GDELT's months (2018-01 to 2024-02) for two indexed states, null "
       "otherwise", "Float64", "gdelt"),
    _v("gdelt_mean", "Mean daily GDELT score: gdelt_net / gdelt_days (days with data)",
       "Float64", "gdelt"),
    _v("gdelt_min", "Lowest daily GDELT cell of the period (0 on days without events)",
       "Float64", "gdelt"),
    _v("gdelt_max", "Highest daily GDELT cell of the period (0 on days without events)",
       "Float64", "gdelt"),
    _v("gdelt_negdays", "Number of days with a negative GDELT cell", "Int16", "gdelt"),
    _v("gdelt_days", "Number of days with a GDELT daily file in the period (96 days are missing "
       "upstream, 68 of them in 2023)", "Int16", "gdelt"),
    _v("gdelt_negshare", "Share of the days with data whose cell is negative: gdelt_negdays / "
       "gdelt_days", "Float64", "gdelt"),
]  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _pair(directed: bool) -> list[pl.Expr]:
    """``ccode1, ccode2`` as given (directed) or as the sorted pair (undirected)."""
    if directed:
        return [pl.col("ccode1"), pl.col("ccode2")]
    return [
        pl.min_horizontal("ccode1", "ccode2").alias("ccode1"),
        pl.max_horizontal("ccode1", "ccode2").alias("ccode2"),
    ]


def _period(monthly: bool) -> list[str]:
    return ["year", "month"] if monthly else ["year"]


# --------------------------------------------------------------------------- WEIS


@cache
def _weis(directed: bool, monthly: bool) -> pl.DataFrame:
    """WEIS counts and net score by (oriented) dyad and period; absent rows mean no event."""
    events = bundle.scan(_WEIS).select(
        pl.col("srccc").cast(pl.Int32).alias("ccode1"),
        pl.col("targcc").cast(pl.Int32).alias("ccode2"),
        pl.col("year").cast(pl.Int16),
        pl.col("mo").cast(pl.Int8).alias("month"),
        pl.col("gscale"),
    )
    return (
        events.with_columns(_pair(directed))
        .group_by("ccode1", "ccode2", *_period(monthly))
        .agg(
            pl.len().cast(pl.Int32).alias("weis_events"),
            (pl.col("gscale") > 0).sum().cast(pl.Int32).alias("weis_coop"),
            (pl.col("gscale") < 0).sum().cast(pl.Int32).alias("weis_conf"),
            pl.col("gscale").sum().alias("weis_net"),
        )
        .collect()
    )


def _weis_fill(lo: int, hi: int) -> tuple[list[pl.Expr], pl.Expr]:
    counts = ["weis_events", "weis_coop", "weis_conf", "weis_net"]
    inside = pl.col("year").is_between(lo, hi)
    fill = [pl.when(inside).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in counts]
    mean = (
        pl.when(pl.col("weis_events") > 0)
        .then(pl.col("weis_net") / pl.col("weis_events"))
        .otherwise(None)
        .alias("weis_mean")
    )
    return fill, mean


# --------------------------------------------------------------------------- COPDAB


@cache
def _copdab(directed: bool, monthly: bool) -> pl.DataFrame:
    """COPDAB month counts, net and mean score; only its eight directed dyads have rows."""
    scores = bundle.scan(_COPDAB).select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        pl.col("month").cast(pl.Int8),
        pl.col("copdab"),
    )
    return (
        scores.with_columns(_pair(directed))
        .group_by("ccode1", "ccode2", *_period(monthly))
        .agg(
            (pl.col("copdab") > 0).sum().cast(pl.Int16).alias("copdab_coop_months"),
            (pl.col("copdab") < 0).sum().cast(pl.Int16).alias("copdab_conf_months"),
            pl.col("copdab").sum().alias("copdab_net"),
            pl.col("copdab").mean().alias("copdab_mean"),
        )
        .collect()
    )


# --------------------------------------------------------------------------- ICEWS


@cache
def _icews(directed: bool) -> pl.DataFrame:
    """ICEWS quad counts by (oriented) dyad-year; the netify grid is complete for its states."""
    counts = bundle.scan(_ICEWS).select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        *(pl.col(raw).cast(pl.Int32).alias(name) for name, raw in _ICEWS_RAW.items()),
    )
    return (
        counts.with_columns(_pair(directed))
        .group_by("ccode1", "ccode2", "year")
        .agg(pl.col(name).sum() for name in _ICEWS_RAW)
        .with_columns(
            (pl.col("icews_verb_coop") + pl.col("icews_matl_coop")).alias("icews_coop"),
            (pl.col("icews_verb_conf") + pl.col("icews_matl_conf")).alias("icews_conf"),
        )
        .collect()
    )


# --------------------------------------------------------------------------- GDELT


def _gdelt_days(monthly: bool) -> pl.LazyFrame:
    """Days with a daily file per month (or year) and the number of months of each year."""
    months = (
        bundle.scan(_GDELT)
        .group_by(pl.col("year").cast(pl.Int16), pl.col("month").cast(pl.Int8))
        .agg(pl.col("days").max().cast(pl.Int16).alias("_days"))
    )
    if monthly:
        return months
    return months.group_by("year").agg(
        pl.col("_days").sum().cast(pl.Int16), pl.len().cast(pl.Int16).alias("_months")
    )


def _gdelt(panel: Panel, monthly: bool) -> pl.LazyFrame:
    """Every pair of indexed states and period of GDELT, with its cells (0 where none).

    The grid is the coverage: a pair-period not in it (a state GDELT does not index, a month
    after the data) gets no row and so null columns. The year grid is computed once per
    process; the month grid (ten times larger) on each call.
    """
    grid = _gdelt_year_grid().lazy() if not monthly else _gdelt_grid(monthly=True)
    return orient(grid, panel, symmetric=True, keys=_period(monthly))


@cache
def _gdelt_year_grid() -> pl.DataFrame:
    return _gdelt_grid(monthly=False).collect()


def _gdelt_grid(*, monthly: bool) -> pl.LazyFrame:
    period = _period(monthly)
    indexed = (
        bundle.scan(_GDELT_STATES)
        .drop_nulls("ccode")
        .select(pl.col("ccode").cast(pl.Int32), pl.col("year").cast(pl.Int16))
        .unique()
    )
    pairs = (
        indexed.join(indexed, on="year", suffix="_b")
        .filter(pl.col("ccode") < pl.col("ccode_b"))
        .select(pl.col("ccode").alias("ccode1"), pl.col("ccode_b").alias("ccode2"), "year")
    )
    grid = pairs.join(_gdelt_days(monthly), on="year")
    cells = bundle.scan(_GDELT).drop_nulls(["ccode_a", "ccode_b"]).select(
        pl.min_horizontal("ccode_a", "ccode_b").cast(pl.Int32).alias("ccode1"),
        pl.max_horizontal("ccode_a", "ccode_b").cast(pl.Int32).alias("ccode2"),
        pl.col("year").cast(pl.Int16),
        pl.col("month").cast(pl.Int8),
        "sum", "min", "max",
        pl.col("negative_days").cast(pl.Int16),
    )  # fmt: skip
    sums = cells.group_by("ccode1", "ccode2", *period).agg(
        pl.col("sum").sum().alias("gdelt_net"),
        pl.col("min").min().alias("gdelt_min"),
        pl.col("max").max().alias("gdelt_max"),
        pl.col("negative_days").sum().cast(pl.Int16).alias("gdelt_negdays"),
        pl.len().cast(pl.Int16).alias("_present"),
    )
    # A pair-month absent from the file had a zero cell on every day with data.
    some_zero = pl.col("_present").is_null()
    if not monthly:
        some_zero = some_zero | (pl.col("_present") < pl.col("_months"))
    return (
        grid.join(sums, on=["ccode1", "ccode2", *period], how="left")
        .with_columns(
            pl.col("gdelt_net").fill_null(0.0),
            pl.when(some_zero)
            .then(pl.min_horizontal(pl.col("gdelt_min").fill_null(0.0), pl.lit(0.0)))
            .otherwise(pl.col("gdelt_min"))
            .alias("gdelt_min"),
            pl.when(some_zero)
            .then(pl.max_horizontal(pl.col("gdelt_max").fill_null(0.0), pl.lit(0.0)))
            .otherwise(pl.col("gdelt_max"))
            .alias("gdelt_max"),
            pl.col("gdelt_negdays").fill_null(0),
            pl.col("_days").alias("gdelt_days"),
        )
        .with_columns(
            (pl.col("gdelt_net") / pl.col("gdelt_days")).alias("gdelt_mean"),
            (pl.col("gdelt_negdays") / pl.col("gdelt_days")).alias("gdelt_negshare"),
        )
        .select("ccode1", "ccode2", *period, *GDELT_COLUMNS)
    )


# --------------------------------------------------------------------------- the step


@register("events", units=["dyad_year", "dyad_month"], variables=_VARIABLES)
def add_events(panel: Panel) -> Panel:
    """Add COPDAB, WEIS, ICEWS and GDELT event summaries to a dyad-year or dyad-month panel.

    Parameters
    ----------
    panel : Panel
        A COW dyad-year (:func:`~allegiance.panel.universe.dyad_years`) or dyad-month
        (:func:`~allegiance.panel.months.dyad_months`) panel, directed or undirected.

    Returns
    -------
    Panel
        The panel with four column groups, one per source: ``copdab_*``
        (:data:`COPDAB_COLUMNS`), ``weis_*`` (:data:`WEIS_COLUMNS`), ``icews_*``
        (:data:`ICEWS_COLUMNS`) and ``gdelt_*`` (:data:`GDELT_COLUMNS`); rows and order
        unchanged. In a dyad-month panel every column describes the month; the ICEWS columns
        are null there (ICEWS is annual here).

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year or dyad-month panel of the COW system.

    Notes
    -----
    The sources are never spliced: each keeps its own columns, years and scale, and each is
    null where it does not observe the dyad.

    *Cooperation and conflict.* WEIS and COPDAB are split by the sign of their scale: a WEIS
    event is cooperative when its Goldstein weight ``gscale`` is positive and conflictual
    when negative (weight 0, e.g. comments, is neither, but counts in ``weis_events``). The
    COPDAB file here is Lebo & Moore's monthly estimate per directed dyad, not events, so its
    counts are of *months* with a positive (``copdab_coop_months``) or negative
    (``copdab_conf_months``) score. ICEWS's own split is kept: verbal and material cooperation
    and conflict (its quad classes), plus their sums ``icews_coop`` and ``icews_conf``. GDELT's
    cell is already a net, attention-weighted Goldstein score (see below), so it gives a net
    score and the share of negative days instead of counts.

    *Direction.* WEIS, COPDAB and ICEWS are directed: in a directed panel the row (A, B) holds
    what A did toward B; an undirected panel sums both directions (``weis_mean`` and
    ``copdab_mean`` then average over both). GDELT's cells are symmetric (each event adds to
    both [i, j] and [j, i]), so A->B equals B->A.

    *Coverage: null or 0.* WEIS (1966-1992; the file has no 1993 rows despite its name) is read
    as covering every COW dyad: a dyad-year or dyad-month inside its years without an event
    gets 0 counts and ``weis_net`` 0, and a null ``weis_mean``. COPDAB covers only its eight
    directed dyads (United States with the Soviet Union, France and Israel; Egypt with
    Israel), 1948-1978; every other dyad is null, and no zero is ever filled in. ICEWS covers
    its 152 countries 2002-2014 with a complete dyad-year grid; a dyad with a state outside
    them is null. GDELT covers the states its 249 alpha-3 codes map to (not Kosovo, nor
    territories such as Puerto Rico), 2018-01 to 2024-02: a pair-month missing from the
    derived file had a zero cell on every day with data, so it gets ``gdelt_net`` 0,
    ``gdelt_negdays`` 0 and 0 in ``gdelt_min``/``gdelt_max``; months after February 2024 are
    null. Years come from the bundle tables, never from literals.

    *GDELT days.* 96 calendar days have no upstream daily file (68 in 2023). ``gdelt_days``
    counts the days *with* a file, and ``gdelt_mean`` and ``gdelt_negshare`` divide by it, so
    months and years with missing days compare fairly; ``gdelt_net`` is a plain sum and is
    lower in such periods. 2024 has only January and February (and February to the 23rd).

    Source
    ------
    COPDAB [azar1980]_ monthly series of Lebo & Moore [lebo2003]_ as packaged in sTSD
    [miller-stsd]_ (``copdab_months``); WEIS [mcclelland-weis]_ [tomlinson1993]_, Lai version,
    with Goldstein weights [goldstein1992]_ (``weis_events``); ICEWS [boschee2015]_ dyad-year
    counts as packaged in netify, with COW codes (``icews_cow``); GDELT 2.0 [leetaru2013]_
    daily country networks of gdelt-graph-data [gzemo-gdeltgraph]_, summarised by pair and
    month (``gdelt_pair_month``, ``gdelt_country_years``).

    Examples
    --------
    >>> from allegiance.panel import dyad_years
    >>> p = add_events(dyad_years(years=[1973], states=[732, 740], directed=True))
    >>> p.collect().select("ccode1", "ccode2", "weis_events", "icews_coop").rows()
    [(732, 740, 28, None), (740, 732, 28, None)]
    """
    require_unit(panel, "add_events", "dyad_year", "dyad_month", system="cow")
    monthly = panel.unit == "dyad_month"
    directed = panel.directed
    sources = [
        (_copdab(directed, monthly).lazy(), list(COPDAB_COLUMNS)),
        (_weis(directed, monthly).lazy(), list(WEIS_COLUMNS[:4])),
        *([] if monthly else [(_icews(directed).lazy(), list(ICEWS_COLUMNS))]),
        (_gdelt(panel, monthly), list(GDELT_COLUMNS)),
    ]
    out = panel
    for attrs, columns in sources:
        out = out.with_frame(join_sources(out, attrs, columns))
    fill, mean = _weis_fill(*coverage(_WEIS))
    frame = out.frame.with_columns(fill).with_columns(mean)
    if monthly:  # ICEWS is annual: its columns are null in a dyad-month panel
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int32).alias(c) for c in ICEWS_COLUMNS)
    frame = frame.select(pl.exclude(*ALL_COLUMNS), *ALL_COLUMNS)
    tables = (_COPDAB, _WEIS, *(() if monthly else (_ICEWS,)), _GDELT, _GDELT_STATES)
    return panel.with_frame(frame, *tables)
