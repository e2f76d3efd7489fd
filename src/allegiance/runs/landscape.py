"""One landscape analysis: sizes and propensities (from files or the data), the search."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from allegiance.errors import ParameterError
from allegiance.inputs.expected import design_frame
from allegiance.inputs.landscape import (
    EXPECTED_FIRST_YEAR,
    EXPECTED_FORMULA,
    PROPENSITIES,
    LandscapeInputs,
    actor_codes,
    actor_names,
    expected_pairs,
    propensity_index,
    read_landscape_files,
    state_sizes,
)
from allegiance.models.expected import ExpectedCooperation
from allegiance.models.landscape import Landscape
from allegiance.params import invalid
from allegiance.runs.result import RunMeta

__all__ = [
    "INDEX_SOURCES",
    "LandscapeResult",
    "expected_propensity",
    "landscape_inputs",
    "run_landscape",
]

#: The bundle tables the sizes and the propensity index are built from.
INDEX_SOURCES = (
    "cow_nmc",
    "atop_alliance",
    "gml_mid_ddydisps",
    "cow_democracy",
    "icow_claims",
    "un_votes",
)


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
    :func:`allegiance.inputs.landscape.propensity_index`) or ``"expected"``
    (:func:`expected_propensity`). Actors are named by their COW state abbreviation.

    >>> inputs = landscape_inputs(2016, [732, 740])
    >>> inputs.actors, inputs.propensity.shape
    (('ROK', 'JPN'), (2, 2))
    """
    codes = actor_codes(year, states)
    if propensity not in PROPENSITIES:
        raise invalid("propensity", f"be one of {', '.join(PROPENSITIES)}", propensity)
    sizes = state_sizes(year, codes, size)
    if propensity == "expected":
        prop, parts, used = expected_propensity(year, codes)
    else:
        prop, parts, used = propensity_index(year, codes, weights)
    return LandscapeInputs(actor_names(year, codes), tuple(codes), sizes, prop, parts, used)


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
    reported in ``years_used``. Takes about 20-30 s (the design frame of the whole system).
    """
    frame = design_frame(outcome, range(EXPECTED_FIRST_YEAR, year + 1))
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


@dataclass(frozen=True)
class LandscapeResult:
    """A landscape run: the fitted model, the inputs it was given, and metadata."""

    model: Landscape
    inputs: LandscapeInputs
    meta: RunMeta

    def to_dict(self) -> dict[str, Any]:
        """The stable configurations (see :meth:`Landscape.to_dict`) and, for a run from the
        data, the inputs with their provenance under ``inputs``."""
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
    sources = INDEX_SOURCES if year is not None else ()
    meta = RunMeta("landscape", params, model.seed_, sources,
                   (year, year) if year is not None else None)  # fmt: skip
    return LandscapeResult(model, inputs, meta)
