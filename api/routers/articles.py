from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import convert, schemas
from api.cursors import decode_cursor, encode_cursor
from api.deps import SessionDep
from api.errors import InvalidParameter, NotFound, problem_responses
from db.articles import get_article as fetch_article
from db.search import SearchParams, SearchSort
from db.search import search_articles as run_search

router = APIRouter(prefix="/v1", tags=["articles"])

MAX_LIMIT = 100


@router.get(
    "/search",
    summary="Search articles",
    response_model=schemas.SearchPage,
    responses=problem_responses(422),
)
def search_articles(
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Web-search syntax: words, "quoted phrases", OR, -exclusion. Omit to browse.',
            examples=["Panjwai", "Taliban -Tajikistan", '"Bagram Air Base" OR Panjwai'],
        ),
    ] = None,
    date_from: Annotated[
        dt.date | None, Query(alias="from", description="Published on or after this date (ISO 8601).")
    ] = None,
    date_to: Annotated[
        dt.date | None, Query(alias="to", description="Published on or before this date.")
    ] = None,
    source: Annotated[
        list[str] | None, Query(description="Publisher name, case-insensitive; repeat for several.")
    ] = None,
    sort: Annotated[
        SearchSort | None,
        Query(description="relevance (default with q; ranks the 1,000 newest matches), newest, or oldest."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = 20,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> schemas.SearchPage:
    """Full-text search over article titles and texts, with highlighted snippets.

    Results are keyset-paginated: follow `next_cursor` until it is null. `total` counts matches up to
    10,000 (`relation: gte` beyond).
    """
    if date_from and date_to and date_from > date_to:
        raise InvalidParameter("from", "`from` is after `to`.")
    chosen = sort or (SearchSort.relevance if q and q.strip() else SearchSort.newest)
    if chosen is SearchSort.relevance and not (q and q.strip()):
        raise InvalidParameter("sort", "sort=relevance needs a query `q`.")
    kind = f"search:{chosen.value}"
    shape = ((int, float), int) if chosen is SearchSort.relevance else ((str, type(None)), int)
    after = decode_cursor(cursor, kind, shape)
    if after and isinstance(after[0], str):
        try:
            dt.datetime.fromisoformat(after[0])
        except ValueError as error:
            raise InvalidParameter("cursor", "This cursor is malformed.") from error
    params = SearchParams(
        q=q, date_from=date_from, date_to=date_to, sources=source or [], sort=chosen, limit=limit, after=after
    )
    page = run_search(session, params)
    return schemas.SearchPage(
        items=[schemas.SearchHit.model_validate(hit, from_attributes=True) for hit in page.hits],
        next_cursor=encode_cursor(kind, page.next_after) if page.next_after else None,
        total=schemas.Total(value=page.total, relation="eq" if page.total_is_exact else "gte"),
    )


@router.get(
    "/articles/{article_id}",
    summary="Get an article",
    response_model=schemas.Article,
    responses=problem_responses(404, 422),
)
def get_article(
    session: SessionDep,
    article_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="The article's id.", examples=[3])],
) -> schemas.Article:
    """The article's cleaned text with its entity mentions (character offsets) and the events it reports."""
    detail = fetch_article(session, article_id)
    if detail is None:
        raise NotFound(f"No article with id {article_id}.")
    return convert.article(detail)
