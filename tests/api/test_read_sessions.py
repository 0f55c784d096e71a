"""Reads run in autocommit sessions (no BEGIN, no ROLLBACK on close); writes in transactions."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, text
from starlette.requests import Request

from api.app import create_app
from api.deps import session_factory
from api.settings import Settings
from db.api_keys import create_api_key


def transaction_status_after_a_statement(client: TestClient, method: str) -> TransactionStatus:
    request = Request({"type": "http", "method": method, "headers": [], "state": client.app_state})
    with session_factory(request)() as session:
        session.execute(text("SELECT 1"))
        status: TransactionStatus = session.connection().connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
        return status


def test_reads_leave_no_transaction_open_and_writes_keep_theirs(database_url: str, seeded: Engine) -> None:
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as client:
        for method in ("GET", "HEAD"):
            assert transaction_status_after_a_statement(client, method) is TransactionStatus.IDLE, method
        for method in ("POST", "PATCH", "PUT", "DELETE"):
            assert transaction_status_after_a_statement(client, method) is TransactionStatus.INTRANS, method
        # the two share one pool, and a write's connection is back in a transaction after a read's
        assert transaction_status_after_a_statement(client, "GET") is TransactionStatus.IDLE
        assert transaction_status_after_a_statement(client, "POST") is TransactionStatus.INTRANS
        assert client.get("/v1/events").status_code == 200
        assert client.get("/v1/articles").status_code == 200


def test_a_read_takes_one_worker_thread_for_its_handler_and_nothing_else(
    database_url: str, seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load every hop to a worker thread waits for the GIL and then for the event loop. A read's
    session is made and closed on the loop (autocommit: closing sends nothing), the search index is
    read from the app's state there, and the response is checked there (api.routing.OneHopRoute): the
    handler is the one thing that runs on a worker thread, with the check of a moved entity's id on
    the entity routes."""
    ran_on_threads: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def recording(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        inner = function.func if isinstance(function, functools.partial) else function
        ran_on_threads.append(getattr(inner, "__name__", repr(inner)))
        return await run_sync(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", recording)
    settings = Settings(  # type: ignore[call-arg]
        database_url=database_url,
        annals_rate_limit_reads=0,  # no rate limiter: its check takes a thread of its own
        annals_rate_limit_writes=0,
        annals_rate_limit_auth_failures=0,
        _env_file=None,
    )
    expected = {
        "/v1/articles/1": ["get_article"],
        "/v1/search?q=troops": ["search_articles"],
        "/v1/events?limit=5": ["list_events"],
        "/v1/timeline?interval=year": ["get_timeline"],
        "/v1/entities/1": ["redirect_target", "get_entity"],
    }
    with TestClient(create_app(settings)) as client:
        for path, handlers in expected.items():
            ran_on_threads.clear()
            assert client.get(path).status_code == 200, path
            assert ran_on_threads == handlers, path


def test_every_request_gives_its_connection_back(database_url: str, seeded: Engine) -> None:
    """Whether the handler answers or raises, or a dependency refuses the request after using the
    session (an unknown key, a key without the scope), or a parameter is invalid."""
    settings = Settings(database_url=database_url, annals_require_key_for_reads=True, _env_file=None)  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as client:
        engine: Engine = client.app_state["engine"]
        with client.app_state["sessions"]() as session:
            reader = {"Authorization": f"Bearer {create_api_key(session, 'sessions-reader', 'read')}"}
            session.commit()
        stranger = {"Authorization": "Bearer annals_not-a-key"}
        requests = [
            ("GET", "/v1/events?limit=5", reader, 200),  # the handler answers
            ("GET", "/v1/search?q=troops", reader, 200),  # its handler takes no session: the key check's
            ("GET", "/v1/events/999999999", reader, 404),  # the handler raises
            ("GET", "/v1/events", stranger, 401),  # the key check refuses after its query
            ("GET", "/v1/events?limit=0", reader, 422),
            ("GET", "/v1/entities/1", reader, 200),  # the check of a moved entity has a query too
            ("POST", "/v1/events", reader, 403),  # a write's session, refused by the scope check
        ]
        for method, path, headers, status in requests:
            response = client.request(method, path, headers=headers, json={})
            assert response.status_code == status, (method, path, response.text)
            assert engine.pool.checkedout() == 0, (method, path)  # type: ignore[attr-defined]
