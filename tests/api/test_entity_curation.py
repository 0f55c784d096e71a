from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.entity_curation import EntityChanges, merge_entities, split_entity, update_entity
from db.models import ChangeLog, Entity, EntityAlias, Mention
from ingest.reprocess import reprocess_articles
from tests.api.test_curation import bearer
from tests.factories import add_article, add_entity, add_event


def entity_named(session: Session, name: str) -> Entity:
    entity = session.scalar(select(Entity).where(Entity.name == name))
    assert entity is not None, name
    return entity


def read_etag(client: TestClient, entity_id: int) -> str:
    response = client.get(f"/v1/entities/{entity_id}")
    assert response.status_code == 200
    return response.headers["etag"]


def alias_keys(session: Session, entity_id: int) -> set[str]:
    return set(session.scalars(select(EntityAlias.alias_key).where(EntityAlias.entity_id == entity_id)))


def test_merge_moves_everything_and_the_old_id_redirects_with_a_tombstone(
    client: TestClient, session: Session
) -> None:
    troops, forces = entity_named(session, "Afghan troops"), entity_named(session, "Afghan forces")
    aliases_before = sorted(
        alias.alias
        for alias in session.scalars(select(EntityAlias).where(EntityAlias.entity_id == forces.entity_id))
    )
    mentions = troops.mention_count + forces.mention_count
    statement = add_event(session, add_article(session), event_type="statement", actors=(troops,))
    headers = {**bearer(session, "write", "curator-anna"), "If-Match": read_etag(client, troops.entity_id)}
    merged = client.post(
        f"/v1/entities/{troops.entity_id}/merge", json={"into": forces.entity_id}, headers=headers
    )
    assert merged.status_code == 200
    body = merged.json()
    assert body["entity_id"] == forces.entity_id
    assert "Afghan troops" in body["aliases"]
    assert body["counts"]["mentions"] == mentions
    assert merged.headers["etag"].startswith(f'"entity-{forces.entity_id}-r2-')
    for suffix in ("", "/articles", "/events?sort=date_asc", "/history"):
        moved = client.get(f"/v1/entities/{troops.entity_id}{suffix}", follow_redirects=False)
        assert moved.status_code == 308, suffix
        assert moved.headers["location"] == f"/v1/entities/{forces.entity_id}{suffix}"
    assert client.get(f"/v1/entities/{troops.entity_id}").json()["entity_id"] == forces.entity_id
    by_old_id = client.get("/v1/events", params={"participant": troops.entity_id}).json()["items"]
    by_new_id = client.get("/v1/events", params={"participant": forces.entity_id}).json()["items"]
    assert by_old_id == by_new_id
    assert statement.event_id in [event["event_id"] for event in by_new_id]  # the participation moved
    # changes_after only shows committed transactions; the test's own is still open
    [tombstone] = session.scalars(select(ChangeLog).where(ChangeLog.operation == "merge")).all()
    assert (tombstone.record_kind, tombstone.record_id, tombstone.redirect_to) == (
        "entity",
        troops.entity_id,
        forces.entity_id,
    )
    [entry] = client.get(f"/v1/entities/{forces.entity_id}/history").json()["items"]
    assert (entry["actor"], entry["action"], entry["after"]["merged"]) == (
        "curator-anna",
        "merge",
        troops.entity_id,
    )
    assert entry["before"]["aliases"] == aliases_before


def test_merge_needs_a_fresh_if_match_and_a_write_key(client: TestClient, session: Session) -> None:
    ussr = add_entity(session, "USSR", "location", place_kind="country")
    soviet = add_entity(session, "Soviet Union", "location")
    url = f"/v1/entities/{ussr.entity_id}/merge"
    assert client.post(url, json={"into": soviet.entity_id}).status_code == 401
    writer = bearer(session, "write")
    assert client.post(url, json={"into": soviet.entity_id}, headers=writer).status_code == 428
    stale = {**writer, "If-Match": f'"entity-{ussr.entity_id}-r7"'}
    assert client.post(url, json={"into": soviet.entity_id}, headers=stale).status_code == 412
    fresh = {**writer, "If-Match": read_etag(client, ussr.entity_id)}
    into_itself = client.post(url, json={"into": ussr.entity_id}, headers=fresh)
    assert into_itself.status_code == 422 and into_itself.json()["errors"][0]["loc"] == ["body", "into"]
    merged = client.post(url, json={"into": soviet.entity_id}, headers=fresh)
    assert merged.status_code == 200
    assert merged.json()["place"]["kind"] == "country"  # the survivor takes the place data it lacked
    assert merged.json()["aliases"] == ["Soviet Union", "USSR"]


