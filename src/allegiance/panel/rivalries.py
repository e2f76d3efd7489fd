"""Strategic rivalries: Thompson-Sakuwa-Suhas (1494-2020) and Thompson-Dreyer (1494-2010) spells."""

from __future__ import annotations

from typing import Literal

import polars as pl

from allegiance.data import bundle
from allegiance.errors import ParameterError
from allegiance.panel.base import Panel
from allegiance.panel.steps import (
    Variable,
    check_new_columns,
    coverage,
    join_dyad_attrs,
    join_state_attrs,
    register,
    require_unit,
)

__all__ = ["add_strategic_rivalries"]

_TYPES = ("positional", "spatial", "ideological", "interventionary")
_SOURCES = ("both", "tss", "td")


def _rivalry_years(
    table: str, rid: str, start: str, end: str, flags: list[pl.Expr]
) -> pl.LazyFrame:
    """Rivalry-years in both directions: ``rid, ccode1, ccode2, year, *flags`` (years >= 1816).

    Austria-Hungary (300) becomes Austria (305) from 1919, as peacesciencer does for the
    Austria-Serbia/Yugoslavia rivalry (TSS 76, TD 79).
    """
    spells = bundle.scan(table).select(rid, "ccode1", "ccode2", start, end, *flags)
    flipped = spells.rename({"ccode1": "ccode2", "ccode2": "ccode1"})
    both = pl.concat([spells, flipped], how="diagonal")
    austria = [
        pl.when((pl.col(c) == 300) & (pl.col("year") >= 1919))
        .then(305)
        .otherwise(pl.col(c))
        .alias(c)
        for c in ("ccode1", "ccode2")
    ]
    return (
        both.with_columns(
            pl.int_ranges(pl.col(start), pl.col(end) + 1, dtype=pl.Int32).alias("year")
        )
        .explode("year")
        .filter(pl.col("year") >= 1816)
        .with_columns(austria)
    )


def _tss_years() -> tuple[pl.LazyFrame, list[str]]:
    flags = [pl.col(t).fill_null(0).cast(pl.Int8).alias(t) for t in _TYPES]
    flags += [
        pl.col(c).fill_null(0).cast(pl.Int8).alias(f"tssr_{c}") for c in ("principal", "aprin")
    ]
    names = [*_TYPES, "tssr_principal", "tssr_aprin"]
    return _rivalry_years("tss_rivalries", "tssr_id", "start", "end", flags), names


def _td_years() -> tuple[pl.LazyFrame, list[str]]:
    types = pl.concat_list("type1", "type2", "type3")
    flags = [types.list.contains(t).fill_null(False).cast(pl.Int8).alias(f"td_{t}") for t in _TYPES]
    ry = _rivalry_years("td_rivalries", "rivalryno", "styear", "endyear", flags)
    return ry.rename({"rivalryno": "td_rivalryno"}), [f"td_{t}" for t in _TYPES]


def _fill(columns: list[str], hi: int, dtype: type[pl.DataType] = pl.Int8) -> list[pl.Expr]:
    """0 where no rivalry is recorded up to the data's last year; null after it."""
    within = pl.col("year") <= hi
    return [
        pl.when(pl.col(c).is_null() & within).then(0).otherwise(pl.col(c)).cast(dtype).alias(c)
        for c in columns
    ]


def _dyad(
    panel: Panel, ry: pl.LazyFrame, rid: str, ongoing: str, flags: list[str], hi: int
) -> pl.LazyFrame:
    # Several rivalries in one ordered dyad-year (none in the current data): keep the lowest id,
    # flag a type if any of them has it.
    per_dyad = ry.group_by("ccode1", "ccode2", "year").agg(
        pl.col(rid).min(), *[pl.col(f).max() for f in flags]
    )
    frame = join_dyad_attrs(panel, per_dyad, [rid, *flags], symmetric=False)
    within = pl.col("year") <= hi
    return frame.with_columns(
        pl.when(pl.col(rid).is_not_null())
        .then(1)
        .when(within)
        .then(0)
        .cast(pl.Int8)
        .alias(ongoing),
        *_fill(flags, hi),
    ).select([*panel.frame.collect_schema().names(), rid, ongoing, *flags])


def _state(
    panel: Panel, ry: pl.LazyFrame, flags: list[str], counts: list[str], hi: int
) -> pl.LazyFrame:
    per_state = ry.group_by(pl.col("ccode1").alias("ccode"), "year").agg(
        pl.col(f).cast(pl.Int16).sum().alias(n) for f, n in zip(flags, counts, strict=False)
    )
    return join_state_attrs(panel, per_state, counts).with_columns(_fill(counts, hi, pl.Int16))


_TSS_STATE = [f"n_{t}" for t in _TYPES]
_TD_STATE = [f"td_n_{t}" for t in _TYPES]


