"""Propensity rules of a landscape, term by term, with the audit of every pair's propensity.

A rule (the package's additive index, or Axelrod and Bennett's five factors in
:mod:`allegiance.inputs.ab1993`) is a list of :class:`Term`: one component read for one year,
with its weight, the source it came from and the year of that source actually read. The
audit (:func:`audit_table`) lays every term out for every pair of actors, so that the
propensity of a pair is the sum of its rows' contributions and a reader sees why the pair
attracts or repels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from allegiance.references import cites

__all__ = [
    "AUDIT_SCHEMA",
    "INDEX_WEIGHTS",
    "NO_DATA",
    "NO_SOURCE",
    "UN_MIN_VOTES",
    "Propensities",
    "Term",
    "absent_reason",
    "audit_table",
    "index_propensities",
    "pair_frame",
    "read_year",
    "source_years",
    "text",
    "to_propensities",
]

#: Weights of the additive propensity index (see :func:`index_propensities`).
INDEX_WEIGHTS: Mapping[str, float] = {
    "alliance": 1.0,
    "threat": 0.5,
    "democracy": 0.5,
    "animosity": -1.0,
    "claims": -0.5,
    "un": 1.0,
}

#: Fewest UN General Assembly roll calls on which both states of a pair must have voted in a
#: year for their agreement to enter the index: below it a share moves in steps of more than
#: 0.1 and the pair's UN term counts 0 (status ``missing``).
UN_MIN_VOTES = 10

#: Columns of the audit, one row per pair of actors and term.
AUDIT_SCHEMA: Mapping[str, Any] = {
    "year": pl.Int32,  # the year asked
    "ccode1": pl.Int32,
    "ccode2": pl.Int32,
    "actor1": pl.String,
    "actor2": pl.String,
    "component": pl.String,  # the term: "alliance", "animosity.colonial", "religion", ...
    "raw": pl.Float64,  # the source's value for the pair (null: none)
    "value": pl.Float64,  # the term's score entering the sum (0 where raw is null)
    "weight": pl.Float64,
    "contribution": pl.Float64,  # weight * value; a pair's contributions sum to its propensity
    "source": pl.String,  # the bundle table(s) read
    "source_year": pl.Int32,  # the year of the source actually read (null: none read)
    "carried": pl.Boolean,  # the source's last year is earlier than the year asked
    "status": pl.String,  # observed, carried forward, time-invariant, missing, no data
    "detail": pl.String,  # what the raw value is made of, in words
}

#: Status of a term with no data in the year asked, and of one the bundle has no data for.
NO_DATA, NO_SOURCE = "no data this year", "no bundled data"


@dataclass(frozen=True)
class Term:
    """One component of a propensity rule, read for one year.

    ``pairs`` holds ``lo < hi`` (two COW codes), ``raw`` (Float64, null where the source has
    nothing for the pair), ``value`` (Float64, the score entering the sum) and ``detail``
    (String); ``None`` when the component has no data in the year asked (``absent`` says
    why). ``source_year`` is the year of the source read, ``carried`` whether the year asked
    lies after the source's last year; ``invariant`` marks a time-invariant source.
    """

    component: str
    weight: float
    source: str
    source_year: int | None
    carried: bool
    pairs: pl.DataFrame | None
    absent: str = ""
    invariant: bool = False
    status: str = NO_DATA


@dataclass(frozen=True)
class Propensities:
    """A rule's propensities for one year: the matrix, the contribution matrix of each
    component (they sum to the matrix), the year each component was read at, the audit
    (:data:`AUDIT_SCHEMA`) and the components without data that year (name -> why)."""

    matrix: np.ndarray
    components: dict[str, np.ndarray]
    years_used: dict[str, int]
    audit: pl.DataFrame
    absent: dict[str, str] = field(default_factory=dict)


def source_years(table: str) -> tuple[int, int]:
    """First and last year a bundle table's source observes.

    The catalog's years of the table's dataset where the catalog gives them (the panel steps
    fill 0 inside those years: COW's war data cover 1816-2007 though no war is recorded
    after 2003), else the years the table holds (:func:`allegiance.data.coverage.table_years`).

    >>> source_years("un_roll_calls")[0]
    1946
    """
    from allegiance.data import bundle, catalog
    from allegiance.data.coverage import table_years

    dataset = bundle.provenance()["tables"].get(table, {}).get("dataset")
    years = catalog.get(dataset).years if dataset else None
    return (int(years[0]), int(years[1])) if years else table_years(table)


def read_year(year: int, table: str) -> tuple[int | None, bool]:
    """The year of ``table`` to read for ``year``, and whether it is carried forward.

    ``year`` itself inside the source's years; the source's last year after them (carried:
    ``True``); ``None`` before its first year (the component has no data then).

    >>> read_year(1930, "un_roll_calls")
    (None, False)
    """
    first, last = source_years(table)
    if year < first:
        return None, False
    return min(year, last), year > last


def absent_reason(table: str, label: str) -> str:
    """Why a component has no data: its source's first year, from the data."""
    first, last = source_years(table)
    return f"{label} ({table}) covers {first}-{last}"


