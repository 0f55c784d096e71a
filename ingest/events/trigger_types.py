"""Which words trigger an event, and of what type: a lemma from the lexicon, checked by a rule that reads
its arguments ('took control of X' is a capture, 'took part' is not)."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Span, Token

from ingest.events.clauses import (
    against_phrases,
    children_with,
    clause_subject,
    fight_sides,
    has_word,
    prep_objects,
)
from ingest.events.quantities import VAGUE_COUNTS
from ingest.lexicon import (
    ACCIDENT_NOUNS,
    ACCIDENT_VERBS,
    AID_NOUNS,
    BUSINESS_WORDS,
    CAPTIVE_NOUNS,
    CASUALTY_LEMMAS,
    CIVILIAN_NOUNS,
    CONFLICT_WORDS,
    CROWD_MEMBERS,
    GROUP_NOUNS,
    GROWING_AMOUNTS,
    HUMANITARIAN_WORDS,
    KILLING_LEMMAS,
    MILITARY_NOUNS,
    NON_MILITARY_FOES,
    NON_STATE_WORDS,
    NOUN_TRIGGERS,
    PERSON_NOUNS,
    PROTEST_GATHERINGS,
    PROTEST_WORDS,
    PROTESTER_NOUNS,
    QUANTITY_NOUNS,
    REMOTE_WEAPONS,
    RIOT_TARGETS,
    RIOTING_CROWDS,
    STATE_FORCE_NOUNS,
    STRIKE_OBJECTS,
    TERRITORY_NOUNS,
    THROWN_BY_CROWDS,
    TRUCE_WORDS,
    VEHICLE_NOUNS,
    VERB_TRIGGERS,
    WEAPON_NOUNS,
)
from ingest.nlp import words

Rule = Callable[[Token, str], str | None]  # (trigger token, lexicon type) → type or None
EXERCISE_MODIFIERS = words("military joint naval war army live air")


def _preps(token: Token) -> dict[str, Token]:
    return {child.lower_: child for child in token.children if child.dep_ == "prep"}


def _particles(token: Token) -> set[str]:
    return {
        child.lower_ for child in token.children if child.dep_ == "prt" or child.lower_ in {"out", "back"}
    }


def head_noun(noun: Token) -> Token:
    """'thousands of protesters' → protesters; 'a crowd of students' → students."""
    if noun.lemma_.lower() in QUANTITY_NOUNS or noun.like_num:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objects = children_with(prep, "pobj")
                if objects:
                    return objects[0]
    return noun


def _fall(token: Token, event_type: str) -> str | None:
    """'The town fell to the Taliban', 'fell to rebel fighters'; not 'the Dow fell 508 points to 1,738'
    nor 'unemployment fell to an eight-year low'."""
    to = _preps(token).get("to")
    return event_type if to is not None and any(map(_a_side, children_with(to, "pobj"))) else None


# Sides a place can fall to beside forces and armed groups: 'fell to the enemy', 'to the militant group'.
SIDE_NOUNS = words("enemy group insurgency coalition alliance")


def _a_side(noun: Token) -> bool:
    """A party that can take ground: a named group, people or state, or forces, rebels, militants."""
    noun = head_noun(noun)
    lemma = noun.lemma_.lower()
    named = noun.ent_type_ in {"ORG", "NORP", "PERSON", "GPE"}
    return named or lemma in CONFLICT_WORDS | GROUP_NOUNS | NON_STATE_WORDS | SIDE_NOUNS


def _take(token: Token, event_type: str) -> str | None:
    if any(o.lemma_.lower() == "street" for o in prep_objects(token, {"to"})):
        return _crowd_took_to_streets(token)
    objects = children_with(token, "dobj")
    if any(o.lemma_ == "custody" for o in prep_objects(token, {"into"})):
        return "arrest" if objects or children_with(token, "nsubjpass") else None  # 'took 3 men into custody'
    if any(_of_a_business(o) for o in objects):
        return None
    if any(o.lemma_ in {"control", "territory"} for o in objects):
        return event_type
    # 'took over 3 posts': the parser may read 'over 3' as 'more than 3'
    over = "over" in _particles(token) or (token.i + 1 < len(token.doc) and token.nbor().lower_ == "over")
    if over and (not objects or any(_is_place(o) for o in objects)):
        return event_type  # 'took over the town', not 'took over the investigation'
    return None


def _crowd_took_to_streets(token: Token) -> str | None:
    """'Protesters took to the streets', 'thousands took to the streets of Bogota', 'Kenyans took to
    the streets': a protest; not 'troops took to the streets'."""
    subject = clause_subject(token)
    if subject is None or not _a_crowd(subject):
        return None
    purposes = children_with(token, "advcl", "xcomp") + prep_objects(token, {"for"})
    return "protest" if not purposes or _protest_purpose(token) else None  # not 'to celebrate the win'


def _a_crowd(subject: Token) -> bool:
    """Who protests by being there: 'protesters', 'farmers', 'opposition supporters', 'Kenyans', or a
    count standing for people: 'thousands', 'about 500', 'thousands of men'."""
    counted = _antecedent(subject)
    if counted.lemma_.lower() in QUANTITY_NOUNS - {"group", "number"} and not children_with(counted, "det"):
        return True
    noun = head_noun(counted)
    lemma = noun.lemma_.lower()
    if lemma in CROWD_MEMBERS or (noun.ent_type_ == "NORP" and noun.tag_ in {"NNPS", "NNS"}):
        return True
    if noun is not head_noun(noun) or children_with(noun, "det"):  # not 'the two'
        return False
    many = noun.like_num and noun.text.replace(",", "").isdigit() and int(noun.text.replace(",", "")) >= 10
    return lemma in QUANTITY_NOUNS - {"group", "number"} or many  # 'thousands', 'about 500'


def _of_a_business(noun: Token) -> bool:
    """'control of a Canadian-led consortium', 'taking control of Cyclops': a company, not ground."""
    if noun.lemma_ != "control":
        return False
    owned = prep_objects(noun, {"of"}) + prep_objects(noun, {"over"})
    return any(o.ent_type_ == "ORG" or o.lemma_.lower() in BUSINESS_WORDS for o in owned)


def _is_place(noun: Token) -> bool:
    return _names_a_place(noun) or has_word(noun, TERRITORY_NOUNS)


# 'check points', 'security points', 'military points': posts, as South Asian reporters write them.
POST_POINT_MODIFIERS = words("check security military police army")


def _names_a_place(noun: Token) -> bool:
    """The word itself, not its phrase: 'a request to close a base' names no place."""
    if noun.ent_type_ in {"GPE", "LOC", "FAC"}:
        return True  # a named place, 'Point Fortin' too
    if noun.lemma_.lower() == "point":
        modifiers = {c.lower_ for c in noun.children if c.dep_ in {"compound", "amod"}}
        return bool(modifiers & POST_POINT_MODIFIERS) or _in_a_district(noun)
    return noun.lemma_.lower() in TERRITORY_NOUNS


def _in_a_district(point: Token) -> bool:
    """'overtook 7 points in Dand Wa Patan district': bare points are posts in a district (not 'the
    Dow fell 5 points'), read from the words, as the parser often breaks the phrase."""
    doc, end = point.doc, point.i + 2
    if end >= len(doc) or doc[point.i + 1].lower_ != "in":
        return False
    while end < len(doc) and doc[end].is_title:
        end += 1
    return end > point.i + 2 and end < len(doc) and doc[end].lower_ in {"district", "province"}


def _is_captive(noun: Token) -> bool:
    """'captured a Taliban facilitator', 'seized two suspects': people, not ground."""
    return noun.ent_type_ == "PERSON" or head_noun(noun).lemma_.lower() in CAPTIVE_NOUNS


def _seize(token: Token, event_type: str) -> str | None:
    objects = children_with(token, "dobj") or children_with(token, "nsubjpass")
    if not objects and token.dep_ in {"acl", "amod"} and token.head.pos_ in {"NOUN", "PROPN"}:
        objects = [token.head]  # 'fishing vessels seized by Iran', 'the airstrip captured by troops'
    if not objects:
        if _among_casualties(token) or clause_subject(token) is None:
            return None  # 'troops killed, wounded or captured', 'and another 289 captured'
        shared = _later_conjunct_object(token)
        shared_noun = head_noun(shared[0]).lemma_.lower() if shared else ""
        if shared_noun in CAPTIVE_NOUNS | VESSELS:  # a name the model tags a person may be a town
            return None  # 'attacked, seized and sank a ship', 'captured or killed 80 leaders since January'
        return event_type if token.lemma_ != "capture" or "to" not in _preps(token) else None
    if _is_captive(objects[0]):
        return "arrest"
    if _are_arms(objects[0]):
        return _weapons_disrupted(token, event_type)  # 'seized 52 rockets and 5 rifles from the Taliban'
    return event_type if _is_place(objects[0]) else None


VESSELS = words("ship vessel boat gunboat tanker freighter trawler dhow ferry")


def _later_conjunct_object(verb: Token) -> list[Token]:
    """The object a verb shares with the verbs joined after it: 'attacked, seized, and sank an
    Iranian ship' (the parser hangs 'ship' on 'sank' only)."""
    for conjunct in children_with(verb, "conj"):
        if conjunct.pos_ == "VERB":
            return children_with(conjunct, "dobj") or _later_conjunct_object(conjunct)
    return []


def _among_casualties(verb: Token) -> bool:
    """'killed, wounded or captured': people taken in a fight, told with its toll."""
    current = verb
    while current.dep_ == "conj":
        current = current.head
        if current.lemma_.lower() in CASUALTY_LEMMAS:
            return True
    return False


# Measures of goods: '50 kg of explosives', '16 rounds of mortars', '9 boxes of ammunition'.
MEASURE_NOUNS = words("kg kgs kilogram kilo ton tonne pound lb box crate sack bag barrel load round shipment")


def _conjuncts(noun: Token) -> list[Token]:
    """'40 rifles, 50 kg of explosives and 200 rounds of mortars' → rifles, explosives, mortars."""
    head = head_noun(noun)
    measured = prep_objects(head, {"of"}) if head.lemma_.lower() in MEASURE_NOUNS else []
    found = [measured[0] if measured else head]
    for conjunct in children_with(noun, "conj"):
        found += _conjuncts(conjunct)
    return found


# What forces take from an armed group when they take its arms: no ground (an aircraft or a drone seized
# may be anyone's).
ARMS_NOUNS = WEAPON_NOUNS - words("aircraft warplane jet plane helicopter drone") | words(
    "weapon arm arms rifle gun ammunition cache round explosive"
)


def _are_arms(noun: Token) -> bool:
    return _conjuncts(noun)[0].lemma_.lower() in ARMS_NOUNS


def _weapons_disrupted(token: Token, event_type: str) -> str | None:
    """Bombs defused and explosives or weapons caches seized: remote violence prevented, which conflict
    coders count with it ('defused 18 roadside bombs', 'seized 50 kg of explosives', 'a weapons cache');
    not 'defused tensions' nor rifles alone."""
    objects = children_with(token, "dobj") or children_with(token, "nsubjpass")
    goods = [noun for obj in objects for noun in _conjuncts(obj)]
    explosive = any(
        _explosive(noun, token) or (noun.lemma_.lower() == "cache" and _modifiers(noun) & ARMS_NOUNS)
        for noun in goods
    )
    return "remote_violence" if explosive else None


