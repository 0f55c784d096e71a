"""The same event told twice in one article comes out once."""

from __future__ import annotations

from ingest.entity_table import EntityTable
from ingest.extracted import ExtractedEvent
from ingest.lexicon import EVENT_PRIORITY
from ingest.place_names import SPECIFICITY

GROUND_FAMILY = {
    "territory_captured",
    "withdrawal",
    "armed_clash",
    "attack",
    "casualties_reported",
    "remote_violence",
}


def _place_rank(event: ExtractedEvent, table: EntityTable) -> int:
    if event.location_key is None:
        return 0
    place = table.entities[event.location_key].place
    return SPECIFICITY.get(place.kind if place else None, 4)


def _participant_heads(event: ExtractedEvent) -> set[str]:
    """Entity keys, with groups reduced to their head noun: 'Afghan soldiers' and 'soldiers' agree."""
    return {
        "group:" + p.entity_key.split()[-1].removeprefix("group:")
        if p.entity_key.startswith("group:")
        else p.entity_key
        for p in event.participants
    }


def _same_event(first: ExtractedEvent, second: ExtractedEvent, table: EntityTable) -> bool:
    same_family = first.type == second.type or (first.type in GROUND_FAMILY and second.type in GROUND_FAMILY)
    if not same_family or (first.date_start, first.date_end) != (second.date_start, second.date_end):
        return False
    if first.location_key == second.location_key:
        return True
    if first.type != second.type:
        return False
    first_keys, second_keys = _participant_heads(first), _participant_heads(second)
    if first_keys and second_keys and not first_keys & second_keys:
        return False
    ranks = sorted([_place_rank(first, table), _place_rank(second, table)])
    return ranks[0] <= 1 and ranks[1] > ranks[0]  # no place or a whole country: the same, less precisely


def _absorb(kept: ExtractedEvent, other: ExtractedEvent, table: EntityTable) -> None:
    if _place_rank(other, table) > _place_rank(kept, table):
        kept.location_key, kept.location_text = other.location_key, other.location_text
    if EVENT_PRIORITY.index(other.type) < EVENT_PRIORITY.index(kept.type):
        kept.type = other.type
    known = {(p.entity_key, p.role) for p in kept.participants}
    kept.participants += [p for p in other.participants if (p.entity_key, p.role) not in known]
    kept.fatalities = kept.fatalities or other.fatalities
    kept.people = kept.people or other.people
    kept.confidence = max(kept.confidence, other.confidence)


def merge_events(events: list[ExtractedEvent], table: EntityTable) -> list[ExtractedEvent]:
    """The same event told twice in one article comes out once."""
    kept: list[ExtractedEvent] = []
    for event in events:
        twin = next((other for other in kept if _same_event(other, event, table)), None)
        if twin is None:
            kept.append(event)
        else:
            _absorb(twin, event, table)
    return kept
