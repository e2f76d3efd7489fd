"""Import every step module so that :data:`allegiance.panel.FAMILIES` is complete."""

from __future__ import annotations

import importlib

__all__ = ["FAMILY_ORDER", "STEP_MODULES"]

STEP_MODULES = (
    "contiguity",
    "alliances",
    "distance",
    "capabilities",
    "democracy",
    "igos",
    "disputes",
    "rivalries",
    "wars",
    "peace",
    "troops",
    "cooperation",
    "territory",
    "colonial",
    "events",
    "mid_sides",
    "diplomacy",
    "korea_trade",
    "crises",
    "missiles",
)

#: The CLI family names in the order the docs and ``panel variables`` list them.
FAMILY_ORDER = (
    "contiguity",
    "atop",
    "gml_mids",
    "cow_mids",
    "nmc",
    "majors",
    "democracy",
    "min_distance",
    "cap_distance",
    "rivalries",
    "igos",
    "wars",
    "troops",
    "dca",
    "exercises",
    "claims",
    "colonial",
    "events",
    "mid_sides",
    "crises",
    "diplomacy",
    "korea_trade",
    "missile_tests",
    "peace_years",
)

for _name in STEP_MODULES:
    importlib.import_module(f"allegiance.panel.{_name}")
