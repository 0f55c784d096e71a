"""The rollups (db/rollups.py) answer timelines exactly as the events do, whatever wrote the events.

Each test changes events the way the API, the pipeline or a bulk load does, then checks two things:
the rollup rows equal a recount from the events, and timelines summed from them equal the timelines
counted from the events for a set of filters (statuses, types, countries, dates, intervals, metrics,
entities that take part, are the place, or contain it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, Text, cast, delete, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from db import rollups, timeline
from db.curation import EventChanges, update_event
from db.entity_curation import merge_entities
from db.events import EventFilters
from db.models import Article, Entity, EntityDayCount, Event, EventDayCount, EventParticipant
from db.timeline import Interval, Metric, TimelineRequest, event_timeline
from tests.api.test_events import World, build_world
from tests.factories import TRT_2021, add_article, add_entity, add_event, seed_article_id

ALL_STATUSES = ("auto", "verified", "rejected")


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def rollup_rows(session: Session) -> list[list[tuple[Any, ...]]]:
    """Every row of both rollups (days as text: undated events are under -infinity)."""
    found = []
    for table in (EventDayCount.__table__, EntityDayCount.__table__):
        columns = [cast(c, Text) if c.name in ("day", "last_day") else c for c in table.columns]
        rows = session.execute(select(*columns).order_by(*table.primary_key))
        found.append([tuple(row) for row in rows])
    return found


def assert_rollups_recount(session: Session) -> None:
    session.flush()
    kept = rollup_rows(session)
    rollups.rebuild(session)
    assert rollup_rows(session) == kept
    assert kept[0], "the rollups hold rows"


def values(series: list[timeline.Series]) -> list[tuple[int | None, list[tuple[dt.date, float]]]]:
    return [
        (s.entity.entity_id if s.entity else None, [(b.start, b.value) for b in s.buckets]) for s in series
    ]


def requests(world: World, seed_entities: list[str]) -> list[TimelineRequest]:
    refs = [
        str(world.zorgan.entity_id),  # takes part
        str(world.eskar.entity_id),  # the place (a district)
        str(world.qzland.entity_id),  # a country
        str(world.norvale.entity_id),  # a province: its area is by admin1
        str(world.velmar.entity_id),
        *seed_entities,
    ]
    filters = [
        EventFilters(),
        EventFilters(statuses=ALL_STATUSES),
        EventFilters(statuses=("rejected",)),
        EventFilters(types=["armed_clash", "attack"], countries=["qz"]),
        EventFilters(types=["armed_clash", "attack", "statement"]),  # per entity: grain 2 summed
        EventFilters(date_from=dt.date(2020, 3, 1)),  # the raid began before: first bucket
        EventFilters(date_from=dt.date(2020, 3, 1), date_to=dt.date(2020, 4, 30)),
        EventFilters(date_to=dt.date(2020, 3, 5), countries=["QZ", "AF"]),
    ]
    found = []
    for event_filters in filters:
        for interval in (Interval.day, Interval.week, Interval.month, Interval.year):
            found.append(TimelineRequest(event_filters, interval))
        found.append(TimelineRequest(event_filters, Interval.month, Metric.fatalities))
        found.append(TimelineRequest(event_filters, Interval.month, entities=tuple(refs)))
        found.append(TimelineRequest(event_filters, Interval.week, Metric.fatalities, entities=tuple(refs)))
    return found


def assert_timelines_agree(session: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    session.flush()
    popular = select(Entity.entity_id).where(Entity.mention_count > 0).order_by(Entity.mention_count.desc())
    seed = [str(entity_id) for entity_id in session.scalars(popular.limit(4))]
    for request in requests(world, seed):
        assert timeline.rollup_entities(request, timeline.named_series(session, request)) is not None, request
        summed = values(event_timeline(session, request))
        with monkeypatch.context() as patched:
            patched.setattr(timeline, "rollup_entities", lambda *_: None)
            counted = values(event_timeline(session, request))
        assert summed == counted, request


def test_other_filters_and_names_of_several_entities_are_counted_from_the_events(
    session: Session, world: World
) -> None:
    add_entity(session, "Norvale", "organization")  # a second entity of that name
    for request in (
        TimelineRequest(EventFilters(admin1="Norvale")),
        TimelineRequest(EventFilters(min_fatalities=1)),
        TimelineRequest(EventFilters(), metric=Metric.articles),
        TimelineRequest(EventFilters(), entities=("Norvale",)),  # the province and the organization
    ):
        assert timeline.rollup_entities(request, timeline.named_series(session, request)) is None, request
    assert timeline.rollup_entities(TimelineRequest(EventFilters(countries=["QZ"])), []) == [None]
    province = TimelineRequest(EventFilters(), entities=(str(world.norvale.entity_id),))
    assert timeline.rollup_entities(province, timeline.named_series(session, province)) == [world.norvale]


def test_a_provinces_series_and_count_hold_the_events_inside_it_that_do_not_name_it(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events in Norvale's admin1 at other places, one naming the province as a participant as well
    (counted once), one undated (in the count, on no timeline), one rejected (in neither)."""
    article = add_article(session, text="Fighting spread across Norvale province this week.")
    elsewhere: dict[str, Any] = {"location": world.eskar}  # a district of Norvale
    add_event(session, article, date_start=dt.date(2020, 5, 2), fatalities=3, **elsewhere)
    add_event(session, article, date_start=dt.date(2020, 5, 9), targets=(world.norvale,), **elsewhere)
    add_event(session, article, date_start=None, precision="unknown", **elsewhere)
    add_event(session, article, date_start=dt.date(2020, 5, 3), status="rejected", **elsewhere)
    session.flush()
    request = TimelineRequest(EventFilters(), Interval.month, entities=(str(world.norvale.entity_id),))
    summed = values(event_timeline(session, request))
    with monkeypatch.context() as patched:
        patched.setattr(timeline, "rollup_entities", lambda *_: None)
        counted = values(event_timeline(session, request))
    assert summed == counted
    assert dict(summed[0][1])[dt.date(2020, 5, 1)] == 2
    in_area = select(func.count()).where(
        Event.status != "rejected",
        (Event.country_code == "QZ") & (Event.admin1 == "Norvale")
        | (Event.location_entity_id == world.norvale.entity_id)
        | Event.event_id.in_(
            select(EventParticipant.event_id).where(EventParticipant.entity_id == world.norvale.entity_id)
        ),
    )
    assert rollups.entity_event_count(session, world.norvale) == session.scalar(in_area)