def _zero(expr: pl.Expr) -> pl.Expr:
    """``expr`` with -0.0 written as 0.0 (a conflict term of 0 is no conflict, not -0)."""
    return pl.when(expr == 0).then(0.0).otherwise(expr)


def text(expr: pl.Expr) -> pl.Expr:
    """An expression as text for an audit's ``detail``, ``NA`` where it is null."""
    return expr.cast(pl.String).fill_null("NA")


def pair_frame(rows: pl.DataFrame, raw: str, value: pl.Expr, detail: pl.Expr) -> pl.DataFrame:
    """``lo, hi, raw, value, detail`` from a dyad frame with ``ccode1, ccode2``."""
    return rows.select(
        pl.min_horizontal("ccode1", "ccode2").cast(pl.Int32).alias("lo"),
        pl.max_horizontal("ccode1", "ccode2").cast(pl.Int32).alias("hi"),
        pl.col(raw).cast(pl.Float64).alias("raw"),
        _zero(value.cast(pl.Float64)).alias("value"),
        detail.cast(pl.String).alias("detail"),
    ).unique(["lo", "hi"], keep="first", maintain_order=True)


def audit_table(
    year: int, codes: Sequence[int], names: Sequence[str], terms: Sequence[Term]
) -> pl.DataFrame:
    """Every term for every pair ``codes[i], codes[j]`` (``i < j``): the audit.

    A pair a term has no row for, or no raw value for, counts 0 (status ``missing``); a term
    without data in ``year`` counts 0 for every pair (status ``no data this year``, or ``no
    bundled data``).
    """
    pairs = [(i, j) for i in range(len(codes)) for j in range(i + 1, len(codes))]
    base = pl.DataFrame(
        {
            "ccode1": [codes[i] for i, _ in pairs],
            "ccode2": [codes[j] for _, j in pairs],
            "actor1": [names[i] for i, _ in pairs],
            "actor2": [names[j] for _, j in pairs],
        },
        schema={"ccode1": pl.Int32, "ccode2": pl.Int32, "actor1": pl.String, "actor2": pl.String},
    ).with_columns(
        pl.min_horizontal("ccode1", "ccode2").alias("lo"),
        pl.max_horizontal("ccode1", "ccode2").alias("hi"),
    )
    parts = [_term_rows(year, base, t) for t in terms]
    if not parts:
        return pl.DataFrame(schema=dict(AUDIT_SCHEMA))
    return pl.concat(parts).select(
        pl.col(c).cast(t) for c, t in AUDIT_SCHEMA.items()
    )  # fmt: skip


def _term_rows(year: int, base: pl.DataFrame, term: Term) -> pl.DataFrame:
    if term.pairs is None:
        rows = base.with_columns(
            pl.lit(None, pl.Float64).alias("raw"),
            pl.lit(0.0).alias("value"),
            pl.lit(term.absent).alias("detail"),
            pl.lit(term.status).alias("status"),
        )
    else:
        status = "time-invariant" if term.invariant else (
            "carried forward" if term.carried else "observed")  # fmt: skip
        rows = base.join(term.pairs, on=["lo", "hi"], how="left", maintain_order="left")
        rows = rows.with_columns(
            pl.when(pl.col("raw").is_null()).then(0.0).otherwise(pl.col("value")).alias("value"),
            pl.when(pl.col("raw").is_null()).then(pl.lit("missing")).otherwise(pl.lit(status))
            .alias("status"),
            pl.col("detail").fill_null("no value for the pair"),
        )  # fmt: skip
    return rows.with_columns(
        pl.lit(year).alias("year"),
        pl.lit(term.component).alias("component"),
        pl.lit(float(term.weight)).alias("weight"),
        _zero(pl.col("value") * term.weight).alias("contribution"),
        pl.lit(term.source).alias("source"),
        pl.lit(term.source_year, pl.Int32).alias("source_year"),
        pl.lit(term.carried and term.pairs is not None).alias("carried"),
    )


