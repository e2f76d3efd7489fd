"""Import every step module so that :data:`allegiance.panel.FAMILIES` is complete."""

from __future__ import annotations

import importlib

__all__ = ["STEP_MODULES"]

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
)

for _name in STEP_MODULES:
    try:
        importlib.import_module(f"allegiance.panel.{_name}")
    except ModuleNotFoundError as _exc:  # a module still being written; skip it
        if _exc.name != f"allegiance.panel.{_name}":
            raise
