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
