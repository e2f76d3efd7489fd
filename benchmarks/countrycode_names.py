"""Compare allegiance.codes with the countrycode package on every name either one knows.

Run: python benchmarks/countrycode_names.py   (needs ``pip install countrycode``; it is not a
dependency of allegiance). Prints, for two sets of names, how many each resolver maps to the
right COW code, to a wrong one, or to none, and asks for a year (allegiance only):

1. allegiance's names: every name variant of the bundle table ``country_codes`` (COW, G-W,
   ISO, UN and troopdata names and the hand-kept aliases) for every COW state spell it
   names, asked in the middle year of the spell. The right code is the COW code of the spell.
2. countrycode's English names: ``country.name.en``, ``cow.name``, ``iso.name.en``,
   ``un.name.en``, ``p4.name``, ``vdem.name`` and ``cldr.name.en`` of every row of its code
   list with a COW code (``cown``), asked without a year (countrycode has none). The right
   code is that row's ``cown``.

docs/explanation/data-sources.md's section on country names quotes these figures.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from allegiance.data.bundle import load
from allegiance.data.codes import codebook
from allegiance.errors import AmbiguousCodeError, UnknownCodeError

_ENGLISH = ("country.name.en", "cow.name", "iso.name.en", "un.name.en", "p4.name", "vdem.name",
            "cldr.name.en")  # fmt: skip


def _ours(name: str, year: int | None) -> int | str:
    try:
        code = codebook().resolve(name, year=year).ccode
    except AmbiguousCodeError:
        return "asks"
    except UnknownCodeError:
        return "none"
    return code if code is not None else "none"


def _verdict(got: object, right: int) -> str:
    if got in ("asks", "none"):
        return str(got)
    return "right" if got == right else "wrong"


def allegiance_names() -> list[tuple[str, int, int]]:
    """``(name, year, ccode)`` for every non-code variant of every COW spell of the table."""
    table = load("country_codes").filter(
        pl.col("ccode").is_not_null()
        & ~pl.col("variant_kind").is_in(["cow_abb", "gw_abb", "iso3", "iso2"])
    )
    rows = table.select("variant", "ccode", "start_year", "end_year").unique().sort(pl.all())
    return [(v, (a + b) // 2, c) for v, c, a, b in rows.iter_rows()]


def countrycode_names() -> list[tuple[str, int]]:
    """``(name, cown)`` for every English name of every countrycode row with a COW code."""
    import importlib

    # the package's __init__ exports a function of the module's name; take the module
    codelist = importlib.import_module("countrycode.countrycode").prepare_codelist(None)
    out = set()
    for i, cown in enumerate(codelist["cown"]):
        if cown is None:
            continue
        for column in _ENGLISH:
            name = codelist.get(column, [None] * (i + 1))[i]
            if name:
                out.add((str(name), int(cown)))
    return sorted(out)


def main() -> None:
    from countrycode import countrycode as theirs

    ours_set = allegiance_names()
    cc_codes = theirs([n for n, _, _ in ours_set], origin="country.name", destination="cown")
    a = Counter(_verdict(_ours(n, y), c) for n, y, c in ours_set)
    b = Counter(_verdict(g if g is not None else "none", c)
                for (_, _, c), g in zip(ours_set, cc_codes, strict=True))  # fmt: skip
    names = len({n for n, _, _ in ours_set})
    print(f"1. allegiance's names: {len(ours_set)} name-spells ({names} names), asked in the "
          "spell's middle year")  # fmt: skip
    print(f"   allegiance.codes: {dict(a)}")
    print(f"   countrycode:      {dict(b)}")
    misses = [f"{n} ({y}): {g} for {c}" for (n, y, c), g in zip(ours_set, cc_codes, strict=True)
              if g != c]  # fmt: skip
    print("   countrycode misses: " + "; ".join(misses))

    theirs_set = countrycode_names()
    cc_codes = theirs([n for n, _ in theirs_set], origin="country.name", destination="cown")
    a = Counter(_verdict(_ours(n, None), c) for n, c in theirs_set)
    b = Counter(_verdict(g if g is not None else "none", c)
                for (_, c), g in zip(theirs_set, cc_codes, strict=True))  # fmt: skip
    print(f"2. countrycode's English names: {len(theirs_set)} name-codes, asked without a year")
    print(f"   allegiance.codes: {dict(a)}")
    print(f"   countrycode:      {dict(b)}")
    ours = [(n, c, _ours(n, None)) for n, c in theirs_set]
    print("   allegiance wrong: " + "; ".join(f"{n}: {g} for {c}" for n, c, g in ours
                                              if _verdict(g, c) == "wrong"))  # fmt: skip
    print("   allegiance asks: " + "; ".join(n for n, c, g in ours if g == "asks"))
    print("   allegiance none: " + "; ".join(f"{n} ({c})" for n, c, g in ours if g == "none"))
    for name in ("Korea", "West Germany", "Federal Republic of Germany", "Prussia"):
        got = theirs(name, origin="country.name", destination="cown")
        print(f"   {name!r}: countrycode {got}, allegiance {_ours(name, None)}")


if __name__ == "__main__":
    main()
