"""The participants of an event (actors and targets) and its counts of dead and of people involved."""

from __future__ import annotations

from spacy.tokens import Token

from ingest.article_extraction import Quantity
from ingest.entities.table import EntityTable, entity_key
from ingest.events.clauses import (
    against_phrases,
    children_with,
    clause_subject,
    death_toll_reached,
    fight_sides,
    governing_verb,
    prep_objects,
)
from ingest.events.quantities import VAGUE_COUNT_NOUNS, VAGUE_COUNTS, add_quantities, parse_quantity
from ingest.events.trigger_types import (
    POLICING_VERBS,
    agents,
    crowd_told_before,
    head_noun,
    opened_fire_on,
    policed_crowds,
    share_of,
    shot_at,
    trigger_type,
    unarmed,
)
from ingest.events.triggers import Trigger
from ingest.lexicon import (
    BREAKDOWN_PARTS,
    BROKEN_DOWN_TOTALS,
    CASUALTY_LEMMAS,
    CROWD_MEMBERS,
    GROUP_NOUNS,
    KILLING_LEMMAS,
    LEGAL_FORMS,
    NON_STATE_WORDS,
    PERSON_NOUNS,
    PROTEST_GATHERINGS,
    QUANTITY_NOUNS,
    RIOTING_CROWDS,
    SPEECH_VERBS,
    STATE_FORCE_NOUNS,
    TERRITORY_NOUNS,
    WEAPON_NOUNS,
)
from ingest.nlp import words

PASSIVE_TARGET_TYPES = words("attack casualties_reported violence_against_civilians arrest riot")
GROUP_NAME_DEPS = words("amod compound conj cc nmod case")
LIGHT_VERBS = words("hold begin launch conduct stage start carry resume have open")
# Places a unit holds: 'attacked the local police checkpoint' targets the police.
POST_NOUNS = words("checkpoint post outpost base station convoy camp position headquarters barracks patrol")
# Who speak for a state: 'the foreign ministers of Sudan and South Sudan met' is the two states meeting.
OFFICE_NOUNS = words(
    "minister adviser advisor envoy ambassador president premier leader delegation representative "
    "diplomat negotiator counterpart"
)
# Heads that add nothing to the group they follow: 'police personnel' are the police.
GENERIC_GROUP_HEADS = words("personnel member members staff")
QUANTITY_WORDS = words("more less fewer than some about around over nearly almost at least up to the a an")
# Fighting with, an advance by: the other side of a withdrawal or a capture.
HOSTILE_WORDS = words(
    "battle fight fighting clash skirmish firefight gunfight combat war offensive advance assault attack "
    "onslaught pressure"
)
OPPONENT_TYPES = words("withdrawal territory_captured territory_regained border_crossing")
RETREAT_LEMMAS = words("withdraw retreat flee pull")
REPORT_DEPS = words("ccomp relcl parataxis csubj")


def victims_count_tokens(kill: Token) -> list[Token]:
    """The nouns that count the dead of a kill (or die) verb, every conjunct and companion included."""
    # A passive verb has no object: 'were killed in an airstrike ... the Pul I Alam district'.
    # 'die' may have an object only in an idiom read as dying: 'lost their lives' (ingest/nlp.py)
    victims = children_with(kill, "nsubjpass") or (
        children_with(kill, "dobj") if kill.lemma_ != "die" else []
    )
    if not victims and kill.dep_ in {"acl", "amod", "advcl"} and kill.head.pos_ in {"NOUN", "PROPN"}:
        victims = [kill.head]
    if not victims and kill.dep_ == "conj" and kill.head.pos_ == "VERB" and not children_with(kill, "nsubj"):
        victims = children_with(kill.head, "nsubjpass")  # '1 soldier was kidnapped and killed'
    if not victims and kill.dep_ in {"xcomp", "oprd"} and kill.tag_ == "VBN":
        victims = children_with(kill.head, "nsubjpass")  # 'two soldiers were reported killed'
    if not victims and (kill.lemma_ == "die" or not children_with(kill, "dobj", "ccomp", "xcomp")):
        victims = children_with(kill, "nsubj")  # '3 died'; headline style 'Policeman killed in blast'
    if victims and victims[0].dep_ == "dobj":  # 'killing 3 policemen, and 2 militants': a noun the
        victims += [  # parser made a conjunct of the verb is one more object
            c for c in children_with(kill, "conj") if c.pos_ in {"NOUN", "PROPN"} and _counted(c) is not None
        ]
    expanded: list[Token] = []
    for victim in [*victims, *companions(kill, victims)]:
        expanded += [t for t in without_breakdown(counted_list(victim)) if t not in expanded]
    totals = [t for member in expanded for t in member.subtree if _stated_total(t)]
    return totals[:1] or expanded


