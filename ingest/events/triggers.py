"""Event triggers of one sentence: verbs and nouns whose lemma names an event type, kept when they
report a fact or a plan (not a prediction, an infinitival purpose, a negation or a quotation).

Kills inside an attack fold into that attack; the arguments of a trigger are read by clauses.py,
places.py, participants.py and dates.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ingest.events.clauses import (
    children_with,
    clause_subject,
    death_toll_causes,
    governing_verb,
    has_word,
    prep_objects,
)
from ingest.events.trigger_types import (
    NOUNS_ONLY,
    POLICING_VERBS,
    counted_deaths,
    counted_or_person,
    head_noun,
    military_strike,
    trigger_type,
)
from ingest.lexicon import (
    BUSINESS_WORDS,
    CASUALTY_LEMMAS,
    CONFLICT_WORDS,
    DENIAL_VERBS,
    EVENT_PRIORITY,
    EXPECTING_VERBS,
    EXPLOSIVE_THINGS,
    FIGHTING_TYPES,
    FUTURE_MARKERS,
    HALTING_VERBS,
    HUMANITARIAN_WORDS,
    LIKENING_WORDS,
    LOWERCASE_CONFLICT_WORDS,
    NEWS_NOUNS,
    NON_FACT_MODALS,
    PEOPLE_WHO_FORCE,
    PLANNABLE_TYPES,
    POLITICAL_TALK_TYPES,
    PROPOSAL_NOUNS,
    PROTECTING_VERBS,
    PROTEST_ACTIONS,
    PROTEST_GATHERINGS,
    PROTEST_WORDS,
    RIOTING_CROWDS,
    SPEECH_VERBS,
    UNHAPPENED_WHEN_PLANNED,
    VIOLENT_TYPES,
)
from ingest.nlp import words

HARM_VERBS = CASUALTY_LEMMAS | {"destroy", "damage"}


@dataclass
class Trigger:
    token: Token
    type: str
    planned: bool = False
    consumed: list[Token] = field(default_factory=list)  # other triggers folded into this one


def _proposed(token: Token) -> bool:
    """'a proposal for a withdrawal', 'an agreement on withdrawing troops', 'a visit ... was under
    consideration': the event is an idea under discussion."""
    current = token
    for _ in range(4):
        if current.dep_ not in {"pobj", "pcomp", "prep", "compound", "acl", "nsubj", "nsubjpass"}:
            break
        current = current.head
        if current.pos_ == "NOUN" and current.lemma_.lower() in PROPOSAL_NOUNS:
            return True
    verb = token.head if token.dep_ in {"nsubj", "nsubjpass"} else None
    return verb is not None and any(
        prep.lower_ == "under" and has_word(prep, {"consideration", "discussion", "study", "review"})
        for prep in children_with(verb, "prep")
    )


def _warded_off(token: Token) -> bool:
    """'to protect its tankers from Iranian missile attacks', 'guard against raids': such events in
    general, feared; not 'defended the post against an attack by 200 fighters'."""
    if token.tag_ != "NNS" or token.dep_ != "pobj" or token.head.lower_ not in {"from", "against"}:
        return False
    if any(c.dep_ in {"det", "nummod", "poss"} for c in token.children):
        return False
    verb = token.head.head  # only what protecting is for: not 'shielded cities from rocket attacks'
    purpose = any(c.lower_ == "to" for c in verb.children if c.dep_ == "aux")
    return verb.lemma_.lower() in PROTECTING_VERBS and purpose


def _none_reported(token: Token) -> bool:
    """'there were no reports of fighting in Mosul', 'no immediate word on clashes', 'no sign of an
    attack': the report says the event is not known to have happened."""
    current = token
    while current.dep_ == "conj":  # 'no reports of fighting or casualties'
        current = current.head
    if current.dep_ not in {"pobj", "pcomp"} or current.head.lower_ not in {"of", "on", "about"}:
        return False
    news = current.head.head
    return news.lemma_.lower() in NEWS_NOUNS and any(
        c.lower_ == "no" for c in news.children if c.dep_ == "det"
    )


