"""Colonial history (ICOW Colonial History v1.1): former colonial rulers of states and dyads."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, register, require_unit

__all__ = ["add_icow_colonial"]

_TABLE = "icow_colonial"
_STATE_COLUMNS = ("icow_colruler", "icow_indfrom", "icow_indyear")


def _states() -> pl.LazyFrame:
    """``ccode`` and its ruler, independence source and year; ICOW's -9 (none) becomes null."""

    def code(name: str) -> pl.Expr:
        col = pl.col(name).cast(pl.Int32)
        return pl.when(col > 0).then(col).otherwise(None)

    year = pl.col("IndDate").cast(pl.Int32)
    return bundle.scan(_TABLE).select(
        pl.col("State").cast(pl.Int32).alias("ccode"),
        code("ColRuler").alias("icow_colruler"),
        code("IndFrom").alias("icow_indfrom"),
        pl.when(year > 0).then(year // 100).otherwise(None).cast(pl.Int16).alias("icow_indyear"),
        pl.lit(True).alias("_icow"),
    )


def _join_on_code(frame: pl.LazyFrame, attrs: pl.LazyFrame, key: str) -> pl.LazyFrame:
    return frame.join(attrs, on=key, how="left", validate="m:1", maintain_order="left")


def _pair_flag(column: str) -> pl.Expr:
    """1 if either state's ``column`` names the other, 0 if both are in ICOW, else null."""
    hit = (pl.col(f"{column}1") == pl.col("ccode2")).fill_null(False) | (
        pl.col(f"{column}2") == pl.col("ccode1")
    ).fill_null(False)
    known = pl.col("_icow1").fill_null(False) & pl.col("_icow2").fill_null(False)
    return (
        pl.when(hit).then(pl.lit(1, pl.Int8)).when(known).then(pl.lit(0, pl.Int8)).otherwise(None)
    )


@register(
    "colonial",
    units=["state_year", "dyad_year"],
    variables=[
        Variable(
            "icow_colonial",
            "1 if one state was the other's primary colonial ruler (ICOW ColRuler), else 0; "
            "time-invariant",
            "Int8",
            "icow_colonial",
            None,
        ),
        Variable(
            "icow_indep",
            "1 if one state gained its independence from the other (ICOW IndFrom), else 0; "
            "time-invariant",
            "Int8",
            "icow_colonial",
            None,
        ),
        Variable(
            "icow_colruler",
            "COW code of the state's primary colonial ruler (ICOW ColRuler); null if it was "
            "never a colony; time-invariant",
            "Int32",
            "icow_colonial",
            None,
            dyadic=False,
        ),
        Variable(
            "icow_indfrom",
            "COW code of the state (or entity) the state became independent from (ICOW "
            "IndFrom); null if none; time-invariant",
            "Int32",
            "icow_colonial",
            None,
            dyadic=False,
        ),
        Variable(
            "icow_indyear",
            "Year the state became independent (ICOW IndDate); time-invariant",
            "Int16",
            "icow_colonial",
            None,
            dyadic=False,
        ),
    ],
)
def add_icow_colonial(panel: Panel) -> Panel:
    """Add colonial history (ICOW Colonial History v1.1) to a state- or dyad-year panel.

    Parameters
    ----------
    panel : Panel
        A state-year or dyad-year panel of the COW system (directed or not).

    Returns
    -------
    Panel
        State-years get ``icow_colruler``, ``icow_indfrom`` (Int32) and ``icow_indyear``
        (Int16). Dyad-years get ``icow_colonial`` and ``icow_indep`` (Int8) and the three
        state columns for each state (``icow_colruler1``, ``icow_colruler2``, ...). Rows and
        order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year or dyad-year panel of the COW system (ICOW keys
        states by COW code).

    Notes
    -----
    - The source has one row per COW state (all 217 states of the COW system, no others):
      its primary colonial ruler (``ColRuler``), the state it became independent from
      (``IndFrom``), the date (``IndDate``, YYYYMM) and manner of independence; ``-9`` means
      none and becomes null.
    - ``icow_colonial`` is 1 when state A's ``ColRuler`` is state B or B's is A (e.g.
      Japan 740 for both Koreas, the United Kingdom 200 for the United States). ``ColRuler``
      is the primary colonial ruler, which need not be the state independence came from:
      the Philippines' ruler is Spain while its independence came from the United States
      (1946), and the Koreas' independence is coded from Korea (730), not Japan.
      ``icow_indep`` captures the second relation (1 when A's ``IndFrom`` is B or B's is A:
      United States-Philippines, Pakistan-Bangladesh). Both are symmetric.
    - Both are time-invariant, a fixed trait of the pair repeated in every year, including
      years before independence. Whether the relationship is "ongoing" in a year is not
      coded as a column: a colony enters the state system at independence, so in a panel of
      system members the relationship is always a past one (the one exception in the COW
      system is Greece, a member from 1828 and independent of the Ottoman Empire from 1829);
      ``icow_indyear1`` / ``icow_indyear2`` give the timing (years since independence =
      ``year - icow_indyear``).
    - A dyad is 0 when both states are in the ICOW data and neither names the other; it
      would be null if a state were missing from ICOW (none of the COW system is).
    - Not used: CEPII GeoDist's ``colony`` flag (ISO3-coded country pairs, a different
      definition including any colonial link).

    Source
    ------
    ICOW Colonial History Data Set v1.1 [hensel2018]_ (bundle table ``icow_colonial``),
    cross-section.
    """
    require_unit(panel, "add_icow_colonial", "state_year", "dyad_year", system="cow")
    states = _states()
    columns = list(_STATE_COLUMNS)
    if panel.unit == "state_year":
        frame = _join_on_code(panel.frame, states, "ccode").drop("_icow")
        return panel.with_frame(frame, _TABLE)
    frame = panel.frame
    for side in ("1", "2"):
        renamed = states.rename({"ccode": f"ccode{side}", "_icow": f"_icow{side}"}).rename(
            {c: f"{c}{side}" for c in columns}
        )
        frame = _join_on_code(frame, renamed, f"ccode{side}")
    pair_columns = [
        _pair_flag("icow_colruler").alias("icow_colonial"),
        _pair_flag("icow_indfrom").alias("icow_indep"),
    ]
    state_cols = [f"{c}{side}" for side in ("1", "2") for c in columns]
    frame = frame.with_columns(pair_columns).select(
        pl.all().exclude("_icow1", "_icow2", *state_cols), *state_cols
    )
    return panel.with_frame(frame, _TABLE)
