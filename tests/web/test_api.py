"""The web API through FastAPI's test client: values, paging and clear 422 errors.

The app runs with its worker pool (two workers, imports only: no dashboard warm-up).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from allegiance.web.api import DASHBOARD
from allegiance.web.app import create_app
from allegiance.web.limits import ServerLimits


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(warm=False), raise_server_exceptions=False) as client:
        yield client


def test_dyads_are_paged_and_filtered(client: TestClient) -> None:
    r = client.get("/api/dyads", params={"years": "1965-1966", "states": "2,732,740",
                                          "add": "atop", "page_size": 2})  # fmt: skip
    assert r.status_code == 200
    body = r.json()
    assert body["total_rows"] == 6 and len(body["rows"]) == 2
    assert {"ccode1", "ccode2", "year", "atop_defense"} <= set(body["columns"])


def test_columns_are_selected(client: TestClient) -> None:
    r = client.get("/api/states", params={"years": "2000-2000", "states": "740", "add": "nmc",
                                           "columns": "cinc"})  # fmt: skip
    assert r.status_code == 200
    assert r.json()["columns"] == ["ccode", "year", "cinc"]


def test_measure_series_for_japan_rok(client: TestClient) -> None:
    r = client.get("/api/measures/un_agreement", params={"dyad": "740-732", "years": "2000-2002"})
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert [row["year"] for row in rows] == [2000, 2001, 2002]
    assert all(0 <= row["un_agreement"] <= 1 for row in rows)


def test_relations_figure_for_rok_japan_marks_the_source_of_every_year(
    client: TestClient,
) -> None:
    from allegiance.measures.registry import compute

    params = {"measure": "relations", "dyad": "732-740", "years": "1966-2024"}
    r = client.get("/api/dyad-figure", params=params)
    assert r.status_code == 200
    body = r.json()
    assert body["dyad"] == [732, 740]
    got = {row["year"]: (row["relations"], row["relations_source"]) for row in body["rows"]}
    expected = compute("relations", range(1966, 2025), dyads=[(732, 740)])
    want = {row["year"]: (row["relations"], row["relations_source"])
            for row in expected.iter_rows(named=True)}  # fmt: skip
    assert got.keys() == want.keys() == set(range(1966, 2025))
    for year, (value, source) in want.items():
        assert got[year][1] == source
        assert got[year][0] == (None if value is None else pytest.approx(value, rel=1e-12))
    # the three sources of Japan-ROK, and nothing between them
    assert {s for _, s in want.values()} == {"weis", "icews", "gdelt", None}
    assert all(want[y][1] is None for y in [*range(1993, 2002), 2015, 2016, 2017])
    traces = {t["name"]: t for t in body["figure"]["data"]}
    assert {"WEIS", "ICEWS", "GDELT"} <= traces.keys()
    for name, source in (("WEIS", "weis"), ("ICEWS", "icews"), ("GDELT", "gdelt")):
        drawn = {x: y for x, y in zip(traces[name]["x"], traces[name]["y"], strict=True)}
        assert all(drawn[year] is None for year, (_, s) in want.items() if s != source)
        assert all(drawn[year] == pytest.approx(v) for year, (v, s) in want.items()
                   if s == source and v is not None)  # fmt: skip
    # the measure endpoint gives the same values
    plain = client.get("/api/measures/relations", params={"dyad": "732-740", "years": "1966-2024"})
    assert {row["year"]: row["relations"] for row in plain.json()["rows"]} == {
        y: v for y, (v, _) in got.items()
    }


@pytest.mark.parametrize(
    "url, params, message",
    [
        ("/api/dyads", {"states": "2,Atlantis"}, "Unknown country 'Atlantis'"),
        ("/api/dyads", {"years": "2016-1946"}, "The 'years' parameter must run from an earlier"),
        (
            "/api/dyads",
            {"years": "19x6-2000"},
            "The 'years' parameter must be a year range like 1946-2016",
        ),
        ("/api/dyads", {"page_size": 0}, "page_size"),
        ("/api/dyads", {"page_size": 100000}, "page_size"),
        ("/api/dyads", {"add": "astrology"}, "Unknown variable family 'astrology'"),
        ("/api/states", {"columns": "nope", "years": "2000-2000"}, "Unknown column 'nope'"),
        ("/api/measures/nope", {}, "Unknown measure 'nope'"),
        ("/api/dyad-figure", {"measure": "nope"}, "Unknown measure 'nope'"),
        ("/api/measures/sscore", {"dyad": "740-740"}, "two different states"),
    ],
)
def test_bad_parameters_give_422_with_a_clear_message(
    client: TestClient, url: str, params: dict[str, object], message: str
) -> None:
    r = client.get(url, params=params)
    assert r.status_code == 422
    assert message in r.json()["detail"]
    assert "Traceback" not in r.text


def test_landscape_endpoint_and_its_limits(client: TestClient) -> None:
    ok = client.post("/api/landscape", json={
        "actors": ["A", "B", "C"], "sizes": [1, 1, 1],
        "propensities": [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]})  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["stable"][0]["blocs"] in ([["A", "B"], ["C"]], [["C"], ["A", "B"]])
    too_many = client.post("/api/landscape", json={
        "actors": [str(i) for i in range(25)], "sizes": [1] * 25,
        "propensities": [[0] * 25] * 25})  # fmt: skip
    assert too_many.status_code == 422
    negative = client.post("/api/landscape", json={
        "actors": ["A", "B"], "sizes": [1, -1], "propensities": [[0, 1], [1, 0]]})  # fmt: skip
    assert negative.status_code == 422 and "positive" in negative.json()["detail"]


def test_pages_and_offline_javascript(client: TestClient) -> None:
    for page in ("/", "/dyad", "/scenario"):
        r = client.get(page)
        assert r.status_code == 200 and "/static/plotly.min.js" in r.text
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000


@pytest.fixture(scope="module")
def warm_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app warmed as `allegiance serve` warms it, showing a one-claim study."""
    folder = tmp_path_factory.mktemp("study")
    study = folder / "small.toml"
    study.write_text(
        'title = "Small"\nyears = "1990-2001"\n[actors]\nROK = 732\nJapan = 740\nChina = 710\n'
        '[[claims]]\nid = "territory"\nstatement = "ROK main claim is with Japan."\n'
        'kind = "territorial_claims"\n'
        'params = { subject = "ROK", main = "Japan", others = ["China"] }\n',
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ALLEGIANCE_CACHE", str(folder / "cache"))  # the workers inherit it
        app = create_app(ServerLimits(workers=1), study=study, warm=True)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


def test_study_endpoint_returns_the_claims(warm_client: TestClient) -> None:
    r = warm_client.get("/api/study")
    assert r.status_code == 200
    claims = r.json()["claims"]
    assert [c["claim"] for c in claims] == ["territory"]
    # every ICOW partner counts: the ROK-DPRK claim (salience 11) outranks Dokdo (6)
    assert claims[0]["verdict"] == "mixed"


def test_the_dashboards_first_requests_are_answered_before_ready(warm_client: TestClient) -> None:
    pool = warm_client.app.state.pool  # type: ignore[attr-defined]
    computed = pool.counts["done"]
    dyad, years = "-".join(map(str, DASHBOARD["dyad"])), DASHBOARD["years"]
    sliders = {"scenario": DASHBOARD["scenario"], "draws": DASHBOARD["draws"],
               "seed": DASHBOARD["seed"],
               "size_multipliers": dict.fromkeys(DASHBOARD["actors"], 1),
               "propensity_shifts": dict.fromkeys(DASHBOARD["pairs"], 0)}  # fmt: skip
    first = [  # as the pages' scripts send them
        warm_client.get("/api/study"),
        warm_client.get("/api/dyad-figure", params={"measure": DASHBOARD["measure"],
                                                     "dyad": dyad, "years": years}),
        warm_client.post("/api/scenario", json=sliders),
    ]  # fmt: skip
    assert [r.status_code for r in first] == [200] * 3
    assert pool.counts["done"] == computed  # every answer was ready: none reached a worker
    page = warm_client.get("/scenario").text
    assert json.dumps(DASHBOARD["actors"]) in page and json.dumps(DASHBOARD["pairs"]) in page


def test_scenario_endpoint_and_its_errors(client: TestClient) -> None:
    base = client.post("/api/scenario", json={"draws": 20, "seed": 3})
    assert base.status_code == 200
    body = base.json()
    assert body["actors"] == ["USA", "RUS", "CHN", "PRK", "ROK", "JPN"]
    assert abs(sum(c["p_basin"] for c in body["configurations"]) - 1) < 0.05
    again = client.post("/api/scenario", json={"draws": 20, "seed": 3})
    assert again.json() == body  # seeded: the same answer twice
    bad = client.post("/api/scenario", json={"size_multipliers": {"XYZ": 0.5}})
    assert bad.status_code == 422 and "Unknown actor 'XYZ'" in bad.json()["detail"]
    zero = client.post("/api/scenario", json={"size_multipliers": {"USA": 0}})
    assert zero.status_code == 422
    pair = client.post("/api/scenario", json={"propensity_shifts": {"USA": 0.5}})
    assert pair.status_code == 422 and "Unknown pair" in pair.json()["detail"]


def test_extreme_inputs_are_refused_not_miscomputed(client: TestClient) -> None:
    body = {"actors": ["A", "B"], "sizes": [1, 1], "propensities": [[0, 1e308], [1e308, 0]]}
    huge = client.post("/api/landscape", json=body)
    assert huge.status_code == 422 and "overflows" in huge.json()["detail"]
    shift = client.post("/api/scenario", json={"propensity_shifts": {"USA-ROK": 1e308}})
    assert shift.status_code == 422
    page = client.get("/api/dyads", params={"states": "732,740", "page": 10**21})
    assert page.status_code == 422
