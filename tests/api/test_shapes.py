"""Compact responses: gzip when the client accepts it, and `fields=` to keep only some fields of a list."""

from __future__ import annotations

import gzip
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.test_events import build_world


def test_large_responses_are_gzipped_for_clients_that_accept_it(client: TestClient) -> None:
    compressed = client.get("/v1/events", params={"limit": 50}, headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip"
    plain = client.get("/v1/events", params={"limit": 50}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert compressed.json() == plain.json()
    assert len(gzip.compress(plain.content)) < len(plain.content) / 2
    assert compressed.headers["etag"] == plain.headers["etag"]
    again = client.get(
        "/v1/events",
        params={"limit": 50},
        headers={"Accept-Encoding": "gzip", "If-None-Match": compressed.headers["etag"]},
    )
    assert again.status_code == 304
    export = client.get("/v1/events/export", headers={"Accept-Encoding": "gzip"})
    assert export.headers["content-encoding"] == "gzip"
    assert export.text.startswith("event_id_cnty,")
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_fields_keeps_only_the_named_fields_of_each_item(client: TestClient, session: Session) -> None:
    build_world(session)
    page = client.get(
        "/v1/events", params={"country": "QZ", "fields": "event_id, type,fatalities", "limit": 2}
    )
    assert page.status_code == 200
    body = page.json()
    assert [set(item) for item in body["items"]] == [{"event_id", "type", "fatalities"}] * 2
    assert body["next_cursor"]
    rest = client.get(
        "/v1/events", params={"country": "QZ", "fields": "event_id", "cursor": body["next_cursor"]}
    )
    assert [set(item) for item in rest.json()["items"]] == [{"event_id"}] * 2
    articles = client.get("/v1/articles", params={"fields": "article_id,external_id"}).json()
    assert all(set(item) == {"article_id", "external_id"} for item in articles["items"])
    entities = client.get("/v1/entities", params={"q": "Zorgan", "fields": "entity_id,name"}).json()
    assert entities["items"][0] == {"entity_id": entities["items"][0]["entity_id"], "name": "Zorgan Front"}
    unknown = client.get("/v1/events", params={"fields": "event_id,colour"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["query", "fields"]


def test_entities_articles_and_events_carry_absolute_links(client: TestClient, session: Session) -> None:
    world = build_world(session)
    zorgan = client.get(f"/v1/entities/{world.zorgan.entity_id}").json()
    links = zorgan["links"]
    assert links["self"] == f"http://testserver/v1/entities/{world.zorgan.entity_id}"
    assert {item["event_id"] for item in client.get(links["events"]).json()["items"]} >= {
        world.clash.event_id
    }
    assert client.get(links["articles"]).status_code == 200
    assert client.get(links["timeline"]).json()["series"][0]["entity"]["name"] == "Zorgan Front"
    listed = client.get("/v1/entities", params={"q": "Zorgan"}).json()["items"][0]
    assert listed["links"] == links
    event = client.get(f"/v1/events/{world.clash.event_id}").json()
    assert client.get(event["links"]["self"]).json()["event_id"] == world.clash.event_id
    article = client.get(event["evidence"][0]["link"]).json()
    assert article["links"]["self"] == event["evidence"][0]["link"]
    reported = client.get(article["links"]["events"]).json()["items"]
    assert {item["event_id"] for item in reported} == {world.clash.event_id, world.capture.event_id,
                                                       world.undated.event_id}  # fmt: skip
    forwarded = client.get(f"/v1/events/{world.clash.event_id}", headers={"Host": "annals.example.org"})
    assert forwarded.json()["links"]["self"].startswith("http://annals.example.org/v1/events/")


def test_the_docs_name_the_fields_each_list_takes(client: TestClient, session: Session) -> None:
    build_world(session)
    spec = client.get("/openapi.json").json()
    for path, example, unknown in [
        ("/v1/articles", "article_id,title,published_at", "event_id"),
        ("/v1/entities", "entity_id,name,type", "date_start"),
        ("/v1/events", "event_id,type,date_start", "article_id"),
    ]:
        parameter = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "fields")
        assert parameter["schema"]["examples"] == [example]
        pattern = parameter["schema"]["pattern"]
        for value, status in [
            (example, 200),
            (f" {example}, ,", 200),
            (f"{example},{unknown}", 422),
            (",", 422),
            (example.replace(",", " "), 422),
            (example.replace(",", ",\t"), 422),
        ]:
            assert (re.search(pattern, value) is not None) == (status == 200), (path, value)
            response = client.get(path, params={"fields": value})
            assert response.status_code == status, (path, value)
            if status == 422:
                assert response.json()["errors"][0]["loc"] == ["query", "fields"]