# What is done only to a mine that explodes: a mine seized or built may be a gold mine.
MINE_WORK = words("plant lay defuse clear")


# Charges that go off where they are put: what forces defuse or seize, and what kills its handler.
CHARGES = words(
    "bomb ied landmine mine device explosive explosives grenade mortar rocket shell missile weapon"
)


def _explosive(noun: Token, verb: Token) -> bool:
    """A charge `verb` handles, by its own name: 'defused a mine', 'seized mines', 'roadside bombs'; not
    'seized a mine' (a gold mine), 'a mine detector' nor 'a ticking time bomb'."""
    lemma = noun.lemma_.lower()
    singular_mine = lemma == "mine" and noun.tag_ != "NNS"
    if lemma not in CHARGES or "time" in _modifiers(noun):
        return False
    if lemma == "device" and not _modifiers(noun) & words("explosive improvised incendiary"):
        return False  # not a listening device
    if lemma == "weapon":
        return is_remote_weapon(noun)  # heavy weapons: artillery and mortars
    return not singular_mine or verb.lemma_.lower() in MINE_WORK


def _clear(token: Token, event_type: str) -> str | None:
    """'Forces cleared the district of militants'; not 'cleared the way' or 'cleared a hurdle'."""
    objects = children_with(token, "dobj") or children_with(token, "nsubjpass")
    return event_type if objects and _is_place(objects[0]) else None


# What a bomber who is a bomb carries it in or on: 'a suicide bomber', 'a car bomber'.
BOMB_CARRIERS = words("suicide car truck vehicle motorcycle motorbike bicycle")


def _described(noun: Token) -> set[str]:
    """The noun's modifiers and theirs: 'a suicide car bomber' → suicide, car."""
    return _modifiers(noun) | {m for c in children_with(noun, "compound") for m in _modifiers(c)}


def is_remote_weapon(noun: Token, by_name: bool = False) -> bool:
    """'airstrikes', 'air strikes', 'a roadside bomb', 'an IED explosion', 'a bomb planted by X'.
    `by_name`: only a weapon its own noun names, not one a modifier names ('the drone maker')."""
    noun = head_noun(noun)
    lemma = noun.lemma_.lower()
    if lemma in {"strike", "raid"}:
        return _from_afar(noun)
    if lemma == "weapon":
        return "heavy" in _modifiers(noun)  # 'fired heavy weapons at the base': artillery, mortars
    if lemma == "bomber":  # 'a suicide bomber', 'a car bomber': conflict coders count them as explosions;
        return bool(_described(noun) & BOMB_CARRIERS)  # not a B-52 bomber that crashed
    return lemma in REMOTE_WEAPONS or (
        not by_name
        and any(c.lemma_.lower() in REMOTE_WEAPONS for c in noun.children if c.dep_ in {"compound", "amod"})
    )


def _weapon_fired(token: Token, event_type: str) -> str | None:
    """'fired rockets at', 'a bomb exploded', 'detonated an IED'; not 'fired the manager', nor a weapon
    fired in a test ('test-fired a missile', 'fired one test missile')."""
    if _crowd_policed(token, event_type):
        return "protest"  # 'fired tear gas at protesters'
    phrases = children_with(token, "dobj", "nsubj", "nsubjpass")
    if _in_a_test(token) or any(_in_a_test(p) for p in phrases) or _space_launch(token):
        return None
    if any(is_remote_weapon(p) for p in phrases):
        return event_type
    if token.lemma_ == "fire" and any(map(unarmed, shot_at(token))):
        return "violence_against_civilians"  # 'troops fired live ammunition at protesters'
    return None


# A launch into space, told in the sentence: 'lifted off', 'on the launch pad', 'placed in orbit'.
SPACEFLIGHT = re.compile(
    r"\b(lift(ed|s)?[- ]?off|launch ?pad|(in|into) orbit|spacecraft|space shuttle|space ?station|spaceport"
    r"|cosmodrome|after (its )?launch|into (its )?flight)\b",
    re.I,
)


def _space_launch(token: Token) -> bool:
    """'a Delta rocket exploded shortly after launch', 'an Ariane rocket carrying two satellites blew up',
    'a rocket exploded on the launch pad': a launcher lost, not a weapon fired. Only a rocket that
    exploded: not rockets fired from a launch pad, nor a bomb hidden in a satellite receiver."""
    if token.lemma_ not in {"explode", "blow"}:
        return False
    rockets = [
        s for s in children_with(token, "nsubj") if head_noun(s).lemma_.lower() in {"rocket", "launcher"}
    ]
    carrying = any(
        t.lemma_.lower() in {"satellite", "probe", "payload"} and t.head.lemma_ == "carry"
        for rocket in rockets
        for t in rocket.subtree
    )
    return bool(rockets) and (carrying or bool(SPACEFLIGHT.search(token.sent.text)))


def _in_a_test(token: Token) -> bool:
    return any(c.lemma_.lower() in {"test", "trial"} for c in token.children if c.dep_ in TEST_MODIFIERS)


TEST_MODIFIERS = {"compound", "npadvmod", "amod", "nmod"}


def _weapon_aimed(token: Token, event_type: str) -> str | None:
    """'threw a grenade at a police post', 'launched rockets on the air base'; not a missile launched
    in a test. Stun grenades thrown into a crowd meet a protest; stones thrown at police are a riot."""
    if _crowd_policed(token, event_type):
        return "protest"
    if token.lemma_ == "throw":
        return _stoned(token, event_type)
    aimed = any(
        target.ent_type_ not in {"DATE", "TIME"}  # not 'launched a missile on Tuesday'
        for target in prep_objects(token, {"at", "on", "against", "toward", "towards"})
    )
    return _weapon_fired(token, event_type) if aimed else None


def _pound(token: Token, event_type: str) -> str | None:
    """'Government artillery pounded rebel positions', 'the Taliban pounded the district building with
    heavy weapons'; not storms that pounded the coast nor a currency pounded by selling."""
    subject = clause_subject(token) if token.dep_ != "acl" else None
    agents = [subject] if subject is not None and subject.dep_ == "nsubj" else []
    agents += [o for a in children_with(token, "agent") for o in a.children if o.dep_ == "pobj"]
    armed_words = CONFLICT_WORDS | WEAPON_NOUNS
    armed = any(
        head_noun(agent).lemma_.lower() in armed_words or head_noun(agent).lower_ in armed_words
        for agent in agents
    )
    weapons = any(is_remote_weapon(o) for o in prep_objects(token, {"with"}))
    return event_type if armed or weapons else None


def _repel(token: Token, event_type: str) -> str | None:
    """'Troops repulsed the militants', 'fended off Taliban fighters': a fight; an attack repelled
    ('repelled the attack') is told by its noun."""
    if token.lemma_ == "fend" and "off" not in _particles(token) | {c.lower_ for c in token.children}:
        return None
    objects = children_with(token, "dobj", "nsubjpass")
    if not objects or any(trigger_type(head_noun(o)) is not None for o in objects):
        return None
    foes = [o for o in objects if o.lower_ == "them" or has_word(o, CONFLICT_WORDS) or o.ent_type_ == "NORP"]
    return event_type if foes else None  # not 'fended off criticism'


def _pull(token: Token, event_type: str) -> str | None:
    return event_type if _particles(token) & {"out", "back"} else None


def _send(token: Token, event_type: str) -> str | None:
    objects = children_with(token, "dobj")
    return event_type if any(has_word(o, CONFLICT_WORDS) for o in objects) else None


def _reaches_country(phrase: Token) -> bool:
    return has_word(phrase, {"border"}) or any(t.ent_type_ == "GPE" for t in phrase.subtree)


def _cross(token: Token, event_type: str) -> str | None:
    """'crossed the border', 'entered Chad', 'crossed into Chad'."""
    objects = children_with(token, "dobj")
    into = [p for p in _preps(token).values() if p.lower_ in {"into", "to", "over"}]
    return event_type if any(_reaches_country(phrase) for phrase in objects + into) else None


def _flee(token: Token, event_type: str) -> str | None:
    destinations = [p for p in _preps(token).values() if p.lower_ in {"to", "into", "across"}]
    if any(_reaches_country(p) for p in destinations) or has_word(token.sent.root, {"refuge", "border"}):
        return event_type
    return None


def _protest(token: Token, event_type: str) -> str | None:
    """'Thousands of protesters gathered', 'students rallied': a crowd is the subject; also 'protesters
    who marched on parliament' and 'farmers blocked roads to protest against low prices'."""
    if token.lemma_ == "demonstrate" and children_with(token, "dobj"):
        return None  # 'demonstrated a solar-powered car'
    if token.lemma_ == "protest" and children_with(token, "ccomp"):
        return None  # 'traders protesting that rebates are set too low': a complaint, in words
    subject = clause_subject(token)
    if subject is None and token.dep_ == "advcl":
        subject = clause_subject(token.head)  # the crowd that did something to protest
    if subject is None or not _protesting_crowd(subject):
        return None
    noun = head_noun(_antecedent(subject))
    if noun.lemma_.lower() in PROTESTER_NOUNS or noun.ent_type_ in {"PERSON", "NORP"}:
        return event_type
    return event_type if _a_crowd(subject) else None  # 'thousands protested'


# What police use on a crowd, by the word that says so: tear gas, water cannon, rubber bullets, pepper
# spray, stun grenades (not any gas, cannon or grenade).
CROWD_CONTROL = {"gas": "tear", "cannon": "water", "bullet": "rubber", "spray": "pepper", "grenade": "stun"}
# The verbs by which police meet a crowd: the protest's doers are then their objects.
POLICING_VERBS = words("disperse break use fire throw lob beat charge shoot")
# Verbs whose object is the crowd: 'dispersed the protesters', 'beat demonstrators with batons'.
CROWD_OBJECT_VERBS = words("disperse break beat charge")
# A crowd that protests by being there, whoever met it, and any crowd met with tear gas or batons.
PROTEST_CROWDS = PROTEST_WORDS | PROTEST_GATHERINGS | words("mob")
CROWD_NOUNS = PROTESTER_NOUNS | PROTEST_CROWDS | words("youth supporter")
ONE_CROWD_NOUNS = PROTEST_CROWDS | words("crowd")  # a crowd by itself, not 'a driver' nor 'a student'


