"""Rate limits per key or client address, counted in PostgreSQL (shared by workers), stricter for
failed authentication; 429 with Retry-After and RateLimit headers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from api.app import create_app
from api.deps import get_session
from api.settings import Settings
from db.api_keys import create_api_key
from db.models import ApiKey, RateLimitWindow

WINDOW_S = 60
TEST_MARGIN_S = 15  # far longer than any test here takes


def start_well_inside_a_window() -> None:
    """The windows are clock minutes (date_trunc('minute', now())): a test that straddled one would
    see its count start again at 1. Wait for the next minute when this one is nearly over."""
    into = time.time() % WINDOW_S
    if into > WINDOW_S - TEST_MARGIN_S:
        time.sleep(WINDOW_S - into + 0.5)


@contextmanager
def limited_client(
    database_url: str, seeded: Engine, session: Session, **limits: int
) -> Iterator[TestClient]:
    with seeded.begin() as connection:
        connection.execute(delete(RateLimitWindow))
    start_well_inside_a_window()
    settings = Settings(database_url=database_url, _env_file=None, **limits)  # type: ignore[arg-type]
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app) as client:
        yield client
    with seeded.begin() as connection:
        connection.execute(delete(RateLimitWindow))


def test_reads_over_the_limit_are_429_with_retry_after(
    database_url: str, seeded: Engine, session: Session
) -> None:
    with limited_client(database_url, seeded, session, annals_rate_limit_reads=5) as client:
        answers = [client.get("/v1/events") for _ in range(7)]
        assert [answer.status_code for answer in answers] == [200] * 5 + [429] * 2
        assert [answer.headers["ratelimit-remaining"] for answer in answers[:5]] == ["4", "3", "2", "1", "0"]
        limited = answers[5]
        assert limited.json()["type"] == "https://annals.dev/problems/rate-limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert limited.headers["ratelimit-limit"] == "5"
        assert limited.headers["ratelimit-policy"] == "5;w=60"
        assert client.get("/health").status_code == 200  # probes are never limited


def test_each_key_has_its_own_budget(database_url: str, seeded: Engine, session: Session) -> None:
    """Keys the limiter can see (committed): each its own budget, apart from the address's."""
    with Session(seeded) as committed:
        first = {"Authorization": f"Bearer {create_api_key(committed, 'budget-a', 'read')}"}
        second = {"Authorization": f"Bearer {create_api_key(committed, 'budget-b', 'read')}"}
        committed.commit()
    try:
        with limited_client(database_url, seeded, session, annals_rate_limit_reads=3) as client:
            answers = [client.get("/v1/events", headers=first).status_code for _ in range(4)]
            assert answers == [200] * 3 + [429]
            assert client.get("/v1/events", headers=second).status_code == 200
            assert client.get("/v1/events").status_code == 200  # the address's own budget
    finally:
        with seeded.begin() as connection:
            connection.execute(delete(ApiKey).where(ApiKey.name.in_(["budget-a", "budget-b"])))


def test_limits_are_shared_by_every_worker(database_url: str, seeded: Engine, session: Session) -> None:
    other_worker = create_app(Settings(database_url=database_url, annals_rate_limit_reads=4, _env_file=None))  # type: ignore[call-arg]
    with (
        limited_client(database_url, seeded, session, annals_rate_limit_reads=4) as one,
        TestClient(other_worker) as two,
    ):
        statuses = [worker.get("/health").status_code for worker in (one, two)]
        assert statuses == [200, 200]
        answers = [worker.get("/v1/entities").status_code for worker in (one, two, one, two, one)]
        assert answers == [200, 200, 200, 200, 429]


def test_failed_authentication_is_limited_more_strictly(
    database_url: str, seeded: Engine, session: Session
) -> None:
    with limited_client(
        database_url, seeded, session, annals_rate_limit_writes=100, annals_rate_limit_auth_failures=3
    ) as client:
        wrong = {"Authorization": "Bearer annals_not-a-key", "Content-Type": "application/json"}
        statuses = [
            client.post("/v1/articles", json={"text": "x"}, headers=wrong).status_code for _ in range(5)
        ]
        assert statuses == [401, 401, 401, 429, 429]
        key = create_api_key(session, "limited-writer", "write")
        good = client.post("/v1/articles", json={"text": "x"}, headers={"Authorization": f"Bearer {key}"})
        assert good.status_code == 429  # the address stays blocked for the rest of the window
        assert "authentication failures" in good.json()["detail"]


def test_a_disabled_limit_counts_nothing(database_url: str, seeded: Engine, session: Session) -> None:
    with limited_client(
        database_url,
        seeded,
        session,
        annals_rate_limit_reads=0,
        annals_rate_limit_writes=0,
        annals_rate_limit_auth_failures=0,
    ) as client:
        response = client.get("/v1/events")
        assert response.status_code == 200
        assert "ratelimit-limit" not in response.headers


def test_made_up_keys_share_their_address_budget(database_url: str, seeded: Engine, session: Session) -> None:
    """Reads do not check the key they carry: a fresh fake key per request must not be a fresh budget."""
    with limited_client(database_url, seeded, session, annals_rate_limit_reads=3) as client:
        statuses = [
            client.get("/v1/events", headers={"Authorization": f"Bearer annals_made-up-{n}"}).status_code
            for n in range(4)
        ]
    assert statuses == [200] * 3 + [429]
