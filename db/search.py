"""Full-text article search over the generated tsvector.

Relevance ranks a bounded candidate set (the RELEVANCE_CANDIDATES newest matches) with ts_rank_cd,
so that the commonest words cost the same as rare ones; newest/oldest walk the
(published_at, article_id) index. Every order ends on article_id, so keyset cursors are exact.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import INTERVAL
from sqlalchemy.orm import Session

from db.article_order import after_published, newest_first, oldest_first
from db.entity_refs import entities_named
from db.models import Article, Entity, Event, EventEvidence, Mention, Source
from db.pages import keyset_page, published_keyset
from db.timeline import MAX_BUCKETS, Interval, TooManyBuckets, bucket_count

RELEVANCE_CANDIDATES = 1000
TOTAL_CAP = 10_000
_START, _STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f'StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
)


class SearchSort(StrEnum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"


@dataclass
class SearchParams:
    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # ids or names: every one mentioned
    locations: list[str] = field(default_factory=list)  # ids or names: any one mentioned, or an event there
    countries: list[str] = field(default_factory=list)  # ISO alpha-2: a place there mentioned, or an event
    event_types: list[str] = field(default_factory=list)  # reports an event of any of these types
    min_confidence: float | None = None  # reports an event (of those types) with at least this confidence
    sort: SearchSort = SearchSort.relevance
    limit: int = 20
    after: list[Any] | None = None  # keyset values of the last row of the previous page


@dataclass
class SearchHit:
    article_id: int
    title: str
    source: str | None
    published_at: dt.datetime | None
    url: str | None
    external_id: str | None
    snippet: str
    score: float | None


@dataclass
class SearchPage:
    hits: list[SearchHit]
    next_after: list[Any] | None
    total: int
    total_is_exact: bool


def query_of(q: str | None) -> ColumnElement[Any] | None:
    if not q or not q.strip():
        return None
    return func.websearch_to_tsquery("english", q)


@dataclass
class Resolved:
    """Entity and place references of the params, as ids (a name stands for every entity with that alias)."""

    entity_ids: list[list[int]]
    location_ids: list[int]


def resolve(session: Session, params: SearchParams) -> Resolved:
    entity_ids = [[e.entity_id for e in entities_named(session, [ref])] for ref in params.entities]
    location_ids = (
        [e.entity_id for e in entities_named(session, params.locations)] if params.locations else []
    )
    return Resolved(entity_ids, location_ids)


def filters(
    params: SearchParams, tsquery: ColumnElement[Any] | None, resolved: Resolved
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if tsquery is not None:
        conditions.append(Article.search_vector.op("@@")(tsquery))
    if params.date_from:
        conditions.append(Article.published_at >= dt.datetime.combine(params.date_from, dt.time(), dt.UTC))
    if params.date_to and params.date_to < dt.date.max:
        day_after = params.date_to + dt.timedelta(days=1)
        conditions.append(Article.published_at < dt.datetime.combine(day_after, dt.time(), dt.UTC))
    if params.sources:
        names = select(Source.source_id).where(
            func.lower(Source.name).in_([s.lower() for s in params.sources])
        )
        conditions.append(Article.source_id.in_(names))
    return conditions + related_filters(params, resolved)


def related_filters(params: SearchParams, resolved: Resolved) -> list[ColumnElement[bool]]:
    """Conditions on what the pipeline found in the article: entities, places, countries, events."""
    conditions: list[ColumnElement[bool]] = [
        Article.article_id.in_(select(Mention.article_id).where(Mention.entity_id.in_(ids)))
        for ids in resolved.entity_ids
    ]
    if params.locations:
        mentioned = select(Mention.article_id).where(Mention.entity_id.in_(resolved.location_ids))
        located = reported_events().where(Event.location_entity_id.in_(resolved.location_ids))
        conditions.append(or_(Article.article_id.in_(mentioned), Article.article_id.in_(located)))
    if params.countries:
        codes = [code.upper() for code in params.countries]
        places = select(Entity.entity_id).where(Entity.country_code.in_(codes))
        mentioned = select(Mention.article_id).where(Mention.entity_id.in_(places))
        located = reported_events().where(Event.country_code.in_(codes))
        conditions.append(or_(Article.article_id.in_(mentioned), Article.article_id.in_(located)))
    if params.event_types or params.min_confidence is not None:
        reporting = reported_events()
        if params.event_types:
            reporting = reporting.where(Event.event_type.in_(params.event_types))
        if params.min_confidence is not None:
            reporting = reporting.where(Event.confidence >= params.min_confidence)
        conditions.append(Article.article_id.in_(reporting))
    return conditions


def reported_events() -> Select[Any]:
    """Article ids with evidence of a (not rejected) event; callers add the event condition."""
    return (
        select(EventEvidence.article_id)
        .join(Event, Event.event_id == EventEvidence.event_id)
        .where(Event.status != "rejected")
    )


def page_statement(
    params: SearchParams, tsquery: ColumnElement[Any] | None, conditions: list[ColumnElement[bool]]
) -> Select[Any, Any]:
    if params.sort is SearchSort.relevance and tsquery is not None:
        candidates = (
            select(Article.article_id)
            .where(*conditions)
            .order_by(*newest_first())
            .limit(RELEVANCE_CANDIDATES)
            .subquery()
        )
        score = cast(func.ts_rank_cd(Article.search_vector, tsquery, 32), Float).label("score")
        statement = select(Article.article_id, score).join(
            candidates, candidates.c.article_id == Article.article_id
        )
        if params.after:
            statement = statement.where(
                tuple_(score, Article.article_id) < tuple_(float(params.after[0]), int(params.after[1]))
            )
        return statement.order_by(score.desc(), Article.article_id.desc()).limit(params.limit + 1)
    newest = params.sort is not SearchSort.oldest
    statement = select(Article.article_id, Article.published_at).where(*conditions)
    if params.after:
        statement = statement.where(after_published(params.after, newest))
    order = newest_first() if newest else oldest_first()
    return statement.order_by(*order).limit(params.limit + 1)


def count_matches(session: Session, conditions: list[ColumnElement[bool]]) -> tuple[int, bool]:
    """(count, exact): counting stops at TOTAL_CAP so that a common word costs no more than that."""
    capped = select(Article.article_id).where(*conditions, true()).limit(TOTAL_CAP + 1).subquery()
    count = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    return min(count, TOTAL_CAP), count <= TOTAL_CAP


def highlight(marked: str) -> str:
    return html.escape(marked, quote=False).replace(_START, "<mark>").replace(_STOP, "</mark>")


def search_articles(session: Session, params: SearchParams) -> SearchPage:
    tsquery = query_of(params.q)
    conditions = filters(params, tsquery, resolve(session, params))
    page = keyset_page(
        session.execute(page_statement(params, tsquery, conditions)).all(), params.limit, keyset
    )
    rows = page.items
    ids = [row.article_id for row in rows]
    if tsquery is not None:
        snippet = func.ts_headline("english", Article.text, tsquery, HEADLINE_OPTIONS)
    else:
        snippet = func.left(Article.text, 240)
    details = {
        row.article_id: row
        for row in session.execute(
            select(
                Article.article_id,
                Article.title,
                Article.published_at,
                Article.url,
                Article.external_id,
                Source.name.label("source"),
                snippet.label("snippet"),
            )
            .outerjoin(Source, Source.source_id == Article.source_id)
            .where(Article.article_id.in_(ids))
        )
    }
    hits = []
    for row in rows:
        detail = details[row.article_id]
        hits.append(
            SearchHit(
                article_id=row.article_id,
                title=detail.title,
                source=detail.source,
                published_at=detail.published_at,
                url=detail.url,
                external_id=detail.external_id,
                snippet=highlight(detail.snippet),
                score=getattr(row, "score", None),
            )
        )
    total, exact = count_matches(session, conditions)
    return SearchPage(hits, page.next_after, total, exact)


def keyset(row: Any) -> list[Any]:
    """(score, article_id) by relevance, else (published_at, article_id)."""
    if hasattr(row, "score"):
        return [row.score, row.article_id]
    return published_keyset(row.published_at, row.article_id)


@dataclass
class FacetCount:
    key: str
    count: int
    entity: Entity | None = None


@dataclass
class Facets:
    sources: list[FacetCount]
    entities: list[FacetCount]
    event_types: list[FacetCount]
    dates: list[FacetCount]
    exact: bool  # False when the result set passed TOTAL_CAP and facets cover its first TOTAL_CAP rows


FACET_SIZE = 10


def search_facets(session: Session, params: SearchParams, interval: Interval) -> Facets:
    """Facets over the whole result set (up to TOTAL_CAP articles), not the page."""
    tsquery = query_of(params.q)
    matched = (
        select(Article.article_id)
        .where(*filters(params, tsquery, resolve(session, params)), true())
        .limit(TOTAL_CAP + 1)
        .cte("matched")
    )
    size = int(session.scalar(select(func.count()).select_from(matched)) or 0)
    per_source = session.execute(
        select(Source.name, func.count())
        .select_from(matched)
        .join(Article, Article.article_id == matched.c.article_id)
        .join(Source, Source.source_id == Article.source_id)
        .group_by(Source.name)
        .order_by(func.count().desc(), Source.name)
        .limit(FACET_SIZE)
    ).all()
    article_count = func.count(func.distinct(Mention.article_id))
    per_entity = session.execute(
        select(Entity, article_count)
        .select_from(matched)
        .join(Mention, Mention.article_id == matched.c.article_id)
        .join(Entity, Entity.entity_id == Mention.entity_id)
        .group_by(Entity.entity_id)
        .order_by(article_count.desc(), Entity.mention_count.desc(), Entity.entity_id)
        .limit(FACET_SIZE)
    ).all()
    reporting = func.count(func.distinct(EventEvidence.article_id))
    per_type = session.execute(
        select(Event.event_type, reporting)
        .select_from(matched)
        .join(EventEvidence, EventEvidence.article_id == matched.c.article_id)
        .join(Event, Event.event_id == EventEvidence.event_id)
        .where(Event.status != "rejected")
        .group_by(Event.event_type)
        .order_by(reporting.desc(), Event.event_type)
    ).all()
    return Facets(
        sources=[FacetCount(name, count) for name, count in per_source],
        entities=[FacetCount(str(entity.entity_id), count, entity) for entity, count in per_entity],
        event_types=[FacetCount(name, count) for name, count in per_type],
        dates=date_histogram(session, matched, interval),
        exact=size <= TOTAL_CAP,
    )


def date_histogram(session: Session, matched: Any, interval: Interval) -> list[FacetCount]:
    """Articles per bucket of publication date (UTC), empty buckets included (generate_series);
    TooManyBuckets beyond the timeline's cap, checked before any bucket is made."""
    bucket = func.date_trunc(interval.value, func.timezone("UTC", Article.published_at))
    counts = (
        select(bucket.label("bucket"), func.count().label("n"))
        .select_from(matched)
        .join(Article, Article.article_id == matched.c.article_id)
        .where(Article.published_at.is_not(None))
        .group_by(bucket)
        .cte("counts")
    )
    first, last = session.execute(select(func.min(counts.c.bucket), func.max(counts.c.bucket))).one()
    if first is not None and (count := bucket_count(interval, first.date(), last.date())) > MAX_BUCKETS:
        raise TooManyBuckets(count)
    step = cast(literal(f"1 {interval.value}"), INTERVAL)
    series = select(
        func.generate_series(func.min(counts.c.bucket), func.max(counts.c.bucket), step).label("bucket")
    ).subquery()
    rows = session.execute(
        select(series.c.bucket, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.bucket == series.c.bucket)
        .order_by(series.c.bucket)
    ).all()
    return [FacetCount(start.date().isoformat(), count) for start, count in rows]