def policed_crowds(token: Token) -> list[Token]:
    """The crowd police met: 'dispersed the protesters', 'broke up a demonstration', 'fired tear gas at
    demonstrators', 'used water cannon against the crowd', 'threw stun grenades into the crowd'
    ('tear gas was fired at ...'). Conflict coders count it as a protest (with intervention). Not 'the
    fog dispersed', 'dispersed people gathered in breach of the curfew', 'fired grenades at the base',
    'used force' nor pepper spray used on a driver."""
    if token.lemma_ == "break" and "up" not in _particles(token):
        return []
    if token.lemma_ in CROWD_OBJECT_VERBS:
        crowds = children_with(token, "dobj", "nsubjpass")
        if not _crowd_control_told(token.sent):  # 'Liverpool beat Chelsea', 'charged 20 protesters with
            if token.lemma_ in {"beat", "charge"}:  # vandalism', 'dispersed residents to shelters'
                return []
            return [c for c in crowds if head_noun(c).lemma_.lower() in PROTEST_CROWDS]
        if token.lemma_ == "disperse" and not crowds:  # 'the crowd dispersed after police fired tear
            crowds = children_with(token, "nsubj")  # gas'; not 'protesters dispersed peacefully'
    else:
        means = [
            m
            for o in children_with(token, "dobj", "nsubjpass")
            for m in [o, *o.conjuncts]
            if _crowd_control(m)
        ]
        aimed = {"at", "on", "against", "into"}  # 'against' may hang on the means: 'water cannon against'
        crowds = [c for t in [token, *means] for c in prep_objects(t, aimed)] if means else []
    return [c for c in crowds if _crowd(head_noun(c))]


def _crowd(noun: Token) -> bool:
    lemma = noun.lemma_.lower()
    return lemma in CROWD_NOUNS and (noun.tag_ in {"NNS", "NNPS"} or lemma in ONE_CROWD_NOUNS)


def _crowd_policed(token: Token, event_type: str) -> str | None:
    return "protest" if policed_crowds(token) else None


def _crowd_control_told(sentence: Span) -> bool:
    """The sentence tells of what police use on a crowd: tear gas, water cannon, batons."""
    return any(_crowd_control(t) for t in sentence)


def _crowd_control(noun: Token) -> bool:
    """'tear gas', 'teargas', 'water cannon', 'rubber bullets', 'batons', and the rounds that carry
    them: 'tear gas shells', 'tear-gas canisters'."""
    lemma, modifiers = noun.lemma_.lower(), _modifiers(noun)
    if lemma in {"baton", "truncheon", "teargas"} or CROWD_CONTROL.get(lemma) in modifiers:
        return True
    carried = [c for c in noun.children if c.dep_ == "compound"]  # 'tear' may hang on the canisters
    return any(_crowd_control(c) or CROWD_CONTROL.get(c.lemma_.lower()) in modifiers for c in carried)


def _protesting_crowd(subject: Token) -> bool:
    """A crowd told of in a relative clause ('students who marched to the stadium for the parade')
    protested only when they are protesters or police met them as such."""
    if subject.tag_ not in {"WDT", "WP"}:
        return True
    crowd = head_noun(_antecedent(subject))
    policed = _crowd_control_told(subject.sent) or has_word(subject.sent.root, {"disperse"})
    return crowd.lemma_.lower() in {"protester", "demonstrator", "marcher"} or policed


def _gather(token: Token, event_type: str) -> str | None:
    """'Thousands of protesters marched', 'protesters who gathered outside parliament', and people or
    a count of them with a protest's purpose ('thousands marched to demand reform', 'tens of thousands
    of people marched against austerity'); not 'people gathered' (for a match), 'students who marched
    to the stadium' nor 'the company that marched into the market'."""
    subject = clause_subject(token)
    if subject is None or not _protesting_crowd(subject):
        return None
    subject = _antecedent(subject)
    if head_noun(subject).lemma_.lower() in PROTESTER_NOUNS - {"people"}:
        return event_type
    return event_type if _a_crowd(subject) and _protest_purpose(token) else None


# What a crowd marches or gathers for when it protests: 'to demand reform', 'to denounce the killings'.
PROTEST_PURPOSES = words("demand denounce protest oppose condemn decry reject call press urge")


# What 'against' may stand before without anyone opposing anything: 'against the backdrop of'.
NOT_OPPOSED = words("backdrop odds tide wish grain clock background")


# What a marching crowd does when it protests: 'chanting slogans', 'waving placards'.
PROTEST_DOINGS = words("chant shout")
# Protests a march belongs to: 'marched at the end of a general strike'.
PROTEST_OCCASIONS = words("strike walkout protest demonstration boycott")


def _protest_purpose(verb: Token) -> bool:
    """'marched to demand pension reform', 'gathered to protest', 'marched against austerity', 'gathered
    in protest at', 'rallied in support of the president', 'marched through the old city chanting
    slogans', 'marched at the end of a general strike', 'marched as unions staged a strike'; not
    'gathered to celebrate the victory'."""
    clauses = children_with(verb, "advcl", "xcomp")
    if any(c.lemma_.lower() in PROTEST_PURPOSES for c in clauses):
        return True
    chanted = [o for c in clauses if c.lemma_.lower() in PROTEST_DOINGS for o in children_with(c, "dobj")]
    if any(o.lemma_.lower() == "slogan" for o in chanted):  # not 'chanting the club's name'
        return True
    preps = [p for p in children_with(verb, "prep") if p.lower_ != "during"]  # not 'during a rail strike'
    occasions = [head_noun(o) for p in preps for o in _pobj_chain(p)]
    # 'marched as unions staged a national strike'
    occasions += [head_noun(o) for c in children_with(verb, "advcl") for o in children_with(c, "dobj")]
    if any(o.lemma_.lower() in PROTEST_OCCASIONS for o in occasions):
        return True
    if any(o.lemma_.lower() not in NOT_OPPOSED for o in prep_objects(verb, {"against"})):
        return True
    return any(o.lemma_.lower() in {"protest", "support", "solidarity"} for o in prep_objects(verb, {"in"}))


def _pobj_chain(prep: Token) -> list[Token]:
    """The objects of a preposition and of the 'of' phrases they carry: 'at [the end] of [a strike]'."""
    found = children_with(prep, "pobj")
    for noun in list(found):
        found += [
            o for p in children_with(noun, "prep") if p.lower_ == "of" for o in children_with(p, "pobj")
        ]
    return found


def _speak(token: Token, event_type: str) -> str | None:
    return event_type if _preps(token).keys() & {"to", "with"} else None


def _provide(token: Token, event_type: str) -> str | None:
    objects = children_with(token, "dobj")
    return event_type if any(has_word(o, AID_NOUNS) for o in objects) else None


def _announce(token: Token, event_type: str) -> str | None:
    """'The United States announced $147 million in humanitarian assistance': a pledge; any other
    announcement is a statement."""
    objects = children_with(token, "dobj")
    aid = [o for o in objects if o.ent_type_ == "MONEY" or has_word(o, AID_NOUNS)]
    return "aid_pledge" if any(has_word(o, HUMANITARIAN_WORDS) for o in aid) else event_type


def _strike(token: Token, event_type: str) -> str | None:
    """'A Russian missile struck a building', 'its aircraft struck 40 targets'; not 'struck a deal'."""
    subject = clause_subject(token)
    agents = [subject] if subject is not None else []
    agents += [c for c in token.children if c.dep_ == "agent"]
    if any(has_word(agent, WEAPON_NOUNS | {"bomber"}) for agent in agents):  # 'a suicide bomber hit'
        return event_type
    objects = children_with(token, "dobj")
    if any(is_remote_weapon(o) for o in objects):
        return event_type  # 'their vehicle hit a roadside bomb', 'a truck struck a landmine'
    if token.lemma_ == "strike" and any(o.lemma_.lower() in STRIKE_OBJECTS for o in objects):
        return event_type
    return None


# What makes a fire gunfire: 'enemy fire', 'heavy machine-gun fire', 'fire from the hills'.
GUNFIRE_WORDS = words(
    "gun enemy cross artillery mortar sniper rocket machine-gun automatic small-arms hostile"
)


def _accidental(cause: Token) -> bool:
    """A flood, a storm, a blaze, or a fire told as one: 'a fire that broke out at the market destroyed
    hundreds of stalls, killing 15'; not 'killed by militant fire'."""
    lemma = cause.lemma_.lower()
    if lemma in ACCIDENT_NOUNS:
        return True
    if lemma != "fire" or _described(cause) & GUNFIRE_WORDS or prep_objects(cause, {"from"}):
        return False
    told = [c.lemma_.lower() for c in cause.children if c.dep_ in {"relcl", "acl", "compound"}]
    return any(word in FIRE_SIGNS for word in told)  # not 'militant fire', 'Israeli fire'


# What says a fire is a blaze: 'a fire that broke out', 'a market fire'.
FIRE_SIGNS = words(
    "break start erupt engulf spread gut rage market house factory forest bush building warehouse "
    "electrical kitchen"
)


def _by_remote_weapon(token: Token, event_type: str) -> str | None:
    """'an airstrike destroyed a Taliban vehicle', 'a drone targeted a convoy': remote violence; not
    'the drone maker targeted customers' nor 'Rocket Lab targeted a launch'. Nothing when a flood or
    an earthquake did it ('the pipeline was destroyed by an earthquake')."""
    killers = _killers(token)
    if any(map(_accidental, killers)):
        return None
    weapons = [k for k in killers if is_remote_weapon(k, by_name=True)]
    return "remote_violence" if weapons else event_type


def _regain(token: Token, event_type: str) -> str | None:
    """'retook the district', 'regained control of Musa Qala'; not 'OPEC has regained its former role'
    nor 'until the markets regain their confidence'."""
    objects = children_with(token, "dobj") or children_with(token, "nsubjpass")
    if not objects:
        return event_type
    regained = objects[0]
    if _of_a_business(regained) or regained.lemma_.lower() in STANDINGS:
        return None  # 'Verstappen retook the lead from Hamilton'
    named = any(t.ent_type_ in {"GPE", "LOC", "FAC", "PERSON", "ORG"} for t in regained.subtree)
    if named or regained.pos_ == "PROPN" or _is_place(regained) or has_word(regained, CONFLICT_WORDS):
        return event_type
    return None


# What a player, a party or a market regains that is no ground.
STANDINGS = words("lead title crown initiative momentum confidence top edge majority")


def places_left(verb: Token) -> list[Token]:
    """Where someone was driven from: 'pushed out of those villages', 'drove them out of the town';
    'expelled from Nawa district' (expel and oust need no 'out')."""
    outs = [p for p in children_with(verb, "prep", "prt", "advmod") if p.lower_ == "out"]
    left = [o for out in outs for o in prep_objects(out, {"of"})]
    return left + (prep_objects(verb, {"from"}) if verb.lemma_ in {"expel", "oust"} else [])


DESTINATIONS = words("to toward towards into onto")


def _drive_out(token: Token, event_type: str) -> str | None:
    """'Forces pushed the militants out of the district', 'militants were driven out of the town',
    'rebels expelled the police from the village': ground taken from an armed side (whether taken
    back is decided as for any ground, by who took it and where). Driven out with nobody named as
    driving, militants or rebels lost ground to the state: it was regained. Not a company pushed out
    of a market, protesters out of a square, a diplomat expelled from a capital, nor a truck driven
    from Kabul to Jalalabad."""
    ousted = children_with(token, "dobj") or children_with(token, "nsubjpass")
    side = head_noun(ousted[0]).lemma_.lower() if ousted else ""
    if side not in CONFLICT_WORDS | NON_STATE_WORDS:
        return None
    if any(p.lower_ in DESTINATIONS for p in children_with(token, "prep")):
        return None
    if not any(_is_place(place) for place in places_left(token)):
        return None
    if side in NON_STATE_WORDS and not children_with(token, "agent", "nsubj"):
        return "territory_regained"
    return event_type


