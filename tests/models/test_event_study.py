"""EventStudy: hand-computed windows, not-observable events, permutation p-values, contract."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from allegiance.errors import ParameterError
from allegiance.models.event_study import EventStudy, month_index


def series(values: list[float], source: str = "a", start: int = 0) -> pl.DataFrame:
    n = len(values)
    return pl.DataFrame({"t": list(range(start, start + n)), "value": values,
                         "n_events": [2] * n, "source": [source] * n})  # fmt: skip


def test_hand_case_per_event_and_pooled() -> None:
    # months 0-11: 0; window of event at 4 covers 4, 5, 6 (values 3, 3, 0)
    values = [0.0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0]
    study = EventStudy(window=3, n_permutations=0).fit(
        series(values), pl.DataFrame({"event": ["e"], "t": [4]})
    )
    row = study.by_event_.row(0, named=True)
    assert row["n_in"] == 3 and row["events_in"] == 6
    assert row["mean_in"] == pytest.approx(2.0) and row["mean_out"] == pytest.approx(0.0)
    assert row["difference"] == pytest.approx(2.0) and row["observable"]
    assert study.pooled_["difference"] == pytest.approx(2.0)


def test_window_without_data_is_not_observable() -> None:
    events = pl.DataFrame({"event": ["seen", "unseen"], "t": [2, 100]})
    study = EventStudy(window=2, n_permutations=0).fit(series([0.0, 0, 1, 1, 0, 0]), events)
    by = study.by_event_
    assert by["observable"].to_list() == [True, False]
    assert by["difference"].to_list()[1] is None and by["source"].to_list()[1] is None
    assert study.pooled_["n_observable"] == 1 and study.pooled_["n_events"] == 2


def test_sources_are_compared_within_themselves() -> None:
    # source b sits at +100 throughout: it must not shift source a's contrast
    a = series([0.0] * 6 + [1.0] * 2 + [0.0] * 4, "a")
    b = series([100.0] * 12, "b", start=200)
    events = pl.DataFrame({"event": ["x", "y"], "t": [6, 205]})
    study = EventStudy(window=2, n_permutations=0).fit(pl.concat([a, b]), events)
    assert study.by_event_["difference"].to_list() == pytest.approx([1.0, 0.0])
    # pooled: (2 * 1 + 2 * 0) / 4
    assert study.pooled_["difference"] == pytest.approx(0.5)


def test_a_real_effect_is_detected_and_noise_is_not() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(size=240)
    starts = [30, 77, 151, 200]  # irregular, as real signals are
    for s in starts:
        values[s : s + 6] += 3.0
    events = pl.DataFrame({"event": [str(s) for s in starts], "t": starts})
    hit = EventStudy(window=6, n_permutations=499, random_state=1).fit(series(list(values)), events)
    assert hit.pooled_["p_value"] <= 0.01
    noise = rng.normal(size=240)
    miss = EventStudy(window=6, n_permutations=499, random_state=1).fit(series(list(noise)), events)
    assert miss.pooled_["p_value"] > 0.05
    lower = EventStudy(window=6, expected="lower", n_permutations=199, random_state=1)
    assert lower.fit(series(list(values)), events).pooled_["p_value"] > 0.9


def test_month_index_and_bad_input() -> None:
    assert month_index(1969, 1) == 12 * 1969
    with pytest.raises(ParameterError, match="needs series columns"):
        EventStudy().fit(pl.DataFrame({"t": [1]}), pl.DataFrame({"event": ["e"], "t": [1]}))
    with pytest.raises(ParameterError, match="'window' parameter of EventStudy"):
        EventStudy(window=0).fit(series([0.0]), pl.DataFrame({"event": ["e"], "t": [0]}))
