"""Evidence kind ``territorial_claims``: where are a state's significant territorial disputes?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor
from allegiance.study.kinds.common import label

__all__ = ["claims_of", "coverage_note", "decide_territory", "territorial_claims"]

_TABLE = "icow_claims"
_NAMES = "icow_claim_names"


def coverage_note() -> str:
    """What the ICOW data can and cannot say, with the dataset's version and years from the
    catalog; every finding of this kind carries it."""
    from allegiance.data import catalog
    from allegiance.data.coverage import table_years

    icow = catalog.get(_TABLE)
    lo, hi = table_years(_TABLE)
    return (
        f"{icow.name} v{icow.version} code claims to land territory from {lo} to {hi}; "
        f"maritime boundary disputes are not in it, and years after {hi} are not covered."
    )


THRESHOLDS = (
    Threshold("min_salience", 6, "ICOW salience (0-12) the subject's highest claim with the "
              "main partner needs to count as significant", grid=(5, 6, 7)),
    Threshold("max_other_salience", 4, "each partner the statement names in 'others' must stay "
              "below this highest salience", grid=(3, 4, 5)),
)  # fmt: skip


def decide_territory(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Decide whether the subject's main claim is with ``main`` and none is significant with
    the named ``others``.

    Two parts, both read from the highest ICOW salience (0-12) of the subject's claims with
    each partner over the covered study years:

    - *main*: the main partner's highest salience reaches ``min_salience`` **and** is higher
      than that of every other partner ICOW records, named in the study or not (a tie is not
      a main dispute);
    - *others*: every partner named in ``others`` stays below ``max_other_salience``.

    Supported when both hold, mixed when one holds, not supported when neither does.

    >>> stats = {"main": "Japan", "named_others": ["China"],
    ...          "partners": {"Japan": 6, "China": 0, "DPRK": 11}}
    >>> t = {"min_salience": 6, "max_other_salience": 4}
    >>> decide_territory(stats, t)[0]
    'mixed'
    >>> decide_territory({**stats, "partners": {"Japan": 6, "China": 0}}, t)[0]
    'supported'
    """
    partners = {k: int(v or 0) for k, v in stats["partners"].items()}
    main = stats["main"]
    main_sal = partners.get(main, 0)
    rivals = {k: v for k, v in partners.items() if k != main}
    above = sorted((k for k, v in rivals.items() if v >= main_sal), key=lambda k: -rivals[k])
    main_ok = main_sal >= t["min_salience"] and not above
    named_high = [k for k in stats["named_others"] if partners.get(k, 0) >= t["max_other_salience"]]
    others_ok = not named_high
    if main_sal < t["min_salience"]:
        main_part = f"{main}'s highest salience {main_sal} is below {t['min_salience']:g}"
    elif above:
        main_part = (f"{main}'s highest salience {main_sal} is not the highest: "
                     + ", ".join(f"{k} {rivals[k]}" for k in above))  # fmt: skip
    else:
        main_part = f"{main}'s highest salience {main_sal} is the highest of all partners"
    named = ", ".join(f"{k} {partners.get(k, 0)}" for k in stats["named_others"]) or "none named"
    other_part = (f"named others ({named}) all below {t['max_other_salience']:g}" if others_ok
                  else f"named others at or above {t['max_other_salience']:g}: "
                  + ", ".join(named_high))  # fmt: skip
    reason = f"{main_part}; {other_part}"
    if main_ok and others_ok:
        return "supported", reason
    return ("mixed" if main_ok or others_ok else "not supported"), reason


