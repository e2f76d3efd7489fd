"""``allegiance model quasi``: end to end, and one-line errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["model", "quasi", *args])
    return result.exit_code, result.stdout, result.stderr


def test_end_to_end_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "quasi"
    code, stdout, _ = _run(
        "--patron",
        "2",
        "--clients",
        "732,740",
        "--years",
        "1975-1990",
        "--periods",
        "1975-1976,1977-1979,1980-1990",
        "--seed",
        "3",
        "--permutations",
        "19",
        "--out",
        str(out),
    )
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "evaluation.csv",
        "event_study.csv",
        "fears.csv",
        "observed.csv",
        "predicted.csv",
        "quasi.html",
        "stability.csv",
    ]
    ev = pl.read_csv(out / "evaluation.csv")
    user = ev.filter(pl.col("periods") == "user")["period"].to_list()
    assert user == ["1975-1976", "1977-1979", "1980-1990", "all"]
    decades = ev.filter(pl.col("periods") == "decade")["period"].to_list()
    assert decades == ["1975-1979", "1980-1989", "1990-1990"]
    assert set(ev["seed"].to_list()) == {3}
    pred = pl.read_csv(out / "predicted.csv")
    assert pred["year"].to_list() == list(range(1975, 1991))
    assert set(pred["relation"].to_list()) <= {"cooperation", "friction", "baseline"}
    obs = pl.read_csv(out / "observed.csv")
    assert obs.filter(pl.col("year") < 1980)["exercises"].null_count() == 5
    assert "1977-1979" in stdout and "seed 3" in stdout
    assert "<html" in (out / "quasi.html").read_text()[:500].lower()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clients", "2,740"], "A client cannot be the patron itself. Got client 2 = patron 2."),
        (
            ["--clients", "732"],
            "The '--clients' option must name two states, like 732,740. Got '732'.",
        ),
        (
            ["--clients", "732,9999"],
            "The '--clients' option: 9999 is not a state of the COW system",
        ),
        (["--patron", "9999"], "The '--patron' option: 9999 is not a state of the COW system"),
        (
            ["--periods", "1960-1968"],
            "The '--periods' option must lie within the years 1965-2014. Got '1960-1968'.",
        ),
        (["--periods", "1969-71"], "The '--periods' option must be comma-separated year ranges"),
        (
            ["--years", "1800-1965"],
            "The '--years' option must lie within 1816-2024, the COW system's years",
        ),
        (["--years", "19x5"], "The '--years' option must be a year range like 1946-2016."),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    code, _, stderr = _run(*args, "--out", str(out))
    assert code == 2
    assert stderr.startswith(f"Error: {message}")
    assert stderr.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_malformed_signals_file_exits_2(tmp_path: Path) -> None:
    signals = tmp_path / "s.csv"
    signals.write_text(
        "date,patron,target,direction,kind,source_url\n"
        "1970-03-22,USA,KOR,0,announcement,https://x\n"
    )
    code, _, stderr = _run("--signals", str(signals), "--out", str(tmp_path / "out"))
    assert code == 2
    assert stderr == (
        f"Error: {signals}, line 2, column 'direction': direction must be -1 (weaker) or 1 "
        "(stronger). Got '0'.\n"
    )
    assert not (tmp_path / "out").exists()