def _withdraw(token: Token, event_type: str) -> str | None:
    """'withdrew its troops', 'forces withdrew from the town'; not 'withdrew a request', 'the lawsuit'."""
    objects = children_with(token, "dobj")
    if not objects:
        return event_type
    moved = head_noun(objects[0])
    described = {moved.lemma_.lower()} | _modifiers(moved)
    people = moved.ent_type_ in {"NORP", "ORG"} or moved.lemma_.lower() in CAPTIVE_NOUNS
    return event_type if people or _names_a_place(moved) or described & (CONFLICT_WORDS | UNITS) else None


# What forces withdraw besides troops and forces: 'withdrew its garrison', 'the peacekeeping contingent'.
UNITS = words("garrison unit contingent division brigade regiment peacekeeper peacekeepers ship ships")


def _killers(token: Token) -> list[Token]:
    """Who or what killed: the active subject, the agent of a passive ('killed by X'), or the
    noun a participle hangs on ('a bomb planted by X killed' → the bomb)."""
    hangs_on_victim = token.dep_ in {"acl", "amod"}  # 'soldiers killed in the attack'
    hangs_on_victim = hangs_on_victim or _elided_passive(token)
    subject = clause_subject(token) if token.lemma_ != "die" and not hangs_on_victim else None
    found = [_antecedent(subject)] if subject is not None and subject.dep_ == "nsubj" else []
    if token.dep_ == "advcl" and token.tag_ == "VBG" and subject is None:
        doer = clause_subject(token.head)  # 'a suicide bomber drove a car into X, killing 30'
        if doer is not None and doer.dep_ == "nsubj" and _armed(_antecedent(doer)):
            found.append(_antecedent(doer))
    if token.dep_ == "conj" and token.head.pos_ in {"NOUN", "PROPN"}:
        found.append(token.head)  # 'Taliban sniper shot and killed 1 soldier', misread as a noun
    passive = bool(children_with(token, "nsubjpass", "auxpass"))
    # '2 soldiers were killed, 2 were wounded and a rifle was seized by X': the agent of the last
    # passive conjunct did all of it
    verbs = [token, *children_with(token, "conj")] + ([token.head] if token.dep_ == "conj" else [])
    for verb in verbs if passive else [token]:
        for child in verb.children:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                found += children_with(child, "pobj")
    return found


def _elided_passive(verb: Token) -> bool:
    """'4 soldiers were killed and several others injured': a participle joined to a passive keeps
    its 'were', so its subject is whom it was done to."""
    return (
        verb.tag_ == "VBN"
        and verb.dep_ == "conj"
        and not children_with(verb, "aux", "auxpass")
        and bool(children_with(verb.head, "auxpass"))
    )


def _armed(doer: Token) -> bool:
    """A weapon, or fighters or forces ('Taliban militants took over 6 villages, killing 3 soldiers');
    not an aircraft that crashed, killing its crew."""
    lemma = head_noun(doer).lemma_.lower()
    armed_words = NON_STATE_WORDS | STATE_FORCE_NOUNS
    return is_remote_weapon(doer) or lemma in armed_words or head_noun(doer).lower_ in armed_words


def _antecedent(subject: Token) -> Token:
    """What a relative 'which', 'that' or 'who' stands for: of the nouns from the one its clause hangs on up
    through their prepositions ('a crash during a training flight near El Centro, which killed one'),
    the first accident or event, else the first."""
    if subject.tag_ not in {"WDT", "WP"} or subject.head.dep_ != "relcl":
        return subject
    chain = [subject.head.head]
    while chain[-1].dep_ in {"pobj", "appos"} and len(chain) < 6:
        up = chain[-1].head
        chain.append(up.head if chain[-1].dep_ == "pobj" else up)
    nouns = [noun for noun in chain if noun.pos_ in {"NOUN", "PROPN"}]
    named = [noun for noun in nouns if noun.lemma_.lower() in ACCIDENT_NOUNS or trigger_type(noun)]
    return (named or nouns or chain)[0]


def _suicide(cause: Token) -> bool:
    """'died in an apparent suicide attempt', 'of suicide'; not 'in a suicide bombing'."""
    lemma = cause.lemma_.lower()
    return lemma == "suicide" or (lemma == "attempt" and "suicide" in _modifiers(cause))


# What a death of illness or its complications may come from that is violence.
INFLICTED_HARM = words("wound wounds gunshot torture beating injury injuries shot shooting")
# What people die of without anyone's violence, beside the accidents ('died of natural causes').
NATURAL_CAUSES = words("cancer stroke complication cause disease illness infection vaccine")


def _natural_cause(cause: Token) -> bool:
    """'died of a heart attack', 'after a long illness', 'of natural causes'; not 'of an infection
    caused by torture' nor 'complications from his gunshot wounds'."""
    lemma = cause.lemma_.lower()
    if has_word(cause, INFLICTED_HARM):
        return False
    return (
        lemma in NATURAL_CAUSES
        or lemma in ACCIDENT_NOUNS
        or (lemma == "attack" and _attack_noun(cause, "attack") is None)
    )


def _died_naturally(die: Token) -> bool:
    """Of an illness or its complications, unless the clause says the dead had been wounded or shot
    ('a soldier wounded in last week's attack died of an infection')."""
    if has_word(die, INFLICTED_HARM | {"wounded", "injured"}):
        return False  # 'died of an infection after being shot by police'
    aged = any(o.lemma_ == "age" for o in prep_objects(die, {"at"}))  # 'died at the age of 81': an obituary
    # 'died of cancer', 'after a long illness', 'after receiving a vaccine', 'at 81 after a long illness'
    told = [o for p in children_with(die, "prep") for o in p.subtree if o.pos_ in {"NOUN", "PROPN"}]
    return aged or any(map(_natural_cause, told))


def _went_off(clause: Token) -> bool:
    """'[killed] when an unexploded ordnance detonated', parsed with the weapon as the clause and its
    verb hanging on it."""
    went_off = any(v.lemma_ in {"explode", "detonate", "hit", "strike"} for v in children_with(clause, "acl"))
    return clause.pos_ == "NOUN" and went_off and is_remote_weapon(clause)


# What is killed without anyone dying: 'the Senate killed a treaty', 'killed the deal'.
KILLED_PLANS = words(
    "bill treaty deal plan proposal measure motion idea project legislation law amendment merger bid "
    "offer agreement pact reform talks story rumour rumor chance hope hopes momentum"
)
# Verbs that kill only people: 'executed a plan', 'neutralised the threat' kill nobody.
PEOPLE_ONLY_KILLING = words("execute neutralise neutralize massacre slaughter eliminate martyr")


def _a_person(noun: Token) -> bool:
    head = head_noun(noun)
    lemma = head.lemma_.lower()  # 'terrorists', 'men', 'Indians'; not 'landmines' nor 'cattle'
    people = PERSON_NOUNS | GROUP_NOUNS | NON_STATE_WORDS | STATE_FORCE_NOUNS
    if head.ent_type_ in {"PERSON", "NORP"} or lemma in people or head.lower_ in people:
        return True
    if head.lower_ in {"whom", "them"} and head.head.lower_ == "of" and head.head.head.like_num:
        return True  # 'repelled the assailants, four of whom were neutralised'
    # 'seven Islamic State West Africa Province (ISWAP) terrorists', parsed as a name and its apposition
    return any(a.lemma_.lower() in people for a in children_with(head, "appos") if a.pos_ == "NOUN")


def _killing(token: Token, event_type: str) -> str | None:
    """'Gunmen massacred 45 villagers', 'troops neutralised 11 terrorists', 'soldiers executed 300
    men': a kill; not 'executed the plan', 'neutralised an IED' nor 'the Senate killed a treaty'."""
    victims = children_with(token, "nsubjpass", "dobj")
    if any(head_noun(v).lemma_.lower() in KILLED_PLANS for v in victims):
        return None
    people = [v for v in victims if _a_person(v) or names_civilians(v)]
    if token.lemma_.lower() in PEOPLE_ONLY_KILLING and not people:
        return None  # not 'neutralised 12 landmines', 'slaughtered 200 cattle'
    subject = clause_subject(token)
    if token.lemma_.lower() == "execute" and subject is not None and subject.ent_type_ in {"GPE", "ORG"}:
        return None  # 'Saudi Arabia executed 81 men': a sentence carried out, no violence
    killed = _kill(token, event_type)
    if token.lemma_.lower() in {"massacre", "slaughter"} and killed == "attack":
        armed = [v for v in victims if _armed(head_noun(v))]
        return "violence_against_civilians" if victims and not armed else killed  # 'massacred 45 Indians'
    return killed


def _kill(token: Token, event_type: str) -> str | None:
    """Dead and wounded typed by who caused them: 'an airstrike killed 4' is remote violence,
    'militants killed 2 soldiers' an attack, '3 soldiers were killed' a bare toll."""
    victims = children_with(token, "nsubjpass", "dobj") + (
        [token.head] if token.dep_ in {"acl", "amod"} else []
    )
    killers = _killers(token)
    remote = any(is_remote_weapon(k) or military_strike(k) for k in killers) or _handling_explosives(
        token, victims
    )
    remote = remote or any(map(_went_off, children_with(token, "advcl")))
    civilians = any(map(names_civilians, victims))
    if not civilians and token.dep_ == "advcl":  # 'opened fire on protesters, killing five'
        civilians = any(map(unarmed, shot_at(token.head)))
    # policemen and civilians killed together: an attack on forces, unless forces did the killing
    forces = any(n.lemma_.lower() in STATE_FORCE_NOUNS for victim in victims for n in _conjuncts(victim))
    forces = forces and not any(head_noun(k).lemma_.lower() in STATE_FORCE_NOUNS for k in killers)
    if civilians and not forces and not remote:
        return "violence_against_civilians"  # civilians a rocket killed: still remote violence
    if killers and all(_accidental(head_noun(k)) or _leak_blast(head_noun(k)) for k in killers):
        return None  # 'a crash during a training flight killed one of the crew'
    if token.lemma_ == "die" and _died_naturally(token):
        return None  # 'the army chief died of a heart attack', 'died after receiving a vaccine'
    if token.lemma_ == "die" and any(map(_suicide, prep_objects(token, {"of", "from", "after", "in"}))):
        return None  # 'the minister died in an apparent suicide attempt'
    if token.dep_ in {"advcl", "conj", "xcomp"} and _vehicle_accident(token.head):
        return None  # 'the helicopter crashed during a training flight, killing two crewmen'
    if token.dep_ == "advcl" and any(_accidental(head_noun(s)) for s in children_with(token.head, "nsubj")):
        return None  # 'a fire that broke out at the market destroyed hundreds of stalls, killing 15'
    beside = [c for c in token.head.children if c.dep_ in {"conj", "ccomp"} and c != token]
    armed_beside = any(_hostile(s) for c in beside for s in children_with(c, "nsubj"))
    if (
        not killers
        and token.dep_ in {"conj", "ccomp"}
        and any(map(_vehicle_accident, beside))
        and not armed_beside
    ):
        return None  # 'the freighter sank off Senegal and two crew members were killed, the navy said'
    # the clause may hang on the kill's conjunct: 'eleven were killed and 25 injured when a bus collided'
    clauses = [c for verb in [token, *token.conjuncts] for c in children_with(verb, "advcl")]
    # the parser may hang the clause's verb on its vehicle: 'when a lorry [careered]'
    clauses += [verb for clause in clauses for verb in children_with(clause, "acl")]
    if any(_vehicle_accident(clause) for clause in clauses):
        return None  # 'a man died when his truck overturned', 'when a lorry careered into a roadblock'
    if remote:
        return "remote_violence"
    fights = {trigger_type(head_noun(k)) for k in killers}
    if killers and len(fights) == 1 and fights <= {"armed_clash", "riot"}:
        return fights.pop()  # 'clashes between rival factions killed 32 people', 'between rival fans'
    if killers:
        return "attack"
    return event_type