def _stated_total(noun: Token) -> bool:
    """'killing 34 civilians, 6 soldiers and the bomber (41 total fatalities)': the count that sums up
    the list it stands beside is the toll, not one more item of it."""
    return (
        noun.dep_ == "appos"
        and _counted(noun) is not None
        and any(c.dep_ == "amod" and c.lower_ in {"total", "overall"} for c in noun.children)
    )


def counted_list(noun: Token) -> list[Token]:
    """Every conjunct, and a counted apposition the parser made of a list's second item: in
    '2 soldiers, 1 policeman and 1 civilian' it often hangs '1 policeman' off 'soldiers' as appos."""
    members = coordination(noun)
    for member in members:  # grows as it goes: '12 guests, 3 guards and 2 attackers (17 total deaths)'
        for appos in [c for c in member.children if c.dep_ == "appos" and _counted(c)]:
            members += [t for t in coordination(appos) if t not in members]
        members += [t for t in _after_inclusion(member) if t not in members]
    return sorted(members, key=lambda t: t.i)


def _after_inclusion(member: Token) -> list[Token]:
    """'45 policemen, including a police chief and his deputy, and 8 election officers': the parser
    puts '8 election officers' in the 'including' phrase, but the comma before its 'and' closes that
    phrase, when what came before in it was one item or two joined by 'and' (in 'including two
    officers, three women, and 5 children' it is the last of a list, and included)."""
    doc = member.doc
    follows = member.right_edge.i + 1
    preps = children_with(member, "prep") + [  # or hung on the verb: 'killing 45 policemen, including'
        p for p in children_with(member.head, "prep") if p.i == follows + 1 and doc[follows].text == ","
    ]
    for prep in preps:
        if prep.lower_ != "including":
            continue
        for item in children_with(prep, "pobj"):
            inner = coordination(item)
            closing = next((i for i in range(1, len(inner)) if _closes_inclusion(inner, i)), None)
            if closing is not None:
                return inner[closing:]
    return []


def _closes_inclusion(items: list[Token], index: int) -> bool:
    """Whether ', and' before items[index] ends the 'including' list: one item or two joined by 'and'
    before it, and a count of its own."""
    doc = items[index].doc
    start = items[index].left_edge.i
    comma_and = start >= 2 and doc[start - 1].lower_ == "and" and doc[start - 2].text == ","
    joined = index == 1 or doc[items[index - 1].left_edge.i - 1].lower_ == "and"
    return comma_and and joined and _counted(items[index]) is not None


def without_breakdown(members: list[Token]) -> list[Token]:
    """'3 civilians, 1 woman and 2 men, were killed': a total of people broken down between commas
    into kinds of people is counted once, by its total; '2 soldiers, 1 policeman and 1 civilian,
    officials said, were killed' is a list, whatever follows it."""
    if len(members) < 3 or members[0].nbor(1).text != ",":
        return members
    if members[0].lemma_.lower() not in BROKEN_DOWN_TOTALS or any(
        part.lemma_.lower() not in BREAKDOWN_PARTS for part in members[1:]
    ):
        return members
    counts = [_counted(member) for member in members]
    if any(count is None for count in counts):
        return members
    total, *parts = [count.value for count in counts if count is not None]
    return members[:1] if total == sum(parts) else members


def companions(kill: Token, victims: list[Token]) -> list[Token]:
    """'killed a district chief along with 3 other militants', 'together with his two guards'."""
    found: list[Token] = []
    for word in [kill, *victims]:
        for adverb in word.children:
            if adverb.dep_ in {"prep", "advmod"} and adverb.lower_ in {"along", "together"}:
                found += [
                    o
                    for p in children_with(adverb, "prep")
                    if p.lower_ == "with"
                    for o in p.children
                    if o.dep_ == "pobj"
                ]
    return found


