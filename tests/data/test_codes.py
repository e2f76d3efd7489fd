"""Country codes: year-aware resolution, round trips against the raw state lists, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyreadr
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from allegiance import codes as public
from allegiance.cli.codes_cmd import codes as codes_command
from allegiance.data import codes
from allegiance.data.build_codes import ALIASES, country_codes_table
from allegiance.errors import AmbiguousCodeError, ParameterError, UnknownCodeError

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def book(raw_dir: Path) -> codes.CodeBook:
    """A code book built straight from the raw files (not from the shipped bundle)."""
    return codes.CodeBook(country_codes_table(raw_dir))


@pytest.fixture(autouse=True)
def _use_built_book(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every lookup at the freshly built code book."""
    fresh = request.getfixturevalue("book")
    monkeypatch.setattr(codes, "codebook", lambda: fresh)


@pytest.fixture(scope="module")
def cow_states(raw_dir: Path) -> pl.DataFrame:
    frame = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer/cow_states.rda"))["cow_states"]
    )
    return frame.with_columns(pl.col("ccode", "styear", "endyear").cast(pl.Int32))


@pytest.fixture(scope="module")
def unga_iso3(raw_dir: Path) -> dict[int, set[str]]:
    path = raw_dir / "unga_idealpoints/IdealpointestimatesAll_Jun2024.csv"
    frame = pl.read_csv(path, columns=["ccode", "iso3c"]).unique().drop_nulls()
    out: dict[int, set[str]] = {}
    for ccode, iso3 in frame.iter_rows():
        out.setdefault(ccode, set()).add(iso3)
    return out


def _spells(cow_states: pl.DataFrame) -> list[tuple[int, str, int, int]]:
    return list(cow_states.select("ccode", "statenme", "styear", "endyear").iter_rows())


# --------------------------------------------------------------------------- the brief's cases


def test_south_korea_by_name_abbreviation_and_iso() -> None:
    # ccode 732 / ROK per cow_states.rda; KOR per the UNGA file (checked in test_iso3_matches_raw)
    korea = codes.resolve("South Korea")
    assert (korea.ccode, korea.abb, korea.iso3) == (732, "ROK", "KOR")
    assert codes.resolve("ROK") == codes.resolve("south korea") == codes.resolve("  South  KOREA ")
    assert codes.resolve("Republic of Korea").ccode == 732  # from G-W "Korea, Republic of"
    assert codes.resolve("Korea, South").ccode == 732
    assert codes.resolve("KR").ccode == 732


@pytest.mark.parametrize(
    ("query", "year", "ccode"),
    [
        ("Germany", 1970, 260),  # West Germany (GFR) while 255 is out of the system
        ("Germany", 2000, 255),
        ("Germany", 1900, 255),
        ("East Germany", None, 265),
        ("GDR", 1980, 265),
        ("DEU", 1980, 260),
        ("DEU", 2000, 255),
        ("Yemen", 1980, 678),  # G-W keeps 678 "Yemen (Arab Republic of Yemen)" to 2017
        ("Yemen", 2000, 679),
        ("Yemen", None, 679),
        ("South Yemen", None, 680),
        ("Czechoslovakia", None, 315),
        ("Czech Republic", None, 316),
        ("Czechia", None, 316),
        ("CZE", 2000, 316),  # ISO3 CZE; COW abbreviation CZE is Czechoslovakia ...
        ("CZE", 1970, 315),  # ... so the year decides
        ("Vietnam", 1970, 816),
        ("Republic of Vietnam", None, 817),
        ("South Vietnam", 1970, 817),
        ("Serbia", 2010, 345),  # G-W 340 maps to COW 345
        ("Yugoslavia", None, 345),
        ("USSR", None, 365),
        ("Soviet Union", 1970, 365),
        ("United States", None, 2),
        ("US", None, 2),
        ("USA", None, 2),
        ("Britain", None, 200),
        ("UK", None, 200),
        ("DPRK", None, 731),
        ("North Korea", None, 731),
        ("Côte d’Ivoire", None, 437),
        ("Zaire", None, 490),
        ("740", None, 740),
        (255, 1970, 255),  # a number is a code: the year does not change it
    ],
)
def test_resolve_year_aware(query: str | int, year: int | None, ccode: int) -> None:
    assert codes.resolve(query, year=year).ccode == ccode


