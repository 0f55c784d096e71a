"""Event triggers and their arguments, read off the dependency parse of one sentence.

A trigger is a verb or noun whose lemma names an event type; its clause gives the actors (subject, agent,
'fell to X'), targets (object, 'attack on X', 'talks with X'), places (through locative prepositions)
and time expressions. Reported predictions, infinitival purposes, negations and quotes are not events.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ingest.nlp import words

KIND_NOUNS = words("district province city town region")
EXERCISE_MODIFIERS = words("military joint naval war army live air")


def by_lemma(types: dict[str, str]) -> dict[str, str]:
    """{event type: "lemma lemma ..."} → {lemma: event type}."""
    return {lemma: event_type for event_type, lemmas in types.items() for lemma in lemmas.split()}


VERB_TRIGGERS = by_lemma(
    {
        "attack": "attack ambush raid storm assault",
        "armed_clash": "clash fight battle skirmish",
        "remote_violence": "shell bomb bombard",
        "territory_captured": "capture seize overrun take fall",
        "territory_regained": "recapture retake regain reclaim liberate",
        "withdrawal": "withdraw pull retreat abandon vacate evacuate",
        "casualties_reported": "kill die wound injure",
        "deployment": "deploy send dispatch station",
        "border_crossing": "cross flee return enter",
        "diplomatic_meeting": "meet visit speak host",
        "statement": "warn announce declare condemn urge threaten vow",
        "negotiation": "negotiate",
        "aid_pledge": "pledge donate provide",
        "protest": "protest demonstrate rally",
        "arrest": "arrest detain apprehend",
    }
)
NOUN_TRIGGERS = by_lemma(
    {
        "attack": "attack ambush raid assault bombing",
        "armed_clash": "clash battle fight firefight gunfight skirmish exchange",
        "remote_violence": "airstrike strike shelling explosion blast",
        "territory_captured": "fall capture seizure",
        "territory_regained": "recapture",
        "withdrawal": "withdrawal pullout retreat",
        "deployment": "deployment",
        "border_crossing": "passage",
        "military_exercise": "drill exercise manoeuvre maneuver wargame",
        "diplomatic_meeting": "meeting talk summit conference visit",
        "negotiation": "negotiation",
        "protest": "protest demonstration rally",
        "arrest": "arrest",
    }
)
VIOLENT_TYPES = words(
    "attack armed_clash remote_violence territory_captured territory_regained withdrawal "
    "casualties_reported violence_against_civilians arrest deployment border_crossing "
    "military_exercise"
)
PLANNABLE_TYPES = words(
    "military_exercise deployment diplomatic_meeting negotiation aid_pledge withdrawal protest"
)
CONFLICT_WORDS = words(
    "force forces troop soldier militant fighter insurgent insurgency rebel police policeman army "
    "military gunman jihadist terrorist militia commando guard airstrike bomb rocket mortar missile "
    "weapon gun troops marine battalion checkpoint border offensive personnel refuge war "
    "taliban hamas hezbollah houthi houthis isis isil daesh shabaab qaeda"
)
GROUP_NOUNS = words(
    "force forces troop troops soldier militant fighter insurgent rebel police policeman army "
    "personnel guard militia commando official authority government civilian protester demonstrator "
    "refugee villager worker student gunman officer military marine jihadist people spokesman "
    "spokesmen delegation"
)
CIVILIAN_NOUNS = words("civilian villager child woman worshipper student passenger refugee")
TERRITORY_NOUNS = words(
    "territory district town city village base checkpoint area province post position control capital "
    "crossing airbase airport outpost region valley centre center hill bridge headquarters"
)
AID_NOUNS = words("aid assistance funding support relief fund grant loan money vaccine")
SPEECH_VERBS = words(
    "say tell add state report claim write announce warn confirm accuse note insist believe expect "
    "hope fear predict"
)
NON_FACT_MODALS = words("could might may should must can ca")
# Nouns that make the event they govern an idea rather than a fact: 'a proposal for a withdrawal'.
PROPOSAL_NOUNS = words(
    "proposal plan call demand offer threat deal agreement request idea possibility prospect risk "
    "fear option timetable deadline"
)
PROTEST_VERBS = {"protest", "demonstrate", "rally"}
FUTURE_MARKERS = {"will", "would", "'ll", "shall"}
EVENT_PRIORITY = [
    "territory_captured",
    "territory_regained",
    "border_crossing",
    "attack",
    "remote_violence",
    "violence_against_civilians",
    "armed_clash",
    "withdrawal",
    "casualties_reported",
    "arrest",
    "deployment",
    "military_exercise",
    "diplomatic_meeting",
    "negotiation",
    "aid_pledge",
    "protest",
    "statement",
]


@dataclass
class Trigger:
    token: Token
    type: str
    planned: bool = False
    consumed: list[Token] = field(default_factory=list)  # other triggers folded into this one


def _children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _has_word(token: Token, vocabulary: Set[str]) -> bool:
    return any(t.lemma_.lower() in vocabulary or t.lower_ in vocabulary for t in token.subtree)


def clause_subject(token: Token) -> Token | None:
    """The subject of a trigger verb, borrowed from the first conjunct when it has none of its own."""
    current = token
    while True:
        subjects = _children(current, "nsubj", "nsubjpass")
        if subjects:
            return subjects[0]
        if (
            current.dep_ in {"conj", "xcomp"}
            and current.head.pos_ in {"VERB", "AUX"}
            and current.head != current
        ):
            current = current.head
            continue
        if current.dep_ in {"acl", "relcl"}:
            return current.head
        return None


def modality(token: Token) -> str:
    """'fact', 'planned' (will/would) or 'unreal' (could, may, negated, infinitive purpose, conditional)."""
    if token.pos_ == "NOUN":
        governor = token.head.head if token.head.pos_ == "ADP" else token.head
        if governor.lemma_.lower() in PROPOSAL_NOUNS:
            return "unreal"
    verb = token if token.pos_ in {"VERB", "AUX"} else token.head
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in {"aux", "auxpass"}}
    if _children(verb, "neg") or auxiliaries & NON_FACT_MODALS:
        return "unreal"
    if any(child.lower_ == "if" for child in verb.children if child.dep_ == "mark"):
        return "unreal"
    if (
        token.pos_ in {"VERB", "AUX"}
        and "to" in auxiliaries
        and token.dep_ in {"xcomp", "advcl", "acl", "relcl", "ccomp"}
    ):
        return "unreal"
    if auxiliaries & FUTURE_MARKERS:
        return "planned"
    for ancestor in token.ancestors:
        ancestor_aux = {child.lower_ for child in ancestor.children if child.dep_ in {"aux", "neg"}}
        if ancestor_aux & NON_FACT_MODALS or "not" in ancestor_aux or "n't" in ancestor_aux:
            return "unreal"
        if ancestor_aux & FUTURE_MARKERS:
            return "planned"
        if ancestor.lemma_ in SPEECH_VERBS or ancestor.dep_ == "ROOT":
            break
    return "fact"


def in_quotes(token: Token, sentence: Span) -> bool:
    """Inside a direct quotation, counting quote marks from the start of the paragraph."""
    text = sentence.doc.text
    before = text[text.rfind("\n", 0, token.idx) + 1 : token.idx]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _verb_type(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    event_type = VERB_TRIGGERS.get(lemma)
    if event_type is None:
        return None
    particles = {
        child.lower_ for child in token.children if child.dep_ == "prt" or child.lower_ in {"out", "back"}
    }
    objects = _children(token, "dobj")
    preps = {child.lower_: child for child in token.children if child.dep_ == "prep"}
    if lemma == "fall":
        return event_type if "to" in preps else None
    if lemma == "take":
        if "over" in particles or any(o.lemma_ in {"control", "territory"} for o in objects):
            return event_type
        return None
    if lemma in {"capture", "seize", "overrun"} and objects:
        if objects[0].ent_type_ == "PERSON":
            return "arrest"
        if not (objects[0].ent_type_ in {"GPE", "LOC", "FAC"} or _has_word(objects[0], TERRITORY_NOUNS)):
            return None
    if lemma == "pull" and not particles & {"out", "back"}:
        return None
    if lemma in {"send", "deploy", "dispatch", "station"} and not any(
        _has_word(o, CONFLICT_WORDS) for o in objects
    ):
        return None
    if lemma in {"cross", "enter"} and not any(
        o.ent_type_ == "GPE" or _has_word(o, {"border"}) for o in objects
    ):
        return None
    if lemma in {"flee", "return"}:
        destinations = [p for p in preps.values() if p.lower_ in {"to", "into", "across"}]
        crossing = any(
            _has_word(p, {"border"}) or any(t.ent_type_ == "GPE" for t in p.subtree) for p in destinations
        )
        if not crossing and not _has_word(token.sent.root, {"refuge", "border"}):
            return None
    if lemma in PROTEST_VERBS:
        subject = clause_subject(token)
        if subject is None or not (
            subject.lemma_.lower() in GROUP_NOUNS or subject.ent_type_ in {"PERSON", "NORP"}
        ):
            return None
    if lemma == "speak" and not any(p in preps for p in ("to", "with")):
        return None
    if lemma == "provide" and not any(_has_word(o, AID_NOUNS) for o in objects):
        return None
    if lemma in {"kill", "die", "wound", "injure"}:
        targets = _children(token, "nsubjpass", "dobj") + (
            [token.head] if token.dep_ in {"acl", "amod"} else []
        )
        if any(_has_word(t, CIVILIAN_NOUNS) for t in targets):
            return "violence_against_civilians"
    return event_type


def _noun_type(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    event_type = NOUN_TRIGGERS.get(lemma)
    if event_type is None:
        return None
    modifiers = {child.lemma_.lower() for child in token.children if child.dep_ in {"compound", "amod"}}
    preps = {child.lower_ for child in token.children if child.dep_ == "prep"}
    if lemma == "exchange" and not any(t.lower_ == "fire" for t in token.subtree):
        return None
    if lemma == "strike" and not modifiers & {"air", "drone", "missile", "rocket", "artillery"}:
        return None
    if lemma == "fall" and "of" not in preps:
        return None
    if lemma == "passage" and "safe" not in modifiers:
        return None
    military = modifiers & EXERCISE_MODIFIERS or _has_word(token.sent.root, {"soldier", "troops", "forces"})
    if lemma in {"exercise", "drill"} and not military:
        return None
    if lemma == "talk":
        if modifiers & {"peace"} or "between" in preps:
            return "negotiation"
        if token.head.lemma_ not in {"hold", "have"} and "with" not in preps:
            return "negotiation" if token.dep_ in {"nsubj"} else None
    if lemma == "conference" and "with" not in preps:
        return None
    if lemma == "visit" and not preps & {"to"}:
        return None
    if lemma == "meeting" and "with" not in preps and not modifiers:
        return None
    return event_type


def trigger_type(token: Token) -> str | None:
    if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.lemma_ != "be"):
        return _verb_type(token)
    if token.pos_ in {"NOUN", "PROPN"} and token.ent_type_ == "":
        return _noun_type(token)
    return None


def has_conflict_context(sentence: Span) -> bool:
    return any(t.lemma_.lower() in CONFLICT_WORDS or t.lower_ in CONFLICT_WORDS for t in sentence)


def find_triggers(sentence: Span, article_conflict: bool = False) -> list[Trigger]:
    """Triggers of reported facts and plans; kills inside an attack or clash fold into it."""
    found: list[Trigger] = []
    conflict = article_conflict or has_conflict_context(sentence)
    for token in sentence:
        event_type = trigger_type(token)
        if event_type is None or in_quotes(token, sentence):
            continue
        if event_type in VIOLENT_TYPES and not conflict:
            continue
        mood = modality(token)
        if mood == "unreal" or (mood == "planned" and event_type not in PLANNABLE_TYPES):
            continue
        if token.tag_ in {"VBZ", "VBP"} and not _children(token, "aux", "auxpass"):
            continue  # headline style or habitual present: 'forces flee to Tajikistan'
        found.append(Trigger(token, event_type, planned=mood == "planned"))
    return _fold(found)


def _fold(triggers: list[Trigger]) -> list[Trigger]:
    """Kills 'in a Taliban attack' are that attack; 'X retreated and fled to Y' is one crossing."""
    folded: set[int] = set()
    for trigger in triggers:
        for host in triggers:
            if host is trigger or host.token.i in folded or not _folds_into(trigger, host):
                continue
            host.consumed += [trigger.token, *trigger.consumed]
            if trigger.type == "violence_against_civilians" and host.type in {"attack", "remote_violence"}:
                host.type = trigger.type
            folded.add(trigger.token.i)
            break
    return [trigger for trigger in triggers if trigger.token.i not in folded]


def _folds_into(trigger: Trigger, host: Trigger) -> bool:
    if trigger.type in {"casualties_reported", "violence_against_civilians"} and host.type in {
        "attack",
        "armed_clash",
        "remote_violence",
    }:
        return host.token in trigger.token.subtree or trigger.token in host.token.subtree
    conjunct, first = (
        (trigger.token, host.token) if trigger.token.dep_ == "conj" else (host.token, trigger.token)
    )
    shares_subject = (
        conjunct.dep_ == "conj" and conjunct.head == first and not _children(conjunct, "nsubj", "nsubjpass")
    )
    joined_by_and = not any(c.lower_ in {"but", "yet", "while"} for c in first.children if c.dep_ == "cc")
    if (
        shares_subject
        and joined_by_and
        and EVENT_PRIORITY.index(host.type) < EVENT_PRIORITY.index(trigger.type)
    ):
        return True
    if trigger.token.pos_ == "NOUN" and trigger.token in host.token.subtree and trigger.type == host.type:
        return True
    return (
        trigger.token.pos_ == "NOUN"
        and trigger.token.head == host.token
        and trigger.type in {"armed_clash", "attack"}
        and host.type in {"territory_captured", "withdrawal", "attack"}
    )


BLOCKING_PREPOSITIONS = words("with including about regarding for like than since over")
LOCATIVE = words(
    "in at near from to into across around outside inside throughout toward towards through within "
    "out on of off along between"
)
ROLE_HEADS = words(
    "official governor lawmaker member commander minister head elder spokesman spokesmen media office "
    "chief army ministry council unit"
)


CLAUSE_DEPS = words("conj parataxis advcl ccomp relcl xcomp acl")


def governing_verb(token: Token) -> Token:
    """For a noun trigger, the verb whose clause it sits in ('take part in [drills]' → take)."""
    current = token
    while (
        current.pos_ not in {"VERB", "AUX"}
        and current.head != current
        and current.dep_ in {"pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "compound", "conj"}
    ):
        current = current.head
    return current


def _own_subtree(root: Token, trigger: Token, other_triggers: set[int]) -> list[Token]:
    """The subtree of root without embedded clauses, speech reports and other triggers' phrases."""
    excluded: set[int] = set()
    for token in root.subtree:
        if token == root or token.i in excluded or trigger in token.subtree:
            continue
        own_subject = bool(_children(token, "nsubj", "nsubjpass"))
        embedded = token.pos_ in {"VERB", "AUX"} and (token.dep_ in CLAUSE_DEPS or own_subject)
        if token.dep_ == "conj" and not own_subject:
            embedded = False
        if embedded or token.lemma_ in SPEECH_VERBS or (token.i in other_triggers and token != trigger):
            excluded.update(t.i for t in token.subtree)
    return [t for t in root.subtree if t.i not in excluded]