def _disputed(token: Token) -> bool:
    """'during a dispute over land seizures', 'a row about the arrests': what a dispute is about is its
    subject, not an event the sentence reports."""
    if token.dep_ != "pobj" or token.head.lower_ not in {"over", "about"}:
        return False
    return token.head.head.pos_ == "NOUN" and token.head.head.lemma_.lower() in DISPUTE_NOUNS


DISPUTE_NOUNS = {"dispute", "row", "quarrel", "argument", "disagreement", "feud", "debate", "controversy"}


def _rumoured(token: Token) -> bool:
    """'rumours that riots had broken out', 'speculation that troops had attacked': hearsay, no fact."""
    return any(a.lemma_.lower() in {"rumour", "rumor", "speculation"} for a in token.ancestors)


def _denied_or_feared(noun: Token) -> bool:
    """'There were no clashes', 'the march passed off without clashes', 'possible clashes between
    rival fans', 'fearing clashes', 'banned rallies', 'called for protests': an event a noun names as
    absent, only possible, prevented or asked for."""
    if noun.pos_ != "NOUN":
        return False
    modifiers = {c.lower_ for c in noun.children if c.dep_ in {"det", "amod"}}
    head = noun.head.lemma_.lower()
    return (
        "no" in modifiers
        or bool(modifiers & UNREAL_MODIFIERS)
        or (noun.dep_ == "pobj" and noun.head.lower_ == "without")
        or (noun.dep_ == "dobj" and head in PREVENTING_VERBS)
        or _called_for(noun)
    )


def _called_for(noun: Token) -> bool:
    """'The opposition called for protests': asked for, not held. Not 'called for air strikes', which
    a force's report tells as done."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "for" or noun.head.head.lemma_.lower() != "call":
        return False
    return noun.lemma_.lower() in PROTEST_GATHERINGS and not any(c.dep_ == "compound" for c in noun.children)


UNREAL_MODIFIERS = {"possible", "potential", "feared", "future"}
# What keeps an event from happening: 'banned rallies', 'fearing clashes', 'called off the strike'.
PREVENTING_VERBS = {"ban", "prohibit", "forbid", "outlaw", "cancel", "postpone", "prevent", "avert", "fear"}


def _a_likeness(token: Token) -> bool:
    """'similar to an eraser fight among fourth graders', 'looked like a war zone', 'compared the talks
    to a battle', 'reminiscent of the riots', 'resembled a battle': what something is likened to did not
    happen. Not 'incidents like Sunday's clashes' (such as)."""
    if token.dep_ == "dobj" and token.head.lemma_.lower() == "resemble":
        return True
    if token.dep_ != "pobj" or token.head.lower_ not in {"like", "to", "of"}:
        return False
    prep = token.head
    if prep.lower_ == "like":
        return prep.head.pos_ in {"VERB", "AUX", "ADJ"}
    return any(t.lemma_.lower() in LIKENING_WORDS for t in (prep.head, prep.head.head))


# Stories and remembrances: what they tell of is not this report's event ('a war epic about a commando
# raid', 'a shooter in which players ambush convoys', 'the anniversary of the landings, when troops
# stormed the beaches').
TELLING_NOUNS = words(
    "film movie epic novel thriller documentary videogame sitcom episode anniversary commemoration "
    "remembrance"
)
GAME_KINDS = words("video computer online board mobile tactical first-person")


# What shows or plays out what did not happen: 'a sequence shows soldiers storming a bridge', 'a drill
# simulating a bomb explosion'.
ENACTING_VERBS = words("depict portray simulate dramatise dramatize reenact re-enact")
# What shows a story, not the news: 'its most gripping sequence shows'; 'reports showed protests
# continuing' and 'footage showed' are the news.
STORY_PARTS = words("sequence scene trailer")


