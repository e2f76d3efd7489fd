"""The dyad-year design frame of the expected-cooperation model: outcomes and predictors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from allegiance.errors import ParameterError

__all__ = [
    "DEFAULT_FORMULA",
    "DESIGN_SOURCES",
    "OUTCOMES",
    "PREDICTORS",
    "Outcome",
    "design_columns",
    "design_frame",
    "outcome_years",
    "resolve_outcome",
]

_KEYS = ["ccode1", "ccode2", "year"]


@dataclass(frozen=True)
class Outcome:
    """A cooperation outcome: its CLI name, panel column, panel family and description."""

    name: str
    column: str
    family: str
    table: str
    label: str


#: The outcomes by CLI name; the panel column name is accepted too.
OUTCOMES: dict[str, Outcome] = {
    o.name: o
    for o in (
        Outcome(
            "atop_defense", "atop_defense", "atop", "atop_alliance", "ATOP defense pact in force"
        ),
        Outcome(
            "atop_any",
            "atop_anypledge",
            "atop",
            "atop_alliance",
            "any ATOP alliance commitment in force",
        ),
        Outcome("dca", "dca_any", "dca", "dcad", "defense cooperation agreement in force (DCAD)"),
        Outcome("exercise", "mme_any", "exercises", "mme", "joint military exercise held (MME)"),
    )
}

#: The predictors the design frame derives, with their meaning (see :func:`design_frame`).
PREDICTORS: dict[str, str] = {
    "log_capdist": "log(1 + capital-to-capital distance in km)",
    "log_mindist": "log(1 + minimum distance between territories in km; CShapes, 1886-2019)",
    "contiguity": "1 if COW contiguity type 1-5 (land or up to 400 miles of water)",
    "land_contiguity": "1 if the states share a land border (COW type 1)",
    "religion_similarity": "similarity of religious compositions (WRP), 0-1",
    "common_language": "1 if the states share an official language (CEPII)",
    "joint_democracy": "1 if both are democracies (polity2 >= 6; V-Dem polyarchy >= 0.5 "
    "where polity2 is missing)",
    "common_rivals": "number of states that are strategic rivals of both (TSS)",
    "third_party_threat": "capability- and distance-weighted threat from third states",
    "wars_opposite": "COW wars fought on opposite sides so far",
    "mids_25y": "years with a COW MID onset between the two in the last 25 years",
    "colonial": "1 if one state was the other's colonial ruler (ICOW)",
    "claim_active": "1 if an ICOW territorial claim is active (carried forward after 2001)",
    "log_capability_ratio": "log of the larger CINC over the smaller",
    "major_power": "1 if either state is a COW major power",
    "idealpoint_distance": "distance of UN General Assembly ideal points",
    "dyadigos": "number of IGOs both states are full members of (COW IGO)",
}

#: The default right-hand side: every family of explanation the issue names, one term each.
DEFAULT_FORMULA = (
    "log_capdist + contiguity + religion_similarity + common_language + joint_democracy"
    " + common_rivals + third_party_threat + wars_opposite + mids_25y + colonial"
    " + claim_active + log_capability_ratio + major_power + idealpoint_distance + dyadigos"
)

#: The bundle tables the predictors are built from (the outcome's table comes on top).
DESIGN_SOURCES = (
    "cow_contdir",
    "cow_nmc",
    "cow_majors",
    "cow_democracy",
    "cow_mindist",
    "cow_capitals",
    "cow_igo_ndy",
    "wrp_national",
    "cepii_geodist",
    "unga_idealpoints",
    "tss_rivalries",
    "cow_mid_ddydisps",
    "cow_war_inter",
    "icow_claims",
    "icow_colonial",
)

_FAMILIES = ("contiguity", "nmc", "majors", "democracy", "min_distance", "cap_distance", "igos")


def resolve_outcome(name: str) -> Outcome:
    """The outcome called ``name`` (CLI name or panel column).

    >>> resolve_outcome("dca").column
    'dca_any'
    >>> resolve_outcome("peace")
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: Unknown outcome 'peace'. Valid outcomes: atop_defense, ...
    """
    for outcome in OUTCOMES.values():
        if name in (outcome.name, outcome.column):
            return outcome
    raise ParameterError(
        f"Unknown outcome {name!r}. Valid outcomes: {', '.join(OUTCOMES)} "
        "(or their columns atop_anypledge, dca_any, mme_any)."
    )


def outcome_years(outcome: Outcome, years: range) -> range:
    """The requested years inside the outcome's coverage (from the panel codebook).

    Raises ParameterError if none are covered.
    """
    from allegiance.panel.variables import codebook

    book = codebook().filter(pl.col("column") == outcome.column, pl.col("unit") == "dyad-year")
    lo, hi = (int(y) for y in book["years"][0].split("-"))
    inside = range(max(years.start, lo), min(years.stop, hi + 1))
    if len(inside) == 0:
        raise ParameterError(
            f"The outcome {outcome.name!r} ({outcome.label}) is observed in {lo}-{hi}. "
            f"Got years {years.start}-{years.stop - 1}."
        )
    return inside


def design_frame(
    outcome: str, years: range, *, progress: Callable[[str], None] | None = None
) -> pl.DataFrame:
    r"""The undirected COW dyad-year frame with the outcome and every predictor.

    Parameters
    ----------
    outcome : str
        A name in :data:`OUTCOMES` (``atop_defense``, ``atop_any``, ``dca``, ``exercise``).
    years : range
        Requested years; cut to the outcome's coverage (see :func:`outcome_years`).
    progress : callable, optional
        Called with the name of each stage.

    Returns
    -------
    polars.DataFrame
        ``ccode1 < ccode2, year``, the outcome column (0/1), ``dyad`` (an id for clustering:
        :math:`1000\,\mathrm{ccode1} + \mathrm{ccode2}`), the predictors of
        :data:`PREDICTORS` and the raw panel columns they come from. Missing values stay
        null: the model drops incomplete rows (listwise) and reports how many.

    Notes
    -----
    Sources: panel families contiguity, nmc, majors, democracy, min_distance, cap_distance,
    igos and the outcome's family; measures religion_similarity, common_language,
    idealpoint_distance, common_rivals (TSS), third_party_threat (COW MIDs, so that it
    reaches 2014) and the components of animosity (COW MIDs). All predictors are measured
    in the same year as the outcome (no lag). The result is cached in memory per
    (outcome, years); the whole system 1946-2014 (~800,000 dyad-years) takes about 25 s.
    """
    out = resolve_outcome(outcome)
    span = outcome_years(out, years)
    key = (out.name, span.start, span.stop)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _build(out, span, progress or (lambda _: None))
    return _CACHE[key]


_CACHE: dict[tuple[str, int, int], pl.DataFrame] = {}
_CACHE_SIZE = 4


def _build(out: Outcome, years: range, say: Callable[[str], None]) -> pl.DataFrame:
    say("panel")
    frame = _panel(out, years)
    for name, options, columns in _MEASURES:
        say(name)
        frame = _join_measure(frame, name, years, options, columns)
    return _derive(frame).with_columns(
        (pl.col("ccode1").cast(pl.Int64) * 1000 + pl.col("ccode2")).alias("dyad")
    )


def design_columns(outcome: str) -> list[str]:
    """The columns :func:`design_frame` returns for ``outcome``, without building it.

    >>> "log_capdist" in design_columns("atop_defense")
    True
    """
    from allegiance.panel.build import build_panel

    out = resolve_outcome(outcome)
    lazy = build_panel("dyad_year", years=range(2000, 2001), families=[*_FAMILIES, out.family])
    measured = [c for _, _, columns in _MEASURES for c in columns]
    names = [*lazy.frame.collect_schema().names(), *measured, *PREDICTORS, "dyad"]
    return list(dict.fromkeys(names))


def _panel(outcome: Outcome, years: range) -> pl.DataFrame:
    from allegiance.panel.build import build_panel

    families = [*_FAMILIES, outcome.family]
    return build_panel("dyad_year", years=years, families=families).collect()


_MEASURES: tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...] = (
    ("religion_similarity", {}, ("religion_similarity",)),
    ("common_language", {}, ("common_language",)),
    ("idealpoint_distance", {}, ("idealpoint_distance",)),
    ("common_rivals", {}, ("common_rivals",)),
    ("third_party_threat", {"dispute_source": "cow"}, ("third_party_threat",)),
    ("animosity", {"source": "cow"}, ("wars_opposite", "mids_25y", "colonial", "claim_active")),
)


def _join_measure(
    frame: pl.DataFrame,
    name: str,
    years: range,
    options: dict[str, Any],
    columns: tuple[str, ...],
) -> pl.DataFrame:
    from allegiance.measures import compute

    values = compute(name, years, **options).select(*_KEYS, *columns)
    values = values.with_columns(pl.col(k).cast(frame.schema[k]) for k in _KEYS)
    return frame.join(values, on=_KEYS, how="left", validate="1:1", maintain_order="left")


def _democracy(i: int) -> pl.Expr:
    polity, vdem = pl.col(f"polity2{i}"), pl.col(f"v2x_polyarchy{i}")
    return pl.when(polity.is_not_null()).then(polity >= 6).otherwise(vdem >= 0.5)


def _derive(frame: pl.DataFrame) -> pl.DataFrame:
    cinc_hi = pl.max_horizontal("cinc1", "cinc2")
    cinc_lo = pl.min_horizontal("cinc1", "cinc2")
    return frame.with_columns(
        pl.col("capdist").log1p().alias("log_capdist"),
        pl.col("mindist").log1p().alias("log_mindist"),
        pl.col("conttype").is_between(1, 5).cast(pl.Int8).alias("contiguity"),
        (pl.col("conttype") == 1).cast(pl.Int8).alias("land_contiguity"),
        (_democracy(1) & _democracy(2)).cast(pl.Int8).alias("joint_democracy"),
        pl.when(cinc_lo > 0).then((cinc_hi / cinc_lo).log()).alias("log_capability_ratio"),
        pl.max_horizontal("cowmaj1", "cowmaj2").cast(pl.Int8).alias("major_power"),
    )
