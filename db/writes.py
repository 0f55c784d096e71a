"""What the pipeline writes: articles and sources, entities linked across the corpus, mentions, events.

The inputs are described by the protocols below, which the pipeline's ArticleExtraction satisfies; db
does not import the pipeline. Everything runs inside the caller's transaction, so an article's derived
rows appear (or are replaced) all at once. Curated events are never changed here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import psycopg
from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.entity_links import decide_link, record_link
from db.models import (
    Article,
    Entity,
    EntityAlias,
    EntityLink,
    Event,
    EventAudit,
    EventEvidence,
    EventParticipant,
    Mention,
    Source,
)
from db.name_rules import curated_link, never_linked_keys, split_off_names
from db.names import name_key, trigram_codes


class PlaceData(Protocol):
    @property
    def kind(self) -> str | None: ...
    @property
    def country_code(self) -> str | None: ...
    @property
    def admin1(self) -> str | None: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...


class EntityData(Protocol):
    @property
    def key(self) -> str: ...  # unique within the article
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def place(self) -> PlaceData | None: ...
    @property
    def mentions(self) -> Sequence[tuple[int, int]]: ...


class CountData(Protocol):
    @property
    def value(self) -> int: ...
    @property
    def qualifier(self) -> str: ...


class ParticipantData(Protocol):
    @property
    def entity_key(self) -> str: ...
    @property
    def role(self) -> str: ...


class EventData(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def date_start(self) -> dt.date | None: ...
    @property
    def date_end(self) -> dt.date | None: ...
    @property
    def precision(self) -> str: ...
    @property
    def location_key(self) -> str | None: ...
    @property
    def location_text(self) -> str | None: ...
    @property
    def fatalities(self) -> CountData | None: ...
    @property
    def people(self) -> CountData | None: ...
    @property
    def participants(self) -> Sequence[ParticipantData]: ...
    @property
    def summary(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def sentence_start(self) -> int: ...
    @property
    def sentence_end(self) -> int: ...
    @property
    def quote(self) -> str: ...
    @property
    def more_evidence(self) -> Sequence[tuple[int, int, str]]: ...


class ExtractionData(Protocol):
    @property
    def entities(self) -> Sequence[EntityData]: ...
    @property
    def events(self) -> Sequence[EventData]: ...


def ensure_source(session: Session, name: str) -> int:
    statement = (
        insert(Source)
        .values(name=name)
        .on_conflict_do_update(index_elements=["name"], set_={"name": Source.name})
        .returning(Source.source_id)
    )
    return int(session.execute(statement).scalar_one())


def insert_article(
    session: Session,
    *,
    url: str | None,
    external_id: str | None,
    title: str,
    source_id: int | None,
    published_at: dt.datetime | None,
    language: str,
    text: str,
    content_hash: str,
    pipeline_version: int,
) -> int | None:
    """The new article's id, or None when an article with the same text or URL is stored already."""
    statement = (
        insert(Article)
        .values(
            url=url,
            external_id=external_id,
            title=title,
            source_id=source_id,
            published_at=published_at,
            language=language,
            text=text,
            content_hash=content_hash,
            pipeline_version=pipeline_version,
        )
        .on_conflict_do_nothing()
        .returning(Article.article_id)
    )
    return session.execute(statement).scalar_one_or_none()


ARTICLE_COPY_COLUMNS = (
    "url",
    "external_id",
    "title",
    "source_id",
    "published_at",
    "language",
    "text",
    "content_hash",
    "pipeline_version",
)
ARTICLE_STAGING = """
CREATE TEMPORARY TABLE IF NOT EXISTS article_staging (
    position int, url text, external_id text, title text, source_id bigint, published_at timestamptz,
    language text, text text, content_hash text, pipeline_version int
) ON COMMIT DELETE ROWS
"""
ARTICLE_COPY = (
    "COPY article_staging (position, url, external_id, title, source_id, published_at, language, text, "
    "content_hash, pipeline_version) FROM STDIN"
)
ARTICLE_FROM_STAGING = """
INSERT INTO article (url, external_id, title, source_id, published_at, language, text, content_hash,
                     pipeline_version)
SELECT url, external_id, title, source_id, published_at, language, text, content_hash, pipeline_version
FROM article_staging ORDER BY position
ON CONFLICT DO NOTHING
RETURNING content_hash, article_id
"""