def clause_tokens(trigger: Trigger, other_triggers: set[int]) -> list[Token]:
    """The trigger's own clause, with the clauses of the triggers folded into it."""
    tokens: list[Token] = []
    for token in [trigger.token, *trigger.consumed]:
        tokens += _own_subtree(token, token, other_triggers - {t.i for t in trigger.consumed})
        if token.pos_ == "NOUN":
            verb = governing_verb(token)
            if verb != token and verb.pos_ in {"VERB", "AUX"}:
                for child in verb.children:
                    if child.dep_ in {"prep", "npadvmod", "advmod"} or token in child.subtree:
                        tokens += _own_subtree(child, token, other_triggers)
    return sorted(set(tokens), key=lambda t: t.i)


def inherited_tokens(trigger: Trigger) -> list[Token]:
    """For 'Khanashin fell ... in December but was recaptured': the first conjunct's subject and times."""
    token = trigger.token
    if (
        token.dep_ != "conj"
        or _children(token, "nsubj", "nsubjpass")
        or token.head.pos_ not in {"VERB", "AUX"}
    ):
        return []
    head = token.head
    inherited: list[Token] = []
    for child in head.children:
        if child.dep_ in {"nsubj", "nsubjpass", "prep", "npadvmod"} and child.i < token.i:
            inherited.extend(child.subtree)
    return inherited


