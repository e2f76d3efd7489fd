"""`allegiance measure`: the names it documents, and its generic errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.cli.measure_cmd import measure
from allegiance.measures.registry import MEASURES, get_measure

runner = CliRunner()


def test_help_lists_exactly_the_registered_measures() -> None:
    get_measure("sscore")  # loads every measure module
    doc = (measure.__doc__ or "").split("NAME is one of:")[1].split(".")[0]
    listed = set(re.findall(r"[a-z_]+", doc))
    assert listed == set(MEASURES)


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope", "--years", "2000-2001"], "Error: Unknown measure 'nope'. Valid measures: "),
        (["sscore", "--years", "2000", "--states", "732"], "Error: A region needs at least two"),
        (["sscore", "--years", "2000", "--dyads", "732"],
         "Error: The '--dyads' option must name pairs"),
        (["sscore", "--years", "2000", "--dyads", "732-732"],
         "Error: The '--dyads' option must name two different states"),
        (["sscore", "--years", "2000", "-o", "k"], "Error: The '--option' flag takes key=value"),
        (["sscore", "--years", "2000", "-o", "no=1"], "Error: The measure 'sscore' has no option"),
        (["common_opponents", "--years", "2000", "--dyads", "732-740", "-o", "k=0"],
         "Error: The 'k' option of measure 'common_opponents' is invalid"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["measure", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["sscore", "--years", "1946-1950", "--dyads", "732-740"], "Error: No cases for measure"),
        (["sscore", "--years", "2000-2030", "--dyads", "732-740"], "Error: The years of measure"),
        (["sscore", "--years", "2000-2001", "--dyads", "Korea-Japan"],
         "Error: The '--dyads' option: 'Korea' is Korea (730), a member in 1887-1905 but not in "
         "2000-2001"),
        (["sscore", "--years", "2000", "--dyads", "732-740", "--states", "2,710"],
         "Error: Give either --dyads or --states"),
        (["capability_ratio", "--years", "2000", "--dyads", "2-710", "-o", "group=[2,2]"],
         "Error: The 'group' option of measure 'capability_ratio' is invalid"),
        (["third_party_threat", "--years", "2000", "--dyads", "2-710", "-o", "lambda_km=1e400"],
         "Error: The 'lambda_km' option of measure 'third_party_threat' is invalid"),
    ],
)  # fmt: skip
def test_scope_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["measure", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_names_with_hyphens_use_a_colon(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    args = [
        "measure",
        "sscore",
        "--years",
        "2000",
        "--dyads",
        "South Korea:Japan",
        "--out",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
