from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Response, status
from fastapi.responses import StreamingResponse
from pydantic import Field, StringConstraints

from api import convert, exports, schemas
from api.auth import WriterDep, reads_allowed
from api.cursors import decode_cursor, decode_published_cursor, next_cursor, search_kind
from api.deps import SearchIndexDep, SessionDep, SessionsDep
from api.errors import InvalidParameter, NotFound, problem_responses
from api.exports import ExportFormat
from api.params import (
    ArticleId,
    Cursor,
    Limit,
    UpdatedSince,
    as_utc,
    event_types_named,
    fields_query,
    with_fields,
)
from api.routing import OneHopRoute, handlers_running
from api.schemas import IsoDate, Ref
from db import articles, search_index
from db.articles import ArticleFilters, ArticleSort
from db.search import SearchParams, SearchSort
from db.timeline import Interval, TooManyBuckets
from ingest.load import load_records
from ingest.records import ArticleRecord

router = APIRouter(route_class=OneHopRoute, prefix="/v1", tags=["articles"])


@router.get(
    "/search",
    dependencies=[Depends(reads_allowed)],
    summary="Search articles",
    response_model=schemas.SearchPageWithFacets,
    responses=problem_responses(422),
)
def search_articles(
    session: SessionDep,
    index: SearchIndexDep,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description='Web-search syntax: words, "quoted phrases", OR, -exclusion. Omit to browse.',
            examples=["Panjwai", "Taliban -Tajikistan", '"Bagram Air Base" OR Panjwai'],
        ),
    ] = None,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="Published on or after this date (ISO 8601).")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Published on or before this date.")
    ] = None,
    source: Annotated[
        list[Ref] | None, Query(description="Publisher name, case-insensitive; repeat for several.")
    ] = None,
    sort: Annotated[
        SearchSort | None,
        Query(
            description="relevance (default with q; BM25 over every match, title and lede weighted), "
            "newest, or oldest."
        ),
    ] = None,
    entity: Annotated[
        list[Ref] | None,
        Query(
            description="Articles mentioning this entity (id or name); repeat: all of them.",
            examples=["Taliban"],
        ),
    ] = None,
    location: Annotated[
        list[Ref] | None,
        Query(
            description="Articles mentioning this place (id or name) or reporting an event there; any one."
        ),
    ] = None,
    country: Annotated[
        list[Annotated[str, StringConstraints(pattern="^[A-Za-z]{2}$")]] | None,
        Query(description="ISO 3166-1 alpha-2: articles naming a place there or reporting an event there."),
    ] = None,
    event_type: Annotated[
        list[Ref] | None,
        Query(
            description="Articles reporting an event of this type (an Annals type, or an ACLED event or "
            "sub-event type, case-insensitive); repeat: any.",
            examples=["territory_captured"],
        ),
    ] = None,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Articles reporting an event (of `event_type`, when given) with at least this "
            "confidence (0–1).",
        ),
    ] = None,
    facets: Annotated[
        bool,
        Query(description="Add facets (sources, entities, event types, dates) over the whole result set."),
    ] = False,
    histogram: Annotated[Interval, Query(description="Bucket size of the date facet.")] = Interval.month,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> schemas.SearchPageWithFacets:
    """Full-text search over article titles and texts, with highlighted snippets.

    Results are keyset-paginated: follow `next_cursor` until it is null; it walks every match. `total`
    counts every match exactly; facets describe them all.
    """
    if date_from and date_to and date_from > date_to:
        raise InvalidParameter("from", "`from` is after `to`.")
    chosen = sort or (SearchSort.relevance if q and q.strip() else SearchSort.newest)
    if chosen is SearchSort.relevance and not (q and q.strip()):
        raise InvalidParameter("sort", "sort=relevance needs a query `q`.")
    kind = search_kind(chosen.value)
    if chosen is SearchSort.relevance:
        after = decode_cursor(cursor, kind, ((int, float), int, int))
    else:
        after = decode_published_cursor(cursor, kind)
    params = SearchParams(
        q=q,
        date_from=date_from,
        date_to=date_to,
        sources=source or [],
        entities=entity or [],
        locations=location or [],
        countries=country or [],
        event_types=event_types_named("event_type", event_type or []),
        min_confidence=min_confidence,
        sort=chosen,
        limit=limit,
        after=after,
    )
    found_facets = None
    if facets:
        try:
            alone = handlers_running() == 1  # a second core for the facets only while no one waits for it
            page, counted = search_index.search_with_facets(session, index, params, histogram, overlap=alone)
        except TooManyBuckets as error:
            raise InvalidParameter("histogram", str(error)) from error
        found_facets = convert.facets(counted)
    else:
        page = search_index.search_articles(session, index, params)
    return schemas.SearchPageWithFacets(
        items=[schemas.SearchHit.model_validate(hit, from_attributes=True) for hit in page.hits],
        next_cursor=next_cursor(kind, page.next_after),
        total=schemas.Total(value=page.total, relation="eq" if page.total_is_exact else "gte"),
        facets=found_facets,
    )


