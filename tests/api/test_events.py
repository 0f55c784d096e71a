import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from api.cursors import encode_cursor
from db.models import Entity, Event, EventEvidence
from tests.factories import add_article, add_entity, add_event


@dataclass
class World:
    """Invented actors and places in the user-assigned country code QZ, away from the seed's rows."""

    zorgan: Entity
    velmar: Entity
    qzland: Entity
    norvale: Entity
    eskar: Entity
    tolbrook: Entity
    clash: Event  # 2020-03-10 at Eskar, Zorgan vs Velmar, 12 killed
    capture: Event  # March 2020 (month precision) in Norvale province, no coordinates
    protest: Event  # 2020-05-02 at Tolbrook (Southmarch province), Velmar, 0 killed
    raid: Event  # 2020-02-27 .. 2020-03-02 (range) at Eskar, Zorgan vs Velmar, 3 killed
    rejected: Event  # 2020-03-15 statement by Zorgan, rejected by a curator
    undated: Event  # no date, Zorgan


CLASH_TEXT = "Zorgan Front fighters clashed with the Velmar Guard near Eskar on Tuesday, killing 12 people."


def build_world(session: Session) -> World:
    zorgan = add_entity(session, "Zorgan Front", "group")
    velmar = add_entity(session, "Velmár Guard", "organization")
    qzland = add_entity(session, "Qzland", "location", place_kind="country", country_code="QZ")
    norvale = add_entity(
        session, "Norvale", "location", place_kind="province", country_code="QZ", admin1="Norvale"
    )
    eskar = add_entity(
        session,
        "Eskar",
        "location",
        place_kind="district",
        country_code="QZ",
        admin1="Norvale",
        latitude=10.5,
        longitude=20.25,
    )
    tolbrook = add_entity(
        session,
        "Tolbrook",
        "location",
        place_kind="city",
        country_code="QZ",
        admin1="Southmarch",
        latitude=-5.0,
        longitude=30.0,
    )
    wire = add_article(
        session,
        title="Fighting in Norvale",
        source="Qz Wire",
        published_at=dt.datetime(2020, 3, 11, tzinfo=dt.UTC),
        text=CLASH_TEXT + " Zorgan Front seized the province last month. A curfew was declared.",
    )
    other = add_article(
        session,
        title="Marchers in Tolbrook",
        published_at=dt.datetime(2020, 5, 3, tzinfo=dt.UTC),
        text="Supporters of the Velmar Guard marched through Tolbrook demanding bread. Zorgan Front raided "
        "an outpost in Eskar in late February, killing three. Zorgan Front announced a truce.",
    )
    return World(
        zorgan,
        velmar,
        qzland,
        norvale,
        eskar,
        tolbrook,
        clash=add_event(
            session,
            wire,
            event_type="armed_clash",
            date_start=dt.date(2020, 3, 10),
            location=eskar,
            actors=(zorgan,),
            targets=(velmar,),
            quote=CLASH_TEXT,
            summary="Zorgan Front clashed with Velmar Guard in Eskar",
            fatalities=12,
            fatalities_qualifier="exact",
            confidence=0.9,
        ),
        capture=add_event(
            session,
            wire,
            event_type="territory_captured",
            date_start=dt.date(2020, 3, 1),
            date_end=dt.date(2020, 3, 31),
            precision="month",
            location=norvale,
            actors=(zorgan,),
            quote="Zorgan Front seized the province last month.",
        ),
        protest=add_event(
            session,
            other,
            event_type="protest",
            date_start=dt.date(2020, 5, 2),
            location=tolbrook,
            actors=(velmar,),
            quote="Supporters of the Velmar Guard marched through Tolbrook demanding bread.",
            fatalities=0,
        ),
        raid=add_event(
            session,
            other,
            event_type="attack",
            date_start=dt.date(2020, 2, 27),
            date_end=dt.date(2020, 3, 2),
            precision="range",
            location=eskar,
            actors=(zorgan,),
            targets=(velmar,),
            quote="Zorgan Front raided an outpost in Eskar in late February, killing three.",
            fatalities=3,
            fatalities_qualifier="at_least",
        ),
        rejected=add_event(
            session,
            other,
            event_type="statement",
            date_start=dt.date(2020, 3, 15),
            actors=(zorgan,),
            quote="Zorgan Front announced a truce.",
            status="rejected",
        ),
        undated=add_event(
            session,
            wire,
            event_type="statement",
            date_start=None,
            precision="unknown",
            actors=(zorgan,),
            quote="A curfew was declared.",
        ),
    )


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["event_id"] for item in response.json()["items"]]