def coordination(noun: Token) -> list[Token]:
    """'one policeman and one insurgent [killed]': every conjunct, whichever one the parser chose."""
    first = noun
    while first.dep_ == "conj" and first.head != first and first.head.pos_ in {"NOUN", "PROPN", "PRON"}:
        first = first.head
    members, queue = [first], [first]
    while queue:
        current = queue.pop()
        conjuncts = [c for c in current.children if c.dep_ == "conj" and _nominal(c)]
        members += conjuncts
        queue += conjuncts
    return sorted(members, key=lambda t: t.i)


def _nominal(token: Token) -> bool:
    """A noun, or a number that stands for one: '1 militant and 3 of his sons'."""
    return token.pos_ in {"NOUN", "PROPN", "PRON"} or (
        token.pos_ == "NUM" and any(c.lower_ == "of" for c in children_with(token, "prep"))
    )


def number_text(noun: Token) -> str | None:
    """'more than 300 Afghan forces' → 'more than 300'; 'one policeman' → 'one'."""
    if noun.like_num or noun.lower_ in {"dozens", "hundreds", "thousands", "scores"}:
        return " ".join(t.text for t in noun.subtree if t.dep_ != "prep" and t.i <= noun.i)
    for child in noun.children:
        if child.dep_ == "nummod" or (child.dep_ == "amod" and child.like_num):
            return " ".join(t.text for t in child.subtree)
    for child in noun.children:
        if child.dep_ in {"amod", "det"} and child.lower_ in VAGUE_COUNTS:
            return child.lower_  # 'several insurgents'
    if (noun.lower_ in VAGUE_COUNTS or noun.lower_ in VAGUE_COUNT_NOUNS) and prep_objects(noun, {"of"}):
        return noun.lower_  # 'several of them', 'a number of insurgents'
    for child in noun.children:
        if (
            child.dep_ == "prep"
            and child.lower_ == "of"
            and noun.lower_ in {"dozens", "hundreds", "thousands"}
        ):
            return noun.text
    for child in children_with(noun, "nmod", "compound"):
        if children_with(child, "cc"):  # '10 IS and Taliban fighters': the count on the first of two names
            for count in children_with(child, "nummod"):
                return count.text
    before = noun.left_edge.i
    if before >= 2 and noun.doc[before - 1].lower_ in HEDGED and noun.doc[before - 2].like_num:
        return noun.doc[before - 2].text  # '11 assumed Taliban militants', read as '11 assumed (that) ...'
    return None


# Hedges between a count and what it counts, which the parser may take for the verb: '11 assumed militants'.
HEDGED = words("assumed suspected alleged presumed")


def _entity_or_group_key(token: Token, table: EntityTable, shared: Token | None = None) -> str | None:
    key = table.key_at(token)
    if key is None:
        modifiers = [c for c in token.children if c.dep_ in {"compound", "poss", "amod", "nmod"}]
        key = next((table.key_at(c) for c in modifiers if table.key_at(c)), None)
        if key and key.startswith("location:") and token.lemma_.lower() in GROUP_NOUNS:
            key = None
    if key is None:
        named = [table.key_at(c) for c in token.children if c.dep_ == "appos"]
        key = next((k for k in named if k), None)  # 'the paramilitary Rapid Support Forces'
    if key is None and token.lemma_.lower() in GROUP_NOUNS:
        key = _group_key(token, table, shared)
    if key is None and token.lemma_.lower() in POST_NOUNS:
        key = _post_holder(token, table)
    if key is None and token.lemma_.lower() in WEAPON_NOUNS:
        key = _weapon_owner(token, table)
    return key


def _post_holder(post: Token, table: EntityTable) -> str | None:
    """'the local police checkpoint', "the army's base": the unit that holds the post."""
    for modifier in post.children:
        if modifier.dep_ in {"compound", "poss"} and modifier.lemma_.lower() in GROUP_NOUNS:
            return _group_key(modifier, table)
    return None


def _weapon_owner(weapon: Token, table: EntityTable) -> str | None:
    """'A Russian missile struck': the state whose weapon it is, when the article names that state."""
    for modifier in weapon.children:
        country = table.demonym_countries.get(modifier.i)
        if country and entity_key("location", country) in table.entities:
            return entity_key("location", country)
    return None


