"""Where an event happened: the places its clause reaches through locative links, or the place an
anaphor ('the province', 'there', 'here') or a pronoun subject points back to."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Span, Token

from ingest.datelines import LINE_BREAK
from ingest.entities.place_names import OPENERS, SPECIFICITY
from ingest.entities.table import EntityTable
from ingest.events.clauses import children_with, governing_verb
from ingest.events.trigger_types import head_noun, places_left, trigger_type
from ingest.events.triggers import Trigger
from ingest.lexicon import SPEECH_VERBS, TERRITORY_NOUNS
from ingest.nlp import words

KIND_NOUNS = words("district province city town region")
BLOCKING_PREPOSITIONS = words("with including about regarding for like than since over")
LOCATIVE = words(
    "in at near from to into across around outside inside throughout toward towards through within "
    "out on of off along between"
)
TOPIC_PREPOSITIONS = words("on over about regarding concerning")
TALK_TYPES = words("diplomatic_meeting negotiation statement aid_pledge")
VENUE_NOUNS = words("conference summit meeting talk forum")
ROLE_HEADS = words(
    "official governor lawmaker member commander minister head elder spokesman spokesmen media office "
    "chief army ministry council unit"
)


def event_anchors(trigger: Trigger) -> set[Token]:
    """Tokens a place may attach to: the trigger, folded triggers, the noun's verb, the first conjunct."""
    anchors = {trigger.token, *trigger.consumed}
    if trigger.token.pos_ == "NOUN":
        anchors.add(governing_verb(trigger.token))
    if trigger.token.dep_ == "conj":
        anchors.add(trigger.token.head)
    return anchors


def _blocks_path(
    current: Token, parent: Token, anchors: set[Token], entity_at: dict[int, str], talk: bool
) -> bool:
    """Whether the link from current up to parent leaves the event's setting."""
    blocking = BLOCKING_PREPOSITIONS - {"with"} if talk else BLOCKING_PREPOSITIONS
    if current.lower_ in blocking and current.dep_ in {"prep", "mark"}:
        return True
    if talk and current.lower_ in TOPIC_PREPOSITIONS and current.dep_ == "prep":
        return True  # 'talks on a ceasefire in Gaza': the topic, not the venue
    if parent in anchors:
        if current.dep_ == "nsubj" and parent.lemma_ != "fall":
            return True  # 'The United States has deployed': an actor, not the place
        modifier = parent.pos_ == "NOUN" and current.dep_ in {"compound", "poss", "amod"}
        return modifier and current.ent_type_ in {"GPE", "NORP"}  # 'the US withdrawal': who, not where
    if parent.i not in entity_at and parent.lemma_.lower() in ROLE_HEADS:
        return True  # 'officials in Kabul said'
    parent_key = entity_at.get(parent.i)
    if talk or parent_key is None:
        return False
    if _unknown_place(parent, current):
        return False
    return not parent_key.startswith("location:") and parent.pos_ != "ADP"


def _unknown_place(name: Token, link: Token) -> bool:
    """'in Kaftar Killi of Shindand district', 'in Maidan Shar, Jalrez and Nirkh districts': a name the
    model took for a person or group, but which the text sets the event in and which a place is 'of'
    or listed with, is a place the gazetteer does not know, not someone the place belongs to."""
    in_setting = name.dep_ == "pobj" and name.head.lower_ in SETTING_PREPOSITIONS
    return in_setting and (link.dep_ == "conj" or (link.dep_ == "prep" and link.lower_ == "of"))


def place_path_ok(place: Token, anchors: set[Token], entity_at: dict[int, str], talk: bool = False) -> bool:
    """A place belongs to the event when reached from the trigger through locative links only.

    For talks, a place may hang off a participant ('a delegation in Cairo'), but not off a topic."""
    current = place
    first_prep: str | None = None
    while current not in anchors:
        parent = current.head
        if parent == current:
            return False
        if current.dep_ == "prep" and first_prep is None:
            first_prep = current.lower_
        if _blocks_path(current, parent, anchors, entity_at, talk):
            return False
        current = parent
    return first_prep is None or first_prep in LOCATIVE


def at_venue(place: Token) -> bool:
    """'at a conference in Brussels', 'a summit in Doha': where talks are held, however it is parsed."""
    preposition = place.head
    return preposition.lower_ in {"in", "at"} and preposition.head.lemma_.lower() in VENUE_NOUNS


