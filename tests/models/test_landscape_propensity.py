"""Landscape propensities from the data: the audit, the any-year index and Axelrod-Bennett."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from allegiance.data.coverage import table_years
from allegiance.inputs.propensity import AUDIT_SCHEMA, INDEX_WEIGHTS, UN_MIN_VOTES, source_years
from allegiance.measures import compute
from allegiance.runs.landscape import landscape_inputs

NEA = [2, 365, 710, 731, 732, 740]  # USA, Russia, China, DPRK, ROK, Japan
INTERWAR = [2, 200, 220, 255, 325, 365, 710, 740]  # USA UK France Germany Italy USSR China Japan


@pytest.fixture(scope="module")
def nea_2010():  # type: ignore[no-untyped-def]
    return landscape_inputs(2010, NEA)


def _pair(audit: pl.DataFrame, a: str, b: str) -> pl.DataFrame:
    return audit.filter((pl.col("actor1") == a) & (pl.col("actor2") == b))


def _row(audit: pl.DataFrame, a: str, b: str, component: str) -> dict[str, object]:
    rows = _pair(audit, a, b).filter(pl.col("component") == component)
    assert rows.height == 1
    return rows.row(0, named=True)


def _matrix_from(audit: pl.DataFrame, codes: list[int]) -> np.ndarray:
    index = {c: i for i, c in enumerate(codes)}
    m = np.zeros((len(codes), len(codes)))
    sums = audit.group_by("ccode1", "ccode2").agg(pl.col("contribution").sum())
    for a, b, v in sums.iter_rows():
        m[index[a], index[b]] = m[index[b], index[a]] = v
    return m


# --------------------------------------------------------------------------- the audit


def test_audit_columns_and_sum(nea_2010) -> None:  # type: ignore[no-untyped-def]
    audit = nea_2010.audit
    assert dict(audit.schema) == dict(AUDIT_SCHEMA)
    assert audit.height == 15 * 10  # 15 pairs; alliance, threat, democracy, 5 animosity, claims, un
    assert np.allclose(_matrix_from(audit, NEA), nea_2010.propensity)
    assert np.allclose(sum(nea_2010.components.values()), nea_2010.propensity)
    assert (audit["contribution"] - audit["weight"] * audit["value"]).abs().max() < 1e-12  # type: ignore[operator]
    # weights as documented; the animosity index's five terms share its weight
    weights = dict(audit.select("component", "weight").unique().iter_rows())
    assert weights["alliance"] == INDEX_WEIGHTS["alliance"]
    assert weights["animosity.colonial"] == pytest.approx(INDEX_WEIGHTS["animosity"] / 5)


def test_rok_japan_2010_by_hand(nea_2010) -> None:  # type: ignore[no-untyped-def]
    """Each row of the ROK-Japan audit against the measure it comes from."""
    audit = nea_2010.audit
    anim = compute("animosity", range(2010, 2011), dyads=[(732, 740)]).row(0, named=True)
    un = compute("un_agreement", range(2010, 2011), dyads=[(732, 740)]).row(0, named=True)
    claims = _row(audit, "ROK", "JPN", "claims")
    assert claims["raw"] == 1 and claims["contribution"] == INDEX_WEIGHTS["claims"]
    icow_last = source_years("icow_claims")[1]
    assert claims["source_year"] == icow_last and claims["carried"] is True  # Dokdo/Takeshima
    assert _row(audit, "ROK", "JPN", "animosity.colonial")["status"] == "time-invariant"
    wars = _row(audit, "ROK", "JPN", "animosity.wars_opposite")
    assert wars["source_year"] == source_years("cow_war_inter")[1] and wars["carried"] is True
    animosity = _pair(audit, "ROK", "JPN").filter(pl.col("component").str.starts_with("animosity"))
    assert animosity["contribution"].sum() == pytest.approx(
        INDEX_WEIGHTS["animosity"] * anim["animosity"]
    )
    un_row = _row(audit, "ROK", "JPN", "un")
    assert un_row["raw"] == pytest.approx(un["un_agreement"])
    assert un_row["contribution"] == pytest.approx(2 * un["un_agreement"] - 1)
    assert f"of {un['un_nvotes']} roll calls" in str(un_row["detail"])
    assert _row(audit, "ROK", "JPN", "alliance")["carried"] is False


def test_carried_past_the_source_is_flagged() -> None:
    gml_last = table_years("gml_mid_ddydisps")[1]
    later = landscape_inputs(gml_last + 1, [732, 740])
    threat = _row(later.audit, "ROK", "JPN", "threat")
    assert threat["source_year"] == gml_last and threat["carried"] is True
    assert threat["status"] == "carried forward"
    assert later.years_used["threat"] == gml_last
    same = landscape_inputs(gml_last, [732, 740])
    assert _row(same.audit, "ROK", "JPN", "threat")["carried"] is False


def test_un_only_where_both_voted_enough() -> None:
    """ROK had no UN vote before 1991 (Voeten's data): its UN terms count 0; a year with fewer
    roll calls than the minimum leaves every pair's UN term out."""
    early = landscape_inputs(1980, [2, 732, 740])
    rok = _row(early.audit, "USA", "ROK", "un")
    assert rok["raw"] is None and rok["contribution"] == 0 and rok["status"] == "missing"
    assert _row(early.audit, "USA", "JPN", "un")["raw"] is not None
    calls = compute("un_agreement", range(2020, 2021), dyads=[(2, 740)])["un_nvotes"].item()
    assert calls < UN_MIN_VOTES  # the bundled roll calls of 2020
    late = landscape_inputs(2020, [2, 740])
    row = _row(late.audit, "USA", "JPN", "un")
    assert row["raw"] is None and row["contribution"] == 0 and "fewer than" in str(row["detail"])


def test_subset_equals_recomputing(nea_2010) -> None:  # type: ignore[no-untyped-def]
    without = nea_2010.subset(NEA[1:])
    direct = landscape_inputs(2010, NEA[1:])
    assert without.actors == direct.actors
    assert np.allclose(without.propensity, direct.propensity)
    assert np.allclose(without.sizes, direct.sizes)
    assert without.audit.height == direct.audit.height


# --------------------------------------------------------------------------- any year


def test_index_before_the_un_votes_names_what_is_left_out() -> None:
    first = source_years("un_roll_calls")[0]
    inputs = landscape_inputs(first - 10, INTERWAR)
    assert set(inputs.absent) == {"un"} and str(first) in inputs.absent["un"]
    assert "un" not in inputs.years_used
    un = inputs.audit.filter(pl.col("component") == "un")
    assert set(un["status"]) == {"no data this year"} and un["contribution"].abs().sum() == 0
    assert np.allclose(_matrix_from(inputs.audit, INTERWAR), inputs.propensity)


def test_index_in_the_first_year_of_the_system() -> None:
    first = source_years("cow_nmc")[0]
    inputs = landscape_inputs(first, [200, 220, 365])  # UK, France, Russia
    assert inputs.propensity.shape == (3, 3) and set(inputs.absent) == {"un"}


# --------------------------------------------------------------------------- Axelrod-Bennett


@pytest.fixture(scope="module")
def ab_1936():  # type: ignore[no-untyped-def]
    return landscape_inputs(1936, INTERWAR, propensity="ab1993")


def test_ab1993_factors_weights_and_absent(ab_1936) -> None:  # type: ignore[no-untyped-def]
    from allegiance.inputs.ab1993 import AB1993_FACTORS

    audit = ab_1936.audit
    assert list(dict.fromkeys(audit["component"])) == list(AB1993_FACTORS)
    assert set(audit["weight"]) == {1.0}
    assert set(ab_1936.absent) == {"religion", "ethnic"}  # WRP begins in 1945; no ethnic data
    assert str(source_years("wrp_national")[0]) in ab_1936.absent["religion"]
    assert set(audit.filter(pl.col("component") == "ethnic")["status"]) == {"no bundled data"}
    assert np.allclose(_matrix_from(audit, INTERWAR), ab_1936.propensity)
    assert set(np.unique(ab_1936.propensity)) <= {-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0}


def test_ab1993_religion_from_the_first_wrp_wave() -> None:
    first = source_years("wrp_national")[0]
    before = landscape_inputs(first - 1, [2, 200], propensity="ab1993")
    at = landscape_inputs(first, [2, 200], propensity="ab1993")
    assert "religion" in before.absent and "religion" not in at.absent
    row = _row(at.audit, "USA", "UKG", "religion")
    similarity = compute("religion_similarity", range(first, first + 1), dyads=[(2, 200)])
    assert row["raw"] == pytest.approx(similarity["religion_similarity"].item())
    assert row["value"] == pytest.approx(2 * row["raw"] - 1)  # type: ignore[operator]


def test_ab1993_government_types_read_ideology_only_for_non_democracies(
    ab_1936,  # type: ignore[no-untyped-def]
) -> None:
    from allegiance.data import bundle
    from allegiance.inputs.ab1993 import regime_types

    types = dict(regime_types(1936, [255, 325, 365, 380, 385, 200]).select("ccode", "regime")
                 .iter_rows())  # fmt: skip
    assert types[255] == types[325] == "nationalist"  # Germany, Italy
    assert types[365] == "socialist/communist"  # the USSR
    ideology = bundle.scan("vdem_legitideol").filter(
        (pl.col("year") == 1936) & pl.col("ccode").is_in([380, 385])
    ).collect()  # fmt: skip
    assert set(ideology["v2exl_legitideolcr_1"]) == {1.0}  # Sweden, Norway: socialist share 1
    assert types[380] == types[385] == types[200] == "democracy"  # but they are democracies
    audit = ab_1936.audit
    assert _row(audit, "GMY", "ITA", "government")["contribution"] == 1.0
    assert _row(audit, "GMY", "RUS", "government")["contribution"] == -1.0
    assert _row(audit, "UKG", "FRN", "government")["contribution"] == 1.0


def test_ab1993_government_before_vdem_does_not_tell_autocracies_apart() -> None:
    first = source_years("vdem_legitideol")[0]
    inputs = landscape_inputs(first - 1, [255, 365], propensity="ab1993")  # two autocracies
    row = _row(inputs.audit, "GMY", "RUS", "government")
    assert row["raw"] is None and row["contribution"] == 0 and row["status"] == "missing"


def test_ab1993_recent_war_and_border_by_hand(raw_dir, ab_1936) -> None:  # type: ignore[no-untyped-def]
    from allegiance.inputs.ab1993 import WAR_WINDOW

    pyreadr = pytest.importorskip("pyreadr")
    wars = pl.from_pandas(
        pyreadr.read_r(str(raw_dir / "peacesciencer" / "cow_war_inter.rda"))["cow_war_inter"]
    ).with_columns(pl.col(c).cast(pl.Int64) for c in ("ccode1", "ccode2", "year"))
    recent = wars.filter(pl.col("year").is_between(1936 - WAR_WINDOW + 1, 1936))
    fought = {(min(a, b), max(a, b)) for a, b in recent.select("ccode1", "ccode2").iter_rows()}
    audit = ab_1936.audit.filter(pl.col("component") == "war")
    for a, b, contribution in audit.select("ccode1", "ccode2", "contribution").iter_rows():
        assert contribution == (-1.0 if (min(a, b), max(a, b)) in fought else 0.0)
    assert _row(ab_1936.audit, "FRN", "GMY", "war")["contribution"] == -1.0  # within 25 years
    border = _row(ab_1936.audit, "CHN", "JPN", "border")
    assert border["contribution"] == -1.0 and "Manchuria" in str(border["detail"])


def test_ab1993_ideologies_in_the_catalog_order() -> None:
    from allegiance.data import catalog
    from allegiance.inputs.ab1993 import IDEOLOGIES

    text = catalog.get("vdem_legitideol").description
    positions = [text.index(name) for name in IDEOLOGIES]
    assert positions == sorted(positions)


def test_factor_table_years_come_from_the_data() -> None:
    from allegiance.inputs.ab1993 import factor_table

    table = factor_table()
    religion = table.filter(pl.col("factor") == "religion")["sources"].item()
    first, last = source_years("wrp_national")
    assert religion == f"wrp_national {first}-{last}"
    assert table.filter(pl.col("factor") == "ethnic")["sources"].item() == "none"


def test_unknown_rule_is_refused() -> None:
    from allegiance.errors import ParameterError

    with pytest.raises(ParameterError, match="'propensity' parameter"):
        landscape_inputs(2010, [732, 740], propensity="astrology")
