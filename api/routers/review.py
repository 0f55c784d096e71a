from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from api import convert, review_schemas, schemas
from api.auth import WriterDep, reads_allowed
from api.cursors import decode_cursor, encode_cursor
from api.deps import SessionDep
from api.errors import InvalidParameter, problem_responses
from api.params import Cursor, Limit, revision_in
from api.routing import OneHopRoute
from db import curation, review
from db.models import Entity, Event

router = APIRouter(route_class=OneHopRoute, prefix="/v1/review", tags=["review"])

ReviewKind = Literal["low_confidence", "disagreeing_evidence", "duplicate_entities"]


def review_event(event: Event) -> review_schemas.ReviewEvent:
    summary = convert.event_summary(event, None)  # the place by name (location_text) is enough here
    return review_schemas.ReviewEvent(
        **summary.model_dump(),
        confidence=event.confidence,
        etag=f'"event-{event.event_id}-r{event.revision}"',
    )


def review_entity(entity: Entity) -> review_schemas.ReviewEntity:
    return review_schemas.ReviewEntity(
        **convert.entity_summary(entity).model_dump(),
        mention_count=entity.mention_count,
        etag=f'"entity-{entity.entity_id}-r{entity.revision}"',
    )


@router.get(
    "",
    summary="What most needs a curator",
    response_model=schemas.Page[review_schemas.ReviewItem],
    responses=problem_responses(422),
    dependencies=[Depends(reads_allowed)],
)
def review_queue(
    session: SessionDep,
    kind: Annotated[list[ReviewKind] | None, Query(description="Only these kinds; repeatable.")] = None,
    below: Annotated[
        float, Query(ge=0, le=1, description="low_confidence: automatic events below this confidence.")
    ] = 0.7,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> schemas.Page[review_schemas.ReviewItem]:
    """Automatic events of low confidence, events whose evidence disagrees (one sentence read with two
    dates or two tolls, or one place given two tolls on overlapping dates), and entities that look like
    duplicates (same normalised name, a shared alias, a surname alone next to the full name), those
    touching the most articles first. Each event and entity carries the ETag to decide on it with:
    `POST /v1/review/decisions` for events, `POST /v1/entities/{id}/merge` for duplicates."""
    kinds = sorted(set(kind or review.KINDS))
    cursor_kind = f"review:{','.join(kinds)}:{below}"
    offset = (decode_cursor(cursor, cursor_kind, (int,)) or [0])[0]
    if not 0 <= offset <= 10_000:
        raise InvalidParameter("cursor", "This cursor is malformed.")
    items = review.review_queue(session, kinds=kinds, below=below)
    shown = items[offset : offset + limit]
    return schemas.Page[review_schemas.ReviewItem](
        items=[
            review_schemas.ReviewItem(
                kind=item.kind,
                reason=item.reason,
                articles=item.articles,
                events=[review_event(event) for event in item.events],
                entities=[review_entity(entity) for entity in item.entities],
            )
            for item in shown
        ],
        next_cursor=encode_cursor(cursor_kind, [offset + limit]) if offset + limit < len(items) else None,
    )


def decide(
    session: SessionDep, key_name: str, decision: review_schemas.Decision
) -> review_schemas.DecisionResult:
    def result(
        status: int, detail: str | None = None, etag: str | None = None
    ) -> review_schemas.DecisionResult:
        return review_schemas.DecisionResult(
            event_id=decision.event_id, status=status, etag=etag, detail=detail
        )

    revision = revision_in(decision.if_match, "event", decision.event_id)
    if revision is None:
        return result(412, "if_match is not an ETag of this event.")
    changes = curation.EventChanges(status=decision.status, set_fields={"status"})
    try:
        with session.begin_nested():
            event = curation.update_event(
                session, decision.event_id, changes, actor=key_name, expected_revision=revision
            )
    except curation.StaleRevision as stale:
        return result(412, f"The event is at revision {stale.current}; read it again.")
    except curation.CurationError as error:
        return result(422, error.detail)
    if event is None:
        return result(404, f"No event with id {decision.event_id}.")
    return result(200, etag=f'"event-{event.event_id}-r{event.revision}"')


@router.post(
    "/decisions",
    summary="Verify or reject events in bulk",
    response_model=review_schemas.DecisionResults,
    responses=problem_responses(400, 401, 403, 422),
)
def decide_in_bulk(
    session: SessionDep, key_name: WriterDep, body: review_schemas.Decisions
) -> review_schemas.DecisionResults:
    """Up to 100 decisions, each with the `if_match` ETag of the event as read: each is written, and
    audited in the event's history under the key's name, unless its ETag is stale (412) or the event
    is gone (404); one failing decision does not hold back the others. Needs a key with scope `write`."""
    results = [decide(session, key_name, decision) for decision in body.decisions]
    session.commit()
    return review_schemas.DecisionResults(results=results)
