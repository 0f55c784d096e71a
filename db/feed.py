"""The change feed a mirror follows: the change log read as the latest state of each record.

Each record changed in a slice of the log becomes one item at the position of its last change:
an upsert when it is visible now, else a tombstone saying why it is gone (deleted; merged, with the
entity that absorbed it; rejected, for an event a curator rejected). States are read now, not as
they were at the position: a later change is delivered again later, so a client that applies items
in order ends identical to the server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.changes import Change, Position, changes_after
from db.events import DEFAULT_STATUSES
from db.models import Article, ChangeLog, Entity, Event

ID_COLUMNS = {"article": Article.article_id, "entity": Entity.entity_id, "event": Event.event_id}


@dataclass(frozen=True)
class FeedItem:
    position: Position
    record_kind: str  # article | entity | event
    record_id: int
    operation: str  # upsert | delete
    reason: str | None  # a delete's cause: deleted | merged | rejected
    redirect_to: int | None  # merged: the entity that absorbed this one
    changed_at: dt.datetime


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    position: Position | None  # of the last change read: where the next read starts
    more: bool  # the slice was full: read again at once


def existing_ids(session: Session, kind: str, ids: set[int]) -> set[int]:
    column = ID_COLUMNS[kind]
    return set(session.scalars(select(column).where(column.in_(ids))))


def rejected_event_ids(session: Session, ids: set[int]) -> set[int]:
    statement = select(Event.event_id).where(Event.event_id.in_(ids), Event.status.not_in(DEFAULT_STATUSES))
    return set(session.scalars(statement))


def merged_into(session: Session, entity_ids: set[int]) -> dict[int, int]:
    """For entities that were merged (at any time), the entity each went into (the latest merge)."""
    rows = session.execute(
        select(ChangeLog.record_id, ChangeLog.redirect_to)
        .where(ChangeLog.record_kind == "entity", ChangeLog.operation == "merge")
        .where(ChangeLog.record_id.in_(entity_ids))
        .order_by(ChangeLog.xact_id, ChangeLog.change_id)
    ).all()
    return {record_id: redirect_to for record_id, redirect_to in rows if redirect_to is not None}


def latest_per_record(changes: list[Change]) -> list[Change]:
    """One change per record, its last, in log order."""
    last: dict[tuple[str, int], Change] = {}
    for change in changes:
        key = (change.record_kind, change.record_id)
        last.pop(key, None)  # re-insert: dict order becomes the order of last changes
        last[key] = change
    return list(last.values())


def feed_after(session: Session, after: Position | None, limit: int, kinds: tuple[str, ...] = ()) -> FeedPage:
    """The next `limit` log rows after `after` as items, one per record, with each record's state now."""
    changes = changes_after(session, after, limit, kinds)
    latest = latest_per_record(changes)
    ids: dict[str, set[int]] = {}
    for change in latest:
        ids.setdefault(change.record_kind, set()).add(change.record_id)
    present = {kind: existing_ids(session, kind, found) for kind, found in ids.items()}
    rejected = rejected_event_ids(session, ids["event"]) if "event" in ids else set()
    gone_entities = ids.get("entity", set()) - present.get("entity", set())
    merges = merged_into(session, gone_entities) if gone_entities else {}
    items = []
    for change in latest:
        kind, record_id = change.record_kind, change.record_id
        operation, reason, redirect = "upsert", None, None
        if record_id not in present[kind]:
            operation, reason = "delete", "deleted"
            if kind == "entity" and record_id in merges:
                reason, redirect = "merged", merges[record_id]
        elif kind == "event" and record_id in rejected:
            operation, reason = "delete", "rejected"
        items.append(
            FeedItem(change.position, kind, record_id, operation, reason, redirect, change.changed_at)
        )
    return FeedPage(items, changes[-1].position if changes else after, len(changes) == limit)
