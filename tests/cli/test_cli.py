"""The command line: exit codes, exact error lines, and no half-written output files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_data_list_shows_datasets_and_rows() -> None:
    code, out, _ = run("data", "list")
    assert code == 0
    assert "atop" in out and "cow_nmc" in out


def test_data_cite_prints_bibtex() -> None:
    code, out, _ = run("data", "cite", "atop")
    assert code == 0
    assert out.lstrip().startswith("@")


def test_data_cite_unknown_dataset_exits_2_with_one_line() -> None:
    code, out, err = run("data", "cite", "atopp")
    assert code == 2
    assert err.startswith("Error: Unknown dataset 'atopp'")
    assert err.count("\n") == 1
    assert "Traceback" not in out + err


def test_data_build_missing_raw_dir_exits_2(tmp_path: Path) -> None:
    code, _, err = run("data", "build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert code == 2
    assert err.startswith("Error: The raw folder")


def test_panel_dyads_writes_parquet(tmp_path: Path) -> None:
    out = tmp_path / "d.parquet"
    code, _, err = run(
        "panel", "dyads", "--years", "1965-1966", "--states", "2,732,740", "--out", str(out)
    )
    assert code == 0, err
    frame = pl.read_parquet(out)
    assert frame.select("ccode1", "ccode2").unique().sort("ccode1", "ccode2").rows() == [
        (2, 732),
        (2, 740),
        (732, 740),
    ]
    assert frame.height == 6


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "2016-1946"], "Error: The '--years' option must run from an earlier"),
        (["--years", "19x6"], "Error: The '--years' option must be a year range like 1946-2016"),
        (["--add", "contiguityy"], "Error: Unknown variable family 'contiguityy'"),
        (["--system", "xyz"], "Error: The '--system' option must be one of cow, gw"),
        (
            ["--states", "2,999"],
            "Error: The '--states' option: 999 is not a state of the COW system",
        ),
        (["--years", "1700-1750"], "Error: The 'years' parameter of dyad_years() must lie"),
    ],
)
def test_panel_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "d.parquet"
    code, _, err = run("panel", "dyads", *args, "--out", str(out))
    assert code == 2
    assert err.startswith(message), err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_panel_unsupported_out_format(tmp_path: Path) -> None:
    code, _, err = run("panel", "states", "--years", "2000", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2
    assert "must be .parquet or .csv" in err
    assert list(tmp_path.iterdir()) == []


def test_panel_unwritable_out_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.csv"
    code, _, err = run("panel", "states", "--years", "2000", "--out", str(target))
    assert code == 2
    assert "does not exist" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--years", "2020-2024", "--add", "atop"], "Error: The family 'atop' has data for"),
        (["--years", "1946-1950", "--states", "732,740"], "Error: The panel is empty"),
        (["--years", "2000-2001", "--states", "Korea,Japan"],
         "Error: The '--states' option: 'Korea' is Korea"),
        (["--years", "2000-2001", "--states", "2"], "Error: dyad_years() needs at least two"),
    ],
)  # fmt: skip
def test_panel_scope_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "d.parquet"
    code, _, err = run("panel", "dyads", *args, "--out", str(out))
    assert code == 2
    assert err.startswith(message), err
    assert list(tmp_path.iterdir()) == []
