"""Events: the filters (shared with the timeline), the keyset-paginated list, one event by id.

Entity filters take ids or names; a name matches every entity that has it as an alias, case- and
accent-insensitively (name_key). A place also covers what lies inside it: a province matches the
events whose admin1 is that province, a country the events in that country.

Dates: an event spans [date_start, date_end] and matches a from/to window when the two overlap;
undated events match no date filter. Text: `q` is web-search syntax over the sentences that report
the event (to_tsvector('english', quote), served by a GIN index on that expression).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    any_,
    bindparam,
    case,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Row
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from db.articles import json_rows
from db.engine import SessionFactory, keyed_reads
from db.entity_refs import entities_named
from db.models import Article, Entity, Event, EventEvidence, EventParticipant, Source
from db.pages import Page, keyset_page

DEFAULT_STATUSES = ("auto", "verified")
ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")


class EventSort(StrEnum):
    date = "date"
    date_asc = "date_asc"
    fatalities = "fatalities"
    updated = "updated"  # least recently changed first: a sync walks it with updated_since


# Sort keys: the column with NULL mapped below every value, so that one row comparison pages through
# them and one expression index (key, event_id) serves both directions. Undated events and unknown
# tolls come last in descending orders, first in ascending ones.
UNDATED: ColumnElement[Any] = literal_column("'-infinity'::date")
UNKNOWN_TOLL: ColumnElement[Any] = literal_column("-1")


@dataclass(frozen=True)
class SortKey:
    column: InstrumentedAttribute[Any]
    when_null: ColumnElement[Any] | None  # None: the column is NOT NULL
    descending: bool

    def expression(self) -> ColumnElement[Any]:
        if self.when_null is None:
            return self.column.expression
        return func.coalesce(self.column, self.when_null)

    def bound(self, value: Any) -> ColumnElement[Any]:
        if value is None and self.when_null is not None:
            return self.when_null
        return literal(value, self.column.type)


SORT_KEYS = {
    EventSort.date: SortKey(Event.date_start, UNDATED, descending=True),
    EventSort.date_asc: SortKey(Event.date_start, UNDATED, descending=False),
    EventSort.fatalities: SortKey(Event.fatalities, UNKNOWN_TOLL, descending=True),
    EventSort.updated: SortKey(Event.updated_at, None, descending=False),
}


@dataclass
class EventFilters:
    types: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    involving: list[int] = field(default_factory=list)  # entity ids: taking part, or the place (or inside it)
    countries: list[str] = field(default_factory=list)
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_fatalities: int | None = None
    min_confidence: float | None = None
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    q: str | None = None
    updated_since: dt.datetime | None = None  # created or changed at or after
    articles: list[int] = field(default_factory=list)  # reported by one of these articles


class Evidence(NamedTuple):
    article_id: int
    title: str
    source: str | None
    published_at: dt.datetime | None
    sentence_start: int
    sentence_end: int
    quote: str


class EntityRef(NamedTuple):
    """An entity as an event names it (a participant or its place): enough to show and code it."""

    entity_id: int
    name: str
    entity_type: str
    place_kind: str | None


class EventRow(NamedTuple):
    """An event's own columns, read as plain values (no ORM object: a page of them is read as rows).

    The rows of a page are named tuples, not frozen dataclasses: a frozen dataclass sets each field
    through object.__setattr__, 2.9 µs for these 21 where the tuple takes 0.4."""

    event_id: int
    event_type: str
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str
    location_entity_id: int | None
    location_text: str | None
    country_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    fatalities: int | None
    fatalities_qualifier: str | None
    people_count: int | None
    people_qualifier: str | None
    summary: str
    confidence: float
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class EventDetail:
    event: EventRow
    location: EntityRef | None
    participants: list[tuple[EntityRef, str]]  # (entity, role): actors, then targets, then others
    evidence: list[Evidence]  # earliest published first


def participant_condition(entities: list[Entity], role: str | None) -> ColumnElement[bool]:
    taking_part = select(EventParticipant.event_id).where(
        EventParticipant.entity_id.in_([entity.entity_id for entity in entities])
    )
    if role:
        taking_part = taking_part.where(EventParticipant.role == role)
    return Event.event_id.in_(taking_part)


def place_condition(places: list[Entity]) -> ColumnElement[bool]:
    """Located at one of the places, or inside one that is a province or a country."""
    conditions = [Event.location_entity_id.in_([place.entity_id for place in places])]
    provinces = [place for place in places if place.place_kind == "province"]
    if provinces:
        conditions.append(
            tuple_(Event.country_code, Event.admin1).in_(
                [(place.country_code, place.admin1 or place.name) for place in provinces]
            )
        )
    countries = [place.country_code for place in places if place.place_kind == "country"]
    if countries:
        conditions.append(Event.country_code.in_(countries))
    return or_(*conditions)


def entity_condition(entities: list[Entity]) -> ColumnElement[bool]:
    """The entities' events: one takes part in them (any role), or they happened at or inside one.

    One IN over a UNION rather than an OR of the two, which would scan every event.
    """
    ids = [entity.entity_id for entity in entities]
    taking_part = select(EventParticipant.event_id).where(EventParticipant.entity_id.in_(ids))
    located = select(Event.event_id).where(place_condition(entities)).correlate(None)
    return Event.event_id.in_(union_all(taking_part, located))


def date_conditions(date_from: dt.date | None, date_to: dt.date | None) -> list[ColumnElement[bool]]:
    """[date_start, date_end] overlaps [from, to] (date_end >= date_start, so either column can serve).

    `to` bounds the date sort key, so that the (key, event_id) index serves the window and the order.
    """
    conditions = []
    if date_to:
        conditions += [Event.date_start.is_not(None), SORT_KEYS[EventSort.date].expression() <= date_to]
    if date_from:
        conditions.append(or_(Event.date_end >= date_from, Event.date_start >= date_from))
    return conditions


def bbox_conditions(bbox: tuple[float, float, float, float]) -> list[ColumnElement[bool]]:
    """A bbox whose min_lon exceeds its max_lon crosses the antimeridian (RFC 7946 §5.2)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if min_lon <= max_lon:
        longitude: ColumnElement[bool] = Event.longitude.between(min_lon, max_lon)
    else:
        longitude = or_(Event.longitude >= min_lon, Event.longitude <= max_lon)
    return [Event.latitude.between(min_lat, max_lat), longitude]


