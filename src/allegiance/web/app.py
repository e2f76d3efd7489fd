"""The FastAPI application: API routes, pages, offline static JavaScript, clear errors.

The heavy requests run in a :class:`~allegiance.web.pool.WorkerPool` the app starts in its
lifespan (warm: imports, compiled kernels, scenario plans) before it answers; with ``warm`` the
dashboard pages' first answers are computed then too, so the first requests after start are as
fast as later ones.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from allegiance.errors import AllegianceError
from allegiance.report.figures import PLOTLY_JS
from allegiance.web import jobs
from allegiance.web.answers import Answers, ClientDisconnected
from allegiance.web.api import DASHBOARD, dashboard_requests, router
from allegiance.web.body import BodyLimit
from allegiance.web.limits import (
    ABANDON_GRACE,
    CACHE_BYTES,
    RETRY_AFTER,
    WARMUP_TIME_LIMIT,
    ServerLimits,
)
from allegiance.web.pool import (
    JobAbandoned,
    PoolBusy,
    PoolError,
    TimeLimitExceeded,
    WorkerCrashed,
    WorkerPool,
)

__all__ = ["create_app", "create_pool"]

_PAGES = Environment(loader=PackageLoader("allegiance.web", "templates"),
                     autoescape=select_autoescape(["html", "j2"]))  # fmt: skip

#: Status of an answer nobody receives: the client closed the connection (nginx's 499).
CLIENT_CLOSED = 499


def _first_error(exc: RequestValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def create_pool(limits: ServerLimits | None = None, *, warm: bool = True) -> WorkerPool:
    """The worker pool for ``limits``; its workers warm up fully when ``warm`` (imports only
    otherwise). Not started: the app's lifespan (or its first heavy request) starts it."""
    limits = limits or ServerLimits()
    return WorkerPool(workers=limits.workers, queue_length=limits.queue_length,
                      time_limit=limits.time_limit,
                      warmup=jobs.warm_worker if warm else jobs.import_modules,
                      warmup_time_limit=WARMUP_TIME_LIMIT, retry_after=RETRY_AFTER,
                      abandon_grace=ABANDON_GRACE)  # fmt: skip


def create_app(
    limits: ServerLimits | None = None,
    *,
    study: Path | None = None,
    warm: bool = True,
    pool: WorkerPool | None = None,
) -> FastAPI:
    """The web app. Run it with ``allegiance serve`` (uvicorn on 127.0.0.1).

    Parameters
    ----------
    limits : ServerLimits, optional
        Workers, queue length, time limit and body size (the documented defaults).
    study : path, optional
        The study file the overview page shows (the bundled Northeast Asia study).
    warm : bool
        Warm the workers fully and compute the dashboard's first answers before serving.
    pool : WorkerPool, optional
        A pool to use instead of one made from ``limits``; the app starts it but leaves
        closing it to its owner.
    """
    limits = limits or ServerLimits()
    own_pool = pool is None
    workers = create_pool(limits, warm=warm) if pool is None else pool
    answers = Answers(workers, max_bytes=CACHE_BYTES)
    study_path = None if study is None else str(Path(study).resolve())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(workers.start)
        if warm:
            await _warm_dashboard(answers, study_path)
        yield
        if own_pool:
            await anyio.to_thread.run_sync(workers.close)

    app = FastAPI(
        title="allegiance",
        version="0.1.0",
        description="Panels, measures, models and studies of international alignment.",
        docs_url=None,  # Swagger UI and ReDoc load from CDNs; the app works offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.answers = answers
    app.state.pool = workers
    app.state.study = study_path
    app.include_router(router)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    _handle_errors(app)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="application/javascript")

    for path, template, title in (("/", "study.html.j2", "Study overview"),
                                  ("/dyad", "dyad.html.j2", "Dyad explorer"),
                                  ("/scenario", "scenario.html.j2", "Scenarios")):  # fmt: skip
        app.add_api_route(path, _page(template, title), methods=["GET"],
                          response_class=HTMLResponse, include_in_schema=False)  # fmt: skip
    return app


async def _warm_dashboard(answers: Answers, study: str | None) -> None:
    """Compute the dashboard pages' first answers (in parallel, on the workers)."""
    requests = dashboard_requests(study)
    results = await asyncio.gather(
        *(answers.get(fn, *args, time_limit=WARMUP_TIME_LIMIT) for fn, args in requests),
        return_exceptions=True,
    )
    for (fn, _), result in zip(requests, results, strict=True):
        if isinstance(result, BaseException):
            print(f"allegiance: the dashboard's {fn.__name__} could not be prepared: {result}",
                  file=sys.stderr)  # fmt: skip


def _detail(status: int, exc: Exception, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": str(exc)}, headers=headers)


def _handle_errors(app: FastAPI) -> None:
    """Bad input is 422 with ``detail``; the pool's refusals are 503, 504, 499 or 500."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _first_error(exc)})

    @app.exception_handler(AllegianceError)
    async def _domain(request: Request, exc: AllegianceError) -> JSONResponse:
        return _detail(422, exc)

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        return _detail(422, exc)

    @app.exception_handler(PoolError)
    async def _pool(request: Request, exc: PoolError) -> JSONResponse:
        if isinstance(exc, PoolBusy):
            return _detail(503, exc, {"Retry-After": str(exc.retry_after)})
        if isinstance(exc, TimeLimitExceeded):
            return _detail(504, exc)
        if isinstance(exc, ClientDisconnected | JobAbandoned):
            return _detail(CLIENT_CLOSED, exc)
        if isinstance(exc, WorkerCrashed):
            return _detail(500, exc)
        return _detail(503, exc, {"Retry-After": str(RETRY_AFTER)})  # closing down


def _page(template: str, title: str) -> Any:
    def render() -> HTMLResponse:
        page = _PAGES.get_template(template).render(title=title, dashboard=DASHBOARD)
        return HTMLResponse(page)

    return render
