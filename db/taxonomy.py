"""The event taxonomy, defined once: each Annals event type, its ACLED and CAMEO codings, its priority.

Everything else reads it: the models' CHECK constraint, the API's schemas and filters, curation's
checks, the extractor's tie-breaking between types. Adding a type here needs a migration for the CHECK.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventType(StrEnum):
    armed_clash = "armed_clash"
    attack = "attack"
    remote_violence = "remote_violence"
    territory_captured = "territory_captured"
    territory_regained = "territory_regained"
    withdrawal = "withdrawal"
    casualties_reported = "casualties_reported"
    deployment = "deployment"
    border_crossing = "border_crossing"
    military_exercise = "military_exercise"
    diplomatic_meeting = "diplomatic_meeting"
    statement = "statement"
    negotiation = "negotiation"
    aid_pledge = "aid_pledge"
    protest = "protest"
    arrest = "arrest"
    violence_against_civilians = "violence_against_civilians"
    # Appended, not inserted: the search index stores each article's types as bits by this order.
    riot = "riot"


@dataclass(frozen=True)
class EventCoding:
    """Where an Annals type sits in ACLED's event/sub-event types and in CAMEO's root codes.

    `priority` decides between types when one sentence or one merged event could be either: 1 wins.
    """

    acled_event_type: str
    acled_sub_event_type: str
    cameo_root: str
    priority: int


_BATTLE = "Battles"
_STRATEGIC = "Strategic developments"
CODINGS: dict[EventType, EventCoding] = {
    EventType.armed_clash: EventCoding(_BATTLE, "Armed clash", "19", 7),
    # One armed side attacking another (civilians as targets are violence_against_civilians).
    EventType.attack: EventCoding(_BATTLE, "Armed clash", "18", 4),
    EventType.remote_violence: EventCoding(
        "Explosions/Remote violence", "Shelling/artillery/missile attack", "19", 5
    ),
    EventType.territory_captured: EventCoding(_BATTLE, "Non-state actor overtakes territory", "19", 1),
    EventType.territory_regained: EventCoding(_BATTLE, "Government regains territory", "19", 2),
    EventType.withdrawal: EventCoding(_STRATEGIC, "Other", "08", 8),
    # A toll of fighting reported without the fight itself.
    EventType.casualties_reported: EventCoding(_BATTLE, "Armed clash", "19", 9),
    EventType.deployment: EventCoding(_STRATEGIC, "Change to group/activity", "15", 11),
    # Mostly forces retreating across a border (CAMEO 0874, retreat militarily).
    EventType.border_crossing: EventCoding(_STRATEGIC, "Other", "08", 3),
    EventType.military_exercise: EventCoding(_STRATEGIC, "Other", "15", 12),
    EventType.diplomatic_meeting: EventCoding(_STRATEGIC, "Other", "04", 13),
    EventType.statement: EventCoding(_STRATEGIC, "Other", "01", 18),
    # ACLED's Agreement covers peace talks; CAMEO 046 is "engage in negotiation".
    EventType.negotiation: EventCoding(_STRATEGIC, "Agreement", "04", 14),
    # A pledge is an intent (CAMEO 033, express intent to provide material aid), not aid given (07).
    EventType.aid_pledge: EventCoding(_STRATEGIC, "Other", "03", 15),
    EventType.protest: EventCoding("Protests", "Peaceful protest", "14", 17),
    # A crowd's own violence: stones thrown at police, shops looted, a mob's attack (CAMEO 145, riot).
    EventType.riot: EventCoding("Riots", "Violent demonstration", "14", 16),
    EventType.arrest: EventCoding(_STRATEGIC, "Arrests", "17", 10),
    EventType.violence_against_civilians: EventCoding("Violence against civilians", "Attack", "18", 6),
}
if set(CODINGS) != set(EventType):  # a new type without its codings fails at import, not at request
    raise RuntimeError(f"event types without a coding: {sorted(set(EventType) - set(CODINGS))}")

# Names of non-state armed groups, as words: the extractor reads them as words of conflict and the
# ACLED export codes an actor named so as a rebel group (2), even 'Taliban forces'.
ARMED_GROUP_NAMES = frozenset(
    {
        "taliban", "hamas", "hezbollah", "houthi", "houthis", "isis", "isil", "daesh", "shabaab",
        "al-shabaab", "qaeda", "m23", "wagner", "boko", "haram", "hts",
    }
)  # fmt: skip

# ACLED's disorder_type of each of its event types.
DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

EVENT_TYPES: tuple[str, ...] = tuple(EventType)
ACLED_EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(c.acled_event_type for c in CODINGS.values()))
ACLED_SUB_EVENT_TYPES: tuple[str, ...] = tuple(
    dict.fromkeys(c.acled_sub_event_type for c in CODINGS.values())
)


def types_named(name: str) -> list[str]:
    """The Annals types a type filter means: an Annals type, or every type coded as the ACLED event
    type or sub-event type of that name (case-insensitive); [] for an unknown name."""
    if name in EVENT_TYPES:
        return [name]
    folded = name.casefold()
    return [
        str(kind)
        for kind, coding in CODINGS.items()
        if folded in (coding.acled_event_type.casefold(), coding.acled_sub_event_type.casefold())
    ]


BY_PRIORITY: tuple[EventType, ...] = tuple(sorted(EventType, key=lambda t: CODINGS[t].priority))


# ACLED's geo_precision: 1 the event's own town, village or site; 2 a district (part of a region);
# 3 a province, region or country (its centroid stands for a place the text does not narrow down).
GEO_PRECISION_BY_KIND = {
    "city": 1,
    "town": 1,
    "village": 1,
    "site": 1,
    "military_base": 1,
    "border_crossing": 1,
    "district": 2,
    "province": 3,
    "region": 3,
    "country": 3,
}


def geo_precision(place_kind: str | None, located: bool) -> int | None:
    """ACLED's 1/2/3 for an event placed at a place of this kind; None for an event with no place."""
    if not located:
        return None
    return GEO_PRECISION_BY_KIND.get(place_kind or "", 3)