def _told_of(token: Token) -> bool:
    for ancestor in token.ancestors:
        lemma = ancestor.lemma_.lower()
        if ancestor.pos_ == "VERB" and lemma in ENACTING_VERBS:
            return True
        shower = clause_subject(ancestor) if ancestor.pos_ == "VERB" and lemma == "show" else None
        if shower is not None and shower.lemma_.lower() in STORY_PARTS | TELLING_NOUNS:
            return True
        if ancestor.pos_ == "VERB" and (
            lemma in {"commemorate", "remember"}
            or any(o.lemma_.lower() in TELLING_NOUNS for o in children_with(ancestor, "dobj"))
        ):
            return True  # 'to mark the anniversary of the landings, when troops stormed the beaches'
        if ancestor.pos_ not in {"NOUN", "PROPN", "ADJ"}:  # 'the war epic about', epic taken for an adjective
            continue
        kinds = {c.lemma_.lower() for c in ancestor.children if c.dep_ in {"compound", "amod"}}
        if lemma in TELLING_NOUNS or (lemma in {"game", "shooter"} and kinds & GAME_KINDS):
            return True
    return False


# What someone is accused of is another event than the report's: 'officers accused of killing protesters'.
ACCUSING_WORDS = words("accuse charge convict suspect acquit guilty indict")


def _accused_of(token: Token) -> bool:
    prep = token.head
    return (
        token.dep_ == "pcomp" and prep.lower_ in {"of", "with"} and prep.head.lemma_.lower() in ACCUSING_WORDS
    )


def _done_by_nobody(token: Token) -> bool:
    """'No one was arrested', 'nobody was hurt', 'none of them was killed'."""
    if token.pos_ not in {"VERB", "AUX"}:
        return False  # 'no one survived the attack' tells of an attack
    for subject in children_with(token, "nsubj", "nsubjpass"):
        if subject.lower_ in {"nobody", "none"}:
            return True
        if subject.lower_ == "one" and any(c.lower_ == "no" for c in subject.children if c.dep_ == "det"):
            return True
    return False


def modality(token: Token) -> str:
    """'fact', 'planned' (will/would) or 'unreal' (could, may, negated, infinitive purpose, conditional,
    proposed, warded off, likened, denied or feared, a dispute's subject)."""
    if _proposed(token) or _warded_off(token) or _none_reported(token) or _rumoured(token):
        return "unreal"
    if _a_likeness(token) or _denied_or_feared(token) or _disputed(token):
        return "unreal"
    if _told_of(token) or _done_by_nobody(token) or _accused_of(token):
        return "unreal"
    verb = token if token.pos_ in {"VERB", "AUX"} else token.head
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ in {"aux", "auxpass"}}
    if children_with(verb, "neg") or auxiliaries & NON_FACT_MODALS:
        return "unreal"
    if any(child.lower_ == "if" for child in verb.children if child.dep_ == "mark"):
        return "unreal"
    if _protested_by_doing(token):
        return modality(token.head)  # 'farmers blocked roads to protest': the blocking is the protest
    if _infinitive(token) or (token.dep_ == "dobj" and _infinitive(verb)):
        return "unreal"  # 'to track and assault shipping', 'no capacity to carry out attacks'
    if auxiliaries & FUTURE_MARKERS:
        return "planned"
    for ancestor in token.ancestors:
        if ancestor.lemma_.lower() in DENIAL_VERBS:
            return "unreal"  # 'Moscow denies targeting civilians'
        if ancestor.lemma_.lower() in EXPECTING_VERBS:
            return "planned"  # 'is expected here on Friday for talks'
        ancestor_aux = {child.lower_ for child in ancestor.children if child.dep_ in {"aux", "neg"}}
        if ancestor_aux & NON_FACT_MODALS or "not" in ancestor_aux or "n't" in ancestor_aux:
            return "unreal"
        if ancestor_aux & FUTURE_MARKERS:
            return "planned"
        speech = ancestor.lemma_ in SPEECH_VERBS and ancestor.pos_ in {"VERB", "AUX"}
        if speech or ancestor.dep_ == "ROOT":  # 'denied a report that a jet was shot down': a report
            break  # is no speaker, the denial still covers it
    return "fact"