def direct_argument(place: Token, anchors: set[Token]) -> bool:
    """'pulled out of [Musa Qala and Now Zad districts]' but not 'districts in [Badakhshan and Takhar]'."""
    current = place
    passed_preposition = False
    while current not in anchors and current.head != current:
        current = current.head
        passed_preposition |= current.pos_ == "ADP"
        common_noun = current not in anchors and current.pos_ in {"NOUN", "PROPN"} and not current.ent_type_
        if common_noun and (passed_preposition or current.lemma_.lower() not in KIND_NOUNS):
            return False
    return True


def conjoined(first: Token, second: Token) -> bool:
    """'Musa Qala and Now Zad (districts)': second hangs off first through a conj link."""
    current, linked = second, False
    for _ in range(3):
        if current.head == current or current.pos_ == "ADP":
            return False
        linked |= current.dep_ == "conj"
        current = current.head
        if current == first:
            return linked
    return False


PRONOUNS = words("he she they it")
PERSONAL_PRONOUNS = words("he she")
# 'the province', 'the area', 'there': the place last mentioned of that kind
ANAPHORA: dict[str, set[str | None]] = {
    "province": {"province"},
    "district": {"district"},
    "area": {"district", "city", "site", None},
    "city": {"city"},
    "base": {"military_base"},
    "airbase": {"military_base"},
    "country": {"country"},
    "there": {"district", "city", "province", "site", "military_base", None},
}
PlaceOption = tuple[str, str]  # (entity key, the place as the text spells it)


def best_named_place(sentence: Span, table: EntityTable) -> PlaceOption | None:
    places = [(t, table.key_at(t)) for t in sentence if (table.key_at(t) or "").startswith("location:")]
    ranked = [
        (SPECIFICITY.get(table.place_kind(key), 4), -t.i, key, surface(t, table)) for t, key in places if key
    ]
    return (max(ranked)[2], max(ranked)[3]) if ranked else None


def nearby_places(
    sentence: Span, previous: Span | None, following: list[Span], table: EntityTable
) -> list[PlaceOption]:
    """'They were given safe passage': a pronoun subject continues the previous sentence's place;
    a report whose next sentences go on with 'He ...' may find its place there."""
    if sentence[0].lower_ in PRONOUNS and previous is not None:
        found = best_named_place(previous, table)
        return [found] if found else []
    for sentence_after in following:
        if sentence_after[0].lower_ in PERSONAL_PRONOUNS and sentence_after[0].dep_ == "nsubj":
            found = best_named_place(sentence_after, table)
            return [found] if found else []
    return []


# What a report goes on to call 'the operation', 'the force', 'the patrol' after naming where it was.
CONTINUING_NOUNS = words(
    "operation raid force patrol unit team convoy attack assault search engagement offensive mission "
    "strike airstrike clash"
)


def antecedent_place(sentence: Span, earlier: list[Span], table: EntityTable) -> list[PlaceOption]:
    """'Forces conducted an operation in Zharay district, Kandahar province. The leader coordinates
    attacks between Kandahar City and Herat. During the operation, the force detained 3 suspects':
    'the operation' is the one named before, and happened where that sentence put it. Not a word
    that tells an event itself ('the attack': a retelling, merged with the first telling), and only a
    place the gazetteer knows down to its province."""
    referring = {
        t.lemma_.lower()
        for t in sentence
        if t.lemma_.lower() in CONTINUING_NOUNS
        and trigger_type(t) is None  # not 'the most recent attacks': an event of its own, or a retelling
        and t.head.lemma_.lower() not in SPEECH_VERBS  # not 'the force said': who tells, not where
        and any(c.lower_ == "the" for c in children_with(t, "det"))
    }
    for before in reversed(earlier):
        if referring & {t.lemma_.lower() for t in before}:
            found = best_named_place(before, table)
            known = found is not None and table.place_kind(found[0]) in PROVINCE_OR_FINER
            return [found] if found and known else []
    return []


# Openers that put a sentence right after the one before in the same story: 'After establishing ...'
# ('Later', 'Then' or 'During the past week' may move to another story).
SEQUENCE_OPENERS = words("after afterwards following shortly subsequently")
# Words by which a sentence says it is somewhere else: 'elsewhere', 'across the country', 'the capital'.
ELSEWHERE_WORDS = words("elsewhere across nationwide country capital province region")


def _follows_on(sentence: Span) -> bool:
    """'After gaining positive identification, ...', 'During the operation, ...' (not 'During the
    past week')."""
    opener = sentence[0]
    if opener.lower_ == "during":
        return any(o.lemma_.lower() in CONTINUING_NOUNS for o in children_with(opener, "pobj"))
    return opener.lower_ in SEQUENCE_OPENERS