def claims_of(subject: int, years: range) -> pl.DataFrame:
    """Every ICOW claim between ``subject`` and any state, active in ``years``.

    One row per claim and partner: ``claim`` (ICOW claim id), ``name`` (the claim dyads'
    names, '; '-separated), ``partner_ccode``, ``challenger`` (``subject``, ``partner`` or
    ``both``: who claimed territory the other held), ``first_year`` and ``last_year`` the
    claim was active within ``years``, ``max_salience`` (highest ``icowsal``) and ``years``.
    Names come from the claim-dyad list ``icow_claim_names`` (names only; its end dates past
    2001 are not an ICOW release).
    """
    from allegiance.data import bundle

    names = bundle.scan(_NAMES).drop_nulls("claimdy").select("claimdy", "name")
    mine = (pl.col("chal") == subject) | (pl.col("tgt") == subject)
    rows = (
        bundle.scan(_TABLE)
        .filter(mine & pl.col("year").is_between(years.start, years.stop - 1))
        .select(
            "claim", "claimdy", "year", "icowsal",
            pl.when(pl.col("chal") == subject).then(pl.col("tgt")).otherwise(pl.col("chal"))
            .cast(pl.Int32).alias("partner_ccode"),
            (pl.col("chal") == subject).alias("by_subject"),
        )
        .join(names, on="claimdy", how="left", validate="m:1")
    )  # fmt: skip
    return (
        rows.group_by("claim", "partner_ccode")
        .agg(
            pl.col("name").sort_by("claimdy").unique(maintain_order=True).str.join("; "),
            pl.when(pl.col("by_subject").all()).then(pl.lit("subject"))
            .when(~pl.col("by_subject").any()).then(pl.lit("partner"))
            .otherwise(pl.lit("both")).first().alias("challenger"),
            pl.col("year").min().alias("first_year"),
            pl.col("year").max().alias("last_year"),
            pl.col("icowsal").max().alias("max_salience"),
            pl.col("year").n_unique().alias("years"),
        )
        .sort("partner_ccode", "claim")
        .collect()
    )  # fmt: skip


def _partner_table(subject: int, partners: list[int], years: range) -> pl.DataFrame:
    """Per partner, from the panel's ``claims`` family: claim-years, first and last claim
    year, highest salience and the years ICOW covers."""
    from allegiance.panel.build import build_panel

    panel = build_panel("dyad_year", years=years, directed=True, states=[subject, *partners],
                        families=["claims"]).collect()  # fmt: skip
    panel = panel.filter(pl.col("ccode1") == subject)
    active = pl.col("icow_claim") == 1
    return panel.group_by("ccode2").agg(
        active.sum().alias("claim_years"),
        pl.col("year").filter(active).min().alias("first_claim_year"),
        pl.col("year").filter(active).max().alias("last_claim_year"),
        pl.col("icow_salmax").max().fill_null(0).alias("max_salience"),
        pl.col("icow_claim").is_not_null().sum().alias("years_covered"),
    )  # fmt: skip


