"""The dyad-year design frame of the expected-cooperation model: outcomes and predictors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from allegiance.errors import ParameterError

__all__ = [
    "DEFAULT_FORMULA",
    "DEFAULT_OUTCOME",
    "DESIGN_SOURCES",
    "OUTCOMES",
    "PREDICTORS",
    "Outcome",
    "design_columns",
    "design_frame",
    "outcome_years",
    "resolve_outcome",
    "shared_patrons",
]

_KEYS = ["ccode1", "ccode2", "year"]


@dataclass(frozen=True)
class Outcome:
    """A cooperation outcome: its CLI name, panel column, panel family and description.

    A composite names the outcomes it combines in ``components``; it is 1 when any of them
    is 1, and only observed in the years all of them are (see :func:`outcome_years`).
    """

    name: str
    column: str
    family: str
    table: str
    label: str
    components: tuple[str, ...] = ()

    @property
    def parts(self) -> tuple[Outcome, ...]:
        """The single outcomes behind this one: its components, or itself."""
        return tuple(OUTCOMES[c] for c in self.components) or (self,)

    @property
    def families(self) -> tuple[str, ...]:
        """The panel families the outcome's columns come from."""
        return tuple(dict.fromkeys(o.family for o in self.parts))

    @property
    def tables(self) -> tuple[str, ...]:
        """The bundle tables the outcome is read from."""
        return tuple(dict.fromkeys(o.table for o in self.parts))

    @property
    def columns(self) -> tuple[str, ...]:
        """The outcome's column and its components' (all measured in the outcome's year)."""
        return tuple(dict.fromkeys((self.column, *(o.column for o in self.parts))))


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
#: The military-cooperation composite: a defense pact, a DCA or a joint exercise in the year.
OUTCOMES["military_cooperation"] = Outcome(
    "military_cooperation",
    "military_cooperation",
    "atop",
    "atop_alliance",
    "military cooperation: an ATOP defense pact, a DCA (DCAD) or a joint exercise (MME)",
    components=("atop_defense", "dca", "exercise"),
)

#: The default outcome of the expected-cooperation analyses of the study.
DEFAULT_OUTCOME = "military_cooperation"

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
    "shared_patron": "1 if both states have an ATOP defense pact with the same third state",
}