def _protested_by_doing(token: Token) -> bool:
    """'Farmers blocked roads to protest against low prices', 'workers staged a sit-in to protest': what
    they did is the protest, as far as it happened; not 'called a strike starting Monday to protest'.
    So too 'fired tear gas to disperse protesters': the crowd was there as far as the firing was."""
    action = token.head
    if token.lemma_ in {"disperse", "break"}:  # 'to break up the rally'
        return token.dep_ in {"advcl", "xcomp"} and action.pos_ == "VERB"
    if token.lemma_ != "protest" or token.dep_ != "advcl" or action.pos_ != "VERB":
        return False
    if action.lemma_ in {"hold", "stage"}:  # 'held rallies', 'staged a sit-in'; not 'held a meeting'
        return any(o.lemma_.lower() in PROTEST_GATHERINGS for o in children_with(action, "dobj"))
    return action.lemma_ in PROTEST_ACTIONS


def _infinitive(verb: Token) -> bool:
    """A verb in a 'to' clause that says what is meant, wanted or able to happen, or a verb joined to
    one ('to track and assault'): 'forces moved in to clear the area', 'the capacity to attack'."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    verb = _clause_verb(verb, {"conj"})
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ == "aux"}
    if "have" in auxiliaries:
        return False  # 'claim to have attacked': a past fact, claimed
    return "to" in auxiliaries and verb.dep_ in {"xcomp", "advcl", "acl", "relcl", "ccomp"}


def claimed_done(verb: Token) -> bool:
    """'The Taliban claim to have killed 4 police', '... claimed to have attacked a post and killed 10',
    '... to have attacked a post, killing 10': what a side says it did, told as done (see _infinitive)
    but not the reporter's own count; so are 'claims that 20 militants were killed'."""
    verb = _clause_verb(verb, {"conj", "advcl"})
    auxiliaries = {child.lower_ for child in verb.children if child.dep_ == "aux"}
    if verb.dep_ == "acl" and verb.head.lemma_.lower() == "claim" and verb.head.pos_ == "NOUN":
        return any(child.lower_ == "that" and child.dep_ == "mark" for child in verb.children)
    return {"to", "have"} <= auxiliaries and verb.head.lemma_.lower() == "claim"


def _clause_verb(verb: Token, joins: set[str]) -> Token:
    """The verb whose auxiliaries a joined verb shares: 'to track and assault' → track, 'to have
    attacked a post, killing 10' → attacked (joins {'conj', 'advcl'}); one with its own subject or
    auxiliary is a clause of its own."""
    while (
        verb.dep_ in joins and verb.head.pos_ in {"VERB", "AUX"} and not children_with(verb, "aux", "nsubj")
    ):
        verb = verb.head
    return verb


def in_quotes(token: Token, sentence: Span) -> bool:
    """Inside a direct quotation, counting quote marks from the start of the paragraph."""
    text = sentence.doc.text
    before = text[text.rfind("\n", 0, token.idx) + 1 : token.idx]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def has_conflict_context(sentence: Span) -> bool:
    return any(
        is_conflict_word(t)
        or (t.text in LOWERCASE_CONFLICT_WORDS and not t.ent_type_)
        or (t.lower_ == "explosive" and t.head.lower_ in EXPLOSIVE_THINGS)
        or (t.lower_ == "enemy" and t.dep_ in {"compound", "amod"})  # 'enemy fire', not 'an old enemy'
        or military_strike(t)
        or _deadly_clash(t)
        or any(map(_violent_cause, death_toll_causes(t)))
        or _killed_in_a_riot(t)
        or _killed_in_violence(t)
        for t in sentence
    )


