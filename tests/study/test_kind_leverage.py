"""The leverage kind: its verdict rule, its finding against the raw ATOP, SIPRI, kdiplo files."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import allegiance.study  # noqa: F401  (registers the kinds)
from allegiance.study.evidence import KINDS, decide_claim
from allegiance.study.kinds import leverage as lev
from allegiance.study.kinds.leverage import decide_leverage, leverage, patron_years

NEA = {"USA": 2, "Russia": 365, "China": 710, "DPRK": 731, "ROK": 732, "Japan": 740}
DPRK_CLAIM = {"target": "DPRK", "candidate": "China", "rivals": ["USA", "Japan"]}
YEARS = range(1965, 2019)
T = {"alpha": 0.05, "support_share": 1.0, "min_years": 10}


def _ind(years: int, n_claimed: int, n_against: int, p_claimed: float,
         p_against: float) -> dict[str, Any]:  # fmt: skip
    return {"years": years, "n_claimed": n_claimed, "n_against": n_against,
            "p_claimed": p_claimed, "p_against": p_against}  # fmt: skip


def _stats(**indicators: dict[str, Any]) -> dict[str, Any]:
    return {"comparisons": {"Russia": {"informative_years": 30, "standing": "",
                                       "indicators": indicators}}}  # fmt: skip


LEADS = _ind(30, 20, 2, 0.0001, 1.0)
TRAILS = _ind(30, 2, 20, 1.0, 0.0001)
EVEN = _ind(30, 10, 9, 0.5, 0.68)


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "indicators, thresholds, verdict",
    [
        ({"alliance": LEADS, "arms_tiv": LEADS}, T, "supported"),
        ({"alliance": LEADS, "arms_tiv": EVEN}, T, "mixed"),  # leads on 1 of 2 < 100%
        ({"alliance": LEADS, "arms_tiv": EVEN}, {**T, "support_share": 0.5}, "supported"),
        ({"alliance": LEADS, "arms_tiv": TRAILS}, {**T, "support_share": 0.5}, "mixed"),
        ({"alliance": TRAILS, "arms_tiv": EVEN}, T, "not supported"),
        ({"alliance": EVEN}, T, "not supported"),
        ({"alliance": LEADS}, {**T, "alpha": 0.00001}, "not supported"),  # p above alpha
    ],
)
def test_decide_leverage_every_branch(
    indicators: dict[str, Any], thresholds: dict[str, float], verdict: str
) -> None:
    assert decide_leverage(_stats(**indicators), thresholds)[0] == verdict


def test_short_or_constant_comparisons_are_not_testable() -> None:
    short = _ind(8, 8, 0, 0.004, 1.0)  # fewer than min_years informative years
    constant = _ind(30, 0, 0, 1.0, 1.0)  # both always equal (e.g. both defense pacts)
    verdict, reason = decide_leverage(_stats(alliance=short, arms_tiv=constant), T)
    assert verdict == "not testable"
    assert "10 informative years" in reason
    assert decide_leverage(_stats(alliance=short), {**T, "min_years": 8})[0] == "supported"
    # a constant comparison does not count among the testable ones
    assert decide_leverage(_stats(alliance=LEADS, trade=constant), T)[0] == "supported"


def test_uninformative_comparisons_are_named_and_do_not_decide() -> None:
    stats = _stats(alliance=LEADS)
    stats["comparisons"]["USA"] = {
        "informative_years": 0, "standing": "candidate ally, rival adversary",
        "indicators": {"alliance": _ind(0, 0, 0, 1.0, 1.0)},
    }  # fmt: skip
    verdict, reason = decide_leverage(stats, T)
    assert verdict == "supported"
    assert "uninformative (ally against adversary): USA (candidate ally" in reason
    only_usa = {"comparisons": {"USA": stats["comparisons"]["USA"]}}
    assert decide_leverage(only_usa, T)[0] == "not testable"


def test_thresholds_and_their_grids() -> None:
    kind = KINDS["leverage"]
    grids = {t.name: t.values(t.default) for t in kind.thresholds}
    assert grids.pop("alpha") == pytest.approx((0.0375, 0.04375, 0.05, 0.05625, 0.0625))
    assert grids == {"support_share": (0.5, 0.75, 1.0), "min_years": (8, 10, 12)}


# --------------------------------------------------------------------------- the finding


@pytest.fixture(scope="module")
def dprk() -> Any:
    return leverage(DPRK_CLAIM, YEARS, NEA)


def _raw_alliance(raw_dir: Path, patron: int, target: int) -> dict[int, int]:
    """Strongest ATOP pledge by year from the raw dyad-year file (0 for a year without a row)."""
    import pyreadr

    raw = next(iter(pyreadr.read_r(str(raw_dir / "peacesciencer/atop_alliance.rda")).values()))
    rows = raw[(raw.ccode1 == patron) & (raw.ccode2 == target)]
    out = dict.fromkeys(YEARS, 0)
    for r in rows.itertuples():
        level = (3 if r.atop_defense else 2 if r.atop_offense or r.atop_neutral
                 else 1 if r.atop_nonagg or r.atop_consul else 0)  # fmt: skip
        if int(r.year) in out:
            out[int(r.year)] = level
    return out


def _raw_arms(raw_dir: Path, suppliers: set[str], recipient: str) -> dict[int, float]:
    """SIPRI TIV delivered by year: each deal's delivered TIV split evenly over its years."""
    path = raw_dir / "sipri_arms" / "trade-register.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    totals = dict.fromkeys(YEARS, 0.0)
    for r in rows:
        if len(r) < 16 or r[1] not in suppliers or r[0] != recipient or not r[15]:
            continue
        years = [int(y) for y in r[10].split(";") if y.strip()]
        for y in years:
            if y in totals:
                totals[y] += float(r[15]) / len(years)
    return totals


