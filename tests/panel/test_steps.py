"""The joins every step shares: the binary-search lookup gives what polars's m:1 left join gives."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from allegiance.panel import dyad_years
from allegiance.panel.steps import _join_collected, _lookup_join, join_dyad_attrs

keys = st.lists(st.one_of(st.none(), st.integers(0, 30)), max_size=40)


def _polars_join(frame: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    return frame.join(right, on="k", how="left", validate="m:1", maintain_order="left")


@settings(max_examples=60, deadline=None)
@given(left=keys, right=st.lists(st.integers(0, 30), unique=True, max_size=25))
def test_lookup_join_equals_polars_left_join(left: list[int | None], right: list[int]) -> None:
    frame = pl.DataFrame(
        {"k": left, "a": list(range(len(left)))}, schema={"k": pl.Int64, "a": pl.Int64}
    )
    values = pl.DataFrame(
        {"k": right, "x": [float(v) / 3 for v in right], "s": [f"v{v}" for v in right]},
        schema={"k": pl.Int64, "x": pl.Float64, "s": pl.String},
    ).sample(fraction=1.0, shuffle=True, seed=1)
    got = _lookup_join(frame.lazy(), values, "k").collect()
    assert_frame_equal(got, _polars_join(frame, values))


def test_lookup_join_null_keys_on_the_right_match_nothing_and_names_clash_as_polars() -> None:
    frame = pl.DataFrame({"k": [1, None, 2], "x": [0, 0, 0]})
    right = pl.DataFrame({"k": [None, 2, 1], "x": [9, 8, 7]})
    assert_frame_equal(_lookup_join(frame.lazy(), right, "k").collect(), _polars_join(frame, right))


def test_lookup_join_refuses_duplicate_keys_and_dedupes_equal_rows() -> None:
    frame = pl.LazyFrame({"k": [1, 2]})
    twice = pl.DataFrame({"k": [1, 1, 2], "x": [5, 5, 6]})
    with pytest.raises(pl.exceptions.ComputeError, match="m:1"):
        _lookup_join(frame, twice, "k")
    out = _lookup_join(frame, twice, "k", dedupe=True).collect()
    assert out["x"].to_list() == [5, 6]
    with pytest.raises(pl.exceptions.ComputeError, match="m:1"):
        _lookup_join(frame, twice.with_columns(pl.Series("x", [5, 4, 6])), "k", dedupe=True)


def test_both_join_paths_agree_on_a_large_table(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    right = pl.DataFrame({"k": rng.permutation(300_000), "x": rng.random(300_000)})
    frame = pl.LazyFrame({"k": rng.integers(-10, 310_000, 2_000)})
    looked_up = _join_collected(frame, right, "k").collect()  # above the lookup threshold
    monkeypatch.setattr("allegiance.panel.steps._LOOKUP_MIN_ROWS", 10**9)
    assert_frame_equal(looked_up, _join_collected(frame, right, "k").collect())


def test_symmetric_dyad_attrs_reach_both_orders() -> None:
    panel = dyad_years(years=[2000], states=[2, 20, 200], directed=True)
    attrs = pl.LazyFrame(
        {"ccode1": [20, 2], "ccode2": [2, 200], "year": [2000, 2000], "d": [1.0, 2.0]}
    )
    out = panel.with_frame(join_dyad_attrs(panel, attrs, ["d"], symmetric=True)).collect()
    got = {(r["ccode1"], r["ccode2"]): r["d"] for r in out.iter_rows(named=True)}
    assert got == {(2, 20): 1.0, (20, 2): 1.0, (2, 200): 2.0, (200, 2): 2.0, (20, 200): None,
                   (200, 20): None}  # fmt: skip