def event_anchors(trigger: Trigger) -> set[Token]:
    """Tokens a place may attach to: the trigger, folded triggers, the noun's verb, the first conjunct."""
    anchors = {trigger.token, *trigger.consumed}
    if trigger.token.pos_ == "NOUN":
        anchors.add(governing_verb(trigger.token))
    if trigger.token.dep_ == "conj":
        anchors.add(trigger.token.head)
    return anchors


def place_path_ok(place: Token, anchors: set[Token], entity_at: dict[int, str]) -> bool:
    """A place belongs to the event when reached from the trigger through locative links only."""
    current = place
    first_prep: str | None = None
    while current not in anchors:
        parent = current.head
        if parent == current:
            return False
        if current.dep_ == "prep" and first_prep is None:
            first_prep = current.lower_
        if current.lower_ in BLOCKING_PREPOSITIONS and current.dep_ in {"prep", "mark"}:
            return False
        if parent not in anchors and parent.i not in entity_at and parent.lemma_.lower() in ROLE_HEADS:
            return False
        parent_key = entity_at.get(parent.i)
        if (
            parent not in anchors
            and parent_key
            and not parent_key.startswith("location:")
            and parent.pos_ != "ADP"
        ):
            return False
        if parent in anchors and current.dep_ == "nsubj" and parent.lemma_ != "fall":
            return False  # 'The United States has deployed': an actor, not the place
        modifier = (
            parent in anchors and parent.pos_ == "NOUN" and current.dep_ in {"compound", "poss", "amod"}
        )
        if modifier and current.ent_type_ in {"GPE", "NORP"}:
            return False  # 'the US withdrawal': who, not where
        current = parent
    return first_prep is None or first_prep in LOCATIVE


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