def _series(finding: Any, patron: str, column: str) -> dict[int, float]:
    rows = finding.tables["by_year"].filter(pl.col("patron") == patron)
    return dict(zip(rows["year"], rows[column], strict=True))


@pytest.mark.raw
def test_alliance_and_arms_match_the_raw_files(raw_dir: Path, dprk: Any) -> None:
    for patron, code in (("China", 710), ("Russia", 365)):
        assert _series(dprk, patron, "alliance") == _raw_alliance(raw_dir, code, 731)
    arms = {"China": _raw_arms(raw_dir, {"China"}, "North Korea"),
            "Russia": _raw_arms(raw_dir, {"Soviet Union", "Russia"}, "North Korea")}  # fmt: skip
    for patron, want in arms.items():
        got = _series(dprk, patron, "arms_tiv")
        assert got == pytest.approx(want)


@pytest.mark.raw
def test_china_against_russia_year_by_year_from_raw(raw_dir: Path, dprk: Any) -> None:
    """Hand-check of the one informative comparison: China leads Russia on the alliance
    pledge, Russia leads China on arms delivered, each in most untied years."""
    comp = dprk.stats["comparisons"]["Russia"]
    assert comp["opposed_years"] == 0 and comp["informative_years"] == len(YEARS)
    china_a, russia_a = _raw_alliance(raw_dir, 710, 731), _raw_alliance(raw_dir, 365, 731)
    china_t = _raw_arms(raw_dir, {"China"}, "North Korea")
    russia_t = _raw_arms(raw_dir, {"Soviet Union", "Russia"}, "North Korea")
    for name, c, r in (("alliance", china_a, russia_a), ("arms_tiv", china_t, russia_t)):
        s = comp["indicators"][name]
        assert s["years"] == len(YEARS)
        assert s["n_claimed"] == sum(c[y] > r[y] + 1e-9 for y in YEARS)
        assert s["n_against"] == sum(r[y] > c[y] + 1e-9 for y in YEARS)
    alliance, arms = comp["indicators"]["alliance"], comp["indicators"]["arms_tiv"]
    assert alliance["n_claimed"] > 10 and alliance["n_against"] == 0
    assert arms["n_against"] > 3 * arms["n_claimed"]


@pytest.mark.raw
def test_ally_against_adversaries_is_uninformative_from_raw(raw_dir: Path, dprk: Any) -> None:
    """China has an ATOP defense pledge to North Korea in every study year; the United
    States and Japan have no diplomatic ties with it (kdiplo) and no defense pledge: every
    year of those comparisons sets an ally against an adversary."""
    import pandas as pd

    assert set(_raw_alliance(raw_dir, 710, 731).values()) == {3}
    ties = pd.read_csv(raw_dir / "kdiplo/diplo_ties_data.csv")
    north = ties[(ties.south_north == "North Korea") & ties.year.between(1965, 2018)]
    for iso, label, code in (("USA", "USA", 2), ("JPN", "Japan", 740)):
        mine = north[north.iso3c == iso]
        assert len(mine) == len(YEARS) and (mine.diplomatic_ties == 0).all()
        assert 3 not in _raw_alliance(raw_dir, code, 731).values()
        comp = dprk.stats["comparisons"][label]
        assert comp["opposed_years"] == comp["years"] == len(YEARS)
        assert comp["informative_years"] == 0
        assert "uninformative" in dprk.summary.split(f"China vs {label}:")[1][:20]


def test_russia_is_added_and_visits_cover_one_patron_each(dprk: Any) -> None:
    roles = dict(zip(dprk.table["patron"], dprk.table["role"], strict=True))
    assert roles == {"China": "candidate", "USA": "named rival", "Japan": "named rival",
                     "Russia": "added: major power with ties"}  # fmt: skip
    by_year = dprk.tables["by_year"]
    for column, only in (("cpd_elite_visits", {"China"}), ("cv_engagements", {"China"}),
                         ("us_pres_visits", {"USA"}), ("us_sec_visits", {"USA"})):  # fmt: skip
        covered = set(by_year.filter(pl.col(column).is_not_null())["patron"])
        assert covered == only, column
    assert by_year["trade"].null_count() == by_year.height  # kdiplo trade: ROK dyads only


