"""Two small studies with both territorial_claims and leverage, run end to end.

The verdicts are the ones hand-checked against the raw files in test_kind_territory.py and
test_kind_leverage.py.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from allegiance.study.runner import claims_table, run_study
from allegiance.study.spec import load_study

NORTHEAST_ASIA = """
title = "Territory and leverage in Northeast Asia"
years = "1965-2018"

[actors]
USA = 2
China = 710
DPRK = 731
ROK = 732
Japan = 740

[[claims]]
id = "rok_territory"
statement = "South Korea's main territorial dispute is with Japan, none is significant with China."
kind = "territorial_claims"
params = { subject = "ROK", main = "Japan", others = ["China"] }

[[claims]]
id = "china_leverage_dprk"
statement = "China has more leverage over North Korea than the United States or Japan."
kind = "leverage"
params = { target = "DPRK", candidate = "China", rivals = ["USA", "Japan"] }
"""

GREECE_TURKEY = """
title = "Territory and leverage in the Aegean"
years = "1952-2018"

[actors]
USA = 2
Greece = 350
Turkey = 640
Russia = 365

[[claims]]
id = "greece_territory"
statement = "Greece's main territorial dispute is with Turkey, not with Russia."
kind = "territorial_claims"
params = { subject = "Greece", main = "Turkey", others = ["Russia"] }

[[claims]]
id = "us_leverage_greece"
statement = "The United States has more leverage over Greece than Russia has."
kind = "leverage"
params = { target = "Greece", candidate = "USA", rivals = ["Russia"] }
"""


def _run(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pl.DataFrame:
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "study.toml"
    path.write_text(text, encoding="utf-8")
    return claims_table(run_study(load_study(path)))


def _row(table: pl.DataFrame, claim: str) -> dict[str, str]:
    return table.filter(pl.col("claim") == claim).row(0, named=True)


def test_northeast_asia_verdicts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _run(NORTHEAST_ASIA, tmp_path, monkeypatch)
    territory = _row(table, "rok_territory")
    # ICOW: the claim with North Korea (salience 11) outranks Dokdo (6); none with China
    assert (territory["verdict"], territory["robustness"]) == ("mixed", "robust")
    assert territory["why"] == ("Japan's highest salience 6 is not the highest: DPRK 11; "
                                "named others (China 0) all below 4")  # fmt: skip
    assert territory["certainty"] == "medium"  # ICOW ends in 2001
    assert "Dokdo (Takeshima) Islands" in territory["evidence"]
    lev = _row(table, "china_leverage_dprk")
    # the US and Japan are North Korea's adversaries: only Russia (added) is informative;
    # China leads it on the alliance pledge, trails it on arms delivered
    assert (lev["verdict"], lev["robustness"]) == ("mixed", "robust")
    assert lev["why"].startswith("leads on 1 of 2 testable comparisons (vs Russia: alliance")
    assert "trails on 1 (vs Russia: arms_tiv" in lev["why"]
    assert "uninformative (ally against adversary): USA" in lev["why"]
    assert "China vs Japan: uninformative" in lev["evidence"]


def test_greece_turkey_verdicts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _run(GREECE_TURKEY, tmp_path, monkeypatch)
    territory = _row(table, "greece_territory")
    # Aegean Sea Islands (Turkey, salience 10) outrank every other Greek claim; none with Russia
    assert (territory["verdict"], territory["robustness"]) == ("supported", "robust")
    assert territory["why"] == ("Turkey's highest salience 10 is the highest of all partners; "
                                "named others (Russia 0) all below 4")  # fmt: skip
    lev = _row(table, "us_leverage_greece")
    # ahead of Russia on both indicators, of the UK and France on arms; not of Germany
    assert (lev["verdict"], lev["robustness"]) == ("mixed", "fragile")
    assert "leads on 4 of 5 testable comparisons" in lev["why"]
    assert "trails on 0" in lev["why"]
