"""Search, events and timelines mean the same entities by a name: every entity with it as an alias."""

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from db.models import Mention
from tests.db.test_entity_refs import add_alias
from tests.factories import add_article, add_entity, add_event

BRIGADE_TEXT = "The Kessel Brigade shelled a depot outside Varnholm on Sunday, officials said."
FRONT_TEXT = "Kessel Front fighters ambushed a patrol near Varnholm on Friday, a spokesman said."


def test_a_name_shared_by_two_entities_means_both_everywhere(client: TestClient, session: Session) -> None:
    brigade = add_entity(session, "Kessel Brigade", "organization", mention_count=2)
    front = add_entity(session, "Kessel Front", "group", mention_count=1)
    for entity in (brigade, front):
        add_alias(session, entity.entity_id, "Kessel")
    january = add_article(session, text=BRIGADE_TEXT, published_at=dt.datetime(2020, 1, 6, tzinfo=dt.UTC))
    february = add_article(session, text=FRONT_TEXT, published_at=dt.datetime(2020, 2, 8, tzinfo=dt.UTC))
    for article, entity in ((january, brigade), (february, front)):
        start = article.text.index(entity.name)
        session.add(
            Mention(
                entity_id=entity.entity_id,
                article_id=article.article_id,
                start_char=start,
                end_char=start + len(entity.name),
                text=entity.name,
            )
        )
    shelling = add_event(session, january, date_start=dt.date(2020, 1, 5), actors=(brigade,))
    ambush = add_event(session, february, date_start=dt.date(2020, 2, 7), actors=(front,))

    events = client.get("/v1/events", params={"participant": "kessel"}).json()
    assert sorted(item["event_id"] for item in events["items"]) == sorted(
        [shelling.event_id, ambush.event_id]
    )

    hits = client.get("/v1/search", params={"entity": "kessel"}).json()
    assert sorted(hit["article_id"] for hit in hits["items"]) == sorted(
        [january.article_id, february.article_id]
    )

    timeline = client.get("/v1/timeline", params={"entity": "kessel", "interval": "month"}).json()
    (series,) = timeline["series"]
    assert series["entity"]["name"] == "Kessel Brigade"  # the most mentioned labels the series
    assert [(bucket["start"], bucket["value"]) for bucket in series["buckets"]] == [
        ("2020-01-01", 1),
        ("2020-02-01", 1),
    ]
