"""``allegiance serve``: the local web app (FastAPI + uvicorn) and its worker processes."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import typer

from allegiance.cli.common import reporting_errors
from allegiance.web.limits import QUEUE_LENGTH, TIME_LIMIT, WORKERS

__all__ = ["serve"]


def serve(
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (local by default)."),
    workers: int = typer.Option(
        WORKERS, "--workers", min=1, max=16, help="Worker processes for the heavy requests."
    ),
    queue_length: int = typer.Option(
        QUEUE_LENGTH,
        "--queue-length",
        min=0,
        help="Heavy requests that may wait for a worker; one more gets 503 with Retry-After.",
    ),
    time_limit: float = typer.Option(
        TIME_LIMIT,
        "--time-limit",
        min=0.1,
        help="Seconds a heavy request may run (and may wait for a worker); past it 504, and "
        "a worker running it is replaced.",
    ),
    study: Path | None = typer.Option(
        None,
        "--study",
        exists=True,
        dir_okay=False,
        help="Study file the overview page shows (default: the bundled Northeast Asia study).",
    ),
    warm: bool = typer.Option(
        True,
        "--warm/--no-warm",
        help="Compute the dashboard pages' first answers before reporting ready.",
    ),
) -> None:
    """Start the dashboard: study overview, dyad explorer and scenario levers, plus a JSON API.

    One server process answers on HOST:PORT; landscapes, scenarios, panels, measures and the
    study are computed by --workers warm worker processes, at most --time-limit seconds each.
    The URL is printed once the workers are warm and the dashboard's first answers are ready.

    Example: allegiance serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import uvicorn

    from allegiance.web.app import create_app
    from allegiance.web.limits import ServerLimits

    with reporting_errors():
        if study is not None:
            from allegiance.study.spec import load_study

            load_study(study)  # a bad study file fails here, in one line, not at the first page
        limits = ServerLimits(workers=workers, queue_length=queue_length, time_limit=time_limit)
    if not _is_loopback(host):
        typer.echo(f"Warning: --host {host} lets other machines reach the dashboard; it has no "
                   "authentication.", err=True)  # fmt: skip
    what = "warming up and preparing the dashboard" if warm else "starting"
    typer.echo(f"allegiance: {what} ({workers} worker process(es))...")
    app = create_app(limits, study=study, warm=warm)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    _run_until_stopped(config, f"http://{_url_host(host)}:{port}/")


def _run_until_stopped(config: Any, url: str) -> None:
    """Run uvicorn and print ``url`` once it listens: after the app's lifespan start-up (warm
    workers, the dashboard's answers), since uvicorn binds its socket only then."""
    import uvicorn

    class ReadyServer(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started:
                typer.echo(f"allegiance: ready at {url} (Ctrl-C stops it)")

    ReadyServer(config).run()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
