"""Database faults as 503 problems: a slow query or a held lock hits its timeout, the pool is
exhausted, or the server is unreachable. Each says which limit was hit and when to retry; the
pool's pre-ping replaces dead connections, so the service recovers by itself once PostgreSQL is back.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.errors import problem
from db.engine import DatabaseUnavailable, PoolTimeout, fault_kind

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5


def unavailable(request: Request, slug: str, title: str, detail: str) -> JSONResponse:
    response = problem(request, 503, slug, title, detail)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def describe_operational_error(request: Request, error: DatabaseUnavailable) -> JSONResponse:
    settings = request.state.settings
    kind = fault_kind(error)
    if kind == "lock-timeout":
        return unavailable(
            request,
            "lock-timeout",
            "Lock timeout",
            f"A lock was not granted within the lock timeout ({settings.annals_lock_timeout_ms} ms).",
        )
    if kind == "write-conflict":
        return unavailable(
            request,
            "write-conflict",
            "Write conflict",
            "A concurrent write conflicted with this one (a deadlock or serialization failure); retry it.",
        )
    if kind == "statement-timeout":
        return unavailable(
            request,
            "statement-timeout",
            "Statement timeout",
            f"The query ran longer than the statement timeout ({settings.annals_statement_timeout_ms} ms); "
            "narrow the request (fewer filter values, a shorter date range).",
        )
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, error.orig)
    return unavailable(
        request, "database-unavailable", "Database unavailable", "The database is unreachable."
    )


def install_fault_handlers(app: FastAPI) -> None:
    @app.exception_handler(DatabaseUnavailable)
    async def operational_error(request: Request, error: DatabaseUnavailable) -> JSONResponse:
        return describe_operational_error(request, error)

    @app.exception_handler(PoolTimeout)
    async def pool_timeout(request: Request, error: PoolTimeout) -> JSONResponse:
        settings = request.state.settings
        return unavailable(
            request,
            "pool-exhausted",
            "Too many concurrent requests",
            f"No database connection was free within {settings.annals_pool_timeout_s} s.",
        )
