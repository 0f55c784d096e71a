"""Full exports: every matching row, streamed, in ACLED's columns for CSV; ACLED's type names as filters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from db.models import EventEvidence
from tests.api.test_events import World, build_world
from tests.factories import add_article, add_entity, add_event

# The columns of ACLED's export, in its codebook's order.
ACLED_CODEBOOK_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip


def rows(response: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))  # type: ignore[attr-defined]


def test_event_export_streams_every_row_with_acled_columns_first(
    client: TestClient, session: Session
) -> None:
    world = build_world(session)
    article = add_article(session, text="Shelling hit the Qz border villages again overnight.")
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=n) for n in range(120)]
    extra = {
        add_event(session, article, event_type="remote_violence", date_start=day, country_code="QZ").event_id
        for day in days
    }
    response = client.get("/v1/events/export", params={"country": "QZ"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'
    assert "etag" not in response.headers
    header = next(csv.reader(io.StringIO(response.text)))
    assert header[: len(ACLED_CODEBOOK_COLUMNS)] == ACLED_CODEBOOK_COLUMNS
    assert header[len(ACLED_CODEBOOK_COLUMNS)] == "annals_event_id"
    exported = [int(row["annals_event_id"]) for row in rows(response)]
    listed = {world.clash, world.capture, world.protest, world.raid}  # the undated one has no country
    assert sorted(exported) == sorted(extra | {event.event_id for event in listed})  # every row, not a page
    dates = [row["event_date"] for row in rows(response)]
    assert dates == sorted(dates)  # oldest first, undated first


def test_acled_columns_are_computed_from_what_the_pipeline_knows(
    client: TestClient, session: Session
) -> None:
    article = add_article(
        session,
        source="Reuters",
        title="Fighting in Helmand",
        published_at=dt.datetime(2021, 7, 5, tzinfo=dt.UTC),
        text="Taliban fighters attacked Afghan forces in Nad Ali district on Sunday, killing at least "
        "seven soldiers. Officials said the Afghan forces pushed the attackers back.",
    )
    first, second = article.text[: article.text.index(". ") + 1], article.text[article.text.index(". ") + 2 :]
    rebels = add_entity(session, "Taliban", "group")
    army = add_entity(session, "Afghan forces", "organization")
    nad_ali = add_entity(
        session, "Nad Ali", "location", place_kind="district", country_code="AF", admin1="Helmand",
        latitude=31.6, longitude=64.2,
    )  # fmt: skip
    event = add_event(
        session,
        article,
        event_type="armed_clash",
        date_start=dt.date(2021, 7, 4),
        location=nad_ali,
        actors=(rebels,),
        targets=(army,),
        quote=first,
        fatalities=7,
        fatalities_qualifier="at_least",
    )
    session.add(
        EventEvidence(event_id=event.event_id, article_id=article.article_id, sentence_start=len(first) + 1,
                      sentence_end=len(article.text), quote=second)
    )  # fmt: skip
    session.flush()
    [row] = rows(client.get("/v1/events/export", params={"actor": str(rebels.entity_id)}))
    assert {column: row[column] for column in ACLED_CODEBOOK_COLUMNS if column != "timestamp"} == {
        "event_id_cnty": f"AFG{event.event_id}",
        "event_date": "2021-07-04",
        "year": "2021",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Taliban",
        "assoc_actor_1": "",
        "inter1": "2",
        "actor2": "Afghan forces",
        "assoc_actor_2": "",
        "inter2": "1",
        "interaction": "12",
        "civilian_targeting": "",
        "iso": "4",
        "region": "South Asia",
        "country": "Afghanistan",
        "admin1": "Helmand",
        "admin2": "Nad Ali",
        "admin3": "",
        "location": "Nad Ali",
        "latitude": "31.6",
        "longitude": "64.2",
        "geo_precision": "2",
        "source": "Reuters",
        "source_scale": "International",
        "notes": article.text,
        "fatalities": "7",
        "tags": "fatalities at least",
    }
    assert int(row["timestamp"]) > 1_700_000_000
    assert row["fatalities_reported"] == "7"


def test_ndjson_and_geojson_exports_hold_event_objects(client: TestClient, session: Session) -> None:
    world = build_world(session)
    ndjson = client.get("/v1/events/export", params={"country": "QZ", "format": "ndjson"})
    assert ndjson.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in ndjson.text.splitlines()]
    assert {item["event_id"] for item in lines} == {
        world.clash.event_id, world.capture.event_id, world.protest.event_id, world.raid.event_id,
    }  # fmt: skip
    geojson = client.get("/v1/events/export", params={"country": "QZ", "format": "geojson"})
    assert geojson.headers["content-disposition"] == 'attachment; filename="events.json"'
    body = geojson.json()
    assert body["type"] == "FeatureCollection"
    assert [feature["id"] for feature in body["features"]] == [item["event_id"] for item in lines]
    empty = client.get("/v1/events/export", params={"country": "ZZ", "format": "geojson"}).json()
    assert empty == {"type": "FeatureCollection", "features": []}


def test_acled_type_names_are_filters(client: TestClient, session: Session) -> None:
    world: World = build_world(session)

    def listed(kind: str) -> set[int]:
        response = client.get("/v1/events", params={"country": "QZ", "type": kind, "limit": 100})
        assert response.status_code == 200, response.text
        return {item["event_id"] for item in response.json()["items"]}

    battles = {world.clash.event_id, world.capture.event_id, world.raid.event_id}
    assert listed("Battles") == listed("battles") == battles
    assert listed("Armed clash") == {world.clash.event_id, world.raid.event_id}
    assert listed("Protests") == listed("Peaceful protest") == listed("protest") == {world.protest.event_id}
    assert listed("Riots") == listed("Violent demonstration") == set()
    assert client.get("/v1/events", params={"type": "Mob violence"}).status_code == 422


def test_a_riot_exports_as_acleds_violent_demonstration_by_rioters(
    client: TestClient, session: Session
) -> None:
    article = add_article(
        session, title="Riot in Norvale", text="Protesters clashed with police in Norvale on Sunday."
    )
    crowd = add_entity(session, "Norvale protesters", "group")
    police = add_entity(session, "Norvale riot police", "group")
    event = add_event(
        session, article, event_type="riot", date_start=dt.date(2021, 7, 4), country_code="QZ",
        actors=(crowd,), targets=(police,), quote=article.text,
    )  # fmt: skip
    [row] = rows(client.get("/v1/events/export", params={"type": "Riots"}))
    assert row["annals_event_id"] == str(event.event_id)
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence; Demonstrations", "Riots", "Violent demonstration"
    )  # fmt: skip
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("5", "1", "15")
    assert row["cameo_root"] == "14"


def test_article_and_entity_exports(client: TestClient, session: Session) -> None:
    build_world(session)
    articles = client.get("/v1/articles/export")
    assert articles.headers["content-disposition"] == 'attachment; filename="articles.csv"'
    exported = rows(articles)
    assert len(exported) == 5  # the three seed articles and the world's two
    wire = next(row for row in exported if row["title"] == "Fighting in Norvale")
    assert wire["source"] == "Qz Wire" and wire["text"].startswith("Zorgan Front fighters clashed")
    only = client.get("/v1/articles/export", params={"source": "qz wire", "format": "ndjson"})
    assert [json.loads(line)["title"] for line in only.text.splitlines()] == ["Fighting in Norvale"]
    places = rows(client.get("/v1/entities/export", params={"country": "QZ", "type": "location"}))
    assert sorted(row["name"] for row in places) == ["Eskar", "Norvale", "Qzland", "Tolbrook"]
    eskar = next(row for row in places if row["name"] == "Eskar")
    assert (eskar["place_kind"], eskar["admin1"], eskar["latitude"], eskar["aliases"]) == (
        "district", "Norvale", "10.5", "Eskar"
    )  # fmt: skip
    assert client.get("/v1/entities/export", params={"format": "geojson"}).status_code == 422