def text_condition(q: str) -> ColumnElement[bool]:
    """A sentence reporting the event matches q. One IN, no OR: the planner can start from either side."""
    matches = func.to_tsvector(ENGLISH, EventEvidence.quote).op("@@")(func.websearch_to_tsquery(ENGLISH, q))
    return Event.event_id.in_(select(EventEvidence.event_id).where(matches))


def entity_conditions(session: Session, filters: EventFilters) -> list[ColumnElement[bool]]:
    conditions = []
    for refs, role in ((filters.actors, "actor"), (filters.targets, "target"), (filters.participants, None)):
        if refs:
            conditions.append(participant_condition(entities_named(session, refs), role))
    if filters.locations:
        conditions.append(place_condition(entities_named(session, filters.locations)))
    for entity_id in filters.involving:
        entity = session.get(Entity, entity_id)
        conditions.append(entity_condition([entity]) if entity else false())
    return conditions


def event_conditions(session: Session, filters: EventFilters) -> list[ColumnElement[bool]]:
    """The WHERE clauses for the filters; names are resolved to entities first (one query each)."""
    conditions = [Event.status.in_(filters.statuses), *entity_conditions(session, filters)]
    conditions += date_conditions(filters.date_from, filters.date_to)
    if filters.types:
        conditions.append(Event.event_type.in_(filters.types))
    if filters.countries:
        conditions.append(Event.country_code.in_([code.upper() for code in filters.countries]))
    if filters.admin1:
        conditions.append(func.lower(Event.admin1) == filters.admin1.lower())
    if filters.bbox:
        conditions += bbox_conditions(filters.bbox)
    if filters.min_fatalities is not None:  # on the sort key, so that its index serves the range too
        conditions.append(SORT_KEYS[EventSort.fatalities].expression() >= filters.min_fatalities)
    if filters.min_confidence is not None:
        conditions.append(Event.confidence >= filters.min_confidence)
    if filters.q and filters.q.strip():
        conditions.append(text_condition(filters.q))
    if filters.updated_since:
        conditions.append(Event.updated_at >= filters.updated_since)
    if filters.articles:
        reported = select(EventEvidence.event_id).where(EventEvidence.article_id.in_(filters.articles))
        conditions.append(Event.event_id.in_(reported))
    return conditions


