"""ORM rows to response schemas: one place that knows each shape."""

from __future__ import annotations

from api import schemas
from db import models
from db.articles import ArticleDetail


def entity_summary(entity: models.Entity) -> schemas.EntitySummary:
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
    row = detail.article
    return schemas.Article(
        article_id=row.article_id,
        external_id=row.external_id,
        url=row.url,
        title=row.title,
        source=detail.source,
        published_at=row.published_at,
        language=row.language,
        text=row.text,
        pipeline_version=row.pipeline_version,
        ingested_at=row.ingested_at,
        mentions=[
            schemas.Mention(entity=entity_summary(entity), start=m.start_char, end=m.end_char, text=m.text)
            for m, entity in detail.mentions
        ],
        events=[
            schemas.ArticleEvidence(
                event=event_summary(event, location),
                sentence_start=evidence.sentence_start,
                sentence_end=evidence.sentence_end,
                quote=evidence.quote,
            )
            for evidence, event, location in detail.evidence
        ],
    )
