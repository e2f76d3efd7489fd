"""Cultural similarity per dyad-year: religious similarity (WRP) and common language (CEPII)."""

from __future__ import annotations

from functools import cache
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict

from allegiance.data import bundle
from allegiance.data.catalog import get as get_dataset
from allegiance.errors import ParameterError
from allegiance.measures.registry import NoOptions, Scope, register_measure, scope_dyad_years

__all__ = [
    "CEPII_ISO3_ALIASES",
    "RELIGION_BRANCHES",
    "RELIGION_FAMILIES",
    "CommonLanguageOptions",
    "ReligionOptions",
    "ccode_cepii_iso3",
    "common_language",
    "religion_shares",
    "religion_similarity",
    "share_similarity",
]

#: WRP national columns of the religion families (adherent counts); with non-religious and
#: other religions they cover the population once, except in dual-affiliation states.
RELIGION_FAMILIES = (
    "total_christians",
    "total_jews",
    "total_muslims",
    "total_buddhists",
    "total_zoroastrains_parsis",
    "total_hindus",
    "total_sikhs",
    "total_shinto",
    "total_bahai",
    "total_taoists",
    "total_jains",
    "total_confucists",
    "total_syncretics",
    "total_animists",
    "non_religious",
    "other_religions",
)

#: WRP columns when Christianity, Judaism, Islam and Buddhism are split into their branches.
RELIGION_BRANCHES = (
    "chrstprot",
    "chrstcat",
    "chrstorth",
    "chrstang",
    "chrstothr",
    "judorth",
    "jdcons",
    "judref",
    "judothr",
    "islmsun",
    "islmshi",
    "islmibd",
    "islmnat",
    "islmalw",
    "islmahm",
    "islmothr",
    "budmah",
    "budthr",
    "budothr",
    *RELIGION_FAMILIES[4:],
)

#: CEPII GeoDist uses older ISO3 codes for two states; the crosswalk's code -> CEPII's.
CEPII_ISO3_ALIASES = {"COD": "ZAR", "TLS": "TMP"}

_WAVE = 5  # WRP national data: one wave every 5 years

# ----------------------------------------------------------------------------- pure helpers


def share_similarity(p: ArrayLike, q: ArrayLike) -> NDArray[np.float64] | float:
    """One minus half the L1 distance between two share vectors (last axis).

    .. math:: R = 1 - \\frac{1}{2} \\sum_k |p_k - q_k|

    where :math:`p_k` and :math:`q_k` are the two shares of category :math:`k`. For shares
    that each sum to one, :math:`R` is in [0, 1]: 1 for identical compositions, 0 when the
    two have no category in common. NaN propagates (a missing share gives NaN).

    >>> share_similarity([0.5, 0.5, 0.0], [0.5, 0.0, 0.5])  # 1 - (0 + .5 + .5) / 2
    0.5
    >>> share_similarity([1.0, 0.0], [0.0, 1.0])
    0.0
    """
    a = np.asarray(p, dtype=np.float64)
    b = np.asarray(q, dtype=np.float64)
    if a.shape[-1] != b.shape[-1]:
        raise ParameterError(
            f"share_similarity() needs share vectors of the same length. "
            f"Got {a.shape[-1]} and {b.shape[-1]}."
        )
    out = 1.0 - 0.5 * np.abs(a - b).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def religion_shares(
    counts: ArrayLike,
    population: ArrayLike,
    *,
    denominator: Literal["adherents", "population"] = "adherents",
) -> NDArray[np.float64]:
    """Shares of each religion from adherent counts (rows: states, columns: religions).

    ``'adherents'`` divides by the row total of the counts (so shares sum to one);
    ``'population'`` divides by ``population``. Rows with a zero denominator give NaN.

    >>> religion_shares([[30, 10, 60]], [100]).tolist()
    [[0.3, 0.1, 0.6]]
    >>> religion_shares([[60, 90]], [100], denominator="population").tolist()
    [[0.6, 0.9]]
    """
    c = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    if denominator == "adherents":
        den = c.sum(axis=1)
    elif denominator == "population":
        den = np.asarray(population, dtype=np.float64).reshape(-1)
    else:
        raise ParameterError(
            f"The 'denominator' parameter of religion_shares() must be one of "
            f"{{'adherents', 'population'}}. Got {denominator!r} instead."
        )
    out = np.full(c.shape, np.nan)
    np.divide(c, den[:, None], out=out, where=den[:, None] > 0)
    return out