def to_propensities(
    year: int,
    codes: Sequence[int],
    names: Sequence[str],
    terms: Sequence[Term],
    years_used: dict[str, int],
) -> Propensities:
    """The audit of ``terms`` and the matrices it sums to (components by the name before the
    first dot: ``animosity.colonial`` belongs to ``animosity``)."""
    audit = audit_table(year, codes, names, terms)
    index = {c: i for i, c in enumerate(codes)}
    components: dict[str, np.ndarray] = {}
    for t in terms:
        components.setdefault(t.component.split(".")[0], np.zeros((len(codes), len(codes))))
    for a, b, comp, c in audit.select("ccode1", "ccode2", "component", "contribution").iter_rows():
        m = components[comp.split(".")[0]]
        m[index[a], index[b]] += c
        m[index[b], index[a]] += c
    total = np.zeros((len(codes), len(codes)))
    for m in components.values():
        total += m
    absent = {t.component.split(".")[0]: t.absent for t in terms if t.pairs is None}
    return Propensities(total, components, years_used, audit, absent)


# --------------------------------------------------------------------------- the index


@cites(
    "leeds2002",
    "gibler2016",
    "marshall2017",
    "sarkees2010",
    "hensel2018",
    "hensel2008",
    "voeten-unvotes",
)
def index_propensities(
    year: int,
    codes: Sequence[int],
    names: Sequence[str],
    weights: Mapping[str, float] | None = None,
) -> Propensities:
    r"""The additive propensity index of every pair of ``codes`` in ``year``, with its audit.

    .. math::

       p_{ij} = w_a A_{ij} + w_t \min(C_{ij}, 3)/3 + w_d D_{ij} + w_n N_{ij}
                + w_c K_{ij} + w_u (2 U_{ij} - 1)

    where :math:`A_{ij}` is 1 if the two have an ATOP defense pledge (v5.1 [leeds2002]_),
    :math:`C_{ij}` the number of common opponents (states in a GML militarized dispute
    [gibler2016]_ with both in the last 10 years: shared threat), :math:`D_{ij}` 1 if both have
    Polity2 [marshall2017]_ :math:`\ge 6` (joint democracy), :math:`N_{ij} \in [0, 1]` the
    animosity index of
    :func:`allegiance.measures.animosity.animosity` (wars on opposite sides, dispute years in
    the last 10 and 25 years, colonial rule, claim salience: five terms of weight
    :math:`w_n/5` in the audit; wars [sarkees2010]_, colonial history [hensel2018]_),
    :math:`K_{ij}` 1 if an ICOW territorial claim [hensel2008]_ is active, and :math:`U_{ij}`
    the share of UN General Assembly roll calls [voeten-unvotes]_ on which the two voted
    alike, counted only where both voted on at least :data:`UN_MIN_VOTES` roll calls that
    year; the weights :math:`w` are :data:`INDEX_WEIGHTS` (animosity and claims negative).

    Years: each component is read in ``year`` when its source covers it. After a source's
    last year the component is read at that last year and flagged ``carried`` in the audit
    (ATOP after 2018, GML disputes after 2010, COW wars after 2007, ICOW claims after 2001,
    the last years read from the data); before its first year the component has no data:
    it counts 0 and is named in ``absent`` (UN votes before 1946). A pair without a value
    counts 0 (status ``missing``).
    """
    w = {**INDEX_WEIGHTS, **(weights or {})}
    used: dict[str, int] = {}
    terms = [
        _alliance(year, codes, w["alliance"], used),
        _threat(year, codes, w["threat"], used),
        _democracy(year, codes, w["democracy"], used),
        *_animosity(year, codes, w["animosity"], w["claims"], used),
        _un(year, codes, w["un"], used),
    ]
    return to_propensities(year, codes, names, terms, used)


def _measure(name: str, year: int, codes: Sequence[int], **options: Any) -> pl.DataFrame:
    from allegiance.measures.registry import compute

    return compute(name, range(year, year + 1), states=list(codes), **options)


def _panel(year: int | range, codes: Sequence[int], family: str) -> pl.DataFrame:
    from allegiance.panel.build import build_panel

    years = [year] if isinstance(year, int) else year
    return build_panel("dyad_year", years=years, states=list(codes), families=[family]).collect()


def _simple(
    name: str,
    weight: float,
    table: str,
    label: str,
    year: int,
    used: dict[str, int],
    read: Callable[[int], pl.DataFrame],
) -> Term:
    """A term read from one table at :func:`read_year` (``read(year_read)`` gives its pairs)."""
    at, carried = read_year(year, table)
    if at is None:
        return Term(name, weight, table, None, False, None, absent_reason(table, label))
    used[name] = at
    return Term(name, weight, table, at, carried, read(at))


def _alliance(year: int, codes: Sequence[int], weight: float, used: dict[str, int]) -> Term:
    def read(at: int) -> pl.DataFrame:
        rows = _panel(at, codes, "atop")
        detail = pl.when(pl.col("atop_defense") == 1).then(
            pl.format("defense pledge (ATOP {})", text(pl.col("atop_ids")))
        ).otherwise(pl.lit("no defense pledge"))  # fmt: skip
        return pair_frame(rows, "atop_defense", pl.col("atop_defense"), detail)

    return _simple("alliance", weight, "atop_alliance", "ATOP v5.1", year, used, read)