def continued_scene_place(sentence: Span, earlier: list[Span], table: EntityTable) -> list[PlaceOption]:
    """'A patrol spotted armed insurgents in Reg-e Khan Neshin district, Helmand province. After
    gaining positive identification, coalition forces engaged the enemy position, killing several
    insurgents': a sentence that opens by following on from the story before it happened where that
    story did: the most specific place named in the three sentences before it within the paragraph
    (the nearest of equals), when the gazetteer knows it down to its province. Not a sentence that
    says it is elsewhere ('... killed five soldiers in the capital')."""
    if not _follows_on(sentence) or any(t.lower_ in ELSEWHERE_WORDS for t in sentence):
        return []
    text, start = sentence.doc.text, sentence.start_char
    named: list[tuple[int, int, PlaceOption]] = []
    for nearness, before in enumerate(reversed(earlier[-3:])):
        if LINE_BREAK.search(text, before.start_char + len(before.text.rstrip()), start):
            break  # another paragraph
        found = best_named_place(before, table)
        if found is not None:
            named.append((SPECIFICITY.get(table.place_kind(found[0]), 4), -nearness, found))
        start = before.start_char
    if not named:
        return []
    found = max(named)[2]
    return [found] if table.place_kind(found[0]) in PROVINCE_OR_FINER else []


def ground_place(trigger: Trigger, previous: Span | None, table: EntityTable) -> list[PlaceOption]:
    """'15 militants were killed in Bilchiragh district, Faryab. 5 areas were regained by Afghan
    forces' (or 'Militants were pushed out of those villages'): ground taken or regained that the
    sentence does not place (or names by villages the gazetteer does not know) lies where the
    sentence before it put the fighting, when that place is known down to its province."""
    if trigger.type not in {"territory_captured", "territory_regained"} or previous is None:
        return []
    taken = children_with(trigger.token, "dobj", "nsubjpass") + places_left(trigger.token)
    if not any(head_noun(noun).lemma_.lower() in TERRITORY_NOUNS for noun in taken):
        return []  # 'police took over the investigation'
    found = best_named_place(previous, table)
    return [found] if found and table.place_kind(found[0]) in PROVINCE_OR_FINER else []


PROVINCE_OR_FINER = {"site", "military_base", "border_crossing", "city", "district", "province"}


def dominant_country(table: EntityTable) -> str | None:
    """The country the article is about: its mentions and its demonyms ('Afghan forces') counted."""
    demonyms = Counter(table.demonym_countries.values())
    countries = [
        (len(e.mentions) + demonyms[e.name], e.key)
        for e in table.entities.values()
        if e.place and e.place.kind == "country"
    ]
    return max(countries)[1] if countries else None


def dateline_city(table: EntityTable) -> str | None:
    """'here' in a report means where it was filed: the first city the article names."""
    cities = [
        (e.mentions[0][0], e.key) for e in table.entities.values() if e.place and e.place.kind == "city"
    ]
    return min(cities)[1] if cities else None


def last_place(table: EntityTable, before: int, kinds: set[str | None]) -> str | None:
    best: tuple[int, str] | None = None
    for entity in table.entities.values():
        if entity.type != "location" or entity.place is None or entity.place.kind not in kinds:
            continue
        for start, _end in entity.mentions:
            if start < before and (best is None or start > best[0]):
                best = (start, entity.key)
    return best[1] if best else None


def _is_place_anaphor(token: Token) -> bool:
    """'the province' (bare, determined by 'the') or 'there' as an adverb."""
    if token.lower_ == "there":
        return token.dep_ == "advmod"
    if not any(c.lower_ == "the" for c in token.children if c.dep_ == "det"):
        return False
    return not any(c.dep_ in {"compound", "amod", "prep"} and c.lower_ != "same" for c in token.children)


def anaphoric_places(tokens: list[Token], table: EntityTable) -> list[PlaceOption]:
    found: list[PlaceOption] = []
    for token in tokens:
        word = token.lower_
        if word == "here" and token.dep_ == "advmod":
            dateline = dateline_city(table)
            found += [(dateline, "here")] if dateline else []
            continue
        if word not in ANAPHORA or table.key_at(token) or not _is_place_anaphor(token):
            continue
        key = dominant_country(table) if word == "country" else last_place(table, token.idx, ANAPHORA[word])
        if key:
            found.append((key, "there" if word == "there" else f"the {word}"))
    return found


def _named_places(trigger: Trigger, tokens: list[Token], table: EntityTable) -> dict[str, Token]:
    """Location key → the root token of its mention, for the places the event's clause reaches."""
    anchors = event_anchors(trigger)
    talk = trigger.type in TALK_TYPES
    named: dict[str, Token] = {}
    for token in tokens:
        key = table.key_at(token)
        if not key or not key.startswith("location:") or key in named:
            continue
        if place_path_ok(token, anchors, table.token_keys, talk) or (talk and at_venue(token)):
            while token.head != token and table.key_at(token.head) == key:
                token = token.head
            named[key] = token
    return named