def participant_keys(head: Token, table: EntityTable) -> list[str]:
    """Entities or groups named by a noun phrase and its conjuncts; states act, but districts and towns
    are where things happen, not who. 'The NATO chief, Jens Stoltenberg': the person, then NATO."""
    keys: list[str] = []
    shared = _nationality(head_noun(head), table)  # 'Afghan army and police': Afghan police too
    for token in [head, *[c for c in head.children if c.dep_ == "conj"]]:
        noun = head_noun(token)
        key = _entity_or_group_key(noun, table, shared if token is not head else None)
        if key is None and _is_pronoun_phrase(token):
            keys += [k for k in speaker_keys(token, table) if k not in keys]
            continue
        named = [table.key_at(c) for c in noun.children if c.dep_ == "appos"]
        persons = [k for k in named if k and k.startswith("person:") and k != key]
        states = _represented_states(noun, table) if key is None else []
        for found in [*persons, key, *states]:
            if (
                found
                and found not in keys
                and (not found.startswith("location:") or table.place_kind(found) == "country")
            ):
                keys.append(found)
    return keys


def _represented_states(office: Token, table: EntityTable) -> list[str]:
    """'the national security advisers of India and Pakistan': the states, when nothing else names
    the office holders."""
    if office.lemma_.lower() not in OFFICE_NOUNS:
        return []
    named = prep_objects(office, {"of"})
    named += [c for o in named for c in o.children if c.dep_ == "conj"]
    keys = [table.key_at(o) for o in named]
    return [k for k in keys if k and k.startswith("location:") and table.place_kind(k) == "country"]


def _nationality(noun: Token, table: EntityTable) -> Token | None:
    """The demonym or country that qualifies a group noun: 'Afghan' in 'Afghan army'."""
    for child in noun.children:
        if child.dep_ in {"amod", "compound"} and child.i < noun.i and child.i in table.demonym_countries:
            return child
    return None


def _is_pronoun_phrase(token: Token) -> bool:
    """'it', 'they', or 'its aircraft', 'their fighters'."""
    if token.pos_ == "PRON":
        return token.lower_ in {"it", "they", "we"}
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their", "our"} for c in token.children)


def is_state_force(key: str) -> bool:
    """'Afghan forces', 'government troops', 'the army': a group named as a state's forces."""
    if not key.startswith("group:"):
        return False
    names = key.removeprefix("group:").split()
    non_state = any(name in NON_STATE_WORDS or name.startswith(("pro-", "anti-")) for name in names)
    return names[-1] in STATE_FORCE_NOUNS and not non_state


def is_company(key: str, table: EntityTable, text: str) -> bool:
    """An organisation whose name ends in a legal form ('Transco Energy Co') or that the wire puts in
    angle brackets ('<Airbus Industrie>')."""
    entity = table.entities.get(key)
    if entity is None:
        return False
    if any(start > 0 and text[start - 1] == "<" for start, _ in entity.mentions):
        return True  # whatever the model took it for
    last = entity.name.replace(".", " ").split()[-1:]
    return entity.type == "organization" and bool(last) and last[0].lower() in LEGAL_FORMS


def speaker_keys(token: Token, table: EntityTable) -> list[str]:
    """'The RSF said it had taken control': the pronoun is the speaker of the report it sits in."""
    for ancestor in token.ancestors:
        if ancestor.lemma_ in SPEECH_VERBS:
            speaker = clause_subject(ancestor)
            if speaker is None or speaker.pos_ == "PRON":
                return []
            return participant_keys(speaker, table)
    return []


def _group_key(noun: Token, table: EntityTable, shared: Token | None = None) -> str:
    """A group named as the text names it, without its count: 'more than 300 Afghan forces' → 'Afghan
    forces', 'police personnel' → 'police'; a conjunct takes the first one's nationality."""
    counted = {
        t.i for c in noun.children if c.dep_ in {"nummod", "quantmod", "det", "predet"} for t in c.subtree
    }
    left = [
        t
        for t in noun.subtree
        if t.i <= noun.i
        and t.i not in counted
        and (t.dep_ in GROUP_NAME_DEPS or (t.dep_ == "poss" and t.ent_type_))
    ]  # 'Afghan army and police personnel', "Israel's military"
    start = min([t.i for t in left] + [noun.i])
    doc = noun.doc
    while start < noun.i and (
        doc[start].like_num or doc[start].i in counted or doc[start].lower_ in QUANTITY_WORDS
    ):
        start += 1
    end = noun.i + 1
    modifier = doc[noun.i - 1] if noun.i > start else None
    if (
        noun.lemma_.lower() in GENERIC_GROUP_HEADS
        and modifier is not None
        and modifier.dep_ == "compound"
        and modifier.lemma_.lower() in GROUP_NOUNS
    ):
        end = noun.i
    span = doc[start:end]
    name = " ".join(span.text.split())
    if shared is not None and _nationality(noun, table) is None and shared.i < start:
        name = f"{shared.text} {name}"
    return table.add(entity_key("group", name), name, "group", span)


