"""Machinery every ``add_*`` step shares: unit checks, row-preserving joins, the family registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from allegiance.data.coverage import table_years as coverage
from allegiance.errors import PanelUnitError, ParameterError
from allegiance.panel.base import Panel, Unit
from allegiance.references import with_references
from allegiance.registry import Registry

__all__ = [
    "FAMILIES",
    "Family",
    "Variable",
    "check_new_columns",
    "coverage",
    "family_citations",
    "fill_within",
    "join_dyad_attrs",
    "join_state_attrs",
    "register",
    "require_unit",
]


@dataclass(frozen=True)
class Variable:
    """One column a step adds: its name, meaning, polars type name, source table and years.

    For dyad-year panels a state attribute ``x`` appears as ``x1`` and ``x2``; ``dyadic=False``
    marks such state attributes. ``units`` restricts a column to some of the family's units
    (``None``: every unit the family applies to).
    """

    name: str
    meaning: str
    dtype: str
    dataset: str
    years: tuple[int, int] | None
    dyadic: bool = True
    units: tuple[Unit, ...] | None = None


@dataclass(frozen=True)
class Family:
    """A variable family: the CLI name, the step, the units it applies to and its columns."""

    name: str
    step: Callable[..., Panel]
    units: tuple[Unit, ...]
    variables: tuple[Variable, ...]


#: Every variable family by CLI name, filled when :mod:`allegiance.panel` is imported.
FAMILIES: Registry[Family] = Registry("variable family", "families")


def register(
    name: str,
    units: Sequence[Unit],
    variables: Sequence[Variable],
    *,
    citations: Sequence[str] = (),
) -> Callable[[Callable[..., Panel]], Callable[..., Panel]]:
    """Decorator adding a step to :data:`FAMILIES` under its CLI family ``name``.

    The step's ``References`` section is rendered from ``references.bib``: the citation keys
    of its variables' datasets (``catalog.toml``), then ``citations``, the works the step
    cites beyond its data (peacesciencer, whose coding it follows; a method it implements).
    """

    def wrap(step: Callable[..., Panel]) -> Callable[..., Panel]:
        FAMILIES.add(name, Family(name, step, tuple(units), tuple(variables)))
        step.__doc__ = with_references(step.__doc__, family_citations(variables, citations))
        return step

    return wrap


def family_citations(variables: Sequence[Variable], extra: Sequence[str] = ()) -> list[str]:
    """Citation keys of the variables' datasets, in order, then ``extra``; each key once."""
    from allegiance.data.catalog import get

    keys = [k for v in variables for k in get(v.dataset).citation_keys]
    return list(dict.fromkeys([*keys, *extra]))


_UNIT_NAMES = {
    "state_year": "state-year",
    "dyad_year": "dyad-year",
    "dyad_month": "dyad-month",
    "kadic_year": "k-adic-year",
}
_STARTERS = {
    "state_year": "state_years()",
    "dyad_year": "dyad_years()",
    "dyad_month": "dyad_months()",
    "kadic_year": "kadic_years()",
}


def require_unit(panel: Panel, func: str, *units: Unit, system: str | None = None) -> None:
    """Raise PanelUnitError unless ``panel.unit`` is one of ``units`` (and the system matches)."""
    if panel.unit not in units:
        wanted = " or ".join(_UNIT_NAMES[u] for u in units)
        start = " or ".join(_STARTERS[u] for u in units)
        raise PanelUnitError(
            f"{func}() needs a {wanted} panel; got a {_UNIT_NAMES[panel.unit]} panel. "
            f"Start the chain with {start}."
        )
    if system is not None and panel.system != system:
        raise PanelUnitError(
            f"{func}() needs a panel of the {system.upper()} system; got a "
            f"{panel.system.upper()} panel. Build it with system={system!r}."
        )