def choose_places(trigger: Trigger, tokens: list[Token], table: EntityTable) -> list[PlaceOption]:
    """The most specific places of the clause; conjoined places the trigger governs each make an event."""
    named = _named_places(trigger, tokens, table)
    options = [(key, surface(token, table)) for key, token in named.items()]
    options += [option for option in anaphoric_places(tokens, table) if option[0] not in named]
    if not options:
        return []
    rank = {key: SPECIFICITY.get(table.place_kind(key), 4) for key, _ in options}
    best = max(rank.values())
    top = [option for option in options if rank[option[0]] == best]
    first = named.get(top[0][0])
    if first is None or not direct_argument(first, event_anchors(trigger)):
        return top[:1]
    return [top[0]] + [
        option for option in top[1:] if option[0] in named and conjoined(first, named[option[0]])
    ]


SETTING_PREPOSITIONS = words("in at near outside around inside across throughout")


AREA_NOUNS = words(
    "area areas village villages outskirts limits center centre valley vicinity suburbs part parts "
    "city town district districts"
)


def _a_state(noun: Token, place_kind: str | None) -> bool:
    """'Kaduna state': a province the word 'state' follows; not 'the Gulf state of Bahrain'."""
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    return noun.lower_ == "state" and place_kind == "province" and (after is None or after.lower_ != "of")


def _setting(token: Token, table: EntityTable, lenient: bool = False) -> bool:
    """'... in Maywand district', '... in the Nahri Saraj district of Helmand': the place is the object
    of a locative preposition, not the home of a person or unit ('officials in Kabul', 'the governor
    of Helmand')."""
    opener = token.doc[token.i - 1] if token.i else token
    if opener.is_sent_start and opener.pos_ != "ADP" and opener.lower_ in OPENERS:
        return True  # 'Near Raqqa, strikes ...', 'Near' misread as a name
    key = table.key_at(token)
    while token.head != token and table.key_at(token.head) == key:
        token = token.head
    kind = table.place_kind(key) if key else None
    while token.dep_ in {"compound", "appos"} and (
        token.head.lower_ in KIND_NOUNS | AREA_NOUNS or _a_state(token.head, kind)
    ):
        token = token.head  # 'in Shah Joy district center', 'in Kaduna state'
    preposition = token.head
    if token.dep_ == "pobj" and preposition.lower_ == "of" and preposition.head.lower_ in AREA_NOUNS:
        token = preposition.head  # 'in the Tabol area of X district', 'in the outskirts of X'
        preposition = token.head
    if token.dep_ != "pobj" or preposition.lower_ not in SETTING_PREPOSITIONS:
        return False
    holder = preposition.head
    if holder.lemma_.lower() in ROLE_HEADS or holder.ent_type_ == "PERSON":
        return lenient and holder.dep_ not in {"nsubj", "nsubjpass"}  # 'an official in Helmand said'
    return True


def setting_place(tokens: list[Token], table: EntityTable, lenient: bool = False) -> list[PlaceOption]:
    """The most specific place in a locative phrase among the tokens, whatever the phrase hangs on:
    the parse often attaches 'in X district' to the nearest noun ('an airstrike conducted by Afghan
    forces in X district'). Lenient: also where it hangs on a person ('killed a commander in X')."""
    ranked: list[tuple[int, int, str, str]] = []
    for token in tokens:
        key = table.key_at(token)
        if key and key.startswith("location:") and _setting(token, table, lenient):
            ranked.append((SPECIFICITY.get(table.place_kind(key), 4), -token.i, key, surface(token, table)))
    if not ranked:
        return []
    best = max(ranked)
    return [(best[2], best[3])]


def surface(token: Token, table: EntityTable) -> str:
    """The whole mention a token belongs to, as the text spells it."""
    key = table.key_at(token)
    entity = table.entities[key] if key else None
    if entity:
        for start, end in entity.mentions:
            if start <= token.idx < end:
                return token.doc.text[start:end]
    return token.text


def several_places(trigger: Trigger) -> bool:
    """'captured some 11 districts', 'retreated from a dozen districts': a sum of events, not one."""
    token = trigger.token
    phrases = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
    phrases += [
        o for p in token.children if p.lower_ in {"from", "of"} for o in p.children if o.dep_ == "pobj"
    ]
    for phrase in phrases:
        noun = head_noun(phrase)
        if noun.tag_ == "NNS" and noun.lemma_.lower() in TERRITORY_NOUNS:
            return True
    return False
