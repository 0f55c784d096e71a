"""Timelines: a value per day, week, month or year for the events that match the event filters.

An event falls in the bucket of its date_start (an event known only to the month starts on the
1st), or in the first bucket when it began before `from` and runs into the window: the buckets add up
to the events /v1/events lists for the same filters. Undated events are on no timeline.
Each series is one statement: its non-empty buckets with the first and last day it found (window
aggregates over the groups), so the span is not a second pass over the same rows; the empty buckets
are filled in here. Weeks start on Monday (ISO 8601).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Select,
    SQLColumnExpression,
    cast,
    func,
    select,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from db import rollups
from db.entity_refs import entities_named
from db.events import ENGLISH, EventDetail, EventFilters, entity_condition, event_conditions, load_events
from db.models import Article, Entity, Event, EventEvidence, Mention

MAX_BUCKETS = 5000


class Interval(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class Metric(StrEnum):
    events = "events"
    articles = "articles"  # media attention: articles published in the bucket (see article_conditions)
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
    normalize: bool = False  # divide each value by all the articles published in the bucket


@dataclass
class Bucket:
    start: dt.date
    value: float
    events: list[EventDetail] | None


@dataclass
class Series:
    entity: Entity | None
    buckets: list[Bucket]


@dataclass
class SeriesQuery:
    entity: Entity | None
    conditions: list[ColumnElement[bool]]  # on events; on articles for the articles metric


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


def check_bucket_count(interval: Interval, bounds: tuple[dt.date, dt.date]) -> None:
    count = bucket_count(interval, *bounds)
    if count > MAX_BUCKETS:
        raise TooManyBuckets(count)


def window(filters: EventFilters, found: Sequence[dt.date | None] | None) -> tuple[dt.date, dt.date] | None:
    """The series' span: from/to where given, else the first and last day found (None: nothing dated)."""
    if found is None or found[0] is None or found[1] is None:
        return None
    start = filters.date_from or found[0]
    return start, max(filters.date_to or found[1], start)


@dataclass
class Counted:
    """A series' non-empty buckets and the first and last day of what it counted (None: nothing)."""

    values: dict[dt.date, int]
    first: dt.date | None
    last: dt.date | None


def with_span(
    start: ColumnElement[Any], value: ColumnElement[Any], day: SQLColumnExpression[Any]
) -> list[Any]:
    """The columns of a bucket query grouped by `start`: the bucket, its value, and the first and last
    `day` over all the groups (window aggregates: the span comes with the counts, in the same pass)."""
    return [
        start.label("start"),
        value.label("value"),
        func.min(func.min(day)).over().label("first"),
        func.max(func.max(day)).over().label("last"),
    ]


def counted(session: Session, counts: Select[Any]) -> Counted:
    rows = session.connection().execute(counts).all()
    if not rows:
        return Counted({}, None, None)
    return Counted({row.start: int(row.value) for row in rows}, rows[0].first, rows[0].last)


def span(filters: EventFilters, series: list[Counted]) -> tuple[dt.date, dt.date] | None:
    """from/to, or else the first and last day of any series; None when no series counted anything."""
    if filters.date_from and filters.date_to:
        return filters.date_from, filters.date_to
    firsts = [one.first for one in series if one.first is not None]
    lasts = [one.last for one in series if one.last is not None]
    return window(filters, (min(firsts), max(lasts)) if firsts and lasts else None)


def next_bucket(day: dt.date, interval: Interval) -> dt.date:
    if interval is Interval.day:
        return day + dt.timedelta(days=1)
    if interval is Interval.week:
        return day + dt.timedelta(days=7)
    if interval is Interval.month:
        return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return dt.date(day.year + 1, 1, 1)


def filled(
    interval: Interval, values: dict[dt.date, int], bounds: tuple[dt.date, dt.date]
) -> list[tuple[dt.date, int]]:
    """The (start, value) of every bucket from the one holding bounds[0] to the one holding bounds[1]."""
    buckets = []
    start = first_day(interval, bounds[0])
    while start <= bounds[1]:
        buckets.append((start, values.get(start, 0)))
        start = next_bucket(start, interval)
    return buckets


