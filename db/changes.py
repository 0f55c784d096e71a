"""The change log: what changed, in an order that never skips a commit.

Triggers write a `change_log` row for every insert, update and delete of an article, entity or event,
in the writer's own transaction (so the log is never ahead of or behind the data); an entity merge
adds a `merge` row pointing to the surviving entity. The search index and the API's change feed
both follow it.

A plain sequence is not a safe cursor: a transaction can take change 50, another take change 60 and
commit first, and a reader that moved past 60 would never see 50. So the log is read in
(xact_id, change_id) order, and only the changes of transactions older than the oldest one still
running in this database: every transaction that could still commit has a larger xact_id than
anything returned. A reader sees a commit as soon as every older transaction of the database ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, insert, literal_column, select, tuple_
from sqlalchemy.orm import Session

from db.models import ChangeLog

Position = tuple[int, int]  # (xact_id, change_id) of the last change read

# The oldest transaction still running in this database (per the reader's own snapshot), or the next
# one: every change below it is final. Transactions that pg_stat_activity places in another database
# are left out, so that a long transaction elsewhere on the server does not hold the feed back; its
# view may lag the snapshot, which only ever keeps an xid in (never lets a change through early).
HORIZON: ColumnElement[int] = literal_column(
    """(
    SELECT coalesce(min((running::text)::bigint), (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint)
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running
    WHERE ((running::text)::bigint % 4294967296) NOT IN (
        SELECT (backend_xid::text)::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
    )
)"""
)


@dataclass(frozen=True)
class Change:
    position: Position
    record_kind: str  # article | entity | event
    record_id: int
    operation: str  # upsert | delete | merge
    redirect_to: int | None  # merge: the entity that absorbed this one
    changed_at: dt.datetime


def changes_after(
    session: Session, after: Position | None, limit: int, kinds: tuple[str, ...] = ()
) -> list[Change]:
    """Up to `limit` changes after `after` (None: from the start), oldest first, none ever skipped.

    `kinds` keeps only changes of those record kinds (article, entity, event); empty: all.
    """
    query = select(ChangeLog).where(ChangeLog.xact_id < HORIZON)
    if kinds:
        query = query.where(ChangeLog.record_kind.in_(kinds))
    if after is not None:
        query = query.where(tuple_(ChangeLog.xact_id, ChangeLog.change_id) > tuple_(*after))
    rows = session.scalars(query.order_by(ChangeLog.xact_id, ChangeLog.change_id).limit(limit))
    return [
        Change(
            (row.xact_id, row.change_id),
            row.record_kind,
            row.record_id,
            row.operation,
            row.redirect_to,
            row.changed_at,
        )
        for row in rows
    ]


def latest_position(session: Session) -> Position | None:
    """The position of the newest change a reader can see now (for lag reports)."""
    row = session.execute(
        select(ChangeLog.xact_id, ChangeLog.change_id)
        .where(ChangeLog.xact_id < HORIZON)
        .order_by(ChangeLog.xact_id.desc(), ChangeLog.change_id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def record_merge(session: Session, entity_id: int, into: int) -> None:
    """An entity merged into another: the feed's tombstone for it, with where it went."""
    session.execute(
        insert(ChangeLog).values(
            record_kind="entity", record_id=entity_id, operation="merge", redirect_to=into
        )
    )