def test_resolve_number_gives_cow_name(cow_states: pl.DataFrame) -> None:
    germany = codes.resolve(255)
    assert germany.name == cow_states.filter(pl.col("ccode") == 255)["statenme"][0] == "Germany"
    assert germany.spells == ((1816, 1945), (1990, 2016))
    assert (germany.start_year, germany.end_year) == (1816, 2016)
    assert codes.name_of(740) == "Japan"


def test_gw_system_and_crosswalk() -> None:
    assert codes.to_gwcode(255, year=1900) == 255
    assert codes.to_gwcode(255, year=2000) == 260
    assert codes.to_gwcode("Yemen", year=2000) == 678
    united = codes.resolve(260, system="gw", year=2000)
    assert (united.ccode, united.gwcode, united.name) == (255, 260, "German Federal Republic")
    assert codes.resolve(260, system="gw", year=1950).ccode is None  # COW 260 starts in 1955
    assert codes.resolve("Serbia", system="gw").gwcode == 340
    assert codes.resolve(815, system="gw").ccode is None  # G-W only: Vietnam (Annam/...)


def test_cow_to_gw_keeps_rows_eager_and_lazy() -> None:
    frame = pl.DataFrame({"ccode": [255, 255, 679, 2, 2], "year": [1900, 2000, 2000, 2000, 2030]})
    eager = codes.cow_to_gw(frame)
    lazy = codes.cow_to_gw(frame.lazy()).collect()
    assert eager.equals(lazy)
    assert eager["gwcode"].to_list() == [255, 260, 678, 2, None]
    with pytest.raises(ParameterError, match=r"cow_to_gw\(\) needs the columns 'ccode'"):
        codes.cow_to_gw(frame.rename({"ccode": "c"}))


def test_helpers_and_reexport() -> None:
    assert public.resolve is codes.resolve
    assert codes.resolve_many(["USA", "China", "Japan", "ROK", "PRK"]) == [2, 710, 740, 732, 731]
    assert codes.to_ccode("Germany", year=1970) == 260
    with pytest.raises(UnknownCodeError, match=r"Bavaria \(COW 245\) has no ISO3 code"):
        codes.to_iso3(245)


# --------------------------------------------------------------------------- against the raw files


@pytest.mark.parametrize("ccode", [740, 732, 731, 710, 2, 365])
def test_iso3_matches_raw(ccode: int, unga_iso3: dict[int, set[str]]) -> None:
    (expected,) = unga_iso3[ccode]
    assert codes.to_iso3(ccode) == expected
    assert codes.resolve(expected, year=2000).ccode == ccode


def test_every_cow_spell_resolves_back_by_name(cow_states: pl.DataFrame) -> None:
    for ccode, name, start, end in _spells(cow_states):
        for year in {start, (start + end) // 2, end}:
            assert codes.resolve(name, year=year).ccode == ccode, (name, year)
        assert codes.resolve(ccode).name == name


def test_every_alias_target_is_a_cow_name(cow_states: pl.DataFrame) -> None:
    names = set(cow_states["statenme"])
    for alias, target in ALIASES.items():
        assert target in names
        assert codes.resolve(alias).ccode == codes.resolve(target).ccode, alias


def _spell_years(raw_dir: Path) -> st.SearchStrategy[tuple[int, int]]:
    frame = pyreadr.read_r(str(raw_dir / "peacesciencer/cow_states.rda"))["cow_states"]
    spells = [(int(c), int(a), int(b)) for c, a, b in frame[["ccode", "styear", "endyear"]].values]
    return st.sampled_from(spells).flatmap(
        lambda s: st.tuples(st.just(s[0]), st.integers(min_value=s[1], max_value=s[2]))
    )


@pytest.fixture(scope="module")
def spell_years(raw_dir: Path) -> st.SearchStrategy[tuple[int, int]]:
    return _spell_years(raw_dir)


def test_name_of_round_trips_in_every_spell_year(
    spell_years: st.SearchStrategy[tuple[int, int]],
) -> None:
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(spell_years)
    def check(pair: tuple[int, int]) -> None:
        ccode, year = pair
        assert codes.resolve(codes.name_of(ccode), year=year).ccode == ccode
        country = codes.resolve(ccode, year=year)
        assert any(a <= year <= b for a, b in country.spells)

    check()


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("DEU", r"'DEU' is ambiguous: it matches Germany \(255, 1816-1945, 1990-2016\); "
                r"German Federal Republic \(260, 1955-1990\)\. Give a year"),
        ("KOR", r"'KOR' is ambiguous: it matches Korea \(730, 1887-1905\); South Korea \(732"),
        ("AUS", r"'AUS' is ambiguous: it matches Austria \(305.*Australia \(900"),
    ],
)  # fmt: skip
def test_ambiguous_codes_list_candidates(query: str, pattern: str) -> None:
    with pytest.raises(UnknownCodeError, match=pattern):
        codes.resolve(query)