def join_state_attrs(panel: Panel, attrs: pl.LazyFrame, columns: Sequence[str]) -> pl.LazyFrame:
    """Join state-year attributes (``code, year, *columns``) onto a panel, keeping its rows.

    State-year panels get ``columns`` as they are; dyad-year panels get ``<col>1`` for the first
    state and ``<col>2`` for the second. ``attrs`` must be unique by ``(code, year)``.
    """
    code = panel.code
    attrs = attrs.select(pl.col(code).cast(pl.Int32), pl.col("year").cast(pl.Int16), *columns)
    if panel.unit == "state_year":
        return _left_join(panel.frame, attrs, [code, "year"])
    frame = panel.frame
    for side in ("1", "2"):
        renamed = attrs.rename({code: f"{code}{side}", **{c: f"{c}{side}" for c in columns}})
        frame = _left_join(frame, renamed, [f"{code}{side}", "year"])
    return frame


def join_dyad_attrs(
    panel: Panel, attrs: pl.LazyFrame, columns: Sequence[str], *, symmetric: bool
) -> pl.LazyFrame:
    """Join dyad-year attributes (``code1, code2, year, *columns``) keeping the panel's rows.

    With ``symmetric=True`` the values hold for both directions of an unordered pair: the source
    may list a pair in either order (or both, with equal values), and both sides are joined on
    one key of (smaller code, larger code, year). ``attrs`` must then be unique by unordered
    pair and year; otherwise by ordered pair and year.
    """
    c1, c2 = f"{panel.code}1", f"{panel.code}2"
    if symmetric:
        right = attrs.select(_pair_key(c1, c2), *columns).collect()
        frame = panel.frame.with_columns(_pair_key(c1, c2))
        return _join_collected(frame, right, "_pairkey", dedupe=True).drop("_pairkey")
    keys = [c1, c2, "year"]
    attrs = attrs.select(
        pl.col(c1).cast(pl.Int32),
        pl.col(c2).cast(pl.Int32),
        pl.col("year").cast(pl.Int16),
        *columns,
    )
    return _left_join(panel.frame, attrs, keys)


def _pair_key(c1: str, c2: str) -> pl.Expr:
    """One Int64 key for an unordered pair of state codes and a year (codes below 10**6)."""
    lo = pl.min_horizontal(c1, c2).cast(pl.Int64)
    hi = pl.max_horizontal(c1, c2).cast(pl.Int64)
    return ((lo * 1_000_000 + hi) * 10_000 + pl.col("year").cast(pl.Int64)).alias("_pairkey")


def fill_within(
    columns: Sequence[str],
    years: tuple[int, int],
    dtype: pl.DataType | type[pl.DataType] | None = None,
) -> list[pl.Expr]:
    """Missing values become 0 inside ``years`` (the source records absence as no row) and
    every value is null outside them (the source says nothing there); cast to ``dtype``."""
    inside = pl.col("year").is_between(*years)
    out = []
    for c in columns:
        filled = pl.when(inside).then(pl.col(c).fill_null(0)).otherwise(None)
        out.append((filled if dtype is None else filled.cast(dtype)).alias(c))
    return out


def check_new_columns(panel: Panel, func: str, columns: Sequence[str], hint: str) -> None:
    """Raise ParameterError if a step would add a column the panel already has."""
    present = set(panel.frame.collect_schema().names())
    clash = [c for c in columns if c in present]
    if clash:
        raise ParameterError(
            f"{func}() would add columns the panel already has: {', '.join(clash)}. {hint}"
        )


