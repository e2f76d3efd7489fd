"""Import every measure module so that :data:`allegiance.measures.MEASURES` is complete."""

from __future__ import annotations

import importlib

__all__ = ["MEASURE_MODULES"]

MEASURE_MODULES = (
    "similarity",
    "affinity",
    "threat",
    "animosity",
    "culture",
    "commitment",
    "capability",
)

for _name in MEASURE_MODULES:
    importlib.import_module(f"allegiance.measures.{_name}")
