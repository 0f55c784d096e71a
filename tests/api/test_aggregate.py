"""GET /v1/events/aggregate: counts and fatality sums per group agree with what /v1/events lists."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.test_events import World, build_world
from tests.factories import add_article, add_event


def listed(client: TestClient, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = client.get(
            "/v1/events", params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def aggregate(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/events/aggregate", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_totals_and_groups_equal_the_lists(client: TestClient, session: Session) -> None:
    world: World = build_world(session)
    everything = listed(client, {"country": "QZ"})
    for key, filter_name in (
        ("type", "type"),
        ("acled_type", "type"),
        ("admin1", "admin1"),
        ("actor", "actor"),
    ):
        body = aggregate(client, country="QZ", group_by=key)
        assert body["total"] == {
            "events": len(everything),
            "fatalities": sum(item["fatalities"] or 0 for item in everything),
        }
        for group in body["groups"]:
            if group[key] is None:
                continue
            same = listed(client, {"country": "QZ", filter_name: group[key]})
            assert group["events"] == len(same), (key, group)
            assert group["fatalities"] == sum(item["fatalities"] or 0 for item in same), (key, group)
        if key in ("type", "acled_type", "admin1"):  # one group per event: the groups add up to the total
            assert sum(group["events"] for group in body["groups"]) == len(everything)
    by_actor = {
        g["actor"]: (g["events"], g["fatalities"])
        for g in aggregate(client, country="QZ", group_by="actor")["groups"]
    }
    assert by_actor == {"Zorgan Front": (3, 15), "Velmár Guard": (1, 0)}  # the rejected statement left out
    assert world.rejected.status == "rejected"


def test_an_event_counts_once_per_group_whatever_its_evidence(client: TestClient, session: Session) -> None:
    build_world(session)
    echo = add_article(
        session, source="Qz Wire", text="Zorgan Front fighters clashed with the Velmar Guard again."
    )
    add_event(session, echo, event_type="armed_clash", country_code="QZ", fatalities=2)
    by_source = aggregate(client, country="QZ", group_by=["source", "type"])
    assert {"source": "Qz Wire", "type": "armed_clash", "events": 2, "fatalities": 14} in by_source["groups"]
    assert by_source["total"]["events"] == 5


def test_group_by_date_buckets_and_csv(client: TestClient, session: Session) -> None:
    build_world(session)
    body = aggregate(client, country="QZ", group_by=["date", "acled_type"], interval="month")
    assert body["interval"] == "month"
    pairs = {(g["date"], g["acled_type"]): g["events"] for g in body["groups"]}
    assert pairs == {
        ("2020-03-01", "Battles"): 2,
        ("2020-02-01", "Battles"): 1,
        ("2020-05-01", "Protests"): 1,
    }
    response = client.get(
        "/v1/events/aggregate", params={"country": "QZ", "group_by": "type", "format": "csv"}
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["type", "events", "fatalities"]
    assert sum(int(row["events"]) for row in rows) == 4
    bad = client.get("/v1/events/aggregate", params={"group_by": ["type", "type"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "group_by"]
    assert client.get("/v1/events/aggregate").status_code == 422  # group_by is required
    assert client.get("/v1/events/aggregate", params={"group_by": "colour"}).status_code == 422
