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

from sqlalchemy import ColumnElement, Float, Select, and_, cast, func, or_, select, true, tuple_
from sqlalchemy.orm import Session

from db.models import Article, Source

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


def filters(params: SearchParams, tsquery: ColumnElement[Any] | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if tsquery is not None:
        conditions.append(Article.search_vector.op("@@")(tsquery))
    if params.date_from:
        conditions.append(Article.published_at >= dt.datetime.combine(params.date_from, dt.time(), dt.UTC))
    if params.date_to:
        day_after = params.date_to + dt.timedelta(days=1)
        conditions.append(Article.published_at < dt.datetime.combine(day_after, dt.time(), dt.UTC))
    if params.sources:
        names = select(Source.source_id).where(
            func.lower(Source.name).in_([s.lower() for s in params.sources])
        )
        conditions.append(Article.source_id.in_(names))
    return conditions


def after_published(after: list[Any], newest: bool) -> ColumnElement[bool]:
    """Rows after (published_at, article_id) in the order published_at DESC NULLS LAST (or its reverse)."""
    published = dt.datetime.fromisoformat(after[0]) if after[0] is not None else None
    article_id = int(after[1])
    if newest:
        if published is None:
            return and_(Article.published_at.is_(None), Article.article_id < article_id)
        return or_(
            Article.published_at < published,
            and_(Article.published_at == published, Article.article_id < article_id),
            Article.published_at.is_(None),
        )
    if published is None:
        return or_(
            and_(Article.published_at.is_(None), Article.article_id > article_id),
            Article.published_at.is_not(None),
        )
    return or_(
        Article.published_at > published,
        and_(Article.published_at == published, Article.article_id > article_id),
    )


def newest_first() -> list[ColumnElement[Any]]:
    return [Article.published_at.desc().nulls_last(), Article.article_id.desc()]


def oldest_first() -> list[ColumnElement[Any]]:
    return [Article.published_at.asc().nulls_first(), Article.article_id.asc()]


def page_statement(params: SearchParams, tsquery: ColumnElement[Any] | None) -> Select[Any, Any]:
    conditions = filters(params, tsquery)
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


def count_matches(
    session: Session, params: SearchParams, tsquery: ColumnElement[Any] | None
) -> tuple[int, bool]:
    """(count, exact): counting stops at TOTAL_CAP so that a common word costs no more than that."""
    capped = (
        select(Article.article_id).where(*filters(params, tsquery), true()).limit(TOTAL_CAP + 1).subquery()
    )
    count = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    return min(count, TOTAL_CAP), count <= TOTAL_CAP


def highlight(marked: str) -> str:
    return html.escape(marked, quote=False).replace(_START, "<mark>").replace(_STOP, "</mark>")


def search_articles(session: Session, params: SearchParams) -> SearchPage:
    tsquery = query_of(params.q)
    rows = session.execute(page_statement(params, tsquery)).all()
    more = len(rows) > params.limit
    rows = rows[: params.limit]
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
    next_after: list[Any] | None = None
    if more and rows:
        last = rows[-1]
        if hasattr(last, "score"):
            next_after = [last.score, last.article_id]
        else:
            next_after = [last.published_at.isoformat() if last.published_at else None, last.article_id]
    total, exact = count_matches(session, params, tsquery)
    return SearchPage(hits, next_after, total, exact)