# What people do with a bomb that can set it off in their hands ('killed while planting a mine').
EXPLOSIVE_WORK = words(
    "plant lay place defuse dismantle build make assemble transport carry handle rig clear"
)


def _handling_explosives(token: Token, victims: list[Token]) -> bool:
    """'2 militants were killed while planting a roadside bomb', 'an expert was killed while trying to
    defuse a mine', '3 militants planning to plant mines were killed': the bomb killed them."""
    clauses = children_with(token, "advcl") + [c for v in victims for c in children_with(v, "acl", "relcl")]
    verbs = [verb for clause in clauses for verb in clause.subtree if verb.lemma_.lower() in EXPLOSIVE_WORK]
    handled = [o for verb in verbs for o in children_with(verb, "dobj") if _explosive(o, verb)]
    return any(o.lemma_.lower() in HIDDEN_CHARGES for o in handled)


# Charges set to kill, not explosives for blasting, a rocket on a test stand or shells at a fish plant.
HIDDEN_CHARGES = words("bomb ied landmine mine device")


# What brings a vehicle down on purpose: then its crash or sinking is no accident.
HOSTILE_CAUSES = words(
    "hit shoot shot ambush attack strike target explosive explosives bomb missile rocket drone torpedo mine "
    "shell shelling gunfire"
)


def _hostile(doer: Token) -> bool:
    """Who sinks or brings down a vessel on purpose: forces, fighters, a weapon, pirates."""
    return _armed(doer) or head_noun(doer).lemma_.lower() == "pirate"


def _vehicle_accident(verb: Token) -> bool:
    """'A helicopter crashed', 'two trains collided', 'a ferry capsized': a vehicle's accident."""
    if verb.lemma_.lower() not in ACCIDENT_VERBS:
        return False
    off = "off" in _particles(verb)  # 'capsized off Lampedusa': a place, taken for the object
    if any(
        o.ent_type_ not in {"GPE", "LOC"} and not (off and o.pos_ == "PROPN")
        for o in children_with(verb, "dobj")
    ):
        return False  # 'a warship sank an Iranian boat' is no accident
    if ("into" in _preps(verb) and verb.lemma_ == "crash") or has_word(verb, HOSTILE_CAUSES):
        return False  # 'a truck packed with explosives crashed into the gate', 'crashed after being hit'
    causes = [c for clause in children_with(verb, "advcl") for c in [clause, *clause.conjuncts]]
    if any(_hostile(s) for cause in causes for s in children_with(cause, "nsubj")):
        return False  # 'capsized after gunmen fired on it'; not 'crashed, and troops secured the site'
    subjects = children_with(verb, "nsubj") or ([verb.head] if verb.dep_ == "acl" else [])
    return bool(subjects) and all(head_noun(s).lemma_.lower() in VEHICLE_NOUNS for s in subjects)


# Aircraft with people aboard: bringing one down is an attack, a drone or a missile an interception.
CREWED_AIRCRAFT = words("helicopter chopper plane aircraft airplane airliner jet warplane gunship")


def _shoot(token: Token, event_type: str) -> str | None:
    """'shot and killed 2 soldiers', 'shot a policeman', 'shot down a helicopter'; 'air defences shot
    down 11 drones' is an interception, not an attack."""
    objects = children_with(token, "dobj", "nsubjpass")
    downed = "down" in _particles(token) or any(c.lower_ == "down" for c in token.children)
    if downed and any(head_noun(o).lemma_.lower() in CREWED_AIRCRAFT for o in objects):
        return event_type  # 'shot down an army helicopter': an attack on its crew
    if downed and any(has_word(o, WEAPON_NOUNS) for o in objects):
        return None
    if _crowd_policed(token, event_type):
        return "protest"  # 'shot rubber bullets at demonstrators'
    shot = shot_at(token)
    forces = any(n.lemma_.lower() in STATE_FORCE_NOUNS for o in shot for n in _conjuncts(o))
    if any(map(unarmed, shot)) and not forces:  # not 'shot dead two policemen and a civilian'
        return "violence_against_civilians"  # 'shot dead three demonstrators'
    return event_type


# Who work among civilians unarmed: 'an aid worker', 'health workers'; a worker alone may be anyone's.
RELIEF_WORK = words("aid health humanitarian relief charity medical")


def names_civilians(victim: Token) -> bool:
    """'3 civilians', 'a woman and her child', 'a Canadian aid worker and his driver'."""
    return has_word(victim, CIVILIAN_NOUNS) or any(
        t.lemma_.lower() == "worker" and any(c.lemma_.lower() in RELIEF_WORK for c in t.children)
        for t in victim.subtree
    )


def _abduct(token: Token, event_type: str) -> str | None:
    victims = children_with(token, "nsubjpass", "dobj")
    civilians = any(map(names_civilians, victims))
    return "violence_against_civilians" if civilians else event_type


def _set_fire(token: Token, event_type: str) -> str | None:
    """Armed men or forces 'set fire to a school', 'set two trucks on fire', 'set the checkpoint
    ablaze'; not 'set a date', 'set up a checkpoint', nor a heater, lightning or a suspect that set a
    fire."""
    if not _set_fire_told(token):
        return None
    if any(is_remote_weapon(o) for o in prep_objects(token, {"with"})):
        return "remote_violence"  # 'set the tanker on fire with a missile'
    doers = [_antecedent(d) for d in [clause_subject(token), *prep_objects(token, {"by"})] if d is not None]
    if not any(_armed(d) or head_noun(d).lemma_.lower() in MILITARY_NOUNS for d in doers):
        return None  # 'a faulty heater set fire to the house', 'the speech set social media ablaze'
    # its own clauses, not a joined one ('..., and a mortar shell hit the market')
    own = [t for c in token.children if c.dep_ not in {"conj", "cc"} for t in c.subtree]
    weapons = [t for t in own if t.pos_ == "NOUN" and is_remote_weapon(t)]
    return "remote_violence" if weapons else event_type  # 'set ablaze after a gunboat fired missiles at it'


def _set_fire_told(token: Token) -> bool:
    """'set fire to', 'set ... on fire', 'set ... ablaze'."""
    fire = any(o.lemma_ == "fire" for o in children_with(token, "dobj")) and "to" in _preps(token)
    on_fire = any(o.lemma_ == "fire" for o in prep_objects(token, {"on"}))
    return fire or on_fire or any(c.lower_ in {"ablaze", "alight"} for c in token.children)


def _blow_up(token: Token, event_type: str) -> str | None:
    """'a suicide bomber blew himself up', 'blew up a bridge'; not 'blew the whistle', nor talks or a
    person that 'blew up' (with nothing blown up)."""
    if _space_launch(token):
        return None
    return event_type if "up" in _particles(token) and children_with(token, "dobj") else None


def _against_non_military(token: Token) -> bool:
    """'battling inflation', 'fought the blaze', 'fought to contain the fire', 'the fight against AIDS',
    'the war on drugs', 'a war of words'."""
    purposes = [c for c in token.children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB"]
    foes = children_with(token, "dobj") + prep_objects(token, {"against", "on"})
    foes += [o for purpose in purposes for o in children_with(purpose, "dobj")]  # 'to contain the blaze'
    if any(o.lemma_.lower() == "word" for o in prep_objects_of([token, *foes], {"of"})):
        return True
    return any(foe.lemma_.lower() in NON_MILITARY_FOES or foe.lower_ in NON_MILITARY_FOES for foe in foes)


def _fight(token: Token, event_type: str) -> str | None:
    return None if _against_non_military(token) else event_type


def _fight_or_fighting(token: Token, event_type: str) -> str | None:
    """'They fought', or the gerund the parser tags a verb: 'fighting between rival supporters'."""
    if token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}:
        return _crowd_fight(token, event_type)
    return _fight(token, event_type)


def _stoned(token: Token, event_type: str) -> str | None:
    """'Youths threw stones at police', 'pelted the convoy with rocks', 'hurled petrol bombs at the
    police station': a crowd's violence, a riot. Not one man's brick, nor hail that pelted a town; a
    grenade or a petrol bomb thrown by gunmen is still a weapon fired."""
    objects = children_with(token, "dobj")
    thrown = objects + prep_objects(token, {"with"}) + prep_objects_of(objects, {"with"})
    if rioting_crowd(token) and any(_thrown_by_crowds(m) for o in thrown for m in [o, *o.conjuncts]):
        return "riot"
    return _weapon_fired(token, event_type) if token.lemma_ == "throw" and _aimed_at([token]) else None


def prep_objects_of(nouns: list[Token], preps: set[str]) -> list[Token]:
    return [o for noun in nouns for o in prep_objects(noun, preps)]  # 'pelted a patrol [with stones]'


def _thrown_by_crowds(noun: Token) -> bool:
    return noun.lemma_.lower() in THROWN_BY_CROWDS or any(
        c.lemma_.lower() in THROWN_BY_CROWDS for c in noun.children if c.dep_ == "compound"
    )  # 'petrol bombs'


def _crowd_riot(token: Token, event_type: str) -> str | None:
    """'Rioters ransacked shops', 'demonstrators vandalised banks'; not 'thieves ransacked the office'."""
    return event_type if rioting_crowd(token) else None


# Words that make a crowd an armed side: 'rebel youths', 'militia youths', 'armed supporters'.
ARMED_MODIFIERS = (NON_STATE_WORDS - words("opposition tribal")) | words("armed")


def rioting_crowd(verb: Token) -> bool:
    """The doer is a crowd whose violence is a riot: 'protesters', 'rioters', 'youths', 'a mob', 'rival
    supporters'; not 'rebel youths' nor 'armed supporters'."""
    subject = clause_subject(verb) if verb.pos_ in {"VERB", "AUX"} else None
    if _done_to(verb):  # 'a police station was torched by protesters', 'cars set on fire by rioters'
        return any(_unarmed_crowd(head_noun(doer)) for doer in agents(verb))
    if subject is None or subject.dep_ != "nsubj":
        return False
    doer = share_of(head_noun(_antecedent(subject)))
    # 'Police and strikers fought running battles': the crowd of the two is the doer.
    doer = next((side for side in [doer, *map(head_noun, doer.conjuncts)] if _unarmed_crowd(side)), doer)
    if not _crowd_against_crowd(verb, doer):
        return False
    return _unarmed_crowd(crowd_told_before(doer) if doer.lower_ in {"they", "them"} else doer)


