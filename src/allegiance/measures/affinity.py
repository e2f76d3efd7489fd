"""UN voting affinity per dyad-year: vote agreement, kappa and S on votes, ideal-point distance."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from allegiance.data import bundle
from allegiance.data.catalog import get as get_dataset
from allegiance.errors import AllegianceWarning, ParameterError, UnknownCodeError
from allegiance.measures.registry import NoOptions, Scope, register_measure, scope_dyad_years

__all__ = [
    "VOTE_CATEGORIES",
    "IdealPointOptions",
    "UnAgreementOptions",
    "UnKappaOptions",
    "agreement",
    "ideal_gap",
    "idealpoint_distance",
    "un_agreement",
    "un_country_codes",
    "un_kappa",
    "un_vote_tables",
    "vote_kappa",
    "vote_sscore",
    "vote_table",
]

#: The three recorded votes, in their ordinal order (index 0, 1, 2 = codes 1, 2, 3).
VOTE_CATEGORIES = ("yes", "abstain", "no")
_VOTE_INDEX = {v: i for i, v in enumerate(VOTE_CATEGORIES)}
_CELLS = [f"n{a}{b}" for a in range(3) for b in range(3)]
#: A score of one vote table (a float) or of a stack of tables (an array).
Scores = float | NDArray[np.float64]

# ----------------------------------------------------------------------------- pure helpers


def vote_table(x: Sequence[str | None], y: Sequence[str | None]) -> NDArray[np.float64]:
    """The 3 x 3 table of two states' votes on the same roll calls.

    ``x[r]`` and ``y[r]`` are ``'yes'``, ``'abstain'``, ``'no'`` or ``None`` (absent, not a
    member); roll calls where either is ``None`` are left out. Rows are ``x``'s vote and
    columns ``y``'s, both in the order yes, abstain, no.

    >>> vote_table(["yes", "no", None], ["yes", "abstain", "no"]).astype(int).tolist()
    [[1, 0, 0], [0, 0, 0], [0, 1, 0]]
    """
    if len(x) != len(y):
        raise ParameterError(
            f"vote_table() needs two vote sequences of equal length. Got {len(x)} and {len(y)}."
        )
    table = np.zeros((3, 3))
    for a, b in zip(x, y, strict=True):
        if a is None or b is None:
            continue
        try:
            table[_VOTE_INDEX[a], _VOTE_INDEX[b]] += 1
        except KeyError as exc:
            raise ParameterError(
                f"vote_table() takes votes 'yes', 'abstain', 'no' or None. Got {exc.args[0]!r}."
            ) from None
    return table


def _as_tables(table: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(table, dtype=np.float64)
    if arr.shape[-2:] != (3, 3):
        raise ParameterError(
            f"Vote tables must have shape (..., 3, 3) (yes/abstain/no). Got {arr.shape}."
        )
    return arr


def _safe_div(num: NDArray[np.float64], den: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _scalar_or_stack(values: NDArray[np.float64]) -> Scores:
    """A float for one vote table, an array for a stack (``arr[()]`` unwraps 0-d arrays)."""
    return values[()]


_POS = np.arange(3.0)
_ABS = np.abs(_POS[:, None] - _POS[None, :])  # |i - j| on codes yes=1, abstain=2, no=3


def agreement(table: ArrayLike, *, abstain: Literal["disagree", "half"] = "disagree") -> Scores:
    """Share of agreeing votes in a (stack of) 3 x 3 vote table(s).

    .. math:: A = \\frac{1}{N} \\sum_{a,b} c_{ab} \\, n_{ab}

    where :math:`n_{ab}` counts roll calls on which the first state voted :math:`a` and the
    second :math:`b` (yes, abstain, no), :math:`N = \\sum_{a,b} n_{ab}` and the credit
    :math:`c_{ab}` is 1 for identical votes; for ``abstain='half'`` it is 1/2 when one state
    abstained and the other voted yes or no (Voeten's agreement index), else 0.

    >>> t = vote_table(["yes", "yes", "no", "abstain"], ["yes", "no", "no", "yes"])
    >>> float(agreement(t)), float(agreement(t, abstain="half"))
    (0.5, 0.625)
    """
    t = _as_tables(table)
    if abstain not in ("disagree", "half"):
        raise ParameterError(
            f"The 'abstain' parameter of agreement() must be one of {{'disagree', 'half'}}. "
            f"Got {abstain!r} instead."
        )
    credit = np.eye(3) if abstain == "disagree" else 1.0 - _ABS / 2.0
    return _scalar_or_stack(_safe_div((t * credit).sum(axis=(-2, -1)), t.sum(axis=(-2, -1))))


def _weights(kind: str) -> NDArray[np.float64]:
    if kind == "quadratic":
        return (_ABS / 2.0) ** 2
    if kind == "linear":
        return _ABS / 2.0
    if kind == "nominal":
        return 1.0 - np.eye(3)
    raise ParameterError(
        f"The 'weights' parameter of vote_kappa() must be one of "
        f"{{'quadratic', 'linear', 'nominal'}}. Got {kind!r} instead."
    )


def vote_kappa(
    table: ArrayLike, *, weights: Literal["quadratic", "linear", "nominal"] = "quadratic"
) -> Scores:
    """Cohen's (weighted) kappa of a (stack of) 3 x 3 vote table(s).

    .. math:: \\kappa = 1 - \\frac{\\sum_{a,b} w_{ab} \\, p_{ab}}
                              {\\sum_{a,b} w_{ab} \\, p_{a\\cdot} \\, p_{\\cdot b}}

    where :math:`p_{ab} = n_{ab} / N` is the share of roll calls with votes :math:`(a, b)`,
    :math:`p_{a\\cdot}` and :math:`p_{\\cdot b}` are each state's own vote shares (so the
    denominator is the disagreement expected if the two voted independently), and
    :math:`w_{ab}` is the disagreement weight of the ordinal codes yes=1, abstain=2, no=3:
    :math:`((a-b)/2)^2` for ``'quadratic'``, :math:`|a-b|/2` for ``'linear'``, and
    :math:`[a \\ne b]` for ``'nominal'`` (unweighted kappa). NaN when the expected
    disagreement is 0 (both states cast one and the same vote on every roll call) or the
    table is empty.

    >>> t = vote_table(["yes", "yes", "no", "no"], ["yes", "no", "no", "no"])
    >>> float(vote_kappa(t))  # observed 1/4; expected .5*.75 + .5*.25 = 1/2 -> 1 - (1/4)/(1/2)
    0.5
    """
    t = _as_tables(table)
    w = _weights(weights)
    n = t.sum(axis=(-2, -1))
    p = _safe_div(t, n[..., None, None])
    observed = (w * p).sum(axis=(-2, -1))
    expected = np.einsum("ab,...a,...b->...", w, p.sum(axis=-1), p.sum(axis=-2))
    out = 1.0 - _safe_div(observed, np.where(np.isnan(expected), 0.0, expected))
    return _scalar_or_stack(np.where(np.isnan(observed) | ~(expected > 0), np.nan, out))


def vote_sscore(table: ArrayLike) -> Scores:
    """Signorino and Ritter's S on votes of a (stack of) 3 x 3 vote table(s).

    .. math:: S = 1 - \\frac{2}{N} \\sum_{a,b} n_{ab} \\frac{|a - b|}{d_{max}}

    where votes are coded yes=1, abstain=2, no=3, :math:`n_{ab}` and :math:`N` are as in
    :func:`agreement`, and :math:`d_{max} = 2` is the largest possible distance (yes against
    no). S runs from -1 (always opposite) to 1 (always identical), and equals
    ``2 * agreement(table, abstain='half') - 1``.

    >>> t = vote_table(["yes", "yes", "no", "abstain"], ["yes", "no", "no", "yes"])
    >>> float(vote_sscore(t))  # distances 0, 2, 0, 1 -> 1 - 2 * (3/2) / 4
    0.25
    """
    t = _as_tables(table)
    distance = _safe_div((t * _ABS / 2.0).sum(axis=(-2, -1)), t.sum(axis=(-2, -1)))
    return _scalar_or_stack(1.0 - 2.0 * distance)


def _pair_tables(
    matrix: NDArray[np.int8], a: NDArray[np.intp], b: NDArray[np.intp]
) -> NDArray[np.int64]:
    """Vote tables of state pairs ``(a[k], b[k])`` from a roll-call x state matrix.

    ``matrix[r, s]`` is state ``s``'s vote on roll call ``r`` (0 yes, 1 abstain, 2 no, -1 no
    recorded vote). Returns ``(K, 9)`` counts, column ``3 * u + v`` counting roll calls on
    which ``a[k]`` voted ``u`` and ``b[k]`` voted ``v``.

    >>> m = np.array([[0, 0], [2, 1], [-1, 0]], dtype=np.int8)
    >>> _pair_tables(m, np.array([0]), np.array([1])).tolist()
    [[1, 0, 0, 0, 0, 0, 0, 1, 0]]
    """
    x = matrix[:, a].astype(np.int64)
    y = matrix[:, b].astype(np.int64)
    valid = (x >= 0) & (y >= 0)
    cell = np.arange(a.size, dtype=np.int64)[None, :] * 9 + x * 3 + y
    return np.bincount(cell[valid], minlength=a.size * 9).reshape(a.size, 9)


# ----------------------------------------------------------------------------- data plumbing


@cache
def un_country_codes() -> pl.DataFrame:
    """COW codes of the states in the UN votes table: ``country, country_code, ccode``.

    Each ``country`` name of ``un_votes`` is resolved with :func:`allegiance.data.codes.resolve`
    in the last year it voted (names are unambiguous; the ISO2 column is null for the
    Federal Republic of Germany, the Yemen Arab Republic and Zanzibar and ambiguous for
    'DE'). Names that cannot be resolved get a null ``ccode`` and are listed in one
    :class:`AllegianceWarning`; with the bundled data there are none.
    """
    from allegiance.data.codes import resolve

    votes = bundle.scan("un_votes").select("rcid", "country", "country_code")
    dates = bundle.scan("un_roll_calls").select("rcid", pl.col("date").dt.year().alias("year"))
    names = (
        votes.join(dates, on="rcid", how="left")
        .group_by("country", "country_code")
        .agg(pl.col("year").max())
        .sort("country")
        .collect()
    )
    codes: list[int | None] = []
    unmapped: list[str] = []
    for row in names.iter_rows(named=True):
        try:
            codes.append(resolve(row["country"], year=row["year"]).ccode)
        except UnknownCodeError:
            codes.append(None)
            unmapped.append(str(row["country"]))
    if unmapped:
        warnings.warn(
            f"UN voting data: no COW code for {', '.join(unmapped)}; their votes are left out.",
            AllegianceWarning,
            stacklevel=2,
        )
    return names.select("country", "country_code").with_columns(
        pl.Series("ccode", codes, dtype=pl.Int32)
    )


#: Up to this many years, :func:`un_vote_tables` reads only their votes (a landscape or a
#: balance of one year reads 20,000 votes, not 870,000); beyond, all votes, read once.
_FEW_YEARS = 3


@cache
def _votes(year_from: str, roll_calls: str, years: tuple[int, ...] | None = None) -> pl.DataFrame:
    """``rcid, year, ccode, code`` (0 yes, 1 abstain, 2 no) of every mapped recorded vote (in
    ``years`` only, when given)."""
    calls = bundle.scan("un_roll_calls")
    if roll_calls == "resolutions":
        calls = calls.filter(
            (pl.col("amend").fill_null(0) == 0) & (pl.col("para").fill_null(0) == 0)
        )
    year = pl.col("date").dt.year() if year_from == "date" else pl.col("session") + 1945
    calls = calls.select("rcid", year.cast(pl.Int32).alias("year"))
    if years is not None:
        calls = calls.filter(pl.col("year").is_in(list(years)))
    codes = un_country_codes().lazy().filter(pl.col("ccode").is_not_null())
    return (
        bundle.scan("un_votes")
        .join(calls, on="rcid", how="inner")
        .join(codes.select("country", "ccode"), on="country", how="inner")
        .select(
            "rcid",
            "year",
            "ccode",
            pl.col("vote").replace_strict(_VOTE_INDEX, return_dtype=pl.Int8).alias("code"),
        )
        .collect()
    )


def un_vote_tables(
    dyads: pl.DataFrame,
    *,
    year_from: Literal["date", "session"] = "date",
    roll_calls: Literal["all", "resolutions"] = "all",
) -> pl.DataFrame:
    """The 3 x 3 vote table of every dyad-year in ``dyads`` (columns ``ccode1, ccode2, year``).

    Returns ``dyads`` with nine count columns ``n00 ... n22`` (``nab``: roll calls on which
    ``ccode1`` voted ``a`` and ``ccode2`` voted ``b``; 0 yes, 1 abstain, 2 no), zero when
    either state has no recorded vote that year. Rows and their order are kept.
    """
    key = dyads.select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
    ).with_row_index("_row")
    wanted = tuple(sorted(key["year"].unique().drop_nulls().to_list()))
    votes = _votes(year_from, roll_calls, wanted if len(wanted) <= _FEW_YEARS else None)
    counts = np.zeros((key.height, 9))
    by_year = {y: g for (y,), g in votes.group_by("year")}
    for (year,), rows in key.group_by("year"):
        group = by_year.get(year)
        if group is None:
            continue
        rcids, r_idx = np.unique(group["rcid"].to_numpy(), return_inverse=True)
        states, s_idx = np.unique(group["ccode"].to_numpy(), return_inverse=True)
        matrix = np.full((rcids.size, states.size), -1, dtype=np.int8)
        matrix[r_idx, s_idx] = group["code"].to_numpy()
        a = np.searchsorted(states, rows["ccode1"].to_numpy())
        b = np.searchsorted(states, rows["ccode2"].to_numpy())
        a_ok = (a < states.size) & (
            states[np.minimum(a, states.size - 1)] == rows["ccode1"].to_numpy()
        )
        b_ok = (b < states.size) & (
            states[np.minimum(b, states.size - 1)] == rows["ccode2"].to_numpy()
        )
        ok = a_ok & b_ok
        counts[rows["_row"].to_numpy()[ok]] = _pair_tables(matrix, a[ok], b[ok])
    cells = pl.DataFrame(counts, schema=_CELLS).cast(pl.Int32)
    return pl.concat([dyads, cells], how="horizontal")


def _check_years(name: str, scope: Scope, dataset: str) -> tuple[int, int]:
    years = get_dataset(dataset).years
    assert years is not None
    first, last = years
    if scope.years.stop - 1 < first or scope.years.start > last:
        raise ParameterError(
            f"The measure {name!r} covers {first}-{last} (dataset {dataset!r}). "
            f"Got {scope.years.start}-{scope.years.stop - 1}; choose years that overlap it."
        )
    return first, last


def _finish(frame: pl.DataFrame, keep: Sequence[str]) -> pl.DataFrame:
    return frame.select("ccode1", "ccode2", "year", *keep).with_columns(
        pl.col(c).fill_nan(None) for c in keep if frame.schema[c] == pl.Float64
    )


# ----------------------------------------------------------------------------- measures


class _VoteOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    year_from: Literal["date", "session"] = "date"
    roll_calls: Literal["all", "resolutions"] = "all"
    min_votes: int = Field(1, ge=1)


class UnAgreementOptions(_VoteOptions):
    """Options of :func:`un_agreement`."""

    abstain: Literal["disagree", "half"] = "disagree"


class UnKappaOptions(_VoteOptions):
    """Options of :func:`un_kappa`."""

    weights: Literal["quadratic", "linear", "nominal"] = "quadratic"


def _tables_for(name: str, scope: Scope, opts: _VoteOptions) -> tuple[pl.DataFrame, np.ndarray]:
    _check_years(name, scope, "unvotes")
    rows = scope_dyad_years(scope)
    tables = un_vote_tables(rows, year_from=opts.year_from, roll_calls=opts.roll_calls)
    counts = tables.select(_CELLS).to_numpy().astype(np.float64).reshape(-1, 3, 3)
    n = counts.sum(axis=(1, 2))
    counts[n < opts.min_votes] = 0.0
    return tables.with_columns(pl.Series("un_nvotes", n.astype(np.int32))), counts


@register_measure(
    "un_agreement",
    options=UnAgreementOptions,
    citations=("voeten-unvotes", "robinson-unvotes", "bailey2017"),
)
def un_agreement(scope: Scope, opts: UnAgreementOptions) -> pl.DataFrame:
    """Share of UN General Assembly roll calls on which the two states voted alike.

    .. math:: A_{ij,t} = \\frac{1}{N_{ij,t}} \\sum_{a,b} c_{ab} \\, n_{ab}

    where :math:`n_{ab}` counts the year-:math:`t` roll calls on which state :math:`i` voted
    :math:`a` and state :math:`j` voted :math:`b` (yes, abstain, no), :math:`N_{ij,t}` is the
    number of roll calls on which both cast one of these votes, and :math:`c_{ab}` is the
    credit: 1 for identical votes, 0 for different ones; with ``abstain='half'``, 1/2 when one
    abstained and the other voted yes or no (the rule of Voeten's agreement index).

    Parameters
    ----------
    scope : Scope
        Years and dyads (or a region) to compute.
    opts : UnAgreementOptions
        ``abstain`` ('disagree' or 'half', see above); ``year_from`` ('date': the calendar
        year of the roll call's date; 'session': 1945 + session number); ``roll_calls``
        ('all', or 'resolutions': leave out votes flagged as on amendments or separate
        paragraphs); ``min_votes`` (null below this many shared roll calls; default 1).

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, un_agreement`` (Float64 in [0, 1]) and ``un_nvotes``
        (Int32, :math:`N_{ij,t}`).

    Raises
    ------
    ParameterError
        If the years do not overlap the voting data (1946-2020).

    Notes
    -----
    Data: Voeten, Strezhnev and Bailey's roll calls [voeten-unvotes]_ as packaged in unvotes
    [robinson-unvotes]_. Absences: the unvotes data record only yes, no and abstain; a state
    that was absent or
    not a member has no row, and such roll calls are left out of that dyad's :math:`N`
    (Voeten's agreement scores treat absences as missing too). Null where either state cast
    no vote that year (not yet a member, South and North Korea before 1991, the PRC before
    1971) or outside 1946-2020. The roll-call data end with one roll call dated 2020, so
    2020 values rest on a single vote; raise ``min_votes`` to drop such years.

    Countries are mapped to COW codes by name (see :func:`un_country_codes`): the Federal
    Republic of Germany is 260 and 'Germany' (from 1991) 255, the German Democratic
    Republic 265; 'Yemen Arab Republic' 678, 'Yemen People's Republic' 680, 'Yemen' 679;
    'Russia' 365 throughout (the USSR seat); 'Yugoslavia' 345 throughout; 'China' (from
    1971) 710 and 'Taiwan' 713 for the Republic of China's seat in 1946-1971, as
    Bailey, Strezhnev and Voeten [bailey2017]_ code it. COW's China (710) has therefore no votes in
    1946-1970, and COW's Taiwan (713) none before 1949, when it enters the COW system.

    Compared with the South Korea dyad-years of stevedata's ``rok_unga`` (1991-2022, built
    from the 2024 release of Voeten's data): its ``agree`` uses ``abstain='disagree'`` and
    equals this measure for over 99% of dyad-years in 1991-1992, 1994-1996 and 2014-2015,
    years whose roll calls include no amendment or paragraph votes. In 1991-2019 as a whole,
    ``roll_calls='resolutions'`` matches 54% of dyad-years exactly and 82% within 0.01 (the
    two releases hold different roll-call sets). Its ``v_agree`` (Voeten's own agreement
    score) matches ``abstain='half', year_from='session'`` within 0.01 for 99.6%.

    Examples
    --------
    >>> t = vote_table(["yes", "no", "abstain"], ["yes", "yes", "no"])
    >>> round(float(agreement(t)), 4), float(agreement(t, abstain="half"))
    (0.3333, 0.5)
    """
    tables, counts = _tables_for("un_agreement", scope, opts)
    out = tables.with_columns(
        pl.Series("un_agreement", np.atleast_1d(agreement(counts, abstain=opts.abstain)))
    )
    return _finish(out, ["un_agreement", "un_nvotes"])


@register_measure(
    "un_kappa",
    options=UnKappaOptions,
    citations=("haege2011", "cohen1960", "signorino1999", "voeten-unvotes", "robinson-unvotes"),
)
def un_kappa(scope: Scope, opts: UnKappaOptions) -> pl.DataFrame:
    """Cohen's kappa of two states' UN General Assembly votes in a year, with S on votes.

    .. math:: \\kappa_{ij,t} = 1 - \\frac{\\sum_{a,b} w_{ab} \\, p_{ab}}
                                       {\\sum_{a,b} w_{ab} \\, p_{a\\cdot} \\, p_{\\cdot b}}

    where :math:`p_{ab}` is the share of the year-:math:`t` roll calls both states voted on
    in which :math:`i` voted :math:`a` and :math:`j` voted :math:`b` (yes=1, abstain=2,
    no=3), :math:`p_{a\\cdot}` and :math:`p_{\\cdot b}` are each state's own vote shares on
    those roll calls, and :math:`w_{ab}` is the disagreement weight, by default
    :math:`((a-b)/2)^2`.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or a region) to compute.
    opts : UnKappaOptions
        ``weights`` ('quadratic', 'linear' :math:`|a-b|/2`, or 'nominal' :math:`[a \\ne b]`);
        ``year_from``, ``roll_calls`` and ``min_votes`` as in :func:`un_agreement`.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, un_kappa`` (Float64, at most 1; 0 is chance agreement),
        ``un_sscore`` (S on the same votes: :math:`1 - 2\\bar d / d_{max}` with
        :math:`\\bar d` the mean :math:`|a-b|` and :math:`d_{max}=2`) and ``un_nvotes``.

    Raises
    ------
    ParameterError
        If the years do not overlap the voting data (1946-2020).

    Notes
    -----
    Kappa corrects agreement for the agreement two states would reach by voting
    independently with their own yes/abstain/no frequencies (Cohen's kappa [cohen1960]_ as
    Häge [haege2011]_ applies it; S on votes is Signorino and Ritter's [signorino1999]_, on
    the roll calls of [voeten-unvotes]_ [robinson-unvotes]_). It is null where
    it is undefined: when both states cast one and the same vote on every shared roll call
    (the expected disagreement is 0), when they share no roll call, and outside 1946-2020.
    Absences, the year of a roll call and the country codes are handled as in
    :func:`un_agreement`. The quadratic weights reproduce the weighted kappa of R's
    ``psych::cohen.kappa``, which stevedata's ``rok_unga`` uses; with only two of the three
    votes observed in a dyad-year every weighting gives the same value.

    Examples
    --------
    >>> t = vote_table(["yes", "yes", "no", "no"], ["yes", "yes", "no", "no"])
    >>> float(vote_kappa(t)), float(vote_sscore(t))
    (1.0, 1.0)
    """
    tables, counts = _tables_for("un_kappa", scope, opts)
    out = tables.with_columns(
        pl.Series("un_kappa", np.atleast_1d(vote_kappa(counts, weights=opts.weights))),
        pl.Series("un_sscore", np.atleast_1d(vote_sscore(counts))),
    )
    return _finish(out, ["un_kappa", "un_sscore", "un_nvotes"])


class IdealPointOptions(NoOptions):
    """Options of :func:`idealpoint_distance` (none)."""


def ideal_gap(ideal1: ArrayLike, ideal2: ArrayLike) -> NDArray[np.float64]:
    """Absolute distance between two states' ideal points.

    >>> ideal_gap([1.5, -0.5], [0.5, 0.5]).tolist()
    [1.0, 1.0]
    """
    return np.abs(np.asarray(ideal1, dtype=np.float64) - np.asarray(ideal2, dtype=np.float64))


@register_measure(
    "idealpoint_distance", options=IdealPointOptions, citations=("bailey2017", "voeten2024")
)
def idealpoint_distance(scope: Scope, opts: IdealPointOptions) -> pl.DataFrame:
    """Distance between two states' UN General Assembly ideal points in a year.

    .. math:: D_{ij,t} = |\\theta_{i,t} - \\theta_{j,t}|

    where :math:`\\theta_{i,t}` is state :math:`i`'s ideal point (``IdealPointAll``, all votes) of
    Bailey, Strezhnev and Voeten [bailey2017]_ [voeten2024]_ in the session that opens in year
    :math:`t`.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or a region) to compute.
    opts : IdealPointOptions
        None.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, idealpoint_distance`` (Float64, >= 0) and the two ideal
        points ``un_ideal1``, ``un_ideal2``.

    Raises
    ------
    ParameterError
        If the years do not overlap the ideal points (1946-2023).

    Notes
    -----
    Session :math:`s` is year :math:`1945 + s` (session 1 = 1946, 78 = 2023), the year the
    regular session opens; with this mapping the ideal points equal stevedata's ``rok_unga``
    ``ip1``/``ip2`` for every South Korea dyad-year. The estimates carry COW codes; the
    Republic of China's seat is 713 in 1946-1971 and the PRC 710 from 1971. Null where a
    state has no estimate (not a UN member, or too few votes) or outside 1946-2023.

    Examples
    --------
    >>> float(ideal_gap(1.25, -0.75)[()])
    2.0
    """
    _check_years("idealpoint_distance", scope, "unga_idealpoints")
    rows = scope_dyad_years(scope)
    ideal = (
        bundle.scan("unga_idealpoints")
        .select(
            pl.col("ccode").cast(pl.Int32),
            (pl.col("session") + 1945).cast(pl.Int32).alias("year"),
            pl.col("IdealPointAll").alias("ideal"),
        )
        .collect()
    )
    out = rows.join(
        ideal.rename({"ccode": "ccode1", "ideal": "un_ideal1"}),
        on=["ccode1", "year"],
        how="left",
        validate="m:1",
    ).join(
        ideal.rename({"ccode": "ccode2", "ideal": "un_ideal2"}),
        on=["ccode2", "year"],
        how="left",
        validate="m:1",
    )
    out = out.with_columns(
        (pl.col("un_ideal1") - pl.col("un_ideal2")).abs().alias("idealpoint_distance")
    )
    return _finish(out, ["idealpoint_distance", "un_ideal1", "un_ideal2"])
