"""The same event told twice in one article comes out once, with every sentence that tells it and the
most informative of its values."""

from __future__ import annotations

from typing import NamedTuple

from db.taxonomy import ARMED_GROUP_NAMES
from ingest.article_extraction import ExtractedEvent, Participant, Quantity
from ingest.entities.place_names import SPECIFICITY
from ingest.entities.table import EntityTable
from ingest.events.participants import is_state_force, summary
from ingest.events.quantities import add_quantities
from ingest.lexicon import EVENT_PRIORITY, NON_STATE_WORDS

GROUND_FAMILY = {
    "territory_captured",
    "withdrawal",
    "armed_clash",
    "attack",
    "casualties_reported",
    "remote_violence",
}

# A march that turned violent is one riot, as coders count it: 'students marched ...; some of them
# threw stones at police'; and the dead a riot left are its toll. Told the same day at the same place
# (by the same crowd, or one not named again), the protest and the toll are the riot.
RIOT_FAMILY = {"riot", "protest", "casualties_reported"}


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


def _armed_group_named(key: str) -> bool:
    return key.removeprefix("organization:") in ARMED_GROUP_NAMES


def _sides_agree(first: set[str], second: set[str]) -> bool:
    """The same party, or an armed group and the militants, insurgents or rebels of the same report
    ('suspected Taliban militants ... 9 militants were killed', '1 militant'); two armed groups
    named are two."""
    if first & second:
        return True
    generic = [any(k.removeprefix("group:") in NON_STATE_WORDS for k in keys) for keys in (first, second)]
    named = [any(map(_armed_group_named, keys)) for keys in (first, second)]
    return (generic[0] and (generic[1] or named[1])) or (named[0] and generic[1])


class Telling(NamedTuple):
    event: ExtractedEvent
    several: bool  # it sums up several places ('11 districts')
    claimed_toll: bool  # its dead are what a side claims to have killed ('claim to have killed 4')


def _actors(event: ExtractedEvent) -> set[str]:
    return {p.entity_key for p in event.participants if p.role == "actor"}


def _riot_and_kin(first: ExtractedEvent, second: ExtractedEvent) -> bool:
    """A riot and a protest or a toll: what may be one riot told twice."""
    types = {first.type, second.type}
    return len(types) == 2 and "riot" in types and types <= RIOT_FAMILY


def _same_crowd(first: ExtractedEvent, second: ExtractedEvent) -> bool:
    """'Teachers marched ...; fans rioted': two crowds; 'students marched ...; some of them threw
    stones': the one crowd named once."""
    crowds = [{k for k in _actors(event) if not is_state_force(k)} for event in (first, second)]
    return not crowds[0] or not crowds[1] or _sides_agree(*crowds)


def _left_and_taken(withdrawal: ExtractedEvent, capture: ExtractedEvent) -> bool:
    """'Troops withdrew from Kunduz after the city fell to the Taliban': one side left, another took
    it, each named; two events (a capture by nobody named is the withdrawal's other side, see _captors)."""
    if withdrawal.type != "withdrawal" or capture.type != "territory_captured":
        return False
    leaving, taking = _actors(withdrawal), _actors(capture)
    return bool(leaving and taking and not leaving & taking)


def _same_event(first_telling: Telling, second_telling: Telling, table: EntityTable) -> bool:
    (first, first_several, _), (second, second_several, _) = first_telling, second_telling
    same_day = (first.date_start, first.date_end) == (second.date_start, second.date_end)
    if same_day and (_toll_of(first, second) or _toll_of(second, first)):
        return True
    same_family = (
        first.type == second.type
        or (first.type in GROUND_FAMILY and second.type in GROUND_FAMILY)
        or _riot_and_kin(first, second)
    )
    if not same_family:
        return False
    if _riot_and_kin(first, second):  # the same day, the same place or one unnamed, the same crowd
        places = {first.location_key, second.location_key}
        return same_day and (len(places) == 1 or None in places) and _same_crowd(first, second)
    if not same_day and not (_unplaced_within(first, second) or _unplaced_within(second, first)):
        return False
    if _left_and_taken(first, second) or _left_and_taken(second, first):
        return False
    if first.location_key == second.location_key:
        return True
    first_keys, second_keys = _participant_heads(first), _participant_heads(second)
    if first.type in GROUND_FAMILY and (first.location_key is None or second.location_key is None):
        # 'X fell to the Taliban on Sunday; Afghan forces and the Taliban clashed', 'troops repelled
        # the attack and killed dozens': the same day's fight, told once with its place, once without
        return first.type == second.type or _sides_agree(first_keys, second_keys)
    if first.type != second.type:
        return False
    if first_keys and second_keys and not _sides_agree(first_keys, second_keys):
        return False
    ranks = [_place_rank(first, table), _place_rank(second, table)]
    vaguer_several = first_several if ranks[0] < ranks[1] else second_several
    low, high = sorted(ranks)
    return low <= 1 and high > low and not vaguer_several  # no place or a country: the same, less precisely


