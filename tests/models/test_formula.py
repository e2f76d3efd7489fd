"""Formulas are data: hostile formulas are refused before anything is evaluated."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app
from allegiance.errors import ParameterError
from allegiance.models.formula import parse_formula

COLUMNS = ["log_capdist", "contiguity", "a", "b"]

HOSTILE = [
    "log_capdist + np._core._methods.os.system('touch pwned')",
    "log_capdist + np._core._methods.os.system(touch)",
    "__import__('os').system('touch pwned')",
    "a + __class__",
    "a + b.__class__",
    "a + np.log(a).real",
    "a + eval(a)",
    "a + exec(a)",
    "a + open(a)",
    "lambda: a",
    "a + [b for b in a]",
    "a + {'x': 1}",
    "a + 'x'",
    "a; import os",
    "a + getattr(np, a)",
    "I(__import__)",
    "np.log(b.__globals__)",
    "a + np.linalg.inv(b)",
    "a ~ b",
    "a @ b",
    "a" + " + a" * 2000,
]


@pytest.mark.parametrize("formula", HOSTILE)
def test_hostile_formulas_are_refused_with_one_line(formula: str) -> None:
    with pytest.raises(ParameterError) as info:
        parse_formula(formula, COLUMNS)
    message = str(info.value)
    assert "\n" not in message and len(message) < 400


@pytest.mark.parametrize(
    ("formula", "names"),
    [
        ("log_capdist + contiguity", ["contiguity", "log_capdist"]),
        ("a*b - 1", ["a", "b"]),
        ("a:b + np.log1p(a) + np.sqrt(b) + np.exp(a) + np.log(a + 1)", ["a", "b"]),
        ("I(a**2 / (b + 1)) + I(-a)", ["a", "b"]),
        ("(a + b)**2 + 0", ["a", "b"]),
    ],
)
def test_the_documented_grammar_is_accepted(formula: str, names: list[str]) -> None:
    assert parse_formula(formula, COLUMNS) == names


def test_a_hostile_cli_formula_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    formula = "log_capdist + np._core._methods.os.system('touch pwned')"
    result = CliRunner().invoke(
        app, ["model", "expected", "--formula", formula, "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2 and result.stderr.startswith("Error: The formula")
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
