"""The change feed: a client that mirrors the corpus through /v1/changes ends identical to the server.

These tests commit for real, from several connections, in a database of their own: the feed only
shows committed transactions, so the rolled-back transaction of the other tests would show nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, update
from sqlalchemy.orm import Session

from api.app import create_app
from api.settings import Settings
from db.api_keys import create_api_key
from db.changes import record_merge
from db.migrations import upgrade_to_head
from db.models import Entity, EventParticipant, Mention
from tests.conftest import drop_database, recreate_database
from tests.factories import add_article, add_entity, add_event


@pytest.fixture
def scratch_url(base_url: str) -> Iterator[str]:
    name = f"annals_feed_{os.getpid()}"
    url = recreate_database(base_url, name)
    upgrade_to_head(url)
    yield url
    drop_database(base_url, name)


@pytest.fixture
def api(scratch_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=scratch_url, _env_file=None))  # type: ignore[call-arg]
    with TestClient(app) as client:
        yield client


class Mirror:
    """What a front-end keeps: every visible record by (kind, id), fed only by /v1/changes."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.records: dict[tuple[str, int], dict[str, Any]] = {}
        self.redirects: dict[int, int] = {}
        self.cursor: str | None = None

    def sync(self) -> int:
        applied = 0
        while True:
            params = {"limit": 5, **({"cursor": self.cursor} if self.cursor else {})}
            response = self.client.get("/v1/changes", params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            for item in page["items"]:
                key = (item["kind"], item["id"])
                if item["operation"] == "upsert":
                    self.records[key] = item["record"]
                else:
                    self.records.pop(key, None)
                    if item["reason"] == "merged":
                        self.redirects[item["id"]] = item["redirect_to"]
                applied += 1
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return applied


def server_state(client: TestClient) -> dict[tuple[str, int], dict[str, Any]]:
    """Every record the lists serve, paged to the end."""
    state = {}
    for kind, path, key in (
        ("article", "/v1/articles", "article_id"),
        ("entity", "/v1/entities", "entity_id"),
        ("event", "/v1/events", "event_id"),
    ):
        cursor = None
        while True:
            page = client.get(path, params={"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
            state.update({(kind, item[key]): item for item in page["items"]})
            cursor = page["next_cursor"]
            if cursor is None:
                break
    return state


def caught_up(mirror: Mirror) -> dict[tuple[str, int], dict[str, Any]]:
    """Sync once: every write here has committed, so the feed holds all of it (transactions in other
    databases on the server do not hold it back)."""
    mirror.sync()
    return server_state(mirror.client)


def test_a_mirror_follows_writes_merges_rejections_and_deletes(api: TestClient, scratch_url: str) -> None:
    engine = create_engine(scratch_url)
    mirror = Mirror(api)
    with Session(engine) as session:
        article = add_article(
            session, text="Ostran rebels shelled the port of Velna on Friday, killing four."
        )
        rebels = add_entity(session, "Ostran Rebels", "group")
        rebels_short = add_entity(session, "Ostrans", "group")
        port = add_entity(session, "Velna", "location", place_kind="city", country_code="QZ")
        shelling = add_event(session, article, event_type="remote_violence", location=port, actors=(rebels,))
        truce = add_event(session, article, event_type="statement", actors=(rebels_short,))
        session.add(
            Mention(
                entity_id=rebels_short.entity_id,
                article_id=article.article_id,
                start_char=0,
                end_char=6,
                text="Ostran",
            )
        )
        key = create_api_key(session, "curator", "write")
        session.commit()
        ids = (
            article.article_id,
            rebels.entity_id,
            rebels_short.entity_id,
            shelling.event_id,
            truce.event_id,
            port.entity_id,
        )
    article_id, rebels_id, short_id, shelling_id, truce_id, port_id = ids

    assert mirror.records == caught_up(mirror)
    assert len(mirror.records) == 6  # one article, three entities, two events
    assert mirror.sync() == 0  # nothing new: the cursor holds its place

    # A curator verifies one event and rejects the other through the API.
    for event_id, status in ((shelling_id, "verified"), (truce_id, "rejected")):
        etag = api.get(f"/v1/events/{event_id}").headers["etag"]
        patched = api.patch(
            f"/v1/events/{event_id}",
            json={"status": status},
            headers={"Authorization": f"Bearer {key}", "If-Match": etag},
        )
        assert patched.status_code == 200, patched.text
    # Two entities turn out to be one: references move to the survivor, the other goes, with a tombstone.
    with Session(engine) as session:
        session.execute(
            update(EventParticipant).where(EventParticipant.entity_id == short_id).values(entity_id=rebels_id)
        )
        session.execute(update(Mention).where(Mention.entity_id == short_id).values(entity_id=rebels_id))
        session.execute(delete(Entity).where(Entity.entity_id == short_id))
        record_merge(session, short_id, into=rebels_id)
        session.commit()

    assert mirror.records == caught_up(mirror)
    assert mirror.records["event", shelling_id]["status"] == "verified"
    assert ("event", truce_id) not in mirror.records
    assert ("entity", short_id) not in mirror.records
    assert mirror.redirects == {short_id: rebels_id}
    tombstones = api.get("/v1/changes", params={"kind": "event"}).json()["items"]
    assert {"id": truce_id, "operation": "delete", "reason": "rejected"}.items() <= next(
        item for item in tombstones if item["id"] == truce_id
    ).items()

    # A write that commits after a later one is still delivered: the feed waits for it.
    with Session(engine) as early, Session(engine) as late:
        slow = add_entity(early, "Slow Writer", "person")
        fast = add_entity(late, "Fast Writer", "person")
        late.commit()
        mirror.sync()
        assert ("entity", fast.entity_id) not in mirror.records  # held back behind the open transaction
        early.commit()
        caught_up(mirror)
        assert {("entity", slow.entity_id), ("entity", fast.entity_id)} <= mirror.records.keys()

    # Deleting a place clears it from its events (ON DELETE SET NULL): they change too.
    with Session(engine) as session:
        session.execute(delete(Entity).where(Entity.entity_id == port_id))
        session.execute(update(Entity).where(Entity.entity_id == rebels_id).values(name="Ostran Rebel Army"))
        session.commit()
    assert mirror.records == caught_up(mirror)
    assert mirror.records["entity", rebels_id]["name"] == "Ostran Rebel Army"
    assert mirror.records["event", shelling_id]["location"] is None  # the place's deletion cleared it
    assert ("article", article_id) in mirror.records
    engine.dispose()


def test_change_cursors_are_checked(client: TestClient) -> None:
    response = client.get("/v1/changes", params={"cursor": "bm9wZQ"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]
    assert client.get("/v1/changes", params={"kind": "mention"}).status_code == 422
