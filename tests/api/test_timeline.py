import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from db.models import Article, Mention
from tests.api.test_events import World, assert_problem, build_world
from tests.factories import add_article, add_event


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def buckets(response: Any, series: int = 0) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.text
    return [(b["start"], b["value"]) for b in response.json()["series"][series]["buckets"]]


def test_month_buckets_run_from_the_first_to_the_last_event_by_default(
    client: TestClient, world: World
) -> None:
    response = client.get("/v1/timeline", params={"entity": "Zorgan Front"})
    body = response.json()
    assert (body["interval"], body["metric"]) == ("month", "events")
    [series] = body["series"]
    assert series["entity"] == {"entity_id": world.zorgan.entity_id, "name": "Zorgan Front", "type": "group"}
    # The raid (Feb 27 - Mar 2) counts in February; the clash and the March capture in March; the
    # rejected statement and the undated event nowhere.
    assert buckets(response) == [("2020-02-01", 1), ("2020-03-01", 2)]
    assert [b["events"] for b in series["buckets"]] == [None, None]


def test_empty_buckets_are_filled_between_from_and_to(client: TestClient, world: World) -> None:
    params = {"entity": "Zorgan Front", "from": "2020-01-01", "to": "2020-06-30"}
    assert buckets(client.get("/v1/timeline", params=params)) == [
        ("2020-01-01", 0),
        ("2020-02-01", 1),
        ("2020-03-01", 2),
        ("2020-04-01", 0),
        ("2020-05-01", 0),
        ("2020-06-01", 0),
    ]


def test_an_event_begun_before_from_counts_in_the_first_bucket(client: TestClient, world: World) -> None:
    params = {"entity": "Zorgan Front", "from": "2020-03-01", "to": "2020-04-30"}
    assert buckets(client.get("/v1/timeline", params=params)) == [("2020-03-01", 3), ("2020-04-01", 0)]
    listed = client.get(
        "/v1/events", params={"participant": "Zorgan Front", "from": "2020-03-01", "to": "2020-04-30"}
    )
    assert len(listed.json()["items"]) == 3


def test_week_buckets_start_on_monday(client: TestClient, world: World) -> None:
    response = client.get("/v1/timeline", params={"entity": "Velmar Guard", "interval": "week"})
    weeks = buckets(response)
    # raid Thu 2020-02-27 -> week of Mon 02-24; clash Tue 03-10 -> 03-09; protest Sat 05-02 -> 04-27.
    assert weeks[0] == ("2020-02-24", 1) and weeks[-1] == ("2020-04-27", 1)
    assert len(weeks) == 10
    assert [start for start, value in weeks if value] == ["2020-02-24", "2020-03-09", "2020-04-27"]
    assert all(dt.date.fromisoformat(start).weekday() == 0 for start, _ in weeks)


def test_day_and_year_buckets(client: TestClient, session: Session, world: World) -> None:
    later = add_article(session, text="Zorgan Front fighters returned to Eskar in 2022.")
    add_event(session, later, date_start=dt.date(2022, 6, 1), actors=(world.zorgan,), fatalities=5)
    years = client.get("/v1/timeline", params={"entity": "Zorgan Front", "interval": "year"})
    assert buckets(years) == [("2020-01-01", 3), ("2021-01-01", 0), ("2022-01-01", 1)]
    params = {"entity": "Zorgan Front", "interval": "day", "from": "2020-03-09", "to": "2020-03-11"}
    assert buckets(client.get("/v1/timeline", params=params)) == [
        ("2020-03-09", 1),  # the capture, dated to March: it began before `from`
        ("2020-03-10", 1),
        ("2020-03-11", 0),
    ]


def test_one_series_per_entity_over_the_same_buckets(client: TestClient, world: World) -> None:
    response = client.get(
        "/v1/timeline", params={"entity": ["Zorgan Front", str(world.velmar.entity_id)], "to": "2020-05-31"}
    )
    zorgan, velmar = response.json()["series"]
    assert zorgan["entity"]["name"] == "Zorgan Front"
    assert velmar["entity"] == {
        "entity_id": world.velmar.entity_id,
        "name": "Velmár Guard",
        "type": "organization",
    }
    assert buckets(response, 0) == [
        ("2020-02-01", 1),
        ("2020-03-01", 2),
        ("2020-04-01", 0),
        ("2020-05-01", 0),
    ]
    assert buckets(response, 1) == [
        ("2020-02-01", 1),
        ("2020-03-01", 1),
        ("2020-04-01", 0),
        ("2020-05-01", 1),
    ]