def order_by(sort: EventSort) -> list[ColumnElement[Any]]:
    key = SORT_KEYS[sort]
    if key.descending:
        return [key.expression().desc(), Event.event_id.desc()]
    return [key.expression().asc(), Event.event_id.asc()]


def after_row(sort: EventSort, value: Any, event_id: int) -> ColumnElement[bool]:
    """Rows that follow (value, event_id) in the sort's order: one row comparison, an index range."""
    key = SORT_KEYS[sort]
    row, last = tuple_(key.expression(), Event.event_id), tuple_(key.bound(value), literal(event_id))
    return row < last if key.descending else row > last


# An event with its place, participants and evidence in one row: the participants and evidence as JSON
# arrays of plain values, aggregated by correlated subqueries that PostgreSQL evaluates only for the
# rows a page returns (after its ORDER BY and LIMIT). No ORM objects: building them cost more CPU than
# the statements. The parts are built once (statements and their cache keys cost CPU to build).
EVENT_COLUMNS = [getattr(Event, name) for name in EventRow._fields]  # in EventRow's order
PLACE = aliased(Entity)
PARTICIPANT = aliased(Entity)
EVENT_PARTICIPANTS = (
    select(
        json_rows(
            [
                PARTICIPANT.entity_id,
                PARTICIPANT.name,
                PARTICIPANT.entity_type,
                PARTICIPANT.place_kind,
                EventParticipant.role,
            ],
            order_by=[
                case({"actor": 0, "target": 1}, value=EventParticipant.role, else_=2),
                PARTICIPANT.name,
                PARTICIPANT.entity_id,
            ],
        )
    )
    .select_from(EventParticipant)
    .join(PARTICIPANT, PARTICIPANT.entity_id == EventParticipant.entity_id)
    .where(EventParticipant.event_id == Event.event_id)
    .scalar_subquery()
)
EVENT_EVIDENCE = (
    select(
        json_rows(
            [
                EventEvidence.article_id,
                Article.title,
                Source.name,
                Article.published_at,
                EventEvidence.sentence_start,
                EventEvidence.sentence_end,
                EventEvidence.quote,
            ],
            order_by=[
                Article.published_at.asc().nulls_last(),
                EventEvidence.article_id,
                EventEvidence.sentence_start,
            ],
        )
    )
    .select_from(EventEvidence)
    .join(Article, Article.article_id == EventEvidence.article_id)
    .outerjoin(Source, Source.source_id == Article.source_id)
    .where(EventEvidence.event_id == Event.event_id)
    .scalar_subquery()
)
# Lateral: one lookup by key per event returned. As a join, 100 events read by id hashed every entity
# first (10,000 at 100,000 articles: 6 of the statement's 11 ms).
EVENT_PLACE = (
    select(
        PLACE.entity_id.label("place_id"),
        PLACE.name.label("place_name"),
        PLACE.entity_type.label("place_type"),
        PLACE.place_kind.label("place_kind"),
    )
    .where(PLACE.entity_id == Event.location_entity_id)
    .limit(1)  # at most one row anyway (a key); the limit keeps PostgreSQL from turning it back into a join
    .lateral("place")
)
EVENTS_WITH_DETAILS = select(
    *EVENT_COLUMNS,
    EVENT_PLACE.c.place_id,
    EVENT_PLACE.c.place_name,
    EVENT_PLACE.c.place_type,
    EVENT_PLACE.c.place_kind,
    EVENT_PARTICIPANTS.label("participants"),
    EVENT_EVIDENCE.label("evidence"),
).outerjoin(EVENT_PLACE, true())
# One statement for any number of ids (an IN list would be a statement per length to prepare and plan).
EVENT_IDS = bindparam("event_ids", type_=ARRAY(BigInteger))
EVENTS_BY_ID = EVENTS_WITH_DETAILS.where(Event.event_id == any_(EVENT_IDS))


