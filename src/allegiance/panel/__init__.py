"""Panels: state-year, dyad-year and k-adic universes and one ``add_*`` step per variable family."""

from allegiance.panel.base import Panel
from allegiance.panel.steps import FAMILIES
from allegiance.panel.universe import dyad_years, state_years, system_years

__all__ = ["FAMILIES", "Panel", "dyad_years", "state_years", "system_years"]
