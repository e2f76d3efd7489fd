"""Axelrod and Bennett's five-factor propensities, built from the bundled data where it exists."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.inputs.propensity import (
    NO_SOURCE,
    Propensities,
    Term,
    absent_reason,
    pair_frame,
    read_year,
    source_years,
    text,
    to_propensities,
)
from allegiance.references import cites

__all__ = [
    "AB1993_FACTORS",
    "AB1993_SOURCES",
    "DEMOCRACY_RULE",
    "IDEOLOGIES",
    "WAR_WINDOW",
    "ab1993_propensities",
    "factor_table",
    "regime_types",
]

#: The five factors, each of weight 1.
AB1993_FACTORS = ("government", "religion", "border", "war", "ethnic")

#: The bundle tables the factors read.
AB1993_SOURCES = ("cow_democracy", "vdem_legitideol", "wrp_national", "icow_claims",
                  "cow_war_inter")  # fmt: skip

#: A war between the two counts as recent when it was under way in the year or in the
#: ``WAR_WINDOW - 1`` years before (the same window as the animosity index's longer dispute
#: count).
WAR_WINDOW = 25

#: V-Dem's regime legitimation ideologies ``v2exl_legitideolcr_0`` ... ``_4``, in the order
#: the catalog entry of ``vdem_legitideol`` names them.
IDEOLOGIES = ("nationalist", "socialist/communist", "restorative/conservative",
              "separatist/autonomist", "religious")  # fmt: skip

#: How a state-year is told a democracy (the rule of the expected-cooperation design's
#: ``joint_democracy``): Polity2 at least 6 where Polity2 is coded, else V-Dem polyarchy at
#: least 0.5.
DEMOCRACY_RULE = "polity2 >= 6, else v2x_polyarchy >= 0.5 where polity2 is missing"

_GOV_DOC = ("+1 if both states have the same government type, -1 if they differ, 0 if a type is "
            "unknown; a democracy by " + DEMOCRACY_RULE + "; a non-democracy whose V-Dem "
            "ideological legitimation (v2exl_legitideol) is above 0 has the type of its most "
            "named ideology, otherwise it is a non-ideological autocracy; before V-Dem's first "
            "year non-democracies are not told apart (0 between two of them)")  # fmt: skip
_DOCS = {
    "government": ("cow_democracy, vdem_legitideol", _GOV_DOC),
    "religion": ("wrp_national", "2R - 1, R the similarity of the two religious compositions "
                 "(religion_similarity, WRP families): +1 for one and the same religion, -1 for "
                 "no religion in common"),
    "border": ("icow_claims", "-1 if an ICOW territorial claim between the two is active, else 0"),
    "war": ("cow_war_inter", f"-1 if the two fought each other in a COW inter-state war in the "
            f"year or the {WAR_WINDOW - 1} years before, else 0"),
    "ethnic": ("", "no bundled data on ethnic conflict: always 0"),
}  # fmt: skip


def factor_table() -> pl.DataFrame:
    """The five factors: coding, source tables and the years the sources cover (from the data).

    >>> factor_table()["factor"].to_list()
    ['government', 'religion', 'border', 'war', 'ethnic']
    """
    rows = []
    for name in AB1993_FACTORS:
        tables, coding = _DOCS[name]
        spans = [f"{t.strip()} {'-'.join(map(str, source_years(t.strip())))}"
                 for t in tables.split(",") if t.strip()]  # fmt: skip
        rows.append({"factor": name, "weight": 1.0, "coding": coding,
                     "sources": "; ".join(spans) or "none"})  # fmt: skip
    return pl.DataFrame(rows)


@cites("axelrod1993", "marshall2017", "coppedge2023", "maoz2013", "hensel2008", "sarkees2010")
def ab1993_propensities(year: int, codes: Sequence[int], names: Sequence[str]) -> Propensities:
    r"""Axelrod and Bennett's propensities [axelrod1993]_: five factors of equal weight.

    .. math:: p_{ij} = G_{ij} + R_{ij} + B_{ij} + W_{ij} + E_{ij}

    where :math:`G_{ij} \in \{-1, 0, 1\}` compares the two governments' types (same +1,
    different -1, unknown 0), :math:`R_{ij} = 2 R^*_{ij} - 1 \in [-1, 1]` their religions
    (:math:`R^*` the WRP similarity of their religious compositions), :math:`B_{ij} = -1` if
    they have a border disagreement (an active ICOW territorial claim), :math:`W_{ij} = -1` if
    they fought each other in a COW inter-state war in the last :data:`WAR_WINDOW` years, and
    :math:`E_{ij}` ethnic conflict, for which the package has no data (always 0). The
    similarity factors run from -1 to +1, the conflict factors are -1 or 0; the levels are
    this package's coding of the five factors from the bundled data.

    Parameters
    ----------
    year : int
        Any year of the COW system.
    codes, names : sequence
        COW codes of the actors and their names (the audit's ``actor1``, ``actor2``).

    Returns
    -------
    Propensities
        The matrix, each factor's contribution, the years read, the audit and the factors
        without data that year (counted 0: ethnic conflict always, religion before the WRP's
        first wave).

    Notes
    -----
    Sources and years (:func:`factor_table` gives them from the data): democracy scores
    (``cow_democracy``: Polity2 [marshall2017]_ and V-Dem polyarchy, as isard compiles them)
    and V-Dem's regime legitimation ideology (``vdem_legitideol`` [coppedge2023]_, from
    1901); religion from the World Religion Project's national data (``wrp_national``
    [maoz2013]_, waves every five years from 1945: before 1945 the factor has no data); ICOW
    territorial claims (``icow_claims`` [hensel2008]_, to 2001); COW inter-state wars
    (``cow_war_inter``) [sarkees2010]_. After a source's last year the factor is read at that
    year and the audit flags it ``carried``.

    V-Dem's ideology shares are not exclusive (several can be named for one regime) and they
    name an ideology even where ideological legitimation is weak (in 1936 Sweden and Norway,
    democracies, have socialist/communist 1.0), so the ideology is read only for
    non-democracies and only where ``v2exl_legitideol`` is above 0, the midpoint of V-Dem's
    latent scale; the type is the most named ideology (ties joined). V-Dem has no fascist
    category: fascist regimes show as nationalist with high ideological legitimation.
    """
    used: dict[str, int] = {}
    terms = [
        _government(year, codes, used),
        _religion(year, codes, used),
        _border(year, codes, used),
        _war(year, codes, used),
        Term("ethnic", 1.0, "", None, False, None, _DOCS["ethnic"][1], status=NO_SOURCE),
    ]
    return to_propensities(year, codes, names, terms, used)


# --------------------------------------------------------------------------- government type


def regime_types(year: int, codes: Sequence[int]) -> pl.DataFrame:
    """Government type of each state in ``year``: ``ccode, regime, detail``.

    ``regime`` is ``democracy``, an ideology of :data:`IDEOLOGIES` (joined by ``+`` on a
    tie), ``non-ideological autocracy``, ``non-democracy`` (ideology unknown) or null (no
    democracy score). Sources are read at :func:`~allegiance.inputs.propensity.read_year`.
    """
    from allegiance.data import bundle
    from allegiance.panel.build import build_panel

    at, _ = read_year(year, "cow_democracy")
    dem = build_panel("state_year", years=[at or year], states=list(codes),
                      families=["democracy"]).collect()  # fmt: skip
    polity, poly = pl.col("polity2"), pl.col("v2x_polyarchy")
    democracy = pl.when(polity.is_not_null()).then(polity >= 6).otherwise(poly >= 0.5)
    frame = dem.select(pl.col("ccode").cast(pl.Int32), democracy.alias("democracy"),
                       pl.format("polity2 {}, polyarchy {}", text(polity), text(poly))
                       .alias("scores"))  # fmt: skip
    v_at, _ = read_year(year, "vdem_legitideol")
    shares = [f"v2exl_legitideolcr_{k}" for k in range(len(IDEOLOGIES))]
    if v_at is not None:
        ideology = (
            bundle.scan("vdem_legitideol")
            .filter((pl.col("year") == v_at) & pl.col("ccode").is_in(list(codes)))
            .select(pl.col("ccode").cast(pl.Int32), "v2exl_legitideol", *shares)
            .collect()
            .unique("ccode", keep="first")
        )
        frame = frame.join(ideology, on="ccode", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias(c)
                                   for c in ["v2exl_legitideol", *shares])  # fmt: skip
    top = pl.max_horizontal(*shares)
    named = pl.concat_str(
        [pl.when(pl.col(s) == top).then(pl.lit(n)) for s, n in zip(shares, IDEOLOGIES,
                                                                    strict=True)],
        separator="+", ignore_nulls=True,
    )  # fmt: skip
    legit = pl.col("v2exl_legitideol")
    regime = (
        pl.when(pl.col("democracy").is_null()).then(None)
        .when(pl.col("democracy")).then(pl.lit("democracy"))
        .when(legit.is_null()).then(pl.lit("non-democracy"))
        .when(legit > 0).then(named)
        .otherwise(pl.lit("non-ideological autocracy"))
    )  # fmt: skip
    detail = pl.when(legit.is_null()).then(pl.col("scores")).otherwise(
        pl.format("{}, legitimation {}", pl.col("scores"), legit))  # fmt: skip
    return frame.select("ccode", regime.alias("regime"), detail.alias("detail"))


def _government(year: int, codes: Sequence[int], used: dict[str, int]) -> Term:
    at, carried = read_year(year, "cow_democracy")
    if at is None:
        return Term("government", 1.0, "cow_democracy", None, False, None,
                    absent_reason("cow_democracy", "democracy scores"))  # fmt: skip
    v_at, v_carried = read_year(year, "vdem_legitideol")
    used["government"] = min(at, v_at) if v_at is not None else at
    types = regime_types(year, codes)
    pairs = pl.DataFrame({"ccode1": [a for k, a in enumerate(codes) for b in codes[k + 1:]],
                          "ccode2": [b for k, _ in enumerate(codes) for b in codes[k + 1:]]},
                         schema={"ccode1": pl.Int32, "ccode2": pl.Int32})  # fmt: skip
    for n in ("1", "2"):
        pairs = pairs.join(
            types.rename({"ccode": f"ccode{n}", "regime": f"regime{n}", "detail": f"detail{n}"}),
            on=f"ccode{n}",
            how="left",
        )
    r1, r2 = pl.col("regime1"), pl.col("regime2")
    unknown = r1.is_null() | r2.is_null() | (
        ((r1 == "non-democracy") | (r2 == "non-democracy")) & (r1 != "democracy")
        & (r2 != "democracy")
    )  # fmt: skip
    same = pl.when(unknown).then(None).otherwise((r1 == r2).cast(pl.Int8))
    pairs = pairs.with_columns(same.alias("same"))
    detail = pl.format("{} ({}) / {} ({})", r1.fill_null("no score"), text(pl.col("detail1")),
                       r2.fill_null("no score"), text(pl.col("detail2")))  # fmt: skip
    frame = pair_frame(pairs, "same", 2 * pl.col("same") - 1, detail)
    return Term("government", 1.0, "cow_democracy, vdem_legitideol", used["government"],
                carried or v_carried, frame)  # fmt: skip


# --------------------------------------------------------------------------- the other factors


def _religion(year: int, codes: Sequence[int], used: dict[str, int]) -> Term:
    from allegiance.data import bundle
    from allegiance.measures.registry import compute

    at, carried = read_year(year, "wrp_national")
    if at is None:
        return Term("religion", 1.0, "wrp_national", None, False, None,
                    absent_reason("wrp_national", "World Religion Project"))  # fmt: skip
    waves = bundle.scan("wrp_national").select(pl.col("year").unique()).collect()["year"]
    wave = int(waves.filter(waves <= at).max())  # type: ignore[arg-type]
    used["religion"] = wave
    rows = compute("religion_similarity", range(at, at + 1), states=list(codes))
    detail = pl.format(
        "WRP {} similarity {}", pl.lit(wave), text(pl.col("religion_similarity").round(3))
    )
    frame = pair_frame(rows, "religion_similarity", 2 * pl.col("religion_similarity") - 1, detail)
    return Term("religion", 1.0, "wrp_national", wave, carried, frame)


def _border(year: int, codes: Sequence[int], used: dict[str, int]) -> Term:
    from allegiance.panel.build import build_panel

    at, carried = read_year(year, "icow_claims")
    if at is None:
        return Term("border", 1.0, "icow_claims", None, False, None,
                    absent_reason("icow_claims", "ICOW claims"))  # fmt: skip
    used["border"] = at
    rows = build_panel("dyad_year", years=[at], states=list(codes), families=["claims"]).collect()
    named = pl.format("claims: {}", text(pl.col("icow_claim_names")))
    detail = pl.when(pl.col("icow_claim") == 1).then(named).otherwise(pl.lit("no active claim"))
    frame = pair_frame(rows, "icow_claim", -pl.col("icow_claim"), detail)
    return Term("border", 1.0, "icow_claims", at, carried, frame)


def _war(year: int, codes: Sequence[int], used: dict[str, int]) -> Term:
    from allegiance.panel.build import build_panel

    at, carried = read_year(year, "cow_war_inter")
    if at is None:
        return Term("war", 1.0, "cow_war_inter", None, False, None,
                    absent_reason("cow_war_inter", "COW inter-state wars"))  # fmt: skip
    used["war"] = at
    first = max(at - WAR_WINDOW + 1, source_years("cow_war_inter")[0])
    rows = build_panel("dyad_year", years=range(first, at + 1), states=list(codes),
                       families=["wars"]).collect()  # fmt: skip
    at_war = pl.col("cowinterongoing") == 1
    summary = rows.group_by("ccode1", "ccode2").agg(
        at_war.sum().cast(pl.Float64).alias("war_years"),
        pl.col("year").filter(at_war).min().alias("from"),
        pl.col("year").filter(at_war).max().alias("to"),
        pl.col("warnum").filter(at_war).unique().sort().cast(pl.String).str.join(",")
        .alias("wars"),
    )  # fmt: skip
    detail = pl.when(pl.col("war_years") > 0).then(
        pl.format("at war {}-{} (COW war {})", pl.col("from"), pl.col("to"), pl.col("wars"))
    ).otherwise(pl.format("no war {}-{}", pl.lit(first), pl.lit(at)))  # fmt: skip
    value = -(pl.col("war_years") > 0).cast(pl.Float64)
    return Term("war", 1.0, "cow_war_inter", at, carried,
                pair_frame(summary, "war_years", value, detail))  # fmt: skip
