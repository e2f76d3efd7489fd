"""One structural-balance analysis: the signed network of some states in a year, and its balance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allegiance.inputs.balance import SignedNetwork, signed_network
from allegiance.models.balance import StructuralBalance
from allegiance.runs.result import RunMeta

__all__ = ["BALANCE_SOURCES", "BalanceResult", "run_balance"]

#: The bundle tables the signed ties come from.
BALANCE_SOURCES = (
    "atop_alliance",
    "dcad",
    "gml_mid_ddydisps",
    "cow_mid_ddydisps",
    "tss_rivalries",
)


@dataclass(frozen=True)
class BalanceResult:
    """A balance run: the signed network, the fitted model, and metadata."""

    network: SignedNetwork
    model: StructuralBalance
    meta: RunMeta

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: year, states, the sources covering the year, the ties and the balance."""
        net = self.network
        return {
            "year": net.year,
            "states": list(net.codes),
            "sources_covering_year": [c for c, ok in net.covered.items() if ok],
            "ties": net.ties.to_dicts(),
            **self.model.summary(),
        }


def run_balance(
    *,
    year: int,
    states: Sequence[int | str],
    mixed: str = "negative",
    method: str = "exact",
    seed: int | None = None,
) -> BalanceResult:
    """Signed ties of ``states`` in ``year`` (:func:`allegiance.inputs.balance.signed_network`),
    their triad census, frustration index and the partitions attaining it."""
    network = signed_network(year, states, mixed=mixed)
    model = StructuralBalance(method=method, random_state=seed).fit(
        network.signs, actors=network.actors
    )
    params = {"year": year, "states": list(network.codes), "mixed": mixed, "method": method}
    meta = RunMeta("balance", params, seed, BALANCE_SOURCES, (year, year))
    return BalanceResult(network, model, meta)
