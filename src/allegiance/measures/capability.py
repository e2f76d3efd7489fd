"""Capability balance: CINC ratio and shares within a dyad and within a group, and their change."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator

from allegiance.data.coverage import table_years
from allegiance.measures.registry import Scope, register_measure, require_years, scope_dyad_years
from allegiance.panel.capabilities import add_nmc
from allegiance.panel.universe import state_years

__all__ = ["CapabilityOptions", "capability_ratio", "capability_share", "safe_ratio"]

_KEYS = ["ccode1", "ccode2", "year"]


def safe_ratio(num: npt.ArrayLike, den: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``num / den``, NaN where the denominator is 0 or either value is missing.

    >>> safe_ratio([0.2, 0.1, 0.3], [0.1, 0.0, np.nan]).tolist()
    [2.0, nan, nan]
    """
    n = np.asarray(num, dtype=np.float64)
    d = np.asarray(den, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, n / np.where(d > 0, d, 1.0), np.nan)


def capability_share(cinc1: npt.ArrayLike, cinc2: npt.ArrayLike) -> npt.NDArray[np.float64]:
    r"""State 1's share of the dyad's capabilities, :math:`c_1 / (c_1 + c_2)`.

    >>> capability_share([0.3, 0.0], [0.1, 0.0]).round(6).tolist()
    [0.75, nan]
    """
    c1 = np.asarray(cinc1, dtype=np.float64)
    return safe_ratio(c1, c1 + np.asarray(cinc2, dtype=np.float64))


class CapabilityOptions(BaseModel):
    """Options of ``capability_ratio``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    group: tuple[int, ...] | None = Field(None, min_length=2)

    @field_validator("group")
    @classmethod
    def _distinct(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is not None and len(set(value)) < 2:
            raise ValueError("a group needs at least two different states")
        return value


@register_measure(
    "capability_ratio", options=CapabilityOptions, citations=("singer1972", "singer1987")
)
def capability_ratio(scope: Scope, opts: CapabilityOptions) -> pl.DataFrame:
    r"""Capability balance of a directed dyad: CINC ratio, shares in the dyad and in a group.

    .. math::

       \mathit{capability\_ratio}_{ABt} = \frac{c_{At}}{c_{Bt}}, \qquad
       \mathit{share}_{ABt} = \frac{c_{At}}{c_{At} + c_{Bt}}, \qquad
       \mathit{share}^{G}_{At} = \frac{c_{At}}{\sum_{s \in G_t} c_{st}}

    where :math:`c_{st}` is state :math:`s`'s Composite Index of National Capability in year
    :math:`t` (COW NMC v7.0 [singer1972]_ [singer1987]_), A is the first and B the second state of
    the dyad as given, and :math:`G_t` the members of the chosen group in the COW system in year
    :math:`t`.

    Parameters
    ----------
    scope : Scope
        Years and dyads (kept in the order given: ``740-732`` is Japan relative to South
        Korea) or a region (``--states``; pairs with ``ccode1 < ccode2``).
    opts : CapabilityOptions
        ``group``: COW codes of the group for ``capability_share_group`` (at least two). By
        default the ``--states`` region; without one, the states of the requested dyads; for
        the whole system, the system (whose CINC shares sum to 1).

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, capability_ratio`` and ``capability_share``,
        ``capability_share_group``, ``capability_share_change``,
        ``capability_share_group_change`` (all Float64; the changes are from the previous
        year, null where that year is missing).

    Raises
    ------
    ParameterError
        No requested year is inside NMC's years, or a bad ``group``.

    Notes
    -----
    The ratio is directed (B's ratio to A is the reciprocal) and unbounded; the share lies in
    [0, 1] and shares of A and B sum to 1. The ratio is null where B's CINC is 0 or missing;
    the shares where the denominator is 0 or a value is missing. The group share sums over
    the group's members in the system that year with a CINC value; it is null if state 1 is
    not in the group. Years after NMC's last year (2022) are null.

    Examples
    --------
    >>> capability_share([0.3], [0.1]).round(6).tolist(), safe_ratio([0.3], [0.1]).round(6).tolist()
    ([0.75], [3.0])
    """
    lo, hi = table_years("cow_nmc")
    years = require_years("capability_ratio", scope.years, lo, hi, "COW NMC v7.0")
    dyads = scope_dyad_years(scope)
    if opts.group is not None:
        group: list[int] | None = sorted(set(opts.group))
    elif scope.states is not None:
        group = sorted(set(scope.states))
    elif scope.dyads is not None:
        group = sorted({c for pair in scope.dyads for c in pair})
    else:
        group = None
    span = range(max(years.start - 1, lo), years.stop)
    cinc = add_nmc(state_years("cow", span), keep=["cinc"]).collect()
    members = cinc if group is None else cinc.filter(pl.col("ccode").is_in(group))
    totals = members.group_by("year").agg(pl.col("cinc").sum().alias("_total"))
    in_group = pl.lit(True) if group is None else pl.col("ccode1").is_in(group)

    # All (state 1, state 2, year) needed: the scope's years and the year before each.
    pairs = dyads.select("ccode1", "ccode2").unique()
    yrs = pl.DataFrame({"year": list(span)}, schema={"year": pl.Int16})
    frame = (
        pairs.join(yrs, how="cross")
        .join(cinc.rename({"ccode": "ccode1", "cinc": "_c1"}), on=["ccode1", "year"], how="left")
        .join(cinc.rename({"ccode": "ccode2", "cinc": "_c2"}), on=["ccode2", "year"], how="left")
        .join(totals, on="year", how="left")
    )
    c1, c2, tot = (frame[c].fill_null(np.nan).to_numpy() for c in ("_c1", "_c2", "_total"))
    frame = frame.with_columns(
        pl.Series("capability_ratio", safe_ratio(c1, c2)).fill_nan(None),
        pl.Series("capability_share", capability_share(c1, c2)).fill_nan(None),
        pl.when(in_group)
        .then(pl.Series("g", safe_ratio(c1, tot)).fill_nan(None))
        .otherwise(None)
        .alias("capability_share_group"),
    ).sort(_KEYS)
    prev = ["ccode1", "ccode2"]
    frame = frame.with_columns(
        (pl.col(c) - pl.col(c).shift(1).over(prev)).alias(f"{c}_change")
        for c in ("capability_share", "capability_share_group")
    )
    values = frame.select(
        *_KEYS,
        "capability_ratio",
        "capability_share",
        "capability_share_group",
        "capability_share_change",
        "capability_share_group_change",
    )
    return dyads.join(values, on=_KEYS, how="left", maintain_order="left")