#: The default right-hand side: every family of explanation the issue names, one term each.
DEFAULT_FORMULA = (
    "log_capdist + contiguity + religion_similarity + common_language + joint_democracy"
    " + common_rivals + third_party_threat + wars_opposite + mids_25y + colonial"
    " + claim_active + log_capability_ratio + major_power + idealpoint_distance + dyadigos"
    " + shared_patron"
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

_FAMILIES = ("contiguity", "nmc", "majors", "democracy", "min_distance", "cap_distance", "igos",
             "atop")  # fmt: skip


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
    """The requested years inside the outcome's coverage (from the panel codebook); for a
    composite, inside the years every component covers.

    Raises ParameterError if none are covered.

    >>> outcome_years(resolve_outcome("military_cooperation"), range(1946, 2015))
    range(1980, 2011)
    """
    spans = [_column_years(part.column) for part in outcome.parts]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    inside = range(max(years.start, lo), min(years.stop, hi + 1))
    if len(inside) == 0:
        raise ParameterError(
            f"The outcome {outcome.name!r} ({outcome.label}) is observed in {lo}-{hi}. "
            f"Got years {years.start}-{years.stop - 1}."
        )
    return inside


@cache
def _column_years(column: str) -> tuple[int, int]:
    """First and last year of a dyad-year panel column (from the codebook)."""
    from allegiance.panel.variables import codebook

    book = codebook().filter(pl.col("column") == column, pl.col("unit") == "dyad-year")
    lo, hi = (int(y) for y in book["years"][0].split("-"))
    return lo, hi


def design_frame(
    outcome: str,
    years: range,
    *,
    lag: int = 1,
    progress: Callable[[str], None] | None = None,
) -> pl.DataFrame:
    r"""The undirected COW dyad-year frame with the outcome and every predictor, lagged.

    Parameters
    ----------
    outcome : str
        A name in :data:`OUTCOMES` (``military_cooperation``, ``atop_defense``,
        ``atop_any``, ``dca``, ``exercise``).
    years : range
        Requested years of the outcome; cut to its coverage (see :func:`outcome_years`).
    lag : {1, 0}, default 1
        Years by which every predictor precedes the outcome.
    progress : callable, optional
        Called with the name of each stage.

    Returns
    -------
    polars.DataFrame
        ``ccode1 < ccode2, year``, the outcome column (0/1) and, for the composite, its
        components, ``dyad`` (an id for clustering:
        :math:`1000\,\mathrm{ccode1} + \mathrm{ccode2}`), the predictors of
        :data:`PREDICTORS` and the raw panel columns they come from. Missing values stay
        null: the model drops incomplete rows (listwise) and reports how many.

    Notes
    -----
    *Lag.* The outcome of year :math:`t` is paired with the predictors of year
    :math:`t - \ell` (``lag`` :math:`\ell`, 1 by default):

    .. math:: \Pr(y_{ijt} = 1) = \Lambda(x_{ij,t-\ell}^\top \beta)

    where :math:`y_{ijt}` is the outcome of dyad :math:`ij` in year :math:`t` and
    :math:`x_{ij,t-\ell}` every other column of the frame (predictors and the panel columns
    they come from) in year :math:`t - \ell`, so that a predictor is measured before the
    cooperation it predicts. Only the outcome's columns (``outcome.columns``: the outcome
    and its components) are of year :math:`t`. The frame is built for the years
    :math:`t - \ell` to the last and each row takes its predictors from the dyad's row of
    year :math:`t - \ell`; a dyad that was not a system dyad that year (a new state) has
    null predictors and is dropped by the model.

    *Military cooperation.* The composite ``military_cooperation`` is 1 when the dyad has
    an ATOP defense pact (``atop_defense``), a DCA in force (``dca_any``) or a joint
    exercise (``mme_any``) in the year, 0 when it has none, and null unless all three are
    observed: the frame is cut to the years every component covers (from the catalog; DCAD
    and MME end the window).

    *Shared patron.* ``shared_patron`` is 1 when the two states each have an ATOP defense
    pact (:func:`shared_patrons`) with the same third state in the year, 0 when they have
    none in common within ATOP's years, null outside them; lagged like the other predictors.

    Sources: panel families contiguity, nmc, majors, democracy, min_distance, cap_distance,
    igos, atop and the outcome's families; measures religion_similarity, common_language,
    idealpoint_distance, common_rivals (TSS), third_party_threat (COW MIDs, so that it
    reaches 2014) and the components of animosity (COW MIDs). The result is cached in memory
    per (outcome, years, lag).

    Examples
    --------
    >>> design_frame("atop_defense", range(2000, 2001), lag=2)
    Traceback (most recent call last):
    ...
    allegiance.errors.ParameterError: The 'lag' parameter of design_frame() must be 0 or 1. ...
    """
    if lag not in (0, 1):
        raise ParameterError(
            f"The 'lag' parameter of design_frame() must be 0 or 1. Got {lag!r} instead."
        )
    out = resolve_outcome(outcome)
    span = outcome_years(out, years)
    key = (out.name, span.start, span.stop, lag)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _build(out, span, lag, progress or (lambda _: None))
    return _CACHE[key]


_CACHE: dict[tuple[str, int, int, int], pl.DataFrame] = {}
_CACHE_SIZE = 4


def _build(out: Outcome, years: range, lag: int, say: Callable[[str], None]) -> pl.DataFrame:
    from allegiance.data.coverage import system_years

    first = max(years.start - lag, system_years("cow")[0])
    built = range(first, years.stop)
    say("panel")
    frame = _panel(out, built)
    for name, options, columns in _MEASURES:
        say(name)
        frame = _join_measure(frame, name, built, options, columns)
    say("shared_patron")
    frame = _add_shared_patron(frame)
    frame = _add_composite(_derive(frame), out)
    frame = _lag(frame, [c for c in frame.columns if c not in (*_KEYS, *out.columns)], lag)
    return frame.filter(pl.col("year") >= years.start).with_columns(
        (pl.col("ccode1").cast(pl.Int64) * 1000 + pl.col("ccode2")).alias("dyad")
    )


def _add_composite(frame: pl.DataFrame, out: Outcome) -> pl.DataFrame:
    """The composite's column: 1 if any component is 1, null unless every one is observed."""
    if not out.components:
        return frame
    parts = [pl.col(o.column) for o in out.parts]
    observed = pl.all_horizontal(c.is_not_null() for c in parts)
    value = pl.when(observed).then(pl.max_horizontal(parts)).otherwise(None)
    return frame.with_columns(value.cast(pl.Int8).alias(out.column))


def _lag(frame: pl.DataFrame, columns: list[str], lag: int) -> pl.DataFrame:
    """``columns`` from the same dyad's row of year ``year - lag`` (null if it has none).

    The frame is sorted by dyad and year, so the row before is the dyad's previous year
    when it has the same codes and the year before: one shift, no join.
    """
    if lag == 0:
        return frame
    frame = frame.sort(_KEYS)
    previous = (
        (pl.col("ccode1").shift(1) == pl.col("ccode1"))
        & (pl.col("ccode2").shift(1) == pl.col("ccode2"))
        & (pl.col("year").shift(1) == pl.col("year") - 1)
    )
    return frame.with_columns(pl.when(previous).then(pl.col(c).shift(1)).alias(c) for c in columns)


def shared_patrons(pacts: pl.DataFrame) -> pl.DataFrame:
    """Dyad-years whose two states both have a defense pact with the same third state.

    Parameters
    ----------
    pacts : polars.DataFrame
        ``ccode1, ccode2, year`` of the undirected dyad-years with a defense pact (each pair
        once, in either order).

    Returns
    -------
    polars.DataFrame
        ``ccode1 < ccode2, year`` of every pair with at least one common ally :math:`k`
        (:math:`k \ne` either state, a pact of :math:`i` with :math:`k` and of :math:`j` with
        :math:`k` in the year), with ``shared_patron`` (1) and ``shared_patron_codes`` (the
        allies' codes, ascending, joined by ``;``).

    Examples
    --------
    Japan (740) and South Korea (732) both have a pact with the USA (2); China (710) has
    none with either's ally:

    >>> pacts = pl.DataFrame({"ccode1": [2, 2, 710], "ccode2": [740, 732, 731],
    ...                       "year": [2000, 2000, 2000]})
    >>> shared_patrons(pacts).rows()
    [(732, 740, 2000, 1, '2')]
    """
    edges = pacts.lazy().select(
        pl.col("ccode1").cast(pl.Int32), pl.col("ccode2").cast(pl.Int32), pl.col("year")
    )
    swapped = edges.select(pl.col("ccode2").alias("ccode1"), pl.col("ccode1").alias("ccode2"),
                           "year")  # fmt: skip
    ally = pl.concat([edges, swapped]).rename({"ccode1": "state", "ccode2": "ally"})
    pairs = ally.join(ally, on=["ally", "year"], suffix="_b").filter(
        pl.col("state") < pl.col("state_b")
    )
    codes = pl.col("ally").list.eval(pl.element().cast(pl.String)).list.join(";")
    return (
        pairs.group_by(pl.col("state").alias("ccode1"), pl.col("state_b").alias("ccode2"), "year")
        .agg(pl.col("ally").sort())
        .select("ccode1", "ccode2", "year", pl.lit(1, dtype=pl.Int8).alias("shared_patron"),
                codes.alias("shared_patron_codes"))
        .sort("ccode1", "ccode2", "year")
        .collect()
    )  # fmt: skip


def _add_shared_patron(frame: pl.DataFrame) -> pl.DataFrame:
    """``shared_patron`` and its codes from the frame's own ``atop_defense`` (system dyads)."""
    pacts = frame.filter(pl.col("atop_defense") == 1).select(_KEYS)
    shared = shared_patrons(pacts).with_columns(pl.col(k).cast(frame.schema[k]) for k in _KEYS)
    extra = frame.select(_KEYS).join(shared, on=_KEYS, how="left", validate="m:1",
                                      maintain_order="left")  # fmt: skip
    frame = frame.hstack(extra.drop(_KEYS).get_columns())
    covered = pl.col("atop_defense").is_not_null()
    return frame.with_columns(
        pl.when(covered).then(pl.col("shared_patron").fill_null(0)).alias("shared_patron")
    )


def design_columns(outcome: str) -> list[str]:
    """The columns :func:`design_frame` returns for ``outcome``, without building it.

    >>> "shared_patron" in design_columns("military_cooperation")
    True
    """
    from allegiance.panel.build import build_panel

    out = resolve_outcome(outcome)
    lazy = build_panel("dyad_year", years=range(2000, 2001), families=[*_FAMILIES, *out.families])
    measured = [c for _, _, columns in _MEASURES for c in columns]
    names = [*lazy.frame.collect_schema().names(), *measured, *PREDICTORS,
             "shared_patron_codes", *out.columns, "dyad"]  # fmt: skip
    return list(dict.fromkeys(names))


def _panel(outcome: Outcome, years: range) -> pl.DataFrame:
    from allegiance.panel.build import build_panel

    families = list(dict.fromkeys([*_FAMILIES, *outcome.families]))
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
    if values.select(_KEYS).equals(frame.select(_KEYS)):
        # The measure's rows are the frame's, in the same order: nothing to match.
        return frame.hstack(values.drop(_KEYS).get_columns())
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
