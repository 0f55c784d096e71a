"""The participants of an event (actors and targets) and its counts of dead and of people involved."""

from __future__ import annotations

from spacy.tokens import Token

from ingest.clauses import children_with, clause_subject, governing_verb
from ingest.entity_table import EntityTable, entity_key
from ingest.events import Trigger
from ingest.extracted import Quantity
from ingest.gazetteer import normalise
from ingest.lexicon import GROUP_NOUNS, SPEECH_VERBS, WEAPON_NOUNS
from ingest.nlp import words
from ingest.quantities import add_quantities, parse_quantity
from ingest.triggers import head_noun

PASSIVE_TARGET_TYPES = words("attack casualties_reported violence_against_civilians arrest")
GROUP_NAME_DEPS = words("amod compound conj cc nmod case")
CASUALTY_LEMMAS = words("kill die wound injure")
LIGHT_VERBS = words("hold begin launch conduct stage start carry resume have open")


def victims_count_tokens(kill: Token) -> list[Token]:
    victims = children_with(kill, "nsubjpass", "dobj")
    if not victims and kill.dep_ in {"acl", "amod", "advcl"} and kill.head.pos_ in {"NOUN", "PROPN"}:
        victims = [kill.head]
    if not victims:
        victims = children_with(kill, "nsubj") if kill.lemma_ == "die" else []
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


def _entity_or_group_key(token: Token, table: EntityTable) -> str | None:
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
        key = _group_key(token, table)
    if key is None and token.lemma_.lower() in WEAPON_NOUNS:
        key = _weapon_owner(token, table)
    return key


def _weapon_owner(weapon: Token, table: EntityTable) -> str | None:
    """'A Russian missile struck': the state whose weapon it is, when the article names that state."""
    for modifier in weapon.children:
        country = table.demonym_countries.get(modifier.i)
        if country and entity_key("location", country) in table.entities:
            return entity_key("location", country)
    return None


def participant_keys(head: Token, table: EntityTable) -> list[str]:
    """Entities or groups named by a noun phrase and its conjuncts; states act, but districts and towns
    are where things happen, not who."""
    keys: list[str] = []
    for token in [head, *[c for c in head.children if c.dep_ == "conj"]]:
        key = _entity_or_group_key(head_noun(token), table)
        if key is None and _is_pronoun_phrase(token):
            keys += [k for k in speaker_keys(token, table) if k not in keys]
            continue
        if (
            key
            and key not in keys
            and (not key.startswith("location:") or table.place_kind(key) == "country")
        ):
            keys.append(key)
    return keys


def _is_pronoun_phrase(token: Token) -> bool:
    """'it', 'they', or 'its aircraft', 'their fighters'."""
    if token.pos_ == "PRON":
        return token.lower_ in {"it", "they", "we"}
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their", "our"} for c in token.children)


def speaker_keys(token: Token, table: EntityTable) -> list[str]:
    """'The RSF said it had taken control': the pronoun is the speaker of the report it sits in."""
    for ancestor in token.ancestors:
        if ancestor.lemma_ in SPEECH_VERBS:
            speaker = clause_subject(ancestor)
            if speaker is None or speaker.pos_ == "PRON":
                return []
            return participant_keys(speaker, table)
    return []


def _group_key(noun: Token, table: EntityTable) -> str:
    left = [
        t
        for t in noun.subtree
        if t.i <= noun.i and (t.dep_ in GROUP_NAME_DEPS or (t.dep_ == "poss" and t.ent_type_))
    ]  # 'Afghan army and police personnel', "Israel's military"
    start = min([t.i for t in left] + [noun.i])
    while start < noun.i and (noun.doc[start].like_num or noun.doc[start].lower_ in {"more", "some", "the"}):
        start += 1
    span = noun.doc[start : noun.i + 1]
    name = " ".join(span.text.split())
    return table.add(f"group:{normalise(name)}", name, "group", span)


def _object_and_prep_roles(trigger: Trigger, table: EntityTable) -> tuple[list[str], list[str]]:
    token = trigger.token
    actors: list[str] = []
    targets: list[str] = []
    for child in token.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            actors += [k for c in child.children if c.dep_ == "pobj" for k in participant_keys(c, table)]
        elif child.dep_ == "prep" and child.lower_ in {"to", "with", "on", "against"}:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
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
    return actors, targets


def _light_verb_subject(noun: Token) -> Token | None:
    """'China began exercises', 'the two sides held talks': the doer of a noun event."""
    verb = governing_verb(noun)
    if verb == noun or verb.lemma_ not in LIGHT_VERBS or noun not in verb.subtree:
        return None
    subjects = children_with(verb, "nsubj")
    return subjects[0] if subjects and noun not in subjects[0].subtree else None


def roles(trigger: Trigger, table: EntityTable) -> tuple[list[str], list[str]]:
    token = trigger.token
    actors, targets = _object_and_prep_roles(trigger, table)
    subject = clause_subject(token) if token.pos_ in {"VERB", "AUX"} else _light_verb_subject(token)
    if subject is not None:
        subject_keys = participant_keys(subject, table)
        if subject.dep_ == "nsubjpass":
            targets += subject_keys if trigger.type in PASSIVE_TARGET_TYPES else []
        elif not actors or token.pos_ in {"VERB", "AUX"}:
            actors += subject_keys
    if not actors and trigger.type in {"diplomatic_meeting", "statement", "negotiation"}:
        actors += speaker_keys(token, table)
    return list(dict.fromkeys(actors)), [k for k in dict.fromkeys(targets) if k not in actors]


def _fatalities(trigger: Trigger) -> Quantity | None:
    fatalities: Quantity | None = None
    for kill in [trigger.token, *trigger.consumed]:
        if kill.lemma_ not in {"kill", "die"}:
            continue
        for victim in victims_count_tokens(kill):
            text = number_text(victim)
            count = parse_quantity(text) if text else None
            if count is None and (victim.ent_type_ == "PERSON" or victim.tag_ == "NN"):
                count = Quantity(1, "exact")
            fatalities = add_quantities(fatalities, count)
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
    if subject.dep_ == "nsubjpass" and trigger.token.lemma_ in CASUALTY_LEMMAS:
        return None
    return _counted(subject)


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
