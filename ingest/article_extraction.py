"""What the NLP pipeline derives from one article, before it touches the database.

Offsets are character offsets into the article's stored (cleaned) text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["person", "organization", "location", "group"]
Precision = Literal["day", "month", "year", "range", "unknown"]
Qualifier = Literal["exact", "at_least", "at_most", "approximately", "range"]
Role = Literal["actor", "target", "other"]


@dataclass
class Place:
    kind: str | None = (
        None  # country | province | district | city | site | military_base | border_crossing | region
    )
    country_code: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # first-level subdivision name, e.g. "Helmand"
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class ExtractedEntity:
    key: str  # unique within the article: f"{type}:{normalised canonical name}"
    name: str  # canonical (longest/full) form, e.g. "Jens Stoltenberg"
    type: EntityType
    aliases: list[str] = field(default_factory=list)  # other surface forms seen, e.g. "Stoltenberg"
    place: Place | None = None  # for type == "location"
    mentions: list[tuple[int, int]] = field(default_factory=list)  # (start, end) offsets


@dataclass
class Quantity:
    value: int
    qualifier: Qualifier
    value_max: int | None = None  # upper bound when qualifier == "range"


@dataclass
class Participant:
    entity_key: str  # an ExtractedEntity.key of the same article (groups are entities too)
    role: Role


@dataclass
class ExtractedEvent:
    type: str  # one of db.taxonomy.EventType
    date_start: dt.date | None
    date_end: dt.date | None
    precision: Precision
    location_key: str | None  # ExtractedEntity.key of the most specific place
    location_text: str | None  # the place as the text spells it
    fatalities: Quantity | None
    people: Quantity | None
    participants: list[Participant]
    summary: str
    confidence: float  # 0..1
    sentence_start: int
    sentence_end: int
    quote: str  # text[sentence_start:sentence_end]
    # Further sentences of the same article reporting the same event: (start, end, quote).
    more_evidence: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class ArticleExtraction:
    entities: list[ExtractedEntity]
    events: list[ExtractedEvent]
