"""Load benchmark of the dashboard and its API on 127.0.0.1: a cold and a warm start.

Run: python benchmarks/serve_load.py [--clients 50] [--requests 20] [--duration 180]
                                     [--serve-args "--workers 2"]

For each start it launches ``allegiance serve`` on a free local port and times it until it
prints its URL (``ready``). It then sends the dashboard pages' first requests one at a time
(as the pages' scripts send them) and times each; then ``clients`` concurrent clients send at
most ``requests`` requests each, back to back, and stop at ``duration`` seconds whatever is
left (bounded in count and time). The cold start has an empty study cache (``ALLEGIANCE_CACHE``
in a new temporary folder, so the start-up computes the study); the warm start is a second
server on the same folder. The mix is what dashboard and API users send: scenario runs as the
sliders send them (every one different), measures and dyad histories for a few dyads (many
equal requests at once), panel pages, 10-actor landscapes, the study and the cheap endpoints.

Printed per start: time to ready, the dashboard's first requests, p50 / p95 / max latency per
endpoint, errors (any status other than 200, or no answer, with the statuses seen) and the peak
resident memory of the server's process tree (server and workers, sampled every 0.1 s with
psutil). Figures, not a test: they depend on the machine, and the server and the clients share
its cores. With clients that do not pause, latency is about clients / throughput.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from allegiance.web.api import DASHBOARD

HOST = "127.0.0.1"
MEASURES = ("un_agreement", "sscore", "kappa", "capability_ratio", "common_rivals")
DYADS = ("740-732", "2-732", "2-740", "710-732", "2-710")
ACTORS = ("USA", "RUS", "CHN", "PRK", "ROK", "JPN")
PAIRS = ("USA-ROK", "USA-JPN", "ROK-JPN", "ROK-CHN", "JPN-CHN", "USA-CHN")
#: endpoint -> relative weight in the mix
MIX = {"scenario": 10, "measure": 4, "dyad-history": 2, "dyads": 2, "landscape": 2,
       "study": 1, "cheap": 2}  # fmt: skip


@dataclass
class Sample:
    endpoint: str
    seconds: float
    status: int  # 0: no answer (timeout, connection error)


@dataclass
class Start:
    name: str
    ready_s: float = float("nan")
    first: dict[str, float] = field(default_factory=dict)
    wall_s: float = float("nan")
    peak_mb: float = 0.0
    samples: list[Sample] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _landscape(rng: random.Random) -> dict[str, Any]:
    n = 10
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            p[i][j] = p[j][i] = round(rng.uniform(-1, 1), 3)
    return {"actors": [f"S{i}" for i in range(n)], "sizes": [round(rng.uniform(0.5, 2), 3)
            for _ in range(n)], "propensities": p, "n_blocs": 2}  # fmt: skip


def _send(client: httpx.Client, endpoint: str, rng: random.Random) -> httpx.Response:
    if endpoint == "scenario":
        return client.post("/api/scenario", json={
            "scenario": rng.choice(["baseline", "baseline", "us_drawdown", "china_rise"]),
            "draws": 50, "seed": 0,
            "size_multipliers": {a: round(rng.uniform(0.2, 2), 2) for a in ACTORS},
            "propensity_shifts": {p: round(rng.uniform(-1, 1), 2) for p in PAIRS}})  # fmt: skip
    if endpoint == "measure":
        return client.get(f"/api/measures/{rng.choice(MEASURES)}",
                          params={"dyad": rng.choice(DYADS), "years": "1965-2018"})  # fmt: skip
    if endpoint == "dyad-history":
        return client.get("/api/dyad-history", params={"dyad": rng.choice(DYADS),
                                                       "years": "1965-2018"})  # fmt: skip
    if endpoint == "dyads":
        return client.get("/api/dyads", params={
            "years": rng.choice(["1990-2010", "1946-2016"]), "states": "2,710,731,732,740",
            "add": "atop,gml_mids", "page_size": 100})  # fmt: skip
    if endpoint == "landscape":
        return client.post("/api/landscape", json=_landscape(rng))
    if endpoint == "study":
        return client.get("/api/study")
    return client.get(rng.choice(["/api/variables", "/api/measures", "/", "/dyad", "/scenario"]))


def _dashboard_first(base: str) -> dict[str, float]:
    """Seconds of each of the dashboard pages' first requests (as their scripts send them),
    one at a time, before the load."""
    dyad, years = "-".join(map(str, DASHBOARD["dyad"])), DASHBOARD["years"]
    sliders = {"scenario": DASHBOARD["scenario"], "draws": DASHBOARD["draws"],
               "seed": DASHBOARD["seed"], "size_multipliers": dict.fromkeys(ACTORS, 1),
               "propensity_shifts": dict.fromkeys(PAIRS, 0)}  # fmt: skip
    requests = {
        "study": ("GET", "/api/study", {}),
        "measure": ("GET", f"/api/measures/{DASHBOARD['measure']}",
                    {"params": {"dyad": dyad, "years": years}}),
        "dyad-history": ("GET", "/api/dyad-history", {"params": {"dyad": dyad, "years": years}}),
        "scenario": ("POST", "/api/scenario", {"json": sliders}),
    }  # fmt: skip
    out = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, (method, url, extra) in requests.items():
            start = time.perf_counter()
            client.request(method, url, **extra).raise_for_status()
            out[name] = time.perf_counter() - start
    return out


def _client(base: str, n: int, end: float, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    samples = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(n):
            if time.monotonic() >= end:
                break
            endpoint = rng.choices(kinds, weights)[0]
            start = time.perf_counter()
            try:
                status = _send(client, endpoint, rng).status_code
            except httpx.HTTPError:
                status = 0
            samples.append(Sample(endpoint, time.perf_counter() - start, status))
    return samples


def _tree_rss_mb(process: psutil.Process) -> float:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a process that has just ended
            total += proc.memory_info().rss
    return total / 2**20


class _Sampler(threading.Thread):
    """Peak RSS of a process tree, sampled every 0.1 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process, self.peak, self.done = psutil.Process(pid), 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            try:
                self.peak = max(self.peak, _tree_rss_mb(self.process))
            except psutil.Error:
                return