def _object_and_prep_roles(trigger: Trigger, table: EntityTable) -> tuple[list[str], list[str]]:
    token = trigger.token
    actors: list[str] = []
    targets: list[str] = []
    # 'conducted operations (with air support) against militants': 'against' hung off the noun
    carried = [p for p in against_phrases(token) if p.head.i != token.i] if token.pos_ == "NOUN" else []
    for child in [*token.children, *carried]:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            actors += [k for c in child.children if c.dep_ == "pobj" for k in participant_keys(c, table)]
        elif child.dep_ == "prep" and child.lower_ in {"to", "with", "on", "against"}:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                if child.lower_ == "with" and _casualty_phrase(pobj):
                    continue  # 'attacked ..., with one policeman killed': the toll, not a party
                keys = participant_keys(pobj, table)
                if token.lemma_ == "fall" and child.lower_ == "to":
                    actors += keys
                elif trigger.type not in {"border_crossing", "withdrawal"}:
                    talk = trigger.type == "diplomatic_meeting"
                    targets += [k for k in keys if not k.startswith("location:") or talk]
        elif child.dep_ in {"compound", "poss"} and token.pos_ == "NOUN":
            actors += participant_keys(child, table)
        elif child.dep_ == "dobj" and trigger.type not in {
            "territory_captured",
            "withdrawal",
            "border_crossing",
        }:
            targets += [k for k in participant_keys(child, table) if not k.startswith("location:")]
    if trigger.type in {"armed_clash", "riot"} and not actors and _told_as_noun(token):
        sides = fight_side_keys(token, table)
        actors, targets = sides[:1], targets + sides[1:]
    return actors, targets


def _told_as_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" or token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}  # 'Fighting between'


def fight_side_keys(noun: Token, table: EntityTable) -> list[str]:
    """The sides of 'clashes between the army and rebels' or 'between rival supporters', in order."""
    keys: list[str] = []
    for member in (m for side in fight_sides(noun) for m in coordination(side)):
        word = head_noun(member)
        key = _entity_or_group_key(word, table)
        if key is None and word.lemma_.lower() in RIOTING_CROWDS:
            key = _group_key(word, table)
        if key and (not key.startswith("location:") or table.place_kind(key) == "country"):
            keys.append(key)
    return list(dict.fromkeys(keys))


def _casualty_phrase(noun: Token) -> bool:
    return any(
        c.dep_ in {"acl", "amod"} and c.lemma_ in CASUALTY_LEMMAS
        for t in coordination(noun)
        for c in t.children
    )


def _light_verb_subject(noun: Token, event_type: str) -> Token | None:
    """'China began exercises', 'the two sides held talks': the doer of a noun event; and who was at a
    meeting: 'Stoltenberg praised the forces during a news conference with Ghani'."""
    verb = governing_verb(noun)
    if verb == noun or noun not in verb.subtree:
        return None
    attended = (
        event_type == "diplomatic_meeting"
        and noun.dep_ == "pobj"
        and noun.head.lower_ in {"during", "at", "after", "before", "following"}
        and noun.head.head == verb
    )
    if verb.lemma_ not in LIGHT_VERBS and not attended:
        return None
    subjects = children_with(verb, "nsubj")
    return subjects[0] if subjects and noun not in subjects[0].subtree else None


def _gerund_subject(verb: Token) -> Token | None:
    """'resulting in government forces retreating': the noun just before a gerund the parser hung apart."""
    if verb.tag_ != "VBG" or verb.dep_ != "advcl" or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    return before if before.dep_ == "pobj" and before.head.head == verb.head else None