def _killed_in_violence(kill: Token) -> bool:
    """'At least 56 civilians were killed', 'twelve people died in the attack', 'were wounded in
    Sunday's bombing': civilians killed, or people killed in an event of violence, tell of armed
    conflict without naming an armed man (not 'killed in a crash', 'died of a heart attack')."""
    if kill.pos_ != "VERB" or kill.lemma_ not in CASUALTY_LEMMAS:
        return False
    victims = children_with(kill, "nsubjpass", "dobj") + (
        children_with(kill, "nsubj") if kill.lemma_ == "die" else []
    )
    if kill.lemma_ != "die" and any(head_noun(v).lemma_.lower() == "civilian" for v in victims):
        return True
    causes = [head_noun(c) for c in prep_objects(kill, {"in", "during", "by"})]
    return any(map(_violent_cause, causes))  # not 'in an explosion', which may be an accident's


def _violent_cause(noun: Token) -> bool:
    """An attack, a riot or a military strike: what dead are counted of in conflict."""
    return trigger_type(noun) in {"attack", "riot"} or military_strike(noun)


def _killed_by_others(kill: Token) -> bool:
    """The dead have a doer of their own who is no rioting crowd: 'security forces killed three
    protesters', 'police opened fire, killing 19'."""
    doers = children_with(kill, "nsubj") if kill.lemma_ != "die" else []  # who died did not kill
    doers += [o for a in children_with(kill, "agent") for o in children_with(a, "pobj")]
    if not doers and kill.dep_ in {"advcl", "conj"}:
        doers = children_with(kill.head, "nsubj")
    return any(head_noun(d).lemma_.lower() not in RIOTING_CROWDS for d in doers)


def _killed_in_a_riot(kill: Token) -> bool:
    """'Prisoners rioted at the jail, killing 12 inmates', 'two people were killed when rioters set
    fire to a bus': the dead of a riot are its toll."""
    if kill.lemma_ not in CASUALTY_LEMMAS:
        return False
    riots = [kill.head] if kill.dep_ in {"advcl", "conj"} else []
    riots += children_with(kill, "advcl")
    return any(trigger_type(riot) == "riot" for riot in riots)


def is_conflict_word(token: Token) -> bool:
    """'forces', 'the police', 'a border guard'; the verb 'force' only when people did the forcing
    ('gunmen forced their way in', not 'heavy selling forced a price spiral')."""
    if token.pos_ == "VERB" and token.lemma_.lower() == "force" and token.lower_ != "forces":
        return _forced_by_people(token)
    if token.lemma_.lower() == "agent":  # 'intelligence agents', not a travel agent or a free agent
        return any(
            c.lemma_.lower() in SECURITY_SERVICES for c in token.children if c.dep_ in {"compound", "amod"}
        )
    return token.lemma_.lower() in CONFLICT_WORDS or token.lower_ in CONFLICT_WORDS


# The services whose agents carry arms and make arrests.
SECURITY_SERVICES = words("intelligence security federal secret border immigration customs narcotics")


def _forced_by_people(force: Token) -> bool:
    """'Masked men forced a bus off the road', 'armed men who forced their way in'; not 'selling
    forced a price spiral' nor 'the refusal forced Moscow to resume testing'."""
    subject = clause_subject(force)
    if subject is not None and subject.tag_ in {"WDT", "WP"} and subject.head.dep_ == "relcl":
        subject = subject.head.head  # 'men who forced'
    return subject is not None and subject.lemma_.lower() in PEOPLE_WHO_FORCE