def optional_datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def event_detail(row: Row[*tuple[Any, ...]]) -> EventDetail:
    return EventDetail(
        event=EventRow(*row[: len(EVENT_COLUMNS)]),
        location=EntityRef(row.place_id, row.place_name, row.place_type, row.place_kind)
        if row.place_id is not None
        else None,
        participants=[(EntityRef(*entity), role) for *entity, role in row.participants],
        evidence=[
            Evidence(article_id, title, source, optional_datetime(published_at), start, end, quote)
            for article_id, title, source, published_at, start, end, quote in row.evidence
        ],
    )


def list_events(
    session: Session, filters: EventFilters, sort: EventSort, limit: int, after: tuple[Any, int] | None
) -> Page[EventDetail]:
    """One page of the matching events in the sort's order, keyset on (sort value, event_id)."""
    return event_page(session, event_conditions(session, filters), sort, limit, after)


def event_page(
    session: Session,
    conditions: list[ColumnElement[bool]],
    sort: EventSort,
    limit: int,
    after: tuple[Any, int] | None,
) -> Page[EventDetail]:
    """The page's events chosen by a statement planned for the filters' values (an entity in 30,000
    events or in 3 takes another plan), then read by id with a plan kept (load_events): planning the
    first took 0.1-0.6 ms of the backend's CPU where planning the filters together with the page's
    places, participants and evidence took 1.4-1.8 (100,000 articles)."""
    key = SORT_KEYS[sort].column
    page = sorted_rows(session, select(Event.event_id, key).where(*conditions), sort, limit, after)
    details = load_events(session, [row.event_id for row in page.items])
    # an event deleted between the two statements is left out, as if deleted just before them
    return Page([details[row.event_id] for row in page.items if row.event_id in details], page.next_after)


def sorted_rows(
    session: Session, statement: Select[Any], sort: EventSort, limit: int, after: tuple[Any, int] | None
) -> Page[Row[Any]]:
    """The statement's rows after `after` in the sort's order (keyset on the sort value and event_id)."""
    if after:
        statement = statement.where(after_row(sort, *after))
    # rows of columns: through the connection, as the session's ORM result handling adds 0.9 ms a page of 100
    rows = session.connection().execute(statement.order_by(*order_by(sort)).limit(limit + 1)).all()
    key = SORT_KEYS[sort].column.key
    return keyset_page(rows, limit, lambda row: [getattr(row, key), row.event_id])


def iter_events(
    sessions: SessionFactory, filters: EventFilters, sort: EventSort = EventSort.date_asc, batch: int = 1000
) -> Iterator[list[EventDetail]]:
    """Every matching event, `batch` at a time in the sort's order: keyset pages, so memory stays flat.

    Each page is read in a session of its own, so that a slow consumer (a download) holds no pooled
    connection while it works through a page. Unlike event_page, a page is one statement: planning is
    nothing next to reading a thousand events, and walking the sort's index beat a thousand lookups by
    id (an export by country 9.4-9.9 s read this way, 10.2-11.2 read by id)."""
    with sessions() as session:
        conditions = event_conditions(session, filters)  # names resolved once, not once a page
    statement = EVENTS_WITH_DETAILS.where(*conditions)
    after: tuple[Any, int] | None = None
    while True:
        with sessions() as session:
            page = sorted_rows(session, statement, sort, batch, after)
        yield [event_detail(row) for row in page.items]
        if page.next_after is None:
            return
        value, event_id = page.next_after
        after = (value, event_id)


def load_events(session: Session, event_ids: list[int]) -> dict[int, EventDetail]:
    if not event_ids:
        return {}
    with keyed_reads(session.connection()) as connection:
        rows = connection.execute(EVENTS_BY_ID, {"event_ids": event_ids}).all()
    return {row.event_id: event_detail(row) for row in rows}


def get_event(session: Session, event_id: int) -> EventDetail | None:
    """Any event by id, rejected ones included (their status says so)."""
    return load_events(session, [event_id]).get(event_id)
