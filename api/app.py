"""The FastAPI application factory. Settings are read here, the engine is built in the lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypedDict

import fastapi_offline
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.deps import reject_nul_characters
from api.errors import install_error_handlers
from api.middleware import ETagMiddleware, RequestIdMiddleware
from api.routers import articles, curation, entities, events, health, timeline
from api.settings import Settings
from db.engine import Engine, SessionFactory, make_engine, make_sessionmaker
from db.search_index import SearchIndex, follow_in_background, open_search_index
from db.settings import resolve_database_url

DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"

DESCRIPTION = """
A REST API over a curated corpus of news articles and the events derived from them: who did what,
to whom, where, when and with what toll, each tied to the sentence that says so.

Errors are RFC 9457 `application/problem+json`. Lists are keyset-paginated: follow `next_cursor`.
"""


class State(TypedDict):
    engine: Engine
    sessions: SessionFactory
    settings: Settings
    search_index: SearchIndex


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[State]:
        engine = make_engine(resolve_database_url(settings), pool_size=settings.annals_db_pool_size)
        sessions = make_sessionmaker(engine)
        search_index = open_search_index(settings.annals_data_dir)
        stop_following = follow_in_background(sessions, search_index)
        try:
            yield {"engine": engine, "sessions": sessions, "settings": settings, "search_index": search_index}
        finally:
            stop_following()
            engine.dispose()

    app = FastAPI(
        title="Annals",
        version="0.1.0",
        summary="News articles and the events they report, as JSON.",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_nul_characters)],
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(ETagMiddleware)
    if settings.annals_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.annals_cors_origins,
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"],
            expose_headers=["ETag", "X-Request-ID"],
        )
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    app.include_router(articles.router)
    app.include_router(entities.router)
    app.include_router(events.router)
    app.include_router(curation.router)
    app.include_router(timeline.router)
    mount_offline_docs(app)
    return app


def mount_offline_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from assets shipped in a package: the docs render with no internet."""
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Annals API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Annals API",
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )


def configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
