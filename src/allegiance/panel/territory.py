"""Active territorial claims (ICOW provisional claims v1.01), with their names, for dyad-years."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, coverage, join_dyad_attrs, register, require_unit

__all__ = ["add_icow_claims"]

_TABLE = "icow_claims"
_NAMES = "icow_claim_names"
_COLUMNS = ("icow_claim", "icow_nclaims", "icow_salmax")


def _claim_dyad_years() -> pl.LazyFrame:
    """``ccode1 < ccode2, year`` with the number, top salience and names of the active claims."""
    names = bundle.scan(_NAMES).drop_nulls("claimdy").select("claimdy", "name")
    return (
        bundle.scan(_TABLE)
        .select(
            pl.min_horizontal("chal", "tgt").cast(pl.Int32).alias("ccode1"),
            pl.max_horizontal("chal", "tgt").cast(pl.Int32).alias("ccode2"),
            pl.col("year").cast(pl.Int16),
            pl.col("claim"),
            pl.col("claimdy"),
            pl.col("icowsal"),
        )
        .join(names, on="claimdy", how="left", validate="m:1")
        .group_by("ccode1", "ccode2", "year")
        .agg(
            pl.lit(1, dtype=pl.Int8).alias("icow_claim"),
            pl.col("claim").n_unique().cast(pl.Int16).alias("icow_nclaims"),
            pl.col("icowsal").max().cast(pl.Int8).alias("icow_salmax"),
            pl.col("name")
            .sort_by("claimdy")
            .unique(maintain_order=True)
            .str.join("; ")
            .alias("icow_claim_names"),
        )
    )


@register(
    "claims",
    units=["dyad_year"],
    variables=[
        Variable(
            "icow_claim",
            "1 if either state claimed territory held by the other that year (ICOW), else 0; "
            "null outside ICOW's years (1816-2001)",
            "Int8",
            "icow_claims",
            None,
        ),
        Variable(
            "icow_nclaims",
            "Number of distinct ICOW territorial claims active between the two states that year "
            "(either state the challenger); 0 if none; null outside 1816-2001",
            "Int16",
            "icow_claims",
            None,
        ),
        Variable(
            "icow_salmax",
            "Highest ICOW salience (icowsal, 0-12) of the claims active that year; 0 if no "
            "claim; null outside 1816-2001",
            "Int8",
            "icow_claims",
            None,
        ),
        Variable(
            "icow_claim_names",
            "Names of the ICOW claims active that year, in claim-dyad order, '; '-separated "
            "(e.g. 'Dokdo (Takeshima) Islands'); null if no claim or outside 1816-2001",
            "String",
            "icow_claim_names",
            None,
        ),
    ],
    citations=("hensel2008",),
)
def add_icow_claims(panel: Panel) -> Panel:
    """Add active ICOW territorial claims and their salience to a dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A dyad-year panel of the COW system (directed or not).

    Returns
    -------
    Panel
        The panel with ``icow_claim`` (Int8), ``icow_nclaims`` (Int16), ``icow_salmax`` (Int8)
        and ``icow_claim_names`` (String) added; rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a dyad-year panel of the COW system (ICOW uses COW codes).

    Notes
    -----
    - Unit of the source: one row per claim, claim dyad (challenger ``chal``, target
      ``tgt``) and year in which the claim was active. A claim can have several claim dyads
      with the same two states (claim 22, Mexico against the United States, has two from
      1895), and a dyad can have several claims at once.
    - ``icow_nclaims`` counts distinct claims (``claim``) active in the dyad-year;
      ``icow_salmax`` is the highest overall salience (``icowsal``, 0-12, the sum of six
      tangible and six intangible indicators for both sides) among the dyad's claim-dyad
      rows that year.
    - Claims are made by one state against another, but the columns are symmetric: a claim
      counts for the dyad whichever state is the challenger, so a directed panel has the same
      values for A->B and B->A. (Directional analysis needs the raw table.)
    - Within ICOW's years (1816-2001, read from the bundle's provenance) a dyad-year without
      an active claim gets ``icow_claim = 0``, ``icow_nclaims = 0`` and ``icow_salmax = 0``
      (no issue at stake; no recorded claim has salience 0, the lowest is 1, and
      ``icow_claim`` tells the two apart); outside those years all three are null.
    - Geographic coverage: the provisional global data v1.01 carry claims in all five ICOW
      regions (``region`` 1 Americas, 2 Europe, 3 Africa, 4 Middle East, 5 Asia and Oceania,
      as the states in each show), so 0 is coded for every dyad. The ICOW project released
      the Americas, Europe and the Middle East as finished data; the Africa and Asia-Oceania
      claims are provisional, so claims there may be missing or less fully coded.
    - Claim names come from an extended copy of the ICOW claim-dyad list (bundle table
      ``icow_claim_names``), joined by claim dyad (``claimdy``); every claim dyad of v1.01 has
      a name there. Only the names are used: that file carries ongoing claims forward to an
      end date 201799, the repository author's extension, not an official ICOW release, so
      nothing after 2001 comes from it. A dyad-year with several claims lists each distinct
      name once, in claim-dyad order (one claim can have several names, one per claim dyad:
      claim 8 is 'Oregon Country' and 'San Juan Islands').

    Source
    ------
    Issue Correlates of War (ICOW) territorial claims, provisional global claim-dyad-year
    data v1.01 [frederick2017]_ (bundle table ``icow_claims``), 1816-2001; claim names from
    the extended claim-dyad list [cooley-icowext]_. ICOW's territorial, maritime and river
    issues are compared in [hensel2008]_.
    """
    require_unit(panel, "add_icow_claims", "dyad_year", system="cow")
    lo, hi = coverage(_TABLE)
    columns = list(_COLUMNS)
    joined = [*columns, "icow_claim_names"]
    frame = join_dyad_attrs(panel, _claim_dyad_years(), joined, symmetric=True)
    inside = pl.col("year").is_between(lo, hi)
    frame = frame.with_columns(
        pl.when(inside).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in columns
    )
    return panel.with_frame(frame, _TABLE, _NAMES)
