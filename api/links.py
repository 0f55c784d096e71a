"""Absolute links in response bodies: the request's base URL, remembered for the request, before a path.

An app-wide dependency remembers it in a context variable, so that every converter can make links
without each router passing the request down. Outside a request (`annals export`) links stay paths.
"""

from __future__ import annotations

from contextvars import ContextVar

from fastapi import Request

BASE_URL: ContextVar[str] = ContextVar("base_url", default="")


async def remember_base_url(request: Request) -> None:
    """Async on purpose: it runs in the request's own task, whose context the handler's thread copies."""
    BASE_URL.set(str(request.base_url).rstrip("/"))


def absolute(path: str) -> str:
    return BASE_URL.get() + path


def entity_links(entity_id: int) -> dict[str, str]:
    return {
        "self": absolute(f"/v1/entities/{entity_id}"),
        "articles": absolute(f"/v1/entities/{entity_id}/articles"),
        "events": absolute(f"/v1/entities/{entity_id}/events"),
        "timeline": absolute(f"/v1/timeline?entity={entity_id}"),
    }


def event_links(event_id: int) -> dict[str, str]:
    return {"self": absolute(f"/v1/events/{event_id}"), "history": absolute(f"/v1/events/{event_id}/history")}


def article_links(article_id: int) -> dict[str, str]:
    return {
        "self": absolute(f"/v1/articles/{article_id}"),
        "events": absolute(f"/v1/events?article={article_id}"),
    }
