"""Timelines summed from rollups instead of events, where the rollups answer the request exactly.

`event_day_count` holds events and fatalities by start day, last day and status (grain 0; undated
events under day -infinity, which timelines leave out), also by event type (grain 1), also by
country (grain 2); `entity_day_count` the same per entity (grains 0 and 2), for the events it takes
part in or that happened at it. Triggers keep both in the writer's transaction
(migration 2026-11-30-0110), COPY included, so they are never behind the events. A timeline filtered
only by those columns (types, countries, statuses, from/to), for all events or one entity per series,
sums the coarsest grain that holds its filters (a few thousand rows over ten years) instead of every
matching event. Any other filter (admin1 among them) or a name meaning several entities (whose events
may overlap) is answered from the events (db/timeline.py).

A country's series also holds the events inside it that do not name it: those come from
event_day_count, and from entity_day_count only the country's own events elsewhere, so no event
counts twice. A province's area is by admin1, which no rollup holds: the events inside it that do not
name it come from a covering index on (country_code, admin1, location_entity_id) (province_area_rows).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Subquery,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from db.events import UNDATED, EventFilters
from db.models import REVIEW_STATUSES, Entity, EntityDayCount, Event, EventDayCount, EventParticipant

RollupTable = type[EventDayCount] | type[EntityDayCount]
COUNTED = tuple(status for status in REVIEW_STATUSES if status != "rejected")


def answers(filters: EventFilters) -> bool:
    """Whether every filter set is a rollup column (and no country is empty text, which the rollups
    store for an event without one)."""
    rest = EventFilters(
        types=filters.types,
        countries=filters.countries,
        date_from=filters.date_from,
        date_to=filters.date_to,
        statuses=filters.statuses,
    )
    return rest == filters and "" not in filters.countries


def grain(table: RollupTable, filters: EventFilters, entity: Entity | None) -> int:
    """The coarsest grain holding the filters' columns (and the country of a country's series);
    entity_day_count has no grain 1."""
    if filters.countries or (entity is not None and entity.place_kind == "country" and entity.country_code):
        return 2
    if filters.types:
        return 2 if table is EntityDayCount else 1
    return 0


def filter_conditions(
    table: RollupTable, filters: EventFilters, at: int, dated: bool
) -> list[ColumnElement[bool]]:
    """db.events.event_conditions on rollup rows: the same statuses, types, countries and date window;
    `dated`: leave out the undated events (day -infinity), which are on no timeline."""
    conditions = [table.grain == at]
    if dated:
        conditions.append(table.day != UNDATED)
    return conditions + window_conditions(
        filters, table.status, table.event_type, table.country_code, table.day, table.last_day
    )


def window_conditions(
    filters: EventFilters,
    status: SQLColumnExpression[str],
    event_type: SQLColumnExpression[str],
    country_code: SQLColumnExpression[str | None],
    day: SQLColumnExpression[dt.date],
    last_day: SQLColumnExpression[dt.date],
) -> list[ColumnElement[bool]]:
    """The filters a rollup answers (statuses, types, countries, from/to) on these columns: a rollup
    table's, or the events' own for a province's area (province_area_rows)."""
    conditions: list[ColumnElement[bool]] = [status.in_(filters.statuses)]
    if filters.types:
        conditions.append(event_type.in_(filters.types))
    if filters.countries:
        conditions.append(country_code.in_([code.upper() for code in filters.countries]))
    if filters.date_to:
        conditions.append(day <= filters.date_to)
    if filters.date_from:
        conditions.append(last_day >= filters.date_from)  # overlaps: last_day >= day
    return conditions


def rollup_rows(filters: EventFilters, entity: Entity | None, dated: bool = True) -> Subquery:
    """(day, last_day, events, fatalities) rows whose sums are those of the matching events."""

    def rows(table: RollupTable, *where: ColumnElement[bool]) -> Select[dt.date, dt.date, int, int]:
        return select(table.day, table.last_day, table.events, table.fatalities).where(
            *filter_conditions(table, filters, grain(table, filters, entity), dated), *where
        )

    if entity is None:
        return rows(EventDayCount).subquery()
    own = rows(EntityDayCount, EntityDayCount.entity_id == entity.entity_id)
    if entity.place_kind == "province" and entity.country_code:
        return union_all(own, province_area_rows(filters, entity, dated)).subquery()
    if entity.place_kind != "country" or not entity.country_code:
        return own.subquery()
    code = entity.country_code
    inside = rows(EventDayCount, EventDayCount.country_code == code)
    return union_all(own.where(EntityDayCount.country_code != code), inside).subquery()


def province_area_rows(
    filters: EventFilters, province: Entity, dated: bool
) -> Select[dt.date, dt.date, int, int]:
    """One (day, last_day, 1, fatalities) row per event inside the province (its country and admin1)
    that neither names it nor happened at it (those are in its own entity_day_count rows), with the
    rollups' filters (window_conditions). No rollup holds admin1: these come from the covering index on
    (country_code, admin1, location_entity_id), without reading the events.

    The events that happened at the province itself are skipped, not filtered: three ranges of the
    index (placed before it, after it, nowhere) instead of one with a condition on every entry. Where
    most of a province's events are placed at the province, a filter read them all to keep none (the
    busiest province at a million articles: 97,846 index entries, 12.4 -> 0.1 ms)."""
    day = func.coalesce(Event.date_start, UNDATED)
    last_day = func.coalesce(Event.date_end, Event.date_start, UNDATED)
    conditions = [
        Event.country_code == province.country_code,
        Event.admin1 == (province.admin1 or province.name),
        *window_conditions(filters, Event.status, Event.event_type, Event.country_code, day, last_day),
    ]
    if dated:
        conditions.append(Event.date_start.is_not(None))
    inside = select(
        Event.event_id,
        day.label("day"),
        last_day.label("last_day"),
        func.coalesce(Event.fatalities, 0).label("fatalities"),
    ).where(*conditions)
    area = union_all(
        inside.where(Event.location_entity_id < province.entity_id),
        inside.where(Event.location_entity_id > province.entity_id),
        inside.where(Event.location_entity_id.is_(None)),
    ).subquery()
    takes_part = select(EventParticipant.event_id).where(
        EventParticipant.entity_id == province.entity_id, EventParticipant.event_id == area.c.event_id
    )
    return select(area.c.day, area.c.last_day, literal(1).label("events"), area.c.fatalities).where(
        ~takes_part.exists()
    )


def entity_event_count(session: Session, entity: Entity) -> int:
    """The entity's events that are not rejected, dated or not, as db.entities.entity_stats counts
    them (a place's include those inside it: rollup_rows)."""
    rows = rollup_rows(EventFilters(statuses=COUNTED), entity, dated=False)
    return int(session.scalar(select(func.coalesce(func.sum(rows.c.events), 0))) or 0)


def rebuild(session: Session) -> None:
    """Recount both rollups from the events (the triggers keep them; this is for repairs and checks)."""
    session.execute(text("SELECT rebuild_event_rollups()"))