def test_a_name_of_states_in_different_years_needs_a_year() -> None:
    # 'Korea' is COW 730 (1887-1905) and the last word of North and South Korea (1948-):
    # without a year it names all three and asks which; a year picks one.
    expected = (
        "Country 'Korea' is ambiguous: it matches Korea (730, 1887-1905); North Korea (731, "
        "1948-2016); South Korea (732, 1949-2016). Give a year (year=... or --year) to pick "
        "one, or the numeric code."
    )
    with pytest.raises(AmbiguousCodeError) as info:
        codes.resolve("Korea")
    assert str(info.value) == expected
    assert isinstance(info.value, UnknownCodeError)
    assert codes.resolve("Korea", year=1900).ccode == 730
    assert codes.resolve("korea", year=1887).ccode == 730


@pytest.mark.parametrize(
    ("name", "ccode"),
    [("Republic of Korea", 732), ("Hungary", 310), ("Vietnam", 816), ("Congo", 484),
     ("Guinea", 438), ("China", 710), ("Germany", 255)],
)  # fmt: skip
def test_names_sharing_most_years_or_compound_names_stay_unambiguous(name: str, ccode: int) -> None:
    # North Korea (1948-) shares all but one year with South Korea (1949-); Austria-Hungary
    # starts with another state's name, so it does not qualify 'Hungary'; Germany is 255 by
    # COW's own name (the Federal Republic is 'Germany' only in ISO and UN names).
    assert codes.resolve(name).ccode == ccode


@pytest.mark.parametrize(
    ("name", "ccode"),
    [("Korea North", 731), ("Korea South", 732), ("Germany East", 265), ("Yemen North", 678)],
)
def test_two_word_names_in_polity_order(name: str, ccode: int) -> None:
    assert codes.resolve(name).ccode == ccode


def test_unknown_name_suggests_closest() -> None:
    pattern = r"^Unknown country 'Sout Korae'\. Closest matches: South Korea \(732\), North Korea"
    with pytest.raises(UnknownCodeError, match=pattern):
        codes.resolve("Sout Korae")
    with pytest.raises(UnknownCodeError, match=r"Unknown country 'Xq'\. Give an English name"):
        codes.resolve("Xq")


def test_gw_only_state_points_to_gw() -> None:
    with pytest.raises(UnknownCodeError, match=r"'Tibet' has no COW code: it is Tibet \(711\)"):
        codes.resolve("Tibet")
    assert codes.resolve("Tibet", system="gw").gwcode == 711


def test_unknown_code_and_bad_system() -> None:
    with pytest.raises(UnknownCodeError, match=r"^Unknown COW code 999\. COW codes run from 2"):
        codes.resolve(999)
    with pytest.raises(ParameterError, match=r"'system' parameter of resolve\(\) must be one of"):
        codes.resolve("Japan", system="iso")  # type: ignore[arg-type]


