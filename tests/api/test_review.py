import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Entity, Event, EventEvidence
from tests.api.test_curation import bearer
from tests.factories import add_article, add_entity, add_event


def queue(client: TestClient, **params: object) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/v1/review", params={"limit": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()["items"]  # type: ignore[no-any-return]


def test_low_confidence_events_touching_more_articles_come_first(
    client: TestClient, session: Session
) -> None:
    place = add_entity(session, "Ostra", "location")
    one = add_article(session, text="Rebels shelled the port of Ostra on Friday, residents said.")
    two = add_article(session, text="The port of Ostra came under shelling on Friday, officials said.")
    widely_told = add_event(session, one, event_type="attack", location=place, confidence=0.5)
    add_event(session, two, event_type="attack", location=place, confidence=0.5, quote=two.text[:40])
    # the first event is told by the second article too
    session.add(
        EventEvidence(
            event_id=widely_told.event_id,
            article_id=two.article_id,
            sentence_start=0,
            sentence_end=20,
            quote=two.text[:20],
        )
    )
    session.flush()
    items = queue(client, kind="low_confidence", below=0.6)
    assert [item["articles"] for item in items] == sorted((item["articles"] for item in items), reverse=True)
    assert items[0]["events"][0]["event_id"] == widely_told.event_id and items[0]["articles"] == 2
    assert all(item["events"][0]["confidence"] < 0.6 for item in items)
    seed_low = queue(client, kind="low_confidence", below=0.7)
    assert any(item["events"][0]["confidence"] == 0.65 for item in seed_low)  # NATO's pull-out, undated place


def test_events_whose_evidence_disagrees(client: TestClient, session: Session) -> None:
    place = add_entity(session, "Ostra", "location")
    first = add_article(session, text="A car bomb in Ostra killed 12 people on Monday, police said.")
    second = add_article(session, text="The Ostra car bomb on Monday killed 15, a hospital official said.")
    day = dt.date(2022, 5, 2)
    low = add_event(
        session, first, event_type="remote_violence", location=place, date_start=day, fatalities=12
    )
    high = add_event(
        session, second, event_type="remote_violence", location=place, date_start=day, fatalities=15
    )
    items = queue(client, kind="disagreeing_evidence")  # the seed corpus may hold such pairs too
    [item] = [i for i in items if {e["event_id"] for e in i["events"]} & {low.event_id, high.event_id}]
    assert {event["event_id"] for event in item["events"]} == {low.event_id, high.event_id}
    assert item["reason"] == "Two remote_violence events disagree on tolls."


def test_entities_that_look_like_duplicates(client: TestClient, session: Session) -> None:
    add_entity(session, "Biden", "person")  # as a load before cross-article linking left it
    add_entity(session, "Okafor", "person")
    add_entity(session, "Chidi Okafor", "person")
    items = queue(client, kind="duplicate_entities")
    pairs = {frozenset(entity["name"] for entity in item["entities"]): item["reason"] for item in items}
    assert pairs[frozenset({"Biden", "Joe Biden"})] == "Both known as: Biden."
    assert pairs[frozenset({"Okafor", "Chidi Okafor"})] == "Same surname: Okafor."
    assert frozenset({"Kandahar"}) not in pairs  # the city and the province are two places
    add_entity(session, "Soviet Union", "location", place_kind="country")
    ussr = add_entity(session, "USSR", "location", place_kind="country")
    from db.writes import add_aliases

    add_aliases(session, ussr.entity_id, ["Soviet Union"])
    add_entity(session, "OPEC", "organization")
    add_entity(session, "OPEC", "group")
    pairs = {
        frozenset(entity["name"] for entity in item["entities"]): item["reason"]
        for item in queue(client, kind="duplicate_entities")
    }
    assert pairs[frozenset({"Soviet Union", "USSR"})] == "Both known as: Soviet Union."
    assert pairs[frozenset({"OPEC"})] == "Same name, different types: OPEC."


def test_bulk_decisions_with_one_if_match_each_and_an_audit_trail(
    client: TestClient, session: Session
) -> None:
    items = queue(client, kind="low_confidence", below=1.0)
    events = [item["events"][0] for item in items[:3]]
    assert len(events) == 3
    decisions = [
        {"event_id": events[0]["event_id"], "if_match": events[0]["etag"], "status": "verified"},
        {"event_id": events[1]["event_id"], "if_match": events[1]["etag"], "status": "rejected"},
        {
            "event_id": events[2]["event_id"],
            "if_match": f'"event-{events[2]["event_id"]}-r9"',
            "status": "verified",
        },
        {"event_id": 999_999, "if_match": '"event-999999-r1"', "status": "verified"},
    ]
    assert client.post("/v1/review/decisions", json={"decisions": decisions}).status_code == 401
    headers = bearer(session, "write", "curator-anna")
    response = client.post("/v1/review/decisions", json={"decisions": decisions}, headers=headers)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [200, 200, 412, 404]
    assert results[0]["etag"] == f'"event-{events[0]["event_id"]}-r2"'
    statuses = dict(
        session.execute(
            select(Event.event_id, Event.status).where(Event.event_id.in_([e["event_id"] for e in events]))
        ).all()
    )
    assert [statuses[e["event_id"]] for e in events] == ["verified", "rejected", "auto"]
    [entry] = client.get(f"/v1/events/{events[1]['event_id']}/history").json()["items"]
    assert (entry["actor"], entry["action"]) == ("curator-anna", "rejected")
    remaining = {item["events"][0]["event_id"] for item in queue(client, kind="low_confidence", below=1.0)}
    assert events[0]["event_id"] not in remaining and events[2]["event_id"] in remaining


def test_the_queue_pages(client: TestClient, session: Session) -> None:
    add_entity(session, "Biden", "person")
    add_entity(session, "NATO", "group")
    first = client.get("/v1/review", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get("/v1/review", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert second["items"] and second["items"][0] != first["items"][0]
    other_kind = client.get(
        "/v1/review", params={"limit": 2, "kind": "low_confidence", "cursor": first["next_cursor"]}
    )
    assert other_kind.status_code == 422
    assert session.scalar(select(Entity.entity_id).limit(1)) is not None
