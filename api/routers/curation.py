from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status

from api import convert, schemas
from api.auth import WriterDep, reads_allowed
from api.cursors import EVENT_HISTORY, decode_cursor, next_cursor
from api.deps import SessionDep
from api.errors import (
    InvalidParameter,
    NotFound,
    PreconditionFailed,
    problem_responses,
)
from api.params import Cursor, EventId, Limit, expected_revision
from api.routing import OneHopRoute
from db import curation, events

router = APIRouter(route_class=OneHopRoute, prefix="/v1/events", tags=["curation"])


def event_response(session: SessionDep, event_id: int, revision: int, response: Response) -> schemas.Event:
    body = convert.event(events.get_event(session, event_id))  # type: ignore[arg-type]
    response.headers["ETag"] = convert.event_etag(body, revision)
    return body


def body_error(error: curation.CurationError) -> InvalidParameter:
    return InvalidParameter(error.field, error.detail, location="body")


@router.patch(
    "/{event_id:int}",  # digits only, so that PATCH /v1/events/export is a 405
    summary="Curate an event",
    response_model=schemas.Event,
    responses=problem_responses(400, 401, 403, 404, 412, 422, 428),
)
def update_event(
    session: SessionDep,
    key_name: WriterDep,
    event_id: EventId,
    patch: schemas.EventPatch,
    response: Response,
    if_match: Annotated[
        str | None,
        Header(description="The ETag from `GET /v1/events/{id}`; required.", examples=['"event-1-r1"']),
    ] = None,
) -> schemas.Event:
    """Verify, reject, or correct an event (type, dates, place, actors, targets, fatalities, summary).

    Needs a key with scope `write`. Send `If-Match` with the event's ETag: if the event changed since
    you read it, the answer is 412 and nothing is written. Rejected events are hidden from lists but
    kept. Every change is recorded in the event's history.
    """
    revision = expected_revision(if_match, "event", event_id)
    try:
        event = curation.update_event(
            session, event_id, convert.event_changes(patch), actor=key_name, expected_revision=revision
        )
    except curation.StaleRevision as stale:
        raise PreconditionFailed(
            f"The event is at revision {stale.current}; read it again and reapply your change."
        ) from stale
    except curation.CurationError as error:
        raise body_error(error) from error
    if event is None:
        raise NotFound(f"No event with id {event_id}.")
    session.commit()
    return event_response(session, event.event_id, event.revision, response)


@router.post(
    "",
    summary="Create an event by hand",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Event,
    responses=problem_responses(400, 401, 403, 422),
)
def create_event(
    session: SessionDep, key_name: WriterDep, new_event: schemas.EventCreate, response: Response
) -> schemas.Event:
    """A curator's own event with its evidence: each quote must be a passage of its article's text.

    Needs a key with scope `write`. The event is `verified` unless another status is given.
    """
    try:
        event = curation.create_event(
            session, convert.event_changes(new_event), convert.new_evidence(new_event), actor=key_name
        )
    except curation.CurationError as error:
        raise body_error(error) from error
    session.commit()
    response.headers["Location"] = f"/v1/events/{event.event_id}"
    return event_response(session, event.event_id, event.revision, response)


@router.get(
    "/{event_id:int}/history",
    summary="An event's curation history",
    response_model=schemas.Page[schemas.AuditEntry],
    responses=problem_responses(404, 422),
    dependencies=[Depends(reads_allowed)],
)
def list_event_history(
    session: SessionDep,
    event_id: EventId,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> schemas.Page[schemas.AuditEntry]:
    """Every write to the event, oldest first: who (the key's name), when, and the event before and after."""
    if not curation.event_exists(session, event_id):
        raise NotFound(f"No event with id {event_id}.")
    after = decode_cursor(cursor, EVENT_HISTORY, (int,))
    page = curation.event_history(session, event_id, limit=limit, after=after[0] if after else None)
    return schemas.Page[schemas.AuditEntry](
        items=[schemas.AuditEntry.model_validate(row, from_attributes=True) for row in page.items],
        next_cursor=next_cursor(EVENT_HISTORY, page.next_after),
    )
