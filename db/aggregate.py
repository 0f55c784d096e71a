"""Aggregations: events counted and fatalities summed per group, for the filters of /v1/events.

An event counts once in each group it belongs to. Single-valued keys (type, country, admin1, date)
put it in one group; many-valued ones (actor, target, source) in one per value, so their groups can
add up to more than the total, which is counted apart: the total always equals what /v1/events lists.
Each event's (keys) combinations are made distinct before counting, so a second evidence sentence
or a third participant never counts an event twice, nor its fatalities.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from db.events import EventFilters, event_conditions
from db.models import Article, Entity, Event, EventEvidence, EventParticipant, Source
from db.taxonomy import CODINGS
from db.timeline import Interval, truncated


class GroupBy(StrEnum):
    type = "type"
    acled_type = "acled_type"
    acled_sub_type = "acled_sub_type"
    country = "country"
    admin1 = "admin1"
    actor = "actor"
    target = "target"
    source = "source"
    date = "date"


@dataclass
class AggregateRequest:
    filters: EventFilters
    group_by: tuple[GroupBy, ...]
    interval: Interval = Interval.month  # the bucket of `date`
    limit: int = 1000


@dataclass
class Group:
    keys: dict[str, Any]  # group_by name -> value (None: the event has none)
    events: int
    fatalities: int


@dataclass
class Aggregate:
    groups: list[Group]  # most events first
    total_events: int
    total_fatalities: int
    truncated: bool  # more groups than the limit


def with_key(statement: Select[Any], key: GroupBy, interval: Interval) -> Select[Any]:
    """The statement with the key's column (labelled by its name) and any join it needs."""
    column: ColumnElement[Any] | InstrumentedAttribute[Any]
    if key is GroupBy.type:
        column = Event.event_type
    elif key is GroupBy.acled_type:
        column = case({str(t): c.acled_event_type for t, c in CODINGS.items()}, value=Event.event_type)
    elif key is GroupBy.acled_sub_type:
        column = case({str(t): c.acled_sub_event_type for t, c in CODINGS.items()}, value=Event.event_type)
    elif key is GroupBy.country:
        column = Event.country_code
    elif key is GroupBy.admin1:
        column = Event.admin1
    elif key is GroupBy.date:
        column = truncated(interval, Event.date_start)
    elif key in (GroupBy.actor, GroupBy.target):
        role, entity = aliased(EventParticipant), aliased(Entity)
        statement = statement.outerjoin(
            role, (role.event_id == Event.event_id) & (role.role == key.value)
        ).outerjoin(entity, entity.entity_id == role.entity_id)
        column = entity.name
    else:
        evidence, article, source = aliased(EventEvidence), aliased(Article), aliased(Source)
        statement = (
            statement.outerjoin(evidence, evidence.event_id == Event.event_id)
            .outerjoin(article, article.article_id == evidence.article_id)
            .outerjoin(source, source.source_id == article.source_id)
        )
        column = source.name
    return statement.add_columns(column.label(key.value))


def aggregate_events(session: Session, request: AggregateRequest) -> Aggregate:
    conditions = event_conditions(session, request.filters)
    combos: Select[Any] = select(Event.event_id, Event.fatalities)  # type: ignore[assignment]
    for key in request.group_by:
        combos = with_key(combos, key, request.interval)
    per_event = combos.where(*conditions).distinct().subquery()
    keys = [per_event.c[key.value] for key in request.group_by]
    count = func.count()
    rows = session.execute(
        select(*keys, count, func.coalesce(func.sum(per_event.c.fatalities), 0))
        .group_by(*keys)
        .order_by(count.desc(), *(key.asc().nulls_last() for key in keys))
        .limit(request.limit + 1)
    ).all()
    total_events, total_fatalities = session.execute(
        select(func.count(), func.coalesce(func.sum(Event.fatalities), 0)).where(*conditions)
    ).one()
    groups = [
        Group(dict(zip([key.value for key in request.group_by], row[:-2], strict=True)), row[-2], row[-1])
        for row in rows[: request.limit]
    ]
    return Aggregate(groups, int(total_events), int(total_fatalities or 0), len(rows) > request.limit)
