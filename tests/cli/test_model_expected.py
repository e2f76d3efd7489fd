"""`allegiance model expected`: bad input exits 2 with one line; a small run writes its folder."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--outcome", "peace"], "Error: Unknown outcome 'peace'. Valid outcomes: atop_defense"),
        (
            ["--formula", "log_capdist + nope"],
            "Error: The formula term 'nope' is not a column of the design frame.",
        ),
        (["--formula", "log_capdist +"], "Error: The formula 'log_capdist +' cannot be parsed"),
        (
            ["--outcome", "dca", "--years", "1946-2010", "--split", "1970"],
            "Error: The training window (years <= 1970) is empty: the outcome 'dca' is observed "
            "from 1980.",
        ),
        (
            ["--years", "1990-2000", "--split", "2005"],
            "Error: The '--split' option must be a year in 1990-1999",
        ),
        (
            ["--years", "1990-2000", "--split", "2000"],
            "Error: The '--split' option must be a year in 1990-1999",
        ),
        (
            ["--outcome", "exercise", "--years", "1946-1970", "--split", "1960"],
            "Error: The outcome 'exercise' (joint military exercise held (MME)) is observed in "
            "1980-2010.",
        ),
        (
            ["--outcome", "military_cooperation", "--years", "1946-1970", "--split", "1960"],
            "Error: The outcome 'military_cooperation' (military cooperation: an ATOP defense "
            "pact, a DCA (DCAD) or a joint exercise (MME)) is observed in 1980-2010.",
        ),
        (
            ["--outcome", "military_cooperation", "--years", "1990-2010", "--split", "1975"],
            "Error: The '--split' option must be a year in 1990-2009",
        ),
        (["--estimator", "forest"], "Error: The '--estimator' option must be one of logit, gbm"),
        (["--dyad", "732"], "Error: The '--dyad' option must name two states, like 732,740."),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "run"
    result = runner.invoke(app, ["model", "expected", *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep")
    result = runner.invoke(
        app,
        [
            "model",
            "expected",
            "--out",
            str(tmp_path),
            "--years",
            "2000-2010",
            "--split",
            "2005",
            "--outcome",
            "dca",
        ],
    )
    assert result.exit_code == 2
    assert "exists and holds other files" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


@pytest.mark.slow
def test_small_run_writes_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import allegiance.runs.expected as runs_expected

    real, results = runs_expected.run_expected, []

    def recording(**kwargs: object) -> object:
        results.append(real(**kwargs))  # type: ignore[arg-type]
        return results[-1]

    monkeypatch.setattr(runs_expected, "run_expected", recording)
    out = tmp_path / "expected"
    args = [
        "model",
        "expected",
        "--outcome",
        "dca",
        "--years",
        "2003-2010",
        "--split",
        "2007",
        "--draws",
        "20",
        "--seed",
        "7",
        "--out",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    assert names == {
        "metrics.csv",
        "coefficients.csv",
        "calibration.csv",
        "ranking.parquet",
        "ranking.csv",
        "dyad_percentile.csv",
        "dyad_decades.csv",
        "logit_summary.txt",
        "dyad_percentile.html",
    }
    metrics = pl.read_csv(out / "metrics.csv")
    assert metrics["estimator"].to_list() == ["logit", "gbm"]
    assert metrics["seed"].to_list() == [7, 7]
    assert ((metrics["auc"] > 0.5) & (metrics["auc"] <= 1)).all()
    assert "test AUC" in result.stdout and "Japan–South Korea (732,740)" in result.stdout
    assert "Years cut to 2003-2010" not in result.stderr
    percentile = pl.read_csv(out / "dyad_percentile.csv")
    assert percentile["year"].min() >= 2003 and percentile["percentile"].is_between(0, 100).all()
    # rerunning replaces the earlier output folder (the re-run's computation is the first
    # run's result: the folder handling is what is checked, and the fit costs most of the test)
    (out / "metrics.csv").write_text("stale", encoding="utf-8")
    monkeypatch.setattr(runs_expected, "run_expected", lambda **kwargs: results[0])
    assert runner.invoke(app, args).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["expected"]
    assert {p.name for p in out.iterdir()} == names
    assert pl.read_csv(out / "metrics.csv").equals(metrics)
