"""The tantivy search index: the query language, full ranking, cursors, facets, following the change log."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, update
from sqlalchemy.orm import Session, sessionmaker

from db.changes import record_merge
from db.entity_rows import ListedEntity
from db.migrations import upgrade_to_head
from db.models import Article, ChangeLog, Entity, Event, Mention
from db.search import SearchParams, SearchSort
from db.search_index import (
    SCHEMA_VERSION,
    Clause,
    SearchIndex,
    article_documents,
    follow,
    follow_in_background,
    parse_web_query,
    rebuild,
    reindex,
    replace_documents,
    search_articles,
    search_with_facets,
    top_entities,
)
from db.timeline import Interval
from tests.conftest import drop_database, recreate_database
from tests.factories import add_article, add_entity, add_event


def words(*terms: str) -> tuple[tuple[int, str], ...]:
    return tuple(enumerate(terms))


def test_web_queries_read_as_postgresql_reads_them() -> None:
    assert parse_web_query("Militants attacked the convoy") == [
        Clause((words("milit"),)),
        Clause((words("attack"),)),
        Clause((words("convoy"),)),
    ]
    assert parse_web_query('"Bank of England" raised rates') == [
        Clause((((0, "bank"), (2, "england")),)),  # the stop word keeps its place in the phrase
        Clause((words("rais"),)),
        Clause((words("rate"),)),
    ]
    assert parse_web_query("Kabul OR Kandahar airstrike -drill") == [
        Clause((words("kabul"), words("kandahar"))),
        Clause((words("airstrik"),)),
        Clause((words("drill"),), negated=True),
    ]
    assert parse_web_query("the of and") == []
    assert parse_web_query('OR "unclosed phrase') == [Clause((words("unclos", "phrase"),))]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    search_index = SearchIndex(tmp_path / "search-index")
    yield search_index
    search_index.release_writer()


def bulk_articles(session: Session, texts: list[str], published_at: dt.datetime, title: str) -> None:
    session.execute(
        insert(Article),
        [
            {
                "title": title,
                "text": text,
                "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                "published_at": published_at,
            }
            for text in texts
        ],
    )


def test_an_old_highly_relevant_article_outranks_a_thousand_newer_weak_matches(
    session: Session, index: SearchIndex
) -> None:
    old = add_article(
        session,
        title="Cholera outbreak spreads through the refugee camps",
        text="A cholera outbreak has spread through three refugee camps; cholera cases doubled in a week.",
        published_at=dt.datetime(2009, 3, 1, tzinfo=dt.UTC),
    )
    weak = [
        f"Officials discussed water supplies, roads and schools at meeting {n}; one mentioned cholera "
        "vaccines among a long list of other public health matters for the coming budget year."
        for n in range(1200)
    ]
    bulk_articles(session, weak, dt.datetime(2022, 5, 1, tzinfo=dt.UTC), "Council meeting")
    rebuild(session, index)
    page = search_articles(session, index, SearchParams(q="cholera", limit=5))
    assert page.hits[0].article_id == old.article_id
    assert page.total == 1201 and page.total_is_exact
    assert "<mark>cholera</mark>" in page.hits[0].snippet.lower()


def walk(session: Session, index: SearchIndex, params: SearchParams) -> list[int]:
    seen: list[int] = []
    while True:
        page = search_articles(session, index, params)
        seen.extend(hit.article_id for hit in page.hits)
        if page.next_after is None:
            return seen
        params.after = page.next_after


def test_cursors_walk_every_match_once_even_when_scores_and_dates_tie(
    session: Session, index: SearchIndex
) -> None:
    same_day = dt.datetime(2021, 8, 15, tzinfo=dt.UTC)
    bulk_articles(
        session,
        [f"Flooding closed the northern highway, number {n}." for n in range(150)],
        same_day,
        "Flooding",
    )
    rebuild(session, index)
    for sort in SearchSort:
        seen = walk(session, index, SearchParams(q="flooding highway", sort=sort, limit=7))
        assert len(seen) == 150 and len(set(seen)) == 150, sort
    newest = walk(session, index, SearchParams(q="flooding", sort=SearchSort.newest, limit=9))
    assert newest == sorted(newest, reverse=True)  # one publication time: article id breaks the tie


def test_filters_combine_with_every_query_shape_and_facets_count_the_whole_result_set(
    session: Session, index: SearchIndex
) -> None:
    port = add_entity(session, "Port Averin", "location", country_code="ZZ", place_kind="city")
    militia = add_entity(session, "Averin Militia", "group")
    articles = []
    for n in range(30):
        article = add_article(
            session,
            title=f"Shelling near the harbour, day {n}",
            text=f"Shelling hit the harbour district of Port Averin on day {n}, residents said.",
            published_at=dt.datetime(2019, 1 + n % 12, 3, tzinfo=dt.UTC),
            source="Harbour Wire" if n % 3 else "Coast Daily",
        )
        articles.append(article)
        session.add(
            Mention(
                entity_id=militia.entity_id,
                article_id=article.article_id,
                start_char=0,
                end_char=8,
                text="Shelling",
            )
        )
        if n % 2:
            add_event(session, article, event_type="remote_violence", location=port, confidence=0.4 + n / 100)
        if n % 5 == 0:  # the last type of the first type-set field and the last of the second
            add_event(session, article, event_type="border_crossing")
            add_event(session, article, event_type="violence_against_civilians")
        if n == 10:  # a second event of a type counts the article once
            add_event(session, article, event_type="violence_against_civilians", summary="again")
    session.flush()
    rebuild(session, index)

    def total(**filters: object) -> int:
        return search_articles(session, index, SearchParams(limit=1, **filters)).total  # type: ignore[arg-type]

    assert total(q="shelling harbour") == 30
    assert total(q='"harbour district" -"day 4"') == 29
    assert total(q="shelling", sources=["coast daily"]) == 10
    assert total(q="shelling OR nothingness", entities=[str(militia.entity_id)]) == 30
    assert total(q="shelling", countries=["zz"]) == 15  # only the events say where
    assert total(q="shelling", locations=["Port Averin"]) == 15
    assert total(q="shelling", event_types=["remote_violence"], min_confidence=0.6) == 5  # n = 21..29 odd
    assert total(q="shelling", date_from=dt.date(2019, 3, 1), date_to=dt.date(2019, 3, 31)) == 3
    assert total(q="shelling", event_types=["protest"]) == 0
    assert total(q="shelling", event_types=["remote_violence"]) == 15  # a term per type, no range
    assert (
        total(q="shelling", event_types=["remote_violence", "border_crossing"]) == 18
    )  # odd n, or n % 5 == 0
    assert total(q="shelling", event_types=["remote_violence"], min_confidence=0.0) == 15
    before, after = dt.date(2019, 3, 31), dt.date(2019, 4, 1)  # one end alone, either end
    assert total(q="shelling", date_to=before) + total(q="shelling", date_from=after) == 30
    assert total(q="shelling", date_from=after, date_to=before) == 0

    _, facets = search_with_facets(session, index, SearchParams(q="shelling harbour"), Interval.month)
    assert [(f.key, f.count) for f in facets.sources] == [("Harbour Wire", 20), ("Coast Daily", 10)]
    assert (facets.entities[0].key, facets.entities[0].count) == (str(militia.entity_id), 30)
    assert [(f.key, f.count) for f in facets.event_types] == [
        ("remote_violence", 15),
        ("border_crossing", 6),
        ("violence_against_civilians", 6),
    ]
    assert len(facets.dates) == 12 and sum(f.count for f in facets.dates) == 30
    assert facets.dates[0].key == "2019-01-01"

    # with the page, from one query: the aggregation runs on a thread of its own while the page ranks
    params = SearchParams(q="shelling harbour", sources=["Harbour Wire"], limit=3)
    page, counted = search_with_facets(session, index, params, Interval.month)
    assert page == search_articles(session, index, params) and page.total == 20 and len(page.hits) == 3
    assert search_with_facets(session, index, replace(params, limit=1), Interval.month)[1] == counted
    assert search_with_facets(session, index, params, Interval.month, overlap=False) == (page, counted)
    assert [(f.key, f.count) for f in counted.sources] == [("Harbour Wire", 20)]


@pytest.fixture
def scratch(base_url: str) -> Iterator[Engine]:
    """A database of its own: following the log needs committed changes."""
    name = f"annals_search_index_{os.getpid()}"
    url = recreate_database(base_url, name)
    upgrade_to_head(url)
    engine = create_engine(url)
    yield engine
    engine.dispose()
    drop_database(base_url, name)


def follow_until(sessions: sessionmaker[Session], index: SearchIndex, done: object) -> None:
    """Follow until `done()`: the log only yields a change once no older transaction runs on the
    server, and other clients of the same server may hold one for a moment."""
    deadline = time.monotonic() + 60
    while True:
        with sessions() as session:
            follow(session, index)
        if done() or time.monotonic() > deadline:  # type: ignore[operator]
            return
        time.sleep(0.2)


def found(sessions: sessionmaker[Session], index: SearchIndex, **params: object) -> list[int]:
    with sessions() as session:
        page = search_articles(session, index, SearchParams(**params))  # type: ignore[arg-type]
        return [hit.article_id for hit in page.hits]


def test_the_index_follows_commits_of_articles_events_and_merges(scratch: Engine, index: SearchIndex) -> None:
    sessions = sessionmaker(bind=scratch, expire_on_commit=False)
    assert reindex(sessions, index) == 0
    with sessions() as session:
        article = add_article(session, text="A landslide buried the mountain road near Ostrava on Tuesday.")
        place = add_entity(session, "Ostrava Pass", "location")
        duplicate = add_entity(session, "Ostrava Pas", "location")
        session.add(
            Mention(
                entity_id=duplicate.entity_id,
                article_id=article.article_id,
                start_char=0,
                end_char=5,
                text="A lan",
            )
        )
        event = add_event(session, article, event_type="attack", location=place)
        session.commit()
        article_id, duplicate_id, place_id, event_id = (
            article.article_id,
            duplicate.entity_id,
            place.entity_id,
            event.event_id,
        )
    assert found(sessions, index, q="landslide") == []  # committed, not yet followed
    follow_until(sessions, index, lambda: found(sessions, index, q="landslide") == [article_id])
    assert found(sessions, index, q="landslide", event_types=["attack"]) == [article_id]
    assert found(sessions, index, q="landslide", locations=[str(place_id)]) == [article_id]

    with sessions() as session:  # curation rejects the event: the article no longer reports one
        session.execute(update(Event).where(Event.event_id == event_id).values(status="rejected"))
        session.commit()
    follow_until(sessions, index, lambda: not found(sessions, index, q="landslide", event_types=["attack"]))
    assert found(sessions, index, q="landslide", event_types=["attack"]) == []

    with sessions() as session:  # an entity merged away: its mentions now name the survivor
        session.execute(update(Mention).where(Mention.entity_id == duplicate_id).values(entity_id=place_id))
        record_merge(session, duplicate_id, into=place_id)
        session.commit()
    follow_until(sessions, index, lambda: found(sessions, index, q="landslide", entities=[str(place_id)]))
    assert found(sessions, index, q="landslide", entities=[str(place_id)]) == [article_id]
    assert found(sessions, index, q="landslide", entities=[str(duplicate_id)]) == []


def test_a_place_moved_to_another_country_moves_the_articles_that_mention_it(
    scratch: Engine, index: SearchIndex
) -> None:
    """Documents hold the countries of the places they mention; a new country for a place logs its
    articles as changed (a trigger, in the writer's transaction), and only a new country does."""
    sessions = sessionmaker(bind=scratch, expire_on_commit=False)
    reindex(sessions, index)
    with sessions() as session:
        article = add_article(session, text="Floodwater cut the rail line outside Verrin overnight.")
        place = add_entity(session, "Verrin", "location", country_code="QQ", place_kind="city")
        session.add(
            Mention(
                entity_id=place.entity_id,
                article_id=article.article_id,
                start_char=37,
                end_char=43,
                text="Verrin",
            )
        )
        session.commit()
        article_id, place_id = article.article_id, place.entity_id
    follow_until(sessions, index, lambda: found(sessions, index, q="floodwater", countries=["qq"]))
    assert found(sessions, index, q="floodwater", countries=["qq"]) == [article_id]
    assert found(sessions, index, q="floodwater", countries=["qr"]) == []

    def logged_articles() -> int:
        with sessions() as session:
            return session.query(ChangeLog).filter(ChangeLog.record_kind == "article").count()

    before = logged_articles()
    with sessions() as session:  # a new mention's counter bump: the same country, nothing to re-index
        session.execute(
            update(Entity).where(Entity.entity_id == place_id).values(mention_count=Entity.mention_count + 1)
        )
        session.commit()
    assert logged_articles() == before
    with sessions() as session:  # a curator corrects the country
        session.execute(update(Entity).where(Entity.entity_id == place_id).values(country_code="QR"))
        session.commit()
    assert logged_articles() == before + 1
    follow_until(sessions, index, lambda: found(sessions, index, q="floodwater", countries=["qr"]))
    assert found(sessions, index, q="floodwater", countries=["qr"]) == [article_id]
    assert found(sessions, index, q="floodwater", countries=["qq"]) == []


def test_replaying_changes_after_a_crash_leaves_one_document_per_article(
    scratch: Engine, index: SearchIndex
) -> None:
    sessions = sessionmaker(bind=scratch, expire_on_commit=False)
    reindex(sessions, index)
    start = index.position()
    with sessions() as session:
        article_id = add_article(session, text="Smugglers crossed the river at dawn with fuel.").article_id
        session.commit()
    follow_until(sessions, index, lambda: found(sessions, index, q="smugglers") == [article_id])
    index.state_file.write_text(
        json.dumps({"version": SCHEMA_VERSION, "position": start})
    )  # as if it crashed
    with sessions() as session:  # before writing the position
        assert follow(session, index) >= 1
        page = search_articles(session, index, SearchParams(q="smugglers"))
    assert [hit.article_id for hit in page.hits] == [article_id] and page.total == 1


def test_a_background_follower_builds_the_index_then_shows_new_commits_to_another_reader(
    scratch: Engine, tmp_path: Path
) -> None:
    sessions = sessionmaker(bind=scratch, expire_on_commit=False)
    with sessions() as session:
        before = add_article(session, text="Hailstorms flattened the wheat harvest near Poltava.").article_id
        session.commit()
    writer_side = SearchIndex(tmp_path / "shared-index")
    stop = follow_in_background(sessions, writer_side, interval=0.1)
    reader_side = SearchIndex(tmp_path / "shared-index")  # another worker: it cannot take the writer lock
    try:
        deadline = time.monotonic() + 60
        while not writer_side.built() and time.monotonic() < deadline:
            time.sleep(0.1)
        reader_side.index.reload()  # what a reading worker's follower thread does every interval
        assert found(sessions, reader_side, q="hailstorms") == [before]  # built at start
        with sessions() as session:
            after = add_article(session, text="Hailstorms returned to Poltava a week later.").article_id
            session.commit()
        while time.monotonic() < deadline:
            reader_side.index.reload()
            if len(found(sessions, reader_side, q="hailstorms")) == 2:
                break
            time.sleep(0.1)
        assert sorted(found(sessions, reader_side, q="hailstorms")) == [before, after]
        assert not reader_side.acquire_writer()
    finally:
        stop()
        reader_side.release_writer()


def test_top_entities_ranks_by_count_then_mentions_and_skips_ids_merged_away(session: Session) -> None:
    """Only the entities that can make the cut are loaded; when some of them are gone (merged since the
    index counted them), the next ones move up."""
    quiet = add_entity(session, "Quiet Ally", mention_count=2)
    loud = add_entity(session, "Loud Ally", mention_count=40)
    third = add_entity(session, "Third Ally", mention_count=90)
    fourth = add_entity(session, "Fourth Ally", mention_count=1)
    gone_id = fourth.entity_id + 1000  # no such entity any more
    counts = {gone_id: 9, quiet.entity_id: 5, loud.entity_id: 5, third.entity_id: 3, fourth.entity_id: 3}

    def ranked(size: int, leave_out: int | None = None) -> list[tuple[str, int]]:
        return [(entity.name, n) for entity, n in top_entities(session, counts, size, leave_out)]

    assert ranked(2) == [("Loud Ally", 5), ("Quiet Ally", 5)]
    assert ranked(3) == [("Loud Ally", 5), ("Quiet Ally", 5), ("Third Ally", 3)]
    assert ranked(2, leave_out=loud.entity_id) == [("Quiet Ally", 5), ("Third Ally", 3)]
    assert ranked(10) == [("Loud Ally", 5), ("Quiet Ally", 5), ("Third Ally", 3), ("Fourth Ally", 3)]
    assert all(isinstance(entity, ListedEntity) for entity, _ in top_entities(session, counts, 1))


def test_a_rebuild_removes_the_index_of_an_earlier_schema(session: Session, index: SearchIndex) -> None:
    earlier = index.directory / "index"
    earlier.mkdir()
    (earlier / "meta.json").write_text("{}")
    add_article(session, text="Curfew declared in Kandahar city.")
    rebuild(session, index)
    assert not earlier.exists()
    assert (index.directory / f"index-v{SCHEMA_VERSION}").is_dir()
    assert index.built()
    assert found_now(session, index, "curfew")


def found_now(session: Session, index: SearchIndex, q: str) -> list[int]:
    return [hit.article_id for hit in search_articles(session, index, SearchParams(q=q)).hits]


def test_facets_say_whether_a_segment_may_have_left_an_entity_out_of_its_count(
    session: Session, index: SearchIndex
) -> None:
    """Each segment of the index passes on its 500 most frequent entities: past that, a count may fall
    short, and the facets say so."""
    ids = session.scalars(
        insert(Entity).returning(Entity.entity_id),
        [{"name": f"Brigade {n}", "name_key": f"brigade {n}", "entity_type": "group"} for n in range(1200)],
    ).all()

    def mentioning(text: str, entity_ids: list[int]) -> int:
        article = add_article(session, text=text)
        session.execute(
            insert(Mention),
            [
                {"entity_id": entity_id, "article_id": article.article_id, "start_char": 0, "end_char": 5}
                | {"text": text[:5]}
                for entity_id in entity_ids
            ],
        )
        return article.article_id

    mentioning("Convoy ambushed near the pass.", [*ids[:600]])
    mentioning("Grain prices rose.", [*ids[:30]])
    session.flush()
    rebuild(session, index)  # one segment
    again = mentioning("Convoy ambushed again near the pass.", [ids[0], *ids[600:]])
    session.flush()
    replace_documents(index, article_documents(session, [again]), [again])
    index.commit(index.position())  # a second segment

    _, few = search_with_facets(session, index, SearchParams(q="grain"), Interval.year)
    assert few.exact and [f.count for f in few.entities] == [1] * 10
    _, many = search_with_facets(session, index, SearchParams(q="convoy"), Interval.year)
    assert not many.exact  # 600 entities in each segment's matches, 500 passed on
