"""The main job: the Northeast Asia dyad-year panel and its per-dyad summary."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.study.overview import NORTHEAST_ASIA, dyad_summary, northeast_asia_panel


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return northeast_asia_panel(range(1965, 1971)).collect()


def test_panel_holds_every_pair_of_the_six_states(frame: pl.DataFrame) -> None:
    pairs = frame.select("ccode1", "ccode2").unique()
    assert pairs.height == len(NORTHEAST_ASIA) * (len(NORTHEAST_ASIA) - 1) // 2
    assert frame.height == pairs.height * 6  # all six states are members in 1965-1970


def test_summary_counts_match_the_raw_atop_file(raw_dir: Path, frame: pl.DataFrame) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    atop = pyreadr.read_r(str(raw_dir / "peacesciencer" / "atop_alliance.rda"))["atop_alliance"]
    usa_rok = atop[(atop.ccode1 == 2) & (atop.ccode2 == 732) & atop.year.between(1965, 1970)]
    rok_usa = atop[(atop.ccode1 == 732) & (atop.ccode2 == 2) & atop.year.between(1965, 1970)]
    # undirected panels take a pledge in either direction (peacesciencer's ndir = TRUE)
    years = set(usa_rok[usa_rok.atop_defense == 1].year) | set(
        rok_usa[rok_usa.atop_defense == 1].year
    )
    row = dyad_summary(frame).filter((pl.col("ccode1") == 2) & (pl.col("ccode2") == 732))
    assert row["defense_pact_years"].item() == len(years)
    assert row["first_year"].item() == 1965 and row["last_year"].item() == 1970


def test_overview_command_prints_the_dyads() -> None:
    result = CliRunner().invoke(app, ["overview", "--years", "1965-1970"])
    assert result.exit_code == 0, result.stderr
    assert "ROK–JPN" in result.stdout and "USA–ROK" in result.stdout


def test_overview_bad_years_exit_2() -> None:
    result = CliRunner().invoke(app, ["overview", "--years", "1970-1965"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: The '--years' option must run from an earlier")