def _start(name: str, cache: str, args: argparse.Namespace) -> Start:
    result = Start(name)
    port = _free_port()
    base = f"http://{HOST}:{port}"
    command = [sys.executable, "-m", "allegiance.cli", "serve", "--port", str(port),
               *shlex.split(args.serve_args)]  # fmt: skip
    env = {**os.environ, "ALLEGIANCE_CACHE": cache, "PYTHONUNBUFFERED": "1"}
    began = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    sampler = _Sampler(server.pid)
    sampler.start()
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if "ready at" in line:
                break
        else:
            raise SystemExit(f"`allegiance serve` stopped before it was ready: {server.wait()}")
        result.ready_s = time.perf_counter() - began
        threading.Thread(target=server.stdout.read, daemon=True).start()  # keep the pipe open
        result.first = _dashboard_first(base)
        end = time.monotonic() + args.duration
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            parts = pool.map(lambda i: _client(base, args.requests, end, 1000 * i + len(name)),
                             range(args.clients))  # fmt: skip
            result.samples = [s for part in parts for s in part]
        result.wall_s = time.perf_counter() - start
    finally:
        sampler.done.set()
        sampler.join()
        result.peak_mb = sampler.peak
        server.terminate()
        server.wait(timeout=30)
    return result


def _print(result: Start, clients: int) -> None:
    first = ", ".join(f"{k} {1000 * v:.0f} ms" for k, v in result.first.items())
    print(f"\n{result.name} start: ready in {result.ready_s:.1f} s; the dashboard's first "
          f"requests, one at a time: {first}")  # fmt: skip
    print(
        f"  then {len(result.samples)} requests from {clients} clients in "
        f"{result.wall_s:.1f} s; server peak RSS {result.peak_mb:.0f} MB (server + workers)"
    )
    print(f"  {'endpoint':<13}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}  errors")
    for endpoint in [*MIX, "all"]:
        mine = [s for s in result.samples if endpoint in ("all", s.endpoint)]
        if not mine:
            continue
        times = sorted(s.seconds for s in mine)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        bad = Counter(s.status for s in mine if s.status != 200)
        errors = f"{sum(bad.values())}" + (f" {dict(bad)}" if bad else "")
        print(f"  {endpoint:<13}{len(mine):>5}{1000 * statistics.median(times):>10.0f}"
              f"{1000 * p95:>10.0f}{1000 * times[-1]:>10.0f}  {errors}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=20, help="at most, per client")
    parser.add_argument("--duration", type=float, default=180.0, help="at most, seconds")
    parser.add_argument("--serve-args", default="", help="extra options of `allegiance serve`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="allegiance-serve-load-") as cache:
        for name in ("cold", "warm"):
            _print(_start(name, cache, args), args.clients)


if __name__ == "__main__":
    main()