@register_kind(
    "territorial_claims",
    evidence_type="evidence",
    decide=decide_territory,
    thresholds=THRESHOLDS,
    required=("subject", "main", "others"),
    lists=("others",),
)
def territorial_claims(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Is ``subject``'s main territorial dispute with ``main``, and none significant with the
    partners named in ``others``?

    Reads every ICOW territorial claim (provisional global data v1.01) between the subject
    and **any** state in the study years that ICOW covers, not only the states the study
    names: per claim its id, name, partner, first and last year and highest salience (table
    ``claims``); per partner (the main table, from the panel's ``claims`` family) the
    claim-years and the highest salience (0-12), with the role the statement gives it
    (``main``, ``named other`` or ``other``). :func:`decide_territory` compares the main
    partner with every other partner. ICOW covers land claims up to 2001 and no maritime
    boundary disputes (:func:`coverage_note`): study years outside its coverage lower the
    certainty, and a study with no covered year is not testable.
    """
    from allegiance.data.coverage import table_years

    subj = resolve_actor(actors, params["subject"])
    main = resolve_actor(actors, params["main"])
    named = [resolve_actor(actors, o) for o in params["others"]]
    lo, hi = table_years(_TABLE)
    first, last = max(years.start, lo), min(years.stop - 1, hi)
    covered = range(first, last + 1) if first <= last else range(0)
    claims = claims_of(subj, covered)
    partners = sorted({*claims["partner_ccode"].to_list(), main, *named} - {subj})
    by_partner = _partner_table(subj, partners, covered) if covered else pl.DataFrame()
    names = {c: _name(actors, c) for c in partners}
    roles = {c: "main" if c == main else "named other" if c in named else "other"
             for c in partners}  # fmt: skip
    table = _with_names(by_partner, claims, partners, names, roles)
    stats = {
        "main": names[main],
        "named_others": [names[o] for o in named],
        "partners": dict(zip(table["partner"], table["max_salience"], strict=True)),
        "covered_years": len(covered),
        "study_years": len(years),
    }
    n_cov = max(table["years_covered"].to_list(), default=0) or 0
    claims_out = claims.with_columns(
        pl.col("partner_ccode").replace_strict(names, return_dtype=pl.String).alias("partner")
    ).select("claim", "name", "partner", "partner_ccode", "challenger", "first_year",
             "last_year", "max_salience", "years")  # fmt: skip
    return Finding(
        table=table,
        stats=stats,
        summary=_summary(label(actors, subj), claims_out, table, covered, years),
        certainty="high" if n_cov == len(years) else "medium",
        reason=f"{coverage_note()} It covers {n_cov} of the {len(years)} study years"
        + (f" ({covered.start}-{covered.stop - 1})." if n_cov else ".")
        + " Salience is ICOW's overall salience of a claim (icowsal, 0-12).",
        settle=f"Territorial and maritime claims coded after {hi} (ICOW's maritime claims data "
        "or a later release of its territorial claims).",
        figure="claim_salience",
        figure_args={"title": f"Highest ICOW claim salience, {label(actors, subj)} and every "
                     "partner with a claim"},
        sources=(_TABLE, _NAMES),
        untestable=None if n_cov else (
            f"ICOW's territorial claims ({lo}-{hi}) cover none of the study years "
            f"{years.start}-{years.stop - 1}"),
        tables={"claims": claims_out},
    )  # fmt: skip


def _name(actors: dict[str, int | str], code: int) -> str:
    """The study's label of a state, or its COW name when the study does not name it."""
    from allegiance.data.codes import name_of

    found = label(actors, code)
    return found if found != str(code) else name_of(code)


def _with_names(by_partner: pl.DataFrame, claims: pl.DataFrame, partners: list[int],
                names: dict[int, str], roles: dict[int, str]) -> pl.DataFrame:  # fmt: skip
    """The partner table with every partner (zeros where ICOW has no claim), names, roles and
    claim names, sorted by highest salience."""
    base = pl.DataFrame({"ccode2": partners}, schema={"ccode2": pl.Int32})
    if by_partner.height:
        base = base.join(by_partner.cast({"ccode2": pl.Int32}), on="ccode2", how="left")
    else:
        base = base.with_columns(pl.lit(None, pl.Int64).alias(c) for c in (
            "claim_years", "first_claim_year", "last_claim_year", "max_salience",
            "years_covered"))  # fmt: skip
    listed = claims.group_by("partner_ccode").agg(
        pl.len().alias("claims"), pl.col("name").str.join("; ").alias("claim_names")
    )
    return (
        base.join(listed.rename({"partner_ccode": "ccode2"}), on="ccode2", how="left")
        .with_columns(
            pl.col("ccode2").replace_strict(names, return_dtype=pl.String).alias("partner"),
            pl.col("ccode2").replace_strict(roles, return_dtype=pl.String).alias("role"),
            pl.col("claims").fill_null(0),
            *(pl.col(c).fill_null(0) for c in ("claim_years", "max_salience", "years_covered")),
        )
        .sort(["max_salience", "ccode2"], descending=[True, False])
        .select("partner", "ccode2", "role", "claims", "claim_names", "claim_years",
                "first_claim_year", "last_claim_year", "max_salience", "years_covered")
    )  # fmt: skip


def _summary(subject: str, claims: pl.DataFrame, table: pl.DataFrame, covered: range,
             years: range) -> str:  # fmt: skip
    span = f"{covered.start}-{covered.stop - 1}" if covered else "none"
    ranked = claims.sort("max_salience", descending=True)
    parts = [f"{r['partner']}: claim {r['claim']} '{r['name']}', {r['first_year']}-"
             f"{r['last_year']}, highest salience {r['max_salience']}"
             for r in ranked.iter_rows(named=True)]  # fmt: skip
    without = [r["partner"] for r in table.iter_rows(named=True) if not r["claims"]]
    text = (f"ICOW claims of {subject} with any state in the covered study years ({span} of "
            f"{years.start}-{years.stop - 1}): " + ("; ".join(parts) or "none"))  # fmt: skip
    if without:
        text += f". No ICOW claim with {', '.join(without)}"
    return text + ". Maritime boundary disputes are not in ICOW's land claims."