def _deadly_clash(toll: Token) -> bool:
    """'Clashes between rival factions killed 32 people', 'fighting between rival supporters left two
    dead': a fight that kills people is armed conflict or a riot, whoever fought it (not 'the fight
    over the debt ceiling killed the bill')."""
    if toll.lemma_ == "kill" and toll.pos_ == "VERB":
        verb, dead = toll, any(counted_or_person(o) for o in children_with(toll, "dobj"))
    else:
        verb, dead = toll.head, toll.lower_ == "dead" and trigger_type(toll) == "casualties_reported"
    return dead and any(trigger_type(s) in {"armed_clash", "riot"} for s in children_with(verb, "nsubj"))


def find_triggers(sentence: Span, article_conflict: bool = False) -> list[Trigger]:
    """Triggers of reported facts and plans; kills inside an attack or clash fold into it."""
    found: list[Trigger] = []
    conflict = article_conflict or has_conflict_context(sentence)
    protest = is_protest_scene(sentence)
    for token in sentence:
        event_type = trigger_type(token)
        if event_type is None or in_quotes(token, sentence):
            continue
        if event_type in VIOLENT_TYPES and not conflict:
            continue
        mood = modality(token)
        if mood == "unreal" or (mood == "planned" and event_type not in PLANNABLE_TYPES):
            continue
        if mood == "planned" and event_type in UNHAPPENED_WHEN_PLANNED:
            continue  # 'will visit Rome in June' has not happened; 'would provide aid' is the pledge
        if mood == "planned" and event_type == "protest" and token.lemma_ in POLICING_VERBS:
            continue  # 'police would use water cannon against any protesters': a warning, no crowd
        if (
            token.tag_ in {"VBZ", "VBP"}
            and token.lemma_.lower() not in NOUNS_ONLY
            and not children_with(token, "aux", "auxpass")
            and not _past_told_as_present(token)
        ):
            continue  # headline style or habitual present: 'forces flee to Tajikistan'
        if protest and part_of_protest(token, event_type):
            continue
        pledge = event_type == "aid_pledge"
        # 'pledged $8 billion in grants and loans to help Syrians' is aid, whatever the loans
        aid = pledge and has_word(sentence.root, HUMANITARIAN_WORDS)
        if event_type in POLITICAL_TALK_TYPES and is_business(sentence, money=not pledge) and not aid:
            continue
        if not _happened(token, event_type):
            continue
        found.append(Trigger(token, event_type, planned=mood == "planned"))
    return _fold(found)


def _past_told_as_present(verb: Token) -> bool:
    """'were killed when rioters set fire to a bus': a past form the tagger took for the present (the
    two are one word), in a clause of a past verb."""
    same = verb.lemma_ in SAME_PAST_FORMS and verb.lower_ == verb.lemma_
    return same and verb.tag_ == "VBP" and verb.dep_ in {"advcl", "conj"} and verb.head.tag_ in {"VBD", "VBN"}


SAME_PAST_FORMS = frozenset(
    ["set", "put", "hit", "cut", "beat", "burst", "spread", "shut", "cast", "hurt", "shed", "thrust"]
)


def is_business(sentence: Span, money: bool = True) -> bool:
    """Money, trade and companies: amounts of money (which aid pledges name too), or business words
    outside any name ('Bank of Japan' is a name; 'creditor banks' are business)."""
    return any(
        (money and t.ent_type_ in {"MONEY", "PERCENT"})
        or (t.ent_type_ in {"", "CARDINAL", "DATE"} and t.lemma_.lower() in BUSINESS_WORDS)
        for t in sentence
    )


