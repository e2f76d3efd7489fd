"""North Korean missile flight tests (CNS North Korea Missile Test Database) by state-year."""

from __future__ import annotations

import polars as pl

from allegiance.data import bundle
from allegiance.panel.base import Panel
from allegiance.panel.steps import Variable, coverage, join_state_attrs, register, require_unit

__all__ = ["MISSILE_COLUMNS", "add_missile_tests"]

_TABLE = "nk_missile_tests"
_DPRK = 731  # COW code of North Korea, the only state the database covers
MISSILE_COLUMNS = ("cns_tests", "cns_tests_success", "cns_tests_failure")
_COVER = "; North Korea (731) only: 0 in a year of the database without tests, null otherwise"


@register(
    "missile_tests",
    units=["state_year"],
    variables=[
        Variable("cns_tests", "Number of North Korean missile flight tests that year" + _COVER,
                 "Int16", "cns_missile_tests", None, dyadic=False),
        Variable("cns_tests_success", "Number of those tests CNS codes as a success" + _COVER,
                 "Int16", "cns_missile_tests", None, dyadic=False),
        Variable("cns_tests_failure", "Number of those tests CNS codes as a failure (tests of "
                 "unknown outcome count in neither)" + _COVER, "Int16", "cns_missile_tests", None,
                 dyadic=False),
    ],
)  # fmt: skip
def add_missile_tests(panel: Panel) -> Panel:
    """Add North Korea's missile flight tests (CNS) to a state-year panel.

    Parameters
    ----------
    panel : Panel
        A COW state-year panel.

    Returns
    -------
    Panel
        The panel with ``cns_tests``, ``cns_tests_success`` and ``cns_tests_failure`` (Int16)
        added; rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If the panel is not a state-year panel of the COW system.

    Notes
    -----
    - The database lists each missile flight test of North Korea (COW 731) with its date and
      outcome; a test is counted in the year of its date (eight early tests, 1984-1992, are
      dated to the month only). The 1984 entries are best estimates, as the database's
      description of them says: at least six tests, somewhere between April and September.
    - ``cns_tests_success`` and ``cns_tests_failure`` follow CNS's ``outcome``; the tests
      it codes as unknown (``'unknown'`` in the file) count only in ``cns_tests``.
    - Only North Korea is covered: its state-years inside the database's years (first to last
      test year in the data, 1984-2026; the last year is partial, to the file's last test)
      are 0 when there was no test; every other state-year is null.

    Source
    ------
    James Martin Center for Nonproliferation Studies, CNS North Korea Missile Test Database for NTI
    [cns-nkmissiles]_, as packaged by nagix/nk-missile-tests (bundle table ``nk_missile_tests``).

    Examples
    --------
    >>> from allegiance.panel import state_years
    >>> p = add_missile_tests(state_years(years=[2017], states=[731, 732]))
    >>> p.collect().select("ccode", "year", "cns_tests").rows()
    [(731, 2017, 21), (732, 2017, None)]
    """
    require_unit(panel, "add_missile_tests", "state_year", system="cow")
    lo, hi = coverage(_TABLE)
    outcome = pl.col("outcome")
    tests = (
        bundle.scan(_TABLE)
        .group_by(pl.col("year").cast(pl.Int16))
        .agg(
            pl.len().cast(pl.Int16).alias("cns_tests"),
            (outcome == "success").sum().cast(pl.Int16).alias("cns_tests_success"),
            (outcome == "failure").sum().cast(pl.Int16).alias("cns_tests_failure"),
        )
        .with_columns(pl.lit(_DPRK, dtype=pl.Int32).alias("ccode"))
    )
    columns = list(MISSILE_COLUMNS)
    frame = join_state_attrs(panel, tests, columns)
    covered = (pl.col("ccode") == _DPRK) & pl.col("year").is_between(lo, hi)
    frame = frame.with_columns(
        pl.when(covered).then(pl.col(c).fill_null(0)).otherwise(None).alias(c) for c in columns
    )
    return panel.with_frame(frame, _TABLE)
