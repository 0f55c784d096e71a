"""Curating events by hand: verify, reject, correct, or create; every write audited.

Optimistic concurrency: a write names the revision it read (the ETag); a stale revision is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models import (
    DATE_PRECISIONS,
    QUANTITY_QUALIFIERS,
    REVIEW_STATUSES,
    Article,
    Entity,
    Event,
    EventAudit,
    EventEvidence,
    EventParticipant,
)
from db.pages import Page, keyset_page
from db.taxonomy import EVENT_TYPES
from db.writes import place_fields


class CurationError(ValueError):
    """A change that cannot be applied; `field` names the offending body field."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


class StaleRevision(Exception):
    def __init__(self, current: int) -> None:
        super().__init__(f"current revision is {current}")
        self.current = current


@dataclass
class EventChanges:
    """Only the fields that are set change; participants replace the event's list for that role."""

    status: str | None = None
    event_type: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    date_precision: str | None = None
    location_entity_id: int | None = None
    fatalities: int | None = None
    fatalities_qualifier: str | None = None
    summary: str | None = None
    actors: list[int] | None = None
    targets: list[int] | None = None
    set_fields: set[str] = field(default_factory=set)


@dataclass
class NewEvidence:
    article_id: int
    quote: str


def snapshot(session: Session, event: Event) -> dict[str, Any]:
    participants = session.execute(
        select(EventParticipant.entity_id, EventParticipant.role)
        .where(EventParticipant.event_id == event.event_id)
        .order_by(EventParticipant.role, EventParticipant.entity_id)
    ).all()
    return {
        "status": event.status,
        "type": event.event_type,
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "date_precision": event.date_precision,
        "location_entity_id": event.location_entity_id,
        "fatalities": event.fatalities,
        "fatalities_qualifier": event.fatalities_qualifier,
        "summary": event.summary,
        "participants": [{"entity_id": p.entity_id, "role": p.role} for p in participants],
        "revision": event.revision,
    }