def _variables() -> list[Variable]:
    tss, td = "tss_rivalries", "td_rivalries"
    out = [
        Variable(
            "tssr_id",
            "dyad-years: TSS rivalry id of the ongoing rivalry (null if none)",
            "Int32",
            tss,
            None,
        ),
        Variable(
            "ongoingrivalry",
            "dyad-years: 1 if a TSS strategic rivalry was ongoing; 0 "
            "otherwise up to 2020, null after",
            "Int8",
            tss,
            None,
        ),
    ]
    out += [
        Variable(
            t, f"dyad-years: 1 if the ongoing TSS rivalry has a {t} dimension", "Int8", tss, None
        )
        for t in _TYPES
    ]
    out += [
        Variable(
            "tssr_principal",
            "dyad-years: 1 if the ongoing TSS rivalry is a principal rivalry",
            "Int8",
            tss,
            None,
        ),
        Variable(
            "tssr_aprin",
            "dyad-years: 1 if the ongoing TSS rivalry is an asymmetric principal rivalry",
            "Int8",
            tss,
            None,
        ),
        Variable(
            "td_rivalryno",
            "dyad-years: Thompson-Dreyer rivalry number (null if none)",
            "Int32",
            td,
            None,
        ),
        Variable(
            "td_ongoingrivalry",
            "dyad-years: 1 if a Thompson-Dreyer rivalry was ongoing; "
            "0 otherwise up to 2010, null after",
            "Int8",
            td,
            None,
        ),
    ]
    out += [
        Variable(
            f"td_{t}",
            f"dyad-years: 1 if the ongoing Thompson-Dreyer rivalry is {t} (any of type1-type3)",
            "Int8",
            td,
            None,
        )
        for t in _TYPES
    ]
    out += [
        Variable(
            n,
            f"state-year panels only: number of ongoing TSS rivalries of the state "
            f"with a {t} dimension",
            "Int16",
            tss,
            None,
            dyadic=False,
            units=("state_year",),
        )
        for n, t in zip(_TSS_STATE, _TYPES, strict=True)
    ]
    out += [
        Variable(
            n,
            f"state-year panels only: number of ongoing Thompson-Dreyer rivalries "
            f"of the state of {t} type",
            "Int16",
            td,
            None,
            dyadic=False,
            units=("state_year",),
        )
        for n, t in zip(_TD_STATE, _TYPES, strict=True)
    ]
    return out


@register("rivalries", units=["dyad_year", "state_year"], variables=_variables())
def add_strategic_rivalries(
    panel: Panel, *, source: Literal["both", "tss", "td"] = "both"
) -> Panel:
    """Add Thompson's strategic rivalries (TSS 2022 and Thompson & Dreyer 2012).

    Parameters
    ----------
    panel : Panel
        A COW dyad-year (directed or not) or state-year panel.
    source : {"both", "tss", "td"}
        Which rivalry set: Thompson, Sakuwa & Suhas (``tss``, to 2020), Thompson & Dreyer
        (``td``, to 2010), or both (default).

    Returns
    -------
    Panel
        Dyad-years gain ``tssr_id, ongoingrivalry, positional, spatial, ideological,
        interventionary, tssr_principal, tssr_aprin`` (TSS) and ``td_rivalryno,
        td_ongoingrivalry, td_positional, td_spatial, td_ideological, td_interventionary``
        (TD). State-years gain the counts ``n_positional, n_spatial, n_ideological,
        n_interventionary`` (TSS) and ``td_n_*`` (TD).

    Raises
    ------
    PanelUnitError
        Not a COW dyad-year or state-year panel.
    ParameterError
        Unknown ``source``, or a column the panel already has.

    Notes
    -----
    Rivalry spells are symmetric: both directions of a dyad get the same values. TSS follows
    peacesciencer's ``add_strategic_rivalries()`` exactly (column names, spell years
    ``start``-``end`` inclusive, missing type flags read as 0, Austria-Hungary 300 coded as
    Austria 305 from 1919). TD uses the same rules with a ``td_`` prefix; its types come
    from ``type1``-``type3`` (a flag is 1 if the type is any of the three). Several
    rivalries in one dyad-year (none in the current data) give one row: the lowest rivalry
    id, and a type flag of 1 if any of them has that type. State-year counts add up all the
    state's ongoing rivalries of each type.

    Values are 0 where no rivalry is recorded up to the set's last year (2020 TSS, 2010 TD;
    the maximum spell end in the data) and null after it. Deliberate differences from
    peacesciencer: it sets ``ongoingrivalry`` to 1 (not missing) after 2020; it does not
    offer the principal/asymmetric-principal flags (here ``tssr_principal``,
    ``tssr_aprin``) nor the Thompson-Dreyer set (dropped from its current version).

    Source
    ------
    Thompson, Sakuwa & Suhas strategic rivalries 1494-2020 [thompson2022]_ and Thompson & Dreyer
    strategic rivalries 1494-2010 [thompson2012]_, as bundled in peacesciencer (tables
    ``tss_rivalries``, ``td_rivalries``).
    """
    require_unit(panel, "add_strategic_rivalries", "dyad_year", "state_year", system="cow")
    if source not in _SOURCES:
        raise ParameterError(
            "The 'source' parameter of add_strategic_rivalries() must be one of "
            f"{{'both', 'tss', 'td'}}. Got {source!r} instead."
        )
    frame, tables = panel.frame, []
    sets = [
        ("tss_rivalries", _tss_years, "tssr_id", "ongoingrivalry", "start", "end", _TSS_STATE),
        (
            "td_rivalries",
            _td_years,
            "td_rivalryno",
            "td_ongoingrivalry",
            "styear",
            "endyear",
            _TD_STATE,
        ),
    ]
    for table, years, rid, ongoing, start, end, counts in sets:
        if source not in ("both", table.split("_")[0]):
            continue
        ry, flags = years()
        hi = coverage(table, start, end)[1]
        step = panel.with_frame(frame)
        if panel.unit == "dyad_year":
            check_new_columns(
                step,
                "add_strategic_rivalries",
                [rid, ongoing, *flags],
                "Drop them before adding rivalries again.",
            )
            frame = _dyad(step, ry, rid, ongoing, flags, hi)
        else:
            check_new_columns(
                step, "add_strategic_rivalries", counts, "Drop them before adding rivalries again."
            )
            frame = _state(step, ry, flags, counts, hi)
        tables.append(table)
    return panel.with_frame(frame, *tables)
