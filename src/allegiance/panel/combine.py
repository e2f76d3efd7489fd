"""Dyadic sources keyed the way a panel's rows are, and the join that keeps the panel's rows."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from allegiance.panel.base import Panel
from allegiance.panel.months import join_month_attrs
from allegiance.panel.steps import join_dyad_attrs

__all__ = ["join_sources", "orient"]


def orient(
    attrs: pl.LazyFrame, panel: Panel, *, symmetric: bool, keys: Sequence[str] = ("year",)
) -> pl.LazyFrame:
    """``attrs`` keyed the way the panel's rows are: ordered pairs if directed, else sorted.

    ``attrs`` has ``ccode1, ccode2, *keys`` and value columns. A symmetric source (one row per
    unordered pair, ``ccode1 < ccode2``) is doubled into both orders for a directed panel; a
    directed source must already be reduced to sorted pairs by the caller for an undirected
    panel (how to combine the two directions is the source's business), so it passes as is.
    """
    if panel.directed and symmetric:
        swapped = attrs.rename({"ccode1": "ccode2", "ccode2": "ccode1"})
        return pl.concat([attrs, swapped.select(attrs.collect_schema().names())])
    return attrs


def join_sources(panel: Panel, attrs: pl.LazyFrame, columns: Sequence[str]) -> pl.LazyFrame:
    """Join merged, oriented ``attrs`` onto the panel: rows and order kept, ``validate="m:1"``.

    Dyad-month panels join on the month too. The join is on ``ccode1, ccode2`` as stored:
    :func:`orient` keys a directed panel's sources by ordered pair and an undirected panel's by
    sorted pair, the order :func:`~allegiance.panel.universe.dyad_years` gives its rows.
    """
    if panel.unit == "dyad_month":
        return join_month_attrs(panel, attrs, columns, symmetric=False)
    return join_dyad_attrs(panel, attrs, columns, symmetric=False)