def roles(trigger: Trigger, table: EntityTable) -> tuple[list[str], list[str]]:
    token = trigger.token
    actors, targets = _object_and_prep_roles(trigger, table)
    subject = (
        clause_subject(token) or _gerund_subject(token)
        if token.pos_ in {"VERB", "AUX"}
        else _light_verb_subject(token, trigger.type)
    )
    if subject is not None:
        subject_keys = participant_keys(subject, table)
        if not subject_keys and trigger_type(subject) in {"armed_clash", "riot"} and _told_as_noun(subject):
            sides = fight_side_keys(subject, table)  # 'clashes between X and Y killed four'
            subject_keys, targets = sides[:1], targets + sides[1:]
        if subject.dep_ == "nsubjpass" or (token.lemma_ == "die" and subject.dep_ == "nsubj"):
            targets += subject_keys if trigger.type in PASSIVE_TARGET_TYPES else []  # '22 people died'
        elif not actors or token.pos_ in {"VERB", "AUX"}:
            actors += subject_keys
    if not actors and trigger.type in {"diplomatic_meeting", "statement", "negotiation"}:
        actors += speaker_keys(token, table)
    if trigger.type == "protest" and token.lemma_ in POLICING_VERBS:
        actors, targets = _policed_protest_roles(token, table)
    elif (
        trigger.type in {"protest", "riot"}
        and not actors
        and (crowd := protest_crowd(token, trigger.type)) is not None
    ):
        members = CROWD_MEMBERS | RIOTING_CROWDS
        crowd = share_of(crowd)  # 'some of the protesters'
        if crowd.lower_ in {"they", "them"}:
            crowd = crowd_told_before(crowd)  # 'thousands marched ... some of them threw stones'
        actors += _crowd_keys(crowd, table) if head_noun(crowd).lemma_.lower() in members else []
    if trigger.type in {"attack", "violence_against_civilians"}:
        targets += [k for shot in _shot(token) for k in _shot_keys(shot, table)]
    if trigger.type == "riot":
        actors, targets = _rioters_first(actors, targets)
    return list(dict.fromkeys(actors)), [k for k in dict.fromkeys(targets) if k not in actors]


def _rioters_first(actors: list[str], targets: list[str]) -> tuple[list[str], list[str]]:
    """'Police clashed with protesters', 'battles between police and workers': the riot is the crowd's,
    the police its other side, as coders name them."""
    crowd = [k for k in targets if not is_state_force(k)]
    if not actors or not crowd or not all(is_state_force(k) for k in actors):
        return actors, targets
    return crowd, actors + [k for k in targets if k not in crowd]


def protest_crowd(token: Token, event_type: str) -> Token | None:
    """Who protested or rioted: 'thousands marched', 'lawyers held a demonstration', 'farmers blocked
    roads to protest', the crowd police met ('fired tear gas at 200 protesters'), and who threw what
    police use ('some of the protesters threw stones')."""
    if token.lemma_ in POLICING_VERBS and event_type == "protest":
        return next(iter(policed_crowds(token)), None)
    if token.pos_ not in {"VERB", "AUX"}:
        return _light_verb_subject(token, "protest")
    if doers := agents(token):
        return doers[0]  # 'police were pelted with stones by youths'
    subject = clause_subject(token)
    if subject is None and token.dep_ in {"advcl", "xcomp"} and token.head.pos_ == "VERB":
        return clause_subject(token.head)
    return subject


def _shot(token: Token) -> list[Token]:
    return opened_fire_on(token) if token.pos_ == "NOUN" else shot_at(token)


def _shot_keys(shot: Token, table: EntityTable) -> list[str]:
    """Who was shot at: 'a patrol' names no one; 'worshippers' and 'a crowd of mourners' are a group."""
    if head_noun(shot).lemma_.lower() in PROTEST_GATHERINGS:
        return _crowd_keys(shot, table)  # 'opened fire on a rally by opposition supporters'
    keys = participant_keys(shot, table)
    return keys or ([_group_key(head_noun(shot), table)] if unarmed(shot) else [])


def _policed_protest_roles(token: Token, table: EntityTable) -> tuple[list[str], list[str]]:
    """'Police fired tear gas at demonstrators', 'protesters were dispersed by riot police', 'fired
    tear gas to disperse the crowd': the crowd protested (the actors), the police met it (the target)."""
    actors = [k for crowd in policed_crowds(token) for k in _crowd_keys(crowd, table)]
    doing = token.head if token.dep_ in {"advcl", "xcomp"} and token.head.pos_ == "VERB" else token
    subject = clause_subject(doing)
    police = [subject] if subject is not None and subject.dep_ == "nsubj" else []
    police += [
        o
        for verb in dict.fromkeys([token, doing])
        for a in children_with(verb, "agent")
        for o in children_with(a, "pobj")
    ]
    return actors, [k for p in police for k in participant_keys(p, table)]