def assert_problem(response: Any, parameter: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"][:2] == ["query", parameter]


def test_list_events_returns_the_whole_event_with_participants_evidence_and_codings(
    client: TestClient, world: World
) -> None:
    response = client.get("/v1/events", params={"actor": "Zorgan Front", "type": "armed_clash"})
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    [item] = body["items"]
    evidence = item.pop("evidence")
    created_at, updated_at = item.pop("created_at"), item.pop("updated_at")
    assert dt.datetime.fromisoformat(created_at) <= dt.datetime.fromisoformat(updated_at)
    assert item.pop("links") == {
        "self": f"http://testserver/v1/events/{world.clash.event_id}",
        "history": f"http://testserver/v1/events/{world.clash.event_id}/history",
    }
    assert item == {
        "event_id": world.clash.event_id,
        "type": "armed_clash",
        "acled_event_type": "Battles",
        "acled_sub_event_type": "Armed clash",
        "cameo_root": "19",
        "date_start": "2020-03-10",
        "date_end": "2020-03-10",
        "date_precision": "day",
        "location": {"entity_id": world.eskar.entity_id, "name": "Eskar", "type": "location"},
        "location_text": "Eskar",
        "country_code": "QZ",
        "admin1": "Norvale",
        "latitude": 10.5,
        "longitude": 20.25,
        "geo_precision": 2,
        "fatalities": 12,
        "fatalities_qualifier": "exact",
        "people_count": None,
        "people_qualifier": None,
        "summary": "Zorgan Front clashed with Velmar Guard in Eskar",
        "confidence": 0.9,
        "status": "auto",
        "participants": [
            {
                "entity": {"entity_id": world.zorgan.entity_id, "name": "Zorgan Front", "type": "group"},
                "role": "actor",
            },
            {
                "entity": {
                    "entity_id": world.velmar.entity_id,
                    "name": "Velmár Guard",
                    "type": "organization",
                },
                "role": "target",
            },
        ],
    }
    [quote] = evidence
    assert quote == {
        "article_id": quote["article_id"],
        "title": "Fighting in Norvale",
        "source": "Qz Wire",
        "published_at": "2020-03-11T00:00:00Z",
        "link": f"http://testserver/v1/articles/{quote['article_id']}",
        "sentence_start": 0,
        "sentence_end": len(CLASH_TEXT),
        "quote": CLASH_TEXT,
    }


def test_rejected_events_are_hidden_unless_their_status_is_asked_for(
    client: TestClient, world: World
) -> None:
    everything = [world.clash, world.capture, world.raid, world.undated]
    assert ids(client.get("/v1/events", params={"actor": "Zorgan Front"})) == [e.event_id for e in everything]
    rejected = client.get("/v1/events", params={"actor": "Zorgan Front", "status": "rejected"})
    assert ids(rejected) == [world.rejected.event_id]
    both = client.get("/v1/events", params={"actor": "Zorgan Front", "status": ["verified", "rejected"]})
    assert ids(both) == [world.rejected.event_id]
    assert_problem(client.get("/v1/events", params={"status": "deleted"}), "status")


def test_from_to_match_every_event_whose_range_overlaps_the_window(client: TestClient, world: World) -> None:
    def window(**dates: str) -> list[int]:
        return ids(client.get("/v1/events", params={"participant": "Zorgan Front", **dates}))

    # The raid ran Feb 27 - Mar 2, the capture is dated to the month of March.
    assert window(**{"from": "2020-03-01", "to": "2020-03-01"}) == [
        world.capture.event_id,
        world.raid.event_id,
    ]
    assert window(to="2020-02-29") == [world.raid.event_id]
    assert window(**{"from": "2020-03-03"}) == [world.clash.event_id, world.capture.event_id]
    assert window(**{"from": "2020-04-01"}) == []
    assert_problem(client.get("/v1/events", params={"from": "2020-03-02", "to": "2020-03-01"}), "from")
    assert_problem(client.get("/v1/events", params={"from": "2020-02-30"}), "from")


def test_type_filter_is_repeatable_and_validated(client: TestClient, world: World) -> None:
    response = client.get("/v1/events", params={"country": "QZ", "type": ["protest", "attack"]})
    assert ids(response) == [world.protest.event_id, world.raid.event_id]
    bad = client.get("/v1/events", params={"type": ["protest", "coup"]})
    assert_problem(bad, "type")
    assert "coup" in bad.json()["detail"]


def test_actor_target_and_participant_take_ids_or_names_accent_and_case_insensitively(
    client: TestClient, world: World
) -> None:
    velmar = world.velmar
    assert ids(client.get("/v1/events", params={"target": "VELMAR guard"})) == [
        world.clash.event_id,
        world.raid.event_id,
    ]
    assert ids(client.get("/v1/events", params={"actor": str(velmar.entity_id)})) == [world.protest.event_id]
    assert ids(client.get("/v1/events", params={"participant": "velmár guard"})) == [
        world.protest.event_id,
        world.clash.event_id,
        world.raid.event_id,
    ]
    both = {"actor": "Zorgan Front", "target": "Velmar Guard"}
    assert ids(client.get("/v1/events", params=both)) == [world.clash.event_id, world.raid.event_id]
    either = {"actor": ["Velmar Guard", str(world.zorgan.entity_id)], "country": "QZ", "type": "protest"}
    assert ids(client.get("/v1/events", params=either)) == [world.protest.event_id]
    assert ids(client.get("/v1/events", params={"actor": "Nobody Known"})) == []
    for not_an_id in ("99999999999999999999", "²"):
        assert ids(client.get("/v1/events", params={"actor": not_an_id})) == []


def test_a_province_or_country_location_covers_the_events_inside_it(client: TestClient, world: World) -> None:
    in_norvale = [world.clash.event_id, world.capture.event_id, world.raid.event_id]
    assert ids(client.get("/v1/events", params={"location": "Norvale"})) == in_norvale
    assert ids(client.get("/v1/events", params={"location": str(world.eskar.entity_id)})) == [
        world.clash.event_id,
        world.raid.event_id,
    ]
    assert ids(client.get("/v1/events", params={"location": ["Tolbrook", "Eskar"]})) == [
        world.protest.event_id,
        world.clash.event_id,
        world.raid.event_id,
    ]
    assert ids(client.get("/v1/events", params={"location": "qzland"})) == [
        world.protest.event_id,
        *in_norvale,
    ]
    assert ids(client.get("/v1/events", params={"location": "Zorgan Front"})) == []


def test_country_and_admin1_are_case_insensitive(client: TestClient, world: World) -> None:
    assert ids(client.get("/v1/events", params={"country": "qz", "admin1": "SOUTHMARCH"})) == [
        world.protest.event_id
    ]
    assert ids(client.get("/v1/events", params={"country": ["ZZ", "Qz"], "type": "armed_clash"})) == [
        world.clash.event_id
    ]
    for bad in ("QZZ", "Q", "1Z"):
        assert_problem(client.get("/v1/events", params={"country": bad}), "country")


def test_bbox_keeps_the_events_whose_point_lies_inside(client: TestClient, world: World) -> None:
    around_eskar = {"bbox": "20,10,21,11", "country": "QZ"}
    assert ids(client.get("/v1/events", params=around_eskar)) == [world.clash.event_id, world.raid.event_id]
    both = {"bbox": "0,-10,40,20", "country": "QZ"}
    assert ids(client.get("/v1/events", params=both)) == [
        world.protest.event_id,
        world.clash.event_id,
        world.raid.event_id,
    ]
    across_antimeridian = {"bbox": "25,-90,-170,90", "country": "QZ"}
    assert ids(client.get("/v1/events", params=across_antimeridian)) == [world.protest.event_id]
    for bad in ("1,2,3", "a,b,c,d", "1,2,3,4,5", "0,20,10,10", "-181,0,0,1", "0,-91,1,1", "nan,0,1,1"):
        assert_problem(client.get("/v1/events", params={"bbox": bad}), "bbox")


def test_min_fatalities_and_q(client: TestClient, world: World) -> None:
    params = {"country": "QZ", "min_fatalities": 3}
    assert ids(client.get("/v1/events", params=params)) == [world.clash.event_id, world.raid.event_id]
    assert ids(client.get("/v1/events", params={"country": "QZ", "min_fatalities": 0})) == [
        world.protest.event_id,
        world.clash.event_id,
        world.raid.event_id,
    ]
    assert_problem(client.get("/v1/events", params={"min_fatalities": -1}), "min_fatalities")
    assert ids(client.get("/v1/events", params={"q": "bread", "country": "QZ"})) == [world.protest.event_id]
    assert ids(client.get("/v1/events", params={"q": "raided OR marched", "country": "QZ"})) == [
        world.protest.event_id,
        world.raid.event_id,
    ]
    assert ids(client.get("/v1/events", params={"q": "killing -bread", "country": "QZ"})) == [
        world.clash.event_id,
        world.raid.event_id,
    ]
    # The clash's summary has this phrase, its quote does not ("clashed with the Velmar Guard"):
    # only the reporting sentences are searched.
    assert ids(client.get("/v1/events", params={"q": '"clashed with Velmar Guard"', "country": "QZ"})) == []


def test_sort_orders_and_their_null_placement(client: TestClient, world: World) -> None:
    zorgan = {"actor": "Zorgan Front"}
    clash, capture, raid, undated = world.clash, world.capture, world.raid, world.undated
    newest = [clash.event_id, capture.event_id, raid.event_id, undated.event_id]
    assert ids(client.get("/v1/events", params=zorgan)) == newest
    assert ids(client.get("/v1/events", params={**zorgan, "sort": "date"})) == newest
    oldest = [undated.event_id, raid.event_id, capture.event_id, clash.event_id]
    assert ids(client.get("/v1/events", params={**zorgan, "sort": "date_asc"})) == oldest
    deadliest = [clash.event_id, raid.event_id, undated.event_id, capture.event_id]
    assert ids(client.get("/v1/events", params={**zorgan, "sort": "fatalities"})) == deadliest
    assert_problem(client.get("/v1/events", params={"sort": "relevance"}), "sort")


def every_page(client: TestClient, params: dict[str, Any]) -> Iterator[list[int]]:
    cursor = None
    while True:
        response = client.get("/v1/events", params={**params, **({"cursor": cursor} if cursor else {})})
        yield ids(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return


@pytest.mark.parametrize("sort", ["date", "date_asc", "fatalities"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cursor_pages_visit_every_event_once(
    client: TestClient, session: Session, world: World, sort: str, limit: int
) -> None:
    article = add_article(session, text="Zorgan Front fighters clashed again near Eskar.")
    for n in range(4):  # ties on date and on fatalities, broken by event_id
        add_event(
            session,
            article,
            date_start=dt.date(2020, 3, 10),
            actors=(world.zorgan,),
            fatalities=12 if n % 2 else None,
        )
    params = {"participant": "Zorgan Front", "sort": sort}
    whole = ids(client.get("/v1/events", params={**params, "limit": 100}))
    pages = list(every_page(client, {**params, "limit": limit}))
    assert [event_id for page in pages for event_id in page] == whole
    assert len(whole) == 8 and len(set(whole)) == 8
    assert all(len(page) == limit for page in pages[:-1])


def test_bad_cursors_and_limits_are_422_naming_them(client: TestClient, world: World) -> None:
    first = client.get("/v1/events", params={"actor": "Zorgan Front", "limit": 1}).json()
    other_sort = {"actor": "Zorgan Front", "sort": "fatalities", "cursor": first["next_cursor"]}
    assert_problem(client.get("/v1/events", params=other_sort), "cursor")
    assert_problem(client.get("/v1/events", params={"cursor": "not-a-cursor"}), "cursor")
    for forged in (["2020-13-01", 5], ["2020-01-01", 2**63], ["2020-01-01", 0]):
        assert_problem(
            client.get("/v1/events", params={"cursor": encode_cursor("events:date", forged)}), "cursor"
        )
    assert_problem(
        client.get(
            "/v1/events",
            params={"cursor": encode_cursor("events:fatalities", [2**40, 1]), "sort": "fatalities"},
        ),
        "cursor",
    )
    for limit in (0, 101):
        assert_problem(client.get("/v1/events", params={"limit": limit}), "limit")
    assert_problem(client.get("/v1/events", params={"format": "xml"}), "format")


def test_geojson_is_a_feature_collection_of_points_in_lon_lat_order(client: TestClient, world: World) -> None:
    params = {"actor": "Zorgan Front", "format": "geojson", "limit": 3}
    response = client.get("/v1/events", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [feature["id"] for feature in body["features"]] == [
        world.clash.event_id,
        world.capture.event_id,
        world.raid.event_id,
    ]
    clash, capture, raid = body["features"]
    assert clash["type"] == "Feature"
    assert clash["geometry"] == {"type": "Point", "coordinates": [20.25, 10.5]}
    assert capture["geometry"] is None
    assert raid["geometry"] == {"type": "Point", "coordinates": [20.25, 10.5]}
    assert clash["properties"]["type"] == "armed_clash"
    assert clash["properties"]["acled_event_type"] == "Battles"
    assert clash["properties"]["participants"][0]["entity"]["name"] == "Zorgan Front"
    assert body["next_cursor"]
    link = response.headers["link"]
    assert link.startswith("<http://testserver/v1/events?") and link.endswith('>; rel="next"')
    assert f"cursor={body['next_cursor']}" in link
    rest = client.get(link[1 : link.index(">")]).json()
    assert [feature["id"] for feature in rest["features"]] == [world.undated.event_id]
    assert rest["next_cursor"] is None


def test_a_csv_page_has_acled_columns_and_a_next_link(client: TestClient, world: World) -> None:
    response = client.get("/v1/events", params={"target": "Velmar Guard", "format": "csv", "limit": 1})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'rel="next"' in response.headers["link"]
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert (row["event_id_cnty"], row["annals_event_id"]) == (
        f"QZ{world.clash.event_id}",
        str(world.clash.event_id),
    )
    assert (row["event_type"], row["sub_event_type"], row["annals_type"]) == (
        "Battles",
        "Armed clash",
        "armed_clash",
    )
    assert (row["actor1"], row["actor2"], row["location"], row["fatalities"]) == (
        "Zorgan Front",
        "Velmár Guard",
        "Eskar",
        "12",
    )
    assert row["notes"] == CLASH_TEXT


def test_get_event_lists_every_evidence_sentence_with_its_article(
    client: TestClient, session: Session, world: World
) -> None:
    later = add_article(
        session,
        title="Norvale clash, a week on",
        source="Southmarch Daily",
        published_at=dt.datetime(2020, 3, 17, 8, 30, tzinfo=dt.UTC),
        text="A week ago, Zorgan Front fighters clashed with the Velmar Guard near Eskar.",
    )
    session.add(
        EventEvidence(
            event_id=world.clash.event_id,
            article_id=later.article_id,
            sentence_start=0,
            sentence_end=len(later.text),
            quote=later.text,
        )
    )
    session.flush()
    response = client.get(f"/v1/events/{world.clash.event_id}")
    assert response.status_code == 200
    assert response.headers["etag"].startswith(f'"event-{world.clash.event_id}-r1-')
    evidence = response.json()["evidence"]
    assert [(e["title"], e["source"], e["published_at"]) for e in evidence] == [
        ("Fighting in Norvale", "Qz Wire", "2020-03-11T00:00:00Z"),
        ("Norvale clash, a week on", "Southmarch Daily", "2020-03-17T08:30:00Z"),
    ]
    assert evidence[1] == {
        "article_id": later.article_id,
        "title": "Norvale clash, a week on",
        "source": "Southmarch Daily",
        "published_at": "2020-03-17T08:30:00Z",
        "link": f"http://testserver/v1/articles/{later.article_id}",
        "sentence_start": 0,
        "sentence_end": len(later.text),
        "quote": later.text,
    }
    article = client.get(evidence[1]["link"]).json()
    assert article["text"][evidence[1]["sentence_start"] : evidence[1]["sentence_end"]] == later.text


def test_a_rejected_event_is_still_readable_by_id(client: TestClient, world: World) -> None:
    body = client.get(f"/v1/events/{world.rejected.event_id}").json()
    assert (body["status"], body["type"], body["cameo_root"]) == ("rejected", "statement", "01")


def test_unknown_event_is_a_404_problem_and_a_bad_id_a_422(client: TestClient) -> None:
    response = client.get("/v1/events/999999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://annals.dev/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No event with id 999999999.",
        "instance": "/v1/events/999999999",
    }
    for bad in ("0", "99999999999999999999"):
        response = client.get(f"/v1/events/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["loc"] == ["path", "event_id"]
    not_an_id = client.get("/v1/events/abc")  # ids are digits: no such path
    assert not_an_id.status_code == 404
    assert not_an_id.headers["content-type"] == "application/problem+json"


def test_a_page_is_the_same_statements_whatever_its_size(
    client: TestClient, connection: Connection, world: World
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(connection, "before_cursor_execute", count)
    try:
        client.get("/v1/events", params={"participant": "Zorgan Front", "limit": 1})
        small = len(statements)
        statements.clear()
        client.get("/v1/events", params={"participant": "Zorgan Front", "limit": 5})
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len(statements) == small
    # the participant's name resolved, the page's events chosen, then read by id with their places,
    # participants and evidence (a plan kept for the last: db.engine.keyed_reads)
    assert len(statements) == 3
    assert "FROM event_participant JOIN entity" not in statements[1]
    assert "FROM event_participant JOIN entity" in statements[2]
    assert "FROM event_evidence JOIN article" in statements[2]
    assert "event.event_id = ANY" in statements[2]


def test_the_seed_panjwai_capture_is_listed_in_kandahar(client: TestClient) -> None:
    params = {"type": "territory_captured", "location": "Panjwai", "from": "2021-07-04", "to": "2021-07-04"}
    [item] = client.get("/v1/events", params=params).json()["items"]
    assert (item["date_start"], item["date_precision"], item["country_code"], item["admin1"]) == (
        "2021-07-04",
        "day",
        "AF",
        "Kandahar",
    )
    assert "Taliban" in [p["entity"]["name"] for p in item["participants"] if p["role"] == "actor"]
    assert "Panjwai" in item["evidence"][0]["quote"]


def test_seed_captures_in_afghanistan_are_listed_with_their_evidence(client: TestClient) -> None:
    params = {"type": "territory_captured", "country": "AF", "limit": 100}
    items = client.get("/v1/events", params=params).json()["items"]
    places = {(item["location"]["name"], item["date_start"]) for item in items if item["location"]}
    assert {("Panjwai", "2021-07-04"), ("Khanashin", "2016-03-15"), ("Khanashin", "2015-12-01")} <= places
    for item in items:
        assert item["country_code"] == "AF"
        assert item["evidence"], item["event_id"]
        for evidence in item["evidence"]:
            assert evidence["link"] == f"http://testserver/v1/articles/{evidence['article_id']}"
    quotes = [e["quote"] for item in items for e in item["evidence"]]
    assert any(quote.startswith("The fall of Panjwai district on Sunday") for quote in quotes)
    assert any(quote.startswith("The Khanashin district in Helmand fell to the Taliban") for quote in quotes)


def test_seed_geojson_has_coordinates_for_every_geocoded_event(client: TestClient) -> None:
    response = client.get("/v1/events", params={"format": "geojson", "limit": 100})
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    listed = client.get("/v1/events", params={"limit": 100}).json()["items"]
    geocoded = {item["event_id"] for item in listed if item["latitude"] is not None}
    assert geocoded
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        props = feature["properties"]
        if props["event_id"] in geocoded:
            lon, lat = feature["geometry"]["coordinates"]
            assert feature["geometry"]["type"] == "Point"
            assert (lon, lat) == (props["longitude"], props["latitude"])
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        else:
            assert feature["geometry"] is None
    assert {f["properties"]["event_id"] for f in collection["features"]} == {
        item["event_id"] for item in listed
    }


def test_geo_precision_follows_the_kind_of_the_events_place(client: TestClient, world: World) -> None:
    precision = {
        item["event_id"]: item["geo_precision"] for item in client.get("/v1/events?limit=100").json()["items"]
    }
    assert precision[world.clash.event_id] == 2  # a district
    assert precision[world.protest.event_id] == 1  # a city
    assert precision[world.capture.event_id] == 3  # a province
    assert precision[world.undated.event_id] is None  # no place


def test_min_confidence_filters_events_search_and_timeline(client: TestClient, world: World) -> None:
    """In Qzland only the clash has confidence 0.9; the factory gives the others 0.8."""
    confident = {"min_confidence": 0.85, "country": "QZ"}
    events = client.get("/v1/events", params=confident).json()["items"]
    assert [item["event_id"] for item in events] == [world.clash.event_id]
    assert len(client.get("/v1/events", params={"country": "QZ"}).json()["items"]) == 4
    hits = client.get("/v1/search", params=confident).json()["items"]
    assert [hit["title"] for hit in hits] == ["Fighting in Norvale"]
    timeline = client.get("/v1/timeline", params=confident | {"interval": "year"}).json()
    assert [(b["start"], b["value"]) for b in timeline["series"][0]["buckets"]] == [("2020-01-01", 1)]


@pytest.mark.parametrize("value", ["-0.1", "1.5", "high"])
def test_min_confidence_outside_zero_to_one_is_a_422_naming_it(
    client: TestClient, world: World, value: str
) -> None:
    response = client.get("/v1/events", params={"min_confidence": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][:2] == ["query", "min_confidence"]


def test_updated_since_and_sort_updated_page_through_what_changed(
    client: TestClient, session: Session, world: World
) -> None:
    now = session.scalar(select(func.now()))
    assert now is not None
    changed = ids(client.get("/v1/events", params={"updated_since": now.isoformat(), "sort": "updated"}))
    assert set(changed) == {world.clash.event_id, world.capture.event_id, world.protest.event_id,
                            world.raid.event_id, world.undated.event_id}  # fmt: skip
    assert changed == sorted(changed)  # one transaction: same updated_at, ties by id
    seen, cursor = [], None
    while True:
        params = {"updated_since": now.isoformat(), "sort": "updated", "limit": 2}
        page = client.get("/v1/events", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["event_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == changed
    assert ids(client.get("/v1/events", params={"updated_since": "2999-01-01T00:00:00Z"})) == []
