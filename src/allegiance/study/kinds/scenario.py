"""Evidence kind ``scenario_alignment``: a projection of alignment under chosen shocks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from allegiance.study.evidence import Finding, register_kind, resolve_actor

if TYPE_CHECKING:
    from allegiance.inputs.scenario import ScenarioFile

#: The shipped scenario files: ``allegiance.inputs.scenario.SCENARIO_DIR``, named here so that
#: registering the kind does not import the scenario format (pydantic models and numpy).
_SCENARIO_DIR = Path(__file__).resolve().parent.parent.parent / "scenarios"

__all__ = ["base_audit", "scenario_alignment", "shocks_table"]


def _dist(value: Any) -> str:
    """A number or a distribution of a scenario file, in words."""
    if isinstance(value, int | float):
        return f"{value:g}"
    fields = {k: v for k, v in value.model_dump().items() if k != "dist"}
    return f"{value.dist}({', '.join(f'{k}={v:g}' for k, v in fields.items())})"


def shocks_table(name: str, spec: ScenarioFile) -> pl.DataFrame:
    """One row per shock the analyst chose in a scenario: what, to whom, and how much."""
    rows = [{"scenario": name, "shock": "remove", "target": str(a), "operation": "remove",
             "value": ""} for a in spec.remove]  # fmt: skip
    rows += [{"scenario": name, "shock": "size", "target": str(s.actor),
              "operation": "multiply" if s.multiply is not None else "set",
              "value": _dist(s.multiply if s.multiply is not None else s.set)}
             for s in spec.size_shock]  # fmt: skip
    rows += [{"scenario": name, "shock": "propensity", "target": f"{p.pair[0]}-{p.pair[1]}",
              "operation": "add" if p.add is not None else "set",
              "value": _dist(p.add if p.add is not None else p.set)}
             for p in spec.propensity_shock]  # fmt: skip
    rows += [{"scenario": name, "shock": "new actor", "target": a.name, "operation": "add",
              "value": f"size {_dist(a.size)}"} for a in spec.add_actor]  # fmt: skip
    rows += [
        {
            "scenario": name,
            "shock": "uncertainty",
            "target": "every actor / pair",
            "operation": "size x, propensity +",
            "value": f"{_dist(spec.uncertainty.size)}; {_dist(spec.uncertainty.propensity)}",
        }
    ]
    return pl.DataFrame(rows, schema=dict.fromkeys(
        ["scenario", "shock", "target", "operation", "value"], pl.String))  # fmt: skip


@register_kind(
    "scenario_alignment",
    evidence_type="projection",
    required=("subject", "toward", "away", "test"),
    optional=("baseline", "draws", "seed"),
    lists=("test",),
    files={"test": _SCENARIO_DIR, "baseline": _SCENARIO_DIR},
)
def scenario_alignment(
    params: dict[str, Any], years: range, actors: dict[str, int | str]
) -> Finding:
    """Under the named scenarios, is ``subject`` more likely to share a bloc with ``toward``
    than with ``away``?

    A projection, not a test: each scenario file applies shocks the analyst chose to the
    landscape's inputs of its base year and runs seeded Monte Carlo draws; the table reads the
    probability that the subject shares a bloc with each candidate (basin-weighted), and the
    ``shocks`` table lists every shock. The ``test`` scenarios are those where US weight falls;
    ``baseline`` is shown for comparison. The ``audit`` table shows the propensity audit of
    the base year (:func:`base_audit`): why each pair attracts or repels before the shocks.
    Projections get no verdict: they follow from the shocks, not from data about those
    years.
    """
    from allegiance.inputs.scenario import load_scenario_file, scenario_path
    from allegiance.runs.landscape import INDEX_SOURCES, audit_note
    from allegiance.runs.scenario import run_scenario

    subj, toward, away = (_abb(actors, params[k]) for k in ("subject", "toward", "away"))
    rows, shocks = [], []
    bases: dict[tuple[int, str, str], list[int]] = {}
    for name in [params.get("baseline", "baseline"), *params["test"]]:
        result = run_scenario(name, draws=int(params.get("draws", 1000)),
                              seed=int(params.get("seed", 1)))  # fmt: skip
        spec = load_scenario_file(scenario_path(name))
        shocks.append(shocks_table(name, spec))
        codes = bases.setdefault((result.plan.base_year, spec.size_source,
                                  spec.propensity_source), [])  # fmt: skip
        codes += [c for c in result.plan.codes if c is not None and c not in codes]
        top = result.configurations().row(0, named=True)
        rows.append({"scenario": name, "test": name in params["test"],
                     "base_year": result.plan.base_year,
                     f"p_{subj}_with_{toward}": result.p_together(subj, toward),
                     f"p_{subj}_with_{away}": result.p_together(subj, away),
                     "most_probable": top["configuration"],
                     "p_most_probable": top["p_basin"]})  # fmt: skip
    table = pl.DataFrame(rows)
    audit = base_audit(bases)
    tests = table.filter(pl.col("test"))
    wins = sum(r[f"p_{subj}_with_{toward}"] > r[f"p_{subj}_with_{away}"]
               for r in tests.iter_rows(named=True))  # fmt: skip
    return Finding(
        table=table,
        stats={"wins": wins, "tests": tests.height},
        summary=f"In {wins} of {tests.height} scenarios where US weight falls, P({subj} with "
        f"{toward}) exceeds P({subj} with {away}); " + "; ".join(
            f"{r['scenario']}: {r[f'p_{subj}_with_{toward}']:.2f} vs "
            f"{r[f'p_{subj}_with_{away}']:.2f}" for r in rows) + ".",
        certainty="low",
        reason="The shocks are assumptions and the propensities come from a documented index "
        "at the scenarios' base year; the probabilities carry the stated uncertainty only. "
        + audit_note(audit),
        settle="Observed alignment after an actual reduction of US presence.",
        figure="scenario_probabilities",
        sources=INDEX_SOURCES,
        tables={"shocks": pl.concat(shocks), "audit": audit},
    )  # fmt: skip


def base_audit(bases: dict[tuple[int, str, str], list[int]]) -> pl.DataFrame:
    """The propensity audit of the scenarios' base year: for every pair of the actors that
    come from the data, each component's raw value, weight, contribution, source year and
    carried-forward flag (see :func:`allegiance.runs.landscape.landscape_inputs`); one audit
    per base year, size and propensity rule the scenarios use. Pairwise propensities do not
    depend on the other actors, so the audit of all the scenarios' actors covers each
    scenario's base propensities (before its shocks)."""
    from allegiance.runs.landscape import landscape_inputs

    audits = [landscape_inputs(year, codes, size=size, propensity=rule).audit
              for (year, size, rule), codes in bases.items() if len(codes) >= 2]  # fmt: skip
    return pl.concat(audits) if audits else pl.DataFrame()


def _abb(actors: dict[str, int | str], label: str) -> str:
    """The COW abbreviation of an actor (the scenario files name actors by it)."""
    from allegiance.data.codes import resolve

    return resolve(resolve_actor(actors, label)).abb
