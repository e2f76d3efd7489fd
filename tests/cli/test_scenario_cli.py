"""`allegiance scenario run` and `scenario list`: outputs, reproducibility, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.report.outputs import SCENARIO_FILES as OUTPUT_FILES

runner = CliRunner()

TOY = """name = "toy"
base_year = 2010
actors = [2, "China", "Japan"]
[uncertainty]
propensity = {dist = "normal", sd = 0.2}
[[size_shock]]
actor = "USA"
multiply = 0.6
"""


def test_run_writes_outputs_and_prints_tables(tmp_path: Path) -> None:
    path = tmp_path / "toy.toml"
    path.write_text(TOY, encoding="utf-8")
    out = tmp_path / "run"
    args = ["scenario", "run", str(path), "--draws", "20", "--seed", "5", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "toy: 20 draws, base year 2010" in result.stdout and "P(same bloc)" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 5 and summary["actors"] == ["USA", "CHN", "JPN"]
    assert summary["base_year"] == 2010 and summary["workers"] == 1
    first = (out / "configurations.csv").read_text()
    again = runner.invoke(app, [*args[:-1], str(tmp_path / "again")])
    assert again.exit_code == 0
    assert (tmp_path / "again" / "configurations.csv").read_text() == first


def test_shipped_scenario_by_name(tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["scenario", "run", "dprk_collapse", "--draws", "5", "--seed", "1", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "summary.json").read_text())["actors"] == [
        "USA", "RUS", "CHN", "ROK", "JPN"
    ]  # fmt: skip


def test_list_shows_shipped_scenarios() -> None:
    result = runner.invoke(app, ["scenario", "list"])
    assert result.exit_code == 0
    for name in ("baseline", "us_drawdown", "china_rise", "japan_rearmament", "dprk_collapse"):
        assert name in result.stdout


@pytest.mark.parametrize(
    "text, extra, message",
    [
        (TOY.replace("multiply = 0.6", "multiply = -0.6"), [],
         "size_shock[0].multiply: a size multiplier or size must be positive"),
        (TOY.replace('actor = "USA"', 'actor = "Korea"'), [],
         "size_shock[0].actor: 'Korea' is not one of the scenario's actors"),
        (TOY + "seeds = 3\n", [], "unknown key 'size_shock[0].seeds'"),
        (TOY, ["--draws", "0"], "Error: The '--draws' option must be a whole number from 1 to"),
        (TOY, ["--workers", "0"], "Error: The '--workers' option must be a whole number from 1 to"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, text: str, extra: list[str], message: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "run"
    result = runner.invoke(app, ["scenario", "run", str(path), "--out", str(out), *extra])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    if message.startswith("Error: Scenario") or "key" in message or "actor" in message:
        assert f"Scenario file {path}" in result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_unknown_scenario_and_occupied_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scenario", "run", "nope", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Scenario 'nope' is neither a file nor a shipped")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    path = tmp_path / "toy.toml"
    path.write_text(TOY, encoding="utf-8")
    args = ["scenario", "run", str(path), "--draws", "2", "--out", str(tmp_path / "mine")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "exists and holds other files" in result.stderr
    assert result.stderr.count("\n") == 1
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "toy.toml"]
