r"""Observed relations: net cooperation from the event source that covers each period.

What two states actually did toward each other, year by year (or month by month), from the
event data of the panel family ``events`` (COPDAB 1948-1978, WEIS 1966-1992, ICEWS 2002-2014,
GDELT 2018-2024), standardized so that sources on different scales read side by side, with the
source of every value and a flag where the source changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, field_validator

from allegiance.measures.registry import Scope, register_measure, scope_dyad_years

__all__ = ["RELATIONS_SOURCES", "RelationsOptions", "combine_sources", "relations"]

#: The event sources, in the default order of priority, with the panel column of their raw
#: index, the count of events behind it, and whether they have months.
RELATIONS_SOURCES: dict[str, tuple[str, str, bool]] = {
    "weis": ("weis_mean", "weis_events", True),
    "copdab": ("copdab_mean", "copdab_months", True),
    "icews": ("icews_share", "icews_events", False),
    "gdelt": ("gdelt_mean", "gdelt_days", True),
}
_KEYS = ["ccode1", "ccode2", "year"]


class RelationsOptions(BaseModel):
    """Options of :func:`relations`.

    ``sources``: the event sources to use, in order of priority where two cover the same
    period; ``reference``: ``"dyad"`` (standardize by the dyad's own history in the source,
    the default) or ``"system"`` (by all dyad-periods of the source); ``unit``: ``"year"`` or
    ``"month"`` (WEIS, COPDAB and GDELT only; ICEWS is annual).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    sources: tuple[Literal["weis", "copdab", "icews", "gdelt"], ...] = Field(
        default=("weis", "copdab", "icews", "gdelt"), min_length=1
    )
    reference: Literal["dyad", "system"] = "dyad"
    unit: Literal["year", "month"] = "year"

    @field_validator("sources", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        return value


def _raw(unit: str) -> list[pl.Expr]:
    """The raw index of each source: a mean (or share) per event, so that a period's index
    does not grow with the number of events the source happened to record."""
    icews_events = pl.col("icews_coop") + pl.col("icews_conf")
    raw = [
        pl.col("weis_mean"),
        pl.col("weis_events"),
        pl.col("copdab_mean"),
        (pl.col("copdab_coop_months") + pl.col("copdab_conf_months")).alias("copdab_months"),
        pl.col("gdelt_mean"),
        pl.col("gdelt_days").cast(pl.Int32),
    ]
    if unit == "year":
        raw += [
            pl.when(icews_events > 0)
            .then((pl.col("icews_coop") - pl.col("icews_conf")) / icews_events)
            .alias("icews_share"),
            icews_events.alias("icews_events"),
        ]
    else:
        raw += [pl.lit(None, pl.Float64).alias("icews_share"),
                pl.lit(None, pl.Int32).alias("icews_events")]  # fmt: skip
    return raw


def _panel(pairs: list[tuple[int, int]] | None, states: list[int] | None, unit: str,
           years: range) -> pl.DataFrame:  # fmt: skip
    """Undirected dyad-periods of the event sources' years with the events columns."""
    from allegiance.panel.events import add_events
    from allegiance.panel.months import dyad_months
    from allegiance.panel.universe import dyad_years

    members = sorted({c for p in pairs for c in p}) if pairs is not None else states
    make = dyad_months if unit == "month" else dyad_years
    panel = make("cow", years, directed=False, states=members)
    frame = add_events(panel).collect()
    if pairs is not None:
        wanted = pl.DataFrame(
            [(min(p), max(p)) for p in pairs], schema=["ccode1", "ccode2"], orient="row"
        ).cast({"ccode1": pl.Int32, "ccode2": pl.Int32})
        frame = frame.join(wanted.unique(), on=["ccode1", "ccode2"], how="semi")
    return frame.select(*frame.columns[: 4 if unit == "month" else 3], *_raw(unit))


def _standardize(raw: str, reference: str, system: tuple[float, float] | None) -> pl.Expr:
    x = pl.col(raw)
    if reference == "system":
        mean, sd = system if system is not None else (None, None)
        return (x - (x.mean() if mean is None else mean)) / (x.std() if sd is None else sd)
    over = ["ccode1", "ccode2"]
    return (x - x.mean().over(over)) / x.std().over(over)


def combine_sources(
    frame: pl.DataFrame,
    sources: Sequence[str],
    reference: str,
    period: Sequence[str],
    system: Mapping[str, tuple[float, float]] | None = None,
) -> pl.DataFrame:
    """Pick each period's source and standardize its raw index (the core of :func:`relations`).

    ``frame`` has ``ccode1, ccode2``, the ``period`` columns and, for each source of
    ``sources``, its raw index and count columns (:data:`RELATIONS_SOURCES`; a null count
    means the source does not cover the row). Adds ``relations``, ``relations_source``,
    ``relations_raw``, ``relations_n`` and ``relations_break``. With ``reference="system"``,
    ``system`` gives each source's mean and standard deviation over all its dyad-periods.

    >>> f = pl.DataFrame({"ccode1": [1] * 4, "ccode2": [2] * 4, "year": [1, 2, 3, 4],
    ...     "weis_mean": [1.0, 3.0, None, None], "weis_events": [1, 1, None, None],
    ...     "icews_share": [None, None, 0.5, 0.7], "icews_events": [None, None, 4, 4]})
    >>> out = combine_sources(f, ["weis", "icews"], "dyad", ["year"])
    >>> out["relations_source"].to_list(), out["relations_break"].to_list()
    (['weis', 'weis', 'icews', 'icews'], [False, False, True, False])
    >>> [round(v, 4) for v in out["relations"]]
    [-0.7071, 0.7071, -0.7071, 0.7071]
    """
    z = {s: _standardize(RELATIONS_SOURCES[s][0], reference, (system or {}).get(s))
         for s in sources}  # fmt: skip
    frame = frame.with_columns(z[s].alias(f"_z_{s}") for s in sources)
    source = pl.lit(None, pl.String)
    for s in reversed(sources):
        covered = pl.col(RELATIONS_SOURCES[s][1]).is_not_null()
        source = pl.when(covered).then(pl.lit(s)).otherwise(source)
    frame = frame.with_columns(source.alias("relations_source"))
    values = []
    for name in ("relations", "relations_raw", "relations_n"):
        expr = pl.lit(None, pl.Float64)
        for s in sources:
            raw, n, _ = RELATIONS_SOURCES[s]
            col = {"relations": f"_z_{s}", "relations_raw": raw, "relations_n": n}[name]
            expr = pl.when(pl.col("relations_source") == s).then(pl.col(col)).otherwise(expr)
        values.append(expr.alias(name))
    frame = frame.with_columns(values).sort("ccode1", "ccode2", *period)
    pair = ["ccode1", "ccode2"]
    previous = pl.col("relations_source").shift(1).over(pair)
    seen = pl.col("relations_source").is_not_null().cum_sum().over(pair)
    return frame.with_columns(
        (pl.col("relations_source").is_not_null() & (seen > 1)
         & previous.ne_missing(pl.col("relations_source"))).alias("relations_break"),
        pl.col("relations_n").cast(pl.Int32),
    ).drop([f"_z_{s}" for s in sources])  # fmt: skip


@register_measure(
    "relations",
    options=RelationsOptions,
    citations=("goldstein1992", "lebo2003", "boschee2015", "leetaru2013", "palmer2022"),
)
def relations(scope: Scope, opts: RelationsOptions) -> pl.DataFrame:
    r"""Observed relations of a dyad: standardized net cooperation from the covering source.

    .. math::

       r_{ijt} = \frac{x^{(s)}_{ijt} - \bar x^{(s)}_{ij}}{\sigma^{(s)}_{ij}},
       \qquad s = s(i, j, t)

    where :math:`s(i, j, t)` is the first source in ``sources`` that covers the dyad in period
    :math:`t` (its years, and for COPDAB, ICEWS and GDELT its dyads or states),
    :math:`x^{(s)}_{ijt}` the source's raw index of net cooperation in the period and
    :math:`\bar x^{(s)}_{ij}, \sigma^{(s)}_{ij}` its mean and standard deviation over every
    period of that source for the dyad (``reference="dyad"``) or over all dyad-periods of the
    source (``reference="system"``). The raw indexes are per event, so that the number of
    events a source records (which grows with media coverage) does not move them:

    - WEIS: the mean Goldstein weight of the period's events, both directions [goldstein1992]_;
    - COPDAB: the mean of Lebo and Moore's monthly scores [lebo2003]_;
    - ICEWS: :math:`(c - k) / (c + k)`, with :math:`c` the cooperation (verbal plus material)
      and :math:`k` the conflict events [boschee2015]_;
    - GDELT: the mean daily net score (Goldstein plus coverage terms) over the days with data
      [leetaru2013]_.

    A period the source covers but in which it recorded no event has a null value (no event
    says nothing about the sign of relations) and ``relations_n`` 0.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or a region).
    opts : RelationsOptions
        ``sources``, ``reference``, ``unit``.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year`` (and ``month``), ``relations`` (the standardized value),
        ``relations_source`` (``weis``, ``copdab``, ``icews``, ``gdelt``, or null where no
        chosen source covers the period), ``relations_raw`` (the source's raw index),
        ``relations_n`` (events, months or days behind it), ``relations_break`` (True in the
        first period of a source after another source or a gap: never read a trend across
        it) and, for dyad-years, ``mid_opposite`` (1 if a COW MID with the two on opposite
        sides was ongoing, MIDB 1816-2014 [palmer2022]_; null outside).

    Notes
    -----
    The reference is the dyad's own history by default because the question this measure
    serves is whether a dyad's relations were better or worse than usual *for that dyad*
    (after a signal, in a crisis), and because the sources differ in which dyads they see
    often: against all dyads of a source, a pair that the press covers heavily would differ
    from the rest in volume and tone for reasons that have nothing to do with the pair's
    relations. With the dyad's own history, a value of 1 means one standard deviation better
    than the dyad's average in that source, whichever source it is. The mean and standard
    deviation come from every period of the source (not only the years asked for), so a
    value does not depend on the query.

    Examples
    --------
    >>> r = relations(Scope(range(1973, 1974), dyads=((732, 740),)), RelationsOptions())
    >>> r.select("ccode1", "ccode2", "year", "relations_source").row(0)
    (732, 740, 1973, 'weis')
    """
    unit = opts.unit
    span = _source_years()  # every period of the sources, so a value never depends on the query
    pairs = list(scope.dyads) if scope.dyads is not None else None
    frame = _panel(pairs, list(scope.states) if scope.states else None, unit, span)
    period = ["year", "month"] if unit == "month" else ["year"]
    stats = _system_stats(unit) if opts.reference == "system" else None
    frame = combine_sources(frame, opts.sources, opts.reference, period, stats)
    out = frame.filter(pl.col("year").is_between(scope.years.start, scope.years.stop - 1))
    if unit == "year":
        out = _with_disputes(out)
    keep = ["ccode1", "ccode2", *period, "relations", "relations_source", "relations_raw",
            "relations_n", "relations_break"]  # fmt: skip
    keep += ["mid_opposite"] if unit == "year" else []
    return _order(out.select(keep), scope)


@cache
def _source_years() -> range:
    """From the first to the last year any event source observes (within the COW system)."""
    from allegiance.data.coverage import system_years, table_years

    spans = [table_years(t) for t in ("copdab_months", "weis_events", "icews_cow",
                                       "gdelt_pair_month")]  # fmt: skip
    lo, hi = system_years("cow")
    return range(max(lo, min(a for a, _ in spans)), min(hi, max(b for _, b in spans)) + 1)


@cache
def _system_stats(unit: str) -> dict[str, tuple[float, float]]:
    """Each source's mean and standard deviation of its raw index over all its dyad-periods."""
    frame = _panel(None, None, unit, _source_years())
    out = {}
    for source, (raw, _, _) in RELATIONS_SOURCES.items():
        values = frame[raw].drop_nulls().drop_nans()
        if values.len() > 1:
            out[source] = (float(values.mean()), float(values.std()))  # type: ignore[arg-type]
    return out


def _with_disputes(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``mid_opposite`` (an opposite-side COW MID ongoing) to undirected dyad-years."""
    from allegiance.panel.base import Panel
    from allegiance.panel.mid_sides import add_mid_sides

    panel = Panel(frame=frame.select(_KEYS).lazy(), unit="dyad_year", system="cow")
    sides = add_mid_sides(panel).collect().select(*_KEYS, pl.col("mid_opp_ongoing").alias(
        "mid_opposite"))  # fmt: skip
    return frame.join(sides, on=_KEYS, how="left", maintain_order="left")


def _order(frame: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """Rows of the scope: explicit dyads in the order given (values are symmetric)."""
    if scope.dyads is None:
        return frame
    rows = scope_dyad_years(scope).select(_KEYS)
    swapped = frame.rename({"ccode1": "ccode2", "ccode2": "ccode1"})
    both = pl.concat([frame, swapped.select(frame.columns)]).unique(
        subset=[c for c in frame.columns if c in ("ccode1", "ccode2", "year", "month")]
    )
    keys = ["ccode1", "ccode2", "year"]
    return (
        rows.cast({k: both.schema[k] for k in keys})
        .join(both, on=keys, how="inner")
        .sort(
            pl.col("ccode1"), pl.col("ccode2"), *[c for c in ("year", "month") if c in both.columns]
        )
    )