def test_a_place_series_counts_the_events_at_or_inside_it(client: TestClient, world: World) -> None:
    response = client.get("/v1/timeline", params={"entity": ["Norvale", "Qzland"]})
    assert buckets(response, 0) == [
        ("2020-02-01", 1),
        ("2020-03-01", 2),
        ("2020-04-01", 0),
        ("2020-05-01", 0),
    ]
    assert buckets(response, 1) == [
        ("2020-02-01", 1),
        ("2020-03-01", 2),
        ("2020-04-01", 0),
        ("2020-05-01", 1),
    ]


def test_without_entities_one_series_of_the_filtered_events(client: TestClient, world: World) -> None:
    response = client.get("/v1/timeline", params={"country": "QZ", "type": ["armed_clash", "protest"]})
    [series] = response.json()["series"]
    assert series["entity"] is None
    assert buckets(response) == [("2020-03-01", 1), ("2020-04-01", 0), ("2020-05-01", 1)]
    rejected = client.get("/v1/timeline", params={"actor": "Zorgan Front", "status": "rejected"})
    assert buckets(rejected) == [("2020-03-01", 1)]


def test_fatalities_and_articles_metrics(client: TestClient, session: Session, world: World) -> None:
    params = {"entity": "Zorgan Front", "from": "2020-02-01", "to": "2020-03-31"}
    fatalities = client.get("/v1/timeline", params={**params, "metric": "fatalities"})
    assert fatalities.json()["metric"] == "fatalities"
    assert buckets(fatalities) == [("2020-02-01", 3), ("2020-03-01", 12)]
    second = add_article(session, text="Zorgan Front fighters clashed with the Velmar Guard, a witness said.")
    add_event(session, second, date_start=dt.date(2020, 3, 20), actors=(world.zorgan,), fatalities=None)
    events = client.get("/v1/timeline", params={**params, "metric": "events"})
    assert buckets(events) == [("2020-02-01", 1), ("2020-03-01", 3)]


def test_normalize_divides_by_the_articles_of_the_whole_last_bucket_and_no_later(
    client: TestClient, session: Session, world: World
) -> None:
    """The totals are counted over the buckets shown: up to the last instant of the last one (UTC)."""
    params = {"entity": "Zorgan Front", "metric": "articles", "interval": "year"}
    [(year, mentioning)] = buckets(client.get("/v1/timeline", params=params))
    assert year == "2020" + "-01-01" and mentioning > 0
    add_article(
        session, published_at=dt.datetime(2020, 12, 31, 23, 30, tzinfo=dt.UTC), text="Late wire on 2020."
    )
    add_article(
        session, published_at=dt.datetime(2021, 1, 1, 0, 30, tzinfo=dt.UTC), text="Early wire on 2021."
    )
    session.flush()
    in_2020 = session.scalar(
        select(func.count()).where(
            Article.published_at >= dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
            Article.published_at < dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        )
    )
    normalized = client.get("/v1/timeline", params={**params, "normalize": "true"})
    assert buckets(normalized) == [("2020-01-01", round(mentioning / in_2020, 6))]


def test_articles_metric_counts_attention_by_publication_date(
    client: TestClient, session: Session, world: World
) -> None:
    """Articles that mention the entity count even when they report no event; normalize divides by
    every article published in the bucket."""
    profile = add_article(
        session,
        published_at=dt.datetime(2020, 3, 25, tzinfo=dt.UTC),
        text="A profile of the Zorgan Front, its leaders and its finances.",
    )
    session.add(Mention(entity_id=world.zorgan.entity_id, article_id=profile.article_id, start_char=15,
                        end_char=27, text="Zorgan Front"))  # fmt: skip
    add_article(
        session, published_at=dt.datetime(2020, 3, 30, tzinfo=dt.UTC), text="Grain prices rose in Qzland."
    )
    session.flush()
    params = {"entity": "Zorgan Front", "metric": "articles"}
    # March: the wire reporting the clash and the capture, and the profile; May: the article reporting
    # the raid (published then, though the raid was in February).
    assert buckets(client.get("/v1/timeline", params=params)) == [
        ("2020-03-01", 2), ("2020-04-01", 0), ("2020-05-01", 1)
    ]  # fmt: skip
    normalized = client.get("/v1/timeline", params={**params, "normalize": "true"})
    assert buckets(normalized) == [("2020-03-01", 0.666667), ("2020-04-01", 0.0), ("2020-05-01", 1.0)]
    curfew = client.get("/v1/timeline", params={"metric": "articles", "q": "curfew", "from": "2020-01-01"})
    assert [(start, value) for start, value in buckets(curfew) if value] == [("2020-03-01", 1)]
    protests = client.get(
        "/v1/timeline", params={"metric": "articles", "type": "protest", "interval": "year"}
    )
    assert buckets(protests) == [("2020-01-01", 1)]  # the article reporting the march


