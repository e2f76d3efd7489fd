"""Defense cooperation agreements (DCAD) and joint military exercises (MME) for panels."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    coverage,
    join_dyad_attrs,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = ["add_dca", "add_exercises"]

_DCAD = "dcad"
_MME = "mme"
_CROSSWALK = "gw_cow_panel"
_DCA_COLUMNS = ("dca_any", "dca_general", "dca_sector", "dca_count", "dca_new")


def _within(columns: list[str], lo: int, hi: int) -> list[pl.Expr]:
    """``columns`` with nulls filled by 0 inside ``lo..hi`` and set to null outside."""
    inside = pl.col("year").is_between(lo, hi)
    return [pl.when(inside).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in columns]


# --------------------------------------------------------------------------- DCAD


def _dca_dyad_years() -> pl.LazyFrame:
    """``ccode1 < ccode2, year`` and the DCA counts of every dyad-year with an active DCA."""
    agreements = (
        bundle.scan(_DCAD)
        .select(
            pl.min_horizontal("ccode1", "ccode2").cast(pl.Int32).alias("ccode1"),
            pl.max_horizontal("ccode1", "ccode2").cast(pl.Int32).alias("ccode2"),
            pl.col("type"),
            pl.col("signYear").cast(pl.Int32).alias("start"),
            pl.max_horizontal("signYear", "endYearEstimate").cast(pl.Int32).alias("end"),
        )
        .with_columns(pl.int_ranges("start", pl.col("end") + 1, dtype=pl.Int32).alias("year"))
        .explode("year")
    )
    return agreements.group_by("ccode1", "ccode2", "year").agg(
        pl.len().cast(pl.Int16).alias("dca_count"),
        (pl.col("type") == "general").any().cast(pl.Int8).alias("dca_general"),
        (pl.col("type") == "sector").any().cast(pl.Int8).alias("dca_sector"),
        (pl.col("year") == pl.col("start")).sum().cast(pl.Int16).alias("dca_new"),
        pl.lit(1, dtype=pl.Int8).alias("dca_any"),
    )


@register(
    "dca",
    units=["dyad_year"],
    variables=[
        Variable(
            "dca_any",
            "1 if the two states had at least one bilateral defense cooperation agreement in "
            "force (signature year to DCAD's estimated end year), else 0; null outside DCAD's "
            "years (1980-2010)",
            "Int8",
            "dcad",
            None,
        ),
        Variable(
            "dca_general",
            "1 if at least one general (framework) DCA was in force, else 0; null outside DCAD",
            "Int8",
            "dcad",
            None,
        ),
        Variable(
            "dca_sector",
            "1 if at least one sector-specific DCA (procurement, training, research, ...) was in "
            "force, else 0; null outside DCAD",
            "Int8",
            "dcad",
            None,
        ),
        Variable(
            "dca_count",
            "Number of DCAs in force between the two states; null outside DCAD",
            "Int16",
            "dcad",
            None,
        ),
        Variable(
            "dca_new",
            "Number of DCAs the two states signed that year; null outside DCAD",
            "Int16",
            "dcad",
            None,
        ),
    ],
)
def add_dca(panel: Panel) -> Panel:
    """Add bilateral defense cooperation agreements (DCAD v1.0) in force to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel of the COW system (directed or not).

    Returns
    -------
    Panel
        The panel with ``dca_any``, ``dca_general``, ``dca_sector`` (Int8) and ``dca_count``,
        ``dca_new`` (Int16) added; rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system (DCAD uses COW codes).

    Notes
    -----
    Only DCAD's agreement-level main file is available, so the dyad-years are built here:

    - An agreement is counted in every year from its signature year (``signYear``) through
      its estimated end year (``endYearEstimate``), both included. The end year is DCAD's own
      estimate, which uses the agreement's stated duration, renewal clauses and any recorded
      termination, is censored at 2010 and counts from the signature year (agreements of
      unknown duration end six years after signature). The start is the signature year, not
      the entry-into-force year: ``EIFYear`` is missing for more than half the agreements,
      and DCAD's end-year estimate is anchored on signature. An agreement signed but not yet
      in force therefore already counts.
    - ``type`` splits agreements into ``"general"`` (framework DCAs) and ``"sector"``
      (procurement, training and exercises, research, commissions). ``dca_general`` and
      ``dca_sector`` say whether at least one agreement of that type was in force;
      ``dca_count`` counts all agreements in force; ``dca_new`` counts those signed in the
      year (an onset count).
    - DCAs are bilateral and undirected (DCAD lists each with ``ccode1 < ccode2``), so a
      directed panel has the same values for A->B and B->A.
    - Within DCAD's years (1980-2010: the first and last signature year in the table, read
      from the bundle's provenance) a dyad-year without an agreement is 0; outside them all
      five columns are null, since agreements signed before 1980 are not in the data.
      Agreements lasting past 2010 are censored there by DCAD.

    Source
    ------
    Defense Cooperation Agreement Dataset (DCAD) v1.0 [kinne2020]_, main (agreement-level)
    file, bundle table ``dcad``; signature years 1980-2010.
    """
    require_unit(panel, "add_dca", "dyad_year", system="cow")
    lo, hi = coverage(_DCAD)
    columns = list(_DCA_COLUMNS)
    frame = join_dyad_attrs(panel, _dca_dyad_years(), columns, symmetric=True)
    frame = frame.with_columns(_within(columns, lo, hi))
    return panel.with_frame(frame, _DCAD)


# --------------------------------------------------------------------------- MME


def _mme_participants(system: str) -> pl.LazyFrame:
    """``code, year, MMEID``: one row per state, year and exercise it took part in.

    MME codes participants with Gleditsch-Ward codes; COW panels map them to COW codes with
    the G-W-to-COW state-year crosswalk.
    """
    part = (
        bundle.scan(_MME)
        .select(
            pl.col("gwcode").cast(pl.Int32),
            pl.col("year").cast(pl.Int32),
            pl.col("MMEID"),
        )
        .drop_nulls()
    )
    if system == "gw":
        part = part.rename({"gwcode": "code"})
    else:
        crosswalk = bundle.scan(_CROSSWALK).select(
            pl.col("gwcode").cast(pl.Int32),
            pl.col("year").cast(pl.Int32),
            pl.col("ccode").cast(pl.Int32).alias("code"),
        )
        part = part.join(crosswalk.drop_nulls(), on=["gwcode", "year"], how="inner").drop("gwcode")
    return part.select("code", pl.col("year").cast(pl.Int16), "MMEID").unique()


def _mme_state_years(system: str, code: str) -> pl.LazyFrame:
    return (
        _mme_participants(system)
        .group_by("code", "year")
        .agg(pl.col("MMEID").n_unique().cast(pl.Int16).alias("mme_count"))
        .rename({"code": code})
    )


def _mme_dyad_years(system: str, code: str) -> pl.LazyFrame:
    part = _mme_participants(system)
    pairs = part.join(part, on=["MMEID", "year"], suffix="_b").filter(
        pl.col("code") < pl.col("code_b")
    )
    return (
        pairs.group_by("code", "code_b", "year")
        .agg(pl.col("MMEID").n_unique().cast(pl.Int16).alias("mme_joint"))
        .rename({"code": f"{code}1", "code_b": f"{code}2"})
    )


@register(
    "exercises",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            "mme_count",
            "Number of multinational military exercises the state took part in that year; "
            "0 if none; null outside MME's years (1980-2010)",
            "Int16",
            "mme",
            None,
            dyadic=False,
        ),
        Variable(
            "mme_joint",
            "Number of multinational military exercises both states took part in that year; "
            "null outside MME's years (1980-2010)",
            "Int16",
            "mme",
            None,
        ),
        Variable(
            "mme_any",
            "1 if the two states took part in at least one exercise together that year, else 0; "
            "null outside MME's years (1980-2010)",
            "Int8",
            "mme",
            None,
        ),
    ],
    citations=("allen2021",),
)
def add_exercises(panel: Panel) -> Panel:
    """Add joint multinational military exercises (MME v7) to a state- or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel, COW or Gleditsch-Ward system, directed or not.

    Returns
    -------
    Panel
        State-years get ``mme_count`` (Int16). Dyad-years get ``mme_joint`` (Int16),
        ``mme_any`` (Int8) and each state's ``mme_count1``, ``mme_count2``. Rows and order
        unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel.

    Notes
    -----
    - MME lists one row per exercise, participant and year. An exercise that ran across a
      new year (seven do, e.g. December 1997 to January 1998) has a row in each year and
      counts in both.
    - Counts are of distinct exercises (``MMEID``): a few participants are listed twice for
      one exercise and count once.
    - Participants without a Gleditsch-Ward code (208 rows coded ``-9``, NATO, Baltic States,
      microstates and territories such as Tonga, Dominica or Hong Kong) cannot be placed in a
      panel and are dropped; for these states the counts are understated.
    - MME codes participants with Gleditsch-Ward codes. COW panels map them to COW codes with
      the state-year G-W-to-COW crosswalk (e.g. G-W 260 after 1990 becomes unified Germany,
      COW 255); a code the crosswalk does not list in that year (G-W 817, "Vietnam", in 1980;
      G-W 340, "Serbia", in 2000, where G-W still has Yugoslavia 345) is dropped.
    - Within MME's years (1980-2010, read from the bundle's provenance) a state or dyad
      without exercises is 0; outside them the columns are null.
    - Joint participation is symmetric, so a directed panel has the same ``mme_joint`` for
      A->B and B->A.

    Source
    ------
    Multinational Military Exercises (MME) v7 [dorazio2021]_, exercise-country-year file as
    shipped in the troopdata package [allen2021]_ (bundle table ``mme``), 1980-2010.
    """
    require_unit(panel, "add_exercises", "state_year", "dyad_year")
    lo, hi = coverage(_MME)
    code = panel.code
    counts = _mme_state_years(panel.system, code)
    frame = join_state_attrs(panel, counts, ["mme_count"])
    if panel.unit == "state_year":
        return panel.with_frame(frame.with_columns(_within(["mme_count"], lo, hi)), _MME)
    inner = panel.with_frame(frame)
    frame = join_dyad_attrs(
        inner, _mme_dyad_years(panel.system, code), ["mme_joint"], symmetric=True
    )
    frame = frame.with_columns(_within(["mme_joint", "mme_count1", "mme_count2"], lo, hi))
    frame = frame.with_columns(
        pl.when(pl.col("mme_joint").is_null())
        .then(None)
        .otherwise((pl.col("mme_joint") > 0).cast(pl.Int8))
        .alias("mme_any")
    )
    sources = (_MME,) if panel.system == "gw" else (_MME, _CROSSWALK)
    return panel.with_frame(frame, *sources)
