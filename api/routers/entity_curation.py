from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status

from api import convert, entity_schemas, schemas
from api.auth import WriterDep, reads_allowed
from api.cursors import ENTITY_HISTORY, decode_cursor, next_cursor
from api.deps import SessionDep
from api.errors import (
    InvalidParameter,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from api.params import Cursor, EntityId, Limit, expected_revision
from api.redirects import entity_etag, follow_merges
from api.routing import OneHopRoute
from db import entities, entity_curation
from db.curation import CurationError, StaleRevision

router = APIRouter(
    route_class=OneHopRoute,
    prefix="/v1/entities",
    tags=["entity curation"],
    dependencies=[Depends(follow_merges)],
)

IfMatch = Annotated[
    str | None,
    Header(description="The ETag from `GET /v1/entities/{id}`; required.", examples=['"entity-1-r1"']),
]
WRITE_RESPONSES = problem_responses(400, 401, 403, 404, 412, 422, 428)


def entity_response(session: SessionDep, entity_id: int, response: Response) -> schemas.Entity:
    detail = entities.get_entity(session, entity_id)
    if detail is None:
        raise NotFound(f"No entity with id {entity_id}.")
    body = convert.entity(detail)
    response.headers["ETag"] = entity_etag(body, detail.entity.revision)
    return body


def stale(error: StaleRevision) -> PreconditionFailed:
    return PreconditionFailed(
        f"The entity is at revision {error.current}; read it again and reapply your change."
    )


def body_error(error: CurationError) -> InvalidParameter:
    return InvalidParameter(error.field, error.detail, location="body")


@router.post(
    "/{entity_id:int}/merge",
    summary="Merge an entity into another",
    response_model=schemas.Entity,
    responses=WRITE_RESPONSES,
)
def merge_entity(
    session: SessionDep,
    key_name: WriterDep,
    entity_id: EntityId,
    merge: entity_schemas.MergeRequest,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Entity:
    """Mentions, participations, aliases and place data move to `into`; this entity's id then answers
    `308 Permanent Redirect` to it on every entity route, the change feed shows a tombstone pointing to
    it, and its names keep resolving to it when articles are loaded or reprocessed. Send `If-Match`
    with the merged entity's ETag. Answers with the surviving entity."""
    revision = expected_revision(if_match, "entity", entity_id)
    try:
        target = entity_curation.merge_entities(
            session, entity_id, merge.into, actor=key_name, expected_revision=revision
        )
    except StaleRevision as error:
        raise stale(error) from error
    except CurationError as error:
        raise body_error(error) from error
    if target is None:
        raise NotFound(f"No entity with id {entity_id}.")
    session.commit()
    return entity_response(session, target.entity_id, response)


@router.post(
    "/{entity_id:int}/split",
    summary="Split aliases off into a new entity",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Entity,
    responses=WRITE_RESPONSES,
)
def split_entity(
    session: SessionDep,
    key_name: WriterDep,
    entity_id: EntityId,
    split: entity_schemas.SplitRequest,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Entity:
    """Undo a wrong merge: the chosen aliases and the mentions spelt like them move to a new entity,
    and those names link to it, never to this one, from now on. Answers with the new entity."""
    revision = expected_revision(if_match, "entity", entity_id)
    try:
        new = entity_curation.split_entity(
            session,
            entity_id,
            split.aliases,
            name=split.name,
            entity_type=split.type,
            actor=key_name,
            expected_revision=revision,
        )
    except StaleRevision as error:
        raise stale(error) from error
    except CurationError as error:
        raise body_error(error) from error
    if new is None:
        raise NotFound(f"No entity with id {entity_id}.")
    session.commit()
    response.headers["Location"] = f"/v1/entities/{new.entity_id}"
    return entity_response(session, new.entity_id, response)


def entity_changes(patch: entity_schemas.EntityPatch) -> entity_curation.EntityChanges:
    sent = patch.model_fields_set
    changes = entity_curation.EntityChanges(
        add_aliases=patch.add_aliases, remove_aliases=patch.remove_aliases, never_link=patch.never_link
    )
    if "name" in sent and patch.name is not None:
        changes.name = patch.name
        changes.set_fields.add("name")
    if "type" in sent and patch.type is not None:
        changes.entity_type = patch.type
        changes.set_fields.add("entity_type")
    if "place" in sent:
        place = patch.place or entity_schemas.PlacePatch()
        place_sent = place.model_fields_set if patch.place else set(entity_schemas.PlacePatch.model_fields)
        names = {"kind": "place_kind"}
        for name in place_sent:
            setattr(changes, names.get(name, name), getattr(place, name))
            changes.set_fields.add(names.get(name, name))
    return changes


@router.patch(
    "/{entity_id:int}",
    summary="Curate an entity",
    response_model=schemas.Entity,
    responses=WRITE_RESPONSES,
)
def update_entity(
    session: SessionDep,
    key_name: WriterDep,
    entity_id: EntityId,
    patch: entity_schemas.EntityPatch,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.Entity:
    """Rename, retype, set place data (kind, country, admin1, coordinates; `"place": null` clears it),
    add and remove aliases, and mark aliases `never_link` so that loads and reprocessing never attach
    them to this entity again. The old name keeps resolving to this entity. Send `If-Match`."""
    revision = expected_revision(if_match, "entity", entity_id)
    try:
        entity = entity_curation.update_entity(
            session, entity_id, entity_changes(patch), actor=key_name, expected_revision=revision
        )
    except StaleRevision as error:
        raise stale(error) from error
    except CurationError as error:
        raise body_error(error) from error
    if entity is None:
        raise NotFound(f"No entity with id {entity_id}.")
    session.commit()
    return entity_response(session, entity_id, response)


@router.get(
    "/{entity_id:int}/history",
    summary="An entity's curation history",
    response_model=schemas.Page[entity_schemas.EntityAuditEntry],
    responses=problem_responses(404, 422),
    dependencies=[Depends(reads_allowed)],
)
def list_entity_history(
    session: SessionDep, entity_id: EntityId, limit: Limit = 20, cursor: Cursor = None
) -> schemas.Page[entity_schemas.EntityAuditEntry]:
    """Every curation write to the entity, oldest first: who (the key's name), when, before and after;
    a merge names the merged entity."""
    if entity_curation.entity_revision(session, entity_id) is None:
        raise NotFound(f"No entity with id {entity_id}.")
    after = decode_cursor(cursor, ENTITY_HISTORY, (int,))
    page = entity_curation.entity_history(session, entity_id, limit=limit, after=after[0] if after else None)
    return schemas.Page[entity_schemas.EntityAuditEntry](
        items=[
            entity_schemas.EntityAuditEntry.model_validate(row, from_attributes=True) for row in page.items
        ],
        next_cursor=next_cursor(ENTITY_HISTORY, page.next_after),
    )