def check_choice(name: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise CurationError(name, f"{name} must be one of: {', '.join(choices)}.")


def check_entities(session: Session, name: str, entity_ids: list[int]) -> None:
    found = set(session.scalars(select(Entity.entity_id).where(Entity.entity_id.in_(entity_ids))))
    missing = sorted(set(entity_ids) - found)
    if missing:
        raise CurationError(name, f"No entity with id {', '.join(map(str, missing))}.")


def check_place(session: Session, entity_id: int) -> Entity:
    place = session.get(Entity, entity_id)
    if place is None or place.entity_type != "location":
        raise CurationError("location_entity_id", f"No place with id {entity_id}.")
    return place


def place_event(session: Session, event: Event, location_entity_id: int | None) -> None:
    """Set the location and copy the place's country, admin1 and coordinates onto the event."""
    place = check_place(session, location_entity_id) if location_entity_id is not None else None
    event.location_entity_id = location_entity_id
    event.location_text = place.name if place else None
    for name, value in place_fields(place).items():
        setattr(event, name, value)


def replace_participants(session: Session, event_id: int, role: str, entity_ids: list[int]) -> None:
    session.execute(
        delete(EventParticipant).where(EventParticipant.event_id == event_id, EventParticipant.role == role)
    )
    session.add_all(EventParticipant(event_id=event_id, entity_id=eid, role=role) for eid in set(entity_ids))


def check_choices(changes: EventChanges) -> None:
    check_choice("status", changes.status, REVIEW_STATUSES)
    check_choice("type", changes.event_type, EVENT_TYPES)
    check_choice("date_precision", changes.date_precision, DATE_PRECISIONS)
    check_choice("fatalities_qualifier", changes.fatalities_qualifier, QUANTITY_QUALIFIERS)


def apply_changes(session: Session, event: Event, changes: EventChanges) -> None:
    """Validate and apply; nothing is flushed until every check passed."""
    with session.no_autoflush:
        apply_checked_changes(session, event, changes)


def apply_checked_changes(session: Session, event: Event, changes: EventChanges) -> None:
    check_choices(changes)
    check_dates(event, changes)
    if "location_entity_id" in changes.set_fields and changes.location_entity_id is not None:
        check_place(session, changes.location_entity_id)
    for role, entity_ids in (("actors", changes.actors), ("targets", changes.targets)):
        if entity_ids:
            check_entities(session, role, entity_ids)
    if "location_entity_id" in changes.set_fields:
        place_event(session, event, changes.location_entity_id)
    if changes.actors is not None:
        replace_participants(session, event.event_id, "actor", changes.actors)
    if changes.targets is not None:
        replace_participants(session, event.event_id, "target", changes.targets)
    simple = ("status", "event_type", "date_start", "date_end", "date_precision", "fatalities",
              "fatalities_qualifier", "summary")  # fmt: skip
    for name in simple:
        if name in changes.set_fields:
            setattr(event, name, getattr(changes, name))
    if "date_start" in changes.set_fields and "date_end" not in changes.set_fields:
        event.date_end = event.date_start


def check_dates(event: Event, changes: EventChanges) -> None:
    fields = changes.set_fields
    start = changes.date_start if "date_start" in fields else event.date_start
    end = changes.date_end if "date_end" in fields else (start if "date_start" in fields else event.date_end)
    if start and end and end < start:
        raise CurationError("date_end", "date_end is before date_start.")
    if end and not start:
        raise CurationError("date_start", "date_end needs a date_start.")
    precision = changes.date_precision if "date_precision" in fields else event.date_precision
    if precision and precision != "unknown" and not start:
        raise CurationError("date_start", f"A {precision}-precision event needs a date_start.")


def audit(session: Session, event_id: int, actor: str, action: str, before: Any, after: Any) -> None:
    session.add(EventAudit(event_id=event_id, actor=actor, action=action, before=before, after=after))


def update_event(
    session: Session, event_id: int, changes: EventChanges, *, actor: str, expected_revision: int
) -> Event | None:
    """Apply a curator's changes; None when there is no such event. Raises StaleRevision or CurationError."""
    event = session.scalar(select(Event).where(Event.event_id == event_id).with_for_update())
    if event is None:
        return None
    if event.revision != expected_revision:
        raise StaleRevision(event.revision)
    before = snapshot(session, event)
    apply_changes(session, event, changes)
    event.revision += 1
    event.updated_at = dt.datetime.now(dt.UTC)
    session.flush()
    action = changes.status if changes.status in {"verified", "rejected"} else "correct"
    audit(session, event.event_id, actor, action, before, snapshot(session, event))
    session.flush()
    return event


def create_event(
    session: Session, changes: EventChanges, evidence: list[NewEvidence], *, actor: str
) -> Event:
    """A hand-made event (status verified unless given) with its evidence sentences."""
    if not changes.event_type:
        raise CurationError("type", "type is required.")
    if not evidence:
        raise CurationError("evidence", "At least one evidence sentence is required.")
    check_choices(changes)
    located = [(item, locate_quote(session, item, index)) for index, item in enumerate(evidence)]
    event = Event(
        event_type=changes.event_type,
        date_precision=changes.date_precision or ("day" if changes.date_start else "unknown"),
        summary=changes.summary or evidence[0].quote,
        confidence=1.0,
        status=changes.status or "verified",
        extractor_version=0,
    )
    session.add(event)
    session.flush()
    apply_changes(session, event, changes)
    for item, start in located:
        session.add(
            EventEvidence(
                event_id=event.event_id,
                article_id=item.article_id,
                sentence_start=start,
                sentence_end=start + len(item.quote),
                quote=item.quote,
            )
        )
    session.flush()
    audit(session, event.event_id, actor, "create", None, snapshot(session, event))
    session.flush()
    return event


def locate_quote(session: Session, evidence: NewEvidence, index: int) -> int:
    text = session.scalar(select(Article.text).where(Article.article_id == evidence.article_id))
    if text is None:
        raise CurationError(f"evidence.{index}.article_id", f"No article with id {evidence.article_id}.")
    start = text.find(evidence.quote)
    if not evidence.quote or start < 0:
        raise CurationError(f"evidence.{index}.quote", "The quote is not a passage of the article's text.")
    return start


def event_history(session: Session, event_id: int, *, limit: int, after: int | None) -> Page[EventAudit]:
    """Audit entries oldest first (keyset on event_audit_id)."""
    statement = select(EventAudit).where(EventAudit.event_id == event_id)
    if after is not None:
        statement = statement.where(EventAudit.event_audit_id > after)
    rows = list(session.scalars(statement.order_by(EventAudit.event_audit_id).limit(limit + 1)))
    return keyset_page(rows, limit, lambda entry: [entry.event_audit_id])


def event_exists(session: Session, event_id: int) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Event).where(Event.event_id == event_id)))
