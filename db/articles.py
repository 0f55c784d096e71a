"""Reading articles: one with what the pipeline found in it, lists and exports of many."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by, distinct_on
from sqlalchemy.orm import Session, aliased, selectinload

from db.article_order import after_published, newest_first
from db.engine import SessionFactory, keyed_reads
from db.models import Article, Entity, Event, EventEvidence, Mention, Source
from db.pages import Page, keyset_page, published_keyset


class ArticleMention(NamedTuple):
    entity_id: int
    name: str
    entity_type: str
    start: int
    end: int
    text: str


class ArticleEvent(NamedTuple):
    """One event the article gives evidence for, with the sentence that says so and its place."""

    sentence_start: int
    sentence_end: int
    quote: str
    event_id: int
    event_type: str
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str
    location: tuple[int, str, str] | None  # entity id, name, type
    location_text: str | None
    country_code: str | None
    fatalities: int | None
    summary: str
    status: str


@dataclass(frozen=True)
class ArticleDetail:
    article_id: int
    external_id: str | None
    url: str | None
    title: str
    source: str | None
    published_at: dt.datetime | None
    language: str
    text: str
    pipeline_version: int
    ingested_at: dt.datetime
    mentions: list[ArticleMention]
    events: list[ArticleEvent]


def json_rows(columns: list[Any], order_by: list[Any]) -> Any:
    """The rows' columns as one JSON array per row, aggregated in this order (an empty array for none)."""
    rows = func.json_agg(aggregate_order_by(func.json_build_array(*columns), *order_by))
    return func.coalesce(rows, literal_column("'[]'::json"))


# The article page in one statement and one round trip: the article's row, its mentions and its events
# as JSON arrays of plain values (no ORM objects). Built once: building a statement and its cache key
# costs more CPU than running it.
PLACE = aliased(Entity)
ARTICLE_MENTIONS = (
    select(
        json_rows(
            [
                Entity.entity_id,
                Entity.name,
                Entity.entity_type,
                Mention.start_char,
                Mention.end_char,
                Mention.text,
            ],
            order_by=[Mention.start_char, Mention.mention_id],
        )
    )
    .select_from(Mention)
    .join(Entity, Entity.entity_id == Mention.entity_id)
    .where(Mention.article_id == Article.article_id)
    .scalar_subquery()
)
ARTICLE_EVENTS = (
    select(
        json_rows(
            [
                EventEvidence.sentence_start,
                EventEvidence.sentence_end,
                EventEvidence.quote,
                Event.event_id,
                Event.event_type,
                Event.date_start,
                Event.date_end,
                Event.date_precision,
                PLACE.entity_id,
                PLACE.name,
                PLACE.entity_type,
                Event.location_text,
                Event.country_code,
                Event.fatalities,
                Event.summary,
                Event.status,
            ],
            order_by=[EventEvidence.sentence_start, Event.event_id],
        )
    )
    .select_from(EventEvidence)
    .join(Event, Event.event_id == EventEvidence.event_id)
    .outerjoin(PLACE, PLACE.entity_id == Event.location_entity_id)
    .where(EventEvidence.article_id == Article.article_id, Event.status != "rejected")
    .scalar_subquery()
)
ARTICLE_PAGE = (
    select(
        Article.article_id,
        Article.external_id,
        Article.url,
        Article.title,
        Source.name,
        Article.published_at,
        Article.language,
        Article.text,
        Article.pipeline_version,
        Article.ingested_at,
        ARTICLE_MENTIONS.label("mentions"),
        ARTICLE_EVENTS.label("events"),
    )
    .outerjoin(Source, Source.source_id == Article.source_id)
    .where(Article.article_id == bindparam("article_id"))
)


def optional_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def article_event(values: list[Any]) -> ArticleEvent:
    (start, end, quote, event_id, event_type, date_start, date_end, precision) = values[:8]
    (place_id, place_name, place_type, location_text, country, fatalities, summary, status) = values[8:]
    return ArticleEvent(
        sentence_start=start,
        sentence_end=end,
        quote=quote,
        event_id=event_id,
        event_type=event_type,
        date_start=optional_date(date_start),
        date_end=optional_date(date_end),
        date_precision=precision,
        location=(place_id, place_name, place_type) if place_id is not None else None,
        location_text=location_text,
        country_code=country,
        fatalities=fatalities,
        summary=summary,
        status=status,
    )


