import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.entity_curation import EntityChanges, merge_entities, update_entity
from db.models import Entity, Event
from tests.factories import add_article, add_entity, add_event


def place_id(session: Session, name: str) -> int:
    entity_id = session.scalar(
        select(Entity.entity_id).where(Entity.name == name, Entity.entity_type == "location")
    )
    assert entity_id is not None, name
    return entity_id


def names(entities: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [entity["name"] for entity in entities]


def test_khanashin_fell_was_regained_and_fell_again(client: TestClient, session: Session) -> None:
    response = client.get(f"/v1/places/{place_id(session, 'Khanashin')}/control")
    assert response.status_code == 200
    body = response.json()
    assert body["place"]["name"] == "Khanashin" and body["location"]["admin1"] == "Helmand"
    periods = body["periods"]
    assert [(p["from"], p["from_precision"], p["to"], names(p["controller"])) for p in periods] == [
        ("2015-12-01", "month", "2015-12-01", ["Taliban"]),
        ("2015-12-01", "month", "2016-03-15", ["government forces"]),
        ("2016-03-15", "day", None, ["Taliban"]),
    ]
    assert periods[0]["opened_by"]["type"] == "territory_captured"
    assert periods[0]["closed_by"]["type"] == "territory_regained"
    assert periods[1]["closed_by"]["event_id"] == periods[2]["opened_by"]["event_id"]
    assert periods[0]["opened_by"]["evidence"][0]["quote"].startswith(
        "Khanashin briefly fell to Taliban insurgents"
    )
    assert any(
        e["quote"].startswith("The Khanashin district in Helmand fell to the Taliban")
        for e in periods[2]["opened_by"]["evidence"]
    )
    assert names(periods[2]["lost_by"]) == ["Afghan troops"]
    assert all(p["conflicting_reports"] == [] for p in periods)


def test_panjwai_fell_to_the_taliban_on_4_july_2021(client: TestClient, session: Session) -> None:
    [period] = client.get(f"/v1/places/{place_id(session, 'Panjwai')}/control").json()["periods"]
    assert (period["from"], period["to"], names(period["controller"])) == ("2021-07-04", None, ["Taliban"])
    assert period["opened_by"]["evidence"][0]["quote"].startswith("The fall of Panjwai district on Sunday")


def test_who_controlled_each_afghan_place_on_a_day(client: TestClient, session: Session) -> None:
    body = client.get("/v1/control", params={"country": "af", "date": "2021-07-31"}).json()
    assert body["country"] == "AF"
    held = {
        item["place"]["name"]: (names(item["period"]["controller"]), item["period"]["from"])
        for item in body["items"]
    }
    assert held["Panjwai"] == (["Taliban"], "2021-07-04")
    assert held["Khanashin"] == (["Taliban"], "2016-03-15")
    assert held["Musa Qala"] == (
        ["Taliban"],
        "2016-02-01",
    )  # the army and police withdrew, leaving it to them
    assert held["Bagram Air Base"][0] == []  # the withdrawal does not say who took over
    assert "Afghanistan" not in held  # "captured 11 districts in the country" is not the country
    earlier = client.get("/v1/control", params={"country": "AF", "date": "2016-01-15"}).json()
    before = {item["place"]["name"]: names(item["period"]["controller"]) for item in earlier["items"]}
    assert before == {"Khanashin": ["government forces"]}


def test_control_as_geojson_for_a_map(client: TestClient, session: Session) -> None:
    params = {"country": "AF", "date": "2021-07-31", "format": "geojson"}
    response = client.get("/v1/control", params=params)
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [panjwai] = [f for f in collection["features"] if f["properties"]["place"] == "Panjwai"]
    assert (
        panjwai["properties"]["controller"] == ["Taliban"] and panjwai["properties"]["since"] == "2021-07-04"
    )
    lon, lat = panjwai["geometry"]["coordinates"]  # a gazetteer centroid: somewhere in Kandahar province
    assert panjwai["geometry"]["type"] == "Point" and 65 < lon < 67 and 30.5 < lat < 32.5
    changes = EntityChanges(latitude=31.54, longitude=65.46, set_fields={"latitude", "longitude"})
    update_entity(session, panjwai["id"], changes, actor="curator", expected_revision=1)
    [located] = [
        f for f in client.get("/v1/control", params=params).json()["features"] if f["id"] == panjwai["id"]
    ]
    assert located["geometry"] == {"type": "Point", "coordinates": [65.46, 31.54]}


def test_rejected_events_close_no_period_and_other_articles_that_disagree_are_conflicts(
    client: TestClient, session: Session
) -> None:
    khanashin = session.get(Entity, place_id(session, "Khanashin"))
    assert khanashin is not None
    latest = session.scalar(
        select(Event).where(
            Event.location_entity_id == khanashin.entity_id, Event.date_start == dt.date(2016, 3, 15)
        )
    )
    assert latest is not None
    latest.status = "rejected"
    army = add_entity(session, "Afghan National Army forces", "group")
    article = add_article(
        session, text="Afghan National Army forces retook Khanashin district on Wednesday, officials said."
    )
    add_event(
        session,
        article,
        event_type="territory_regained",
        date_start=dt.date(2015, 12, 16),
        precision="day",
        location=khanashin,
        actors=(army,),
    )
    session.flush()
    periods = client.get(f"/v1/places/{khanashin.entity_id}/control").json()["periods"]
    assert [names(p["controller"]) for p in periods] == [
        ["Taliban"],
        ["government forces"],
        ["Afghan National Army forces"],
    ]
    # the December capture (a month) overlaps the report from another article that the army retook it
    assert [names(c["controller"]) for c in periods[0]["conflicting_reports"]] == [
        ["Afghan National Army forces"]
    ]
    assert periods[2]["to"] is None


def test_a_place_is_a_location_and_a_merged_place_redirects(client: TestClient, session: Session) -> None:
    taliban = session.scalar(select(Entity.entity_id).where(Entity.name == "Taliban"))
    assert client.get(f"/v1/places/{taliban}/control").status_code == 404
    duplicate = add_entity(session, "Panjwayi", "location")
    merge_entities(
        session, duplicate.entity_id, place_id(session, "Panjwai"), actor="curator", expected_revision=1
    )
    moved = client.get(f"/v1/places/{duplicate.entity_id}/control", follow_redirects=False)
    assert moved.status_code == 308
    assert moved.headers["location"] == f"/v1/places/{place_id(session, 'Panjwai')}/control"
