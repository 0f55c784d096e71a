"""ORM rows to response schemas: one place that knows each shape."""

from __future__ import annotations

import hashlib
from typing import Any

from api import schemas
from api.links import absolute, article_links, entity_links, event_links
from db import models
from db.articles import ArticleDetail, ArticleEvent, ListedArticle
from db.curation import EventChanges, NewEvidence
from db.entities import EntityDetail
from db.entity_rows import ListedEntity
from db.events import EntityRef, EventDetail
from db.search import FacetCount, Facets
from db.taxonomy import CODINGS, EventType, geo_precision
from db.timeline import Series


def entity_summary(entity: models.Entity | ListedEntity | EntityRef) -> schemas.EntitySummary:
    return schemas.EntitySummary(entity_id=entity.entity_id, name=entity.name, type=entity.entity_type)


def event_summary(event: models.Event, location: models.Entity | None) -> schemas.EventSummary:
    return schemas.EventSummary(
        event_id=event.event_id,
        type=event.event_type,
        date_start=event.date_start,
        date_end=event.date_end,
        date_precision=event.date_precision,
        location=entity_summary(location) if location else None,
        location_text=event.location_text,
        country_code=event.country_code,
        fatalities=event.fatalities,
        summary=event.summary,
        status=event.status,
    )


def article(detail: ArticleDetail) -> schemas.Article:
    return schemas.Article(
        article_id=detail.article_id,
        external_id=detail.external_id,
        url=detail.url,
        title=detail.title,
        source=detail.source,
        published_at=detail.published_at,
        language=detail.language,
        text=detail.text,
        pipeline_version=detail.pipeline_version,
        ingested_at=detail.ingested_at,
        mentions=[
            schemas.Mention(
                entity=schemas.EntitySummary(entity_id=m.entity_id, name=m.name, type=m.entity_type),
                start=m.start,
                end=m.end,
                text=m.text,
            )
            for m in detail.mentions
        ],
        events=[article_evidence(event) for event in detail.events],
        links=article_links(detail.article_id),
    )


def article_evidence(event: ArticleEvent) -> schemas.ArticleEvidence:
    location = event.location
    return schemas.ArticleEvidence(
        event=schemas.EventSummary(
            event_id=event.event_id,
            type=event.event_type,
            date_start=event.date_start,
            date_end=event.date_end,
            date_precision=event.date_precision,
            location=schemas.EntitySummary(entity_id=location[0], name=location[1], type=location[2])
            if location
            else None,
            location_text=event.location_text,
            country_code=event.country_code,
            fatalities=event.fatalities,
            summary=event.summary,
            status=event.status,
        ),
        sentence_start=event.sentence_start,
        sentence_end=event.sentence_end,
        quote=event.quote,
    )


def article_item(row: ListedArticle) -> schemas.ArticleListItem:
    return schemas.ArticleListItem(
        article_id=row.article_id,
        external_id=row.external_id,
        url=row.url,
        title=row.title,
        source=row.source,
        published_at=row.published_at,
        language=row.language,
        pipeline_version=row.pipeline_version,
        created_at=row.created_at,
        updated_at=row.updated_at,
        links=article_links(row.article_id),
    )


