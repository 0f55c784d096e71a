from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from api import convert, schemas
from api.auth import reads_allowed
from api.cursors import (
    decode_cursor,
    decode_event_cursor,
    decode_published_cursor,
    encode_cursor,
    event_cursor,
    published_cursor,
)
from api.deps import SessionDep
from api.errors import InvalidParameter, NotFound, problem_responses
from db import entities as queries
from db import models
from db.entities import LOOKUP_CANDIDATES
from db.events import EventFilters, EventSort, list_events

router = APIRouter(prefix="/v1/entities", tags=["entities"], dependencies=[Depends(reads_allowed)])

EntityType = Literal["person", "organization", "location", "group"]
EntityId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The entity's id.", examples=[1])]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]


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
    limit: Limit = 10,
    cursor: Cursor = None,
) -> schemas.Page[schemas.EntityMatch]:
    """Autocomplete over entity names and aliases, for search boxes and for resolving a name to an id.

    Ranked by match quality (exact, prefix, word prefix, then typo-tolerant matches scored by the
    share of the query's trigrams they contain), then by how often the entity is mentioned. With a
    query, at most the best 200 matches are paged through.
    """
    if q is not None:
        kind = f"entities:q:{q.strip().casefold()}"  # a cursor pages the query it came from
        offset = (decode_cursor(cursor, kind, (int,)) or [0])[0]
        if not 0 <= offset <= LOOKUP_CANDIDATES:
            raise InvalidParameter("cursor", "This cursor is malformed.")
        matches = queries.lookup_entities(session, q, entity_type=type, country=country)
        page = matches[offset : offset + limit]
        more = offset + limit < len(matches)
        return schemas.Page[schemas.EntityMatch](
            items=[convert.entity_match(m.entity, m.match, m.matched_alias, m.score) for m in page],
            next_cursor=encode_cursor(kind, [offset + limit]) if more else None,
        )
    after = decode_cursor(cursor, "entities:all", (int, int))
    rows = queries.list_entities(session, entity_type=type, country=country, limit=limit, after=after)
    last = rows[limit - 1] if len(rows) > limit else None
    return schemas.Page[schemas.EntityMatch](
        items=[convert.entity_match(entity, None, None, None) for entity in rows[:limit]],
        next_cursor=encode_cursor("entities:all", [last.mention_count, last.entity_id]) if last else None,
    )


@router.get(
    "/{entity_id}",
    summary="Get an entity",
    response_model=schemas.Entity,
    responses=problem_responses(404, 422),
)
def get_entity(session: SessionDep, entity_id: EntityId) -> schemas.Entity:
    """Canonical name, type, aliases, place data, mention/article/event counts, first and last seen,
    and the entities it most often appears with."""
    detail = queries.get_entity(session, entity_id)
    if detail is None:
        raise NotFound(f"No entity with id {entity_id}.")
    return convert.entity(detail)


@router.get(
    "/{entity_id}/articles",
    summary="Articles mentioning an entity",
    response_model=schemas.Page[schemas.EntityArticle],
    responses=problem_responses(404, 422),
)
def list_entity_articles(
    session: SessionDep, entity_id: EntityId, limit: Limit = 20, cursor: Cursor = None
) -> schemas.Page[schemas.EntityArticle]:
    """The articles that mention the entity, newest first, with the number of mentions in each."""
    if session.get(models.Entity, entity_id) is None:
        raise NotFound(f"No entity with id {entity_id}.")
    after = decode_published_cursor(cursor, "entity-articles")
    rows = queries.entity_articles(session, entity_id, limit=limit, after=after)
    last = rows[limit - 1] if len(rows) > limit else None
    return schemas.Page[schemas.EntityArticle](
        items=[schemas.EntityArticle.model_validate(row, from_attributes=True) for row in rows[:limit]],
        next_cursor=published_cursor("entity-articles", last.published_at, last.article_id) if last else None,
    )


@router.get(
    "/{entity_id}/events",
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
    entity = session.get(models.Entity, entity_id)
    if entity is None:
        raise NotFound(f"No entity with id {entity_id}.")
    page = list_events(
        session, EventFilters(involving=[entity_id]), sort, limit, decode_event_cursor(sort, cursor)
    )
    return schemas.EventPage(
        items=[convert.event(detail) for detail in page.events],
        next_cursor=event_cursor(sort, page.next_after),
    )
