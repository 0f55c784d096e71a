"""Reads run in autocommit sessions (no BEGIN, no ROLLBACK on close); writes in transactions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, text
from starlette.requests import Request

from api.app import create_app
from api.deps import session_factory
from api.settings import Settings


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
