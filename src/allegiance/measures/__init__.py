"""Measures: pure functions over panels (similarity, affinity, threat, animosity, commitment)."""

from allegiance.measures.registry import MEASURES, Scope, compute, get_measure

__all__ = ["MEASURES", "Scope", "compute", "get_measure"]