def _toll_of(toll: ExtractedEvent, violence: ExtractedEvent) -> bool:
    """'Gunmen stormed a village on Tuesday. At least 56 villagers were killed': dead counted the same
    day without a place or a killer of their own are the toll of the violence told."""
    bare = toll.location_key is None and not _actors(toll) and toll.fatalities is not None
    # not a period's toll: 'Gaza health authorities said 67 were killed in the past 24 hours'
    one_day = toll.date_start is not None and toll.date_end in {None, toll.date_start}
    return (
        one_day
        and bare
        and toll.type in {"casualties_reported", "violence_against_civilians"}
        and violence.type in GROUND_FAMILY | {"violence_against_civilians"}
    )


def _unplaced_within(inner: ExtractedEvent, outer: ExtractedEvent) -> bool:
    """'Over the past 24 hours, forces conducted operations in X district. 13 militants were killed':
    a fight told without its place on a day within the few days another telling spans is that one."""
    if inner.type not in GROUND_FAMILY or inner.location_key is not None:
        return False
    start, end = outer.date_start, outer.date_end or outer.date_start
    if inner.date_start is None or start is None or end is None or (end - start).days > 7:
        return False
    return start <= inner.date_start and (inner.date_end or inner.date_start) <= end


QUALIFIER_RANK = {"exact": 3, "at_least": 2, "at_most": 2, "approximately": 2, "range": 1}


def _better_count(first: Quantity | None, second: Quantity | None) -> Quantity | None:
    """'The 46 soldiers' over 'dozens of soldiers'; of two counts as precise, the higher (a rising toll)."""
    if first is None or second is None:
        return first or second
    rank = (QUALIFIER_RANK[first.qualifier], first.value), (QUALIFIER_RANK[second.qualifier], second.value)
    return second if rank[1] > rank[0] else first


def _informative(event: ExtractedEvent, table: EntityTable) -> tuple[int, int, int, int]:
    """How much a telling says: the place it names, the event it names ('the fall of X' over the
    retreat before it), its exact counts, its participants."""
    counts = [q for q in (event.fatalities, event.people) if q is not None]
    exact = sum(QUALIFIER_RANK[q.qualifier] for q in counts)
    return _place_rank(event, table), -EVENT_PRIORITY.index(event.type), exact, len(event.participants)


def _merged_participants(first: list[Participant], second: list[Participant]) -> list[Participant]:
    """The union, without 'soldiers' beside 'Afghan soldiers' in the same role, nor a party as 'other'
    when a telling gives it a role."""
    union = list({(p.entity_key, p.role): p for p in [*first, *second]}.values())
    roled = {p.entity_key for p in union if p.role != "other"}
    return [
        p
        for p in union
        if not (p.role == "other" and p.entity_key in roled)
        and not any(_narrower(q, p) for q in union if q.role == p.role)
    ]


def _narrower(longer: Participant, shorter: Participant) -> bool:
    """'group:afghan soldiers' names the same people as 'group:soldiers', more precisely."""
    prefix = "group:"
    if not (longer.entity_key.startswith(prefix) and shorter.entity_key.startswith(prefix)):
        return False
    return longer.entity_key.endswith(" " + shorter.entity_key.removeprefix(prefix))


def _captors(withdrawal: ExtractedEvent, capture: ExtractedEvent) -> list[Participant]:
    """Forces pulled out of a place the text says was taken, by nobody named: whom they fought took it
    from them."""
    if withdrawal.type != "withdrawal" or capture.type != "territory_captured":
        return []
    if any(p.role == "actor" for p in capture.participants):
        return []
    others = [p for p in withdrawal.participants if p.role == "other"]
    if not others:
        return []
    losers = [Participant(p.entity_key, "target") for p in withdrawal.participants if p.role == "actor"]
    return [Participant(p.entity_key, "actor") for p in others] + losers


def _join_evidence(kept: ExtractedEvent, other: ExtractedEvent, table: EntityTable) -> None:
    """Every sentence stays; the most informative one becomes the event's main quote."""
    sentences = [
        (kept.sentence_start, kept.sentence_end, kept.quote),
        (other.sentence_start, other.sentence_end, other.quote),
        *kept.more_evidence,
        *other.more_evidence,
    ]
    main = sentences[1] if _informative(other, table) > _informative(kept, table) else sentences[0]
    kept.sentence_start, kept.sentence_end, kept.quote = main
    kept.more_evidence = sorted(
        {(start, end): (start, end, quote) for start, end, quote in sentences}.values()
    )
    kept.more_evidence.remove(main)


