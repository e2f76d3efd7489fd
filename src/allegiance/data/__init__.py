"""Datasets: the catalog, the shipped parquet bundle, its build from raw files, downloads, codes."""

from allegiance.data.bundle import load, provenance, scan, table_names

__all__ = ["load", "provenance", "scan", "table_names"]
