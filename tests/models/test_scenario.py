"""Scenarios: file validation, shocks, seeded draws (any worker count), summaries, outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from allegiance.errors import ParameterError
from allegiance.inputs.landscape import LandscapeInputs
from allegiance.inputs.scenario import (
    SCENARIO_DIR,
    load_scenario_file,
    parse_scenario,
    shipped_scenarios,
)
from allegiance.models.landscape import Landscape
from allegiance.models.scenario import canonical_blocs, draw_inputs
from allegiance.report.outputs import SCENARIO_FILES as OUTPUT_FILES
from allegiance.report.outputs import write_scenario as write_outputs
from allegiance.runs.landscape import landscape_inputs
from allegiance.runs.scenario import plan_scenario, run_scenario

NAMES = {2: "USA", 365: "RUS", 710: "CHN", 731: "PRK", 732: "ROK", 740: "JPN"}
SIZES = np.array([0.15, 0.04, 0.21, 0.01, 0.02, 0.04])
#                 USA   RUS   CHN   PRK   ROK   JPN
P = np.array(
    [
        [0.0, -0.3, -0.7, -1.0, 1.7, 1.8],
        [-0.3, 0.0, -0.2, 0.8, 0.4, -0.9],
        [-0.7, -0.2, 0.0, 1.7, 0.0, -0.5],
        [-1.0, 0.8, 1.7, 0.0, -0.9, -0.4],
        [1.7, 0.4, 0.0, -0.9, 0.0, 0.5],
        [1.8, -0.9, -0.5, -0.4, 0.5, 0.0],
    ]
)
ACTORS = ["USA", "Russia", "China", "North Korea", "South Korea", "Japan"]
NOISY = {"size": {"dist": "lognormal", "sd": 0.2}, "propensity": {"dist": "normal", "sd": 0.4}}


def toy_data(year: int, codes: list[int], **_: Any) -> LandscapeInputs:
    """Hand-made inputs for the six Northeast Asian states (no data access)."""
    idx = [list(NAMES).index(c) for c in codes]
    names = tuple(NAMES[c] for c in codes)
    return LandscapeInputs(names, tuple(codes), SIZES[idx], P[np.ix_(idx, idx)])


def toy_plan(**fields: Any) -> Any:
    spec = parse_scenario({"name": "toy", "base_year": 2010, "actors": ACTORS, **fields}, "toy")
    return plan_scenario(spec, data=toy_data)


def test_same_seed_same_draws_whatever_the_worker_count(seed: int) -> None:
    plan = toy_plan(uncertainty=NOISY)
    one = run_scenario(plan, draws=40, seed=seed, n_jobs=1)
    again = run_scenario(plan, draws=40, seed=seed, n_jobs=1)
    two = run_scenario(plan, draws=40, seed=seed, n_jobs=2)
    assert one.draws_frame().equals(again.draws_frame())
    assert one.draws_frame().equals(two.draws_frame())
    assert one.configurations().equals(two.configurations())
    assert one.seed == two.seed == seed
    assert one.configurations().height > 1  # the noise does move configurations
    other = run_scenario(plan, draws=40, seed=seed + 1, n_jobs=1)
    assert not one.draws_frame().equals(other.draws_frame())


def test_unseeded_run_records_its_seed() -> None:
    plan = toy_plan(uncertainty=NOISY)
    first = run_scenario(plan, draws=5)
    assert first.draws_frame().equals(run_scenario(plan, draws=5, seed=first.seed).draws_frame())


def test_zero_uncertainty_gives_the_deterministic_result() -> None:
    result = run_scenario(toy_plan(), draws=7, seed=3)
    model = Landscape().fit(SIZES, P, list(NAMES.values()))
    configs = result.configurations()
    assert set(configs["p_stable"]) == {1.0}
    lowest = configs.filter(pl.col("p_lowest") == 1.0)["configuration"].to_list()
    assert lowest == [" | ".join("+".join(b) for b in model.minimum_.blocs)]
    shares = {" | ".join("+".join(b) for b in c.blocs): c.probability for c in model.stable_}
    assert dict(zip(configs["configuration"], configs["p_basin"], strict=True)) == pytest.approx(
        shares
    )


def test_summaries_are_probabilities(seed: int) -> None:
    result = run_scenario(toy_plan(uncertainty=NOISY), draws=30, seed=seed)
    configs = result.configurations()
    assert configs["p_basin"].sum() == pytest.approx(1.0)
    assert (configs["p_stable"] >= configs["p_lowest"]).all()
    assert configs["p_lowest"].sum() == pytest.approx(1.0)
    m = result.coalition()
    assert np.allclose(m, m.T) and np.allclose(np.diag(m), 1.0)
    assert ((m >= 0) & (m <= 1 + 1e-12)).all()
    assert result.p_together("ROK", "JPN") == pytest.approx(m[4, 5])
    assert np.isnan(result.p_together("ROK", "TWN"))


def test_removing_an_actor_removes_it_from_the_output(tmp_path: Path) -> None:
    result = run_scenario(toy_plan(remove=["North Korea", 2]), draws=3, seed=1)
    assert result.actors == ("RUS", "CHN", "ROK", "JPN")
    assert all("PRK" not in c and "USA" not in c for c in result.configurations()["configuration"])
    write_outputs(result, tmp_path / "run")
    matrix = pl.read_csv(tmp_path / "run" / "coalition_matrix.csv")
    assert matrix.columns == ["actor", "RUS", "CHN", "ROK", "JPN"]


def test_added_actor_enters_the_game() -> None:
    added = [{"name": "TWN", "size": 0.01, "propensity": {"USA": 1.0, "China": -2.0}}]
    plan = toy_plan(add_actor=added)
    assert plan.actors[-1] == "TWN"
    sizes, prop = draw_inputs(plan, np.random.default_rng(0))
    assert sizes[-1] == 0.01 and prop[-1, 0] == prop[0, -1] == 1.0 and prop[-1, 2] == -2.0
    assert prop[-1, 1] == 0.0  # pairs not listed: 0
    result = run_scenario(plan, draws=2, seed=1)
    assert "TWN" in result.actors and result.coalition().shape == (7, 7)


def test_shocks_apply_as_documented() -> None:
    plan = toy_plan(
        size_shock=[{"actor": "USA", "multiply": 0.5}, {"actor": 740, "set": 0.3}],
        propensity_shock=[
            {"pair": ["USA", "South Korea"], "add": -0.3},
            {"pair": ["China", "Japan"], "set": 0.25},
        ],
    )
    sizes, prop = draw_inputs(plan, np.random.default_rng(0))
    assert sizes[0] == pytest.approx(SIZES[0] * 0.5) and sizes[5] == 0.3
    assert prop[0, 4] == prop[4, 0] == pytest.approx(P[0, 4] - 0.3)
    assert prop[2, 5] == prop[5, 2] == 0.25
    assert np.allclose(prop, prop.T)


def test_distributions_are_sampled(seed: int) -> None:
    plan = toy_plan(size_shock=[{"actor": "USA", "multiply": {"dist": "uniform", "low": 0.5,
                                                              "high": 0.7}}])  # fmt: skip
    rng = np.random.default_rng(seed)
    draws = np.array([draw_inputs(plan, rng)[0][0] / SIZES[0] for _ in range(300)])
    assert draws.min() >= 0.5 and draws.max() <= 0.7 and draws.std() > 0.03


def test_configurations_are_label_invariant() -> None:
    assert canonical_blocs("abcd", [1, 0, 1, 2]) == canonical_blocs("abcd", [0, 2, 0, 1])


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nbase_year = 2010\n' + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text, match",
    [
        ('actors = ["USA", "China"]\n[[size_shock]]\nactor = "USA"\nmultiply = -0.6\n',
         r"size_shock\[0\]\.multiply: a size multiplier or size must be positive; got -0.6"),
        ('actors = ["USA", "China"]\ncolour = "red"\n', r"unknown key 'colour'. Valid keys"),
        ('actors = ["USA", "China"]\n[[size_shock]]\nactor = "USA"\nmultipy = 2\n',
         r"unknown key 'size_shock\[0\]\.multipy'. Valid keys here: actor, multiply, set"),
        ('actors = ["USA", "China"]\n[uncertainty]\nsize = {dist = "gamma", sd = 1}\n',
         r"uncertainty\.size: a distribution needs dist = 'normal', 'uniform' or 'lognormal'"),
        ('actors = ["USA", "China"]\n[uncertainty]\nsize = {dist = "normal", sd = 1}\n',
         r"uncertainty\.size: the size noise must be positive; use lognormal or uniform"),
        ('actors = ["USA", "China"]\n[[propensity_shock]]\npair = ["USA", "USA"]\nadd = 1\n',
         r"propensity_shock\[0\]: a pair needs two different actors"),
        ('actors = ["USA", "China"\n', r"is not valid TOML"),
        ("", r"the key 'actors' is required"),
    ],
)  # fmt: skip
def test_bad_files_name_file_and_key(tmp_path: Path, text: str, match: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ParameterError, match=rf"^(The s|S)cenario file {path}.*{match}"):
        plan_scenario(path, data=toy_data)


@pytest.mark.parametrize(
    "text, match",
    [
        ('actors = ["USA", "Atlantis"]\n', r"actors\[1\]: Unknown country 'Atlantis'"),
        ('actors = ["USA", "China", "USA"]\n', r"actors\[2\]: 'USA' is listed twice"),
        ('actors = ["USA", "China"]\nremove = ["Japan"]\n',
         r"remove\[0\]: 'Japan' is not one of the scenario's actors"),
        ('actors = ["USA", "China"]\n[[size_shock]]\nactor = "Japan"\nmultiply = 2\n',
         r"size_shock\[0\]\.actor: 'Japan' is not one of the scenario's actors \(USA, CHN\)"),
        ('actors = ["USA", "China"]\n[[propensity_shock]]\npair = ["USA", "ROK"]\nadd = 1\n',
         r"propensity_shock\[0\]\.pair: 'ROK' is not one of the scenario's actors"),
        ('actors = ["USA", "China"]\nremove = ["USA", "China"]\n', r"remove: every actor"),
    ],
)  # fmt: skip
def test_unknown_actors_name_file_and_key(tmp_path: Path, text: str, match: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ParameterError, match=rf"^Scenario file {path}: {match}"):
        plan_scenario(path, data=toy_data)


def test_missing_file_and_unknown_name() -> None:
    with pytest.raises(
        ParameterError, match=r"Cannot read the scenario file nope\.toml: it does not exist"
    ):
        plan_scenario("nope.toml")
    with pytest.raises(ParameterError, match=r"'nope' is neither a file nor a shipped scenario"):
        plan_scenario("nope")


def test_bad_run_arguments() -> None:
    plan = toy_plan()
    with pytest.raises(ParameterError, match="draws must be at least 1"):
        run_scenario(plan, draws=0)
    with pytest.raises(ParameterError, match="workers must be at least 1"):
        run_scenario(plan, draws=1, n_jobs=0)


def test_outputs_are_written_and_replaced_atomically(tmp_path: Path) -> None:
    result = run_scenario(toy_plan(uncertainty=NOISY), draws=10, seed=2)
    out = tmp_path / "run"
    write_outputs(result, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 2 and summary["draws"] == 10 and "counting_rule" in summary
    assert pl.read_parquet(out / "draws.parquet")["draw"].n_unique() == 10
    write_outputs(result, out)  # a rerun replaces the previous run
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError, match="exists and holds other files"):
        write_outputs(result, out)
    assert (out / "notes.txt").read_text() == "mine"


def test_dask_cluster_gives_the_same_draws(seed: int) -> None:
    distributed = pytest.importorskip("distributed")
    plan = toy_plan(uncertainty=NOISY)
    local = run_scenario(plan, draws=12, seed=seed)
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        remote = run_scenario(plan, draws=12, seed=seed, scheduler=cluster.scheduler_address)
    assert local.draws_frame().equals(remote.draws_frame())


def test_unreachable_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr("allegiance.runs.scenario.DASK_TIMEOUT", "1s")
    with pytest.raises(ParameterError, match="Cannot reach the Dask scheduler"):
        run_scenario(toy_plan(), draws=1, scheduler="tcp://127.0.0.1:1")


def test_shipped_scenarios_validate_and_resolve() -> None:
    assert shipped_scenarios() == [
        "baseline", "china_rise", "dprk_collapse", "japan_rearmament", "us_drawdown",
        "us_withdrawal",
    ]  # fmt: skip
    for name in shipped_scenarios():
        plan = plan_scenario(name, data=toy_data)
        assert plan.name == name
    assert "PRK" not in plan_scenario("dprk_collapse", data=toy_data).actors
    assert "USA" not in plan_scenario("us_withdrawal", data=toy_data).actors


def test_shipped_base_year_is_the_latest_year_every_source_observes() -> None:
    years = {load_scenario_file(p).base_year for p in SCENARIO_DIR.glob("*.toml")}
    assert len(years) == 1
    year = years.pop()
    codes = [2, 365, 710, 731, 732, 740]
    assert set(landscape_inputs(year, codes).years_used.values()) == {year}
    later = landscape_inputs(year + 1, codes).years_used
    assert min(later.values()) < year + 1  # some source stops at the base year
