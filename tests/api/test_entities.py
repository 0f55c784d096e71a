import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.entities import co_occurring_entities, entity_articles, entity_stats
from db.events import entity_condition
from db.models import Entity, Event, EventParticipant, Mention
from db.search_index import FEW_ARTICLES, SearchIndex, appearances, newest_mentioning, rebuild
from tests.api.test_events import build_world
from tests.factories import add_article, add_entity, add_event


def names(body: dict) -> list[str]:  # type: ignore[type-arg]
    return [item["name"] for item in body["items"]]


def test_lookup_finds_stoltenberg_however_it_is_typed(client: TestClient) -> None:
    for query in ("stoltenberg", "STOLTENBERG", "Stöltenberg", "stolt", "Stoltenburg", "jens stol"):
        body = client.get("/v1/entities", params={"q": query}).json()
        assert body["items"], query
        assert body["items"][0]["name"] == "Jens Stoltenberg", query
        assert body["items"][0]["type"] == "person"


def test_lookup_tolerates_a_typo_in_a_place(client: TestClient) -> None:
    top = client.get("/v1/entities", params={"q": "Panjwaii"}).json()["items"][0]
    assert top["name"] == "Panjwai"
    assert top["match"] == "fuzzy"
    assert top["type"] == "location"


def test_lookup_filters_by_type_and_country(client: TestClient) -> None:
    body = client.get("/v1/entities", params={"q": "kandahar", "type": "location", "country": "af"}).json()
    assert names(body)[0] == "Kandahar"
    assert {item["type"] for item in body["items"]} == {"location"}
    assert {item["place"]["country_code"] for item in body["items"]} == {"AF"}
    assert client.get("/v1/entities", params={"q": "kandahar", "type": "person"}).json()["items"] == []