def _crowd_against_crowd(verb: Token, doer: Token) -> bool:
    """'Farmers and herders clashed' are two sides, and herders no crowd: no riot; but 'workers and
    residents clashed with police' are one side."""
    if verb.lemma_ not in {"clash", "fight", "battle"} or prep_objects(verb, {"with"}):
        return True
    sides = [head_noun(c) for c in doer.conjuncts]
    crowds = RIOTING_CROWDS | CROWD_MEMBERS | STATE_FORCE_NOUNS
    return all(_unarmed_crowd(side) or side.lemma_.lower() in crowds for side in sides)


def share_of(noun: Token) -> Token:
    """'some of the protesters' → protesters, 'many of them' → them."""
    if noun.lower_ not in words("some many most several few"):
        return noun
    return next(iter(prep_objects(noun, {"of"})), noun)


def crowd_told_before(pronoun: Token) -> Token:
    """'Hundreds of students marched ...; some of them threw stones', '... marched. They threw stones':
    the doer of the clause before, in this sentence or the one before, when a pronoun stands for it."""
    first = pronoun.sent.start
    if first > 0:
        first = pronoun.doc[first - 1].sent.start
    doers = [t for t in pronoun.doc[first : pronoun.i] if t.dep_ == "nsubj" and pronoun not in t.subtree]
    return head_noun(doers[-1]) if doers else pronoun


def _done_to(verb: Token) -> list[Token]:
    """What a passive verb was done to: 'shops were looted', 'cars set on fire'."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return [verb.head]
    return children_with(verb, "nsubjpass")


def agents(verb: Token) -> list[Token]:
    return [o for agent in children_with(verb, "agent") for o in children_with(agent, "pobj")]


def _unarmed_crowd(noun: Token) -> bool:
    armed = any(c.lemma_.lower() in ARMED_MODIFIERS for c in noun.children if c.dep_ in {"amod", "compound"})
    return noun.lemma_.lower() in RIOTING_CROWDS and not armed


# What fighting does when it is an event of its own: 'heavy fighting erupted', 'fighting raged'.
FIGHTING_BROKE_OUT = words("erupt break rage flare intensify resume continue escalate spread")


def _fighting(noun: Token, event_type: str) -> str | None:
    """'Heavy fighting erupted between the army and the RSF', 'fighting between rival militias': the
    fighting told as an event, between sides or breaking out; not the background of 'families
    displaced by fighting' or 'a lull in the fighting'."""
    breaks_out = noun.dep_ == "nsubj" and noun.head.lemma_.lower() in FIGHTING_BROKE_OUT
    if not (breaks_out or fight_sides(noun)):
        return None
    if any(m.lower_ in {"since", "until", "before"} for m in children_with(noun.head, "mark")):
        return None  # 'their first meeting since border fighting erupted in April'
    return _crowd_fight(noun, event_type)


def _crowd_fight(noun: Token, event_type: str) -> str | None:
    """'Clashes between protesters and police', 'clashes broke out between rival supporters', 'the
    crowd's clashes with police': a fight between crowds, or a crowd and the police, is a riot. Not
    with armed men on a side ('clashes between militants and villagers'), nor a dispute ('over the
    curriculum', 'verbal clashes'), a struggle ('a losing battle against salinity'), a game ('a
    snowball fight') or one a court or an anniversary recalls: those stay what the word says, an armed
    clash, which only a report of armed conflict keeps. A fight online is none. (One denied or feared,
    'no clashes', 'possible clashes', is unreal for every event word: see triggers.modality.)"""
    if _against_non_military(noun) or online(noun):
        return None
    sides = fight_sides(noun) + prep_objects(noun, {"with"})
    if noun.dep_ == "dobj":  # 'police fought running battles with youths'
        sides += children_with(noun.head, "nsubj") + prep_objects(noun.head, {"with"})
    parties = [head_noun(m) for side in sides for m in [side, *side.conjuncts]]
    crowds = [p for p in parties if _unarmed_crowd(p)]
    # Beside a crowd, its kin: 'striking miners and their families fought pitched battles with police'.
    others = [p for p in parties if p not in crowds and p.lemma_.lower() not in CROWD_MEMBERS]
    if not crowds or any(p.lemma_.lower() not in STATE_FORCE_NOUNS for p in others):
        return event_type
    modifiers = [c for c in noun.children if c.dep_ in {"amod", "compound", "det"}]
    games = [c for c in modifiers if c.dep_ == "compound" and c.pos_ == "NOUN" and c.lower_ not in {"street"}]
    not_blows = bool(games) or any(c.lemma_.lower() in WORDS_NOT_BLOWS | LOST_CAUSES for c in modifiers)
    elsewhere = told_elsewhere(noun)
    causes = [head_noun(o) for o in prep_objects(noun, {"against", "for"})]  # 'a battle against salinity'
    disputed = bool(prep_objects_of([noun, *parties], {"over", "about"})) or any(
        not _unarmed_crowd(c) and c.lemma_.lower() not in STATE_FORCE_NOUNS for c in causes
    )
    if not_blows or elsewhere or disputed:
        return event_type
    return "riot"


# What makes a clash one of words: 'verbal clashes', 'a legal battle'.
WORDS_NOT_BLOWS = words("verbal diplomatic legal ideological rhetorical courtroom")
# A struggle, not a fight: 'a losing battle against salinity', 'a long battle for compensation'.
LOST_CAUSES = words("losing uphill long")
# Where a fight is only words: 'on social media', 'on Twitter', 'on television'.
ONLINE_PLACES = words("media internet twitter facebook tiktok instagram television tv air online forum")


def online(word: Token) -> bool:
    """'A fight between fans on social media', 'attacked by fans online', 'was confined to social
    media': anywhere in the clause."""
    verb = word.head if word.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"} else word
    return any(
        t.lower_ == "online" or (t.lower_ in ONLINE_PLACES and t.head.lower_ in {"on", "to", "via"})
        for t in verb.subtree
    )


# What a riot told elsewhere hangs on: a court's charge, an anniversary, 'since the riots'.
RIOT_ELSEWHERE = words(
    "charge accuse jail sentence convict trial try guilty acquit prosecute since anniversary"
)


def _riot(token: Token, event_type: str) -> str | None:
    """'Riots broke out in Ferguson', 'rioting spread to three cities', 'prisoners rioted'; not 'a riot
    of colour', 'ran riot', 'the comedy is a riot', nor riots a court or an anniversary tells of
    ('charged with rioting in 2011', 'since the Los Angeles riots')."""
    if prep_objects(token, {"of"}) or token.head.lemma_ == "run" or token.dep_ in {"attr", "acomp"}:
        return None
    return None if told_elsewhere(token) else event_type


def told_elsewhere(noun: Token) -> bool:
    """A riot a court tells of: 'charged with rioting', 'went on trial over the riots', 'appeared in
    court over the clashes'; or an anniversary: 'since the riots'."""
    for ancestor in noun.ancestors:
        places = [o for o in prep_objects(ancestor, {"on", "in"}) if o.lemma_.lower() in {"trial", "court"}]
        if ancestor.lemma_.lower() in RIOT_ELSEWHERE or places:
            return True
    return False


# A crowd's violence told by verbs of armed violence: 'protesters clashed with police', 'rioters set
# fire to cars', 'demonstrators stormed parliament', 'looters torched shops'.
CROWD_VIOLENCE_VERBS = words(
    "clash fight attack storm loot torch set burn ransack smash vandalise vandalize overturn"
)


# What is signed when a war or a fight is settled: 'signed a peace agreement', 'signed a ceasefire'.
SETTLEMENT_NOUNS = words("agreement accord deal treaty pact protocol memorandum")
SETTLEMENTS = words("ceasefire truce armistice")


def _signed(token: Token, event_type: str) -> str | None:
    """'The government and four rebel groups signed a peace agreement', 'signed a ceasefire'; not
    'signed a supply deal' nor 'signed the bill'."""
    for signed in children_with(token, "dobj"):
        noun = head_noun(signed)
        lemma = noun.lemma_.lower()
        if lemma in SETTLEMENTS or (lemma in SETTLEMENT_NOUNS and _modifiers(noun) & TRUCE_WORDS):
            return event_type
    return None


def _exchange(token: Token, event_type: str) -> str | None:
    """'An exchange of fire', 'gunmen of two factions exchanged fire'; not an exchange of letters."""
    if token.pos_ == "VERB":
        return (
            event_type
            if any(o.lemma_.lower() in EXCHANGED_FIRE for o in children_with(token, "dobj"))
            else None
        )
    return event_type if any(t.lower_ == "fire" for t in token.subtree) else None


EXCHANGED_FIRE = words("fire gunfire shot shots blow blows")


VERB_RULES: dict[str, Rule] = {
    "sign": _signed,
    "fight": _fight_or_fighting,
    "battle": _fight_or_fighting,
    "repel": _repel,
    "repulse": _repel,
    "fend": _repel,
    "blow": _blow_up,
    "fall": _fall,
    "take": _take,
    "capture": _seize,
    "seize": _seize,
    "overrun": _seize,
    "overtake": _seize,
    "clear": _clear,
    "fire": _weapon_fired,
    "explode": _weapon_fired,
    "detonate": _weapon_fired,
    "launch": _weapon_aimed,
    "throw": _weapon_aimed,
    "pound": _pound,
    "shoot": _shoot,
    "attack": _by_remote_weapon,
    "target": _by_remote_weapon,
    "destroy": _by_remote_weapon,
    "defuse": _weapons_disrupted,
    "confiscate": _weapons_disrupted,
    "kidnap": _abduct,
    "abduct": _abduct,
    "set": _set_fire,
    "pull": _pull,
    "withdraw": _withdraw,
    "regain": _regain,
    "reclaim": _regain,
    "retake": _regain,
    "push": _drive_out,
    "drive": _drive_out,
    "expel": _drive_out,
    "oust": _drive_out,
    "send": _send,
    "deploy": _send,
    "dispatch": _send,
    "station": _send,
    "cross": _cross,
    "enter": _cross,
    "flee": _flee,
    "return": _flee,
    "protest": _protest,
    "demonstrate": _protest,
    "rally": _protest,
    "march": _gather,
    "gather": _gather,
    "disperse": _crowd_policed,
    "break": _crowd_policed,
    "use": _crowd_policed,
    "lob": _crowd_policed,
    "beat": _crowd_policed,
    "charge": _crowd_policed,
    "riot": _riot,
    "pelt": _stoned,
    "hurl": _stoned,
    "ransack": _crowd_riot,
    "vandalise": _crowd_riot,
    "vandalize": _crowd_riot,
    "speak": _speak,
    "provide": _provide,
    "announce": _announce,
    "exchange": _exchange,
    "strike": _strike,
    "hit": _strike,
    "kill": _killing,
    "massacre": _killing,
    "slaughter": _killing,
    "execute": _killing,
    "neutralise": _killing,
    "neutralize": _killing,
    "eliminate": _killing,
    "martyr": _killing,
    "die": _kill,
    "wound": _kill,
    "injure": _kill,
}


