"""The FastAPI application factory. Settings are read here, the engine is built in the lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TypedDict

import fastapi_offline
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.contract import install_contract
from api.deps import reject_nul_characters
from api.errors import install_error_handlers
from api.faults import install_fault_handlers
from api.limits import BodyLimitMiddleware
from api.links import remember_base_url
from api.middleware import ConnectionRecyclingMiddleware, ETagMiddleware, RequestIdMiddleware
from api.query_guard import check_query_parameters
from api.ratelimit import RateLimiter, RateLimitMiddleware
from api.routers import (
    articles,
    changes,
    control,
    curation,
    entities,
    entity_curation,
    events,
    health,
    reconcile,
    review,
    timeline,
)
from api.security import HeadMiddleware, SecurityHeadersMiddleware
from api.settings import Settings
from db.engine import Engine, SessionFactory, make_engine, make_read_sessionmaker, make_sessionmaker
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
    read_sessions: SessionFactory  # for GET and HEAD: autocommit (db.engine.make_read_sessionmaker)
    settings: Settings
    rate_limiter: RateLimiter | None
    search_index: SearchIndex


def make_rate_limiter(database_url: str, settings: Settings) -> RateLimiter | None:
    """Counters on a small engine of their own, with short timeouts, so that they never queue. In
    autocommit: each count is one statement that commits by itself (an upsert is atomic), so a request
    pays no BEGIN and COMMIT round trips for it; the table is unlogged, so its commits wait for no
    WAL flush."""
    limits = (
        settings.annals_rate_limit_reads,
        settings.annals_rate_limit_writes,
        settings.annals_rate_limit_auth_failures,
    )
    if not any(limits):
        return None
    engine = make_engine(
        database_url,
        pool_size=2,
        pool_timeout_s=0.5,
        connect_timeout_s=settings.annals_connect_timeout_s,
        statement_timeout_ms=500,
        lock_timeout_ms=500,
        application_name="annals-rate-limits",
    ).execution_options(isolation_level="AUTOCOMMIT")
    return RateLimiter(engine, *limits)


# The cyclic garbage collector as CPython sets it up scans everything alive in its oldest generation:
# at a million articles a worker holds about half a gigabyte, and in a benchmark run (25 s at
# concurrency 8 and a few seconds more) each worker made 6-10 such passes of 130 ms on average (the
# longest 176-209 ms), and 1,300-2,100 of the youngest generation, collected every 700 allocations.
# Startup's objects (modules, schemas, compiled statements, the index's readers) live as long as the
# process and are frozen out of every scan, and the youngest generation is collected after 5,000
# allocations: in the same run the collector took 0.15-0.16 s per worker instead of 1.1-1.8 s, its
# longest pause 16-20 ms (BENCHMARKS.md). Reference cycles made after startup are still collected.
YOUNG_GENERATION_THRESHOLD = 5_000


@contextmanager
def server_garbage_collection() -> Iterator[None]:
    """For as long as the app serves: what is alive now is frozen (gc.freeze) and young objects are
    collected less often; both undone at shutdown (an app made again in the same process, as tests do,
    starts from CPython's settings)."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[State]:
        database_url = resolve_database_url(settings)
        engine = make_engine(
            database_url,
            pool_size=settings.annals_db_pool_size,
            pool_timeout_s=settings.annals_pool_timeout_s,
            connect_timeout_s=settings.annals_connect_timeout_s,
            statement_timeout_ms=settings.annals_statement_timeout_ms,
            lock_timeout_ms=settings.annals_lock_timeout_ms,
            application_name="annals-api",
        )
        sessions = make_sessionmaker(engine)
        rate_limiter = make_rate_limiter(database_url, settings)
        search_index = open_search_index(settings.annals_data_dir)
        stop_following = follow_in_background(sessions, search_index)
        try:
            with server_garbage_collection():
                yield {
                    "engine": engine,
                    "sessions": sessions,
                    "read_sessions": make_read_sessionmaker(engine),
                    "settings": settings,
                    "rate_limiter": rate_limiter,
                    "search_index": search_index,
                }
        finally:
            stop_following()
            engine.dispose()
            if rate_limiter is not None:
                rate_limiter.engine.dispose()

    app = FastAPI(
        title="Annals",
        version="0.1.0",
        summary="News articles and the events they report, as JSON.",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[
            Depends(reject_nul_characters),
            Depends(check_query_parameters),
            Depends(remember_base_url),
        ],
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    install_fault_handlers(app)
    app.add_middleware(ETagMiddleware)
    # Outside the ETag: the tag names the uncompressed body. Streams (exports) are compressed as they go.
    # Level 4, not Starlette's 9: on a page of 100 GeoJSON events (138 kB) 2.7x less CPU for 14% more
    # bytes; at 9, compression was 8% of the server's CPU under the benchmark's mix.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=4)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.annals_max_body_bytes)
    app.add_middleware(RateLimitMiddleware)
    if settings.annals_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.annals_cors_origins,
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match", "X-Request-ID"],
            expose_headers=["ETag", "X-Request-ID"],
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HeadMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(ConnectionRecyclingMiddleware, every=settings.annals_keepalive_requests)
    app.include_router(health.router)
    app.include_router(articles.router)
    app.include_router(entities.router)
    app.include_router(events.router)
    app.include_router(curation.router)
    app.include_router(entity_curation.router)
    app.include_router(timeline.router)
    app.include_router(control.router)
    app.include_router(reconcile.router)
    app.include_router(review.router)
    app.include_router(changes.router)
    mount_offline_docs(app)
    install_contract(app, settings)
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
