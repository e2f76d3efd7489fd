"""``allegiance landscape``: hand-made CSV inputs, JSON output, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allegiance.cli.main import app

runner = CliRunner()


def write(tmp_path: Path, sizes: str, props: str) -> list[str]:
    (tmp_path / "s.csv").write_text("actor,size\n" + sizes)
    (tmp_path / "p.csv").write_text("actor1,actor2,propensity\n" + props)
    return [
        "landscape",
        "--sizes",
        str(tmp_path / "s.csv"),
        "--propensities",
        str(tmp_path / "p.csv"),
    ]


TRIANGLE = "A,B,-1\nB,C,-1\nA,C,-1\n"


def test_triangle_writes_json(tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(app, [*write(tmp_path, "A,1\nB,1\nC,1\n", TRIANGLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["actors"] == ["A", "B", "C"] and data["n_configurations"] == 4
    assert [s["blocs"] for s in data["stable"]] == [
        [["A", "B"], ["C"]],
        [["A", "C"], ["B"]],
        [["A"], ["B", "C"]],
    ]
    assert [s["basin_size"] for s in data["stable"]] == [1, 1, 2]
    assert [s["energy"] for s in data["stable"]] == [-4.0, -4.0, -4.0]
    assert "Stable configurations" in result.stdout


def test_missing_pair_is_zero_and_both_orders_allowed(tmp_path):
    args = write(tmp_path, "A,1\nB,1\nC,1\n", "A,B,1\nB,A,1\n")
    out = tmp_path / "r.json"
    result = runner.invoke(app, [*args, "--blocs", "3", "--fix", "C=2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    blocs = [s["blocs"] for s in json.loads(out.read_text())["stable"]]
    assert [["A", "B"], [], ["C"]] in blocs


def test_heuristic_with_seed(tmp_path):
    out = tmp_path / "r.json"
    args = [*write(tmp_path, "A,1\nB,1\nC,1\n", TRIANGLE), "--method", "heuristic", "--seed", "3"]
    result = runner.invoke(app, [*args, "--starts", "20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["n_configurations"] == 20 and sum(s["hits"] for s in data["stable"]) == 20


@pytest.mark.parametrize(
    "sizes, props, extra, message",
    [
        ("A,-1\nB,1\n", "A,B,1\n", [], "every size must be a positive finite number; A has -1"),
        ("A,1\nB,1\n", "A,Z,1\n", [], "unknown actor 'Z' (not in the sizes file)"),
        ("A,1\nB,1\n", "A,B,1\nB,A,2\n", [], "is given twice with different values (1.0 and 2.0)"),
        ("A,1\nB,1\n", "A,B,1\n", ["--blocs", "1"], "The '--blocs' option must be"),
        ("A,1\nB,1\n", "A,B,1\n", ["--fix", "A"], "'--fix' option takes ACTOR=BLOC"),
    ],
)
def test_bad_inputs_exit_2_without_output(tmp_path, sizes, props, extra, message):
    out = tmp_path / "r.json"
    result = runner.invoke(app, [*write(tmp_path, sizes, props), *extra, "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_too_many_actors_for_exact(tmp_path):
    names = [f"a{i}" for i in range(30)]
    out = tmp_path / "r.json"
    args = write(tmp_path, "".join(f"{n},1\n" for n in names), "a0,a1,1\n")
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: Exact mode of Landscape enumerates at most 2^25 = 33,554,432 configurations "
        "(two blocs of 26 actors); this problem has 2^29 = 536,870,912. Use "
        "method='heuristic' (CLI: --method heuristic)."
    )
    assert not out.exists()


def test_from_data(tmp_path):
    out = tmp_path / "r.json"
    args = ["landscape", "--year", "2016", "--states", "2,710,732,740", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["actors"] == ["USA", "CHN", "ROK", "JPN"]
    assert data["inputs"]["years_used"]["un"] == 2016
    assert data["stable"][0]["blocs"] == [["USA", "ROK", "JPN"], ["CHN"]]


def test_expected_propensity_from_the_expected_cooperation_model(tmp_path):
    import numpy as np

    from allegiance.runs.landscape import expected_propensity

    codes = [2, 200, 365, 740]  # USA, UK, USSR, Japan in 1960
    prop, parts, used = expected_propensity(1960, codes)
    assert used == {"expected": 1960}
    assert np.allclose(prop, prop.T) and np.all(np.diag(prop) == 0)
    prob = parts["expected"]
    assert np.all((prob >= 0) & (prob <= 1))
    # allies (USA-UK) are expected to cooperate more than Cold War rivals (USA-USSR)
    assert prop[0, 1] > prop[0, 2]
    out = tmp_path / "e.json"
    args = ["landscape", "--year", "1960", "--states", "2,200,365,740", "--propensity",
            "expected", "--out", str(out)]  # fmt: skip
    assert runner.invoke(app, args).exit_code == 0


def test_from_data_writes_the_audit(tmp_path):
    out = tmp_path / "r.json"
    args = ["landscape", "--year", "2010", "--states", "732,740", "--out", str(out), "--audit"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    inputs = json.loads(out.read_text())["inputs"]
    audit = inputs["audit"]
    assert {r["component"] for r in audit} >= {"alliance", "claims", "un", "animosity.colonial"}
    assert sum(r["contribution"] for r in audit) == pytest.approx(inputs["propensities"][0][1])
    assert inputs["carried"]["claims"].startswith("icow_claims to ")
    assert "Carried forward past their source's last year: " in result.stdout
    assert "Propensity audit" in result.stdout and "ROK-JPN" in result.stdout


def test_index_before_1946_names_the_missing_un_votes(tmp_path):
    out = tmp_path / "r.json"
    args = ["landscape", "--year", "1930", "--states", "2,200,255,365", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    inputs = json.loads(out.read_text())["inputs"]
    assert list(inputs["absent"]) == ["un"]
    assert "Without data in 1930 (counted 0): un: UN General Assembly votes" in result.stdout


def test_ab1993_before_the_religion_data(tmp_path):
    out = tmp_path / "r.json"
    args = ["landscape", "--year", "1936", "--states", "2,200,220,255,325,365,740",
            "--propensity", "ab1993", "--out", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data["inputs"]["absent"]) == {"religion", "ethnic"}
    assert data["inputs"]["propensity"] == "ab1993"
    assert "religion: World Religion Project" in result.stdout
    assert "ethnic: no bundled data on ethnic conflict" in result.stdout


def test_unknown_propensity_rule(tmp_path):
    args = ["landscape", "--year", "2010", "--states", "732,740", "--propensity", "vibes"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: The '--propensity' option must be one of index, ab1993, expected. Got 'vibes'.\n"
    )
