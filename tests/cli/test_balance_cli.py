"""`allegiance balance`: output for Northeast Asia, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

runner = CliRunner()
STATES = "2,365,710,731,732,740"


def test_balance_prints_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    result = runner.invoke(
        app, ["balance", "--year", "2014", "--states", STATES, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Frustration index: 0" in result.stdout
    assert "Partition: USA, ROK, JPN | RUS, CHN, PRK" in result.stdout
    data = json.loads(out.read_text())
    assert data["year"] == 2014 and data["states"] == [2, 365, 710, 731, 732, 740]
    assert data["frustration_index"] == 0 and len(data["ties"]) == 15
    census = data["triad_census"]
    assert census["balanced"] + census["unbalanced"] + census["incomplete"] == 20


def test_names_are_accepted() -> None:
    result = runner.invoke(app, ["balance", "--year", "2014", "--states", "USA,China,Japan"])
    assert result.exit_code == 0, result.output
    assert "USA" in result.stdout and "CHN" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "1700", "--states", STATES], "Error: The year of a signed network must lie"),
        (["--year", "2030", "--states", STATES], "Error: The year of a signed network must lie"),
        (
            ["--year", "2014", "--states", "2,365,Atlantis"],
            "Error: The '--states' option: Unknown country 'Atlantis'",
        ),
        (
            ["--year", "2014", "--states", "2,365"],
            "Error: The '--states' option must name at least three",
        ),
        (["--year", "1900", "--states", "2,365,731"], "Error: North Korea (COW 731) is not in"),
        (
            ["--year", "2014", "--states", ","],
            "Error: The '--states' option must name states by COW code",
        ),
        (["--year", "2014", "--states", STATES, "--method", "x"], "Error: The '--method' option"),
        (["--year", "2014", "--states", STATES, "--mixed", "x"], "Error: The '--mixed' option"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "b.json"
    result = runner.invoke(app, ["balance", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_output_must_be_json(tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    result = runner.invoke(
        app, ["balance", "--year", "2014", "--states", STATES, "--out", str(out)]
    )
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: Cannot write {out}: the output format must be .json. Got '.csv'.\n"
    )
