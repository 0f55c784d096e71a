"""Timelines: a value per day, week, month or year for the events that match the event filters.

An event falls in the bucket of its date_start (an event known only to the month starts on the
1st), or in the first bucket when it began before `from` and runs into the window: the buckets add up
to the events /v1/events lists for the same filters. Undated events are on no timeline.
Empty buckets come from generate_series; weeks start on Monday (ISO 8601).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Select,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import INTERVAL
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.entities import resolve_entity_ref
from db.events import EventDetail, EventFilters, entity_condition, entity_id_of, event_conditions, load_events
from db.models import Entity, Event, EventEvidence

MAX_BUCKETS = 5000


class Interval(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class Metric(StrEnum):
    events = "events"
    articles = "articles"  # distinct articles giving evidence for the bucket's events
    fatalities = "fatalities"


class UnknownEntity(LookupError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"No entity matches {ref!r}.")
        self.ref = ref


class TooManyBuckets(ValueError):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} buckets; at most {MAX_BUCKETS}: narrow from/to or widen the interval.")
        self.count = count


@dataclass
class TimelineRequest:
    filters: EventFilters
    interval: Interval = Interval.month
    metric: Metric = Metric.events
    entities: tuple[str, ...] = ()  # ids or names: one series each; none, one series for all
    top: int = 0  # the N top events of each bucket, by fatalities then confidence


@dataclass
class Bucket:
    start: dt.date
    value: int
    events: list[EventDetail] | None


@dataclass
class Series:
    entity: Entity | None
    buckets: list[Bucket]


@dataclass
class SeriesQuery:
    entity: Entity | None
    conditions: list[ColumnElement[bool]]


def truncated(
    interval: Interval, day: ColumnElement[Any] | InstrumentedAttribute[Any]
) -> ColumnElement[dt.date]:
    return cast(func.date_trunc(interval.value, cast(day, DateTime)), Date)


def bucket_start(interval: Interval, date_from: dt.date | None) -> ColumnElement[dt.date]:
    if date_from:
        return truncated(interval, func.greatest(Event.date_start, date_from))
    return truncated(interval, Event.date_start)


def first_day(interval: Interval, day: dt.date) -> dt.date:
    if interval is Interval.week:
        return day - dt.timedelta(days=day.weekday())
    if interval is Interval.month:
        return day.replace(day=1)
    if interval is Interval.year:
        return day.replace(month=1, day=1)
    return day


def bucket_count(interval: Interval, start: dt.date, end: dt.date) -> int:
    if interval is Interval.year:
        return end.year - start.year + 1
    if interval is Interval.month:
        return (end.year - start.year) * 12 + end.month - start.month + 1
    days = (end - first_day(interval, start)).days
    return days // 7 + 1 if interval is Interval.week else days + 1


def series_bounds(
    session: Session, request: TimelineRequest, queries: list[SeriesQuery]
) -> tuple[dt.date, dt.date] | None:
    """from/to, or else the first and last event date of any series; None when nothing is dated."""
    filters = request.filters
    if filters.date_from and filters.date_to:
        return filters.date_from, filters.date_to
    each = union_all(
        *(
            select(func.min(Event.date_start).label("first"), func.max(Event.date_start).label("last")).where(
                *query.conditions
            )
            for query in queries
        )
    ).subquery()
    first, last = session.execute(select(func.min(each.c.first), func.max(each.c.last))).one()
    if first is None or last is None:
        return None
    start = filters.date_from or first
    return start, max(filters.date_to or last, start)


def metric_values(request: TimelineRequest, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    start = bucket_start(request.interval, request.filters.date_from).label("start")
    if request.metric is Metric.articles:
        value: ColumnElement[Any] = func.count(EventEvidence.article_id.distinct())
        source = select(start, value.label("value")).join(
            EventEvidence, EventEvidence.event_id == Event.event_id
        )
    elif request.metric is Metric.fatalities:
        source = select(start, func.coalesce(func.sum(Event.fatalities), 0).label("value"))
    else:
        source = select(start, func.count().label("value"))
    return source.where(*conditions, Event.date_start.is_not(None)).group_by(start)


def bucket_values(
    session: Session,
    request: TimelineRequest,
    conditions: list[ColumnElement[bool]],
    bounds: tuple[dt.date, dt.date],
) -> list[tuple[dt.date, int]]:
    step: ColumnElement[Any] = cast(literal(f"1 {request.interval.value}"), INTERVAL)
    starts = select(
        cast(
            func.generate_series(
                truncated(request.interval, literal(bounds[0])), cast(bounds[1], DateTime), step
            ),
            Date,
        ).label("start")
    ).subquery()
    values = metric_values(request, conditions).subquery()
    rows = session.execute(
        select(starts.c.start, func.coalesce(values.c.value, 0))
        .outerjoin(values, values.c.start == starts.c.start)
        .order_by(starts.c.start)
    )
    return [(start, int(value)) for start, value in rows]


def top_event_ids(
    session: Session, request: TimelineRequest, conditions: list[ColumnElement[bool]]
) -> dict[dt.date, list[int]]:
    start = bucket_start(request.interval, request.filters.date_from)
    rank = func.row_number().over(
        partition_by=start,
        order_by=[Event.fatalities.desc().nulls_last(), Event.confidence.desc(), Event.event_id],
    )
    ranked = (
        select(start.label("start"), Event.event_id, rank.label("rank"))
        .where(*conditions, Event.date_start.is_not(None))
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.start, ranked.c.event_id)
        .where(ranked.c.rank <= request.top)
        .order_by(ranked.c.start, ranked.c.rank)
    )
    found: dict[dt.date, list[int]] = {}
    for start_day, event_id in rows:
        found.setdefault(start_day, []).append(event_id)
    return found


def series_queries(session: Session, request: TimelineRequest) -> list[SeriesQuery]:
    base = event_conditions(session, request.filters)
    if not request.entities:
        return [SeriesQuery(None, base)]
    queries = []
    for ref in request.entities:
        if ref.isdigit() and entity_id_of(ref) is None:
            raise UnknownEntity(ref)
        entity = resolve_entity_ref(session, ref)
        if entity is None:
            raise UnknownEntity(ref)
        queries.append(SeriesQuery(entity, [*base, entity_condition(entity)]))
    return queries


def event_timeline(session: Session, request: TimelineRequest) -> list[Series]:
    """One series per entity (or one for all the matching events), empty buckets included."""
    queries = series_queries(session, request)
    bounds = series_bounds(session, request, queries)
    if bounds is None:
        return [Series(query.entity, []) for query in queries]
    count = bucket_count(request.interval, *bounds)
    if count > MAX_BUCKETS:
        raise TooManyBuckets(count)
    values = [bucket_values(session, request, query.conditions, bounds) for query in queries]
    if not request.top:
        return [
            Series(query.entity, [Bucket(*pair, None) for pair in pairs])
            for query, pairs in zip(queries, values, strict=True)
        ]
    tops = [top_event_ids(session, request, query.conditions) for query in queries]
    details = load_events(session, [i for top in tops for ids in top.values() for i in ids])
    return [
        Series(
            query.entity,
            [Bucket(start, value, [details[i] for i in top.get(start, [])]) for start, value in pairs],
        )
        for query, pairs, top in zip(queries, values, tops, strict=True)
    ]