def get_article(session: Session, article_id: int) -> ArticleDetail | None:
    """The article with its mentions in text order and the events it reports (not rejected ones) in
    the order of their sentences."""
    with keyed_reads(session.connection()) as connection:
        row = connection.execute(ARTICLE_PAGE, {"article_id": article_id}).first()
    if row is None:
        return None
    return ArticleDetail(
        article_id=row.article_id,
        external_id=row.external_id,
        url=row.url,
        title=row.title,
        source=row.name,
        published_at=row.published_at,
        language=row.language,
        text=row.text,
        pipeline_version=row.pipeline_version,
        ingested_at=row.ingested_at,
        mentions=[ArticleMention(*values) for values in row.mentions],
        events=[article_event(values) for values in row.events],
    )


def stored_article_ids(
    session: Session, content_hashes: set[str], urls: set[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """The ids of the stored articles with one of these texts (by content hash) or URLs."""
    rows = session.execute(
        select(Article.article_id, Article.content_hash, Article.url).where(
            or_(Article.content_hash.in_(content_hashes), Article.url.in_(urls))
        )
    ).all()
    by_hash = {row.content_hash: row.article_id for row in rows}
    by_url = {row.url: row.article_id for row in rows if row.url}
    return by_hash, by_url


def outdated_article_ids(session: Session, version: int, *, everything: bool) -> list[int]:
    """Articles extracted by an older pipeline than `version` (or all of them), in id order."""
    statement = select(Article.article_id).order_by(Article.article_id)
    if not everything:
        statement = statement.where(Article.pipeline_version < version)
    return list(session.scalars(statement))


def lock_outdated_articles(
    session: Session, ids: list[int], version: int, *, everything: bool
) -> list[Article]:
    """These articles, row-locked; those a concurrent run already brought up to date are left out."""
    statement = (
        select(Article).where(Article.article_id.in_(ids)).order_by(Article.article_id).with_for_update()
    )
    if not everything:
        statement = statement.where(Article.pipeline_version < version)
    return list(session.scalars(statement))


def claim_unextracted(session: Session, version: int, limit: int) -> list[Article]:
    """Up to `limit` articles the pipeline at `version` has not been run on, row-locked until the end
    of the transaction; rows another worker holds are skipped (FOR UPDATE SKIP LOCKED), so any number
    of workers share the queue without waiting on each other or taking an article twice."""
    return list(
        session.scalars(
            select(Article)
            .where(Article.pipeline_version < version)
            .order_by(Article.article_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def extraction_status(session: Session, version: int) -> tuple[int, int]:
    """(articles extracted at `version` or later, articles still waiting)."""
    waiting = func.count().filter(Article.pipeline_version < version)
    row = session.execute(select(func.count() - waiting, waiting).select_from(Article)).one()
    return int(row[0]), int(row[1])


def count_articles(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Article)) or 0)


@dataclass
class ArticleDerived:
    """What the pipeline stored for one article: its entities and the events it gives evidence for."""

    external_id: str
    entities: list[tuple[Entity, list[str]]]  # entity, its aliases
    events: list[tuple[Event, Entity | None, str]]  # event, its place, the quote


def derived_by_external_id(session: Session, external_ids: list[str]) -> dict[str, ArticleDerived]:
    articles = dict(
        session.execute(
            select(Article.article_id, Article.external_id).where(Article.external_id.in_(external_ids))
        ).all()
    )
    result = {str(external_id): ArticleDerived(str(external_id), [], []) for external_id in articles.values()}
    entity_rows = session.execute(
        select(Mention.article_id, Entity)
        .join(Entity, Entity.entity_id == Mention.entity_id)
        .where(Mention.article_id.in_(articles))
        .distinct()
        .options(selectinload(Entity.aliases))
    ).all()
    for article_id, entity in entity_rows:
        result[str(articles[article_id])].entities.append((entity, [a.alias for a in entity.aliases]))
    place = aliased(Entity)
    event_rows = session.execute(
        select(EventEvidence.article_id, Event, place, EventEvidence.quote)
        .ext(distinct_on(EventEvidence.article_id, EventEvidence.event_id))
        .join(Event, Event.event_id == EventEvidence.event_id)
        .outerjoin(place, place.entity_id == Event.location_entity_id)
        .where(EventEvidence.article_id.in_(articles), Event.status != "rejected")
        .order_by(EventEvidence.article_id, EventEvidence.event_id, EventEvidence.event_evidence_id)
        .options(selectinload(place.aliases))
    ).all()
    for article_id, event, location, quote in event_rows:
        result[str(articles[article_id])].events.append((event, location, quote))
    return result


@dataclass
class ArticleFilters:
    """The filters of GET /v1/articles and its export; values within one filter match any."""

    sources: list[str] = field(default_factory=list)  # publisher names, case-insensitive
    date_from: dt.date | None = None  # published on or after
    date_to: dt.date | None = None  # published on or before (the whole day)
    external_ids: list[str] = field(default_factory=list)  # exact
    urls: list[str] = field(default_factory=list)  # exact
    updated_since: dt.datetime | None = None  # changed at or after


@dataclass
class ListedArticle:
    """An article without its derived rows; `text` only when asked for (exports)."""

    article_id: int
    external_id: str | None
    url: str | None
    title: str
    source: str | None
    published_at: dt.datetime | None
    language: str
    pipeline_version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    text: str | None = None


def article_conditions(filters: ArticleFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.sources:
        names = select(Source.source_id).where(
            func.lower(Source.name).in_([s.lower() for s in filters.sources])
        )
        conditions.append(Article.source_id.in_(names))
    if filters.date_from:
        conditions.append(Article.published_at >= dt.datetime.combine(filters.date_from, dt.time(), dt.UTC))
    if filters.date_to:
        next_day = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        conditions.append(Article.published_at < next_day)
    if filters.external_ids:
        conditions.append(Article.external_id.in_(filters.external_ids))
    if filters.urls:
        conditions.append(Article.url.in_(filters.urls))
    if filters.updated_since:
        conditions.append(Article.updated_at >= filters.updated_since)
    return conditions


def listed_articles(*conditions: ColumnElement[bool], with_text: bool = False) -> Select[Any]:
    columns: list[Any] = [
        Article.article_id,
        Article.external_id,
        Article.url,
        Article.title,
        Source.name.label("source"),
        Article.published_at,
        Article.language,
        Article.pipeline_version,
        Article.created_at,
        Article.updated_at,
    ]
    if with_text:
        columns.append(Article.text)
    return select(*columns).outerjoin(Source, Source.source_id == Article.source_id).where(*conditions)


def as_listed(row: Any) -> ListedArticle:
    return ListedArticle(**row._asdict())


class ArticleSort(StrEnum):
    newest = "newest"  # by publication date, undated last
    updated = "updated"  # least recently changed first: a sync walks it with updated_since


def list_articles(
    session: Session,
    filters: ArticleFilters,
    limit: int,
    after: list[Any] | None,
    sort: ArticleSort = ArticleSort.newest,
) -> Page[ListedArticle]:
    """Newest first, keyset on (published_at, article_id); or least recently changed first."""
    statement = listed_articles(*article_conditions(filters))
    if sort is ArticleSort.updated:
        if after:
            bound = literal(dt.datetime.fromisoformat(after[0]), DateTime(timezone=True))
            statement = statement.where(
                tuple_(Article.updated_at, Article.article_id) > tuple_(bound, after[1])
            )
        statement = statement.order_by(Article.updated_at, Article.article_id)
        rows = [as_listed(row) for row in session.execute(statement.limit(limit + 1))]
        return keyset_page(rows, limit, lambda a: [a.updated_at.isoformat(), a.article_id])
    if after:
        statement = statement.where(after_published(after, newest=True))
    rows = [as_listed(row) for row in session.execute(statement.order_by(*newest_first()).limit(limit + 1))]
    return keyset_page(rows, limit, lambda a: published_keyset(a.published_at, a.article_id))


def articles_by_id(session: Session, ids: list[int]) -> dict[int, ListedArticle]:
    rows = session.execute(listed_articles(Article.article_id.in_(ids)))
    return {row.article_id: as_listed(row) for row in rows}


def iter_articles(
    sessions: SessionFactory, filters: ArticleFilters, batch: int = 1000
) -> Iterator[list[ListedArticle]]:
    """Every matching article with its text, in id order, `batch` at a time (keyset: constant memory),
    each page in a session of its own (no pooled connection held while the consumer works)."""
    conditions = article_conditions(filters)
    last = 0
    while True:
        statement = listed_articles(*conditions, Article.article_id > last, with_text=True)
        with sessions() as session:
            rows = [
                as_listed(row) for row in session.execute(statement.order_by(Article.article_id).limit(batch))
            ]
        if not rows:
            return
        yield rows
        last = rows[-1].article_id
