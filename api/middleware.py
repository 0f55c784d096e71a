"""Pure ASGI middleware: request ids, ETag/304 on GETs, and kept-alive connections closed now and then."""

from __future__ import annotations

import hashlib
import logging
import random
import time
import uuid
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("annals.access")


class RequestIdMiddleware:
    """Takes X-Request-ID from the client or makes one; echoes it and logs it with the access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get("x-request-id") or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s %s %.1fms request_id=%s", scope["method"], scope["path"], status, elapsed, request_id
            )


class ETagMiddleware:
    """A strong ETag on every successful GET; If-None-Match that matches answers 304 with no body.

    Handlers that set their own ETag (resources with a revision) keep it. A streamed response (no
    Content-Length: an export) passes through unbuffered, without an ETag.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        streaming = False

        async def buffer(message: Message) -> None:
            nonlocal start, streaming
            if message["type"] == "http.response.start":
                streaming = "content-length" not in Headers(raw=message.get("headers", []))
                if streaming:
                    await send(message)
                start = message
                return
            if streaming:
                await send(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                await self.finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, buffer)

    @staticmethod
    async def finish(scope: Scope, start: Message | None, body: bytes, send: Send) -> None:
        assert start is not None
        headers = MutableHeaders(scope=start)
        if start["status"] == 200:
            etag = headers.get("etag") or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers["ETag"] = etag
            wanted = Headers(scope=scope).get("if-none-match", "")
            if etag in {tag.strip() for tag in wanted.split(",")} or wanted.strip() == "*":
                start["status"] = 304
                del headers["content-length"]
                del headers["content-type"]
                await send(start)
                await send({"type": "http.response.body", "body": b""})
                return
        await send(start)
        await send({"type": "http.response.body", "body": body})


class ConnectionRecyclingMiddleware:
    """Ends about one response in `every` with `Connection: close`, at random, so the client reconnects.

    The workers of `annals serve --workers N` share one listening socket, and a kept-alive connection stays
    with the worker that accepted it. Eight clients that keep their connections split 7 to 1 between two
    workers in a measured run: one worker queued seven clients' requests behind its GIL while a fifth of
    the cores stood idle. A client told to close opens a new connection, which the worker with the least
    to do is the first to accept. (nginx's keepalive_requests and gRPC's MAX_CONNECTION_AGE are there for
    the same reason.) A reconnection on loopback costs a fraction of a millisecond, once in `every`."""

    def __init__(self, app: ASGIApp, every: int, chance: Callable[[], float] = random.random) -> None:
        self.app = app
        self.every = every
        self.chance = chance

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.every <= 0 or self.chance() * self.every >= 1:
            await self.app(scope, receive, send)
            return

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "connection" not in headers:
                    headers["Connection"] = "close"
            await send(message)

        await self.app(scope, receive, send_closing)