# ----------------------------------------------------------------------------- options


class ReligionOptions(BaseModel):
    """Options of :func:`religion_similarity`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    level: Literal["family", "branch"] = "family"
    denominator: Literal["adherents", "population"] = "adherents"
    fill: Literal["carry", "interpolate"] = "carry"


class CommonLanguageOptions(NoOptions):
    """Options of :func:`common_language` (none)."""


# ----------------------------------------------------------------------------- religion


def _wrp_years() -> tuple[int, int]:
    years = get_dataset("cow_wrp").years
    assert years is not None
    return years


def _state_year_shares(
    years: range, columns: tuple[str, ...], opts: ReligionOptions
) -> pl.DataFrame:
    """``ccode, year, s0 ... sK`` religion shares for every WRP state in ``years``."""
    first, last = _wrp_years()
    wrp = bundle.load("wrp_national")
    counts = wrp.select(columns).fill_null(0).to_numpy()
    shares = religion_shares(
        counts, wrp["population_in_independent_states"].to_numpy(), denominator=opts.denominator
    )
    names = [f"s{k}" for k in range(len(columns))]
    waves = pl.concat(
        [
            wrp.select(
                pl.col("state").cast(pl.Int32).alias("ccode"),
                pl.col("year").cast(pl.Int32).alias("wave"),
            ),
            pl.DataFrame(shares, schema=names),
        ],
        how="horizontal",
    )
    grid = pl.DataFrame(
        {"year": pl.int_range(max(years.start, first), min(years.stop, last + _WAVE), eager=True)},
        schema={"year": pl.Int32},
    ).with_columns(
        (first + (pl.col("year") - first) // _WAVE * _WAVE).cast(pl.Int32).alias("wave"),
    )
    frame = grid.join(waves, on="wave", how="inner")
    if opts.fill == "interpolate":
        nxt = waves.select(
            "ccode",
            (pl.col("wave") - _WAVE).alias("wave"),
            *[pl.col(n).alias(f"next_{n}") for n in names],
        )
        frame = frame.join(nxt, on=["ccode", "wave"], how="left", validate="m:1")
        t = (pl.col("year") - pl.col("wave")) / _WAVE
        frame = frame.with_columns(
            pl.when(pl.col(f"next_{n}").is_not_null() & pl.col(f"next_{n}").is_not_nan())
            .then(pl.col(n) * (1 - t) + pl.col(f"next_{n}") * t)
            .otherwise(pl.col(n))
            .alias(n)
            for n in names
        )
    return frame.select("ccode", "year", *names)


@register_measure("religion_similarity", options=ReligionOptions, citations=("maoz2013",))
def religion_similarity(scope: Scope, opts: ReligionOptions) -> pl.DataFrame:
    """Similarity of two states' religious compositions (World Religion Project).

    .. math:: R_{ij,t} = 1 - \\frac{1}{2} \\sum_{k} |p_{ik,t} - p_{jk,t}|

    where :math:`p_{ik,t}` is the share of state :math:`i`'s population adhering to
    religion :math:`k` in the WRP wave that applies to year :math:`t`; :math:`R` is one minus
    the total variation distance between the two compositions, in [0, 1].

    Parameters
    ----------
    scope : Scope
        Years and dyads (or a region) to compute.
    opts : ReligionOptions
        ``level``: 'family' (16 categories: the WRP ``total_*`` columns of Christians, Jews,
        Muslims, Buddhists, Zoroastrians, Hindus, Sikhs, Shinto, Baha'i, Taoists, Jains,
        Confucians, syncretic religions, animists, plus ``non_religious`` and
        ``other_religions``) or 'branch' (Christianity, Judaism, Islam and Buddhism split
        into the WRP's 19 branch columns, the other 12 categories as before).
        ``denominator``: 'adherents' (default; shares of the sum of the categories, so they
        sum to one) or 'population' (shares of ``population_in_independent_states``).
        ``fill``: 'carry' (default; year :math:`t` takes the latest wave at or before it,
        at most 4 years earlier) or 'interpolate' (linear between the two surrounding waves
        of the state; carried where the next wave is missing).

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, religion_similarity`` (Float64).

    Raises
    ------
    ParameterError
        If the years do not overlap 1945-2014 (the WRP waves 1945-2010, the last carried
        four years).

    Notes
    -----
    The WRP national data [maoz2013]_ give adherent counts every five years, 1945-2010. Their
    categories cover each population once, except where the WRP records dual affiliation
    (Japan, Cuba and Haiti in some waves, whose counts sum to up to 1.7 times the
    population). Dividing by the sum of the categories keeps :math:`R` in [0, 1] and equals
    the population shares wherever the counts sum to the population; with
    ``denominator='population'`` the shares of dual-affiliation states sum to more than
    one and :math:`R` can fall below 0. The two null cells of branch columns (``judref``,
    ``islmothr``) count as 0. Null where either state has no WRP record in the wave (e.g.
    a state absent from that wave) and for years before 1945 or after 2014. States keep
    their COW codes (the WRP ``state`` column), e.g. 260 and 265 for the two Germanies.

    Examples
    --------
    >>> p = religion_shares([[80, 20, 0], [50, 0, 50]], [100, 100])
    >>> float(share_similarity(p[0], p[1]))  # 1 - (.3 + .2 + .5) / 2
    0.5
    """
    first, last = _wrp_years()
    if scope.years.stop - 1 < first or scope.years.start > last + _WAVE - 1:
        raise ParameterError(
            f"The measure 'religion_similarity' covers {first}-{last + _WAVE - 1} (dataset "
            f"'cow_wrp', waves {first}-{last} every {_WAVE} years). Got "
            f"{scope.years.start}-{scope.years.stop - 1}; choose years that overlap it."
        )
    columns = RELIGION_FAMILIES if opts.level == "family" else RELIGION_BRANCHES
    shares = _state_year_shares(scope.years, columns, opts)
    names = [c for c in shares.columns if c.startswith("s")]
    rows = scope_dyad_years(scope)
    key = rows.select(
        pl.col("ccode1").cast(pl.Int32),
        pl.col("ccode2").cast(pl.Int32),
        pl.col("year").cast(pl.Int32),
    )
    p = key.join(
        shares.rename({"ccode": "ccode1"}), on=["ccode1", "year"], how="left", validate="m:1"
    ).select(names)
    q = key.join(
        shares.rename({"ccode": "ccode2"}), on=["ccode2", "year"], how="left", validate="m:1"
    ).select(names)
    value = np.atleast_1d(
        share_similarity(
            p.to_numpy().astype(np.float64, copy=False),
            q.to_numpy().astype(np.float64, copy=False),
        )
    )
    if opts.denominator == "adherents":  # shares sum to one: remove rounding outside [0, 1]
        value = np.clip(value, 0.0, 1.0)
    out = rows.with_columns(pl.Series("religion_similarity", value).fill_nan(None))
    return out.select("ccode1", "ccode2", "year", "religion_similarity")


# ----------------------------------------------------------------------------- language


@cache
def _cepii_codes() -> frozenset[str]:
    geo = bundle.scan("cepii_geodist").select("iso_o").drop_nulls().unique().collect()
    return frozenset(geo["iso_o"].to_list())


def ccode_cepii_iso3(rows: pl.DataFrame, ccode: str = "ccode") -> pl.DataFrame:
    """Add ``iso3`` (the CEPII GeoDist country code) of each COW state-year in ``rows``.

    The code is the ISO3 code that the package's crosswalk (bundle ``country_codes``) gives
    the state in that year (after the crosswalk's last year, that of the state's latest
    spell), renamed where CEPII uses an older code
    (:data:`CEPII_ISO3_ALIASES`); null where the state has no ISO3 code or CEPII has no
    country with it. Rows and their order are kept.

    >>> frame = pl.DataFrame({"ccode": [740, 490, 817], "year": [2000, 2000, 1970]})
    >>> ccode_cepii_iso3(frame)["iso3"].to_list()
    ['JPN', 'ZAR', None]
    """
    known = list(_cepii_codes())
    units = (
        bundle.scan("country_codes")
        .filter(pl.col("ccode").is_not_null())
        .select("ccode", "iso3", "start_year", "end_year")
        .unique()
        .with_columns(pl.col("iso3").replace(CEPII_ISO3_ALIASES))
        .with_columns(pl.when(pl.col("iso3").is_in(known)).then(pl.col("iso3")).alias("iso3"))
        .collect()
    )
    cross = (
        units.with_columns(pl.int_ranges("start_year", pl.col("end_year") + 1).alias("year"))
        .explode("year")
        .sort("ccode", "year", pl.col("iso3").is_null())
        .unique(["ccode", "year"], keep="first")
        .select(pl.col("ccode").cast(rows.schema[ccode]).alias(ccode), "year", "iso3")
    )
    # After the crosswalk's last year (2016) a state keeps the code of its latest spell.
    latest = (
        units.sort("ccode", "end_year")
        .group_by("ccode")
        .agg(pl.col("end_year").last().alias("_last"), pl.col("iso3").last().alias("_latest"))
        .select(pl.col("ccode").cast(rows.schema[ccode]).alias(ccode), "_last", "_latest")
    )
    year = rows.schema["year"]
    return (
        rows.join(
            cross.with_columns(pl.col("year").cast(year)),
            on=[ccode, "year"],
            how="left",
            validate="m:1",
        )
        .join(latest, on=ccode, how="left", validate="m:1")
        .with_columns(
            pl.when(pl.col("year") > pl.col("_last"))
            .then(pl.col("_latest"))
            .otherwise(pl.col("iso3"))
            .alias("iso3")
        )
        .drop("_last", "_latest")
    )


@register_measure("common_language", options=CommonLanguageOptions, citations=("mayer2011",))
def common_language(scope: Scope, opts: CommonLanguageOptions) -> pl.DataFrame:
    """Whether two states share an official language (CEPII GeoDist), with the ethnic variant.

    .. math:: L_{ij} = \\mathrm{comlang\\_off}_{ij}

    where :math:`\\mathrm{comlang\\_off}_{ij}` is 1 if states :math:`i` and :math:`j` share
    a common official language and 0 otherwise, as coded by CEPII GeoDist [mayer2011]_.

    Parameters
    ----------
    scope : Scope
        Years and dyads (or a region) to compute.
    opts : CommonLanguageOptions
        None.

    Returns
    -------
    polars.DataFrame
        ``ccode1, ccode2, year, common_language`` (Int8, = ``comlang_off``) and the
        companions ``comlang_off`` and ``comlang_ethno`` (Int8: GeoDist's common-language
        indicators, official and ethnic; see [1] for how the ethnic one is coded).

    Notes
    -----
    GeoDist is a time-invariant cross-section keyed by ISO3 codes, so each dyad gets the
    same value in every year; historical states are matched through their ISO3 code in the
    crosswalk: the German Federal Republic (260) takes Germany's (DEU) row; Yugoslavia
    (345, also Serbia after 2006) takes YUG; the Democratic Republic of the Congo and East
    Timor take CEPII's older codes ZAR and TMP. States without an ISO3 code in CEPII get
    null: the German Democratic Republic (265), Czechoslovakia (315), the Yemen Arab
    Republic (678) and People's Republic (680), the Republic of Vietnam (817), Zanzibar
    (511), Kosovo (347), Montenegro (341), South Sudan (626), Monaco (221) and
    Liechtenstein (223). The CEPII file is symmetric in these variables.

    Examples
    --------
    >>> frame = pl.DataFrame({"ccode": [732, 731], "year": [2000, 2000]})
    >>> ccode_cepii_iso3(frame)["iso3"].to_list()
    ['KOR', 'PRK']
    """
    rows = scope_dyad_years(scope)
    geo = (
        bundle.scan("cepii_geodist")
        .filter(pl.col("iso_o").is_not_null() & pl.col("iso_d").is_not_null())
        .select(
            pl.col("iso_o").alias("iso1"),
            pl.col("iso_d").alias("iso2"),
            pl.col("comlang_off").cast(pl.Int8),
            pl.col("comlang_ethno").cast(pl.Int8),
        )
        .unique(["iso1", "iso2"], keep="first")
        .collect()
    )
    key = rows.select("ccode1", "ccode2", "year").with_row_index("_row")
    one = ccode_cepii_iso3(key.rename({"ccode1": "ccode"}).select("_row", "ccode", "year"))
    two = ccode_cepii_iso3(key.rename({"ccode2": "ccode"}).select("_row", "ccode", "year"))
    codes = one.select("_row", pl.col("iso3").alias("iso1")).join(
        two.select("_row", pl.col("iso3").alias("iso2")), on="_row", how="left", validate="1:1"
    )
    out = (
        key.join(codes, on="_row", how="left", validate="1:1")
        .join(geo, on=["iso1", "iso2"], how="left", validate="m:1")
        .sort("_row")
        .with_columns(pl.col("comlang_off").alias("common_language"))
    )
    return out.select("ccode1", "ccode2", "year", "common_language", "comlang_off", "comlang_ethno")
