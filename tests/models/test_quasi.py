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
    QuasiAlliance,
    abandonment_fear,
    block_permutation,
    classify_relation,
    decade_periods,
    decayed_signals,
    entrapment_fear,
    observed_composite,
    observed_terciles,
    predicted_intensity,
    spearman,
)
from allegiance.params import parse_periods

YEARS = list(range(2000, 2012))


def _inputs(c1: list[float], c2: list[float], years: list[int] = YEARS) -> pl.DataFrame:
    """Two clients whose only moving input is the commitment level."""
    n = len(years)
    zero = [0.0] * (2 * n)
    return pl.DataFrame(
        {
            "ccode": [1] * n + [2] * n,
            "year": years * 2,
            "commitment": c1 + c2,
            "commitment_change": zero,
            "signals": zero,
            "threat": zero,
            "exposure": zero,
        }
    )


# --------------------------------------------------------------------------- hand cases


def test_abandonment_hand_case() -> None:
    # commitment z = -1, change z = -0.5, signals -1, threat z = 2, default weights:
    # sigma(0 + 1 + 0.5 + 1 + 0.5 * 2) = sigma(3.5) = 0.970688
    a = abandonment_fear([-1.0], [-0.5], [-1.0], [2.0])
    assert a[0] == pytest.approx(1 / (1 + np.exp(-3.5)))


def test_abandonment_missing_commitment_is_missing_other_terms_are_zero() -> None:
    a = abandonment_fear([np.nan, 0.0], [np.nan, np.nan], [0.0, 0.0], [np.nan, np.nan])
    assert np.isnan(a[0]) and a[1] == 0.5


def test_entrapment_hand_case() -> None:
    # exposure z = 1, commitment z = 2: sigma(1 + 0.5 * 2) = sigma(2)
    assert entrapment_fear([1.0], [2.0])[0] == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_classification_rules() -> None:
    got = classify_relation(
        [0.8, 0.8, 0.7, 0.5, 0.4, np.nan],
        [0.7, 0.55, 0.3, 0.5, 0.5, 0.5],
        [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
        [0.1, 0.7, 0.1, 0.1, 0.1, 0.1],
    )
    # both high; one high + other entrapped; gap 0.4 > 0.3; equal and low; gap 0.1; missing
    assert got == ["cooperation", "friction", "friction", "baseline", "baseline", None]


def test_intensity_and_signals_hand_cases() -> None:
    assert predicted_intensity([0.9], [0.7])[0] == pytest.approx(0.7 - 0.2)
    assert predicted_intensity([0.9], [0.7], penalty=0.0)[0] == pytest.approx(0.7)
    assert decayed_signals([1.0, np.nan, 0.0], 0.5).tolist() == [1.0, 0.5, 0.25]


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


# --------------------------------------------------------------------------- the scenarios


def test_both_commitments_fall_predicts_cooperation() -> None:
    c = [1.0] * 6 + [-1.0] * 6
    pred = QuasiAlliance(n_permutations=0, random_state=0).fit(_inputs(c, c)).predict()
    assert pred["relation"].to_list() == ["baseline"] * 6 + ["cooperation"] * 6


def test_one_commitment_falls_predicts_friction() -> None:
    pred = (
        QuasiAlliance(n_permutations=0, random_state=0)
        .fit(_inputs([1.0] * 6 + [-1.0] * 6, [0.0] * 12))
        .predict()
    )
    # client 1's fear rises to sigma(1) = 0.73 > 0.6, client 2 stays at 0.5: gap 0.23 < 0.3,
    # so friction needs client 2 to fear entrapment; here it does not: baseline. Add exposure.
    assert set(pred["relation"].to_list()[6:]) == {"baseline"}
    inputs = _inputs([1.0] * 6 + [-1.0] * 6, [0.0] * 12).with_columns(
        pl.when((pl.col("ccode") == 2) & (pl.col("year") >= 2006))
        .then(1.0)
        .otherwise(0.0)
        .alias("exposure")
    )
    pred = QuasiAlliance(n_permutations=0, random_state=0).fit(inputs).predict()
    assert pred["relation"].to_list()[6:] == ["friction"] * 6
    a1 = 1 / (1 + np.exp(-1.0))  # min(A1, A2) - |A1 - A2| = 0.5 - (a1 - 0.5)
    assert pred["intensity"].to_numpy()[6:] == pytest.approx([1.0 - a1] * 6)


def test_nothing_changes_predicts_baseline() -> None:
    pred = QuasiAlliance(n_permutations=0, random_state=0).fit(_inputs([0.5] * 12, [0.5] * 12))
    assert set(pred.predict()["relation"].to_list()) == {"baseline"}


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
    by_year = model.fit(_inputs([0.0] * 12, [1.0] * 12), obs).by_year_
    assert by_year["observed_relation"].to_list()[:4] == [None] * 4
    assert by_year["match"].to_list()[:4] == [None] * 4


def test_observed_terciles() -> None:
    assert observed_terciles([3.0, 1.0, 2.0]) == ["cooperation", "friction", "baseline"]
    assert observed_terciles([np.nan]) == [None]


# --------------------------------------------------------------------------- recovery, chance


def _synthetic(rng: np.random.Generator, n: int = 40) -> pl.DataFrame:
    years = list(range(1970, 1970 + n))
    walk = np.cumsum(rng.normal(size=(2, n)), axis=1)
    return pl.DataFrame(
        {
            "ccode": [1] * n + [2] * n,
            "year": years * 2,
            "commitment": walk.ravel(),
            "commitment_change": rng.normal(size=2 * n),
            "signals": [0.0] * (2 * n),
            "threat": rng.normal(size=2 * n),
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
    model = QuasiAlliance(n_permutations=0).fit(_inputs([0.0] * 12, [0.0] * 12))
    with pytest.raises(NotFittedError, match="without observed data"):
        model.evaluate()


def test_bad_parameters_and_inputs() -> None:
    with pytest.raises(ParameterError, match="'threshold' parameter of QuasiAlliance"):
        QuasiAlliance(threshold=2.0).fit(_inputs([0.0] * 12, [0.0] * 12))
    with pytest.raises(ParameterError, match="missing exposure"):
        QuasiAlliance().fit(_inputs([0.0] * 12, [0.0] * 12).drop("exposure"))
    with pytest.raises(ParameterError, match="exactly two clients"):
        QuasiAlliance().fit(_inputs([0.0] * 12, [0.0] * 12), clients=(1, 3))


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
    assert rok.filter(pl.col("year") == 1977)["signals"].item() == -2.0
    assert korea_japan["threat"].null_count() == 0 and korea_japan["exposure"].min() >= 0  # type: ignore[operator]


def test_observed_relation_sources_missing_outside_their_years() -> None:
    obs = observed_relation([732, 740], range(1975, 2012))
    early = obs.filter(pl.col("year") < 1980)
    assert early["exercises"].null_count() == early.height  # MME starts in 1980
    assert early["un_agreement"].null_count() == early.height  # ROK joined the UN in 1991
    assert obs.filter(pl.col("year") < 2002)["icews_coop"].null_count() == 27
    assert obs.filter(pl.col("year") == 2011)["disputes"].item() is None  # GML ends 2010
