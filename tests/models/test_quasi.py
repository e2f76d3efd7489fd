"""Quasi-alliance model: fear functions, classification, recovery, chance, data, contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from tests.models.contract import check_model

from allegiance.errors import ParameterError
from allegiance.inputs.quasi import (
    check_actors,
    client_inputs,
    load_signals,
    observed_relation,
)
from allegiance.models.base import NotFittedError
from allegiance.models.quasi import (
    STABILITY_PARAMETERS,
    QuasiAlliance,
    abandonment_fear,
    abnormal_changes,
    block_permutation,
    classify_relation,
    decade_periods,
    decayed_stock,
    entrapment_fear,
    observed_composite,
    observed_terciles,
    predicted_intensity,
    spearman,
)
from allegiance.params import parse_periods

YEARS = list(range(2000, 2012))
ZERO = [0.0] * 12


def _inputs(
    down1: list[float] = ZERO, down2: list[float] = ZERO, *, up1: list[float] = ZERO,
    up2: list[float] = ZERO, troops1: list[float] = ZERO, troops2: list[float] = ZERO,
    exposure1: list[float] = ZERO, exposure2: list[float] = ZERO,
) -> pl.DataFrame:  # fmt: skip
    """Two clients, twelve years; every input given per client."""
    return pl.DataFrame(
        {
            "ccode": [1] * 12 + [2] * 12,
            "year": YEARS * 2,
            "signals_down": down1 + down2,
            "signals_up": up1 + up2,
            "troop_change": troops1 + troops2,
            "exposure": exposure1 + exposure2,
        }
    )


def _at(year: int, value: float = 1.0) -> list[float]:
    return [value if y == year else 0.0 for y in YEARS]


# --------------------------------------------------------------------------- hand cases


def test_abandonment_hand_case() -> None:
    # a signal of reduced commitment in year 0: stock 1, 0.5, 0.25; reassurance in year 1
    # offsets one: stock 1, 0.5 - 1 = -0.5
    a = abandonment_fear([1.0, 0.0, 0.0], [0.0] * 3, [0.0] * 3, [0.0] * 3)
    assert a.tolist() == pytest.approx([1 / (1 + np.exp(-x)) for x in (1.0, 0.5, 0.25)])
    b = abandonment_fear([1.0, 0.0], [0.0, 1.0], [0.0] * 2, [0.0] * 2)
    assert b.tolist() == pytest.approx([1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(0.5))])


def test_abnormal_troop_changes_hand_case() -> None:
    # changes 0, .02, -.02, .01, -.5: median 0, MAD 0.02 -> robust sd 0.0297 -> floor 0.05
    cuts, ups = abnormal_changes([0.0, 0.02, -0.02, 0.01, -0.5])
    assert cuts.tolist() == [0, 0, 0, 0, 1] and ups.tolist() == [0] * 5
    # a noisy series: its own variation is normal, so only a far larger move counts
    noisy = [0.2, -0.2, 0.25, -0.15, 0.1, -0.1, 0.3, -0.25, -2.0]
    cuts, _ = abnormal_changes(noisy)
    assert cuts.tolist() == [0] * 8 + [1]


def test_entrapment_hand_case() -> None:
    # exposure 3 against median 1 and robust spread 2: sigma(0 + (3 - 1) / 2) = sigma(1)
    e = entrapment_fear([3.0], center=1.0, scale=2.0)
    assert e[0] == pytest.approx(1 / (1 + np.exp(-1.0)))


def test_classification_rules() -> None:
    got = classify_relation(
        [0.8, 0.8, 0.7, 0.5, 0.4, np.nan],
        [0.7, 0.55, 0.3, 0.5, 0.5, 0.5],
        [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
        [0.1, 0.7, 0.1, 0.1, 0.1, 0.1],
        threshold=0.6,
        asymmetry=0.2,
    )
    # both high; one high + other entrapped; gap 0.4 > 0.2; equal and low; gap 0.1; missing
    assert got == ["cooperation", "friction", "friction", "baseline", "baseline", None]


def test_intensity_and_stock_hand_cases() -> None:
    assert predicted_intensity([0.9], [0.7])[0] == pytest.approx(0.7 - 0.2)
    assert predicted_intensity([0.9], [0.7], penalty=0.0)[0] == pytest.approx(0.7)
    assert decayed_stock([1.0, np.nan, 0.0], 0.5).tolist() == [1.0, 0.5, 0.25]


# --------------------------------------------------------------------------- the theory


def _relations(inputs: pl.DataFrame) -> list[str | None]:
    model = QuasiAlliance(n_permutations=0, random_state=0).fit(inputs, clients=(1, 2))
    return model.predict()["relation"].to_list()


def test_a_reduced_commitment_signal_to_both_predicts_cooperation_in_its_window() -> None:
    model = QuasiAlliance(n_permutations=0, random_state=0)
    model.fit(_inputs(_at(2004), _at(2004)), clients=(1, 2))
    fears = model.predict()
    before = fears.filter(pl.col("year") < 2004)
    assert (before["abandonment_1"] == 0.5).all() and (before["abandonment_2"] == 0.5).all()
    after = fears.filter(pl.col("year") == 2004)
    assert after["abandonment_1"].item() > 0.5 and after["abandonment_2"].item() > 0.5
    assert _relations(_inputs(_at(2004), _at(2004)))[4:6] == ["cooperation", "cooperation"]
    assert _relations(_inputs(_at(2004), _at(2004)))[7:] == ["baseline"] * 5


def test_a_signal_to_one_client_only_makes_fears_asymmetric_and_predicts_friction() -> None:
    relations = _relations(_inputs(_at(2004)))
    assert relations[4] == "friction" and "cooperation" not in relations


def test_an_unshared_patron_conflict_raises_that_clients_entrapment_fear() -> None:
    exposure = [1.0] * 12
    model = QuasiAlliance(n_permutations=0, random_state=0).fit(
        _inputs(
            exposure1=exposure,
            exposure2=[v + y for v, y in zip(exposure, _at(2006, 3), strict=True)],
        ),
        clients=(1, 2),
    )
    pred = model.predict()
    year = pred.filter(pl.col("year") == 2006)
    assert year["entrapment_2"].item() > year["entrapment_1"].item()
    other = pred.filter(pl.col("year") != 2006)
    assert (other["entrapment_2"] == other["entrapment_1"]).all()


def test_an_abnormal_troop_cut_raises_abandonment_normal_noise_does_not() -> None:
    noise = [0.03, -0.02, 0.01, -0.03, 0.02, -0.01, 0.03, -0.02, 0.01, -0.03, 0.02, -0.01]
    calm = QuasiAlliance(n_permutations=0, random_state=0).fit(
        _inputs(troops1=noise, troops2=noise), clients=(1, 2)
    )
    assert (calm.predict()["abandonment_1"] == 0.5).all()
    cut = [*noise[:6], -0.4, *noise[7:]]
    moved = QuasiAlliance(n_permutations=0, random_state=0).fit(
        _inputs(troops1=cut, troops2=noise), clients=(1, 2)
    )
    assert moved.predict().filter(pl.col("year") == 2006)["abandonment_1"].item() > 0.7


def test_nothing_happens_stays_baseline_without_flips() -> None:
    model = QuasiAlliance(n_permutations=0, random_state=0).fit(_inputs(), clients=(1, 2))
    pred = model.predict()
    assert set(pred["relation"].to_list()) == {"baseline"}
    assert (pred["abandonment_1"] == 0.5).all() and (pred["entrapment_2"] == 0.5).all()


def test_a_quiet_year_moves_a_fear_only_by_the_documented_decay() -> None:
    # after a signal, each quiet year halves the stock: the log-odds move by stock/2 only
    pred = (
        QuasiAlliance(n_permutations=0, random_state=0)
        .fit(_inputs(_at(2002), _at(2002)), clients=(1, 2))
        .predict()
    )
    a = pred["abandonment_1"].to_numpy()
    logodds = np.log(a / (1 - a))
    assert logodds[2:6] == pytest.approx([1.0, 0.5, 0.25, 0.125])


def test_stability_table_moves_each_parameter() -> None:
    model = QuasiAlliance(n_permutations=0, random_state=0)
    model.fit(_inputs(_at(2004), _at(2004)), clients=(1, 2))
    table = model.stability()
    assert table.height == 2 * len(STABILITY_PARAMETERS)
    assert set(table["parameter"]) == set(STABILITY_PARAMETERS)
    assert table["share_changed"].is_between(0, 1).all()
    assert table.filter(pl.col("parameter") == "signal_weight")["n_changed"].to_list() == [0, 0]


def test_spearman_matches_scipy(rng: np.random.Generator) -> None:
    stats = pytest.importorskip("scipy.stats")
    x, y = rng.normal(size=20), rng.normal(size=20)
    y[3] = y[4]  # a tie
    assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic)
    assert np.isnan(spearman([1.0, 2.0], [1.0, 2.0]))


def test_block_permutation_is_a_permutation_keeping_blocks(rng: np.random.Generator) -> None:
    idx = block_permutation(23, 5, rng)
    assert sorted(idx.tolist()) == list(range(23))
    steps = np.diff(idx)
    assert np.sum((steps == 1) | (steps == -22)) >= 23 - 5  # at most one break per block


def test_missing_observed_data_stays_missing() -> None:
    obs = pl.DataFrame(
        {
            "year": YEARS,
            "disputes": [None] * 4 + [0.0, 1.0] * 4,
            "un_agreement": [None] * 6 + [0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
        }
    )
    comp = observed_composite(obs)
    assert comp["composite"].to_list()[:4] == [None] * 4
    assert comp["n_components"].to_list()[:7] == [0, 0, 0, 0, 1, 1, 2]
    assert comp["components"].to_list()[6] == "disputes;un_agreement"
    model = QuasiAlliance(n_permutations=9, random_state=0)
    by_year = model.fit(_inputs(_at(2003), _at(2003)), obs).by_year_
    assert by_year["observed_relation"].to_list()[:4] == [None] * 4
    assert by_year["match"].to_list()[:4] == [None] * 4


def test_observed_terciles() -> None:
    assert observed_terciles([3.0, 1.0, 2.0]) == ["cooperation", "friction", "baseline"]
    assert observed_terciles([np.nan]) == [None]


# --------------------------------------------------------------------------- recovery, chance


def _synthetic(rng: np.random.Generator, n: int = 40) -> pl.DataFrame:
    """Random signals (one client-year in five) and exposures over ``n`` years."""
    years = list(range(1970, 1970 + n))
    return pl.DataFrame(
        {
            "ccode": [1] * n + [2] * n,
            "year": years * 2,
            "signals_down": (rng.random(2 * n) < 0.2).astype(float),
            "signals_up": (rng.random(2 * n) < 0.1).astype(float),
            "troop_change": rng.normal(scale=0.05, size=2 * n),
            "exposure": rng.poisson(2, size=2 * n).astype(float),
        }
    )


def test_synthetic_world_generated_by_the_rule_is_recovered(rng: np.random.Generator) -> None:
    inputs = _synthetic(rng)
    truth = QuasiAlliance(n_permutations=0, random_state=0).fit(inputs).predict()
    noise = rng.normal(scale=0.05, size=truth.height)
    obs = pl.DataFrame({"year": truth["year"], "un_agreement": truth["intensity"] + noise})
    model = QuasiAlliance(n_permutations=199, random_state=1).fit(inputs, obs)
    overall = model.evaluate().filter(pl.col("period") == "all").row(0, named=True)
    assert overall["spearman"] > 0.9 and overall["p_spearman"] <= 0.01
    assert overall["match_rate"] > 0.5 and overall["p_match"] <= 0.05


def test_noise_gives_no_significant_agreement(seed: int) -> None:
    rejections = 0
    for k in range(20):
        rng = np.random.default_rng(seed + k)
        inputs = _synthetic(rng)
        ar = np.zeros(40)
        for t in range(1, 40):
            ar[t] = 0.6 * ar[t - 1] + rng.normal()
        obs = pl.DataFrame({"year": list(range(1970, 2010)), "un_agreement": ar})
        ev = QuasiAlliance(n_permutations=99, random_state=k).fit(inputs, obs).evaluate()
        rejections += int(ev.filter(pl.col("period") == "all")["p_spearman"].item() < 0.05)
    assert rejections <= 4  # about 1 expected at the 5% level


def test_permutation_seed_is_recorded_and_reproducible() -> None:
    inputs = _synthetic(np.random.default_rng(3))
    obs = pl.DataFrame({"year": list(range(1970, 2010)), "disputes": [0.0, 1.0] * 20})
    a = QuasiAlliance(n_permutations=49, random_state=7).fit(inputs, obs)
    b = QuasiAlliance(n_permutations=49, random_state=7).fit(inputs, obs)
    assert a.seed_ == 7 and a.evaluate().equals(b.evaluate())
    assert QuasiAlliance(n_permutations=0).fit(inputs).seed_ >= 0


# --------------------------------------------------------------------------- contract, errors


def test_model_contract() -> None:
    inputs = _synthetic(np.random.default_rng(1))
    obs = pl.DataFrame({"year": list(range(1970, 2010)), "disputes": [0.0, 1.0] * 20})
    check_model(
        lambda: QuasiAlliance(n_permutations=19, random_state=0),
        lambda m: m.fit(inputs, obs),  # type: ignore[attr-defined]
        lambda m: m.evaluate(),  # type: ignore[attr-defined]
        lambda a, b: a.equals(b),
    )


def test_evaluate_without_observed_raises() -> None:
    model = QuasiAlliance(n_permutations=0).fit(_inputs())
    with pytest.raises(NotFittedError, match="without observed data"):
        model.evaluate()


def test_bad_parameters_and_inputs() -> None:
    with pytest.raises(ParameterError, match="'threshold' parameter of QuasiAlliance"):
        QuasiAlliance(threshold=2.0).fit(_inputs())
    with pytest.raises(ParameterError, match="missing exposure"):
        QuasiAlliance().fit(_inputs().drop("exposure"))
    with pytest.raises(ParameterError, match="exactly two clients"):
        QuasiAlliance().fit(_inputs(), clients=(1, 3))


def test_periods() -> None:
    assert decade_periods(range(1965, 1972)) == [(1965, 1969), (1970, 1971)]
    with pytest.raises(ParameterError, match="must lie within the years 1965-2014"):
        parse_periods("1960-1968", range(1965, 2015))
    with pytest.raises(ParameterError, match="year ranges like"):
        parse_periods("1969-71", range(1965, 2015))
    with pytest.raises(ParameterError, match="year ranges like"):
        parse_periods("1971-1969", range(1965, 2015))


def test_bad_actors() -> None:
    with pytest.raises(ParameterError, match="cannot be the patron"):
        check_actors(2, [2, 740])
    with pytest.raises(ParameterError, match="not a COW state code"):
        check_actors(2, [732, 9999])
    with pytest.raises(ParameterError, match="must differ"):
        check_actors(2, [732, 732])


# --------------------------------------------------------------------------- signals file


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "signals.csv"
    path.write_text(text)
    return path


HEADER = "date,patron,target,direction,kind,source_url\n"


def test_signals_file_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "1970-03-22,USA,KOR,-1,announcement,https://x\n"
        "1971-07-15,2,region,-1,announcement,https://y\n",
    )
    sig = load_signals(path)
    assert sig["target"].to_list() == ["732", "region"] and sig["patron"].to_list() == ["2", "2"]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("1970-03-22,USA,KOR,2,announcement,https://x", "direction"),
        ("1970-13-22,USA,KOR,-1,announcement,https://x", "date"),
        ("1970-03-22,USA,XXX,-1,announcement,https://x", "target"),
        ("1970-03-22,USA,KOR,-1,announcement,", "source_url"),
    ],
)
def test_signals_errors_name_file_line_column(tmp_path: Path, row: str, column: str) -> None:
    path = _write(tmp_path, HEADER + "1969-07-25,USA,region,-1,announcement,https://ok\n" + row)
    with pytest.raises(ParameterError, match=rf"signals.csv, line 3, column '{column}'") as info:
        load_signals(path)
    assert "\n" not in str(info.value)


def test_signals_missing_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "date,patron,target,kind,source_url\n")
    with pytest.raises(ParameterError, match=r"signals.csv, line 1: missing column\(s\) direction"):
        load_signals(path)


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def korea_japan() -> pl.DataFrame:
    return client_inputs(2, [732, 740], range(1975, 1982))


def test_inputs_troops_match_raw_troopdata(raw_dir: Path, korea_japan: pl.DataFrame) -> None:
    pyreadr = pytest.importorskip("pyreadr")
    raw = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "troopdata" / "troopdata_legacy_v0.rda"))["troopdata"]
    )
    for year in (1977, 1978, 1979):
        want = raw.filter((pl.col("ccode") == 732) & (pl.col("year") == year))["troops"].item()
        got = korea_japan.filter((pl.col("ccode") == 732) & (pl.col("year") == year))
        assert got["troops"].item() == int(want)


def test_inputs_bundled_signals_for_carter_years(korea_japan: pl.DataFrame) -> None:
    # The bundled table has two weaker signals to the ROK in 1977 (Carter's withdrawal plan).
    rok = korea_japan.filter(pl.col("ccode") == 732).sort("year")
    year = rok.filter(pl.col("year") == 1977)
    assert year["signals_down"].item() == 2.0 and year["signals_up"].item() == 0.0
    assert korea_japan["exposure"].min() >= 0  # type: ignore[operator]


def test_observed_relation_sources_missing_outside_their_years() -> None:
    obs = observed_relation([732, 740], range(1975, 2020))
    early = obs.filter(pl.col("year") < 1980)
    assert early["exercises"].null_count() == early.height  # MME starts in 1980
    assert early["dca"].null_count() == early.height  # DCAD starts in 1980
    gap = obs.filter(pl.col("year").is_between(1993, 2001))
    assert gap["relations"].null_count() == gap.height  # no event data between WEIS and ICEWS
    assert set(obs.filter(pl.col("year") < 1993)["relations_source"].drop_nulls()) == {"weis"}
    assert obs.filter(pl.col("year") == 2015)["disputes"].item() is None  # MIDB ends 2014


def test_a_dispute_alone_is_not_an_observation_of_cooperation() -> None:
    obs = pl.DataFrame({"year": [1, 2, 3, 4], "relations": [1.0, None, -1.0, None],
                        "disputes": [0.0, 1.0, 0.0, 0.0]})  # fmt: skip
    signs = {"relations": 1.0, "disputes": -1.0}
    comp = observed_composite(obs, signs, required=("relations",))
    assert comp["n_components"].to_list() == [2, 0, 2, 0]
    assert comp["composite"].to_list()[1] is None
    assert comp["components"].to_list() == ["relations;disputes", "", "relations;disputes", ""]
