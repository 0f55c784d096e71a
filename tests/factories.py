"""Plain helpers that put rows in the test database."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Article, Entity, EntityAlias, Event, EventEvidence, EventParticipant, Source
from db.names import name_key, trigram_codes
from db.writes import place_fields


def add_article(session: Session, **overrides: Any) -> Article:
    text = overrides.pop("text", "Police said the convoy was stopped near the bridge on Monday.")
    source_name = overrides.pop("source", None)
    source_id = None
    if source_name:
        source_id = session.scalar(select(Source.source_id).where(Source.name == source_name))
        if source_id is None:
            source = Source(name=source_name)
            session.add(source)
            session.flush()
            source_id = source.source_id
    values: dict[str, Any] = {
        "title": "A test article",
        "text": text,
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "published_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        "source_id": source_id,
        "language": "en",
    }
    values.update(overrides)
    article = Article(**values)
    session.add(article)
    session.flush()
    return article


def seed_article_id(session: Session, external_id: str) -> int:
    article_id = session.scalar(select(Article.article_id).where(Article.external_id == external_id))
    assert article_id is not None, external_id
    return article_id


WAPO_2016 = "000_f9988bc4e950b919"
TRT_AFP_2021 = "001_ee120b2da65b2266"
TRT_2021 = "002_8c376fa589bd7352"


def add_entity(session: Session, name: str, entity_type: str = "organization", **overrides: Any) -> Entity:
    entity = Entity(name=name, name_key=name_key(name), entity_type=entity_type, **overrides)
    session.add(entity)
    session.flush()
    session.add(
        EntityAlias(
            entity_id=entity.entity_id,
            alias=name,
            alias_key=entity.name_key,
            trigrams=trigram_codes(entity.name_key),
        )
    )
    session.flush()
    return entity


def add_event(
    session: Session,
    article: Article,
    *,
    event_type: str = "armed_clash",
    date_start: dt.date | None = dt.date(2020, 1, 1),
    date_end: dt.date | None = None,
    precision: str = "day",
    location: Entity | None = None,
    actors: tuple[Entity, ...] = (),
    targets: tuple[Entity, ...] = (),
    quote: str | None = None,
    **overrides: Any,
) -> Event:
    quote = quote or article.text[:80]
    start = max(article.text.find(quote), 0)
    values: dict[str, Any] = {
        "event_type": event_type,
        "date_start": date_start,
        "date_end": date_end or date_start,
        "date_precision": precision,
        "location_entity_id": location.entity_id if location else None,
        "location_text": location.name if location else None,
        **place_fields(location),
        "summary": quote,
        "confidence": 0.8,
        "extractor_version": 1,
    }
    values.update(overrides)
    event = Event(**values)
    session.add(event)
    session.flush()
    for role, entities in (("actor", actors), ("target", targets)):
        for entity in entities:
            session.add(EventParticipant(event_id=event.event_id, entity_id=entity.entity_id, role=role))
    session.add(
        EventEvidence(
            event_id=event.event_id,
            article_id=article.article_id,
            sentence_start=start,
            sentence_end=start + len(quote),
            quote=quote,
        )
    )
    session.flush()
    return event