def _sides(kept: ExtractedEvent, other: ExtractedEvent) -> list[Participant]:
    """The union of both tellings' sides; but a telling without a place retells the placed one
    vaguely ('troops repelled the attack'), and of two kinds of event the one that names it gives
    the sides."""
    if _riot_and_kin(kept, other):
        return _merged_participants(kept.participants, other.participants)  # the march's crowd too
    captors = _captors(kept, other) or _captors(other, kept)
    if captors or (kept.type == other.type and (kept.location_key is None) == (other.location_key is None)):
        return _merged_participants(
            _captors(kept, other) or kept.participants, _captors(other, kept) or other.participants
        )
    if (kept.location_key is None) != (other.location_key is None):
        return kept.participants if kept.location_key else other.participants
    named, unnamed = (
        (other, kept) if EVENT_PRIORITY.index(other.type) < EVENT_PRIORITY.index(kept.type) else (kept, other)
    )
    return named.participants or unnamed.participants  # 'shells hit a market' names nobody: the clash does


def _both_sides_dead(first: ExtractedEvent, second: ExtractedEvent) -> bool:
    """'Militants attacked a post, killing 4 policemen. The police returned fire, killing 3 militants':
    one telling counts the dead of the side the other names as the attacker; the toll is both."""
    if first.fatalities is None or second.fatalities is None:
        return False
    targets = {p.entity_key for p in second.participants if p.role == "target"}
    first_targets = {p.entity_key for p in first.participants if p.role == "target"}
    if not first_targets or not targets:
        return False  # each telling names whom it counts
    return bool(_actors(first) & targets) and not (_actors(second) | first_targets) & targets


def _armed_targets(*events: ExtractedEvent) -> bool:
    """Whether an event names forces or armed men among those it was done to."""
    targets = [p.entity_key for event in events for p in event.participants if p.role == "target"]
    armed = [
        k for k in targets if is_state_force(k) or k.removeprefix("group:").split()[-1] in NON_STATE_WORDS
    ]
    return bool(armed) or any(map(_armed_group_named, targets))


def _absorb(kept: ExtractedEvent, other: ExtractedEvent, table: EntityTable) -> None:
    both_sides = _both_sides_dead(kept, other) or _both_sides_dead(other, kept)
    _join_evidence(kept, other, table)
    kept.participants = _sides(kept, other)
    if _place_rank(other, table) > _place_rank(kept, table):
        kept.location_key, kept.location_text = other.location_key, other.location_text
    if _riot_and_kin(kept, other):
        kept.type = "riot"
    elif {kept.type, other.type} == {"attack", "violence_against_civilians"} and not _armed_targets(
        kept, other
    ):
        kept.type = "violence_against_civilians"  # 'gunmen stormed a village ... 56 villagers were killed'
    elif EVENT_PRIORITY.index(other.type) < EVENT_PRIORITY.index(kept.type):
        kept.type = other.type
    if both_sides:
        kept.fatalities = add_quantities(kept.fatalities, other.fatalities)
    else:
        kept.fatalities = _better_count(kept.fatalities, other.fatalities)
    kept.people = _better_count(kept.people, other.people)
    kept.confidence = max(kept.confidence, other.confidence)
    roles = {
        role: [p.entity_key for p in kept.participants if p.role == role] for role in ("actor", "target")
    }
    place = table.entities[kept.location_key].name if kept.location_key else None
    kept.summary = summary(kept.type, roles["actor"], roles["target"], place, table)


def merge_events(tellings: list[Telling], table: EntityTable) -> list[ExtractedEvent]:
    """The same event told twice in one article comes out once."""
    kept: list[Telling] = []
    for telling in tellings:
        twin = next((n for n, other in enumerate(kept) if _same_event(other, telling, table)), None)
        if twin is None:
            kept.append(telling)
        else:
            kept[twin] = _absorb_telling(kept[twin], telling, table)
    return [telling.event for telling in kept]


def _absorb_telling(kept: Telling, other: Telling, table: EntityTable) -> Telling:
    """As _absorb; of a toll reported and a toll a side claims, the reported one ('at least 2
    policemen were killed ... the Taliban claim to have killed 4 police': 2), as conflict coders
    count; a claimed toll stands when nothing else counts the dead."""
    kept_toll, other_toll = kept.event.fatalities, other.event.fatalities
    _absorb(kept.event, other.event, table)
    if kept_toll is not None and other_toll is not None and kept.claimed_toll != other.claimed_toll:
        kept.event.fatalities = other_toll if kept.claimed_toll else kept_toll
        return kept._replace(claimed_toll=False)
    claimed = kept.claimed_toll if kept_toll is not None else other.claimed_toll and other_toll is not None
    return kept._replace(claimed_toll=claimed)
