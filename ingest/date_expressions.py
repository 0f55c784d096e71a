"""Resolve the time expressions of news text against a reference day (usually the publication date)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.article_extraction import Precision

WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_SPAN = r"(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:[-–]|and|to|through)\s*(\d{1,2})(?:st|nd|rd|th)?)?"
_MONTH_DAY = re.compile(_MONTH_RE + r"\s+" + _DAY_SPAN + r"(?:,?\s+(\d{4}))?\b")
_DAY_MONTH = re.compile(r"\b" + _DAY_SPAN + r"\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+(\d{4}))?\b")
# '15 05 2019', '15.05.2019', '15/05/2019' (day first, as outside the US, unless the day cannot be a
# month) and ISO '2019-05-15'
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([ ./])(\d{1,2})\2((?:19|20)\d\d)\b")
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
# '11-April-2019', '3-Jan-2020': hyphens between the parts of a date
_DATE_HYPHEN = re.compile(r"(?<=\d)-(?=[a-z])|(?<=[a-z])-(?=\d)")
_MONTH_YEAR = re.compile(r"\b" + _MONTH_RE + r"(?:,?\s+(\d{4}))?\b")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_DAYS_AGO = re.compile(r"\b(\d+|one|two|three|four|five|six|seven)\s+days?\s+ago\b")
_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True)
class DateSpan:
    start: dt.date
    end: dt.date
    precision: Precision

    def shifted(self, days: int) -> DateSpan:
        delta = dt.timedelta(days=days)
        return DateSpan(self.start + delta, self.end + delta, self.precision)


def day(date: dt.date) -> DateSpan:
    return DateSpan(date, date, "day")


def month_span(year: int, month: int) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    return DateSpan(dt.date(year, month, 1), dt.date(year, month, last), "month")


def year_span(year: int) -> DateSpan:
    return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def most_recent_weekday(weekday: int, reference: dt.date) -> dt.date:
    """The latest day with this weekday on or before the reference (Monday == 0)."""
    return reference - dt.timedelta(days=(reference.weekday() - weekday) % 7)


def next_weekday(weekday: int, reference: dt.date) -> dt.date:
    return reference + dt.timedelta(days=(weekday - reference.weekday()) % 7 or 7)


def week_of(reference: dt.date, offset_weeks: int) -> DateSpan:
    monday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(weeks=offset_weeks)
    return DateSpan(monday, monday + dt.timedelta(days=6), "range")


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _year_for(month: int, day_of_month: int, reference: dt.date, future: bool) -> int:
    """Year of an undated 'Month Day': the most recent one, or the next one for future statements."""
    year = reference.year
    try:
        candidate = dt.date(year, month, day_of_month)
    except ValueError:
        return year
    if future and candidate < reference - dt.timedelta(days=7):
        return year + 1
    if not future and candidate > reference + dt.timedelta(days=60):
        return year - 1
    return year


def _safe_date(year: int, month: int, day_of_month: int) -> dt.date | None:
    try:
        return dt.date(year, month, day_of_month)
    except ValueError:
        return None


def _numeric_date(text: str) -> DateSpan | None:
    iso = _ISO_DATE.search(text)
    if iso:
        found = _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        return day(found) if found else None
    match = _NUMERIC_DATE.search(text)
    if not match:
        return None
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    found = _safe_date(year, first, second) if second > 12 else _safe_date(year, second, first)
    return day(found) if found else None


def _explicit_calendar_date(text: str, reference: dt.date, future: bool) -> DateSpan | None:
    numeric = _numeric_date(text)
    if numeric is not None:
        return numeric
    match = _MONTH_DAY.search(text)
    if match:
        month, first, last, year = MONTHS[match.group(1)], match.group(2), match.group(3), match.group(4)
    else:
        match = _DAY_MONTH.search(text)
        if not match:
            return None
        first, last, month, year = match.group(1), match.group(2), MONTHS[match.group(3)], match.group(4)
    resolved_year = int(year) if year else _year_for(month, int(first), reference, future)
    start = _safe_date(resolved_year, month, int(first))
    if start is None:
        return None
    if last:
        end = _safe_date(resolved_year, month, int(last))
        if end is None or end < start:
            return None
        return DateSpan(start, end, "range")
    return day(start)


def _month_only(text: str, reference: dt.date, future: bool) -> DateSpan | None:
    match = _MONTH_YEAR.search(text)
    if not match:
        return None
    month = MONTHS[match.group(1)]
    if match.group(1) == "may" and not re.search(r"\b(early|late|mid|in|since|of|until|by)\s+may\b", text):
        return None  # the modal verb "may"
    if match.group(2):
        return month_span(int(match.group(2)), month)
    year = reference.year
    if future and month < reference.month:
        year += 1
    elif not future and month > reference.month:
        year -= 1
    return month_span(year, month)


def _relative(text: str, reference: dt.date, future: bool) -> DateSpan | None:
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", text):
        return day(reference)
    if re.search(r"\b(yesterday|last night)\b", text):
        return day(reference - dt.timedelta(days=1))
    if re.search(r"\btomorrow\b", text):
        return day(reference + dt.timedelta(days=1))
    if re.search(r"\b(last|past) (24|twenty-four) hours\b", text):
        return DateSpan(reference - dt.timedelta(days=1), reference, "range")
    ago = _DAYS_AGO.search(text)
    if ago:
        count = _SMALL_NUMBERS.get(ago.group(1)) or int(ago.group(1))
        return day(reference - dt.timedelta(days=count))
    for word, offset in (("last", -1), ("this", 0), ("next", 1), ("past", -1)):
        if re.search(rf"\b{word} week\b", text):
            return week_of(reference, offset)
        if re.search(rf"\b{word} month\b", text):
            year, month = _shift_month(reference.year, reference.month, offset)
            return month_span(year, month)
        if re.search(rf"\b{word} year\b", text) and word != "past":
            return year_span(reference.year + offset)
    return None


@lru_cache(maxsize=16384)
def resolve_date_expression(text: str, reference: dt.date, *, future: bool = False) -> DateSpan | None:
    """Resolve one time expression ("late last month", "Sunday (July 25)", "August 5-10", "in December").

    Weekday names mean the most recent such day on or before the reference (the next one when the
    sentence speaks of the future); month names without a year mean the most recent such month.
    Vague spans ("recent weeks", "for months") resolve to None.
    """
    lowered = " ".join(_DATE_HYPHEN.sub(" ", text.lower().replace("(", " ").replace(")", " ")).split())
    if re.search(r"\b(recent|several|few|coming)\b", lowered):
        return None
    for resolver in (_explicit_calendar_date, _relative):
        span = resolver(lowered, reference, future)
        if span is not None:
            return span
    for name, index in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", lowered):
            if future:
                return day(next_weekday(index, reference - dt.timedelta(days=1)))
            return day(most_recent_weekday(index, reference))
    span = _month_only(lowered, reference, future)
    if span is not None:
        return span
    year = _YEAR.search(lowered)
    if year and not re.search(r"\b(years?|decades?)\b", lowered):
        return year_span(int(year.group(1)))
    return None


def overnight(reference: dt.date, after: bool) -> DateSpan:
    """A night as the two days it spans: the one that ended on the reference day (a report's
    'overnight'), or with `after` the one that followed it."""
    if after:
        return DateSpan(reference, reference + dt.timedelta(days=1), "range")
    return DateSpan(reference - dt.timedelta(days=1), reference, "range")
