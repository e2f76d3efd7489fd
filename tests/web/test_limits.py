"""The server's limits over real HTTP: 413, 503 with Retry-After, 504, abandoned requests, the
exact-landscape bound, and a heavy request that does not take the server down.

One uvicorn server on 127.0.0.1 runs the app with two workers, a queue of one and a 5 s time
limit. The heavy request is an exact landscape inside the API's limits whose every
configuration is stable (13 actors, 3 blocs, all propensities zero: 3^12 configurations, half
a minute of work), so it is stopped at the time limit. No test asserts a wall-clock time.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from allegiance.web import jobs
from allegiance.web.app import create_app
from allegiance.web.limits import MAX_BODY_BYTES, RETRY_AFTER
from allegiance.web.pool import WorkerPool

SMALL = {"actors": ["A", "B", "C"], "sizes": [1, 1, 1],
         "propensities": [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]}  # fmt: skip
HEAVY = {"actors": [f"S{i}" for i in range(13)], "sizes": [1] * 13,
         "propensities": [[0] * 13] * 13, "n_blocs": 3}  # fmt: skip


def _eventually(condition: Callable[[], bool], what: str, bound: float = 30.0) -> None:
    end = time.monotonic() + bound
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"the server did not {what} within {bound:g} s")
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    pool = WorkerPool(workers=2, queue_length=1, time_limit=5.0, warmup=jobs.import_modules,
                      abandon_grace=0.1)  # fmt: skip
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def server(pool: WorkerPool) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, in a background thread, its workers started."""
    port = _free_port()
    config = uvicorn.Config(create_app(pool=pool, warm=False), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    _eventually(lambda: srv.started, "start")
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(server: str, pool: WorkerPool) -> Iterator[httpx.Client]:
    """A client of the server; after the test the pool is idle with every worker up."""
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client
    _eventually(lambda: pool.load() == 0, "become idle")
    _eventually(lambda: all(w.process.is_alive() for w in pool._slots), "restart workers")


def test_a_body_over_the_limit_is_413(client: httpx.Client) -> None:
    big = {**SMALL, "actors": ["A" * (MAX_BODY_BYTES // 2)] * 2}
    r = client.post("/api/landscape", json=big)
    assert r.status_code == 413
    assert f"larger than {MAX_BODY_BYTES:,} bytes" in r.json()["detail"]


def test_a_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    chunks = (b"x" * 4096 for _ in range(MAX_BODY_BYTES // 4096 + 2))  # no Content-Length
    r = client.post("/api/scenario", content=chunks, headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_body_within_the_limit_is_read_whole(client: httpx.Client) -> None:
    chunks = (part.encode() for part in ('{"draws": 3,', ' "seed": 1}'))
    r = client.post("/api/scenario", content=chunks, headers={"content-type": "application/json"})
    assert r.status_code == 200 and r.json()["scenario"] == "baseline"


def test_an_exact_landscape_above_the_bound_is_422_at_once(client: httpx.Client) -> None:
    body = {"actors": [f"S{i}" for i in range(16)], "sizes": [1] * 16,
            "propensities": [[0] * 16] * 16, "n_blocs": 3}  # fmt: skip
    r = client.post("/api/landscape", json=body)
    assert r.status_code == 422
    assert "3^15 = 14,348,907 configurations" in r.json()["detail"]
    assert "at most 1,048,576" in r.json()["detail"]


def test_a_full_queue_gives_503_with_retry_after(client: httpx.Client, pool: WorkerPool) -> None:
    assert client.post("/api/landscape", json=SMALL).status_code == 200  # now cached
    blocking = [pool.submit(time.sleep, 60, time_limit=60) for _ in range(3)]  # 2 run, 1 waits
    try:
        r = client.post("/api/landscape", json={**SMALL, "n_blocs": 3})
        assert r.status_code == 503
        assert r.headers["retry-after"] == str(RETRY_AFTER)
        assert "queue of 1 waiting request" in r.json()["detail"]
        assert client.post("/api/landscape", json=SMALL).status_code == 200  # from the cache
        assert client.get("/api/measures").status_code == 200  # cheap: in the server
    finally:
        for job in blocking:
            job.abandon()


def test_a_heavy_request_is_stopped_at_the_time_limit_and_nothing_else_is_lost(
    client: httpx.Client, pool: WorkerPool
) -> None:
    before = set(pool.pids())
    with ThreadPoolExecutor(2) as threads:
        heavy = threads.submit(client.post, "/api/landscape", json=HEAVY)
        _eventually(lambda: pool.load() == 1, "start the heavy request")
        small = threads.submit(client.post, "/api/landscape", json={**SMALL, "n_blocs": 4})
        assert small.result().status_code == 200  # in flight beside it, answered
        r = heavy.result()
    assert r.status_code == 504
    assert "still running after 5 s, the server's time limit" in r.json()["detail"]
    _eventually(lambda: len(set(pool.pids()) - before) == 1, "replace the stopped worker")
    assert len(set(pool.pids()) & before) == 1  # the other worker went on
    again = client.post("/api/scenario", json={"draws": 2, "seed": 5})
    assert again.status_code == 200


def test_an_abandoned_request_is_cancelled(server: str, pool: WorkerPool) -> None:
    abandoned, before = pool.counts["abandoned"], set(pool.pids())
    with pytest.raises(httpx.ReadTimeout), httpx.Client(base_url=server, timeout=0.5) as gone:
        gone.post("/api/landscape", json=HEAVY)  # the client gives up and disconnects
    _eventually(lambda: pool.counts["abandoned"] == abandoned + 1, "cancel the request")
    _eventually(lambda: len(set(pool.pids()) - before) == 1, "replace the stopped worker")
    assert pool.counts["timed_out"] == 1  # only the earlier test's request ran out of time


def test_serve_reports_ready_on_localhost_once_its_workers_are_up() -> None:
    port = _free_port()
    command = [sys.executable, "-m", "allegiance.cli", "serve", "--port", str(port),
               "--workers", "1", "--no-warm"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as serve:
        try:
            lines = _read_until(serve, "ready at", bound=60.0)
            assert re.search(rf"ready at http://127\.0\.0\.1:{port}/", lines[-1])
            assert "warming up" not in lines[0] and "(1 worker process(es))" in lines[0]
            r = httpx.post(f"http://127.0.0.1:{port}/api/landscape", json=SMALL, timeout=30)
            assert r.status_code == 200
        finally:
            serve.terminate()
            serve.wait(timeout=30)


def _read_until(process: subprocess.Popen[str], text: str, bound: float) -> list[str]:
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.strip())
            if text in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(bound):
        pytest.fail(f"`allegiance serve` printed {lines!r}, not {text!r}, within {bound:g} s")
    return lines
