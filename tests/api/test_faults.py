"""Database faults are 503 problems that say which limit was hit, and the service recovers by itself.

These tests use the app's own engine (no session override), so the timeouts and the pool are real.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.app import create_app
from api.settings import Settings


@contextmanager
def live_client(database_url: str, **overrides: object) -> Iterator[TestClient]:
    no_rate_limits = {f"annals_rate_limit_{kind}": 0 for kind in ("reads", "writes", "auth_failures")}
    settings = Settings(database_url=database_url, _env_file=None, **(no_rate_limits | overrides))  # type: ignore[arg-type]
    app = create_app(settings)

    @app.get("/test/sleep")
    def sleep(request: Request, seconds: float) -> dict[str, str]:
        with request.state.sessions() as session:
            session.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": seconds})
        return {"slept": str(seconds)}

    with TestClient(app) as client:
        yield client


@contextmanager
def table_locked(engine: Engine, table: str) -> Iterator[None]:
    with engine.connect() as connection, connection.begin():
        connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        yield


def test_a_held_lock_is_a_503_within_the_lock_timeout(database_url: str, seeded: Engine) -> None:
    with live_client(database_url, annals_lock_timeout_ms=300) as client, table_locked(seeded, "article"):
        started = time.monotonic()
        response = client.get("/v1/search", params={"q": "oil"})
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 3
    problem = response.json()
    assert problem["type"] == "https://annals.dev/problems/lock-timeout"
    assert "300 ms" in problem["detail"]
    assert response.headers["retry-after"].isdigit()


def test_a_slow_statement_is_cancelled_and_a_503_naming_the_limit(database_url: str, seeded: Engine) -> None:
    with live_client(database_url, annals_statement_timeout_ms=200) as client:
        started = time.monotonic()
        response = client.get("/test/sleep", params={"seconds": 30})
        assert time.monotonic() - started < 5
        assert response.status_code == 503
        assert response.json()["type"] == "https://annals.dev/problems/statement-timeout"
        assert "200 ms" in response.json()["detail"]
        with seeded.connect() as connection:
            sleeping = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' "
                    "AND state = 'active' AND application_name = 'annals-api' "
                    "AND datname = current_database()"
                )
            )
        assert sleeping == 0  # the backend query was cancelled, not left running
        assert client.get("/v1/events").status_code == 200


def test_ready_is_503_when_the_database_cannot_answer_in_time(database_url: str, seeded: Engine) -> None:
    with live_client(database_url, annals_statement_timeout_ms=300, annals_lock_timeout_ms=300) as client:
        assert client.get("/ready").status_code == 200
        with table_locked(seeded, "alembic_version"):
            started = time.monotonic()
            response = client.get("/ready")
            assert time.monotonic() - started < 3
        assert response.status_code == 503
        assert client.get("/ready").status_code == 200


def test_an_exhausted_pool_answers_503_quickly(database_url: str) -> None:
    with live_client(database_url, annals_db_pool_size=1, annals_pool_timeout_s=0.3) as client:
        sleepers = [
            threading.Thread(target=client.get, args=("/test/sleep",), kwargs={"params": {"seconds": 2}})
            for _ in range(2)
        ]
        for sleeper in sleepers:
            sleeper.start()
        time.sleep(0.5)
        started = time.monotonic()
        response = client.get("/v1/events")
        elapsed = time.monotonic() - started
        for sleeper in sleepers:
            sleeper.join()
        assert response.status_code == 503
        assert response.json()["type"] == "https://annals.dev/problems/pool-exhausted"
        assert elapsed < 1.5
        assert client.get("/v1/events").status_code == 200


def test_an_unreachable_database_is_a_503_with_retry_after(database_url: str) -> None:
    nowhere = "postgresql+psycopg://postgres@127.0.0.1:9/annals"  # the discard port: nothing listens
    with live_client(nowhere) as client:
        for path in ("/v1/search?q=oil", "/v1/events", "/v1/entities", "/v1/timeline", "/v1/articles/1"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.json()["type"] == "https://annals.dev/problems/database-unavailable"
            assert response.headers["retry-after"] == "5"
        assert client.get("/ready").status_code == 503
        assert client.get("/health").status_code == 200


def test_the_api_recovers_when_its_connections_are_killed(database_url: str, seeded: Engine) -> None:
    with live_client(database_url) as client:
        assert client.get("/v1/events").status_code == 200
        with seeded.connect() as connection:
            killed = connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'annals-api' AND datname = current_database()"
                )
            )
        assert killed
        statuses = [client.get("/v1/events").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]  # the pool's pre-ping replaced the dead connections