def victims_count_tokens(kill: Token) -> list[Token]:
    victims = _children(kill, "nsubjpass", "dobj")
    if not victims and kill.dep_ in {"acl", "amod", "advcl"} and kill.head.pos_ in {"NOUN", "PROPN"}:
        victims = [kill.head]
    if not victims:
        victims = _children(kill, "nsubj") if kill.lemma_ == "die" else []
    expanded: list[Token] = []
    for victim in victims:
        expanded.append(victim)
        expanded.extend(t for t in victim.children if t.dep_ == "conj")
    return expanded


def number_text(noun: Token) -> str | None:
    """'more than 300 Afghan forces' → 'more than 300'; 'one policeman' → 'one'."""
    if noun.like_num or noun.lower_ in {"dozens", "hundreds", "thousands", "scores"}:
        return " ".join(t.text for t in noun.subtree if t.dep_ != "prep" and t.i <= noun.i)
    for child in noun.children:
        if child.dep_ == "nummod" or (child.dep_ == "amod" and child.like_num):
            return " ".join(t.text for t in child.subtree)
    for child in noun.children:
        if (
            child.dep_ == "prep"
            and child.lower_ == "of"
            and noun.lower_ in {"dozens", "hundreds", "thousands"}
        ):
            return noun.text
    return None
