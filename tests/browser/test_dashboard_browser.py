"""The dashboard in headless Chromium: move a slider and see the configuration change; open
the dyad explorer for Japan-ROK."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from allegiance.web.app import create_app


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The app on a free port of 127.0.0.1, in a background thread."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(warm=False)  # workers start before it listens; no dashboard warm-up
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(1200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _first_configuration(page: Any) -> str:
    return str(page.locator("#configurations tbody tr td.configuration").first.inner_text())


def test_slider_changes_the_configuration(browser: Any, server: str) -> None:
    page = browser.new_page()
    page.goto(f"{server}/scenario")
    page.wait_for_selector("#configurations tbody tr", timeout=30_000)
    page.wait_for_selector("#network .main-svg")
    before = _first_configuration(page)
    # weaken the US a lot and push ROK toward China: the most probable blocs must change
    for slider, value in (("#size-USA", "0.05"), ("#shift-ROK-CHN", "1"), ("#shift-ROK-JPN", "-1")):
        page.eval_on_selector(
            slider,
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
            value,
        )
    page.wait_for_function(
        "b => document.querySelector('#configurations tbody td.configuration')"
        " && document.querySelector('#configurations tbody td.configuration').textContent !== b",
        arg=before,
        timeout=30_000,
    )
    assert _first_configuration(page) != before
    page.close()


def _open_explorer(browser: Any, server: str) -> tuple[Any, list[str]]:
    """The dyad explorer with its first chart drawn, and the list its page errors go to."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/dyad")
    page.wait_for_selector("#chart .main-svg", timeout=30_000)
    return page, errors


def test_dyad_explorer_for_japan_rok(browser: Any, server: str) -> None:
    page, errors = _open_explorer(browser, server)
    page.wait_for_function("() => document.querySelector('#chart').data && "
                           "document.querySelector('#chart').data.length >= 3")  # fmt: skip
    title = page.locator("#chart .gtitle").text_content() or ""
    assert "740" in title and "732" in title
    assert errors == []
    page.close()


def test_dyad_explorer_draws_relations_by_source_for_japan_rok(browser: Any, server: str) -> None:
    page, errors = _open_explorer(browser, server)
    page.wait_for_function("() => document.querySelector('#measure option[value=relations]')")
    page.fill("#a", "Japan")
    page.fill("#b", "ROK")
    page.fill("#years", "1966-2024")
    page.select_option("#measure", "relations")
    page.click("#go")
    page.wait_for_function("() => (document.querySelector('#chart .gtitle') || {}).textContent"
                           " && document.querySelector('#chart .gtitle').textContent"
                           ".startsWith('relations')", timeout=60_000)  # fmt: skip
    traces = page.evaluate(
        "() => document.querySelector('#chart').data.map(t => ({name: t.name, x: t.x, y: t.y}))"
    )
    by_name = {t["name"]: t for t in traces}
    sources = [n for n in ("WEIS", "COPDAB", "ICEWS", "GDELT") if n in by_name]
    assert sources == ["WEIS", "ICEWS", "GDELT"]  # one trace per source present, no COPDAB
    drawn = {
        n: {x: y for x, y in zip(by_name[n]["x"], by_name[n]["y"], strict=True)} for n in sources
    }
    for year in (*range(1993, 2002), 2015, 2016, 2017):  # no source: a gap in every trace
        assert all(drawn[n][year] is None for n in sources)
    assert drawn["WEIS"][1973] is not None and drawn["WEIS"][2005] is None
    assert drawn["ICEWS"][2005] is not None and drawn["GDELT"][2020] is not None
    # the legend names each source, and a line is drawn for each
    legend = page.locator("#chart .legendtext").all_text_contents()
    assert {"WEIS", "ICEWS", "GDELT"} <= set(legend)
    assert errors == []
    page.close()