async def article_filters(
    source: Annotated[
        list[str] | None, Query(description="Publisher name, case-insensitive; repeat for several.")
    ] = None,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="Published on or after this date (ISO 8601).")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Published on or before this date.")
    ] = None,
    external_id: Annotated[
        list[str] | None,
        Query(description="The id the article was loaded with, exactly; repeat for several."),
    ] = None,
    url: Annotated[
        list[str] | None, Query(description="The article's URL, exactly; repeat for several.")
    ] = None,
    updated_since: UpdatedSince = None,
) -> ArticleFilters:
    if date_from and date_to and date_from > date_to:
        raise InvalidParameter("from", "`from` is after `to`.")
    return ArticleFilters(
        sources=source or [],
        date_from=date_from,
        date_to=date_to,
        external_ids=external_id or [],
        urls=url or [],
        updated_since=as_utc(updated_since),
    )


ArticleFiltersDep = Annotated[ArticleFilters, Depends(article_filters)]


@router.get(
    "/articles",
    dependencies=[Depends(reads_allowed)],
    summary="List articles",
    response_model=schemas.Page[schemas.ArticleListItem],
    responses=problem_responses(422),
)
def list_articles(
    session: SessionDep,
    filters: ArticleFiltersDep,
    sort: Annotated[
        ArticleSort,
        Query(description="newest (published, undated last) or updated (least recently changed first)."),
    ] = ArticleSort.newest,
    limit: Limit = 20,
    cursor: Cursor = None,
    fields: Annotated[
        str | None, fields_query(schemas.ArticleListItem, "article_id,title,published_at")
    ] = None,
) -> schemas.Page[schemas.ArticleListItem] | Response:
    """The stored articles, newest first (undated last), without their text: find one by the
    `external_id` or `url` it was loaded with, or list a source's articles over a period.

    `curl 'localhost:8000/v1/articles?external_id=002_8c376fa589bd7352'`"""
    kind = f"articles:{sort.value}"
    after = decode_published_cursor(cursor, kind)
    if after and after[0] is None and sort is ArticleSort.updated:
        raise InvalidParameter("cursor", "This cursor is malformed.")
    page = articles.list_articles(session, filters, limit, after, sort)
    body = schemas.Page[schemas.ArticleListItem](
        items=[convert.article_item(row) for row in page.items],
        next_cursor=next_cursor(kind, page.next_after),
    )
    return with_fields(body, schemas.ArticleListItem, fields)  # type: ignore[no-any-return]


@router.get(
    "/articles/export",
    dependencies=[Depends(reads_allowed)],
    summary="Export articles",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every matching article with its text, streamed.",
            "headers": {"Content-Disposition": {"description": 'attachment; filename="articles.csv"'}},
            "content": {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {}},
        },
        **problem_responses(422),
    },
)
def export_articles(
    sessions: SessionsDep,
    filters: ArticleFiltersDep,
    export: Annotated[
        Literal[ExportFormat.csv, ExportFormat.ndjson],
        Query(alias="format", description="csv or ndjson (one article per line)."),
    ] = ExportFormat.csv,
) -> StreamingResponse:
    """Every article matching the filters of `GET /v1/articles`, with its text, in id order, streamed.

    `curl -OJ 'localhost:8000/v1/articles/export?source=TRT%20World'`"""
    disposition = f'attachment; filename="{exports.filename("articles", export)}"'
    return StreamingResponse(
        exports.article_chunks(sessions, filters, export),
        media_type=exports.MEDIA_TYPES[export],
        headers={"Content-Disposition": disposition},
    )


@router.get(
    "/articles/{article_id}",
    dependencies=[Depends(reads_allowed)],
    summary="Get an article",
    response_model=schemas.Article,
    responses=problem_responses(404, 422),
)
def get_article(
    session: SessionDep,
    article_id: ArticleId,
) -> schemas.Article:
    """The article's cleaned text with its entity mentions (character offsets) and the events it reports."""
    detail = articles.get_article(session, article_id)
    if detail is None:
        raise NotFound(f"No article with id {article_id}.")
    return convert.article(detail)


MAX_BATCH = 100
ArticleBatch = Annotated[list[ArticleRecord], Field(min_length=1, max_length=MAX_BATCH)]


@router.post(
    "/articles",
    summary="Load articles",
    response_model=schemas.LoadResult,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Every article was already present", "model": schemas.LoadResult},
        **problem_responses(400, 401, 403, 422),
    },
)
def create_articles(
    sessions: SessionsDep,
    key_name: WriterDep,
    body: Annotated[
        ArticleRecord | ArticleBatch, Body(description=f"One article, or a list of up to {MAX_BATCH}.")
    ],
    response: Response,
) -> schemas.LoadResult:
    """Load one article or a batch through the pipeline (cleaning, entities, events), in one transaction.

    Idempotent: an article whose cleaned text or URL is already stored is not loaded again; its item
    says `already_present` with the stored id. Answers 201 when anything was created, else 200.
    Needs a key with scope `write`.
    """
    records = body if isinstance(body, list) else [body]
    report = load_records(sessions, records, batch_size=MAX_BATCH)
    if not report.created:
        response.status_code = status.HTTP_200_OK
    items = []
    for index in range(len(records)):
        if index not in report.outcomes:
            items.append(
                schemas.LoadedArticle(index=index, status="skipped", reason="no text left after cleaning")
            )
            continue
        state, article_id = report.outcomes[index]
        items.append(
            schemas.LoadedArticle(
                index=index, status=state, article_id=article_id, href=f"/v1/articles/{article_id}"
            )
        )
    return schemas.LoadResult(
        items=items, created=len(report.created), already_present=len(report.already_present)
    )