@pytest.mark.raw
def test_dprk_verdict_is_decided_on_russia_only(raw_dir: Path, dprk: Any) -> None:
    ev = decide_claim(KINDS["leverage"], dprk, T)
    assert ev.verdict == "mixed"
    assert ev.robustness == "robust" and ev.grid.height == 45
    assert "leads on 1 of 2 testable comparisons (vs Russia: alliance" in ev.verdict_reason
    assert "trails on 1 (vs Russia: arms_tiv" in ev.verdict_reason
    assert "uninformative (ally against adversary): USA" in ev.verdict_reason


def test_no_informative_comparison_is_not_testable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lev, "_majors_with_ties", lambda *args: [])
    finding = leverage(DPRK_CLAIM, YEARS, NEA)
    assert finding.untestable is not None
    assert finding.untestable.startswith("no informative comparison")
    ev = decide_claim(KINDS["leverage"], finding, T)
    assert (ev.verdict, ev.robustness) == ("not testable", "n/a")


@pytest.mark.raw
def test_trade_is_south_koreas_kdiplo_trade(raw_dir: Path) -> None:
    frame = patron_years(732, [710, 740], range(2000, 2003))
    raw = pl.read_csv(raw_dir / "kdiplo/trade_data.csv", infer_schema_length=None)
    for code, iso in ((710, "CHN"), (740, "JPN")):
        row = raw.filter((pl.col("iso3c") == iso) & (pl.col("year") == 2001)).row(0, named=True)
        got = frame.filter((pl.col("ccode") == code) & (pl.col("year") == 2001))["trade"].item()
        assert got == pytest.approx(float(row["export"]) + float(row["import"]))


def test_leverage_figure_has_titled_axes(dprk: Any) -> None:
    from allegiance.report.figures import EVIDENCE_FIGURES

    fig = EVIDENCE_FIGURES[dprk.figure](dprk)
    titles = [fig.layout[k].title.text for k in ("yaxis", "yaxis2")]
    assert titles == ["pledge (0 none, 1 non-aggr./consult., 2 offense/neutr., 3 defense)",
                      "TIV (millions) per year"]  # fmt: skip
    assert fig.layout.xaxis2.title.text == "year"
    assert {t.name for t in fig.data} == {"China", "USA", "Japan", "Russia"}


GREECE = {"USA": 2, "Greece": 350, "Turkey": 640, "Russia": 365}


@pytest.mark.raw
def test_us_over_greece_year_by_year_from_raw(raw_dir: Path) -> None:
    """Hand-check of the Greek claim: the other NATO patrons are allies too, so no year is
    left out; the alliance pledge separates the US from Russia only; on arms the US leads
    Russia, the United Kingdom and France in most years, and Germany (a COW major power
    from 1990) in fewer than the sign test needs."""
    years = range(1952, 2019)
    finding = leverage({"target": "Greece", "candidate": "USA", "rivals": ["Russia"]}, years,
                       GREECE)  # fmt: skip
    assert set(finding.stats["comparisons"]) == {"Russia", "United Kingdom", "France", "Germany"}
    us = dict.fromkeys(years, 0.0)
    germany = dict.fromkeys(range(1990, 2019), 0.0)
    path = raw_dir / "sipri_arms" / "trade-register.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for r in list(csv.reader(fh))[1:]:
            if len(r) < 16 or r[0] != "Greece" or not r[15]:
                continue
            ys = [int(y) for y in r[10].split(";") if y.strip()]
            for y in ys:
                if r[1] == "United States" and y in us:
                    us[y] += float(r[15]) / len(ys)
                if r[1] == "Germany" and y in germany:  # West Germany before 1990
                    germany[y] += float(r[15]) / len(ys)
    assert _series(finding, "USA", "arms_tiv") == pytest.approx(us)
    assert _series(finding, "Germany", "arms_tiv") == pytest.approx(germany)
    s = finding.stats["comparisons"]["Germany"]["indicators"]["arms_tiv"]
    assert (s["n_claimed"], s["n_against"]) == (
        sum(us[y] > germany[y] + 1e-9 for y in germany),
        sum(germany[y] > us[y] + 1e-9 for y in germany),
    )
    assert s["p_claimed"] > 0.05
    for rival in ("United Kingdom", "France", "Germany"):
        assert finding.stats["comparisons"][rival]["indicators"]["alliance"]["n_claimed"] == 0
    ev = decide_claim(KINDS["leverage"], finding, T)
    assert ev.verdict == "mixed" and ev.robustness == "fragile"
    assert "leads on 4 of 5 testable comparisons" in ev.verdict_reason
    relaxed = decide_claim(KINDS["leverage"], finding, {**T, "support_share": 0.75})
    assert relaxed.verdict == "supported"
