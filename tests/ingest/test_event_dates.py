"""Event dates from the opening phrases coders and reporters put before the clause."""

import datetime as dt

import pytest

from ingest.extract import extract_article

DAY_AFTER = dt.date(2020, 3, 12)


def event_days(text: str, published: dt.date | None) -> list[tuple[dt.date | None, dt.date | None]]:
    return [(e.date_start, e.date_end) for e in extract_article(text, published).events]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "On 10-March-2020, 4 police officers were killed by insurgents in Chak district, Wardak.",
            dt.date(2020, 3, 10),
            dt.date(2020, 3, 10),
        ),
        (
            "On 09 03 2020, a roadside bomb killed 3 soldiers in Kandahar city.",
            dt.date(2020, 3, 9),
            dt.date(2020, 3, 9),
        ),
        (
            "As reported on March 10 2020, 6 militants were killed by an airstrike in Nawa district, "
            "Helmand.",
            dt.date(2020, 3, 10),
            dt.date(2020, 3, 10),
        ),
        (
            "As reported on 11 March 2020, over the past 24 hours, an airstrike killed 5 insurgents "
            "in Shindand district, Herat.",
            dt.date(2020, 3, 10),
            dt.date(2020, 3, 11),
        ),
        (
            "Battle: On 8 and 9 March 2020, Taliban fighters attacked a police post in Kunduz city.",
            dt.date(2020, 3, 8),
            dt.date(2020, 3, 9),
        ),
    ],
)
def test_opening_phrase_dates_the_event(text: str, start: dt.date, end: dt.date) -> None:
    assert (start, end) in event_days(text, DAY_AFTER)


def test_yesterday_is_the_day_before_publication() -> None:
    text = "Gunmen killed two guards at a bank in Jalalabad yesterday, police said."
    assert (dt.date(2020, 3, 11), dt.date(2020, 3, 11)) in event_days(text, DAY_AFTER)


@pytest.mark.parametrize(
    "text",
    [
        "Warplanes struck a market in the town of Saraqeb overnight, killing nine people, rescuers said.",
        "Gunmen stormed a police station in Kano overnight, killing four officers, police said.",
        "Security forces detained several insurgents in Khost province overnight.",
    ],
)
def test_overnight_spans_the_night_before_publication(text: str) -> None:
    assert event_days(text, DAY_AFTER) == [(dt.date(2020, 3, 11), DAY_AFTER)]


def test_a_day_named_with_overnight_dates_the_event() -> None:
    text = "Rebels shelled the airport overnight on Tuesday, killing two soldiers, the army said."
    assert event_days(text, DAY_AFTER) == [(dt.date(2020, 3, 10), dt.date(2020, 3, 10))]


def test_an_undated_release_is_read_against_its_own_dateline() -> None:
    text = (
        "KABUL, Afghanistan (Feb. 4, 2012) — An Afghan and coalition security force detained two "
        "suspected insurgents in Nad Ali district, Helmand province, yesterday."
    )
    assert (dt.date(2012, 2, 3), dt.date(2012, 2, 3)) in event_days(text, None)


def test_a_weekday_in_a_release_is_the_one_before_its_heading_day() -> None:
    text = (
        "Evening Operational Update March 14, 2012\n\n"
        "In Zhari district, a combined force detained a suspected weapons facilitator, Tuesday."
    )
    assert (dt.date(2012, 3, 13), dt.date(2012, 3, 13)) in event_days(text, None)


def test_the_day_at_the_end_of_the_sentence_dates_its_operations() -> None:
    text = (
        "KABUL, Afghanistan (March 9) – Afghan forces detained several suspected insurgents during two "
        "security operations in Zabul and Kandahar provinces yesterday.\n\n"
        "Forces also detained a bomb maker in Kandahar."
    )
    days = event_days(text, dt.date(2012, 3, 9))
    assert days and all(day == (dt.date(2012, 3, 8), dt.date(2012, 3, 8)) for day in days)


def test_a_release_number_is_not_a_date() -> None:
    text = (
        "ISAF Joint Command\u20282011-03-S-022\u2028KABUL, Afghanistan (March 8, 2011) — Afghan forces "
        "detained two suspected insurgents in Khost province yesterday."
    )
    assert event_days(text, dt.date(2011, 3, 8)) == [(dt.date(2011, 3, 7), dt.date(2011, 3, 7))]


def test_overnight_after_a_day_the_story_named_is_the_night_after_it() -> None:
    text = (
        "On March 3, rebels attacked the town of Bor. Overnight, soldiers clashed with the rebels "
        "near the town."
    )
    days = event_days(text, DAY_AFTER)
    assert (dt.date(2020, 3, 3), dt.date(2020, 3, 4)) in days