def test_a_merged_name_keeps_resolving_to_the_survivor_after_reprocessing(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        troops, forces = entity_named(session, "Afghan troops"), entity_named(session, "Afghan forces")
        merge_entities(session, troops.entity_id, forces.entity_id, actor="curator", expected_revision=1)
        mentions = session.scalar(select(func.count()).where(Mention.entity_id == forces.entity_id))
    reprocess_articles(sessions, everything=True)
    with sessions() as session:
        assert session.scalar(select(Entity).where(Entity.name == "Afghan troops")) is None
        assert session.scalar(select(func.count()).where(Mention.entity_id == forces.entity_id)) == mentions
        assert "afghan troops" in alias_keys(session, forces.entity_id)


def test_a_never_link_alias_stays_unlinked_after_reprocessing(
    client: TestClient, session: Session, sessions: sessionmaker[Session]
) -> None:
    """Bagram the town is not Bagram Air Base: a curator says so once, and reprocessing obeys."""
    base = entity_named(session, "Bagram Air Base")
    assert "bagram" in alias_keys(session, base.entity_id)
    headers = {**bearer(session, "write", "curator-anna"), "If-Match": read_etag(client, base.entity_id)}
    response = client.patch(
        f"/v1/entities/{base.entity_id}", json={"never_link": ["Bagram"]}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["aliases"] == ["Bagram Air Base"]
    reprocess_articles(sessions, everything=True)
    with sessions() as fresh:
        assert alias_keys(fresh, base.entity_id) == {"bagram air base"}
        linked = fresh.scalars(select(EntityAlias.entity_id).where(EntityAlias.alias_key == "bagram")).all()
        assert base.entity_id not in linked
    [entry] = client.get(f"/v1/entities/{base.entity_id}/history").json()["items"]
    assert entry["before"]["aliases"] == ["Bagram", "Bagram Air Base"]


def test_rename_retype_and_place_data_and_the_old_name_still_resolves(
    client: TestClient, session: Session
) -> None:
    marja = entity_named(session, "Marja")
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, marja.entity_id)}
    patch = {
        "name": "Marjah",
        "add_aliases": ["Marja district"],
        "place": {
            "kind": "district",
            "country_code": "AF",
            "admin1": "Helmand",
            "latitude": 31.52,
            "longitude": 64.12,
        },
    }
    response = client.patch(f"/v1/entities/{marja.entity_id}", json=patch, headers=headers)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == "Marjah"
    assert body["aliases"] == ["Marja", "Marja district", "Marjah"]
    assert body["place"]["country_code"] == "AF" and body["place"]["admin1"] == "Helmand"
    found = client.get("/v1/entities", params={"q": "Marja", "country": "AF"}).json()["items"]
    assert found[0]["entity_id"] == marja.entity_id
    from db.name_rules import curated_link

    assert curated_link(session, "location", "marja") == marja.entity_id
    headers["If-Match"] = response.headers["etag"]
    retyped = client.patch(f"/v1/entities/{marja.entity_id}", json={"type": "group"}, headers=headers)
    assert retyped.status_code == 200 and retyped.json()["type"] == "group"
    clash = add_entity(session, "Taliban movement", "group")
    headers["If-Match"] = retyped.headers["etag"]
    refused = client.patch(f"/v1/entities/{marja.entity_id}", json={"name": clash.name}, headers=headers)
    assert refused.status_code == 422
    assert f"Entity {clash.entity_id}" in refused.json()["detail"]


def test_split_moves_the_chosen_aliases_and_their_mentions(client: TestClient, session: Session) -> None:
    text = "Georgia said the talks would resume. Separately, Georgia (the US state) certified its vote."
    article = add_article(session, text=text)
    georgia = add_entity(session, "Georgia", "location", place_kind="country", country_code="GE")
    update_entity(
        session,
        georgia.entity_id,
        EntityChanges(add_aliases=["Georgia (the US state)"]),
        actor="loader",
        expected_revision=1,
    )
    state = text.index("Georgia (the US state)")
    session.add_all(
        [
            Mention(
                entity_id=georgia.entity_id,
                article_id=article.article_id,
                start_char=0,
                end_char=7,
                text="Georgia",
            ),
            Mention(
                entity_id=georgia.entity_id,
                article_id=article.article_id,
                start_char=state,
                end_char=state + 22,
                text="Georgia (the US state)",
            ),
        ]
    )
    session.flush()
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, georgia.entity_id)}
    split = client.post(
        f"/v1/entities/{georgia.entity_id}/split",
        json={"aliases": ["georgia (the us state)"], "name": "Georgia (U.S. state)"},
        headers=headers,
    )
    assert split.status_code == 201, split.json()
    new = split.json()
    assert split.headers["location"] == f"/v1/entities/{new['entity_id']}"
    assert new["aliases"] == ["Georgia (U.S. state)", "Georgia (the US state)"]
    assert new["counts"]["mentions"] == 1
    old = client.get(f"/v1/entities/{georgia.entity_id}").json()
    assert old["aliases"] == ["Georgia"] and old["counts"]["mentions"] == 1
    history = client.get(f"/v1/entities/{georgia.entity_id}/history").json()["items"]
    assert history[-1]["action"] == "split" and history[-1]["after"]["split_into"] == new["entity_id"]
    headers["If-Match"] = client.get(f"/v1/entities/{georgia.entity_id}").headers["etag"]
    own_name = client.post(
        f"/v1/entities/{georgia.entity_id}/split", json={"aliases": ["Georgia"]}, headers=headers
    )
    assert own_name.status_code == 422


