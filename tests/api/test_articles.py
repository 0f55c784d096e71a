from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import TRT_2021, seed_article_id


def test_get_article_returns_text_and_mentions_with_offsets(client: TestClient, session: Session) -> None:
    article_id = seed_article_id(session, TRT_2021)
    response = client.get(f"/v1/articles/{article_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "More Afghan forces flee to Tajikistan as key districts fall to Taliban"
    assert body["source"] == "TRT World"
    assert body["published_at"].startswith("2021-07-04")
    assert "READ MORE" not in body["text"]
    assert "Loading..." not in body["text"]
    assert body["mentions"], "the pipeline found entities"
    for mention in body["mentions"]:
        assert body["text"][mention["start"] : mention["end"]] == mention["text"]
    by_name = {(m["entity"]["name"], m["text"]) for m in body["mentions"]}
    assert ("Sheren Rufi", "Rufi") in by_name  # a short form is a mention of the full name
    for evidence in body["events"]:
        assert body["text"][evidence["sentence_start"] : evidence["sentence_end"]] == evidence["quote"]


def test_get_article_unknown_id_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/articles/999999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://annals.dev/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No article with id 999999999.",
        "instance": "/v1/articles/999999999",
    }


def test_get_article_bad_id_is_a_422_naming_it(client: TestClient) -> None:
    for bad in ("abc", "0", "99999999999999999999"):
        response = client.get(f"/v1/articles/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["loc"] == ["path", "article_id"]


def test_get_answers_304_when_the_etag_matches(client: TestClient, session: Session) -> None:
    article_id = seed_article_id(session, TRT_2021)
    first = client.get(f"/v1/articles/{article_id}")
    etag = first.headers["etag"]
    second = client.get(f"/v1/articles/{article_id}", headers={"If-None-Match": etag})
    assert second.status_code == 304
    assert second.content == b""
    assert client.get(f"/v1/articles/{article_id}", headers={"If-None-Match": '"other"'}).status_code == 200


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    assert len(client.get("/health").headers["x-request-id"]) == 32
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
