"""The events of the seed corpus an analyst would check first, as stored in the database."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from cli.main import main
from db.models import Article, Entity, Event, EventEvidence, EventParticipant
from tests.conftest import SEED_GOLD


def stored_events(session: Session, external_id: str, event_type: str, place: str) -> list[dict]:  # type: ignore[type-arg]
    """One dict per event: 'quote' is its main evidence (written first), 'quotes' every sentence of the
    article that tells it, in text order."""
    location = aliased(Entity)
    rows = session.execute(
        select(Event, location, EventEvidence.quote)
        .join(EventEvidence, EventEvidence.event_id == Event.event_id)
        .join(Article, Article.article_id == EventEvidence.article_id)
        .join(location, location.entity_id == Event.location_entity_id)
        .where(Article.external_id == external_id, Event.event_type == event_type, location.name == place)
        .order_by(Event.event_id, EventEvidence.event_evidence_id)
    ).all()
    quotes: dict[int, list[str]] = {}
    for event, _loc, quote in rows:
        quotes.setdefault(event.event_id, []).append(quote)
    events = []
    for event, loc in {event.event_id: (event, loc) for event, loc, _quote in rows}.values():
        participants = session.execute(
            select(EventParticipant.role, Entity.name)
            .join(Entity, Entity.entity_id == EventParticipant.entity_id)
            .where(EventParticipant.event_id == event.event_id)
        ).all()
        events.append(
            {
                "date": (event.date_start, event.date_end, event.date_precision),
                "place": (loc.name, event.admin1, event.country_code),
                "actors": sorted(name for role, name in participants if role == "actor"),
                "targets": sorted(name for role, name in participants if role == "target"),
                "others": sorted(name for role, name in participants if role == "other"),
                "fatalities": (event.fatalities, event.fatalities_qualifier),
                "people": (event.people_count, event.people_qualifier),
                "quote": quotes[event.event_id][0],
                "quotes": quotes[event.event_id],
            }
        )
    return events


def test_panjwai_fell_to_the_taliban_on_sunday_4_july_2021(session: Session) -> None:
    [event] = stored_events(session, "002_8c376fa589bd7352", "territory_captured", "Panjwai")
    assert event["date"] == (dt.date(2021, 7, 4), dt.date(2021, 7, 4), "day")
    assert event["place"] == ("Panjwai", "Kandahar", "AF")
    assert event["actors"] == ["Taliban"]
    assert event["quote"].startswith(
        "The fall of Panjwai district on Sunday in the southern province of Kandahar"
    )


def test_khanashin_fell_on_the_day_of_publication_and_in_december(session: Session) -> None:
    captured = stored_events(session, "000_f9988bc4e950b919", "territory_captured", "Khanashin")
    assert sorted(event["date"] for event in captured) == [
        (dt.date(2015, 12, 1), dt.date(2015, 12, 31), "month"),
        (dt.date(2016, 3, 15), dt.date(2016, 3, 15), "day"),
    ]
    for event in captured:
        assert event["place"] == ("Khanashin", "Helmand", "AF")
        assert event["actors"] == ["Taliban"]
    assert any(
        e["quote"].startswith("The Khanashin district in Helmand fell to the Taliban") for e in captured
    )
    [regained] = stored_events(session, "000_f9988bc4e950b919", "territory_regained", "Khanashin")
    assert regained["date"] == (dt.date(2015, 12, 1), dt.date(2015, 12, 31), "month")


def test_46_soldiers_returned_at_the_nawa_pass(session: Session) -> None:
    [event] = stored_events(session, "001_ee120b2da65b2266", "border_crossing", "Nawa Pass")
    assert event["date"] == (dt.date(2021, 7, 27), dt.date(2021, 7, 27), "day")
    assert event["people"] == (46, "exact")
    assert any("soldiers" in actor for actor in event["actors"])
    assert event["quote"].startswith(
        "The 46 soldiers, including five officers, returned to Afghan government"
    )
    assert any(
        quote.startswith("Also on Tuesday, dozens of Afghan soldiers returned") for quote in event["quotes"]
    )


def test_taliban_attack_near_bagram_killed_two(session: Session) -> None:
    [attack] = stored_events(session, "002_8c376fa589bd7352", "attack", "Bagram Air Base")
    assert attack["date"] == (dt.date(2021, 7, 4), dt.date(2021, 7, 4), "day")
    assert attack["place"][::2] == ("Bagram Air Base", "AF")  # no gazetteer here knows Bagram's province
    assert attack["actors"] == ["Taliban"]
    assert attack["fatalities"] == (2, "exact")
    assert attack["quote"].startswith("A group of 20 Taliban fighters attacked the local police checkpoint")
    assert any("thwarted a Taliban attack on the Bagram airbase" in quote for quote in attack["quotes"])
    assert len(attack["targets"]) == 1 and attack["targets"][0].endswith(
        "police"
    )  # "Afghan police" when linked
    [withdrawal] = stored_events(session, "002_8c376fa589bd7352", "withdrawal", "Bagram Air Base")
    assert withdrawal["date"] == (dt.date(2021, 7, 2), dt.date(2021, 7, 2), "day")


def test_the_taliban_are_the_other_side_of_the_withdrawals_from_musa_qala_and_now_zad(
    session: Session,
) -> None:
    for district in ("Musa Qala", "Now Zad"):
        [withdrawal] = stored_events(session, "000_f9988bc4e950b919", "withdrawal", district)
        assert withdrawal["date"] == (dt.date(2016, 2, 1), dt.date(2016, 2, 29), "month")
        assert withdrawal["actors"] == ["Afghan army", "Afghan police"]
        assert withdrawal["others"] == ["Taliban"]


def test_stoltenberg_met_ghani_at_the_news_conference(session: Session) -> None:
    [meeting] = stored_events(session, "000_f9988bc4e950b919", "diplomatic_meeting", "Kabul")
    assert meeting["date"] == (dt.date(2016, 3, 15), dt.date(2016, 3, 15), "day")
    assert meeting["actors"] == ["Jens Stoltenberg", "NATO"]
    assert meeting["targets"] == ["Ashraf Ghani"]


def test_annals_evaluate_meets_the_targets_on_the_seed_corpus(
    database_url: str, seeded: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["evaluate", str(SEED_GOLD)]) == 0
    report = capsys.readouterr().out
    entities, events = report.splitlines()[:2]
    precision, recall, f1 = (float(part.split("=")[1]) for part in entities.split()[1:4])
    assert f1 >= 0.92
    precision, recall, f1 = (float(part.split("=")[1]) for part in events.split()[1:4])
    assert recall >= 0.94 and precision >= 0.94
    assert "misses (" in report and "false alarms (" in report
