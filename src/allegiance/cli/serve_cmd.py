"""``allegiance serve``: the local web app (FastAPI + uvicorn)."""

from __future__ import annotations

import typer

__all__ = ["serve"]


def serve(
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (local by default)."),
    workers: int = typer.Option(2, "--workers", min=1, max=16, help="Server processes."),
) -> None:
    """Start the dashboard: study overview, dyad explorer and scenario levers, plus a JSON API.

    Example: allegiance serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import uvicorn

    # Several processes, because scenario runs are CPU-bound and a process has one GIL.
    uvicorn.run("allegiance.web.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning")  # fmt: skip