def _threat(year: int, codes: Sequence[int], weight: float, used: dict[str, int]) -> Term:
    def read(at: int) -> pl.DataFrame:
        rows = _measure("common_opponents", at, codes)
        value = pl.min_horizontal(pl.col("common_opponents"), pl.lit(3)) / 3
        detail = pl.format("common opponents: {}", text(pl.col("common_opponents_list")))
        return pair_frame(rows, "common_opponents", value, detail)

    return _simple("threat", weight, "gml_mid_ddydisps", "GML MIDs", year, used, read)


def _democracy(year: int, codes: Sequence[int], weight: float, used: dict[str, int]) -> Term:
    def read(at: int) -> pl.DataFrame:
        rows = _panel(at, codes, "democracy")
        both = (pl.col("polity21") >= 6) & (pl.col("polity22") >= 6)
        rows = rows.with_columns(both.cast(pl.Int8).alias("joint"))
        detail = pl.format("polity2 {} and {}", text(pl.col("polity21")), text(pl.col("polity22")))
        return pair_frame(rows, "joint", pl.col("joint"), detail)

    return _simple("democracy", weight, "cow_democracy", "Polity2 (isard)", year, used, read)


def _saturate(column: str) -> pl.Expr:
    x = pl.col(column).cast(pl.Float64)
    return x / (1.0 + x)


#: The animosity index's five terms: column, score, source table (None: the dispute table).
_ANIMOSITY = (
    ("wars_opposite", _saturate("wars_opposite"), "cow_war_inter", "wars on opposite sides"),
    ("mid_years_10y", _saturate("mid_years_10y"), None, "dispute years, last 10"),
    ("mid_years_25y", _saturate("mid_years_25y"), None, "dispute years, last 25"),
    ("colonial", pl.col("colonial").cast(pl.Float64), "icow_colonial", "colonial relationship"),
    ("claim_salience", pl.col("claim_salience").cast(pl.Float64) / 12, "icow_claims",
     "highest claim salience (0-12)"),
)  # fmt: skip


def _animosity(
    year: int, codes: Sequence[int], w_animosity: float, w_claims: float, used: dict[str, int]
) -> list[Term]:
    """The animosity index's five terms (weight ``w_animosity / 5`` each) and the claims term,
    all from one computation of the animosity measure at the dispute data's year."""
    disputes = "gml_mid_ddydisps"
    at, _ = read_year(year, disputes)
    names = [f"animosity.{c}" for c, *_ in _ANIMOSITY] + ["claims"]
    if at is None:
        why = absent_reason(disputes, "GML MIDs")
        return [Term(n, w_animosity / 5, disputes, None, False, None, why) for n in names]
    used["animosity"] = used["claims"] = at
    rows = _measure("animosity", at, codes)
    terms = []
    for column, score, table, label in _ANIMOSITY:
        table = table or disputes
        detail = pl.format(f"{label}: {{}}", text(pl.col(column)))
        pairs = pair_frame(rows, column, score, detail)
        if table == "icow_colonial":
            terms.append(Term(f"animosity.{column}", w_animosity / 5, table, None, False, pairs,
                              invariant=True))  # fmt: skip
            continue
        src, _ = read_year(at, table)
        late = year > source_years(table)[1]
        terms.append(Term(f"animosity.{column}", w_animosity / 5, table, src, late, pairs))
    claim_year, _ = read_year(at, "icow_claims")
    active = pl.col("claim_active") == 1
    detail = (
        pl.when(active).then(pl.lit("an ICOW claim is active")).otherwise(pl.lit("no active claim"))
    )
    pairs = pair_frame(rows, "claim_active", pl.col("claim_active"), detail)
    late = year > source_years("icow_claims")[1]
    terms.append(Term("claims", w_claims, "icow_claims", claim_year, late, pairs))
    return terms


def _un(year: int, codes: Sequence[int], weight: float, used: dict[str, int]) -> Term:
    def read(at: int) -> pl.DataFrame:
        rows = _measure("un_agreement", at, codes, min_votes=UN_MIN_VOTES)
        n = pl.col("un_nvotes")
        alike = (pl.col("un_agreement") * n).round(0).cast(pl.Int32)
        few = pl.format(f"both voted on {{}} roll calls (fewer than {UN_MIN_VOTES})", n)
        detail = (
            pl.when(pl.col("un_agreement").is_null())
            .then(few)
            .otherwise(pl.format("alike on {} of {} roll calls", alike, n))
        )
        return pair_frame(rows, "un_agreement", 2 * pl.col("un_agreement") - 1, detail)

    return _simple("un", weight, "un_roll_calls", "UN General Assembly votes", year, used, read)
