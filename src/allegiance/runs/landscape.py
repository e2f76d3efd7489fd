"""One landscape analysis: sizes and propensities (from files or the data), the search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from allegiance.errors import ParameterError
from allegiance.inputs.ab1993 import AB1993_SOURCES
from allegiance.inputs.expected import design_frame
from allegiance.inputs.landscape import (
    EXPECTED_FIRST_YEAR,
    EXPECTED_FORMULA,
    PROPENSITIES,
    LandscapeInputs,
    actor_codes,
    actor_names,
    expected_audit,
    expected_pairs,
    read_landscape_files,
    rule_propensities,
    state_sizes,
)
from allegiance.inputs.propensity import NO_DATA, NO_SOURCE
from allegiance.models.expected import ExpectedCooperation
from allegiance.models.landscape import Landscape
from allegiance.params import invalid
from allegiance.runs.result import RunMeta

__all__ = [
    "AB1993_SOURCES",
    "INDEX_SOURCES",
    "LandscapeResult",
    "audit_note",
    "carried_sources",
    "expected_propensity",
    "landscape_inputs",
    "propensity_sources",
    "run_landscape",
]

#: The bundle tables the sizes and the propensity index are built from.
INDEX_SOURCES = (
    "cow_nmc",
    "atop_alliance",
    "gml_mid_ddydisps",
    "cow_democracy",
    "cow_war_inter",
    "icow_claims",
    "icow_colonial",
    "un_votes",
)


def propensity_sources(propensity: str) -> tuple[str, ...]:
    """The bundle tables a landscape from the data reads with the ``propensity`` rule (sizes:
    ``cow_nmc``).

    >>> propensity_sources("ab1993")[:2]
    ('cow_nmc', 'cow_democracy')
    """
    if propensity == "ab1993":
        return ("cow_nmc", *AB1993_SOURCES)
    return INDEX_SOURCES


def landscape_inputs(
    year: int,
    states: Sequence[int | str],
    *,
    size: str = "cinc",
    propensity: str = "index",
    weights: Mapping[str, float] | None = None,
) -> LandscapeInputs:
    """Sizes and propensities of ``states`` in ``year`` from the bundle.

    ``size`` is one of :data:`~allegiance.inputs.landscape.SIZES`; ``propensity`` is
    ``"index"`` (the documented additive index of
    :func:`allegiance.inputs.propensity.index_propensities`), ``"ab1993"`` (Axelrod and
    Bennett's five factors, :func:`allegiance.inputs.ab1993.ab1993_propensities`) or
    ``"expected"`` (:func:`expected_propensity`). Actors are named by their COW state
    abbreviation. The inputs carry the propensity audit (one row per pair and component:
    raw value, weight, contribution, the year of the source read and whether it is carried
    forward) and name the components without data in ``year`` (``absent``); a rule of the
    data works for any year of the COW system with the components that exist that year.

    >>> inputs = landscape_inputs(2016, [732, 740])
    >>> inputs.actors, inputs.propensity.shape
    (('ROK', 'JPN'), (2, 2))
    """
    codes = actor_codes(year, states)
    if propensity not in PROPENSITIES:
        raise invalid("propensity", f"be one of {', '.join(PROPENSITIES)}", propensity)
    sizes = state_sizes(year, codes, size)
    names = actor_names(year, codes)
    if propensity == "expected":
        prop, parts, used = expected_propensity(year, codes)
        audit = expected_audit(year, codes, prop, parts, used["expected"])
        return LandscapeInputs(names, tuple(codes), sizes, prop, parts, used, audit)
    out = rule_propensities(propensity, year, codes, weights)
    return LandscapeInputs(names, tuple(codes), sizes, out.matrix, out.components,
                           out.years_used, out.audit, out.absent)  # fmt: skip


def expected_propensity(
    year: int, codes: Sequence[int], *, outcome: str = "atop_defense"
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, int]]:
    r"""Propensities from the expected-cooperation model for ``codes`` in ``year``.

    A clustered logit of ``outcome`` on
    :data:`~allegiance.inputs.landscape.EXPECTED_FORMULA` is fitted on every COW dyad-year
    from 1950 to ``year`` (no later information), and

    .. math:: p_{ij} = \hat P_{ij} - \bar P

    where :math:`\hat P_{ij}` is the pair's expected probability of the outcome in ``year`` and
    :math:`\bar P` the mean expected probability over all dyads that year: pairs expected to
    cooperate more than the average dyad attract, the rest repel. A pair with a missing
    predictor gets propensity 0 (reported in ``components["missing"]``). When ``year`` has no
    complete dyad-years (predictors end before it), the latest year that has them is used and
    reported in ``years_used``. Predictors are of the same year as the outcome (``lag=0``):
    the propensity describes the pair's circumstances in ``year``. Takes about 20-30 s (the
    design frame of the whole system).
    """
    frame = design_frame(outcome, range(EXPECTED_FIRST_YEAR, year + 1), lag=0)
    model = ExpectedCooperation(outcome=outcome, formula=EXPECTED_FORMULA, estimator="logit",
                                split=None).fit(frame)  # fmt: skip
    scored = model.expected(frame)
    complete = scored.filter(pl.col("year") <= year)["year"]
    if complete.len() == 0:
        raise ParameterError(
            f"The expected-cooperation model has no complete dyad-years up to {year}."
        )
    used = min(year, int(complete.max()))  # type: ignore[arg-type]
    prop, parts = expected_pairs(scored.filter(pl.col("year") == used), codes)
    return prop, parts, {"expected": used}


def carried_sources(audit: pl.DataFrame) -> dict[str, str]:
    """The components an audit reads past their source's last year: name -> ``"table to
    year"``.

    >>> carried_sources(pl.DataFrame({"component": ["claims"], "source": ["icow_claims"],
    ...                               "source_year": [2001], "carried": [True]}))
    {'claims': 'icow_claims to 2001'}
    """
    if not audit.height:
        return {}
    rows = audit.filter(pl.col("carried")).unique(["component"], maintain_order=True)
    return {c: f"{s} to {y}" for c, s, y in rows.select("component", "source",
                                                        "source_year").iter_rows()}  # fmt: skip


def audit_note(audit: pl.DataFrame) -> str:
    """In words: which components a propensity audit reads past their source's last year (with
    the years asked), and which have no data (counted 0)."""
    if not audit.height:
        return ""
    carried = audit.filter(pl.col("carried")).group_by("component", "source", "source_year").agg(
        pl.col("year").unique().sort()).sort("component", "source_year")  # fmt: skip
    parts = [f"{c} ({s} to {y}) in {', '.join(map(str, ys))}"
             for c, s, y, ys in carried.iter_rows()]  # fmt: skip
    absent = audit.filter(pl.col("status").is_in([NO_DATA, NO_SOURCE]))
    gone = sorted(set(absent["component"].to_list()))
    note = ("Carried past their sources' last year (flagged in the audit): " + "; ".join(parts)
            + "." if parts else "No component is carried past its source's last year.")  # fmt: skip
    return note + (f" Without data (counted 0): {', '.join(gone)}." if gone else "")


@dataclass(frozen=True)
class LandscapeResult:
    """A landscape run: the fitted model, the inputs it was given, and metadata."""

    model: Landscape
    inputs: LandscapeInputs
    meta: RunMeta

    def to_dict(self) -> dict[str, Any]:
        """The stable configurations (see :meth:`Landscape.to_dict`) and, for a run from the
        data, the inputs with their provenance under ``inputs``: the years each component was
        read at, the components without data that year (``absent``), those carried past
        their source's last year (``carried``) and the propensity audit (``audit``, one record
        per pair and component)."""
        result = self.model.to_dict()
        if self.meta.params.get("year") is not None:
            result["inputs"] = {
                "year": self.meta.params["year"],
                "ccodes": list(self.inputs.ccodes),
                "size": self.meta.params["size"],
                "sizes": self.inputs.sizes.tolist(),
                "propensity": self.meta.params["propensity"],
                "propensities": self.inputs.propensity.round(6).tolist(),
                "years_used": self.inputs.years_used,
                "absent": self.inputs.absent,
                "carried": carried_sources(self.inputs.audit),
                "audit": self.inputs.audit.to_dicts(),
            }
        return result


def run_landscape(
    *,
    year: int | None = None,
    states: Sequence[int | str] | None = None,
    size: str = "cinc",
    propensity: str = "index",
    sizes_file: Path | None = None,
    propensities_file: Path | None = None,
    inputs: LandscapeInputs | None = None,
    n_blocs: int = 2,
    method: str = "exact",
    fixed: Mapping[str, int] | None = None,
    temperature: float = 0.0,
    n_starts: int = 200,
    seed: int | None = None,
) -> LandscapeResult:
    """Find the stable configurations of a landscape (Axelrod & Bennett 1993) and their basins.

    The inputs come from exactly one place: ``year`` and ``states`` (sizes and propensities
    from the bundle, see :func:`landscape_inputs`), the two CSV files ``sizes_file`` and
    ``propensities_file`` (:func:`allegiance.inputs.landscape.read_landscape_files`), or
    ready ``inputs``.
    """
    given = [year is not None, sizes_file is not None or propensities_file is not None,
             inputs is not None]  # fmt: skip
    if sum(given) != 1:
        raise ParameterError(
            "Give the landscape's inputs one way: a year and states (from the data), the two "
            "files of sizes and propensities, or ready inputs."
        )
    if year is not None:
        if not states:
            raise ParameterError("A landscape from the data needs states as well as a year.")
        inputs = landscape_inputs(year, states, size=size, propensity=propensity)
    elif inputs is None:
        if sizes_file is None or propensities_file is None:
            raise ParameterError("Give both files: the sizes and the propensities.")
        inputs = read_landscape_files(sizes_file, propensities_file)
    model = Landscape(n_blocs=n_blocs, method=method, fixed=dict(fixed) if fixed else None,
                      temperature=temperature, n_starts=n_starts, random_state=seed)  # fmt: skip
    model.fit(inputs.sizes, inputs.propensity, actors=inputs.actors)
    states_used = [*inputs.ccodes] if inputs.ccodes else [*inputs.actors]
    params = {"year": year, "states": states_used, "size": size, "propensity": propensity,
              "n_blocs": n_blocs, "method": method, "fixed": dict(fixed or {}),
              "temperature": temperature, "n_starts": n_starts}  # fmt: skip
    sources = propensity_sources(propensity) if year is not None else ()
    meta = RunMeta("landscape", params, model.seed_, sources,
                   (year, year) if year is not None else None)  # fmt: skip
    return LandscapeResult(model, inputs, meta)
