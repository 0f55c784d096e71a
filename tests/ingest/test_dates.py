import datetime as dt

import pytest

from ingest.date_expressions import DateSpan, most_recent_weekday, overnight, resolve_date_expression
from ingest.datelines import dateline_at, text_date

TUESDAY = dt.date(2016, 3, 15)
JULY_27 = dt.date(2021, 7, 27)  # a Tuesday
JULY_4 = dt.date(2021, 7, 4)  # a Sunday


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Tuesday", TUESDAY, DateSpan(TUESDAY, TUESDAY, "day")),
        ("late Tuesday", TUESDAY, DateSpan(TUESDAY, TUESDAY, "day")),
        ("Monday", JULY_27, DateSpan(dt.date(2021, 7, 26), dt.date(2021, 7, 26), "day")),
        ("Saturday", JULY_4, DateSpan(dt.date(2021, 7, 3), dt.date(2021, 7, 3), "day")),
        ("Sunday (July 25", JULY_27, DateSpan(dt.date(2021, 7, 25), dt.date(2021, 7, 25), "day")),
        ("Late last month", TUESDAY, DateSpan(dt.date(2016, 2, 1), dt.date(2016, 2, 29), "month")),
        ("December", TUESDAY, DateSpan(dt.date(2015, 12, 1), dt.date(2015, 12, 31), "month")),
        ("January", TUESDAY, DateSpan(dt.date(2016, 1, 1), dt.date(2016, 1, 31), "month")),
        ("August 5-10", JULY_27, DateSpan(dt.date(2021, 8, 5), dt.date(2021, 8, 10), "range")),
        ("the last 24 hours", JULY_4, DateSpan(dt.date(2021, 7, 3), JULY_4, "range")),
        ("over the past twenty-four hours", JULY_4, DateSpan(dt.date(2021, 7, 3), JULY_4, "range")),
        ("15 05 2019", JULY_4, DateSpan(dt.date(2019, 5, 15), dt.date(2019, 5, 15), "day")),
        ("03.11.2018", JULY_4, DateSpan(dt.date(2018, 11, 3), dt.date(2018, 11, 3), "day")),
        ("12/25/2018", JULY_4, DateSpan(dt.date(2018, 12, 25), dt.date(2018, 12, 25), "day")),
        ("2020-02-29", JULY_4, DateSpan(dt.date(2020, 2, 29), dt.date(2020, 2, 29), "day")),
        ("11-April-2019", JULY_4, DateSpan(dt.date(2019, 4, 11), dt.date(2019, 4, 11), "day")),
        ("3-Sept-2020", JULY_4, DateSpan(dt.date(2020, 9, 3), dt.date(2020, 9, 3), "day")),
        ("September 01 2019", JULY_4, DateSpan(dt.date(2019, 9, 1), dt.date(2019, 9, 1), "day")),
        ("Jan. 25, 2013", JULY_4, DateSpan(dt.date(2013, 1, 25), dt.date(2013, 1, 25), "day")),
        ("25 and 26 August 2019", JULY_4, DateSpan(dt.date(2019, 8, 25), dt.date(2019, 8, 26), "range")),
        ("the 3rd of March", JULY_4, DateSpan(dt.date(2021, 3, 3), dt.date(2021, 3, 3), "day")),
        ("June 9 to 11", JULY_4, DateSpan(dt.date(2021, 6, 9), dt.date(2021, 6, 11), "range")),
        ("last week", JULY_4, DateSpan(dt.date(2021, 6, 21), dt.date(2021, 6, 27), "range")),
        ("March 3, 2015", JULY_4, DateSpan(dt.date(2015, 3, 3), dt.date(2015, 3, 3), "day")),
        ("last year", JULY_4, DateSpan(dt.date(2020, 1, 1), dt.date(2020, 12, 31), "year")),
        ("early May", JULY_4, DateSpan(dt.date(2021, 5, 1), dt.date(2021, 5, 31), "month")),
        ("yesterday", JULY_4, DateSpan(dt.date(2021, 7, 3), dt.date(2021, 7, 3), "day")),
    ],
)
def test_resolves_against_publication(text: str, published: dt.date, expected: DateSpan) -> None:
    assert resolve_date_expression(text, published) == expected


