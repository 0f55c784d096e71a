import datetime as dt
from typing import Any

from ingest.scoring import PredictedArticle, PredictedEntity, PredictedEvent, format_report, score

GOLD: dict[str, Any] = {
    "articles": [
        {
            "external_id": "a",
            "entities": [
                {"name": "Jens Stoltenberg", "type": "person", "aliases": ["Stoltenberg"]},
                {"name": "Bagram Air Base", "type": "location", "aliases": ["Bagram"]},
                {"name": "NATO", "type": "organization"},
            ],
            "events": [
                {
                    "types": ["withdrawal"],
                    "date": "2021-07-02",
                    "precision": "day",
                    "location": "Bagram",
                    "quote": "q1",
                },
                {
                    "types": ["territory_captured"],
                    "date": "2016-02",
                    "precision": "month",
                    "location": None,
                    "quote": "q2",
                },
                {
                    "types": ["military_exercise"],
                    "date": "2021-08-05/2021-08-10",
                    "precision": "range",
                    "location": "Bagram",
                    "quote": "q3",
                },
                {
                    "types": ["statement"],
                    "date": None,
                    "precision": "vague",
                    "location": None,
                    "optional": True,
                    "quote": "q4",
                },
            ],
        }
    ]
}


def event(
    type_: str, start: dt.date, end: dt.date, location: str | None, aliases: tuple[str, ...] = ()
) -> PredictedEvent:
    precision = "day" if start == end else "range"
    return PredictedEvent(type_, start, end, precision, location, aliases)


def test_aliases_match_leniently_and_duplicates_are_false_alarms() -> None:
    predicted = PredictedArticle(
        entities=[
            PredictedEntity("Stoltenberg", "person"),
            PredictedEntity("The Bagram Air Base", "location"),
            PredictedEntity("Bagram", "location"),
            PredictedEntity("Afghan soldiers", "group"),
        ],
        events=[],
    )
    result = score(GOLD, {"a": predicted})
    entities = result.entities
    assert (entities.true_positives, entities.false_positives, entities.false_negatives) == (2, 1, 1)
    assert "a: entity location 'Bagram' (duplicate)" in result.false_alarms
    assert "a: entity organization 'NATO'" in result.misses


def test_events_match_on_type_place_and_date_precision() -> None:
    predicted = PredictedArticle(
        entities=[],
        events=[
            event("withdrawal", dt.date(2021, 7, 2), dt.date(2021, 7, 2), "Bagram Air Base", ("Bagram",)),
            event("territory_captured", dt.date(2016, 2, 20), dt.date(2016, 2, 20), "Now Zad"),
            event("military_exercise", dt.date(2021, 8, 2), dt.date(2021, 8, 8), "Bagram"),
            event("statement", dt.date(2021, 7, 1), dt.date(2021, 7, 1), None),  # optional: ignored
            event("attack", dt.date(2021, 7, 1), dt.date(2021, 7, 1), "Kabul"),  # false alarm
        ],
    )
    result = score(GOLD, {"a": predicted})
    assert (result.events.true_positives, result.events.false_positives, result.events.false_negatives) == (
        3,
        1,
        0,
    )
    assert result.events.precision == 0.75
    assert result.events.recall == 1.0
    assert len(result.false_alarms) == 1 and "attack" in result.false_alarms[0]


def test_wrong_day_or_missing_article_is_a_miss() -> None:
    wrong_day = PredictedArticle(
        [], [event("withdrawal", dt.date(2021, 7, 4), dt.date(2021, 7, 4), "Bagram")]
    )
    assert score(GOLD, {"a": wrong_day}).events.true_positives == 0
    missing = score(GOLD, {})
    assert missing.events.false_negatives == 3
    assert missing.entities.recall == 0.0
    report = format_report(missing)
    assert report.startswith("entities  P=1.000 R=0.000")
    assert "misses (6):" in report
