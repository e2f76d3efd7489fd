"""The FastAPI application: API routes, pages, offline static JavaScript, clear 422 errors."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from allegiance.errors import AllegianceError
from allegiance.report.figures import PLOTLY_JS
from allegiance.web.api import router

__all__ = ["create_app"]

_PAGES = Environment(loader=PackageLoader("allegiance.web", "templates"),
                     autoescape=select_autoescape(["html", "j2"]))  # fmt: skip


def _first_error(exc: RequestValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def create_app() -> FastAPI:
    """The web app. Run it with ``allegiance serve`` (uvicorn on 127.0.0.1)."""
    app = FastAPI(
        title="allegiance",
        version="0.1.0",
        description="Panels, measures, models and studies of international alignment.",
        docs_url=None,  # Swagger UI and ReDoc load from CDNs; the app works offline
        redoc_url=None,
    )
    app.include_router(router)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _first_error(exc)})

    @app.exception_handler(AllegianceError)
    async def _domain(request: Request, exc: AllegianceError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="application/javascript")

    for path, template, title in (("/", "study.html.j2", "Study overview"),
                                  ("/dyad", "dyad.html.j2", "Dyad explorer"),
                                  ("/scenario", "scenario.html.j2", "Scenarios")):  # fmt: skip
        app.add_api_route(path, _page(template, title), methods=["GET"],
                          response_class=HTMLResponse, include_in_schema=False)  # fmt: skip
    return app


def _page(template: str, title: str) -> Any:
    def render() -> HTMLResponse:
        return HTMLResponse(_PAGES.get_template(template).render(title=title))

    return render
