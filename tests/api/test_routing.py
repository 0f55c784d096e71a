"""The route class: a handler's one hop to a worker thread, and the count of handlers running."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from api.routers import articles
from api.routing import OneHopRoute, handlers_running
from db import search_index


def test_handlers_running_counts_the_process_handlers_while_they_run() -> None:
    router = APIRouter(route_class=OneHopRoute)
    both_running = threading.Barrier(2, timeout=10)

    @router.get("/alone")
    def alone() -> int:
        return handlers_running()

    @router.get("/together")
    def together() -> int:
        both_running.wait()  # each counts once the other runs too
        running = handlers_running()
        both_running.wait()  # and neither ends before the other has counted
        return running

    app = FastAPI()
    app.include_router(router)

    async def requests() -> tuple[int, list[int], int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = (await client.get("/alone")).json()
            pair = await asyncio.gather(client.get("/together"), client.get("/together"))
            last = (await client.get("/alone")).json()
        return first, [response.json() for response in pair], last

    assert asyncio.run(requests()) == (1, [2, 2], 1)


def test_search_overlaps_its_facets_with_its_page_only_while_no_other_handler_runs(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlaps: list[bool] = []
    search_with_facets = search_index.search_with_facets

    def recording(*args: Any, overlap: bool, **kwargs: Any) -> Any:
        overlaps.append(overlap)
        return search_with_facets(*args, overlap=overlap, **kwargs)

    monkeypatch.setattr(search_index, "search_with_facets", recording)
    params = {"q": "Taliban", "facets": "true"}
    alone = client.get("/v1/search", params=params).json()
    monkeypatch.setattr(articles, "handlers_running", lambda: 3)
    busy = client.get("/v1/search", params=params).json()
    assert overlaps == [True, False]
    assert alone == busy and alone["facets"]["sources"]
