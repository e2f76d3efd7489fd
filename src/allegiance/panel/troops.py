"""US troops stationed in each state (troopdata, legacy annual series) for state- and dyad-years."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, coverage, join_state_attrs, register, require_unit

__all__ = ["add_us_troops"]

_TABLE = "troops_legacy"

# troopdata files a few host countries under placeholder codes (>= 1000) next to their COW
# code, whose own row then reads 0. Checked in the file: Montenegro 1010 (2008-2021, COW 341),
# Taiwan 1012 (2021 only, COW 713), South Sudan 1020 (2015-2021, COW 626).
_PLACEHOLDER_CODES = {1010: 341, 1012: 713, 1020: 626}


def _troops_state_years() -> pl.LazyFrame:
    """``ccode, year, us_troops``: one row per host code and year, placeholders folded in."""
    code = pl.col("ccode").cast(pl.Int32)
    remapped = code.replace(_PLACEHOLDER_CODES)
    return (
        bundle.scan(_TABLE)
        .select(remapped.alias("ccode"), pl.col("year").cast(pl.Int16), pl.col("troops"))
        .group_by("ccode", "year")
        .agg(pl.col("troops").sum().cast(pl.Int32).alias("us_troops"))
    )


@register(
    "troops",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            "us_troops",
            "US military personnel stationed in the state that year (legacy troopdata: Kane "
            "1950-2005 extended with DMDC reports to 2021); 0 where the source reports none; "
            "for the USA itself the personnel stationed at home; null outside 1950-2021",
            "Int32",
            "troopdata",
            None,
            dyadic=False,
        )
    ],
)
def add_us_troops(panel: Panel) -> Panel:
    """Add the number of US troops stationed in each state to a state- or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel of the COW system (directed or not).

    Returns
    -------
    Panel
        The panel with ``us_troops`` (state-years) or ``us_troops1`` and ``us_troops2``
        (dyad-years; the first and the second state), Int32; rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel of the COW system (troopdata
        codes host countries with COW codes only).

    Notes
    -----
    - Series: the legacy annual series of the troopdata package (before version 1.0): Kane's
      (2006) counts for 1950-2005 extended with Defense Manpower Data Center (DMDC) reports to
      2021, one row per host country and year with the total of all services (``troops``).
      The later "rebuild" country-quarter file is not used: it double-counts (every South
      Korea September row 1957-2002 is about twice the DMDC report) and stores missing
      reports as 0.
    - 0 versus missing: the file lists every COW member in every year 1950-2016 and every
      country in 2017-2021, and it has no missing values; a 0 is the source saying that no US
      troops were stationed there. A state-year inside the
      coverage years that the file does not list would be null; none occur for COW members.
      Outside the coverage years (before 1950, after 2021, read from the bundle's
      provenance) the column is null.
    - The row for the United States (COW 2) counts the personnel stationed in the United
      States itself; it is kept as the source gives it.
    - Placeholder codes: troopdata files Montenegro (from 2008), South Sudan (from 2015) and
      Taiwan (2021) under codes 1010, 1020 and 1012 while their COW-coded rows read 0; the
      two rows of each such country-year are summed into the COW code. Other codes of 1000
      and above (Guam, Hong Kong, Diego Garcia, "Afloat", ...) are not states and are dropped.
    - Germany: West Germany (260) carries the series to 1990 and Germany (255) from 1990,
      as in the COW system; both have a 1990 row.

    Source
    ------
    troopdata legacy series [allen2021]_ (troopdata < 1.0; bundle table ``troops_legacy``),
    annual 1950-2021: Kane's series [kane2006]_ as carried by troopdata.
    """
    require_unit(panel, "add_us_troops", "state_year", "dyad_year", system="cow")
    lo, hi = coverage(_TABLE)
    frame = join_state_attrs(panel, _troops_state_years(), ["us_troops"])
    inside = pl.col("year").is_between(lo, hi)
    names = ["us_troops"] if panel.unit == "state_year" else ["us_troops1", "us_troops2"]
    frame = frame.with_columns(
        pl.when(inside).then(pl.col(n)).otherwise(None).alias(n) for n in names
    )
    return panel.with_frame(frame, _TABLE)