def test_lookup_ranks_by_mentions_and_pages(client: TestClient, session: Session) -> None:
    for n in range(3):
        add_entity(session, f"Zyxwv Unit {n}", mention_count=n)
    first = client.get("/v1/entities", params={"q": "zyxwv", "limit": 2}).json()
    assert names(first) == ["Zyxwv Unit 2", "Zyxwv Unit 1"]
    second = client.get(
        "/v1/entities", params={"q": "zyxwv", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert names(second) == ["Zyxwv Unit 0"]
    assert second["next_cursor"] is None
    other_query = client.get("/v1/entities", params={"q": "zyx", "cursor": first["next_cursor"]})
    assert other_query.status_code == 422
    assert other_query.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_listing_without_q_is_by_mention_count(client: TestClient) -> None:
    body = client.get("/v1/entities", params={"limit": 3}).json()
    counts = [item["mention_count"] for item in body["items"]]
    assert counts == sorted(counts, reverse=True)
    assert body["next_cursor"]
    more = client.get("/v1/entities", params={"limit": 3, "cursor": body["next_cursor"]}).json()
    assert not set(names(body)) & set(names(more))


def test_entity_page_has_aliases_counts_and_co_occurring_entities(client: TestClient) -> None:
    taliban = client.get("/v1/entities", params={"q": "Taliban", "type": "organization"}).json()["items"][0]
    body = client.get(f"/v1/entities/{taliban['entity_id']}").json()
    assert body["name"] == "Taliban"
    assert body["counts"]["articles"] == 3
    assert body["counts"]["events"] >= 6
    assert body["counts"]["mentions"] >= 20
    assert body["first_seen"].startswith("2016-03-15")
    assert body["last_seen"].startswith("2021-07-27")
    co = [item["entity"]["name"] for item in body["co_occurring"]]
    assert "Afghanistan" in co
    assert body["co_occurring"][0]["articles"] == 3


def test_appears_with_is_the_entity_facet_of_its_articles(
    client: TestClient, session: Session, search_index: SearchIndex
) -> None:
    """Counted in articles (not mentions), the entity itself left out: from the search index, and the
    same from the SQL fallback, on the seed corpus plus four invented articles."""
    zorgan, velmar = add_entity(session, "Zorgan Front", "group"), add_entity(session, "Velmar Guard")
    tolbrook = add_entity(session, "Tolbrook", "location", mention_count=5)
    texts = {
        "Zorgan Front and Velmar Guard met in Tolbrook; Zorgan Front left.": (
            zorgan,
            velmar,
            tolbrook,
            zorgan,
        ),
        "Zorgan Front and Velmar Guard met again.": (zorgan, velmar),
        "Zorgan Front alone.": (zorgan,),
        "Velmar Guard in Tolbrook.": (velmar, tolbrook),
    }
    for text, mentioned in texts.items():
        article = add_article(session, text=text)
        for n, entity in enumerate(mentioned):
            at = {"start_char": n, "end_char": n + 1, "text": entity.name}
            session.add(Mention(entity_id=entity.entity_id, article_id=article.article_id, **at))
    session.flush()
    body = client.get(f"/v1/entities/{zorgan.entity_id}").json()  # the test's index: what the session sees
    assert [(item["entity"]["name"], item["articles"]) for item in body["co_occurring"]] == [
        ("Velmar Guard", 2),
        ("Tolbrook", 1),
    ]
    taliban = session.scalars(select(Entity).where(Entity.name == "Taliban")).one()
    for entity_id in (zorgan.entity_id, velmar.entity_id, taliban.entity_id):
        from_index = appearances(session, search_index, entity_id, 10)
        assert from_index is not None
        by_sql = co_occurring_entities(session, entity_id)  # no index: every mention counted
        assert [(entity.entity_id, n) for entity, n in from_index.co_occurring] == [
            (item.entity.entity_id, item.articles) for item in by_sql
        ]
        assert by_sql, entity_id
    page = client.get(f"/v1/entities/{taliban.entity_id}").json()
    assert [item["articles"] for item in page["co_occurring"]] == [item.articles for item in by_sql]


def test_appears_with_ranks_ties_by_mentions_even_in_a_roundup_of_many_names(
    session: Session, search_index: SearchIndex
) -> None:
    """Two roundups naming 80 entities each: all tie at two articles, and the ten shown are the ten
    most mentioned, as the SQL fallback ranks them, not whichever the index's aggregation kept. Forty
    more named in only one of them rank below the tie and are not needed to break it."""
    hub = add_entity(session, "Roundup Hub", "group")
    named = [add_entity(session, f"Roundup Name {n}", mention_count=(n * 37) % 80) for n in range(80)]
    once = [add_entity(session, f"Roundup Once {n}", mention_count=200 + n) for n in range(40)]
    for roundup in range(2):
        article = add_article(session, text=f"Roundup {roundup} of many names.")
        for n, entity in enumerate([hub, *named, *once[roundup * 20 : roundup * 20 + 20]]):
            at = {"start_char": n, "end_char": n + 1, "text": entity.name}
            session.add(Mention(entity_id=entity.entity_id, article_id=article.article_id, **at))
    session.flush()
    rebuild(session, search_index)
    from_index = appearances(session, search_index, hub.entity_id, 10)
    assert from_index is not None
    by_sql = co_occurring_entities(session, hub.entity_id)
    assert [(entity.entity_id, n) for entity, n in from_index.co_occurring] == [
        (item.entity.entity_id, item.articles) for item in by_sql
    ]


class RecordingSearcher:
    """A searcher that records the entity aggregations asked of it."""

    def __init__(self, searcher: Any, asked: list[dict[str, Any]]) -> None:
        self.searcher, self.asked = searcher, asked

    def aggregate(self, query: Any, aggregations: dict[str, Any]) -> Any:
        if "entities" in aggregations:
            self.asked.append(aggregations["entities"]["terms"])
        return self.searcher.aggregate(query, aggregations)


def test_appears_with_leaves_out_the_rarely_named_only_when_enough_are_named_often(
    session: Session, search_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The companions named in fewer than FEW_ARTICLES of a hub's articles are left out of its count
    when the hub and at least ten companions are named more often; when not, it counts them all again.
    Either way the page is the SQL fallback's, which counts every mention."""
    busy = add_entity(session, "Busy Hub", "group")
    companions = [add_entity(session, f"Busy Companion {n}", mention_count=n) for n in range(60)]
    passers = [add_entity(session, f"Busy Passer {n}", mention_count=500 + n) for n in range(30)]
    quiet = add_entity(session, "Quiet Hub", "group")
    for day in range(10):  # companion n in 6 + n % 5 of the ten articles; each passer in one
        article = add_article(session, text=f"Busy day {day}.")
        named = [busy, *[c for n, c in enumerate(companions) if day < 6 + n % 5], passers[day]]
        if day < 3:
            named += [quiet, passers[10 + day]]
        for n, entity in enumerate(named):
            at = {"start_char": n, "end_char": n + 1, "text": entity.name}
            session.add(Mention(entity_id=entity.entity_id, article_id=article.article_id, **at))
    middling = add_entity(session, "Middling Hub", "group")  # twenty frequent companions: fewer than 55
    regulars = [add_entity(session, f"Middling Regular {n}", mention_count=n % 7) for n in range(20)]
    for day in range(6):
        article = add_article(session, text=f"Middling day {day}.")
        for n, entity in enumerate([middling, *regulars[: 14 + day], passers[20 + day]]):
            at = {"start_char": n, "end_char": n + 1, "text": entity.name}
            session.add(Mention(entity_id=entity.entity_id, article_id=article.article_id, **at))
    session.flush()
    rebuild(session, search_index)
    searcher = search_index.searcher
    asked: list[dict[str, Any]] = []
    monkeypatch.setattr(search_index, "searcher", lambda: RecordingSearcher(searcher(), asked))
    for hub, rarely_named_left_out in ((busy, True), (middling, True), (quiet, False)):
        asked.clear()
        from_index = appearances(session, search_index, hub.entity_id, 10)
        assert from_index is not None
        by_sql = co_occurring_entities(session, hub.entity_id)
        assert [(entity.entity_id, n) for entity, n in from_index.co_occurring] == [
            (item.entity.entity_id, item.articles) for item in by_sql
        ]
        assert asked[0]["min_doc_count"] == FEW_ARTICLES
        counted_again = any(terms["min_doc_count"] == 1 for terms in asked[1:])
        assert counted_again is not rarely_named_left_out, hub.name
    assert [item.articles for item in by_sql][:3] == [3, 3, 3]  # the quiet hub's: passers count too


def test_entity_counts_from_the_indexes_equal_the_counts_from_the_rows(
    session: Session, search_index: SearchIndex
) -> None:
    """First and last seen from the search index, events from the rollups: the same as joining every
    mention to its article and counting every event, for people, groups, places, a province and a
    country, on the seed corpus with an undated event and a rejected one added."""
    world = build_world(session)  # invented entities in the country QZ, one undated and one rejected event
    qzland_event = add_event(
        session, add_article(session, text="Somewhere in Qzland."), location=world.qzland
    )
    session.add(
        EventParticipant(event_id=qzland_event.event_id, entity_id=world.zorgan.entity_id, role="actor")
    )
    # the province: inside it at a district (a place with a later id than the province's), at the
    # country (an earlier id) and at no place, taking part elsewhere, taking part inside itself, at it
    # with no admin1 recorded, and a rejected event inside it
    norvale = add_article(session, text="Norvale's governor spoke; fighting went on in Eskar.")
    add_event(session, norvale, location=world.eskar)
    assert world.qzland.entity_id < world.norvale.entity_id < world.eskar.entity_id
    add_event(session, norvale, location=world.qzland, admin1="Norvale")
    add_event(session, norvale, country_code="QZ", admin1="Norvale")
    for place in (world.tolbrook, world.eskar):
        elsewhere = add_event(session, norvale, event_type="statement", location=place)
        session.add(
            EventParticipant(event_id=elsewhere.event_id, entity_id=world.norvale.entity_id, role="actor")
        )
    add_event(session, norvale, location=world.norvale, admin1=None)
    add_event(session, norvale, location=world.eskar, status="rejected")
    # a province no gazetteer placed (no country): it has no area, so an event elsewhere that records
    # the same admin1 with no country is not its event
    nowhere = add_entity(session, "Zabulia", "location", place_kind="province", admin1="Zabulia")
    district = add_entity(session, "Shahjoyx", "location", place_kind="district", admin1="Zabulia")
    add_event(
        session,
        add_article(session, text="Fighting in Shahjoyx district, Zabulia province."),
        location=district,
    )
    # an undated article counts among the articles but sets neither first nor last seen; one from
    # before 1970 (a negative publication key) is dated
    for published_at, entity in (
        (None, world.zorgan),
        (dt.datetime(1969, 7, 20, tzinfo=dt.UTC), world.velmar),
    ):
        article = add_article(session, text=f"Archive note on {entity.name}.", published_at=published_at)
        at = {"start_char": 0, "end_char": 1, "text": entity.name}
        session.add(Mention(entity_id=entity.entity_id, article_id=article.article_id, **at))
        entity.mention_count += 1  # as the writers keep it
    session.flush()
    rebuild(session, search_index)
    seed = session.scalars(select(Entity).where(Entity.mention_count > 0).order_by(Entity.entity_id)).all()
    checked = [
        *seed,
        world.zorgan,
        world.velmar,
        world.qzland,
        world.norvale,
        world.eskar,
        world.tolbrook,
        nowhere,
    ]
    assert {"province", "country", None} <= {entity.place_kind for entity in checked}
    for entity in checked:
        fast = entity_stats(session, entity.entity_id, search_index)
        events = session.scalar(
            select(func.count()).where(entity_condition([entity]), Event.status != "rejected")
        )
        assert fast == replace(entity_stats(session, entity.entity_id), events=events), entity.name
    assert entity_stats(session, world.zorgan.entity_id).events == 5  # the rejected statement left out
    assert entity_stats(session, world.velmar.entity_id, search_index).first_seen == dt.datetime(
        1969, 7, 20, tzinfo=dt.UTC
    )


def test_entity_articles_from_the_search_index_page_as_from_the_rows(
    session: Session, search_index: SearchIndex
) -> None:
    """Same pages, same cursors, same mention counts: ties in time broken by id, undated articles last."""
    paged = add_entity(session, "Pagerland", "location")
    moments = [dt.datetime(2020, 1, day % 4 + 1, tzinfo=dt.UTC) for day in range(6)] + [None, None]
    for n, published_at in enumerate(moments):
        article = add_article(session, text=f"Pagerland, story {n}.", published_at=published_at)
        for start in range(n % 3 + 1):
            at = {"start_char": start, "end_char": start + 9, "text": "Pagerland"}
            session.add(Mention(entity_id=paged.entity_id, article_id=article.article_id, **at))
    session.flush()
    rebuild(session, search_index)
    assert len(newest_mentioning(search_index, paged.entity_id, 3, None) or []) == 4  # the index answers
    seed = session.scalars(select(Entity.entity_id).where(Entity.mention_count > 0)).all()
    for entity_id in [paged.entity_id, *seed]:
        for limit in (1, 3, 20):
            pages: dict[bool, list[Any]] = {}
            for indexed in (True, False):
                after, walked = None, []
                while True:
                    page = entity_articles(
                        session, entity_id, limit=limit, after=after, index=search_index if indexed else None
                    )
                    walked.append((page.items, page.next_after))
                    if page.next_after is None:
                        break
                    after = page.next_after
                pages[indexed] = walked
            assert pages[True] == pages[False], (entity_id, limit)


def test_entity_articles_the_index_still_lists_are_left_out_without_ending_the_walk(
    session: Session, search_index: SearchIndex
) -> None:
    """Until the index catches up, an article that no longer mentions the entity is left out of its
    page, and the walk goes on past a page of nothing but such articles."""
    stale = add_entity(session, "Staleford", "location")
    articles = []
    for day in range(1, 6):
        article = add_article(
            session, text=f"Staleford, day {day}.", published_at=dt.datetime(2020, 1, day, tzinfo=dt.UTC)
        )
        session.add(
            Mention(
                entity_id=stale.entity_id,
                article_id=article.article_id,
                start_char=0,
                end_char=9,
                text="Staleford",
            )
        )
        articles.append(article.article_id)
    session.flush()
    rebuild(session, search_index)
    session.execute(delete(Mention).where(Mention.article_id.in_(articles[3:])))  # the two newest
    for limit in (1, 2, 3):
        after, walked = None, []
        while True:
            page = entity_articles(session, stale.entity_id, limit=limit, after=after, index=search_index)
            walked += [item.article_id for item in page.items]
            if page.next_after is None:
                break
            after = page.next_after
        assert walked == articles[2::-1], limit


def test_place_entity_carries_place_data(client: TestClient) -> None:
    helmand = client.get("/v1/entities", params={"q": "Helmand", "type": "location"}).json()["items"][0]
    body = client.get(f"/v1/entities/{helmand['entity_id']}").json()
    assert body["place"]["kind"] == "province"
    assert body["place"]["country_code"] == "AF"
    kabul = client.get("/v1/entities", params={"q": "Kabul", "type": "location"}).json()["items"][0]
    assert kabul["place"]["kind"] == "city"
    assert round(kabul["place"]["latitude"]) == 35
    assert round(kabul["place"]["longitude"]) == 69


def test_entity_articles_and_events(client: TestClient) -> None:
    stoltenberg = client.get("/v1/entities", params={"q": "stoltenberg"}).json()["items"][0]
    articles = client.get(f"/v1/entities/{stoltenberg['entity_id']}/articles", params={"limit": 1}).json()
    assert [a["published_at"][:10] for a in articles["items"]] == ["2021-07-27"]
    rest = client.get(
        f"/v1/entities/{stoltenberg['entity_id']}/articles",
        params={"limit": 1, "cursor": articles["next_cursor"]},
    ).json()
    assert [a["published_at"][:10] for a in rest["items"]] == ["2016-03-15"]
    assert rest["next_cursor"] is None
    events = client.get(f"/v1/entities/{stoltenberg['entity_id']}/events").json()["items"]
    assert "diplomatic_meeting" in {event["type"] for event in events}


def test_entity_errors(client: TestClient, session: Session) -> None:
    assert client.get("/v1/entities/999999999").status_code == 404
    assert client.get("/v1/entities/999999999/articles").status_code == 404
    assert client.get("/v1/entities/999999999/events").status_code == 404
    for params, name in (
        ({"type": "alien"}, "type"),
        ({"country": "AFG"}, "country"),
        ({"limit": 101}, "limit"),
    ):
        response = client.get("/v1/entities", params=params)
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", name]
    orphan = add_entity(session, "Nobody Mentioned")
    assert client.get(f"/v1/entities/{orphan.entity_id}/articles").json() == {
        "items": [],
        "next_cursor": None,
    }


def test_search_filters_by_entity_location_country_and_event_type(
    client: TestClient, session: Session
) -> None:
    stoltenberg = client.get("/v1/entities", params={"q": "stoltenberg"}).json()["items"][0]["entity_id"]
    by_entity = client.get("/v1/search", params={"entity": stoltenberg, "sort": "oldest"}).json()
    assert [item["external_id"] for item in by_entity["items"]] == [
        "000_f9988bc4e950b919",
        "001_ee120b2da65b2266",
    ]
    by_name = client.get("/v1/search", params={"entity": "Jens Stoltenberg", "sort": "oldest"}).json()
    assert by_name["items"] == by_entity["items"]
    panjwai = client.get("/v1/search", params={"location": "Panjwai"}).json()
    assert [item["external_id"] for item in panjwai["items"]] == ["002_8c376fa589bd7352"]
    pakistan = client.get("/v1/search", params={"country": "PK"}).json()
    assert [item["external_id"] for item in pakistan["items"]] == ["001_ee120b2da65b2266"]
    drills = client.get("/v1/search", params={"event_type": "military_exercise"}).json()
    assert [item["external_id"] for item in drills["items"]] == ["001_ee120b2da65b2266"]
    captures = client.get("/v1/search", params={"event_type": "territory_captured", "sort": "oldest"}).json()
    acled_named = client.get(
        "/v1/search", params={"event_type": "non-state actor overtakes territory", "sort": "oldest"}
    )
    assert acled_named.status_code == 200
    assert acled_named.json()["items"] == captures["items"] != []
    unknown = client.get("/v1/search", params={"event_type": "Picnic"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"][:2] == ["query", "event_type"]
    add_article(session, text="Nothing about anyone.")
    assert client.get("/v1/search", params={"entity": "No Such Entity"}).json()["items"] == []


def test_search_facets_cover_the_whole_result_set(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "Taliban", "limit": 1, "facets": "true"}).json()
    assert len(body["items"]) == 1
    facets = body["facets"]
    assert {(f["key"], f["count"]) for f in facets["sources"]} == {
        ("The Washington Post", 1),
        ("TRT World (AFP)", 1),
        ("TRT World", 1),
    }
    taliban = [f for f in facets["entities"] if f["entity"]["name"] == "Taliban"]
    assert taliban[0]["count"] == 3
    assert "territory_captured" in {f["key"] for f in facets["event_types"]}
    dates = facets["dates"]
    assert dates[0] == {"key": "2016-03-01", "count": 1, "entity": None}
    assert dates[-1] == {"key": "2021-07-01", "count": 2, "entity": None}
    assert len(dates) == 65  # every month from March 2016 to July 2021, empty ones included
    assert facets["exact"] is True
    yearly = client.get("/v1/search", params={"q": "Taliban", "facets": "true", "histogram": "year"}).json()
    assert [(d["key"], d["count"]) for d in yearly["facets"]["dates"]] == [
        ("2016-01-01", 1),
        ("2017-01-01", 0),
        ("2018-01-01", 0),
        ("2019-01-01", 0),
        ("2020-01-01", 0),
        ("2021-01-01", 2),
    ]
    assert client.get("/v1/search", params={"q": "Taliban"}).json()["facets"] is None


def test_an_entity_s_event_count_its_events_and_its_timeline_agree(client: TestClient) -> None:
    for name, entity_type in (
        ("Afghanistan", "location"),
        ("Taliban", "organization"),
        ("NATO", "organization"),
    ):
        entity = client.get("/v1/entities", params={"q": name, "type": entity_type}).json()["items"][0]
        count = client.get(f"/v1/entities/{entity['entity_id']}").json()["counts"]["events"]
        listed = client.get(f"/v1/entities/{entity['entity_id']}/events", params={"limit": 100}).json()[
            "items"
        ]
        timeline = client.get(
            "/v1/timeline", params={"entity": entity["entity_id"], "interval": "year"}
        ).json()
        assert count == len(listed) == sum(b["value"] for b in timeline["series"][0]["buckets"]), name
        assert count > 0, name


def test_entities_changed_since_a_time_least_recently_changed_first(
    client: TestClient, session: Session
) -> None:
    now = session.scalar(select(func.now()))
    assert now is not None
    first, second = add_entity(session, "Harbour Board", "organization"), add_entity(session, "Ferry Union")
    params = {"updated_since": now.isoformat(), "sort": "updated", "limit": 1}
    page = client.get("/v1/entities", params=params).json()
    rest = client.get("/v1/entities", params={**params, "cursor": page["next_cursor"]}).json()
    assert [item["entity_id"] for item in page["items"] + rest["items"]] == [
        first.entity_id,
        second.entity_id,
    ]
    assert rest["next_cursor"] is None
    assert (
        client.get("/v1/entities", params={"q": "ferry", "updated_since": now.isoformat()}).status_code == 422
    )
    lookup = client.get("/openapi.json").json()["paths"]["/v1/entities"]["get"]
    [updated_since] = [p for p in lookup["parameters"] if p["name"] == "updated_since"]
    assert "not with `q`" in updated_since["description"]
