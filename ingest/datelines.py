"""Wire-style datelines that open a paragraph: 'KYIV, March 7 (Reuters) - ', 'GOMA, Congo, Feb 8 — '.

A dateline names where the report was filed; it is not part of the first sentence, and its date is the
filing day, not the day of the events the sentence tells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"(?P<city>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})"  # KYIV, MAE SOT, NEW YORK
    r"(?:,\s+[A-Z][\w.'’-]*(?: (?:of |the )?[A-Z][\w.'’-]*){0,4})?"  # ', Democratic Republic of Congo'
    rf"(?P<date>,?\s+{_MONTH}\s+\d{{1,2}})?"
    r"(?P<agency>\s*\((?:Reuters|AP|AFP|AA|UPI|dpa|Xinhua)\))?"
    r"\s*(?:-|–|—|--)\s+(?=\S)"
)


def dateline_at(line: str) -> tuple[int, int, int] | None:
    """(end of the city, end of the dateline) when the line opens with one, else None."""
    match = _DATELINE.match(line)
    if match is None or not (match.group("date") or match.group("agency")):
        return None
    return match.start("city"), match.end("city"), match.end()


def datelines(text: str) -> Iterator[tuple[int, int, int]]:
    """(city start, city end, dateline end) character offsets of every dateline in the text."""
    offset = 0
    for line in text.split("\n"):
        found = dateline_at(line)
        if found is not None:
            yield tuple(offset + position for position in found)  # type: ignore[misc]
        offset += len(line) + 1
