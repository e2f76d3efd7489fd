"""Load benchmark of the dashboard API on 127.0.0.1 (bounded; stops by itself).

Run: python benchmarks/serve_load.py [--clients 4] [--requests 50]
Starts `allegiance serve` on a free local port, sends `requests` requests from each of
`clients` concurrent clients (mostly scenario runs as the sliders send them, plus panel and
measure reads), and prints p50/p95 latency per kind and the error count. Target: p95 under
200 ms for Northeast Asia-sized scenarios.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _request(client: httpx.Client, rng: random.Random) -> tuple[str, float, bool]:
    kind = rng.choices(["scenario", "dyads", "measure"], weights=[6, 2, 2])[0]
    start = time.perf_counter()
    if kind == "scenario":
        body = {"draws": 50, "seed": rng.randrange(1000),
                "size_multipliers": {"USA": round(rng.uniform(0.2, 1.5), 2)},
                "propensity_shifts": {"USA-ROK": round(rng.uniform(-1, 1), 2)}}  # fmt: skip
        r = client.post("/api/scenario", json=body)
    elif kind == "dyads":
        query = {"years": "1990-2010", "states": "2,710,731,732,740", "add": "atop,gml_mids",
                 "page_size": 100}  # fmt: skip
        r = client.get("/api/dyads", params=query)
    else:
        r = client.get("/api/measures/un_agreement", params={"dyad": "740-732"})
    return kind, time.perf_counter() - start, r.status_code >= 500 or r.status_code == 0


def _client(base: str, n: int, seed: int) -> list[tuple[str, float, bool]]:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        return [_request(client, rng) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=50, help="per client (bounded)")
    args = parser.parse_args()
    port = _free_port()
    base = f"http://{HOST}:{port}"
    command = [sys.executable, "-m", "allegiance.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command)
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        _client(base, 12, 0)  # warm-up: each worker's scenario plan, numba, caches
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = [r for part in pool.map(lambda i: _client(base, args.requests, i + 1),
                                              range(args.clients)) for r in part]  # fmt: skip
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=10)
    errors = sum(err for _, _, err in results)
    print(f"{len(results)} requests from {args.clients} clients in {wall:.1f} s, errors: {errors}")
    for kind in ("scenario", "dyads", "measure", "all"):
        times = sorted(t for k, t, _ in results if kind in ("all", k))
        if times:
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"  {kind:<9} n={len(times):>4}  p50={1000 * statistics.median(times):7.1f} ms"
                  f"  p95={1000 * p95:7.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