def test_normalise_name() -> None:
    assert codes.normalise_name("Côte d’Ivoire") == codes.normalise_name("Cote D'Ivoire")
    assert codes.normalise_name("St. Kitts & Nevis") == codes.normalise_name(
        "Saint Kitts and Nevis"
    )
    assert codes.normalise_name("Bosnia-Herzegovina") == "bosnia herzegovina"


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def cli() -> Iterator[typer.Typer]:
    app = typer.Typer()
    app.callback()(lambda: None)  # keep `codes` a subcommand, as on the main app
    app.command("codes")(codes_command)
    yield app


def test_cli_codes_prints_the_codes(cli: typer.Typer) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["codes", "South Korea"])
    assert result.exit_code == 0, result.output
    for text in ("South Korea", "732", "ROK", "KOR", "1949-2016"):
        assert text in result.stdout
    japan = runner.invoke(cli, ["codes", "740"])
    assert japan.exit_code == 0 and "Japan" in japan.stdout
    germany = runner.invoke(cli, ["codes", "Germany", "--year", "1970"])
    assert "260" in germany.stdout and "GFR" in germany.stdout


def test_cli_codes_errors_exit_2(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["codes", "Sout Korae"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: Unknown country 'Sout Korae'. Closest matches: South Korea (732)"
    )
    korea = CliRunner().invoke(cli, ["codes", "Korea"])
    assert korea.exit_code == 2
    assert korea.stderr == (
        "Error: Country 'Korea' is ambiguous: it matches Korea (730, 1887-1905); North Korea "
        "(731, 1948-2016); South Korea (732, 1949-2016). Give a year (year=... or --year) to "
        "pick one, or the numeric code.\n"
    )
    assert CliRunner().invoke(cli, ["codes", "Korea", "--year", "1900"]).exit_code == 0
    bad = CliRunner().invoke(cli, ["codes", "Japan", "--system", "iso"])
    assert bad.exit_code == 2
    assert bad.stderr == (
        "Error: The '--system' option must be one of {'cow', 'gw'}. Got 'iso' instead.\n"
    )


# --------------------------------------------------------------------------- the shipped bundle


def _check_spells(
    shipped: codes.CodeBook, built: codes.CodeBook, frame: pl.DataFrame, system: codes.System
) -> None:
    code, start, end = ("ccode", "styear", "endyear") if system == "cow" else ("gwcode", "s", "e")
    if system == "gw":
        frame = frame.with_columns(
            pl.col("startdate").dt.year().alias("s"), pl.col("enddate").dt.year().alias("e")
        )
    spells = frame.group_by(code).agg(pl.struct(pl.col(start).alias("a"), pl.col(end).alias("b")))
    for key, pairs in spells.iter_rows():
        expected = tuple(sorted((p["a"], p["b"]) for p in pairs))
        assert shipped.country(key, system=system).spells == expected, (system, key)
        assert built.country(key, system=system) == shipped.country(key, system=system)


def test_bundle_agrees_with_build_and_state_tables(book: codes.CodeBook) -> None:
    from allegiance.data import bundle

    if not {"country_codes", "cow_states", "gw_states"} <= set(bundle.table_names()):
        pytest.skip("the bundle lacks country_codes, cow_states or gw_states")
    shipped = codes.CodeBook(bundle.load("country_codes"))
    _check_spells(shipped, book, bundle.load("cow_states"), "cow")
    _check_spells(shipped, book, bundle.load("gw_states"), "gw")


def test_code_rows_are_kept_as_json_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON copy in the cache holds the parquet table's rows, and is what later lookups
    read; an unreadable copy is replaced, an unwritable cache only means reading the parquet."""
    from allegiance.data.bundle import load

    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    table = load("country_codes").to_dicts()
    assert codes._code_rows() == table
    (copy,) = (tmp_path / "cache" / "codes").glob("country_codes-*.json")
    assert codes._code_rows() == table
    assert codes.CodeBook(codes._code_rows()).resolve("ROK").ccode == 732
    copy.write_text("{not json", encoding="utf-8")
    assert codes._code_rows() == table and codes._code_rows() == table
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(copy / "not-a-folder"))
    assert codes._code_rows() == table