def metric_values(request: TimelineRequest, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """Events or fatalities per bucket of the events' series (the articles metric counts articles:
    article_counts)."""
    start = bucket_start(request.interval, request.filters.date_from)
    value: ColumnElement[Any] = func.count()
    if request.metric is Metric.fatalities:
        value = func.coalesce(func.sum(Event.fatalities), 0)
    source = select(*with_span(start, value, Event.date_start))
    return source.where(*conditions, Event.date_start.is_not(None)).group_by(start)


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


def article_conditions(
    session: Session, filters: EventFilters, entities: list[Entity] | None
) -> list[ColumnElement[bool]]:
    """The articles of an attention timeline: those mentioning one of the entities (or reporting one of
    their events), matching `q` as full text, reporting an event that matches the other event filters
    when any is set, published within from/to."""
    conditions: list[ColumnElement[bool]] = []
    if entities:
        ids = [entity.entity_id for entity in entities]
        mentioning = select(Mention.article_id).where(Mention.entity_id.in_(ids))
        theirs = select(Event.event_id).where(entity_condition(entities), Event.status.in_(filters.statuses))
        reporting = select(EventEvidence.article_id).where(EventEvidence.event_id.in_(theirs))
        conditions.append(Article.article_id.in_(union(mentioning, reporting)))
    if filters.q and filters.q.strip():
        # no stored vector (search runs on the derived index): the articles of the other filters are
        # matched one by one, so a q over a long unfiltered range costs a scan of its articles
        document = func.to_tsvector(ENGLISH, func.coalesce(Article.title, "") + " " + Article.text)
        conditions.append(document.op("@@")(func.websearch_to_tsquery(ENGLISH, filters.q)))
    rest = replace(filters, date_from=None, date_to=None, q=None)
    if rest != EventFilters():
        matching = select(Event.event_id).where(*event_conditions(session, rest))
        reporting = select(EventEvidence.article_id).where(EventEvidence.event_id.in_(matching))
        conditions.append(Article.article_id.in_(reporting))
    if filters.date_from:
        conditions.append(Article.published_at >= dt.datetime.combine(filters.date_from, dt.time(), dt.UTC))
    if filters.date_to:
        next_day = filters.date_to + dt.timedelta(days=1)
        conditions.append(Article.published_at < dt.datetime.combine(next_day, dt.time(), dt.UTC))
    return [*conditions, Article.published_at.is_not(None)]


def article_counts(interval: Interval, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """Articles per bucket of their publication day (UTC), with the first and last such day."""
    day = cast(func.timezone("UTC", Article.published_at), Date)
    start = truncated(interval, func.timezone("UTC", Article.published_at))
    return select(*with_span(start, func.count(), day)).where(*conditions).group_by(start)


def normalized(pairs: list[tuple[dt.date, int]], articles: dict[dt.date, int]) -> list[tuple[dt.date, float]]:
    """Each value divided by all the articles published in its bucket (0 where there are none)."""
    return [
        (start, round(value / articles[start], 6) if articles.get(start) else 0.0) for start, value in pairs
    ]


Named = list[tuple[Entity, list[Entity]]]  # per series: the entity it is named after, and all of that name


def named_series(session: Session, request: TimelineRequest) -> Named:
    """The entities of each requested series, looked up once; UnknownEntity for a name nobody bears."""
    named = []
    for ref in request.entities:
        entities = entities_named(session, [ref])
        if not entities:
            raise UnknownEntity(ref)
        named.append((entities[0], entities))
    return named


def series_queries(session: Session, request: TimelineRequest, named: Named) -> list[SeriesQuery]:
    if request.metric is Metric.articles:
        return article_series_queries(session, request, named)
    base = event_conditions(session, request.filters)
    if not named:
        return [SeriesQuery(None, base)]
    return [SeriesQuery(entity, [*base, entity_condition(entities)]) for entity, entities in named]


def article_series_queries(session: Session, request: TimelineRequest, named: Named) -> list[SeriesQuery]:
    if not named:
        return [SeriesQuery(None, article_conditions(session, request.filters, None))]
    return [
        SeriesQuery(entity, article_conditions(session, request.filters, entities))
        for entity, entities in named
    ]


def rollup_entities(request: TimelineRequest, named: Named) -> list[Entity | None] | None:
    """The series' entities (None: all events) when db.rollups answers every series exactly; else None."""
    if request.metric is Metric.articles or not rollups.answers(request.filters):
        return None
    if not named:
        return [None]
    if any(len(entities) > 1 for _, entities in named):
        return None  # a name meaning several entities: their events may overlap
    return [entity for entity, _ in named]


def rollup_sums(request: TimelineRequest, entity: Entity | None) -> Select[Any]:
    """metric_values summed from the rollups' rows (db.rollups.rollup_rows)."""
    rows = rollups.rollup_rows(request.filters, entity)
    date_from = request.filters.date_from
    start = truncated(request.interval, func.greatest(rows.c.day, date_from) if date_from else rows.c.day)
    value = func.sum(rows.c.fatalities if request.metric is Metric.fatalities else rows.c.events)
    return select(*with_span(start, func.coalesce(value, 0), rows.c.day)).group_by(start)


def event_timeline(session: Session, request: TimelineRequest) -> list[Series]:
    """One series per entity (or one for all the matching events), empty buckets included.

    Summed from the rollups when they answer the request exactly (db.rollups), else from the events.
    """
    filters = request.filters
    if filters.date_from and filters.date_to:  # the span is known: refuse before counting anything
        check_bucket_count(request.interval, (filters.date_from, filters.date_to))
    named = named_series(session, request)
    summed = rollup_entities(request, named)
    queries: list[SeriesQuery] | None = None
    if summed is not None:
        entities = summed
        series = [counted(session, rollup_sums(request, entity)) for entity in entities]
    else:
        queries = series_queries(session, request, named)
        entities = [query.entity for query in queries]
        if request.metric is Metric.articles:
            series = [counted(session, article_counts(request.interval, q.conditions)) for q in queries]
        else:
            series = [counted(session, metric_values(request, q.conditions)) for q in queries]
    bounds = span(filters, series)
    if bounds is None:
        return [Series(entity, []) for entity in entities]
    check_bucket_count(request.interval, bounds)
    counts = [filled(request.interval, one.values, bounds) for one in series]
    if request.normalize:  # the articles published in the buckets shown, not in every bucket there is
        shown = (
            dt.datetime.combine(first_day(request.interval, bounds[0]), dt.time(), dt.UTC),
            dt.datetime.combine(
                next_bucket(first_day(request.interval, bounds[1]), request.interval), dt.time(), dt.UTC
            ),
        )
        published = [Article.published_at >= shown[0], Article.published_at < shown[1]]
        articles = counted(session, article_counts(request.interval, published))
        values = [normalized(pairs, articles.values) for pairs in counts]
    else:
        values = [list(pairs) for pairs in counts]
    if not request.top:
        return [
            Series(entity, [Bucket(*pair, None) for pair in pairs])
            for entity, pairs in zip(entities, values, strict=True)
        ]
    if queries is None or request.metric is Metric.articles:  # the top events of the events' series
        queries = series_queries(session, replace(request, metric=Metric.events), named)
    tops = [top_event_ids(session, request, query.conditions) for query in queries]
    details = load_events(session, [i for top in tops for ids in top.values() for i in ids])
    return [
        Series(
            entity,
            [Bucket(start, value, [details[i] for i in top.get(start, [])]) for start, value in pairs],
        )
        for entity, pairs, top in zip(entities, values, tops, strict=True)
    ]
