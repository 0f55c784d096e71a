import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Mention
from tests.factories import TRT_2021, WAPO_2016, add_article, add_entity, add_event, seed_article_id


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


def test_get_article_lists_its_mentions_in_text_order_and_its_events_by_sentence(
    client: TestClient, session: Session
) -> None:
    text = (
        "Fighters of the Velmar Guard shelled Eskar on Monday. "
        "Two days later the Zorgan Front said it had retaken Eskar."
    )
    article = add_article(session, text=text)
    guard = add_entity(session, "Velmar Guard", "group")
    front = add_entity(session, "Zorgan Front", "group")
    eskar = add_entity(session, "Eskar", "location", place_kind="city", country_code="QZ")
    mentioned = (
        (front, "Zorgan Front", text.index("Zorgan")),
        (eskar, "Eskar", text.rindex("Eskar")),
        (eskar, "Eskar", text.index("Eskar")),
        (guard, "Velmar Guard", text.index("Velmar")),
    )
    for entity, word, start in mentioned:  # stored out of text order
        session.add(
            Mention(
                entity_id=entity.entity_id,
                article_id=article.article_id,
                start_char=start,
                end_char=start + len(word),
                text=word,
            )
        )
    second = text[text.index("Two days") :]
    retaken = add_event(
        session,
        article,
        event_type="territory_captured",
        date_start=dt.date(2020, 3, 11),
        quote=second,
        actors=(front,),
        location=eskar,
    )
    shelled = add_event(
        session,
        article,
        event_type="remote_violence",
        date_start=None,
        precision="unknown",
        quote=text[: text.index(" Two")],
        fatalities=2,
    )
    add_event(session, article, event_type="statement", quote=second, status="rejected")
    session.flush()

    body = client.get(f"/v1/articles/{article.article_id}").json()

    assert [(m["entity"]["name"], m["entity"]["type"], m["start"], m["text"]) for m in body["mentions"]] == [
        ("Velmar Guard", "group", text.index("Velmar"), "Velmar Guard"),
        ("Eskar", "location", text.index("Eskar"), "Eskar"),
        ("Zorgan Front", "group", text.index("Zorgan"), "Zorgan Front"),
        ("Eskar", "location", text.rindex("Eskar"), "Eskar"),
    ]
    assert [e["event"]["event_id"] for e in body["events"]] == [shelled.event_id, retaken.event_id]
    assert body["events"][1] == {
        "event": {
            "event_id": retaken.event_id,
            "type": "territory_captured",
            "date_start": "2020-03-11",
            "date_end": "2020-03-11",
            "date_precision": "day",
            "location": {"entity_id": eskar.entity_id, "name": "Eskar", "type": "location"},
            "location_text": "Eskar",
            "country_code": "QZ",
            "fatalities": None,
            "summary": second,
            "status": "auto",
        },
        "sentence_start": text.index("Two days"),
        "sentence_end": len(text),
        "quote": second,
    }
    first = body["events"][0]["event"]
    assert (first["date_start"], first["location"], first["fatalities"]) == (None, None, 2)


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


def listed(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["article_id"] for item in response.json()["items"]]


def test_list_articles_finds_what_was_loaded_by_external_id_url_source_and_dates(
    client: TestClient, session: Session
) -> None:
    wapo, trt = seed_article_id(session, WAPO_2016), seed_article_id(session, TRT_2021)
    assert listed(client.get("/v1/articles", params={"external_id": TRT_2021})) == [trt]
    assert listed(client.get("/v1/articles", params={"external_id": TRT_2021[:-1]})) == []  # exact only
    both = client.get("/v1/articles", params=[("external_id", WAPO_2016), ("external_id", TRT_2021)])
    assert listed(both) == [trt, wapo]  # newest first
    assert "text" not in both.json()["items"][0]
    dispatch = add_article(
        session,
        url="https://example.org/dispatch/7",
        source="Harbour Gazette",
        external_id="hg-7",
        published_at=dt.datetime(2019, 6, 2, 8, tzinfo=dt.UTC),
    )
    assert listed(client.get("/v1/articles", params={"url": "https://example.org/dispatch/7"})) == [
        dispatch.article_id
    ]
    assert listed(client.get("/v1/articles", params={"source": "harbour gazette"})) == [dispatch.article_id]
    window = {"from": "2019-06-02", "to": "2019-06-02"}
    assert listed(client.get("/v1/articles", params=window)) == [dispatch.article_id]
    assert listed(client.get("/v1/articles", params={"from": "2019-06-03", "to": "2019-06-30"})) == []


def test_list_articles_pages_newest_first_and_filters_by_updated_since(
    client: TestClient, session: Session
) -> None:
    all_ids: list[int] = []
    cursor = None
    while True:
        page = client.get(
            "/v1/articles", params={"limit": 1, **({"cursor": cursor} if cursor else {})}
        ).json()
        all_ids += [item["article_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(all_ids) == len(set(all_ids)) == 3
    now = session.scalar(select(func.now()))
    assert now is not None
    fresh = add_article(session, text="Ferry services resumed on the northern coast.")
    since = client.get("/v1/articles", params={"updated_since": now.isoformat()})
    assert listed(since) == [fresh.article_id]
    assert since.json()["items"][0]["created_at"] == since.json()["items"][0]["updated_at"]
    assert client.get("/v1/articles", params={"updated_since": "yesterday"}).status_code == 422


def test_sort_updated_pages_from_the_least_recently_changed(client: TestClient, session: Session) -> None:
    fresh = add_article(session, text="The harbour reopened after the storm.")
    seen: list[int] = []
    cursor = None
    while True:
        params = {"sort": "updated", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/articles", params=params).json()
        seen += [item["article_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 4 and seen[-1] == fresh.article_id  # changed last, listed last
    newest_cursor = client.get("/v1/articles", params={"limit": 1}).json()["next_cursor"]
    assert client.get("/v1/articles", params={"sort": "updated", "cursor": newest_cursor}).status_code == 422


@pytest.mark.parametrize("value", ["0.5", "1700000000", "yesterday"])
def test_updated_since_is_an_iso_time_not_a_unix_number(client: TestClient, value: str) -> None:
    for path in ("/v1/articles", "/v1/entities", "/v1/events"):
        response = client.get(path, params={"updated_since": value})
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["loc"][:2] == ["query", "updated_since"]
    assert client.get("/v1/articles", params={"updated_since": "2026-11-30T00:00:00Z"}).status_code == 200
