from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from api import convert, exports, schemas
from api.auth import reads_allowed
from api.cursors import (
    ENTITIES,
    ENTITY_ARTICLES,
    decode_cursor,
    decode_event_cursor,
    decode_published_cursor,
    encode_cursor,
    entity_lookup_kind,
    event_cursor,
    next_cursor,
)
from api.deps import SearchIndexDep, SessionDep, SessionsDep
from api.errors import InvalidParameter, NotFound, problem_responses
from api.exports import ExportFormat
from api.params import (
    UPDATED_SINCE,
    Cursor,
    EntityId,
    Limit,
    UpdatedSince,
    as_utc,
    fields_query,
    with_fields,
)
from api.redirects import entity_etag, follow_merges
from api.routing import OneHopRoute
from api.schemas import IsoDateTime
from db import entities, events
from db.entities import LOOKUP_CANDIDATES
from db.events import EventFilters, EventSort

# Entity ids are digits in the path ({entity_id:int}): "/v1/entities/export" is its own route for every
# method (PATCH there is a 405, not an entity), and a non-numeric id is a 404 whatever the method.
router = APIRouter(
    route_class=OneHopRoute,
    prefix="/v1/entities",
    tags=["entities"],
    dependencies=[Depends(reads_allowed), Depends(follow_merges)],
)

EntityType = Literal["person", "organization", "location", "group"]


@router.get(
    "",
    summary="Look up entities",
    response_model=schemas.Page[schemas.EntityMatch],
    responses=problem_responses(422),
)
def list_entities(
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Name or alias; case- and accent-insensitive, prefix and typo tolerant. "
            "Omit to list entities by mention count.",
            examples=["stoltenburg", "Panjwai", "nato"],
        ),
    ] = None,
    type: Annotated[EntityType | None, Query(description="Only entities of this type.")] = None,
    country: Annotated[
        str | None,
        Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code of places.", examples=["AF"]),
    ] = None,
    updated_since: Annotated[
        IsoDateTime | None,  # no example: the examples of `q` and this one would make a 422 together
        Query(description=f"{UPDATED_SINCE} Lists entities, so not with `q` (a 422)."),
    ] = None,
    sort: Annotated[
        Literal["mentions", "updated"],
        Query(description="Without q: mentions (most first) or updated (least recently changed first)."),
    ] = "mentions",
    limit: Limit = 10,
    cursor: Cursor = None,
    fields: Annotated[str | None, fields_query(schemas.EntityMatch, "entity_id,name,type")] = None,
) -> schemas.Page[schemas.EntityMatch] | Response:
    """Autocomplete over entity names and aliases, for search boxes and for resolving a name to an id.

    Ranked by match quality (exact, prefix, word prefix, then typo-tolerant matches scored by the
    share of the query's trigrams they contain), then by how often the entity is mentioned. With a
    query, at most the best 200 matches are paged through.
    """
    if q is not None and updated_since is not None:
        raise InvalidParameter("updated_since", "updated_since lists entities; it does not combine with q.")
    if q is not None:
        kind = entity_lookup_kind(q)
        offset = (decode_cursor(cursor, kind, (int,)) or [0])[0]
        if not 0 <= offset <= LOOKUP_CANDIDATES:
            raise InvalidParameter("cursor", "This cursor is malformed.")
        matches = entities.lookup_entities(
            session, q, entity_type=type, country=country, wanted=offset + limit + 1
        )
        shown = matches[offset : offset + limit]
        more = offset + limit < len(matches)
        found = schemas.Page[schemas.EntityMatch](
            items=[convert.entity_match(m.entity, m.match, m.matched_alias, m.score) for m in shown],
            next_cursor=encode_cursor(kind, [offset + limit]) if more else None,
        )
        return with_fields(found, schemas.EntityMatch, fields)  # type: ignore[no-any-return]
    after = decode_cursor(cursor, ENTITIES, (int, int))
    page = entities.list_entities(
        session,
        entity_type=type,
        country=country,
        limit=limit,
        after=after,
        updated_since=as_utc(updated_since),
    )
    body = schemas.Page[schemas.EntityMatch](
        items=[convert.entity_match(entity, None, None, None) for entity in page.items],
        next_cursor=next_cursor(ENTITIES, page.next_after),
    )
    return with_fields(body, schemas.EntityMatch, fields)  # type: ignore[no-any-return]


