from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from api import convert, schemas
from api.auth import reads_allowed
from api.cursors import changes_cursor, decode_changes_cursor
from api.deps import SessionDep
from api.errors import problem_responses
from api.params import Cursor
from api.routing import OneHopRoute
from db import articles, entity_rows, events, feed
from db.engine import Session
from db.feed import FeedItem

router = APIRouter(
    route_class=OneHopRoute, prefix="/v1", tags=["changes"], dependencies=[Depends(reads_allowed)]
)

MAX_CHANGES = 1000
RecordKind = Literal["article", "entity", "event"]


def records_of(session: Session, items: list[FeedItem]) -> dict[tuple[str, int], schemas.Change]:
    """The upserted records as their lists show them, read in one query per kind."""

    def ids(kind: str) -> list[int]:
        return [i.record_id for i in items if i.record_kind == kind and i.operation == "upsert"]

    found: dict[tuple[str, int], schemas.ArticleListItem | schemas.EntityMatch | schemas.Event] = {}
    for article_id, row in articles.articles_by_id(session, ids("article")).items():
        found["article", article_id] = convert.article_item(row)
    for entity_id, entity in entity_rows.entities_by_id(session, ids("entity")).items():
        found["entity", entity_id] = convert.entity_match(entity, None, None, None)
    for event_id, detail in events.load_events(session, ids("event")).items():
        found["event", event_id] = convert.event(detail)
    changes = {}
    for item in items:
        record = found.get((item.record_kind, item.record_id))
        gone = item.operation == "upsert" and record is None  # deleted since the log was read
        changes[item.record_kind, item.record_id] = schemas.Change(
            kind=item.record_kind,
            id=item.record_id,
            operation="delete" if gone else item.operation,
            reason="deleted" if gone else item.reason,
            redirect_to=item.redirect_to,
            changed_at=item.changed_at,
            record=record,
        )
    return changes


@router.get(
    "/changes",
    summary="Changes since a position",
    response_model=schemas.ChangePage,
    responses=problem_responses(422),
)
def list_changes(
    session: SessionDep,
    cursor: Cursor = None,
    kind: Annotated[
        list[RecordKind] | None, Query(description="Only changes of these record kinds; repeat for several.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES, description="Log entries read per page.")] = 100,
) -> schemas.ChangePage:
    """Every write to articles, entities and events, in commit order, for keeping a copy in step.

    Start without `cursor`, apply the items in order (an upsert replaces the record, a delete removes
    it) and pass `next_cursor` back: at once while `has_more`, then at your next sync. Each item is a
    record's state now, one per record per page. A delete is a tombstone with its `reason`: `deleted`,
    `merged` (an entity absorbed into `redirect_to`: repoint your references) or `rejected` (an event
    a curator rejected, which the lists hide). The feed never skips a write committed meanwhile: it
    stops before any transaction still running, whose writes come on a later read.

    `curl 'localhost:8000/v1/changes?limit=500'`, then `curl 'localhost:8000/v1/changes?cursor=<next_cursor>'`
    """
    page = feed.feed_after(session, decode_changes_cursor(cursor), limit, tuple(kind or ()))
    changes = records_of(session, page.items)
    return schemas.ChangePage(
        items=[changes[item.record_kind, item.record_id] for item in page.items],
        next_cursor=changes_cursor(page.position),
        has_more=page.more,
    )
