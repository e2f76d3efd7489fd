"""Downloads against a local HTTP server on 127.0.0.1: checksum, retry, timeouts, atomic write."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypedDict

import pytest
import typer
from typer.testing import CliRunner

from allegiance.cli import fetch_cmd
from allegiance.data import fetch as fetch_mod
from allegiance.data.fetch import cache_dir, fetch, fetch_file
from allegiance.errors import FetchError, ParameterError, UnknownDatasetError

GOOD = b"allegiance test payload, more than one 64 KiB chunk long\n" * 2000
SHA = hashlib.sha256(GOOD).hexdigest()
CORRUPT = GOOD[:-2] + b"!\n"


class Opts(TypedDict):
    retries: int
    backoff: float
    timeout: float


FAST: Opts = {"retries": 2, "backoff": 0.01, "timeout": 0.3}
STALL_SECONDS = 2.0


@dataclass
class Server:
    """The test server's base URL and how many requests each path received."""

    base: str
    hits: Counter[str]

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(hits: Counter[str], release: threading.Event) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits[self.path] += 1
            if self.path == "/good" or (self.path == "/flaky" and hits[self.path] > 1):
                self._send(200, GOOD)
            elif self.path == "/corrupt":
                self._send(200, CORRUPT)
            elif self.path in ("/flaky", "/server-error"):
                self._send(500, b"boom")
            elif self.path == "/stall":  # headers now, body never (until teardown or 2 s)
                self._head(200, len(GOOD))
                self.wfile.flush()
                release.wait(STALL_SECONDS)
            elif self.path == "/stall-headers":  # not even a status line
                release.wait(STALL_SECONDS)
            else:
                self._send(404, b"not here")

        def _head(self, status: int, length: int) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(length))
            self.end_headers()

        def _send(self, status: int, body: bytes) -> None:
            self._head(status, len(body))
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # keep pytest output quiet
            pass

    return Handler


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A threaded HTTP server on 127.0.0.1, shut down (stalled handlers released) after the test."""
    monkeypatch.setenv("no_proxy", "*")  # never route 127.0.0.1 through a proxy
    monkeypatch.delenv("NO_PROXY", raising=False)
    hits: Counter[str] = Counter()
    release = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hits, release))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", hits)
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- fetch_file ------------------------------------------------------------------------------


def test_good_file_lands_and_second_call_is_a_cache_hit(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "cache" / "ds" / "good.bin"
    assert fetch_file(server.url("/good"), SHA, dest, **FAST) == dest
    assert dest.read_bytes() == GOOD
    assert fetch_file(server.url("/good"), SHA, dest, **FAST) == dest
    assert server.hits["/good"] == 1
    assert _files(tmp_path) == [dest]


def test_stale_file_is_replaced(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "good.bin"
    dest.write_bytes(b"an older release")
    fetch_file(server.url("/good"), SHA, dest, **FAST)
    assert dest.read_bytes() == GOOD
    assert server.hits["/good"] == 1


def test_checksum_mismatch_saves_nothing(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "ds" / "corrupt.bin"
    bad = hashlib.sha256(CORRUPT).hexdigest()
    msg = rf"Checksum mismatch for {server.url('/corrupt')}: expected {SHA}, got {bad}\. .*nothing"
    with pytest.raises(FetchError, match=msg):
        fetch_file(server.url("/corrupt"), SHA, dest, **FAST)
    assert _files(tmp_path) == []  # neither dest nor a .part file
    assert server.hits["/corrupt"] == 1  # a mismatch is not retried


def test_checksum_mismatch_keeps_the_old_file(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "corrupt.bin"
    dest.write_bytes(b"previous")
    with pytest.raises(FetchError, match="Checksum mismatch"):
        fetch_file(server.url("/corrupt"), SHA, dest, **FAST)
    assert _files(tmp_path) == [dest]
    assert dest.read_bytes() == b"previous"


def test_404_fails_at_once(server: Server, tmp_path: Path) -> None:
    url = server.url("/missing")
    with pytest.raises(FetchError, match=rf"{url} failed with HTTP 404 Not Found; not retrying"):
        fetch_file(url, SHA, tmp_path / "missing.bin", **FAST)
    assert server.hits["/missing"] == 1
    assert _files(tmp_path) == []


@pytest.mark.parametrize("path", ["/stall", "/stall-headers"])
def test_stall_times_out_after_retries(server: Server, tmp_path: Path, path: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"failed after 2 attempts: .*timed out"):
        fetch_file(server.url(path), SHA, tmp_path / "stall.bin", **FAST)
    assert time.monotonic() - start < STALL_SECONDS
    assert server.hits[path] == 2
    assert _files(tmp_path) == []


def test_flaky_server_succeeds_on_retry(server: Server, tmp_path: Path) -> None:
    dest = fetch_file(server.url("/flaky"), SHA, tmp_path / "flaky.bin", **FAST)
    assert dest.read_bytes() == GOOD
    assert server.hits["/flaky"] == 2


def test_server_error_gives_up_after_retries(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"failed after 3 attempts: HTTP 500"):
        fetch_file(server.url("/server-error"), SHA, tmp_path / "x.bin", retries=3, backoff=0.01)
    assert server.hits["/server-error"] == 3
    assert _files(tmp_path) == []


def test_connection_refused_is_retried_then_reported(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a free port on 127.0.0.1 that nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r"failed after 2 attempts: .*refused"):
        fetch_file(f"http://127.0.0.1:{port}/good", SHA, tmp_path / "x.bin", **FAST)
    assert _files(tmp_path) == []


def test_cache_under_a_regular_file_is_reported(server: Server, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    dest = blocker / "ds" / "good.bin"
    with pytest.raises(
        FetchError, match=r"Cannot use the cache directory .*not-a-dir.*ALLEGIANCE_CACHE"
    ):
        fetch_file(server.url("/good"), SHA, dest, **FAST)
    assert server.hits["/good"] == 0


def test_progress_reports_bytes(server: Server, tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    dest = tmp_path / "good.bin"
    fetch_file(server.url("/good"), SHA, dest, **FAST, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, len(GOOD))
    assert calls[-1] == (len(GOOD), len(GOOD))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    calls.clear()
    fetch_file(server.url("/good"), SHA, dest, **FAST, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(len(GOOD), len(GOOD))]  # a cache hit completes the bar at once


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"sha256": "abc"}, r"'sha256' parameter of fetch_file\(\) must be a 64-digit hex"),
        ({"retries": 0}, r"'retries' parameter of fetch_file\(\) must be an integer >= 1"),
    ],
)
def test_bad_arguments(tmp_path: Path, kw: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"url": "http://127.0.0.1:9/x", "sha256": SHA, "dest": tmp_path / "x"}
    with pytest.raises(ParameterError, match=match):
        fetch_file(**{**args, **kw})  # type: ignore[arg-type]


def test_uppercase_digest_is_accepted(server: Server, tmp_path: Path) -> None:
    fetch_file(server.url("/good"), SHA.upper(), tmp_path / "good.bin", **FAST)
    assert server.hits["/good"] == 1


# --- cache_dir -------------------------------------------------------------------------------


def test_cache_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"


def test_cache_dir_default_is_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("ALLEGIANCE_CACHE", raising=False)
    assert cache_dir() == Path(platformdirs.user_cache_dir("allegiance"))


# --- fetch(key) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeRawFile:
    """Stands in for catalog.RawFile: the attributes fetch() reads."""

    path: str
    sha256: str
    url: str | None
    bytes: int = len(GOOD)


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch, server: Server) -> dict[str, list[FakeRawFile]]:
    """Replace the catalog lookup with a small dict of datasets served by the test server."""
    datasets = {
        "demo": [
            FakeRawFile("demo/a.bin", SHA, server.url("/good")),
            FakeRawFile("demo/sub/b.bin", SHA, server.url("/flaky")),
        ],
        "quick": [  # no retries needed: the CLI runs with the default backoff
            FakeRawFile("a.bin", SHA, server.url("/good")),
            FakeRawFile("sub/b.bin", SHA, server.url("/good")),
        ],
        "broken": [FakeRawFile("x.bin", SHA, server.url("/missing"))],
        "escape": [FakeRawFile("../outside.bin", SHA, server.url("/good"))],
        "manual": [  # checked before anything is downloaded
            FakeRawFile("a.bin", SHA, server.url("/good")),
            FakeRawFile("curated/m.csv", SHA, None),
        ],
    }

    def files(key: str) -> list[FakeRawFile]:
        if key not in datasets:
            raise UnknownDatasetError(f"No dataset named {key!r}.")
        return datasets[key]

    monkeypatch.setattr(fetch_mod, "_catalog_files", files)
    return datasets


def test_fetch_dataset_into_cache(catalog: object, tmp_path: Path) -> None:
    paths = fetch("demo", cache=tmp_path, **FAST)
    assert paths == [tmp_path / "demo" / "demo" / "a.bin", tmp_path / "demo" / "demo/sub/b.bin"]
    assert all(p.read_bytes() == GOOD for p in paths)
    assert _files(tmp_path) == sorted(paths)


def test_fetch_defaults_to_env_cache(
    catalog: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path))
    assert fetch("demo", **FAST)[0] == tmp_path / "demo" / "demo" / "a.bin"


def test_fetch_progress_for_each_file(catalog: object, tmp_path: Path) -> None:
    seen: dict[str, int] = {}

    def progress_for(rel: str) -> fetch_mod.Progress:
        return lambda done, total: seen.__setitem__(rel, done)

    fetch("demo", cache=tmp_path, progress_for=progress_for, **FAST)
    assert seen == {"demo/a.bin": len(GOOD), "demo/sub/b.bin": len(GOOD)}


@pytest.mark.parametrize(
    ("key", "error", "match"),
    [
        ("nope", UnknownDatasetError, "No dataset named 'nope'"),
        ("broken", FetchError, "HTTP 404"),
        ("escape", FetchError, "Refusing to save '../outside.bin' outside the cache folder"),
        ("manual", FetchError, "lists no download URL for curated/m.csv, so it cannot be fetched"),
    ],
)
def test_fetch_errors(
    catalog: object, server: Server, tmp_path: Path, key: str, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        fetch(key, cache=tmp_path / "cache", **FAST)
    assert _files(tmp_path) == []
    assert server.hits["/good"] == 0


def test_fetch_reads_the_real_catalog() -> None:
    pytest.importorskip("allegiance.data.catalog")
    with pytest.raises(UnknownDatasetError):
        fetch("no-such-dataset-key")


# --- CLI -------------------------------------------------------------------------------------


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(fetch_cmd.fetch)
    return app


def test_cli_prints_saved_paths(catalog: object, tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["quick", "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(tmp_path / "quick" / "a.bin"),
        str(tmp_path / "quick" / "sub" / "b.bin"),
    ]
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_cli_reports_errors(catalog: object, server: Server, tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["broken", "--cache", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Downloading {server.url('/missing')} failed with HTTP 404 Not Found; "
        "not retrying.\n"
    )
    assert result.stdout == ""