# What fires from afar: 'artillery fire', 'mortar fire', 'RPG fire'.
HEAVY_FIRE = words("artillery mortar rocket rpg missile tank howitzer cannon")


def _modifiers(token: Token) -> set[str]:
    return {child.lemma_.lower() for child in token.children if child.dep_ in {"compound", "amod"}}


def _encounter(token: Token, event_type: str) -> str | None:
    """'Killed in an encounter with troops', 'an armed encounter': a fight, as Philippine and Indian
    forces tell it; not 'a chance encounter with a bear'."""
    met = [head_noun(o) for o in prep_objects(token, {"with", "between"})]
    armed = any(
        m.lemma_.lower() in STATE_FORCE_NOUNS | NON_STATE_WORDS or m.lower_ in NON_STATE_WORDS for m in met
    )
    return event_type if armed or _modifiers(token) & {"armed", "gun", "fierce", "heavy"} else None


def _fire_noun(token: Token, event_type: str) -> str | None:
    """'killed in artillery fire', 'hit by RPG fire'; not a fire that broke out, nor gunfire. Fire
    opened on people is a shooting: see _opened_fire."""
    if _modifiers(token) & HEAVY_FIRE:
        return event_type
    return _opened_fire(token)


def _opened_fire(fire: Token) -> str | None:
    """'Gunmen opened fire on worshippers', 'police opened fire on demonstrators', 'soldiers opened fire
    at a crowd of protesters': violence against civilians; 'insurgents opened fire on a patrol': an
    attack; in a fight ('on each other', 'sparking clashes', 'returned fire'), an armed clash. Not
    fire opened on nobody ('opened fire, killing two' is told by the killing), with tear gas or water
    cannon, nor on those whose own violence a relative clause tells ('on gunmen who had attacked')."""
    shot = opened_fire_on(fire)
    if not shot or _crowd_control_fired(fire.head) or any(map(_told_by_its_own_violence, shot)):
        return None
    if any(o.lower_ == "other" for o in shot) or _a_fight_told(fire.sent, shot):
        return "armed_clash"  # 'opened fire on each other', 'and the rebels returned fire'
    return "violence_against_civilians" if any(map(unarmed, shot)) else "attack"


def _told_by_its_own_violence(shot: Token) -> bool:
    """'opened fire on gunmen who had attacked a church', 'on rioters who were looting shops': the
    relative clause's own event is the news."""
    return any(trigger_type(verb) is not None for verb in children_with(head_noun(shot), "relcl"))


def _crowd_control_fired(verb: Token) -> bool:
    """'opened fire with tear gas', 'shot rubber bullets at demonstrators': a crowd met, not shot."""
    fired = children_with(verb, "dobj") + prep_objects(verb, {"with"})
    return any(_crowd_control(m) for o in fired for m in [o, *o.conjuncts])


def _a_fight_told(sentence: Span, shot: list[Token]) -> bool:
    """'opened fire on troops, sparking clashes', '... and the rebels returned fire'; not what the shot
    were doing ('villagers who were fleeing the fighting')."""
    theirs = {t.i for o in shot for t in o.subtree}
    return any(
        t.i not in theirs
        and (
            (t.lemma_.lower() in FIGHT_WORDS and t.pos_ in {"NOUN", "VERB"})
            or (t.lemma_ == "return" and any(o.lemma_ == "fire" for o in children_with(t, "dobj")))
        )
        for t in sentence
    )


FIGHT_WORDS = words("clash fight fighting battle firefight gunfight skirmish gunbattle")
AIMED = {"on", "at", "upon", "into"}


def opened_fire_on(fire: Token) -> list[Token]:
    """Whom fire was opened on: 'opened fire on worshippers', 'opened fire at a crowd'; not 'on Tuesday'."""
    if fire.lemma_ != "fire" or fire.dep_ != "dobj" or fire.head.lemma_ != "open":
        return []
    return _aimed_at([fire, fire.head])


def _aimed_at(tokens: list[Token]) -> list[Token]:
    """The objects of 'on', 'at' and 'into' phrases: not a day ('on Tuesday') nor 'into the air'."""
    aimed = [o for t in tokens for o in prep_objects(t, AIMED)]
    skyward = {"air", "sky"}
    return [o for o in aimed if o.ent_type_ not in {"DATE", "TIME"} and o.lemma_.lower() not in skyward]


def shot_at(verb: Token) -> list[Token]:
    """Whom a shooting was aimed at: 'opened fire on protesters', 'fired live rounds at the crowd',
    'shot dead three demonstrators', 'two protesters were shot by police'."""
    if verb.lemma_ == "open":
        return [o for fire in children_with(verb, "dobj") for o in opened_fire_on(fire)]
    if verb.lemma_ not in {"fire", "shoot"} or _crowd_control_fired(verb):
        return []
    shot = children_with(verb, "dobj", "nsubjpass") if verb.lemma_ == "shoot" else []
    return _aimed_at([verb, *children_with(verb, "dobj")]) + shot


def unarmed(noun: Token) -> bool:
    """Civilians, or a crowd: 'worshippers', 'protesters', 'a crowd of revellers', 'people'; not 'armed
    supporters' nor a mob."""
    head = head_noun(noun)
    if _armed(head) or any(
        c.lower_ in {"armed", "gun-toting", "masked"} for t in {noun, head} for c in t.children
    ):
        return False  # 'a crowd of Taliban fighters', 'armed supporters'

    crowd = (_crowd(noun) or _crowd(head)) and "mob" not in {noun.lemma_.lower(), head.lemma_.lower()}
    return head.lemma_.lower() in CIVILIAN_NOUNS or crowd


def _strike_noun(token: Token, event_type: str) -> str | None:
    """'an air strike', 'a precision strike on a compound', 'a lethal strike against an insurgent'
    (no strike by workers is lethal); as press releases tell them, 'aircraft conducted 12 strikes
    against ISIS targets', 'three strikes engaged ISIS tactical units'. Not workers' strikes 'against
    the government', 'at the plant' or 'on Monday'."""
    if _from_afar(token) or _modifiers(token) & {"precision", "lethal"}:
        return event_type
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lemma_ in SERIES_NOUNS:
        token = token.head.head  # 'carried out a series of strikes on terrorist concentrations'
    if any(map(_armed_target, prep_objects(token, {"against", "on"}) + _against_objects(token))):
        return event_type
    hit = children_with(token.head, "dobj") if token.dep_ == "nsubj" else []
    if token.head.lemma_ in {"engage", "destroy"} and any(map(_armed_target, hit)):
        return event_type
    if token.head.lemma_ in KILLING_LEMMAS and any(map(counted_or_person, hit)):
        return event_type  # 'the strikes neutralised several terrorists': no workers' strike kills
    doer = clause_subject(token.head) if token.dep_ == "dobj" else None
    aircraft = doer is not None and (head_noun(doer).lemma_.lower() in AIRCRAFT_DOERS or _from_afar(doer))
    return event_type if aircraft else None  # 'drones carried out strikes', 'air assets conducted strikes'


SERIES_NOUNS = words("series wave spate barrage round string number")


AIRCRAFT_DOERS = CREWED_AIRCRAFT | words("drone drones")


def _against_objects(action: Token) -> list[Token]:
    return [o for phrase in against_phrases(action) for o in children_with(phrase, "pobj")]


def _armed_target(noun: Token) -> bool:
    """'militants', 'ISIS targets', 'Iranian targets', 'insurgent positions', 'two ISIS units': an armed
    side, or a target or position its own modifiers give to one; not 'the militia's tax', 'Hamas
    taxes', 'the base' or 'the site' (workers strike at those)."""
    head = head_noun(noun)
    lemma = head.lemma_.lower()
    if lemma in NON_STATE_WORDS:
        return True
    owners = [c for c in head.children if c.dep_ in {"compound", "amod", "nmod"}]
    armed = any(o.lower_ in NON_STATE_WORDS or o.ent_type_ in {"NORP", "ORG"} for o in owners)
    return lemma in ARMED_TARGETS and armed


ARMED_TARGETS = words("target position unit fighter vehicle compound hideout")


def _from_afar(noun: Token) -> bool:
    """'an air strike', 'drone strikes', 'an Afghan Air Force strike', 'an air raid'."""
    return bool(_described(noun) & {"air", "drone", "missile", "rocket", "artillery", "mortar"})


# What forces detain people in: 'arrested 14 suspected militants in overnight raids'.
ARREST_LEMMAS = words("arrest detain apprehend")


def _raid(token: Token, event_type: str) -> str | None:
    """'An air raid' is from afar; the raids in which people were arrested are the arrests."""
    prep = token.head
    verbs = [prep.head, prep.head.head] if prep.head.dep_ == "conj" else [prep.head]  # 'arrested and seized'
    in_arrests = any(verb.lemma_ in ARREST_LEMMAS for verb in verbs)
    if token.dep_ == "pobj" and prep.lower_ in {"in", "during"} and in_arrests:
        return None
    return "remote_violence" if _from_afar(token) else event_type


def _fall_noun(token: Token, event_type: str) -> str | None:
    return event_type if "of" in _preps(token) else None


def _capture_noun(token: Token, event_type: str) -> str | None:
    """'the capture of the town' is ground taken; 'the capture of three suspects' an arrest; 'the
    seizure of 52 rockets' or of 500 kg of heroin no ground."""
    taken = prep_objects(token, {"of"})
    if not taken or _is_place(taken[0]):
        return event_type
    return "arrest" if _is_captive(taken[0]) else None


def _passage(token: Token, event_type: str) -> str | None:
    return event_type if "safe" in _modifiers(token) else None


def _exercise(token: Token, event_type: str) -> str | None:
    """Drills of armed forces, not 'the exercise of power'."""
    military = _modifiers(token) & EXERCISE_MODIFIERS or has_word(token.sent.root, MILITARY_NOUNS)
    return event_type if military else None


OPERATION_VERBS = words("conduct launch carry mount begin start undertake")


