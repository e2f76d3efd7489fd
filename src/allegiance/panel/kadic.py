"""K-adic universes: triads and larger groups of states by year, and their dyads."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import polars as pl

from allegiance.errors import ParameterError
from allegiance.panel.base import Panel, System
from allegiance.panel.steps import require_unit
from allegiance.panel.universe import _check_system, resolve_states, state_years

__all__ = [
    "MAX_GROUPS",
    "MAX_STATES",
    "add_pairwise",
    "kadic_from_dyads",
    "kadic_to_dyads",
    "kadic_years",
]

MAX_STATES = 40
"""Most states :func:`kadic_years` combines when it builds every k-combination itself."""

MAX_GROUPS = 100_000
"""Most groups :func:`kadic_years` builds from all k-combinations of ``states``."""

_ID = "kadic_id"
_PAIR = "pair"


def _check_k(k: object, func: str) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 3 <= k <= 9:
        raise ParameterError(
            f"The 'k' parameter of {func}() must be an integer from 3 to 9. Got {k!r} "
            "instead. For pairs of states use dyad_years()."
        )
    return k


def _explicit_groups(
    groups: Sequence[Sequence[int | str]], k: int, system: System
) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    for group in groups:
        if isinstance(group, (str, bytes)) or len(group) != k:
            raise ParameterError(
                f"The 'groups' parameter of kadic_years() must hold groups of k={k} states. "
                f"Got {group!r} instead."
            )
        codes = tuple(resolve_states(list(group), system))
        if len(set(codes)) != k:
            raise ParameterError(
                f"The 'groups' parameter of kadic_years() must hold {k} different states per "
                f"group. Got {group!r} instead."
            )
        out.append(codes)
    return list(dict.fromkeys(out))


def _combination_groups(
    states: Sequence[int | str] | None, k: int, system: System
) -> list[tuple[int, ...]]:
    if states is None:
        raise ParameterError(
            "kadic_years() needs either 'groups' or 'states'. Got neither. Pass groups=[(2, 740, "
            "732)] or states=[2, 740, 732, 731, 710] (every k-combination is built)."
        )
    codes = sorted(set(resolve_states(list(states), system)))
    if len(codes) > MAX_STATES:
        raise ParameterError(
            f"The 'states' parameter of kadic_years() may hold at most {MAX_STATES} states when "
            f"every combination is built. Got {len(codes)} instead. Pass the groups you need "
            "with 'groups'."
        )
    if len(codes) < k:
        raise ParameterError(
            f"The 'states' parameter of kadic_years() must hold at least k={k} states. Got "
            f"{len(codes)} instead."
        )
    n_groups = math.comb(len(codes), k)
    if n_groups > MAX_GROUPS:
        raise ParameterError(
            f"kadic_years() would build {n_groups:,} groups of {k} from {len(codes)} states, more "
            f"than the limit of {MAX_GROUPS:,}. Pass fewer states, a smaller k, or 'groups'."
        )
    return list(itertools.combinations(codes, k))


def kadic_years(
    groups: Sequence[Sequence[int | str]] | None = None,
    k: int = 3,
    system: System = "cow",
    years: Iterable[int] | None = None,
    *,
    states: Sequence[int | str] | None = None,
    mry: bool = True,
) -> Panel:
    """K-adic years: groups of ``k`` states in every year all of them were system members.

    Parameters
    ----------
    groups : sequence of sequences of int or str, optional
        The groups, each ``k`` distinct states (codes of the chosen system, or names). Member
        order is kept: ``(2, 740, 732)`` gives ``ccode1 = 2`` (e.g. a patron), ``ccode2 = 740``
        and ``ccode3 = 732`` (its clients). A group listed twice appears once.
    k : int, default 3
        Group size, 3 to 9 (pairs are labelled by two digits; for pairs of states use
        :func:`dyad_years`).
    system : {"cow", "gw"}
        The state system whose membership decides the years.
    years : iterable of int, optional
        Keep only these years (the span from the smallest to the largest).
    states : sequence of int or str, optional
        Without ``groups``: build every k-combination of these states (at most
        :data:`MAX_STATES` states and :data:`MAX_GROUPS` groups), members in ascending code
        order. Ignored when ``groups`` is given.
    mry : bool, default True
        Extend states alive at the end of the membership data to the most recent year, as
        :func:`state_years` does.

    Returns
    -------
    Panel
        Unit ``"kadic_year"``: columns ``ccode1`` ... ``ccode{k}`` (``gwcode1`` ... for G-W)
        and ``year``, one row per group and year in which every member was a system member;
        groups in the order given (or of the combinations), years ascending.

    Raises
    ------
    ParameterError
        If ``k`` is below 3, a group has the wrong size or repeats a state, neither ``groups``
        nor ``states`` is given, or the combinations would exceed the limits.
    UnknownCodeError
        If a state is not a member of the system.

    Notes
    -----
    The k-adic year is the natural unit for triangles such as patron-client-client
    (United States-Japan-South Korea). Dyad-year variables are attached to the pairs of
    each group with :func:`add_pairwise` (or :func:`kadic_to_dyads` and
    :func:`kadic_from_dyads`).

    Examples
    --------
    >>> kadic_years([(2, 740, 732)], years=range(1991, 1994)).collect().rows()
    [(2, 740, 732, 1991), (2, 740, 732, 1992), (2, 740, 732, 1993)]
    """
    _check_system(system, "kadic_years")
    k = _check_k(k, "kadic_years")
    if groups is not None:
        members = _explicit_groups(groups, k, system)
        if not members:
            raise ParameterError("The 'groups' parameter of kadic_years() is empty.")
    else:
        members = _combination_groups(states, k, system)
    sy = state_years(system, years, sorted({c for g in members for c in g}), mry=mry)
    code = sy.code
    cols = [f"{code}{i}" for i in range(1, k + 1)]
    table = pl.LazyFrame(
        [pl.Series(c, [g[i] for g in members], dtype=pl.Int32) for i, c in enumerate(cols)]
    ).with_row_index("_group")
    frame = table.join(sy.frame.rename({code: cols[0]}), on=cols[0], how="inner")
    for col in cols[1:]:
        frame = frame.join(sy.frame.rename({code: col}), on=[col, "year"], how="semi")
    frame = frame.sort("_group", "year").select(*cols, "year")
    return Panel(frame=frame, unit="kadic_year", system=system, directed=False, sources=sy.sources)


def _members(panel: Panel) -> list[str]:
    """The member columns of a k-adic panel, in order: ``ccode1``, ``ccode2``, ..."""
    names = panel.frame.collect_schema().names()
    out: list[str] = []
    for i in itertools.count(1):
        if f"{panel.code}{i}" not in names:
            return out
        out.append(f"{panel.code}{i}")
    return out  # pragma: no cover


def _kadic_id(members: list[str]) -> pl.Expr:
    return pl.concat_str([pl.col(m).cast(pl.String) for m in members], separator="-").alias(_ID)


def kadic_to_dyads(panel: Panel) -> Panel:
    """Expand a k-adic-year panel into the dyad-years of each group's pairs.

    Parameters
    ----------
    panel : Panel
        A k-adic-year panel from :func:`kadic_years`.

    Returns
    -------
    Panel
        A directed dyad-year panel with ``ccode1, ccode2, year`` (``gwcode*`` for G-W), the
        group's ``kadic_id`` (member codes joined by ``-``, e.g. ``"2-740-732"``) and the
        ``pair`` (positions of the two members, e.g. ``"12"``, ``"13"``, ``"23"``). The first
        state of a pair is the earlier member of the group, so ``ccode1`` may exceed
        ``ccode2``; the panel is flagged directed for that reason. A dyad-year shared by
        several groups appears once per group. Any ``add_*`` step for dyad-year panels can
        be applied to it.

    Raises
    ------
    PanelUnitError
        If the panel is not a k-adic-year panel.

    Examples
    --------
    >>> triad = kadic_years([(2, 740, 732)], years=[2000])
    >>> kadic_to_dyads(triad).collect().select("ccode1", "ccode2", "pair").rows()
    [(2, 740, '12'), (2, 732, '13'), (740, 732, '23')]
    """
    require_unit(panel, "kadic_to_dyads", "kadic_year")
    members = _members(panel)
    code = panel.code
    base = panel.frame.with_columns(_kadic_id(members))
    parts = [
        base.select(
            pl.col(members[i]).alias(f"{code}1"),
            pl.col(members[j]).alias(f"{code}2"),
            "year",
            _ID,
            pl.lit(f"{i + 1}{j + 1}").alias(_PAIR),
        ).with_row_index("_row")
        for i, j in _pairs(len(members))
    ]
    frame = (
        pl.concat(
            [p.with_columns(pl.lit(n, pl.UInt32).alias("_part")) for n, p in enumerate(parts)]
        )
        .sort("_row", "_part")
        .drop("_row", "_part")
    )
    return Panel(
        frame=frame, unit="dyad_year", system=panel.system, directed=True, sources=panel.sources
    )


def kadic_from_dyads(panel: Panel, dyads: Panel, columns: Sequence[str] | None = None) -> Panel:
    """Attach dyad-year columns back to each pair of a k-adic-year panel.

    Parameters
    ----------
    panel : Panel
        The k-adic-year panel.
    dyads : Panel
        Its :func:`kadic_to_dyads` expansion, enriched with ``add_*`` steps.
    columns : sequence of str, optional
        The columns to attach (default: every column of ``dyads`` except the keys,
        ``kadic_id`` and ``pair``).

    Returns
    -------
    Panel
        ``panel`` with, for each column ``c`` and pair of members ``i < j``, a column
        ``c_ij``: e.g. ``atop_defense_12`` (members 1 and 2), ``atop_defense_13`` and
        ``atop_defense_23`` for a triad. State attributes of a step come out per pair too
        (``us_troops1_12`` is member 1's). Rows and order unchanged.

    Raises
    ------
    PanelUnitError
        If ``panel`` is not a k-adic-year panel or ``dyads`` not a dyad-year panel.
    ParameterError
        If ``dyads`` has no ``kadic_id`` and ``pair`` columns or lacks a requested column.
    """
    require_unit(panel, "kadic_from_dyads", "kadic_year")
    require_unit(dyads, "kadic_from_dyads", "dyad_year")
    code = panel.code
    names = dyads.frame.collect_schema().names()
    keys = {f"{code}1", f"{code}2", "year", _ID, _PAIR}
    if not {_ID, _PAIR} <= set(names):
        raise ParameterError(
            "The 'dyads' parameter of kadic_from_dyads() must come from kadic_to_dyads(); it "
            "has no 'kadic_id' and 'pair' columns. Build it with kadic_to_dyads(panel)."
        )
    cols = [c for c in names if c not in keys] if columns is None else list(columns)
    missing = [c for c in cols if c not in names]
    if missing:
        raise ParameterError(
            f"The 'columns' parameter of kadic_from_dyads() names columns the dyads do not "
            f"have: {missing}. Available: {[c for c in names if c not in keys]}."
        )
    members = _members(panel)
    pairs = [f"{i + 1}{j + 1}" for i, j in _pairs(len(members))]
    frame = panel.frame.with_columns(_kadic_id(members))
    for pair in pairs:
        part = dyads.frame.filter(pl.col(_PAIR) == pair).select(
            _ID, pl.col("year"), *[pl.col(c).alias(f"{c}_{pair}") for c in cols]
        )
        frame = frame.join(
            part, on=[_ID, "year"], how="left", validate="m:1", maintain_order="left"
        )
    ordered = [f"{c}_{p}" for c in cols for p in pairs]
    frame = frame.select(*members, "year", *ordered)
    extra = tuple(s for s in dyads.sources if s not in panel.sources)
    return panel.with_frame(frame, *extra)


def add_pairwise(panel: Panel, step: Callable[..., Panel], *args: Any, **kwargs: Any) -> Panel:
    """Apply a dyad-year ``add_*`` step to every pair of each group of a k-adic-year panel.

    Shorthand for ``kadic_from_dyads(panel, step(kadic_to_dyads(panel), ...))``: the new
    dyadic columns come back suffixed by the pair, e.g. ``atop_defense_12``. State
    attributes of a registered step (``dyadic=False`` in its registry entry) come back once
    per member instead, numbered like the members: ``us_troops1``, ``us_troops2``,
    ``us_troops3``.

    Parameters
    ----------
    panel : Panel
        A k-adic-year panel.
    step : callable
        A step taking a dyad-year panel (``add_atop_alliance``, ``add_dca``, ...).
    *args, **kwargs
        Passed to ``step``.

    Returns
    -------
    Panel
        ``panel`` with the step's columns for each pair; rows and order unchanged.
    """
    require_unit(panel, "add_pairwise", "kadic_year")
    dyads = kadic_to_dyads(panel)
    before = set(dyads.frame.collect_schema().names())
    enriched = step(dyads, *args, **kwargs)
    added = [c for c in enriched.frame.collect_schema().names() if c not in before]
    state_vars = [v for v in _state_variables(step) if f"{v}1" in added and f"{v}2" in added]
    pair_cols = [c for c in added if c[:-1] not in state_vars or c[-1] not in "12"]
    state_cols = [f"{v}{side}" for v in state_vars for side in "12"]
    out = kadic_from_dyads(panel, enriched, pair_cols + state_cols)
    k = len(_members(panel))
    # member m's value: as the first state of pair (m, k), or for m = k the second of (1, k)
    per_member = [
        pl.col(f"{v}1_{m}{k}" if m < k else f"{v}2_1{k}").alias(f"{v}{m}")
        for v in state_vars
        for m in range(1, k + 1)
    ]
    pair_names = {f"{c}_{i + 1}{j + 1}" for c in state_cols for i, j in _pairs(k)}
    frame = out.frame.with_columns(per_member).drop(*pair_names)
    return out.with_frame(frame)


def _pairs(k: int) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(k), 2))


def _state_variables(step: Callable[..., Panel]) -> list[str]:
    """Names of the state attributes (``dyadic=False``) a registered step adds."""
    from allegiance.panel.steps import FAMILIES

    for family in FAMILIES.values():
        if family.step is step:
            return [v.name for v in family.variables if not v.dyadic]
    return []