def _crowd_keys(crowd: Token, table: EntityTable) -> list[str]:
    """'opposition supporters', 'the crowd', and who held 'a rally by opposition supporters'."""
    noun = head_noun(crowd)
    if noun.lemma_.lower() in PROTEST_GATHERINGS:  # 'by' may hang on the verb: 'dispersed a rally by'
        holders = prep_objects(noun, {"by", "of"}) or (
            prep_objects(noun.head, {"by"}) if noun.dep_ == "dobj" else []
        )
        return [k for p in holders for k in _crowd_keys(p, table)]
    return participant_keys(crowd, table) or [_group_key(noun, table)]


def _in_same_report(token: Token, trigger: Token) -> bool:
    """Whether token belongs to the trigger's clause or its adjuncts, not to a reported or relative one."""
    current = token
    while current != trigger and current.head != current:
        if current.dep_ in REPORT_DEPS or current.lemma_ in SPEECH_VERBS:
            return False
        current = current.head
    return current == trigger


def _opponent_phrases(word: Token, trigger: Token) -> list[Token]:
    """'battles with X', 'an advance by X', "X's offensive", 'fell to X', 'retreated from X'."""
    lemma = word.lemma_.lower()
    found: list[Token] = []
    for child in word.children:
        if child.dep_ == "prep":
            hostile = lemma in HOSTILE_WORDS and child.lower_ in {"with", "against", "by"}
            fell = lemma == "fall" and child.lower_ == "to" and word != trigger
            retreat = word == trigger and lemma in RETREAT_LEMMAS and child.lower_ == "from"
            if hostile or fell or retreat:
                found += children_with(child, "pobj")
        elif child.dep_ in {"poss", "compound"} and lemma in HOSTILE_WORDS and word.pos_ == "NOUN":
            found.append(child)
    return found


def _clash_parties(trigger: Token) -> list[Token]:
    """'X and Y clashed, resulting in Z retreating': the sides of the clash a withdrawal came out of."""
    current = trigger
    for _ in range(2):
        if current.dep_ != "advcl" or current.head == current:
            return []
        current = current.head
        if current.lemma_.lower() in HOSTILE_WORDS and current.pos_ == "VERB":
            return children_with(current, "nsubj")
    return []


def _group_head(key: str) -> str:
    return key.split()[-1] if key.startswith("group:") else key


def opponents(trigger: Trigger, actors: list[str], table: EntityTable) -> list[str]:
    """The other side of a withdrawal, a capture or a flight: 'pulled out of X following months of
    battles with the Taliban', 'troops withdrew after the town fell to the Taliban'; not the actors'
    own side ('Afghan forces' beside 'government forces')."""
    if trigger.type not in OPPONENT_TYPES:
        return []
    token = trigger.token
    scope = [t for t in token.subtree if _in_same_report(t, token)]
    if token.dep_ == "advcl":
        scope.append(token.head)  # 'the town fell to X after the army pulled out'
    phrases = [phrase for word in scope for phrase in _opponent_phrases(word, token)]
    keys: list[str] = []
    for phrase in phrases + _clash_parties(token):
        keys += [k for k in participant_keys(phrase, table) if not k.startswith("location:")]
    own_side = {_group_head(k) for k in actors}
    return [k for k in dict.fromkeys(keys) if k not in actors and _group_head(k) not in own_side]


def _dead_or_alive(kill: Token) -> bool:
    """'killed or wounded 1,500 soldiers', 'killed, wounded or captured': a count of the dead and the
    living together is no death toll."""
    joined = [kill.head] if kill.dep_ == "conj" else []
    joined += children_with(kill, "conj")
    conjunctions = {c.lower_ for t in [kill, *joined] for c in children_with(t, "cc")}
    return "or" in conjunctions and any(t.lemma_ in {"wound", "injure", "capture"} for t in joined)