def test_top_lists_each_buckets_deadliest_events(client: TestClient, world: World) -> None:
    params = {"entity": "Zorgan Front", "from": "2020-01-01", "to": "2020-03-31", "top": 1}
    series = client.get("/v1/timeline", params=params).json()["series"][0]
    assert [[e["event_id"] for e in b["events"]] for b in series["buckets"]] == [
        [],
        [world.raid.event_id],
        [world.clash.event_id],
    ]
    clash = series["buckets"][2]["events"][0]
    assert clash["participants"][0]["entity"]["name"] == "Zorgan Front"
    assert clash["evidence"][0]["title"] == "Fighting in Norvale"
    two = client.get("/v1/timeline", params={**params, "top": 2}).json()["series"][0]["buckets"][2]
    assert [e["event_id"] for e in two["events"]] == [world.clash.event_id, world.capture.event_id]


def test_no_matching_events_give_series_without_buckets(client: TestClient, world: World) -> None:
    response = client.get("/v1/timeline", params={"entity": "Zorgan Front", "type": "protest"})
    assert response.json()["series"] == [
        {
            "entity": {"entity_id": world.zorgan.entity_id, "name": "Zorgan Front", "type": "group"},
            "buckets": [],
        }
    ]


def test_timeline_errors_name_the_parameter(client: TestClient, world: World) -> None:
    unknown = client.get("/v1/timeline", params={"entity": "Nobody Known"})
    assert_problem(unknown, "entity")
    assert unknown.json()["detail"] == "No entity matches 'Nobody Known'."
    for not_an_id in ("99999999999999999999", "²"):
        assert_problem(client.get("/v1/timeline", params={"entity": not_an_id}), "entity")
    assert_problem(client.get("/v1/timeline", params={"entity": ["Zorgan Front"] * 11}), "entity")
    too_many = {"interval": "day", "from": "2000-01-01", "to": "2020-01-01"}
    assert_problem(client.get("/v1/timeline", params=too_many), "interval")
    assert_problem(client.get("/v1/timeline", params={"interval": "hour"}), "interval")
    assert_problem(client.get("/v1/timeline", params={"metric": "mentions"}), "metric")
    assert_problem(client.get("/v1/timeline", params={"top": 11}), "top")
    assert_problem(client.get("/v1/timeline", params={"type": "coup"}), "type")
    assert_problem(client.get("/v1/timeline", params={"bbox": "1,2"}), "bbox")


def test_taliban_timeline_on_the_seed_corpus(client: TestClient) -> None:
    response = client.get("/v1/timeline", params={"entity": "Taliban", "interval": "month"})
    series = response.json()["series"][0]
    assert series["entity"]["name"] == "Taliban"
    counted = {start[:7] for start, value in buckets(response) if value}
    assert {"2015-12", "2016-01", "2016-02", "2016-03", "2021-07"} <= counted
    assert buckets(response)[0][0] == "2015-12-01"
    assert len(series["buckets"]) == 68  # December 2015 to July 2021, empty months included


def test_each_series_is_one_statement_with_its_span(
    client: TestClient, connection: Connection, world: World
) -> None:
    """The buckets and the span (first and last day) of a series come from one pass over its rows,
    from the rollups and from the events alike; the empty buckets between are filled in Python."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    rollup_path = {"entity": ["Zorgan Front", "Velmar Guard"], "interval": "week"}
    events_path = {**rollup_path, "min_fatalities": 0}  # not a rollup column: counted from the events
    event.listen(connection, "before_cursor_execute", count)
    try:
        for params in (rollup_path, events_path):
            statements.clear()
            response = client.get("/v1/timeline", params=params)
            assert response.status_code == 200, response.text
            series = [s for s in statements if "GROUP BY" in s]
            assert len(series) == 2, statements  # one per series, no separate bounds query
            assert all("OVER ()" in s for s in series)
            assert len(statements) == 4  # and the two names resolved
            weeks = [[b["start"] for b in one["buckets"]] for one in response.json()["series"]]
            assert weeks[0] == weeks[1]  # both span the first to the last day of either
            assert weeks[0] == sorted(weeks[0]) and len(weeks[0]) > 2
    finally:
        event.remove(connection, "before_cursor_execute", count)
