import time

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.app import create_app
from api.settings import Settings
from db.migrations import head_revision


def test_health_is_ok(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_reports_the_migration_head_and_the_search_index_lag(client: TestClient) -> None:
    deadline = time.monotonic() + 10
    response = client.get("/ready")
    while response.status_code == 503 and time.monotonic() < deadline:  # the index is being built
        assert "search index" in response.json()["detail"]
        time.sleep(0.1)
        response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "ok",
        "migration": head_revision(),
        "search_index": {"behind": 0, "relation": "eq"},
    }


def test_ready_is_503_when_the_schema_is_behind(client: TestClient, database_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    try:
        response = client.get("/ready")
        assert response.status_code == 503
        assert response.json()["type"] == "https://annals.dev/problems/not-ready"
        assert "annals migrate" in response.json()["detail"]
    finally:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()}
            )


def test_unknown_path_and_method_are_problems(client: TestClient, session: Session) -> None:
    assert client.get("/v2/nothing").headers["content-type"] == "application/problem+json"
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.json()["type"].endswith("method-not-allowed")


def test_cors_is_off_by_default_and_configurable(
    client: TestClient, database_url: str, session: Session
) -> None:
    assert (
        "access-control-allow-origin"
        not in client.get("/health", headers={"Origin": "https://x.org"}).headers
    )
    settings = Settings(
        database_url=database_url, annals_cors_origins=["https://app.example"], _env_file=None
    )  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as cors_client:
        allowed = cors_client.get("/health", headers={"Origin": "https://app.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        assert "ETag" in allowed.headers["access-control-expose-headers"]
        preflight = cors_client.options(
            "/v1/events/1",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "If-Match",
            },
        )
        assert preflight.status_code == 200
        other = cors_client.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
