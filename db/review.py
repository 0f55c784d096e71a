"""The review queue: what most needs a curator, by how many articles it touches.

Three kinds of item:
- `low_confidence`: automatic events (never curated) below a confidence threshold;
- `disagreeing_evidence`: two events of the same type read from one sentence with different dates or
  tolls, or told of one place on overlapping dates with different tolls;
- `duplicate_entities`: two entities with the same normalised name (of different types), a shared
  alias (places of different kinds excepted: the city and the province of Kandahar), or a person
  known by a surname alone next to a person with that surname.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from db.models import Entity, EntityAlias, Event, EventEvidence, Mention
from db.writes import curated

KINDS = ("low_confidence", "disagreeing_evidence", "duplicate_entities")
CANDIDATES = 500  # per kind, before ordering


@dataclass
class ReviewItem:
    kind: str
    reason: str
    articles: int  # how many articles it touches: the order of the queue
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)


def articles_of_events(session: Session, event_ids: list[int]) -> int:
    count = select(func.count(func.distinct(EventEvidence.article_id))).where(
        EventEvidence.event_id.in_(event_ids)
    )
    return int(session.scalar(count) or 0)


def articles_of_entities(session: Session, entity_ids: list[int]) -> int:
    count = select(func.count(func.distinct(Mention.article_id))).where(Mention.entity_id.in_(entity_ids))
    return int(session.scalar(count) or 0)


def low_confidence(session: Session, below: float) -> list[ReviewItem]:
    events = session.scalars(
        select(Event)
        .where(Event.status == "auto", ~curated(), Event.confidence < below)
        .order_by(Event.confidence, Event.event_id)
        .limit(CANDIDATES)
    )
    return [
        ReviewItem(
            "low_confidence",
            f"Confidence {event.confidence:.2f} is below {below:.2f}.",
            articles_of_events(session, [event.event_id]),
            events=[event],
        )
        for event in events
    ]


def differences(first: Event, second: Event) -> list[str]:
    found = []
    if (first.date_start, first.date_end) != (second.date_start, second.date_end):
        found.append("dates")
    if (
        first.fatalities is not None
        and second.fatalities is not None
        and first.fatalities != second.fatalities
    ):
        found.append("tolls")
    return found


def disagreeing_evidence(session: Session) -> list[ReviewItem]:
    first, second = aliased(Event), aliased(Event)
    first_evidence, second_evidence = aliased(EventEvidence), aliased(EventEvidence)
    live = (first.status != "rejected", second.status != "rejected", first.event_type == second.event_type)
    same_sentence = (
        select(first, second)
        .join(first_evidence, first_evidence.event_id == first.event_id)
        .join(
            second_evidence,
            and_(
                second_evidence.article_id == first_evidence.article_id,
                second_evidence.sentence_start == first_evidence.sentence_start,
                second_evidence.event_id > first_evidence.event_id,
            ),
        )
        .join(second, second.event_id == second_evidence.event_id)
        .where(*live, first.location_entity_id.is_not_distinct_from(second.location_entity_id))
    )
    same_place = (
        select(first, second)
        .join(
            second,
            and_(second.location_entity_id == first.location_entity_id, second.event_id > first.event_id),
        )
        .where(
            *live,
            first.fatalities != second.fatalities,
            first.date_start <= func.coalesce(second.date_end, second.date_start),
            second.date_start <= func.coalesce(first.date_end, first.date_start),
        )
    )
    pairs: dict[tuple[int, int], tuple[Event, Event]] = {}
    for statement in (same_sentence, same_place):
        for one, other in session.execute(statement.limit(CANDIDATES)):
            if differences(one, other):
                pairs[(one.event_id, other.event_id)] = (one, other)
    return [
        ReviewItem(
            "disagreeing_evidence",
            f"Two {one.event_type} events disagree on {' and '.join(differences(one, other))}.",
            articles_of_events(session, [one.event_id, other.event_id]),
            events=[one, other],
        )
        for one, other in pairs.values()
    ]


def duplicate_entities(session: Session) -> list[ReviewItem]:
    first, second = aliased(Entity), aliased(Entity)
    first_alias, second_alias = aliased(EntityAlias), aliased(EntityAlias)
    same_name = select(first, second, first.name).join(
        second, and_(second.name_key == first.name_key, second.entity_id > first.entity_id)
    )
    different_places = and_(
        first.entity_type == "location",
        first.place_kind.is_not(None),
        second.place_kind.is_not(None),
        first.place_kind != second.place_kind,
    )
    shared_alias = (
        select(first, second, first_alias.alias)
        .join(first_alias, first_alias.entity_id == first.entity_id)
        .join(
            second_alias,
            and_(
                second_alias.alias_key == first_alias.alias_key,
                second_alias.entity_id > first_alias.entity_id,
            ),
        )
        .join(second, second.entity_id == second_alias.entity_id)
        .where(first.entity_type == second.entity_type, ~different_places)
    )
    surname = (
        select(first, second, first.name)
        .join(
            second,
            and_(
                second.entity_type == "person",
                second.entity_id != first.entity_id,
                second.name_key.like("% " + first.name_key),
            ),
        )
        .where(first.entity_type == "person", ~first.name_key.contains(" "))
    )
    reasons = {
        same_name: "Same name, different types",
        shared_alias: "Both known as",
        surname: "Same surname",
    }
    pairs: dict[frozenset[int], ReviewItem] = {}
    for statement, reason in reasons.items():
        for one, other, detail in session.execute(statement.limit(CANDIDATES)):
            key = frozenset({one.entity_id, other.entity_id})
            if key not in pairs:
                text = f"{reason}: {detail}."
                ids = [one.entity_id, other.entity_id]
                pairs[key] = ReviewItem(
                    "duplicate_entities", text, articles_of_entities(session, ids), entities=[one, other]
                )
    return list(pairs.values())


def review_queue(session: Session, *, kinds: list[str], below: float) -> list[ReviewItem]:
    """Every item of the kinds asked for, those touching the most articles first."""
    items: list[ReviewItem] = []
    if "low_confidence" in kinds:
        items += low_confidence(session, below)
    if "disagreeing_evidence" in kinds:
        items += disagreeing_evidence(session)
    if "duplicate_entities" in kinds:
        items += duplicate_entities(session)

    def order(item: ReviewItem) -> tuple[int, str, list[int]]:
        ids = [e.event_id for e in item.events] or [e.entity_id for e in item.entities]
        return (-item.articles, item.kind, ids)

    return sorted(items, key=order)
