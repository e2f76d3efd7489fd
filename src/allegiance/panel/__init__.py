"""Panels: state-year, dyad-year and k-adic universes and one ``add_*`` step per variable family.

The step modules are listed once, below, in the order the codebook lists their families;
importing this package registers every family in :data:`FAMILIES`.

>>> from allegiance.panel import dyad_years, add_contiguity
>>> panel = dyad_years("cow", range(2000, 2001), states=[732, 740]).pipe(add_contiguity)
>>> panel.collect().select("ccode1", "ccode2", "conttype").row(0)
(732, 740, 4)
"""

# isort: off
from allegiance.panel import (  # noqa: F401  (each registers its families, in this order)
    contiguity,
    alliances,
    disputes,
    capabilities,
    democracy,
    distance,
    rivalries,
    igos,
    wars,
    troops,
    cooperation,
    territory,
    colonial,
    events,
    mid_sides,
    crises,
    diplomacy,
    korea_trade,
    missiles,
    peace,
)

# isort: on
from allegiance.panel.alliances import add_atop_alliance
from allegiance.panel.base import Panel
from allegiance.panel.build import build_panel
from allegiance.panel.capabilities import add_cow_majors, add_nmc
from allegiance.panel.colonial import add_icow_colonial
from allegiance.panel.contiguity import add_contiguity
from allegiance.panel.cooperation import add_dca, add_exercises
from allegiance.panel.crises import add_crises
from allegiance.panel.democracy import add_democracy
from allegiance.panel.diplomacy import add_diplomacy
from allegiance.panel.disputes import add_cow_mids, add_gml_mids
from allegiance.panel.distance import add_capital_distance, add_minimum_distance
from allegiance.panel.events import add_events
from allegiance.panel.igos import add_igos
from allegiance.panel.kadic import add_pairwise, kadic_from_dyads, kadic_to_dyads, kadic_years
from allegiance.panel.korea_trade import add_korea_trade
from allegiance.panel.mid_sides import add_mid_sides
from allegiance.panel.missiles import add_missile_tests
from allegiance.panel.months import dyad_months
from allegiance.panel.peace import add_peace_years
from allegiance.panel.rivalries import add_strategic_rivalries
from allegiance.panel.steps import FAMILIES
from allegiance.panel.territory import add_icow_claims
from allegiance.panel.troops import add_us_troops
from allegiance.panel.universe import dyad_years, state_years, system_years
from allegiance.panel.wars import add_cow_wars

__all__ = [
    "FAMILIES",
    "Panel",
    "add_atop_alliance",
    "add_capital_distance",
    "add_contiguity",
    "add_cow_majors",
    "add_cow_mids",
    "add_cow_wars",
    "add_crises",
    "add_dca",
    "add_democracy",
    "add_diplomacy",
    "add_events",
    "add_exercises",
    "add_gml_mids",
    "add_icow_claims",
    "add_icow_colonial",
    "add_igos",
    "add_korea_trade",
    "add_mid_sides",
    "add_minimum_distance",
    "add_missile_tests",
    "add_nmc",
    "add_pairwise",
    "add_peace_years",
    "add_strategic_rivalries",
    "add_us_troops",
    "build_panel",
    "dyad_months",
    "dyad_years",
    "kadic_from_dyads",
    "kadic_to_dyads",
    "kadic_years",
    "state_years",
    "system_years",
]
