"""Rate limits per API key (or per client address without one), in one-minute windows counted in
PostgreSQL so that every worker and every process behind the same database shares them. Failed
authentications are limited per address, more strictly. The counters live on their own small engine
with short timeouts: if the database cannot count, the request goes on (the data endpoints then say
503 themselves) rather than waiting."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem
from db.engine import DatabaseError, Engine
from db.rate_limits import WindowCount, count_hit, count_hit_unless_blocked, current_hits, key_is_active

log = logging.getLogger(__name__)

NO_LIMIT = 2**31 - 1
EXEMPT_PATHS = ("/health", "/ready", "/docs", "/redoc", "/openapi.json", "/docs-assets/")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Decision:
    limit: int
    count: WindowCount
    blocked_by: str | None  # "requests", "authentication failures" or None


class RateLimiter:
    def __init__(self, engine: Engine, reads: int, writes: int, auth_failures: int) -> None:
        self.engine = engine
        self.reads = reads
        self.writes = writes
        self.auth_failures = auth_failures

    def check(self, key_hash: str | None, address: str, write: bool) -> Decision | None:
        """A key that exists has a budget of its own; any other request counts against its address (a
        bucket per bearer value would let anyone mint fresh budgets with made-up keys)."""
        limit = self.writes if write else self.reads
        failure_bucket = f"auth-failures:{address}"
        try:
            with self.engine.connect() as connection:
                if not limit:  # only failed authentications are limited
                    failures = current_hits(connection, failure_bucket) if self.auth_failures else None
                    if failures is not None and failures.hits >= self.auth_failures:
                        return Decision(self.auth_failures, failures, "authentication failures")
                    return None
                keyed = key_hash is not None and key_is_active(connection, key_hash)
                client = f"key:{key_hash[:32]}" if keyed and key_hash else f"address:{address}"
                failures, counted = count_hit_unless_blocked(
                    connection,
                    f"{'write' if write else 'read'}:{client}",
                    failure_bucket,
                    self.auth_failures or NO_LIMIT,
                )
        except DatabaseError as error:
            log.warning("rate limits not counted: %s", error)
            return None
        if counted is None:
            return Decision(self.auth_failures, failures, "authentication failures")
        return Decision(limit, counted, "requests" if counted.hits > limit else None)

    def count_auth_failure(self, address: str) -> None:
        if not self.auth_failures:
            return
        try:
            with self.engine.connect() as connection:
                count_hit(connection, f"auth-failures:{address}")
        except DatabaseError as error:
            log.warning("authentication failure not counted: %s", error)


def client_of(scope: Scope) -> tuple[str | None, str]:
    """(the SHA-256 of the bearer key the request carries, if any; the client's address)."""
    address = scope["client"][0] if scope.get("client") else "unknown"
    authorization = Headers(scope=scope).get("authorization", "")
    if authorization.lower().startswith("bearer ") and authorization[7:].strip():
        return hashlib.sha256(authorization[7:].strip().encode()).hexdigest(), address
    return None, address


def rate_limit_headers(decision: Decision) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(max(0, decision.limit - decision.count.hits)),
        "RateLimit-Reset": str(decision.count.reset_s),
        "RateLimit-Policy": f"{decision.limit};w=60",
    }


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limiter: RateLimiter | None = scope.get("state", {}).get("rate_limiter")
        if scope["type"] != "http" or limiter is None or scope["path"].startswith(EXEMPT_PATHS):
            await self.app(scope, receive, send)
            return
        key_hash, address = client_of(scope)
        write = scope["method"] not in READ_METHODS
        decision = await anyio.to_thread.run_sync(limiter.check, key_hash, address, write)
        if decision is not None and decision.blocked_by:
            response = problem(
                Request(scope),
                429,
                "rate-limited",
                "Too many requests",
                f"Over the limit of {decision.limit} {decision.blocked_by} per minute; "
                f"retry in {decision.count.reset_s} s.",
            )
            response.headers.update(rate_limit_headers(decision))
            response.headers["Retry-After"] = str(decision.count.reset_s)
            await response(scope, receive, send)
            return
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if decision is not None:
                    MutableHeaders(scope=message).update(rate_limit_headers(decision))
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if status == 401:
            await anyio.to_thread.run_sync(limiter.count_auth_failure, address)