@router.get(
    "/export",
    summary="Export entities",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every matching entity with its aliases and place data, streamed.",
            "headers": {"Content-Disposition": {"description": 'attachment; filename="entities.csv"'}},
            "content": {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {}},
        },
        **problem_responses(422),
    },
)
def export_entities(
    sessions: SessionsDep,
    type: Annotated[EntityType | None, Query(description="Only entities of this type.")] = None,
    country: Annotated[
        str | None,
        Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code of places.", examples=["AF"]),
    ] = None,
    updated_since: UpdatedSince = None,
    export: Annotated[
        Literal[ExportFormat.csv, ExportFormat.ndjson],
        Query(alias="format", description="csv or ndjson (one entity per line)."),
    ] = ExportFormat.csv,
) -> StreamingResponse:
    """Every entity (or those of a type, a country), in id order, streamed.

    `curl -OJ 'localhost:8000/v1/entities/export?type=location&format=ndjson'`"""
    chunks = exports.entity_chunks(
        sessions, export, entity_type=type, country=country, updated_since=as_utc(updated_since)
    )
    disposition = f'attachment; filename="{exports.filename("entities", export)}"'
    return StreamingResponse(
        chunks, media_type=exports.MEDIA_TYPES[export], headers={"Content-Disposition": disposition}
    )


@router.get(
    "/{entity_id:int}",
    summary="Get an entity",
    response_model=schemas.Entity,
    responses=problem_responses(404, 422),
)
def get_entity(
    session: SessionDep, index: SearchIndexDep, entity_id: EntityId, response: Response
) -> schemas.Entity:
    """Canonical name, type, aliases, place data, mention/article/event counts, first and last seen,
    and the entities it most often appears with. The `ETag` names its revision, for curation's
    `If-Match`; a merged entity's id answers 308 to the entity that absorbed it."""
    detail = entities.get_entity(session, entity_id, index)
    if detail is None:
        raise NotFound(f"No entity with id {entity_id}.")
    body = convert.entity(detail)
    response.headers["ETag"] = entity_etag(body, detail.entity.revision)
    return body


@router.get(
    "/{entity_id:int}/articles",
    summary="Articles mentioning an entity",
    response_model=schemas.Page[schemas.EntityArticle],
    responses=problem_responses(404, 422),
)
def list_entity_articles(
    session: SessionDep, index: SearchIndexDep, entity_id: EntityId, limit: Limit = 20, cursor: Cursor = None
) -> schemas.Page[schemas.EntityArticle]:
    """The articles that mention the entity, newest first, with the number of mentions in each."""
    if not entities.entity_exists(session, entity_id):
        raise NotFound(f"No entity with id {entity_id}.")
    after = decode_published_cursor(cursor, ENTITY_ARTICLES)
    page = entities.entity_articles(session, entity_id, limit=limit, after=after, index=index)
    return schemas.Page[schemas.EntityArticle](
        items=[schemas.EntityArticle.model_validate(row, from_attributes=True) for row in page.items],
        next_cursor=next_cursor(ENTITY_ARTICLES, page.next_after),
    )


@router.get(
    "/{entity_id:int}/events",
    summary="Events of an entity",
    response_model=schemas.EventPage,
    responses=problem_responses(404, 422),
)
def list_entity_events(
    session: SessionDep,
    entity_id: EntityId,
    sort: Annotated[
        EventSort, Query(description="date (newest first), date_asc or fatalities.")
    ] = EventSort.date,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> schemas.EventPage:
    """The events the entity takes part in (any role) or, for a place, the events located there or
    inside it; rejected events left out. The same objects and cursors as `GET /v1/events`."""
    if not entities.entity_exists(session, entity_id):
        raise NotFound(f"No entity with id {entity_id}.")
    page = events.list_events(
        session, EventFilters(involving=[entity_id]), sort, limit, decode_event_cursor(sort, cursor)
    )
    return schemas.EventPage(
        items=[convert.event(detail) for detail in page.items],
        next_cursor=event_cursor(sort, page.next_after),
    )