def event(detail: EventDetail) -> schemas.Event:
    row = detail.event
    coding = CODINGS[EventType(row.event_type)]
    return schemas.Event(
        event_id=row.event_id,
        type=row.event_type,
        acled_event_type=coding.acled_event_type,
        acled_sub_event_type=coding.acled_sub_event_type,
        cameo_root=coding.cameo_root,
        date_start=row.date_start,
        date_end=row.date_end,
        date_precision=row.date_precision,
        location=entity_summary(detail.location) if detail.location else None,
        location_text=row.location_text,
        country_code=row.country_code,
        admin1=row.admin1,
        latitude=row.latitude,
        longitude=row.longitude,
        geo_precision=geo_precision(
            detail.location.place_kind if detail.location else None, row.location_entity_id is not None
        ),
        fatalities=row.fatalities,
        fatalities_qualifier=row.fatalities_qualifier,
        people_count=row.people_count,
        people_qualifier=row.people_qualifier,
        summary=row.summary,
        confidence=row.confidence,
        status=row.status,
        participants=[
            schemas.EventParticipant(entity=entity_summary(entity), role=role)
            for entity, role in detail.participants
        ],
        evidence=[
            schemas.EventEvidence(
                article_id=item.article_id,
                title=item.title,
                source=item.source,
                published_at=item.published_at,
                sentence_start=item.sentence_start,
                sentence_end=item.sentence_end,
                quote=item.quote,
                link=absolute(f"/v1/articles/{item.article_id}"),
            )
            for item in detail.evidence
        ],
        links=event_links(row.event_id),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def timeline(interval: str, metric: str, series: list[Series]) -> schemas.Timeline:
    return schemas.Timeline(
        interval=interval,
        metric=metric,
        series=[
            schemas.TimelineSeries(
                entity=entity_summary(one.entity) if one.entity else None,
                buckets=[
                    schemas.TimelineBucket(
                        start=bucket.start,
                        value=bucket.value,
                        events=[event(detail) for detail in bucket.events]
                        if bucket.events is not None
                        else None,
                    )
                    for bucket in one.buckets
                ],
            )
            for one in series
        ],
    )


def event_feature(item: schemas.Event) -> dict[str, Any]:
    """An RFC 7946 Feature: a Point at [longitude, latitude], or no geometry when the place is unknown."""
    geometry = None
    if item.longitude is not None and item.latitude is not None:
        geometry = {"type": "Point", "coordinates": [item.longitude, item.latitude]}
    return {
        "type": "Feature",
        "id": item.event_id,
        "geometry": geometry,
        "properties": item,  # serialised by pydantic with the rest (pydantic_core.to_json)
    }


def events_geojson(page: schemas.EventPage) -> dict[str, Any]:
    """A FeatureCollection; `next_cursor` is a foreign member (RFC 7946 §6.1)."""
    return {
        "type": "FeatureCollection",
        "features": [event_feature(item) for item in page.items],
        "next_cursor": page.next_cursor,
    }


def place(entity: models.Entity | ListedEntity) -> schemas.Place | None:
    if entity.entity_type != "location":
        return None
    return schemas.Place(
        kind=entity.place_kind,
        country_code=entity.country_code,
        admin1=entity.admin1,
        latitude=entity.latitude,
        longitude=entity.longitude,
    )


def entity_match(
    entity: ListedEntity, match: str | None, matched_alias: str | None, score: float | None
) -> schemas.EntityMatch:
    return schemas.EntityMatch(
        entity_id=entity.entity_id,
        name=entity.name,
        type=entity.entity_type,
        aliases=sorted({alias.alias for alias in entity.aliases}),
        place=place(entity),
        mention_count=entity.mention_count,
        updated_at=entity.updated_at,
        links=entity_links(entity.entity_id),
        match=match,
        matched_alias=matched_alias,
        score=score,
    )


def entity(detail: EntityDetail) -> schemas.Entity:
    row, stats = detail.entity, detail.stats
    return schemas.Entity(
        entity_id=row.entity_id,
        name=row.name,
        type=row.entity_type,
        aliases=sorted({alias.alias for alias in row.aliases}),
        linked_names=[
            schemas.LinkedName(
                name=link.name, reason=link.reason, matched=link.matched, articles=link.articles
            )
            for link in detail.links
        ],
        place=place(row),
        counts=schemas.EntityCounts(mentions=stats.mentions, articles=stats.articles, events=stats.events),
        first_seen=stats.first_seen,
        last_seen=stats.last_seen,
        co_occurring=[
            schemas.CoOccurring(entity=entity_summary(item.entity), articles=item.articles)
            for item in detail.co_occurring
        ],
        links=entity_links(row.entity_id),
    )


def facets(found: Facets) -> schemas.SearchFacets:
    def buckets(counts: list[FacetCount]) -> list[schemas.FacetBucket]:
        return [
            schemas.FacetBucket(
                key=c.key, count=c.count, entity=entity_summary(c.entity) if c.entity else None
            )
            for c in counts
        ]

    return schemas.SearchFacets(
        sources=buckets(found.sources),
        entities=buckets(found.entities),
        event_types=buckets(found.event_types),
        dates=buckets(found.dates),
        exact=found.exact,
    )


REQUIRED_EVENT_FIELDS = {"status", "type", "date_precision", "summary"}


def event_changes(body: schemas.EventPatch) -> EventChanges:
    """The fields the client sent; null for a field that cannot be empty means "leave it"."""
    values = body.model_dump(exclude_unset=True, exclude={"evidence"})
    values = {k: v for k, v in values.items() if v is not None or k not in REQUIRED_EVENT_FIELDS}
    names = {"type": "event_type"}
    changes = EventChanges(**{names.get(key, key): value for key, value in values.items()})
    changes.set_fields = {names.get(key, key) for key in values}
    return changes


def new_evidence(body: schemas.EventCreate) -> list[NewEvidence]:
    return [NewEvidence(item.article_id, item.quote) for item in body.evidence]


def event_etag(body: schemas.Event, revision: int) -> str:
    """`"event-{id}-r{revision}-{digest}"`: If-Match is checked against the revision (curation), while the
    digest of the body keeps If-None-Match honest when evidence from new articles joins the event."""
    digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:12]
    return f'"event-{body.event_id}-r{revision}-{digest}"'
