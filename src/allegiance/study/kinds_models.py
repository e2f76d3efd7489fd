"""Evidence kinds computed from the models (filled in as the models land)."""

from __future__ import annotations

__all__: list[str] = []
