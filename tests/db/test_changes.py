"""The change log: written by the database in the writer's transaction, read without skipping commits."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, delete, select, update
from sqlalchemy.orm import Session

from db.changes import changes_after, latest_position, record_merge
from db.migrations import upgrade_to_head
from db.models import ChangeLog, Entity
from tests.conftest import drop_database, recreate_database
from tests.factories import add_article, add_entity, add_event


def test_every_write_to_articles_entities_and_events_is_logged_in_its_transaction(session: Session) -> None:
    start = session.scalar(select(ChangeLog.change_id).order_by(ChangeLog.change_id.desc()).limit(1)) or 0
    article = add_article(session, text="Rebels shelled the port of Ostra on Friday.")
    place = add_entity(session, "Ostra", "location")
    event = add_event(session, article, event_type="attack", location=place)
    session.execute(update(Entity).where(Entity.entity_id == place.entity_id).values(name="Ostra port"))
    nobody = add_entity(session, "Nobody", "person").entity_id
    session.execute(delete(Entity).where(Entity.entity_id == nobody))
    logged = session.execute(
        select(ChangeLog.record_kind, ChangeLog.record_id, ChangeLog.operation)
        .where(ChangeLog.change_id > start)
        .order_by(ChangeLog.change_id)
    ).all()
    assert ("article", article.article_id, "upsert") in logged
    assert ("event", event.event_id, "upsert") in logged
    assert logged.count(("entity", place.entity_id, "upsert")) >= 2  # inserted, then renamed
    assert [row for row in logged if row[2] == "delete"] == [("entity", nobody, "delete")]


@pytest.fixture
def scratch(base_url: str) -> Iterator[Engine]:
    """A database of its own: these tests commit from several connections at once."""
    name = f"annals_changes_{os.getpid()}"
    url = recreate_database(base_url, name)
    upgrade_to_head(url)
    engine = create_engine(url)
    yield engine
    engine.dispose()
    drop_database(base_url, name)


def add_named(session: Session, name: str) -> int:
    entity = Entity(name=name, name_key=name.lower(), entity_type="person")
    session.add(entity)
    session.flush()
    return entity.entity_id


def test_a_reader_never_moves_past_a_transaction_that_may_still_commit(scratch: Engine) -> None:
    with Session(scratch) as early, Session(scratch) as late, Session(scratch) as reader:
        first = add_named(early, "Early Writer")  # takes the smaller change id, commits last
        second = add_named(late, "Late Writer")
        late.commit()
        assert changes_after(reader, None, 100) == []  # the late commit waits behind the open one
        reader.rollback()
        early.commit()
        seen = [(c.record_id, c.operation) for c in changes_after(reader, None, 100)]
        assert sorted(seen) == sorted([(first, "upsert"), (second, "upsert")])
        reader.rollback()
        position = latest_position(reader)
        assert position is not None and changes_after(reader, position, 100) == []


def test_merges_are_tombstones_that_say_where_the_entity_went(scratch: Engine) -> None:
    with Session(scratch) as session:
        kept, merged = add_named(session, "Ronald Reagan"), add_named(session, "Reagan")
        session.commit()
        after = latest_position(session)
        session.execute(delete(Entity).where(Entity.entity_id == merged))
        record_merge(session, merged, into=kept)
        session.commit()
        changes = [(c.record_id, c.operation, c.redirect_to) for c in changes_after(session, after, 10)]
    assert changes == [(merged, "delete", None), (merged, "merge", kept)]


def test_a_transaction_in_another_database_does_not_hold_the_feed_back(
    scratch: Engine, seeded: Engine
) -> None:
    with Session(seeded) as elsewhere, Session(scratch) as writer, Session(scratch) as reader:
        add_named(elsewhere, "Someone Elsewhere")  # an open transaction with an xid, in another database
        written = add_named(writer, "Writer Here")
        writer.commit()
        assert [c.record_id for c in changes_after(reader, None, 100)] == [written]
        elsewhere.rollback()