def test_a_split_survives_reprocessing(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        base_id = entity_named(session, "Bagram Air Base").entity_id  # the town split off the base
        town_mentions = session.scalar(
            select(func.count()).where(Mention.entity_id == base_id, Mention.text == "Bagram")
        )
        assert town_mentions
        new = split_entity(
            session,
            base_id,
            ["Bagram"],
            name=None,
            entity_type=None,
            actor="curator",
            expected_revision=1,
        )
        assert new is not None
        town_id = new.entity_id
    reprocess_articles(sessions, everything=True)
    with sessions() as session:
        assert "bagram" not in alias_keys(session, base_id)
        assert alias_keys(session, town_id) == {"bagram"}
        texts = session.scalars(select(Mention.text).where(Mention.entity_id == town_id)).all()
        assert texts == ["Bagram"] * town_mentions
        kept = session.scalars(select(Mention.text).where(Mention.entity_id == base_id)).all()
        assert kept and "Bagram" not in kept
        refreshed = session.get(Entity, town_id)
        assert refreshed is not None and refreshed.mention_count == town_mentions


def test_remove_aliases_and_clear_place_data(client: TestClient, session: Session) -> None:
    bagram = entity_named(session, "Bagram Air Base")
    url = f"/v1/entities/{bagram.entity_id}"
    writer = bearer(session, "write")
    assert client.patch(url, json={"remove_aliases": ["Bagram"]}, headers=writer).status_code == 428
    stale = client.patch(
        url, json={"remove_aliases": ["Bagram"]}, headers={**writer, "If-Match": '"entity-1-r1"'}
    )
    assert stale.status_code == 412
    headers = {**writer, "If-Match": read_etag(client, bagram.entity_id)}
    removed = client.patch(url, json={"remove_aliases": ["bagram"]}, headers=headers)
    assert removed.status_code == 200 and removed.json()["aliases"] == ["Bagram Air Base"]
    assert removed.json()["place"]["kind"] == "military_base"
    headers["If-Match"] = removed.headers["etag"]
    cleared = client.patch(url, json={"place": None}, headers=headers)
    assert cleared.json()["place"] == {
        "kind": None,
        "country_code": None,
        "admin1": None,
        "latitude": None,
        "longitude": None,
    }
    located_there = client.get("/v1/events", params={"location": bagram.entity_id}).json()["items"]
    assert located_there and all(event["country_code"] is None for event in located_there)
    headers["If-Match"] = cleared.headers["etag"]
    own_name = client.patch(url, json={"never_link": ["Bagram Air Base"]}, headers=headers)
    assert own_name.status_code == 422 and own_name.json()["errors"][0]["loc"] == ["body", "never_link"]


def test_a_split_logs_a_change_of_the_articles_whose_mentions_moved(session: Session) -> None:
    """The search index and the change feed follow the log: the articles now mention another entity."""
    base = entity_named(session, "Bagram Air Base")
    articles = set(
        session.scalars(
            select(Mention.article_id).where(Mention.entity_id == base.entity_id, Mention.text == "Bagram")
        )
    )
    start = session.scalar(select(func.max(ChangeLog.change_id))) or 0
    split_entity(
        session, base.entity_id, ["Bagram"], name=None, entity_type=None, actor="curator", expected_revision=1
    )
    logged = set(
        session.scalars(
            select(ChangeLog.record_id).where(ChangeLog.change_id > start, ChangeLog.record_kind == "article")
        )
    )
    assert articles and articles <= logged


def test_entity_ids_past_bigint_or_not_digits_are_refused_not_crashed(client: TestClient) -> None:
    assert client.get("/v1/entities/9223372036854775808").status_code == 422
    assert client.get("/v1/entities/not-a-number").status_code == 404
    assert client.patch("/v1/entities/export", json={}).status_code == 405