def one_person(noun: Token) -> bool:
    """An uncounted singular victim that names one person: 'a policeman', 'the district chief',
    'Ahmad Shah', a headline's bare 'soldier', 'him'; not a place ('the Pul I Alam district') nor a bare
    word a parser took for one ('Detonation: ... were killed')."""
    if noun.ent_type_ == "PERSON" or (noun.tag_ in {"NN", "NNP"} and noun.lower_ in PERSON_NOUNS):
        return True
    if noun.lower_ in {"him", "her"}:
        return True  # 'fired at the man and killed him'
    if noun.tag_ != "NN" or noun.lemma_.lower() in TERRITORY_NOUNS or noun.ent_type_ in {"GPE", "LOC", "FAC"}:
        return False
    if noun.lemma_.lower() in QUANTITY_NOUNS:
        return False  # 'a group of soldiers', 'a number of insurgents': more than one
    return any(child.dep_ in {"det", "poss", "compound", "amod", "nmod"} for child in noun.children)


def dead_count_tokens(word: Token) -> list[Token]:
    """The nouns that count the dead of 'dead' or 'death': '12 people were dead', 'were found dead',
    'leaving 15 people dead'; '12 civilian deaths', 'the deaths of three soldiers'."""
    if word.lower_ == "dead" and children_with(word, "nummod"):
        victims = [word]  # 'left 12 dead'
    elif word.lower_ == "dead":
        victims = children_with(word.head, "nsubj", "nsubjpass", "dobj")
    elif any(c.dep_ == "nummod" for c in word.children):
        victims = [word]
    else:
        victims = prep_objects(word, {"of"})
    return [t for victim in victims for t in without_breakdown(counted_list(victim))]


def _fatalities(trigger: Trigger) -> Quantity | None:
    fatalities: Quantity | None = None
    counted: set[int] = set()  # a noun two kill words share is counted once: 'killing ... (17 total deaths)'
    for kill in [trigger.token, *trigger.consumed]:
        if (
            kill.lemma_ not in {"kill", "die"}
            and kill.lemma_ in KILLING_LEMMAS
            and trigger_type(kill) is None
        ):
            continue  # 'neutralised 12 landmines' killed nobody
        if kill.lemma_ in KILLING_LEMMAS and not _dead_or_alive(kill):
            victims = victims_count_tokens(kill)
        elif kill.lower_ == "dead" or kill.lemma_ == "death":
            victims = dead_count_tokens(kill)
        else:
            continue
        for victim in [v for v in victims if v.i not in counted]:
            counted.add(victim.i)
            text = number_text(victim)
            count = parse_quantity(text) if text else None
            if count is None and one_person(victim):
                count = Quantity(1, "exact")
            fatalities = add_quantities(fatalities, count)
    reached = death_toll_reached(trigger.token) if fatalities is None else None
    reached_text = number_text(reached) if reached is not None else None
    if reached_text:  # 'the death toll from Sunday's attack rose to 21'
        fatalities = parse_quantity(reached_text)
    return fatalities


def _counted(noun: Token | None) -> Quantity | None:
    text = number_text(noun) if noun is not None else None
    return parse_quantity(text) if text else None


def _people(trigger: Trigger, subject: Token | None) -> Quantity | None:
    """How many took part: the doers ('20 fighters attacked', '4,000 people crossed'), or for arrests
    the detained ('arrested 37 people'); the dead of a passive kill are fatalities, not people."""
    if trigger.type == "arrest":
        detained = children_with(trigger.token, "dobj", "nsubjpass")
        return _counted(detained[0]) if detained else None
    if subject is None or trigger.type in {"statement", "diplomatic_meeting"}:
        return None
    if subject.dep_ == "nsubjpass" and (
        trigger.token.lemma_ in CASUALTY_LEMMAS or trigger.type in PASSIVE_TARGET_TYPES
    ):
        return None  # the dead, the shot or the attacked: victims, not doers
    return _counted(subject) or _counted(head_noun(subject))  # 'a group of 20 fighters'


def event_counts(trigger: Trigger, subject: Token | None) -> tuple[Quantity | None, Quantity | None]:
    return _fatalities(trigger), _people(trigger, subject)


def summary(
    event_type: str, actors: list[str], targets: list[str], place: str | None, table: EntityTable
) -> str:
    def names(keys: list[str]) -> str:
        return ", ".join(table.entities[k].name for k in keys if k in table.entities)

    text = event_type.replace("_", " ")
    if actors:
        text = f"{names(actors)}: {text}"
    if targets:
        text += f" against/with {names(targets)}"
    return text + (f" in {place}" if place else "")