def test_next_week_is_the_following_monday_to_sunday() -> None:
    span = resolve_date_expression("next week", JULY_27, future=True)
    assert span == DateSpan(dt.date(2021, 8, 2), dt.date(2021, 8, 8), "range")


def test_a_night_spans_the_day_it_ends_on_or_the_day_it_follows() -> None:
    assert overnight(JULY_4, after=False) == DateSpan(dt.date(2021, 7, 3), JULY_4, "range")
    assert overnight(JULY_4, after=True) == DateSpan(JULY_4, dt.date(2021, 7, 5), "range")


@pytest.mark.parametrize("text", ["recent days", "months", "two decades", "20 years", "the past year", "may"])
def test_vague_expressions_resolve_to_nothing(text: str) -> None:
    assert resolve_date_expression(text, JULY_4) is None


def test_weekday_of_publication_day_is_that_day() -> None:
    assert most_recent_weekday(1, TUESDAY) == TUESDAY
    assert most_recent_weekday(6, TUESDAY) == dt.date(2016, 3, 13)


@pytest.mark.parametrize(
    ("line", "city"),
    [
        ("KYIV, March 7 - A Russian missile struck", "KYIV"),
        ("GOMA, Democratic Republic of Congo, Feb 8 - M23 rebels clashed", "GOMA"),
        ("BEIJING, May 23 (Reuters) - China's military began", "BEIJING"),
        ("WASHINGTON (AP) — The Senate voted", "WASHINGTON"),
    ],
)
def test_dateline_names_the_filing_city(line: str, city: str) -> None:
    found = dateline_at(line)
    assert found is not None
    assert line[found[0] : found[1]] == city
    assert not line[found[2]].isspace()


@pytest.mark.parametrize(
    "line", ["NATO - the alliance said", "US, NATO forces left - they said", "The US - no"]
)
def test_capitals_without_date_or_agency_are_not_a_dateline(line: str) -> None:
    assert dateline_at(line) is None


@pytest.mark.parametrize(
    ("line", "city", "rest"),
    [
        ("BANGUI - Anti-balaka militiamen killed", "BANGUI", "Anti-balaka"),
        ("CHILPANCINGO, Mexico - Gunmen burst in", "CHILPANCINGO", "Gunmen"),
        ("ADDIS ABABA - The foreign ministers met", "ADDIS ABABA", "The foreign"),
        ("LOS ANGELES - 'Operation Hammerfall' bombed", "LOS ANGELES", "'Operation"),
    ],
)
def test_a_known_city_in_capitals_before_a_dash_is_a_dateline(line: str, city: str, rest: str) -> None:
    found = dateline_at(line)
    assert found is not None
    assert line[found[0] : found[1]] == city
    assert line[found[2] :].startswith(rest)


@pytest.mark.parametrize(
    "line", ["NATO - The alliance said", "UPDATE 2 - Oil prices rose", "KABUL - the city"]
)
def test_capitals_before_a_dash_that_name_no_city_are_no_dateline(line: str) -> None:
    assert dateline_at(line) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KABUL, Afghanistan (Jan. 25, 2013) — A combined force", dt.date(2013, 1, 25)),
        ("ISAF Joint Command Morning Operational Update, March 8, 2011\nKABUL", dt.date(2011, 3, 8)),
        ("Press release 2019-05-15\nTroops", dt.date(2019, 5, 15)),
        ("KABUL, Afghanistan (Jan. 27)\nA force detained", None),
        ("July 10: Operations in the south\n2010-07-CA-075\nA force detained", dt.date(2010, 7, 10)),
    ],
)
def test_text_date_from_dateline_or_heading(text: str, expected: dt.date | None) -> None:
    assert text_date(text) == expected


def test_dateline_with_the_date_in_parentheses() -> None:
    line = "KABUL, Afghanistan (Dec. 9) – Afghan forces detained"
    found = dateline_at(line)
    assert found is not None and line[found[2] :].startswith("Afghan forces")