def check(session: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_rollups_recount(session)
    assert_timelines_agree(session, world, monkeypatch)


def test_rollups_hold_the_seed_corpus_and_inserted_events(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(session, world, monkeypatch)
    article = add_article(session, text="Zorgan Front attacked Eskar again. Nobody was hurt.")
    # the place also takes part, and one entity holds two roles: each event counts once per entity
    add_event(
        session,
        article,
        date_start=dt.date(2020, 3, 12),
        location=world.eskar,
        actors=(world.eskar, world.zorgan),
        targets=(world.zorgan,),
        fatalities=4,
    )
    add_event(session, article, event_type="attack", date_start=None, location=world.eskar)  # undated
    add_event(
        session, article, event_type="statement", date_start=dt.date(2020, 3, 12), actors=(world.velmar,)
    )
    check(session, world, monkeypatch)


def test_curation_moves_events_between_rollup_rows(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def curate(event: Event, **fields: Any) -> None:
        changes = EventChanges(**fields, set_fields=set(fields))
        update_event(session, event.event_id, changes, actor="test", expected_revision=event.revision)

    curate(world.clash, event_type="attack", fatalities=20)
    curate(world.raid, date_start=dt.date(2020, 4, 1), date_end=dt.date(2020, 4, 3))
    curate(world.protest, status="rejected")
    curate(world.capture, status="verified", location_entity_id=world.tolbrook.entity_id)
    curate(world.clash, actors=[world.velmar.entity_id, world.eskar.entity_id], targets=[])
    check(session, world, monkeypatch)
    curate(world.clash, location_entity_id=None, actors=[world.eskar.entity_id])
    curate(world.protest, status="auto", date_start=None, date_end=None, date_precision="unknown")
    check(session, world, monkeypatch)


def test_deletes_reprocessing_and_entity_merges_keep_the_rollups_exact(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.execute(delete(Event).where(Event.event_id == world.raid.event_id))
    session.execute(
        delete(EventParticipant).where(
            EventParticipant.event_id == world.clash.event_id, EventParticipant.role == "target"
        )
    )
    check(session, world, monkeypatch)
    # the pipeline's reprocessing deletes an article's events and writes them again
    from ingest.reprocess import reprocess_articles
    from tests.ingest.test_reprocess import derived_rows

    article_id = seed_article_id(session, TRT_2021)
    before = derived_rows(session, article_id)
    session.execute(update(Article).where(Article.article_id == article_id).values(pipeline_version=0))
    session.flush()
    report = reprocess_articles(SessionFactory(session))
    assert report.reprocessed >= 1  # the seed article, and the world's articles (never extracted)
    assert derived_rows(session, article_id) == before
    check(session, world, monkeypatch)
    # a merge moves participations and places; deleting an entity drops its participations
    zorgan, velmar = session.get(Entity, world.zorgan.entity_id), session.get(Entity, world.velmar.entity_id)
    assert zorgan is not None and velmar is not None
    merge_entities(
        session, velmar.entity_id, zorgan.entity_id, actor="test", expected_revision=velmar.revision
    )
    session.execute(delete(Entity).where(Entity.entity_id == world.tolbrook.entity_id))
    session.expire_all()
    world = replace(world, velmar=zorgan)
    check(session, world, monkeypatch)


class SessionFactory:
    """The test's session as a sessionmaker: `with factory() as s` and `with factory.begin() as s`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __call__(self) -> Any:
        return self

    def begin(self) -> Any:
        return self

    def __enter__(self) -> Session:
        return self.session

    def __exit__(self, *_: object) -> None:
        self.session.flush()


def test_copy_fills_the_rollups(session: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/corpus.py loads with COPY: the statement triggers roll its rows up as well."""
    session.flush()
    first = (session.scalar(select(func.max(Event.event_id))) or 0) + 1
    article = add_article(session, text="Copied events.")
    place = add_entity(
        session, "Copyville", "location", place_kind="city", country_code="QZ", admin1="Norvale"
    )
    raw: Any = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY event (event_id, event_type, date_start, date_end, date_precision, location_entity_id, "
            "country_code, admin1, fatalities, summary, confidence, status, extractor_version) FROM STDIN"
        ) as copy:
            for n in range(30):
                day = dt.date(2020, 1, 1) + dt.timedelta(days=n * 3)
                status = ALL_STATUSES[n % 3]
                row = (first + n, "attack", day, day, "day", place.entity_id, "QZ", "Norvale", n % 4 or None)
                copy.write_row((*row, "copied", 0.5, status, 1))
        with cursor.copy("COPY event_participant (event_id, entity_id, role) FROM STDIN") as copy:
            for n in range(30):
                copy.write_row((first + n, world.zorgan.entity_id, "actor"))
                copy.write_row((first + n, place.entity_id, "target"))
        evidence = "event_evidence (event_id, article_id, sentence_start, sentence_end, quote)"
        with cursor.copy(f"COPY {evidence} FROM STDIN") as copy:
            for n in range(30):
                copy.write_row((first + n, article.article_id, 0, 6, "Copied"))
    copied = session.scalar(
        select(func.sum(EntityDayCount.events)).where(
            EntityDayCount.entity_id == place.entity_id, EntityDayCount.grain == 0
        )
    )
    assert copied == 30
    check(session, world, monkeypatch)


def test_a_truncate_recounts_the_rollups(session: Session, world: World) -> None:
    session.flush()
    before = rollup_rows(session)
    session.execute(text("TRUNCATE event_participant"))
    after = rollup_rows(session)
    assert after[0] == before[0]  # the events' own rows stay
    assert len(after[1]) < len(before[1])  # an entity keeps only the events it is the place of
    assert_rollups_recount(session)
    session.execute(text("TRUNCATE event CASCADE"))
    assert rollup_rows(session) == [[], []]


def test_a_merge_locks_the_events_of_both_entities_before_moving_their_participants(
    session: Session, world: World, engine: Engine
) -> None:
    """The rollup triggers read an event's row while they move its participants: a concurrent writer
    of one of those events must wait for the merge rather than race it."""
    taliban = session.scalar(select(Entity).where(Entity.name == "Taliban"))
    assert taliban is not None
    other = add_entity(session, "Talib Front", "group")
    session.flush()
    event_id = session.scalar(
        select(EventParticipant.event_id).where(EventParticipant.entity_id == taliban.entity_id).limit(1)
    )
    merge_entities(
        session, other.entity_id, taliban.entity_id, actor="test", expected_revision=other.revision
    )
    with engine.connect() as elsewhere:
        elsewhere.execute(text("SET lock_timeout = '200ms'"))
        with pytest.raises(OperationalError):
            elsewhere.execute(text("SELECT 1 FROM event WHERE event_id = :id FOR UPDATE"), {"id": event_id})
