"""Request bodies are bounded and JSON, checked before anything parses them or looks at the key."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem

METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


# The OpenRefine reconciliation protocol posts its queries as a form (`queries=...`).
FORM_PATHS = ("/v1/reconcile",)


def accepts(path: str, content_type: str) -> bool:
    """JSON everywhere; a form where a protocol we implement sends one."""
    if is_json(content_type):
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/x-www-form-urlencoded" and path in FORM_PATHS


class BodyLimitMiddleware:
    """413 for a body over max_bytes (by Content-Length or as it streams in), 415 for a body that is
    not JSON (or, on the reconciliation service, a form). The body is read here, up to the limit,
    and handed on whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS_WITH_BODY:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            await self.too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self.too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more_body = message.get("more_body", False)
        body = b"".join(chunks)
        if body and not accepts(scope["path"], headers.get("content-type", "")):
            response = problem(
                Request(scope),
                415,
                "unsupported-media-type",
                "Unsupported media type",
                "Send the body as JSON with `Content-Type: application/json`.",
            )
            await response(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            Request(scope),
            413,
            "payload-too-large",
            "Request body too large",
            f"The body is larger than the limit of {self.max_bytes} bytes.",
            limit=self.max_bytes,
        )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
