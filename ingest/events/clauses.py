"""Clauses of the dependency parse: a trigger's subject, its own tokens and those it inherits."""

from __future__ import annotations

from collections.abc import Set

from spacy.tokens import Token

from ingest.lexicon import SPEECH_VERBS
from ingest.nlp import words


def children_with(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def has_word(token: Token, vocabulary: Set[str]) -> bool:
    return any(t.lemma_.lower() in vocabulary or t.lower_ in vocabulary for t in token.subtree)


def clause_subject(token: Token) -> Token | None:
    """The subject of a trigger verb, borrowed from the first conjunct when it has none of its own."""
    current = token
    while True:
        subjects = children_with(current, "nsubj", "nsubjpass")
        if subjects:  # a misparse may give two: prefer the named one
            return next((subject for subject in subjects if subject.ent_type_), subjects[0])
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


CLAUSE_DEPS = words("conj parataxis advcl ccomp relcl xcomp acl")


def prep_objects(token: Token, preps: set[str]) -> list[Token]:
    """The objects of the token's prepositions among `preps`: 'the deaths [of] three soldiers'."""
    return [o for p in children_with(token, "prep") if p.lower_ in preps for o in children_with(p, "pobj")]


def against_phrases(action: Token) -> list[Token]:
    """The 'against' phrases of an action noun, wherever the parser hung them: on the noun
    ('operations against militants'), on the verb it is the object of ('conducted operations against
    militants') or on what it was done with ('operations with air support against militants')."""
    holders = [action, *prep_objects(action, {"with"})]
    if action.dep_ == "dobj":
        holders.append(action.head)
    return [p for holder in holders for p in children_with(holder, "prep") if p.lower_ == "against"]


def death_toll_causes(toll: Token) -> list[Token]:
    """What a death toll is the toll of: 'the death toll from Sunday's attack', 'in the bombing'."""
    if toll.lemma_ != "toll" or not any(c.lower_ == "death" and c.dep_ == "compound" for c in toll.children):
        return []
    return prep_objects(toll, {"from", "of", "in"})


def death_toll_reached(cause: Token) -> Token | None:
    """What the death toll of this cause reached: 'the death toll from Sunday's attack rose to 21',
    'raising the death toll from the strike to 12 people', 'the death toll in the bombing stands at 40'."""
    toll = cause.head.head if cause.dep_ == "pobj" else None
    if toll is None or cause not in death_toll_causes(toll):
        return None
    return next(iter(prep_objects(toll.head, {"to", "at"})), None)


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
        own_subject = bool(children_with(token, "nsubj", "nsubjpass"))
        embedded = token.pos_ in {"VERB", "AUX"} and (token.dep_ in CLAUSE_DEPS or own_subject)
        if token.dep_ == "conj" and not own_subject:
            embedded = False
        if embedded or token.lemma_ in SPEECH_VERBS or (token.i in other_triggers and token != trigger):
            excluded.update(t.i for t in token.subtree)
    return [t for t in root.subtree if t.i not in excluded]


def clause_tokens(trigger: Token, consumed: list[Token], other_triggers: set[int]) -> list[Token]:
    """The trigger's own clause, with the clauses of the triggers folded into it."""
    tokens: list[Token] = []
    for token in [trigger, *consumed]:
        tokens += _own_subtree(token, token, other_triggers - {t.i for t in consumed})
        if token.pos_ == "NOUN":
            verb = governing_verb(token)
            # 'confirmed the death of X today': a folded toll's speech verb dates the report, not the event
            reporting = token != trigger and verb.lemma_ in SPEECH_VERBS
            if verb != token and verb.pos_ in {"VERB", "AUX"} and not reporting:
                for child in verb.children:
                    if child.dep_ in {"prep", "npadvmod", "advmod"} or token in child.subtree:
                        tokens += _own_subtree(child, token, other_triggers)
    return sorted(set(tokens), key=lambda t: t.i)


def inherited_tokens(token: Token) -> list[Token]:
    """For 'Khanashin fell ... in December but was recaptured': the first conjunct's subject and times;
    for 'protesters gathered in Lima on Thursday, and police arrested 37': only its times and places."""
    if token.dep_ != "conj" or token.head.pos_ not in {"VERB", "AUX"}:
        return []
    own_subject = bool(children_with(token, "nsubj", "nsubjpass"))
    deps = {"prep", "npadvmod"} if own_subject else {"nsubj", "nsubjpass", "prep", "npadvmod"}
    inherited: list[Token] = []
    for child in token.head.children:
        if child.dep_ in deps and child.i < token.i:
            inherited.extend(child.subtree)
    return inherited


def fight_sides(noun: Token) -> list[Token]:
    """'clashes between the Taliban and police', 'clashes broke out between rival supporters': the
    sides of a fight told as a noun."""
    sides = prep_objects(noun, {"between", "among"})
    if noun.dep_ == "nsubj" and noun.head.pos_ == "VERB":
        sides += prep_objects(noun.head, {"between", "among"})
    return sides
