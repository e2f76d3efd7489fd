"""Datasets: the catalog, the shipped parquet bundle, its build from raw files, downloads, codes.

The bundle readers are imported on first use (they need polars), so the catalog and the codes
load without them.
"""

from typing import TYPE_CHECKING

from allegiance.registry import lazy_exports

if TYPE_CHECKING:
    from allegiance.data.bundle import load, provenance, scan, table_names

__all__ = ["load", "provenance", "scan", "table_names"]

__getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(__all__, "allegiance.data.bundle"))
