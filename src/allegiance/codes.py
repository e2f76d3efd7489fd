"""Country codes for users: ``from allegiance.codes import resolve`` (see allegiance.data.codes)."""

from __future__ import annotations

from allegiance.data.codes import (
    Country,
    cow_to_gw,
    name_of,
    normalise_name,
    resolve,
    resolve_many,
    to_ccode,
    to_gwcode,
    to_iso3,
)

__all__ = [
    "Country",
    "cow_to_gw",
    "name_of",
    "normalise_name",
    "resolve",
    "resolve_many",
    "to_ccode",
    "to_gwcode",
    "to_iso3",
]
