"""Reading one article with what the pipeline found in it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.models import Article, Entity, Event, EventEvidence, Mention, Source


@dataclass
class ArticleDetail:
    article: Article
    source: str | None
    mentions: list[tuple[Mention, Entity]]
    evidence: list[tuple[EventEvidence, Event, Entity | None]]


def get_article(session: Session, article_id: int, *, include_rejected: bool = False) -> ArticleDetail | None:
    row = session.execute(
        select(Article, Source.name)
        .outerjoin(Source, Source.source_id == Article.source_id)
        .where(Article.article_id == article_id)
    ).first()
    if row is None:
        return None
    mentions = session.execute(
        select(Mention, Entity)
        .join(Entity, Entity.entity_id == Mention.entity_id)
        .where(Mention.article_id == article_id)
        .order_by(Mention.start_char, Mention.mention_id)
    ).all()
    place = aliased(Entity)
    evidence_query = (
        select(EventEvidence, Event, place)
        .join(Event, Event.event_id == EventEvidence.event_id)
        .outerjoin(place, place.entity_id == Event.location_entity_id)
        .where(EventEvidence.article_id == article_id)
        .order_by(EventEvidence.sentence_start, Event.event_id)
    )
    if not include_rejected:
        evidence_query = evidence_query.where(Event.status != "rejected")
    evidence = session.execute(evidence_query).all()
    return ArticleDetail(
        article=row[0],
        source=row[1],
        mentions=[(m, e) for m, e in mentions],
        evidence=[(ev, event, loc) for ev, event, loc in evidence],
    )


def count_articles(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Article)) or 0)
