"""Who controls what: a place's control timeline read from territory_captured, territory_regained
and withdrawal events (rejected ones left out, curators' corrections taken as they stand).

Each event is a report that the place changed hands: the actors of a capture or a regain hold it
after, the actors of a withdrawal leave it (to the event's other participants, when it names them).
Reports in date order (then in the order their sentence tells them, a fall before a recapture) make
periods; consecutive reports of the same controller are one period. Two reports from different
articles whose dates overlap and whose controllers differ are conflicting reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Entity, Event, EventEvidence, EventParticipant

CONTROL_TYPES = ("withdrawal", "territory_captured", "territory_regained")  # order within one sentence
NOT_MAPPED_KINDS = ("country", "region")  # "captured 11 districts in the country" is not the country


@dataclass
class ControlReport:
    event: Event
    controller: list[Entity]  # who holds the place after it, as reported (empty: not said)
    lost_by: list[Entity]
    evidence: list[EventEvidence]

    @property
    def controller_ids(self) -> frozenset[int]:
        return frozenset(entity.entity_id for entity in self.controller)

    @property
    def articles(self) -> set[int]:
        return {item.article_id for item in self.evidence}

    @property
    def start(self) -> dt.date:
        assert self.event.date_start is not None
        return self.event.date_start

    @property
    def end(self) -> dt.date:
        return self.event.date_end or self.start


@dataclass
class ControlPeriod:
    reports: list[ControlReport]  # the first opens the period, the others confirm it
    closed_by: ControlReport | None = None
    conflicts: list[ControlReport] = field(default_factory=list)

    @property
    def opened_by(self) -> ControlReport:
        return self.reports[0]

    @property
    def controller(self) -> list[Entity]:
        return self.opened_by.controller

    @property
    def lost_by(self) -> list[Entity]:
        return self.opened_by.lost_by


def control_reports(session: Session, place_ids: list[int]) -> dict[int, list[ControlReport]]:
    """Each place's dated, non-rejected control events, in the order they happened."""
    events = list(
        session.scalars(
            select(Event).where(
                Event.location_entity_id.in_(place_ids),
                Event.event_type.in_(CONTROL_TYPES),
                Event.status != "rejected",
                Event.date_start.is_not(None),
            )
        )
    )
    event_ids = [event.event_id for event in events]
    participants: dict[int, dict[str, list[Entity]]] = defaultdict(lambda: defaultdict(list))
    for event_id, role, entity in session.execute(
        select(EventParticipant.event_id, EventParticipant.role, Entity)
        .join(Entity, Entity.entity_id == EventParticipant.entity_id)
        .where(EventParticipant.event_id.in_(event_ids))
        .order_by(Entity.name)
    ):
        participants[event_id][role].append(entity)
    evidence: dict[int, list[EventEvidence]] = defaultdict(list)
    for item in session.scalars(
        select(EventEvidence)
        .where(EventEvidence.event_id.in_(event_ids))
        .order_by(EventEvidence.event_evidence_id)
    ):
        evidence[item.event_id].append(item)
    reports: dict[int, list[ControlReport]] = defaultdict(list)
    for event in events:
        roles = participants[event.event_id]
        if event.event_type == "withdrawal":
            report = ControlReport(event, roles["other"], roles["actor"], evidence[event.event_id])
        else:
            # the loser: its target, or the opponent the text names ('fell to the Taliban' after troops left)
            losers = roles["target"] or roles["other"]
            report = ControlReport(event, roles["actor"], losers, evidence[event.event_id])
        assert event.location_entity_id is not None
        reports[event.location_entity_id].append(report)
    for place_reports in reports.values():
        place_reports.sort(key=report_order)
    return reports


def report_order(report: ControlReport) -> tuple[dt.date, int, int, int, int]:
    first = min(((item.article_id, item.sentence_start) for item in report.evidence), default=(0, 0))
    rank = CONTROL_TYPES.index(report.event.event_type)
    return (report.start, first[0], first[1], rank, report.event.event_id)


def control_periods(reports: list[ControlReport]) -> list[ControlPeriod]:
    periods: list[ControlPeriod] = []
    for report in reports:
        if periods and periods[-1].opened_by.controller_ids == report.controller_ids:
            periods[-1].reports.append(report)
            continue
        if periods:
            periods[-1].closed_by = report
        periods.append(ControlPeriod([report]))
    for period in periods:
        opener = period.opened_by
        period.conflicts = [
            other
            for other in reports
            if other.controller_ids != opener.controller_ids
            and not other.articles & opener.articles
            and other.start <= opener.end
            and opener.start <= other.end
        ]
    return periods


def place_control(session: Session, place_id: int) -> list[ControlPeriod]:
    return control_periods(control_reports(session, [place_id]).get(place_id, []))


@dataclass
class PlaceInControl:
    place: Entity
    period: ControlPeriod


def control_on(session: Session, country: str, day: dt.date) -> list[PlaceInControl]:
    """Who was reported in control of each place of the country on that day (the latest period begun
    by then), for places below the country level; by place name."""
    places = list(
        session.scalars(
            select(Entity)
            .where(
                Entity.entity_type == "location",
                Entity.country_code == country.upper(),
                Entity.place_kind.is_(None) | Entity.place_kind.not_in(NOT_MAPPED_KINDS),
                Entity.entity_id.in_(
                    select(Event.location_entity_id).where(Event.event_type.in_(CONTROL_TYPES))
                ),
            )
            .order_by(Entity.name, Entity.entity_id)
        )
    )
    reports = control_reports(session, [place.entity_id for place in places])
    found = []
    for place in places:
        begun = [
            period
            for period in control_periods(reports.get(place.entity_id, []))
            if period.opened_by.start <= day
        ]
        if begun:
            found.append(PlaceInControl(place, begun[-1]))
    return found


def place_entity(session: Session, entity_id: int) -> Entity | None:
    place = session.get(Entity, entity_id)
    return place if place is not None and place.entity_type == "location" else None