def _left_join(frame: pl.LazyFrame, attrs: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """A left join that keeps the panel's rows and order and refuses duplicate keys on the right.

    Integer keys (codes and year) are packed into one Int64 first: joining on one column is
    markedly faster than on three for panels of millions of rows.
    """
    packed = _packed_key(keys)
    right = attrs.with_columns(packed).drop(keys).collect()
    return _join_collected(frame.with_columns(packed), right, "_key").drop("_key")


#: From this many rows on the right, :func:`_lookup_join` beats polars's hash join: building
#: the hash table of a large table (``cow_mindist``: 950,000 pair-years) costs more than
#: probing it, while for small tables the hash join is the cheaper of the two.
_LOOKUP_MIN_ROWS = 200_000


def _join_collected(
    frame: pl.LazyFrame, right: pl.DataFrame, key: str, *, dedupe: bool = False
) -> pl.LazyFrame:
    """``frame`` left-joined with the collected ``right`` on Int64 ``key``, ``validate="m:1"``.

    ``dedupe`` first drops rows of ``right`` that repeat another row exactly (a symmetric
    source may list a pair in both orders with equal values). Large right sides go through
    :func:`_lookup_join`, small ones through polars's join; both give the same rows.
    """
    if right.height < _LOOKUP_MIN_ROWS:
        if dedupe:
            right = right.unique()
        right = right.rechunk()  # one chunk: the join then gathers its values by plain index
        return frame.join(right.lazy(), on=key, how="left", validate="m:1", maintain_order="left")
    return _lookup_join(frame, right, key, dedupe=dedupe)


def _lookup_join(
    frame: pl.LazyFrame, right: pl.DataFrame, key: str, *, dedupe: bool = False
) -> pl.LazyFrame:
    """``frame`` left-joined with ``right`` on the Int64 column ``key``, as ``validate="m:1"``.

    The same rows, order and values as polars's left join with ``validate="m:1"`` and
    ``maintain_order="left"`` (null keys match nothing; a value column whose name the frame
    already has arrives as ``<name>_right``), computed differently: ``right`` is sorted by
    ``key`` once and each panel row finds its match by binary search (numpy) and takes the
    values by position, so no hash table of ``right`` is built. ``dedupe`` as in
    :func:`_join_collected`; it costs nothing when the sorted keys are already distinct.
    Duplicate keys raise polars's ``ComputeError`` here, when the step is added, rather than
    when the panel is collected.
    """
    import numpy as np  # only here: a panel without a large table does not load numpy

    if right[key].null_count():
        right = right.filter(pl.col(key).is_not_null())
    if not right[key].is_sorted():
        right = right.sort(key)
    if dedupe and _has_duplicates(right[key]):
        right = right.unique().sort(key)
    if _has_duplicates(right[key]):
        raise pl.exceptions.ComputeError(
            f"join keys did not fulfill m:1 validation: the right side repeats a {key!r} value"
        )
    values = right.drop(key)
    n = right.height
    present = set(frame.collect_schema().names())
    names = {c: f"{c}_right" if c in present else c for c in values.columns}
    sorted_keys = right[key].to_numpy()

    def positions(keys: pl.Series) -> pl.Series:
        """Row of ``right`` holding each key, or null (gathers a null) where none does."""
        wanted = keys.fill_null(0).to_numpy()
        at = np.minimum(np.searchsorted(sorted_keys, wanted), max(n - 1, 0))
        hit = (sorted_keys[at] == wanted) if n else np.zeros(len(wanted), dtype=bool)
        hit &= ~keys.is_null().to_numpy()
        return pl.Series(at, dtype=pl.Int64).scatter(np.flatnonzero(~hit), None)

    pos = (
        pl.col(key)
        .cast(pl.Int64)
        .map_batches(positions, return_dtype=pl.Int64, is_elementwise=True)
    )
    gathered = [pl.lit(values[c]).gather(pl.col("_pos")).alias(names[c]) for c in values.columns]
    return frame.with_columns(pos.alias("_pos")).with_columns(gathered).drop("_pos")


def _has_duplicates(sorted_keys: pl.Series) -> bool:
    """Whether a sorted key column repeats a value (compares each value with the next)."""
    return sorted_keys.len() > 1 and bool((sorted_keys[1:] == sorted_keys[:-1]).any())


def _packed_key(keys: list[str]) -> pl.Expr:
    """``k1 * 10**(4*(n-1)) ... + year`` as Int64: unique for codes and years below 10,000."""
    expr = pl.lit(0, dtype=pl.Int64)
    for key in keys:
        expr = expr * 10_000 + pl.col(key).cast(pl.Int64)
    return expr.alias("_key")
