"""Hostile or careless input: big bodies, wrong media types, broken JSON, forged cursors, control
characters and script URLs never reach the parser, the pipeline or SQL as such."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.deps import get_session
from api.settings import Settings
from db.api_keys import create_api_key
from db.models import Article, Event
from ingest.load import load_records
from ingest.reader import BadRecord, read_articles
from ingest.records import MAX_TEXT_CHARS
from tests.factories import add_article, add_event


def bearer(session: Session, scope: str = "write") -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_key(session, f'hostile-{scope}', scope)}"}


def forged(kind: str, values: list[object]) -> str:
    raw = json.dumps({"k": kind, "v": values}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_an_oversized_body_is_a_413_before_auth_and_parsing(client: TestClient) -> None:
    body = b'{"text": "' + b"x" * (9 * 1024 * 1024) + b'"}'
    response = client.post("/v1/articles", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413  # not 401: the body was refused before the key was looked at
    problem = response.json()
    assert problem["type"] == "https://annals.dev/problems/payload-too-large"
    assert problem["limit"] == 8 * 1024 * 1024


def test_a_streamed_body_over_the_limit_is_a_413(database_url: str, session: Session) -> None:
    settings = Settings(database_url=database_url, annals_max_body_bytes=2048, _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted as the body arrives
        yield b'{"text": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    with TestClient(app) as small:
        response = small.post("/v1/articles", content=chunks(), headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert "2048 bytes" in response.json()["detail"]


def test_a_body_that_is_not_json_is_a_415(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/articles",
        content=b"text=Troops entered the town.",
        headers={**bearer(session), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.json()["type"] == "https://annals.dev/problems/unsupported-media-type"


def test_malformed_json_is_a_400(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/articles",
        content=b'{"text": "Troops entered the town.",',
        headers={**bearer(session), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["type"] == "https://annals.dev/problems/malformed-json"


def test_an_article_over_the_text_limit_is_a_422(client: TestClient, session: Session) -> None:
    text = "Rebels shelled the port overnight. " * (MAX_TEXT_CHARS // 35 + 1)
    response = client.post("/v1/articles", json={"text": text}, headers=bearer(session))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "text"


def test_control_characters_are_stripped_and_line_breaks_kept(client: TestClient, session: Session) -> None:
    record = {
        "title": "Port \x1b[31mclosed\x1b[0m after\x07 shelling",
        "text": "Rebels shelled the port of Marlo\x07 on Tuesday.\n\n\tThe harbour \x1b]0;x\x07master said "
        "\x9bthree ships were hit.",
        "url": "https://news.example.org/port-marlo",
    }
    response = client.post("/v1/articles", json=record, headers=bearer(session))
    assert response.status_code == 201, response.text
    article = session.get(Article, response.json()["items"][0]["article_id"])
    assert article is not None
    assert article.title == "Port closed after shelling"
    assert "\x07" not in article.text and "\x1b" not in article.text and "\x9b" not in article.text
    assert "Marlo on Tuesday." in article.text
    assert "The harbour master said three ships were hit." in article.text


def test_only_http_urls_are_accepted(client: TestClient, session: Session) -> None:
    headers = bearer(session)
    for url in ("javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "http://"):
        record = {"text": "Rebels shelled the port of Marlo on Tuesday.", "url": url}
        response = client.post("/v1/articles", json=record, headers=headers)
        assert response.status_code == 422, url
        assert response.json()["errors"][0]["loc"][-1] == "url"
    assert session.scalar(select(Article).where(Article.url.like("javascript%"))) is None


def test_forged_cursors_with_ids_beyond_bigint_are_422(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    entity_id = session.scalars(select(Event.location_entity_id)).first() or 1
    cases = {
        "/v1/search": forged("search:newest", [None, 2**64]),
        "/v1/entities": forged("entities:all", [1, 2**63]),
        f"/v1/entities/{entity_id}/articles": forged("entity-articles", [None, 2**70]),
        f"/v1/entities/{entity_id}/events": forged("events:date", [None, 2**63]),
        f"/v1/events/{event.event_id}/history": forged("history", [2**64]),
        "/v1/events": forged("events:date", ["2021-01-01", -(2**64)]),
    }
    for path, cursor in cases.items():
        response = client.get(path, params={"cursor": cursor})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"][0]["loc"] == ["query", "cursor"], path
    relevance = forged("search:relevance", [float("nan"), 1])  # json.dumps writes NaN
    assert client.get("/v1/search", params={"q": "Taliban", "cursor": relevance}).status_code == 422


def test_bodies_are_still_read_by_routes_that_take_them(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/articles",
        json={"text": "Rebels shelled the port of Marlo on Tuesday, officials said."},
        headers={**bearer(session), "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


def test_the_loader_reports_an_oversized_record_and_loads_the_rest(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"text": "Rebels shelled the port of Marlo on Tuesday."},
        {"text": "x " * (MAX_TEXT_CHARS // 2 + 1)},
        {"text": "Troops entered the town of Verno on Friday.", "url": "javascript:alert(1)"},
        {"text": "Police arrested two men in Dalen on Sunday."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    records = list(read_articles(path))
    assert [type(record).__name__ for record in records] == [
        "ArticleRecord",
        "BadRecord",
        "BadRecord",
        "ArticleRecord",
    ]
    too_long, script = records[1], records[2]
    assert isinstance(too_long, BadRecord) and isinstance(script, BadRecord)
    assert too_long.where == "mixed.jsonl:2" and too_long.reason.startswith("text: ")
    assert "1000000" in too_long.reason or "1,000,000" in too_long.reason
    assert script.where == "mixed.jsonl:3" and script.reason.startswith("url: ")
    report = load_records(sessions, records)
    assert len(report.created) == 2
    assert [bad.where for bad in report.bad] == ["mixed.jsonl:2", "mixed.jsonl:3"]


def test_if_match_that_is_empty_or_not_an_etag_is_refused_before_the_revision_check(
    client: TestClient, session: Session
) -> None:
    event = add_event(session, add_article(session))
    headers = bearer(session)
    path = f"/v1/events/{event.event_id}"
    assert client.patch(path, json={"summary": "x"}, headers={**headers, "If-Match": ""}).status_code == 428
    malformed = client.patch(path, json={"summary": "x"}, headers={**headers, "If-Match": "event-1-r1"})
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["loc"] == ["header", "if-match"]
    other = client.patch(path, json={"summary": "x"}, headers={**headers, "If-Match": '"event-0-r1"'})
    assert other.status_code == 412


def test_dates_are_iso_dates_not_unix_times(client: TestClient, session: Session) -> None:
    for path in ("/v1/search", "/v1/events", "/v1/timeline"):
        response = client.get(path, params={"to": "0"})
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["loc"] == ["query", "to"], path
        assert client.get(path, params={"to": "2021-07-31"}).status_code == 200, path
    event = add_event(session, add_article(session))
    etag = client.get(f"/v1/events/{event.event_id}").headers["etag"]
    response = client.patch(
        f"/v1/events/{event.event_id}",
        json={"date_start": 1625097600},
        headers={**bearer(session), "If-Match": etag},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "date_start"


def test_a_content_length_of_non_ascii_digits_is_not_read_as_a_number() -> None:
    """'³' (latin-1 0xB3) is a digit to str.isdigit but not to int(): the body is measured as it
    arrives instead, and the request goes on rather than failing in the middleware."""
    import asyncio

    from api.limits import BodyLimitMiddleware

    reached: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append((await receive())["body"])

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError(f"the middleware answered: {message}")

    headers = [(b"content-length", b"\xb3"), (b"content-type", b"application/json")]
    scope = {"type": "http", "method": "POST", "path": "/v1/articles", "headers": headers}
    asyncio.run(BodyLimitMiddleware(app, max_bytes=1024)(scope, receive, send))
    assert reached == [b"{}"]