def insert_articles(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Many articles (the columns of insert_article) at once: content hash -> the new id of each one
    stored; those whose text or URL is stored already (or repeated in `rows`) are skipped.

    The rows are copied into a temporary table (COPY) and inserted from it in one statement: a
    multi-row VALUES statement of a few hundred articles cost more to compile than to run."""
    if not rows:
        return {}
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    with driver.cursor() as cursor:
        cursor.execute(ARTICLE_STAGING)
        cursor.execute("TRUNCATE article_staging")
        with cursor.copy(ARTICLE_COPY) as copy:
            for position, row in enumerate(rows):
                copy.write_row((position, *(row[column] for column in ARTICLE_COPY_COLUMNS)))
        cursor.execute(ARTICLE_FROM_STAGING)
        return dict(cursor.fetchall())


def mark_reprocessed(session: Session, article_ids: list[int], pipeline_version: int) -> None:
    session.execute(
        update(Article).where(Article.article_id.in_(article_ids)).values(pipeline_version=pipeline_version)
    )


def place_fields(place: Entity | None, stated: PlaceData | None = None) -> dict[str, Any]:
    """The country, admin1 and coordinates an event located at `place` stores: as the article states
    them (`stated`, 'Chimtal district, Balkh') where it does, else as the corpus-wide entity knows them.
    A province or country the article names against the entity's (a namesake elsewhere) wins whole."""
    known = {
        "country_code": place.country_code if place else None,
        "admin1": place.admin1 if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
    }
    if stated is None:
        return known
    said = {
        "country_code": stated.country_code,
        "admin1": stated.admin1,
        "latitude": stated.latitude,
        "longitude": stated.longitude,
    }
    agree = all(said[key] in (None, known[key]) for key in ("country_code", "admin1"))
    if not agree:
        return said
    return {key: said[key] if said[key] is not None else known[key] for key in known}


def curated() -> ColumnElement[bool]:
    """Events a curator has touched: verified, rejected, or corrected (they have an audit trail)."""
    audited = select(EventAudit.event_id).where(EventAudit.event_id == Event.event_id).exists()
    return or_(Event.status != "auto", audited)


def is_curated(session: Session, event_id: int) -> bool:
    return bool(session.scalar(select(curated()).where(Event.event_id == event_id)))


def resolve_entity(session: Session, entity: EntityData, article_id: int) -> int:
    """The corpus-wide entity for an article's entity: a curator's merge decides first, then the one
    `decide_link` names, else a new row."""
    curated = curated_link(session, entity.type, name_key(entity.name))
    if curated is not None:
        return curated
    place = entity.place
    kind, country_code = (place.kind, place.country_code) if place else (None, None)
    link = decide_link(session, entity.name, entity.type, entity.aliases, kind, country_code)
    key = name_key(entity.name)
    if link is not None and key in never_linked_keys(session, link.entity_id):
        link = None  # a curator said this name is never that entity, whatever rule would link it
    if link is not None:
        record_link(session, article_id, entity.name, link)
        return link.entity_id
    values = {
        "name": entity.name,
        "name_key": key,
        "entity_type": entity.type,
        "place_kind": place.kind if place else None,
        "country_code": place.country_code if place else None,
        "admin1": place.admin1 if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
    }
    statement = (
        insert(Entity)
        .values(values)
        .on_conflict_do_update(index_elements=["entity_type", "name_key"], set_={"name": Entity.name})
        .returning(Entity.entity_id)
    )
    return int(session.execute(statement).scalar_one())


def add_aliases(session: Session, entity_id: int, names: Iterable[str]) -> None:
    rows = {}
    never = never_linked_keys(session, entity_id)  # aliases a curator removed for good stay removed
    for alias in names:
        key = name_key(alias)
        if key and key not in never:
            rows[key] = {
                "entity_id": entity_id,
                "alias": alias,
                "alias_key": key,
                "trigrams": trigram_codes(key),
            }
    if rows:
        session.execute(insert(EntityAlias).values(list(rows.values())).on_conflict_do_nothing())


def event_dedup_key(event: EventData, location_id: int | None, actor_ids: list[int]) -> str:
    place = str(location_id) if location_id is not None else name_key(event.location_text or "")
    parts = [
        event.type,
        place,
        str(event.date_start),
        str(event.date_end),
        ",".join(map(str, sorted(actor_ids))),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def filled_by_retelling(retelling: Any) -> dict[str, Any]:
    """ON CONFLICT values: an automatic event takes a later report's toll when it has none (the toll
    and its qualifier together); a curated event is left exactly as the curator left it."""
    keep: dict[str, Any] = {"dedup_key": Event.dedup_key}
    for count, qualifier in (("fatalities", "fatalities_qualifier"), ("people_count", "people_qualifier")):
        stored, new = getattr(Event, count), getattr(retelling, count)
        fill = and_(~curated(), stored.is_(None), new.is_not(None))
        keep[count] = case((fill, new), else_=stored)
        keep[qualifier] = case((fill, getattr(retelling, qualifier)), else_=getattr(Event, qualifier))
    return keep


def save_event(
    session: Session,
    article_id: int,
    event: EventData,
    entity_ids: dict[str, int],
    version: int,
    stated_place: PlaceData | None = None,
) -> int:
    location_id = entity_ids.get(event.location_key) if event.location_key else None
    place = session.get(Entity, location_id) if location_id is not None else None
    participants = {
        (entity_ids[p.entity_key], p.role) for p in event.participants if p.entity_key in entity_ids
    }
    actor_ids = [entity_id for entity_id, role in participants if role == "actor"]
    values = {
        "event_type": event.type,
        "date_start": event.date_start,
        "date_end": event.date_end or event.date_start,
        "date_precision": event.precision,
        "location_entity_id": location_id,
        "location_text": event.location_text,
        **place_fields(place, stated_place),
        "fatalities": event.fatalities.value if event.fatalities else None,
        "fatalities_qualifier": event.fatalities.qualifier if event.fatalities else None,
        "people_count": event.people.value if event.people else None,
        "people_qualifier": event.people.qualifier if event.people else None,
        "summary": event.summary,
        "confidence": event.confidence,
        "extractor_version": version,
        "dedup_key": event_dedup_key(event, location_id, actor_ids),
    }
    new_event = insert(Event).values(values)
    upsert = new_event.on_conflict_do_update(
        index_elements=["dedup_key"], set_=filled_by_retelling(new_event.excluded)
    ).returning(Event.event_id)
    event_id = int(session.execute(upsert).scalar_one())
    if participants and not is_curated(session, event_id):  # a curator's participants stand
        rows = [{"event_id": event_id, "entity_id": eid, "role": role} for eid, role in participants]
        session.execute(insert(EventParticipant).values(rows).on_conflict_do_nothing())
    sentences = [(event.sentence_start, event.sentence_end, event.quote), *event.more_evidence]
    evidence = [
        {
            "event_id": event_id,
            "article_id": article_id,
            "sentence_start": start,
            "sentence_end": end,
            "quote": quote,
        }
        for start, end, quote in sentences
    ]
    session.execute(insert(EventEvidence).values(evidence).on_conflict_do_nothing())
    return event_id


def save_extraction(
    session: Session, article_id: int, text: str, extraction: ExtractionData, version: int
) -> None:
    entity_ids: dict[str, int] = {}
    mentions: list[dict[str, object]] = []
    rerouted: set[int] = set()
    for entity in extraction.entities:
        entity_id = resolve_entity(session, entity, article_id)
        entity_ids[entity.key] = entity_id
        add_aliases(session, entity_id, [entity.name, *entity.aliases])
        split_off = split_off_names(session, entity_id)  # a curator's split keeps its mentions
        rerouted.update(split_off.values())
        mentions.extend(
            {
                "entity_id": split_off.get(name_key(text[start:end]), entity_id),
                "article_id": article_id,
                "start_char": start,
                "end_char": end,
                "text": text[start:end][:300],
            }
            for start, end in entity.mentions
        )
    if mentions:
        session.execute(insert(Mention).values(mentions))
    stated_places = {entity.key: entity.place for entity in extraction.entities if entity.place}
    for event in extraction.events:
        stated = stated_places.get(event.location_key) if event.location_key else None
        save_event(session, article_id, event, entity_ids, version, stated)
    refresh_mention_counts(session, set(entity_ids.values()) | rerouted)


def refresh_mention_counts(session: Session, entity_ids: set[int]) -> None:
    if not entity_ids:
        return
    count = select(func.count()).where(Mention.entity_id == Entity.entity_id).scalar_subquery()
    session.execute(update(Entity).where(Entity.entity_id.in_(entity_ids)).values(mention_count=count))


def replace_derived(
    session: Session, article_id: int, text: str, extraction: ExtractionData, version: int
) -> None:
    """Swap an article's mentions and evidence for a new extraction's, in the caller's transaction.

    Events keep their ids: the new extraction finds them again by their dedup key before the ones
    left with no evidence are deleted. Curated events, their evidence and participants stay as they are.
    """
    touched = set(session.scalars(select(Mention.entity_id).where(Mention.article_id == article_id)))
    automatic = select(Event.event_id).where(~curated())
    candidates = list(
        session.scalars(
            delete(EventEvidence)
            .where(EventEvidence.article_id == article_id, EventEvidence.event_id.in_(automatic))
            .returning(EventEvidence.event_id)
        )
    )
    session.execute(delete(Mention).where(Mention.article_id == article_id))
    session.execute(delete(EntityLink).where(EntityLink.article_id == article_id))
    save_extraction(session, article_id, text, extraction, version)
    if candidates:
        evidenced = select(EventEvidence.event_id).where(EventEvidence.event_id == Event.event_id).exists()
        session.execute(delete(Event).where(Event.event_id.in_(candidates), ~evidenced))
    refresh_mention_counts(session, touched)