def _happened(token: Token, event_type: str) -> bool:
    """Not a description ('rebels fighting the government'), nor a statement without a speaker
    ('the crop is threatened by pests')."""
    if event_type == "armed_clash" and token.dep_ in {"acl", "relcl"} and token.tag_ == "VBG":
        return False
    if token.pos_ == "NOUN" and any(
        c.lower_ in {"last", "previous", "earlier", "former"} for c in token.children if c.dep_ == "amod"
    ):
        return False  # 'at the last meeting of the council in December': background, not news
    halted = token
    while halted.dep_ == "conj" and halted.head.pos_ == token.pos_:  # 'stop attacking ... and shelling'
        halted = halted.head
    if halted.dep_ in {"xcomp", "dobj"} and halted.head.lemma_ in HALTING_VERBS:
        return False  # 'on condition that Iran stop attacking', 'suspending protests'
    if token.dep_ == "amod" and event_type in VIOLENT_TYPES:
        return False  # 'the attacking Iranians'
    if _a_role(token):
        return False
    if _named_again(token):
        return False
    if token.lemma_ in {"battle", "fight"} and is_business(token.sent):
        return False  # 'battling depressed commodity prices'
    if token.lemma_ == "rally" and is_business(token.sent):
        return False  # 'the rally in oil prices'
    if token.lemma_ == "destroy" and not (
        children_with(token, "nsubj", "agent")
        or any(c.lower_ in {"during", "in", "by"} for c in token.children)
    ):
        return False  # 'a satellite that was destroyed when a rocket failed'; not 'destroyed in a raid
    if event_type == "statement" and token.pos_ in {"VERB", "AUX"}:
        return bool(children_with(token, "nsubj")) or token.dep_ == "conj"
    return True


def _named_again(noun: Token) -> bool:
    """'It was the deadliest attack on civilians this year', 'this was the third such raid': what the
    report has told already, named again to be judged or ranked."""
    if noun.pos_ != "NOUN" or noun.dep_ != "attr" or noun.head.lemma_ != "be":
        return False
    return any(s.lower_ in {"it", "this", "that"} for s in children_with(noun.head, "nsubj"))


def _a_role(token: Token) -> bool:
    """'The leader is responsible for planning attacks', '... for IED attacks on police': what
    someone does, not a report of it; but 'responsible for the bombing that killed 12' and '... for
    rocket attacks that killed 3 people' tell one."""
    path: list[Token] = []
    for ancestor in token.ancestors:
        if ancestor.lemma_ == "responsible" and ancestor.pos_ == "ADJ":
            break
        path.append(ancestor)
    else:
        return False
    held = [token, *path][-2] if path else token  # what 'for' governs
    if held.tag_ == "VBG":
        return True  # 'responsible for planning attacks'
    told = children_with(held, "det", "poss", "nummod", "relcl", "acl")
    return held.tag_ == "NNS" and not told and not any(t.ent_type_ == "DATE" for t in held.subtree)


def is_protest_scene(sentence: Span) -> bool:
    return any(t.lemma_.lower() in PROTEST_WORDS and t.ent_type_ != "DATE" for t in sentence)  # not 'March'


def part_of_protest(token: Token, event_type: str) -> bool:
    """Clashes with police, injuries and cars set ablaze at a protest belong to the protest, not to an
    armed conflict."""
    return (
        event_type == "armed_clash"
        or token.lemma_.lower() in {"wound", "injure"}
        or (token.lemma_ == "set" and event_type != "riot")
    )


def _fold(triggers: list[Trigger]) -> list[Trigger]:
    """Kills 'in a Taliban attack' are that attack; 'X retreated and fled to Y' is one crossing."""
    folded: set[int] = set()
    for trigger in triggers:
        for host in triggers:
            if host is trigger or host.token.i in folded or not _folds_into(trigger, host):
                continue
            host.consumed += [trigger.token, *trigger.consumed]
            if trigger.type == "violence_against_civilians" and host.type == "attack":
                host.type = trigger.type
            folded.add(trigger.token.i)
            break
    # 'the death of a man' is a toll only of the violent event it folds into
    return [
        trigger
        for trigger in triggers
        if trigger.token.i not in folded
        and (trigger.token.lemma_ != "death" or counted_deaths(trigger.token))
    ]