def _operation(token: Token, event_type: str) -> str | None:
    """'conducted clearing operations against the Taliban', 'killed during ground and air
    operations'; not a company's operations."""
    described = {c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod", "nmod"}}
    modifiers = described & words("military clearing clearance ground air security combat joint special")
    during = token.dep_ == "pobj" and token.head.head.lemma_ in {"kill", "wound", "injure", "die", "arrest"}
    # 'against' on the verb counts for 'conducted operations against militants', not for
    # 'responsible for coordinating insurgent operations ... against the district center'
    verb_carries = token.dep_ == "dobj" and token.head.lemma_ in OPERATION_VERBS
    against = any(p.head.i != token.head.i or verb_carries for p in against_phrases(token))
    return event_type if modifiers or against or during else None


def _talk(token: Token, event_type: str) -> str | None:
    """'peace talks', 'talks between', 'talks on a ceasefire' negotiate; 'held talks with' meet."""
    preps = _preps(token)
    holders = [token, token.head] if token.dep_ == "dobj" else [token]  # 'held talks ... on a truce'
    topic = [
        c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in {"on", "over", "about"}
    ]
    if _modifiers(token) & TRUCE_WORDS or "between" in preps or any(has_word(p, TRUCE_WORDS) for p in topic):
        return "negotiation"
    if token.head.lemma_ not in {"hold", "have"} and "with" not in preps:
        return "negotiation" if token.dep_ == "nsubj" else None
    return event_type


def _conference(token: Token, event_type: str) -> str | None:
    return event_type if "with" in _preps(token) else None


def _visit(token: Token, event_type: str) -> str | None:
    return event_type if "to" in _preps(token) else None


def _meeting(token: Token, event_type: str) -> str | None:
    return event_type if "with" in _preps(token) or _modifiers(token) else None


NON_VIOLENT_ATTACKS = words("heart panic asthma anxiety shark dog")


def _attack_noun(token: Token, event_type: str) -> str | None:
    """Not a 'heart attack', a 'panic attack' or a 'shark attack'; 'a rocket attack' is from afar."""
    if _modifiers(token) & NON_VIOLENT_ATTACKS:
        return None
    return "remote_violence" if _from_afar(token) else event_type


def military_strike(noun: Token) -> bool:
    """An air, drone, missile, rocket or artillery strike (not lightning that struck, nor workers')."""
    return noun.pos_ == "NOUN" and noun.lemma_ == "strike" and trigger_type(noun) == "remote_violence"


def counted_or_person(noun: Token) -> bool:
    """'15 people', 'several soldiers', 'five', a named or described person: who can be the dead."""
    counted = noun.like_num or any(c.dep_ == "nummod" or c.lower_ in VAGUE_COUNTS for c in noun.children)
    lemma = noun.lemma_.lower()
    return counted or noun.ent_type_ == "PERSON" or lemma in PERSON_NOUNS or lemma in GROUP_NOUNS


def counted_deaths(death: Token) -> bool:
    """'12 civilian deaths', 'the deaths of three soldiers'; not 'the death of a man'."""
    counted = any(c.dep_ == "nummod" for c in death.children)
    return counted or any(
        c.like_num or c.dep_ == "nummod" for o in prep_objects(death, {"of"}) for c in [o, *o.children]
    )


def _death(token: Token, event_type: str) -> str | None:
    """Deaths that are counted or named: '12 civilian deaths', 'the deaths of three soldiers', 'the
    death of Haqqani leader Shabeer' (this last only as the toll of a violent event it folds into:
    triggers.py); not a 'death toll' or 'death penalty', nor anything done 'to death'."""
    if token.dep_ == "compound" or (token.dep_ == "pobj" and token.head.lower_ == "to"):
        return None
    return event_type if counted_deaths(token) or prep_objects(token, {"of"}) else None


def _dead(token: Token) -> str | None:
    """'were found dead', 'leaving 15 people dead', 'left 12 dead', '12 people were dead': the dead as
    what is said of them; not a 'dead end', a deal that 'is dead', or an obituary's 'is dead at 85'."""
    if token.lower_ != "dead":
        return None
    verb = token.head
    if children_with(token, "nummod") and (token.dep_ in {"acomp", "oprd"} or verb.lemma_ == "leave"):
        return "casualties_reported"  # 'left 12 dead', 'leaving 7 dead'
    if token.dep_ not in {"acomp", "oprd"}:
        return None
    dead = children_with(verb, "nsubj", "nsubjpass", "dobj")
    if verb.lemma_ == "be":  # only a count: '12 people were dead', not 'the former chief is dead'
        people = [n for n in dead if n.like_num or any(c.dep_ == "nummod" for c in n.children)]
    else:  # 'left two dead'
        people = [n for n in dead if counted_or_person(n) or (n.like_num and n.dep_ == "dobj")]
    return "casualties_reported" if people else None


def _explosion(token: Token, event_type: str) -> str | None:
    """Not 'an explosion in rents' nor 'an explosion of anger'."""
    grown = prep_objects(token, {"in", "of"})
    if any(amount.lemma_.lower() in GROWING_AMOUNTS for amount in grown):
        return None
    return None if _leak_blast(token) else event_type


def _leak_blast(noun: Token) -> bool:
    """'A leaking cooking-gas cylinder was to blame', 'a gas leak caused the blast': no bomb."""
    blast = noun.lemma_.lower() in {"explosion", "blast"}
    return blast and any(t.lemma_.lower() in LEAKING_THINGS for t in noun.sent)


# What blows up without anyone's bomb: 'a gas cylinder', 'a boiler', 'a gas leak'.
LEAKING_THINGS = words("cylinder boiler leak leaking")


NOUN_RULES: dict[str, Rule] = {
    "riot": _riot,
    "rioting": _riot,
    "explosion": _explosion,
    "fight": _crowd_fight,
    "fighting": _fighting,
    "battle": _crowd_fight,
    "clash": _crowd_fight,
    "skirmish": _crowd_fight,
    "operation": _operation,
    "exchange": _exchange,
    "encounter": _encounter,
    "strike": _strike_noun,
    "raid": _raid,
    "fire": _fire_noun,
    "fall": _fall_noun,
    "capture": _capture_noun,
    "seizure": _capture_noun,
    "passage": _passage,
    "exercise": _exercise,
    "drill": _exercise,
    "talk": _talk,
    "conference": _conference,
    "visit": _visit,
    "meeting": _meeting,
    "death": _death,
    "attack": _attack_noun,
}


def _checked(token: Token, triggers: dict[str, str], rules: dict[str, Rule]) -> str | None:
    lemma = token.lemma_.lower()
    event_type = triggers.get(lemma)
    if event_type is None:
        return None
    rule = rules.get(lemma)
    return rule(token, event_type) if rule else event_type


def _names_a_kind(noun: Token) -> bool:
    """'attack jets', 'a battle group', 'an arrest warrant': the word says what a thing is for, not that
    anything happened ('a protest march' still is one: the march is)."""
    head = noun.head
    if noun.dep_ != "compound" or head.pos_ not in {"NOUN", "PROPN"}:
        return False
    return head.lemma_.lower() not in OCCURRENCE_NOUNS and trigger_type(head) is None


# What an event word may qualify and still be the event: 'an air assault operation', 'a bombing campaign'.
OCCURRENCE_NOUNS = words(
    "operation mission campaign incident wave spree march procession vigil walkout gathering action run "
    "sortie"
)


# Nouns the model may tag as verbs ('killed during Afghan forces airstrikes'): English has no such verbs.
NOUNS_ONLY = words("airstrike ied landmine")


def _crowd_violence(verb: Token) -> bool:
    """What the crowd did was violence to people, police or property: 'clashed with police', 'set fire
    to cars', 'stormed the parliament building', 'looted shops'; not 'clashed over the wording',
    'fought for tickets', 'stormed the stage', 'attacked the plan', 'burned the national flag'."""
    if verb.lemma_ in {"clash", "fight"}:  # 'rival groups of protesters clashed', not 'clashed over'
        met = [head_noun(o) for o in prep_objects(verb, {"with"})]
        if any(m.lower_ in {"other", "another"} for m in met):  # 'clashed with each other'
            return True
        if not met:
            if any(c.lower_ in {"side", "together", "alongside"} for c in verb.children):
                return False  # 'police and workers fought side by side to contain the blaze'
            elsewhere = {"over", "for", "about", "against", "off"}  # 'fought off the rain'
            fought = [o for o in children_with(verb, "dobj") if not _blows(o)]  # 'fought a fire'
            return not (_preps(verb).keys() | _particles(verb)) & elsewhere and not fought
        return any(o.lemma_.lower() in RIOTING_CROWDS | STATE_FORCE_NOUNS | words("rival group") for o in met)
    if (verb.lemma_ == "set" and not _set_fire_told(verb)) or online(verb):
        return False
    done = children_with(verb, "dobj") + _done_to(verb)
    done += prep_objects(verb, {"to"}) if verb.lemma_ == "set" else []  # 'set fire to cars'
    targets = RIOT_TARGETS | STATE_FORCE_NOUNS
    hit = [head_noun(m) for o in done for m in [o, *o.conjuncts]]
    return any(t.lemma_.lower() in targets and not _armed_mens(t) for t in hit)


def _armed_mens(target: Token) -> bool:
    """'A Taliban checkpoint', 'the militants' checkpoint': armed men's post, which a crowd that attacks
    it fights; not 'the rebels' office'."""
    if target.lemma_.lower() != "checkpoint":
        return False
    owners = [c for c in target.children if c.dep_ in {"compound", "poss", "amod"}]
    return any(o.lower_ in NON_STATE_WORDS or o.lemma_.lower() in NON_STATE_WORDS for o in owners)


def _blows(fought: Token) -> bool:
    """'Fought pitched battles', not 'fought a fire', 'a losing battle against salinity', 'a legal
    battle', 'a long battle for compensation'."""
    modifiers = {c.lemma_.lower() for c in fought.children if c.dep_ in {"amod", "compound"}}
    return (
        fought.lemma_.lower() in FIGHT_NOUNS
        and not modifiers & (WORDS_NOT_BLOWS | LOST_CAUSES)
        and not prep_objects(fought, {"against", "for", "over", "about"})
    )


# What a crowd fights when it fights one another: 'youths fought pitched battles', not 'fought a fire'.
FIGHT_NOUNS = words("battle fight clash skirmish brawl")


def _police_fought_a_crowd(verb: Token) -> bool:
    """'Police clashed with hundreds of protesters', 'troops fought running battles with youths': the
    crowd's riot, told from the police's side."""
    if verb.lemma_ not in {"clash", "fight", "battle"} or online(verb):
        return False
    subject = clause_subject(verb)
    if subject is None or head_noun(subject).lemma_.lower() not in STATE_FORCE_NOUNS:
        return False
    objects = children_with(verb, "dobj")  # 'fought running battles with youths'
    met = [head_noun(o) for o in prep_objects(verb, {"with"}) + prep_objects_of(objects, {"with"})]
    return any(_unarmed_crowd(m) for m in met)


# What words, not blows, are fired with: 'ambushed the minister with questions'.
VOLLEYS_OF_WORDS = words(
    "question query criticism complaint demand request email letter call message insult accusation "
    "allegation lawsuit petition"
)


VOLLEYING_VERBS = words("ambush attack bombard pelt assail blast hit strike")


def trigger_type(token: Token) -> str | None:
    if token.pos_ == "VERB" and token.lemma_.lower() in NOUNS_ONLY:
        return _checked(token, NOUN_TRIGGERS, NOUN_RULES)
    if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.lemma_ != "be"):
        volleys = any(o.lemma_.lower() in VOLLEYS_OF_WORDS for o in prep_objects(token, {"with"}))
        if volleys and token.lemma_.lower() in VOLLEYING_VERBS:
            return None  # 'MPs ambushed the minister with questions', 'bombarded with complaints'
        if token.lemma_.lower() in CROWD_VIOLENCE_VERBS and rioting_crowd(token) and _crowd_violence(token):
            return "riot"
        if _police_fought_a_crowd(token):
            return "riot"
        return _checked(token, VERB_TRIGGERS, VERB_RULES)
    if token.pos_ in {"NOUN", "PROPN"} and token.ent_type_ == "":
        if _names_a_kind(token):
            return None
        return _checked(token, NOUN_TRIGGERS, NOUN_RULES)
    if token.pos_ == "ADJ":
        return _dead(token)
    return None
