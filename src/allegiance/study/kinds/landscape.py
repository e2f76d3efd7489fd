"""Evidence kind ``landscape_without``: without the patron, would two clients split?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from allegiance.study.evidence import Finding, Threshold, Verdict, register_kind, resolve_actor

__all__ = ["decide_without", "landscape_without"]

THRESHOLDS = (
    Threshold("support_share", 0.5, "share of the years in which the pair must be split in "
              "most basins without the patron", low=0.0, high=1.0),
    Threshold("split_share", 0.5, "a pair is split in a year when it shares a bloc in less "
              "than this share of the basins", low=0.0, high=1.0),
)  # fmt: skip


def decide_without(stats: Mapping[str, Any], t: Mapping[str, float]) -> tuple[Verdict, str]:
    """Supported when, in at least ``support_share`` of the years, the pair shares a bloc in
    less than ``split_share`` of the basins without the patron; not supported when it is
    never split; otherwise mixed.

    >>> decide_without({"together_without": [0.2, 0.7]}, {"support_share": 0.5,
    ...                                                   "split_share": 0.5})[0]
    'supported'
    """
    split = [v < t["split_share"] for v in stats["together_without"]]
    share = sum(split) / len(split) if split else 0.0
    reason = f"the pair is split without the patron in {sum(split)} of {len(split)} years"
    if share >= t["support_share"]:
        return "supported", reason
    return ("not supported" if not any(split) else "mixed"), reason


def _together(model: Any, a: str, b: str) -> float:
    """Share of starting configurations (basins) ending with ``a`` and ``b`` in one bloc."""
    total = sum(c.basin_size for c in model.stable_)
    same = sum(c.basin_size for c in model.stable_ if any(a in bl and b in bl for bl in c.blocs))
    return same / total if total else float("nan")


def _blocs(model: Any) -> str:
    return " / ".join(" | ".join(" ".join(bl) for bl in c.blocs if bl) for c in model.stable_)


@register_kind(
    "landscape_without",
    evidence_type="model",
    decide=decide_without,
    thresholds=THRESHOLDS,
    required=("remove", "pair", "rival", "years"),
    optional=("propensity",),
    lists=("pair", "years"),
)
def landscape_without(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Without ``remove`` (the patron), do ``pair`` balance against each other?

    For each year in ``params["years"]``, the landscape (Axelrod & Bennett 1993; two blocs,
    exact, sizes = CINC, propensities = the documented additive index of
    :func:`allegiance.inputs.propensity.index_propensities`, or with ``propensity =
    "ab1993"`` Axelrod and Bennett's five factors) of all study actors, and again with
    ``remove`` taken out (the same sizes and pairwise propensities less the patron's). The
    evidence is the share of starting configurations (basins) that end with the pair in one
    bloc, and with the first of the pair beside ``rival``. The ``audit`` table gives, for
    every pair and year, each component's raw value, weight and contribution to the
    propensity, the year of the source read and whether it is carried past the source's
    last year. See :func:`decide_without` for the verdict.
    """
    from allegiance.runs.landscape import (
        audit_note,
        landscape_inputs,
        propensity_sources,
        run_landscape,
    )

    codes = [resolve_actor(actors, label) for label in actors]
    removed = resolve_actor(actors, params["remove"])
    a_code, b_code = (resolve_actor(actors, p) for p in params["pair"])
    rival = resolve_actor(actors, params["rival"])
    rule = str(params.get("propensity", "index"))
    rows, audits = [], []
    for year in params["years"]:
        full = landscape_inputs(int(year), codes, propensity=rule)
        names = dict(zip(full.ccodes, full.actors, strict=True))
        without = full.subset([c for c in codes if c != removed])
        fitted = {
            label: run_landscape(inputs=inp, n_blocs=2, method="exact").model
            for label, inp in (("with", full), ("without", without))
        }
        a, b, r = names[a_code], names[b_code], names[rival]
        audits.append(full.audit)
        rows.append({
            "year": int(year),
            "pair_together_with_patron": _together(fitted["with"], a, b),
            "pair_together_without_patron": _together(fitted["without"], a, b),
            "first_with_rival_without_patron": _together(fitted["without"], a, r),
            "second_with_rival_without_patron": _together(fitted["without"], b, r),
            "pair_propensity": float(full.propensity[codes.index(a_code), codes.index(b_code)]),
            "stable_with_patron": _blocs(fitted["with"]),
            "stable_without_patron": _blocs(fitted["without"]),
        })  # fmt: skip
    table = pl.DataFrame(rows)
    audit = pl.concat(audits)
    return Finding(
        table=table,
        stats={"together_without": table["pair_together_without_patron"].to_list()},
        summary="; ".join(f"{r['year']}: pair together {r['pair_together_with_patron']:.2f} "
                          f"with the patron, {r['pair_together_without_patron']:.2f} without"
                          for r in rows),
        certainty="low",
        reason="The landscape is a model: propensities come from a documented rule "
        f"({_RULES[rule]}), not from behaviour. " + audit_note(audit),
        settle="Propensities estimated from behaviour rather than an index, and a case where the "
        "patron actually withdrew.",
        figure="landscape_with_without",
        figure_args={"pair": [names[a_code], names[b_code]]},
        sources=propensity_sources(rule),
        tables={"audit": audit},
    )  # fmt: skip


_RULES = {
    "index": "alliances, shared opponents, democracy, animosity, claims, UN agreement",
    "ab1993": "Axelrod and Bennett's five factors",
    "expected": "the expected-cooperation model",
}