def _toll_clause(token: Token) -> Token:
    """Where a toll's clause starts: the verb that says 'dead' of someone ('12 people were dead after
    gunmen stormed ...') or that 'deaths' are the object of ('the strike caused the deaths of ...')."""
    if token.lower_ == "dead":
        return token.head
    return governing_verb(token) if token.lemma_ == "death" else token


def _toll_of_its_verb(kill: Token, noun: Token) -> bool:
    """'conducted an airstrike, killing 5 insurgents', 'engaged them with an airstrike, killing
    several': the dead of the event its noun names, which the verb carrying the noun did."""
    return (
        noun.pos_ == "NOUN"
        and kill.dep_ == "advcl"
        and kill.tag_ == "VBG"
        and kill.head == governing_verb(noun)
        and kill.head != noun
    )


def _done_in(verb: Token, noun: Token) -> bool:
    """'destroyed in an airstrike', 'damaged during the shelling': the harm the noun's event did."""
    return (
        verb.lemma_ in HARM_VERBS
        and noun.dep_ == "pobj"
        and noun.head.head == verb
        and noun.head.lower_ in {"in", "during", "by"}
    )


def _folds_into(trigger: Trigger, host: Trigger) -> bool:
    if trigger.token.lemma_ == "target" and host.type in FIGHTING_TYPES and host.token.lemma_ != "target":
        return True  # 'India struck nine sites, saying it was targeting terrorist infrastructure'
    shooting = trigger.token.lemma_ in {"fire", "shoot"}  # the violence itself, not its toll
    toll = (
        trigger.type == "casualties_reported"
        or (trigger.type == "violence_against_civilians" and not shooting)
        or (trigger.token.lemma_ in CASUALTY_LEMMAS and host.token.lemma_ not in CASUALTY_LEMMAS)
    )
    if shooting and trigger.type == "violence_against_civilians" and host.type in {"attack", trigger.type}:
        verb = governing_verb(trigger.token) if trigger.token.pos_ == "NOUN" else trigger.token
        if verb.dep_ in {"advcl", "conj"} and verb.head == host.token:
            return True  # 'gunmen attacked a church, opening fire on worshippers': one attack on civilians
    if host.type == "riot" and _killed_by_others(trigger.token):
        return False  # 'protesters set fire to parliament, and police opened fire, killing 19'
    if toll and host.type in {
        "attack",
        "armed_clash",
        "remote_violence",
        "violence_against_civilians",
        "riot",
    }:
        anchor = _toll_clause(trigger.token)
        head = trigger.token.head
        if trigger.token.dep_ == "conj" and head.lemma_ in CASUALTY_LEMMAS and host.token != head:
            anchor = head  # 'were killed and 3 were wounded by ... airstrikes'
        return (
            host.token in anchor.subtree
            or trigger.token in host.token.subtree
            or _toll_of_its_verb(trigger.token, host.token)
        )
    if {trigger.token.lemma_, host.token.lemma_} <= CASUALTY_LEMMAS and trigger.token.head == host.token:
        return trigger.token.dep_ == "conj"  # 'killed or wounded 900', 'killed 5 and wounded 3'
    if host.type in {"remote_violence", "attack"} and _done_in(trigger.token, host.token):
        return True  # 'vehicles were destroyed in an airstrike', 'planes destroyed X during a raid'

    conjunct, first = (
        (trigger.token, host.token) if trigger.token.dep_ == "conj" else (host.token, trigger.token)
    )
    shares_subject = (
        conjunct.dep_ == "conj"
        and conjunct.head == first
        and not children_with(conjunct, "nsubj", "nsubjpass")
    )
    joined_by_and = not any(c.lower_ in {"but", "yet", "while"} for c in first.children if c.dep_ == "cc")
    if (
        shares_subject
        and joined_by_and
        and EVENT_PRIORITY.index(host.type) < EVENT_PRIORITY.index(trigger.type)
        and trigger.type != "arrest"
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
