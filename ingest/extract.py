"""Article text + publication date → entities and events (the NLP extraction core)."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from ingest.clean import is_boilerplate_line, looks_like_headline
from ingest.dates import DateSpan, day, resolve_date_expression
from ingest.entities import SPECIFICITY, EntityTable, extract_entities
from ingest.events import (
    CONFLICT_WORDS,
    GROUP_NOUNS,
    SPEECH_VERBS,
    Trigger,
    clause_subject,
    clause_tokens,
    conjoined,
    direct_argument,
    event_anchors,
    find_triggers,
    inherited_tokens,
    number_text,
    place_path_ok,
    victims_count_tokens,
)
from ingest.extracted import ArticleExtraction, ExtractedEvent, Participant, Quantity
from ingest.gazetteer import gazetteer, normalise
from ingest.nlp import parse
from ingest.quantities import add_quantities, parse_quantity

EXTRACTOR_VERSION = 1

_CREDIT = re.compile(r"\((?:Photo:\s*)?[^()\n]{1,60}/[^()\n]{1,30}\)|\((?:AP|AFP|Reuters|EPA|AA)\)")
_VAGUE_TIME = re.compile(r"\b(recent|months|weeks|years|decades|for days|since|ongoing|past year)\b", re.I)
PRONOUNS = {"he", "she", "they", "it"}
PERSONAL_PRONOUNS = {"he", "she"}
_TOPIC_SHIFT = re.compile(r"^\s*(Meanwhile|Separately|Elsewhere|In other news)\b")
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


def line_ranges(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(ranges with no entities: boilerplate and credits, ranges with no events: those plus headlines)."""
    skipped: list[tuple[int, int]] = []
    no_events: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        if is_boilerplate_line(stripped):
            skipped.append((start, end))
        elif looks_like_headline(stripped):
            no_events.append((start, end))
        skipped.extend((start + m.start(), start + m.end()) for m in _CREDIT.finditer(line))
    return skipped, skipped + no_events


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < range_end and end > range_start for range_start, range_end in ranges)


class ArticleContext:
    """What a reader carries from sentence to sentence: the current day and the places last named."""

    def __init__(self, doc: Doc, table: EntityTable, published: dt.date | None) -> None:
        self.doc = doc
        self.table = table
        self.published = published
        self.current_day: DateSpan | None = None
        self.previous: Span | None = None
        self.following: list[Span] = []

    def best_named_place(self, sentence: Span) -> tuple[str, str] | None:
        places = [
            (t, self.table.key_at(t))
            for t in sentence
            if (self.table.key_at(t) or "").startswith("location:")
        ]
        ranked = [(SPECIFICITY.get(_kind(self.table, key), 4), -t.i, key, t.text) for t, key in places if key]
        return (max(ranked)[2], max(ranked)[3]) if ranked else None

    def nearby_places(self, sentence: Span) -> list[tuple[str, str]]:
        """'They were given safe passage': a pronoun subject continues the previous sentence's place;
        a report whose next sentences go on with 'He ...' may find its place there."""
        if sentence[0].lower_ in PRONOUNS and self.previous is not None:
            found = self.best_named_place(self.previous)
            return [found] if found else []
        for following in self.following:
            if following[0].lower_ in PERSONAL_PRONOUNS and following[0].dep_ == "nsubj":
                found = self.best_named_place(following)
                return [found] if found else []
        return []

    def resolve(self, ent: Span, future: bool, reference: dt.date | None = None) -> DateSpan | None:
        reference = reference or self.published
        if reference is None:
            return (
                resolve_date_expression(ent.text, dt.date(9999, 1, 1))
                if re.search(r"\d{4}", ent.text)
                else None
            )
        return resolve_date_expression(ent.text, reference, future=future)

    def sentence_day(self, sentence: Span) -> DateSpan | None:
        for ent in sentence.ents:
            if ent.label_ in {"DATE", "TIME"}:
                span = self.resolve(ent, future=False)
                if span is not None and span.precision == "day":
                    return span
        return None

    def dominant_country(self) -> str | None:
        countries = [
            (len(e.mentions), e.key)
            for e in self.table.entities.values()
            if e.place and e.place.kind == "country"
        ]
        return max(countries)[1] if countries else None

    def dateline_city(self) -> str | None:
        """'here' in a report means where it was filed: the first city the article names."""
        cities = [
            (e.mentions[0][0], e.key)
            for e in self.table.entities.values()
            if e.place and e.place.kind == "city"
        ]
        return min(cities)[1] if cities else None

    def last_place(self, before: int, kinds: set[str | None]) -> str | None:
        best: tuple[int, str] | None = None
        for entity in self.table.entities.values():
            if entity.type != "location" or entity.place is None or entity.place.kind not in kinds:
                continue
            for start, _end in entity.mentions:
                if start < before and (best is None or start > best[0]):
                    best = (start, entity.key)
        return best[1] if best else None


def _dates_in(
    tokens: list[Token], ctx: ArticleContext, future: bool, reference: dt.date | None = None
) -> tuple[DateSpan | None, bool]:
    """The first resolvable time expression among the tokens, and whether a vague one was seen."""
    seen: set[int] = set()
    vague = False
    for token in tokens:
        if token.ent_type_ not in {"DATE", "TIME"} or token.i in seen:
            continue
        ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
        seen.update(range(ent.start, ent.end))
        governor = ent.root.head
        if governor.lower_ in {"since", "for", "over", "throughout", "until"} and ent.root.dep_ == "pobj":
            vague = True
            continue
        span = ctx.resolve(ent, future, reference)
        if span is None:
            vague = vague or bool(_VAGUE_TIME.search(ent.text))
            continue
        return span, vague
    return None, vague


def _relative_offset(trigger: Token) -> tuple[Token, int] | None:
    """'X comes two days after Y happened': Y is two days before X's date."""
    for ancestor in [trigger, *list(trigger.ancestors)[:2]]:
        marks = [
            c for c in ancestor.children if c.lower_ in {"after", "before"} and c.dep_ in {"mark", "prep"}
        ]
        if ancestor.dep_ in {"advcl", "pcomp"} and marks:
            mark = marks[0]
            amount = [t for t in mark.doc[max(mark.i - 4, 0) : mark.i] if t.ent_type_ == "DATE"]
            text = " ".join(t.text for t in amount)
            quantity = parse_quantity(text.replace("days", "").replace("day", ""))
            if quantity and "day" in text:
                sign = -1 if mark.lower_ == "after" else 1
                return ancestor.head, sign * quantity.value
    return None


def _participant_keys(head: Token, table: EntityTable) -> list[str]:
    keys: list[str] = []
    for token in [head, *[c for c in head.children if c.dep_ == "conj"]]:
        key = table.key_at(token)
        if key is None:
            modifiers = [c for c in token.children if c.dep_ in {"compound", "poss", "amod", "nmod"}]
            key = next((table.key_at(c) for c in modifiers if table.key_at(c)), None)
            if key and key.startswith("location:") and token.lemma_.lower() in GROUP_NOUNS:
                key = None
        if key is None and token.lemma_.lower() in GROUP_NOUNS:
            key = _group_key(token, table)
        if key and key not in keys and (not key.startswith("location:") or _kind(table, key) == "country"):
            keys.append(key)  # states act; districts and towns are where things happen, not who
    return keys


def _group_key(noun: Token, table: EntityTable) -> str:
    left = [t for t in noun.subtree if t.i <= noun.i and t.dep_ in {"amod", "compound", "conj", "cc", "nmod"}]
    start = min([t.i for t in left] + [noun.i])
    while start < noun.i and (noun.doc[start].like_num or noun.doc[start].lower_ in {"more", "some", "the"}):
        start += 1
    span = noun.doc[start : noun.i + 1]
    name = " ".join(span.text.split())
    return table.add(f"group:{normalise(name)}", name, "group", span)


def _roles(trigger: Trigger, table: EntityTable) -> tuple[list[str], list[str]]:
    token = trigger.token
    actors: list[str] = []
    targets: list[str] = []
    subject = clause_subject(token) if token.pos_ in {"VERB", "AUX"} else None
    for child in token.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            actors += [k for c in child.children if c.dep_ == "pobj" for k in _participant_keys(c, table)]
        elif child.dep_ == "prep" and child.lower_ in {"to", "with", "on", "against"}:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                keys = _participant_keys(pobj, table)
                if token.lemma_ == "fall" and child.lower_ == "to":
                    actors += keys
                elif trigger.type not in {"border_crossing", "withdrawal"}:
                    targets += [
                        k
                        for k in keys
                        if not k.startswith("location:") or trigger.type == "diplomatic_meeting"
                    ]
        elif child.dep_ in {"compound", "poss"} and token.pos_ == "NOUN":
            actors += _participant_keys(child, table)
        elif child.dep_ == "dobj" and trigger.type not in {
            "territory_captured",
            "withdrawal",
            "border_crossing",
        }:
            targets += [k for k in _participant_keys(child, table) if not k.startswith("location:")]
    if subject is not None:
        subject_keys = _participant_keys(subject, table)
        passive = subject.dep_ == "nsubjpass"
        if passive and trigger.type in {
            "attack",
            "casualties_reported",
            "violence_against_civilians",
            "arrest",
        }:
            targets += subject_keys
        elif not passive:
            actors += subject_keys
    if not actors:
        for ancestor in token.ancestors:
            if ancestor.lemma_ in SPEECH_VERBS:
                speaker = clause_subject(ancestor)
                if speaker is not None and trigger.type in {"diplomatic_meeting", "statement", "negotiation"}:
                    actors += _participant_keys(speaker, table)
                break
    return list(dict.fromkeys(actors)), [k for k in dict.fromkeys(targets) if k not in actors]


def _kind(table: EntityTable, key: str) -> str | None:
    place = table.entities[key].place
    return place.kind if place else None


def _speech_date(trigger: Token, ctx: ArticleContext) -> DateSpan | None:
    """'The ministry said on Saturday that 224 fighters were killed': Saturday dates the report."""
    for ancestor in trigger.ancestors:
        if ancestor.lemma_ in SPEECH_VERBS:
            tokens = [
                t for c in ancestor.children if c.dep_ not in {"ccomp", "nsubj", "xcomp"} for t in c.subtree
            ]
            return _dates_in(tokens, ctx, False)[0]
    return None


def _anaphoric_places(tokens: list[Token], ctx: ArticleContext, sentence: Span) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for token in tokens:
        word = token.lower_
        if word == "here" and token.dep_ == "advmod":
            dateline = ctx.dateline_city()
            found += [(dateline, "here")] if dateline else []
            continue
        if word not in ANAPHORA or ctx.table.key_at(token):
            continue
        if word != "there" and not any(c.lower_ == "the" for c in token.children if c.dep_ == "det"):
            continue
        if word != "there" and any(
            c.dep_ in {"compound", "amod", "prep"} and c.lower_ != "same" for c in token.children
        ):
            continue
        if word == "there" and token.dep_ != "advmod":
            continue
        key = ctx.dominant_country() if word == "country" else ctx.last_place(token.idx, ANAPHORA[word])
        if key:
            found.append((key, "there" if word == "there" else f"the {word}"))
    return found


def _choose_places(
    trigger: Trigger, tokens: list[Token], ctx: ArticleContext, sentence: Span
) -> list[tuple[str, str]]:
    """The most specific places of the clause; conjoined places the trigger governs each make an event."""
    table = ctx.table
    anchors = event_anchors(trigger)
    named: dict[str, Token] = {}
    for token in tokens:
        key = table.key_at(token)
        if (
            key
            and key.startswith("location:")
            and key not in named
            and place_path_ok(token, anchors, table.token_keys)
        ):
            while token.head != token and table.key_at(token.head) == key:
                token = token.head  # the mention's syntactic root
            named[key] = token
    options = [(key, _surface(token, table)) for key, token in named.items()]
    options += [option for option in _anaphoric_places(tokens, ctx, sentence) if option[0] not in named]
    if not options:
        return []
    rank = {key: SPECIFICITY.get(_kind(table, key), 4) for key, _ in options}
    best = max(rank.values())
    top = [option for option in options if rank[option[0]] == best]
    first = named.get(top[0][0])
    if first is None or not direct_argument(first, anchors):
        return top[:1]
    return [top[0]] + [
        option for option in top[1:] if option[0] in named and conjoined(first, named[option[0]])
    ]


def _surface(token: Token, table: EntityTable) -> str:
    key = table.key_at(token)
    entity = table.entities[key] if key else None
    if entity:
        for start, end in entity.mentions:
            if start <= token.idx < end:
                return token.doc.text[start:end]
    return token.text


def _quantities(trigger: Trigger, subject: Token | None) -> tuple[Quantity | None, Quantity | None]:
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
    people: Quantity | None = None
    if subject is not None and trigger.type not in {"statement", "diplomatic_meeting"}:
        text = number_text(subject)
        people = parse_quantity(text) if text else None
    return fatalities, people


def _summary(
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


def _events_for(
    trigger: Trigger, sentence: Span, triggers: list[Trigger], ctx: ArticleContext
) -> list[ExtractedEvent]:
    table = ctx.table
    ids = {t.token.i for t in triggers}
    tokens = clause_tokens(trigger, ids)
    inherited = inherited_tokens(trigger)
    future = trigger.planned
    speech_date = _speech_date(trigger.token, ctx)
    reference = speech_date.start if speech_date and speech_date.precision == "day" else None
    date, vague = _dates_in(tokens, ctx, future, reference)
    if date is None and inherited:
        date, vague_inherited = _dates_in(inherited, ctx, future, reference)
        vague = vague or vague_inherited
    offset = _relative_offset(trigger.token)
    if offset is not None and date is None:
        anchor_tokens = [t for t in sentence if t not in trigger.token.subtree]
        anchor, _ = _dates_in(anchor_tokens, ctx, False)
        date = anchor.shifted(offset[1]) if anchor is not None else None
    date = date or speech_date
    explicit = date is not None
    if vague and not explicit:
        return []
    if trigger.type == "statement" and not explicit:
        return []
    if date is None:
        date = ctx.current_day or (day(ctx.published) if ctx.published else None)
    if (
        date
        and ctx.published
        and (
            date.end < ctx.published - dt.timedelta(days=400)
            or (date.precision == "year" and date.end.year < ctx.published.year)
        )
    ):
        return []  # background history, not news
    places = _choose_places(trigger, tokens + inherited, ctx, sentence) or ctx.nearby_places(sentence)
    if not places and not explicit:
        return []
    actors, targets = _roles(trigger, table)
    if trigger.type == "diplomatic_meeting" and not (actors or targets):
        return []
    subject = clause_subject(trigger.token) if trigger.token.pos_ in {"VERB", "AUX"} else None
    fatalities, people = _quantities(trigger, subject)
    confidence = 0.5 + 0.2 * explicit + 0.15 * bool(places) + 0.1 * bool(actors) - 0.15 * trigger.planned
    participants = [Participant(k, "actor") for k in actors] + [Participant(k, "target") for k in targets]
    events = []
    located: list[tuple[str | None, str | None]] = list(places) or [(None, None)]
    for place_key, place_text in located:
        place_name = table.entities[place_key].name if place_key else None
        events.append(
            ExtractedEvent(
                type=trigger.type,
                date_start=date.start if date else None,
                date_end=date.end if date else None,
                precision=date.precision if date else "unknown",
                location_key=place_key,
                location_text=place_text,
                fatalities=fatalities,
                people=people,
                participants=list(participants),
                summary=_summary(trigger.type, actors, targets, place_name, table),
                confidence=round(min(confidence, 0.95), 2),
                sentence_start=sentence.start_char,
                sentence_end=sentence.end_char,
                quote=sentence.text,
            )
        )
    return events


def extract_events(
    doc: Doc, table: EntityTable, published: dt.date | None, no_events: list[tuple[int, int]]
) -> list[ExtractedEvent]:
    ctx = ArticleContext(doc, table, published)
    sentences = list(doc.sents)
    article_conflict = sum(t.lemma_.lower() in CONFLICT_WORDS for t in doc) >= 5
    events: list[ExtractedEvent] = []
    for index, sentence in enumerate(sentences):
        trimmed = doc.char_span(
            sentence.start_char, len(sentence.text.rstrip()) + sentence.start_char, alignment_mode="contract"
        )
        sentence = trimmed if trimmed is not None and len(trimmed) else sentence
        own_day = ctx.sentence_day(sentence)
        if _TOPIC_SHIFT.match(sentence.text) and own_day is None:
            ctx.current_day = ctx.sentence_day(sentences[index + 1]) if index + 1 < len(sentences) else None
        ctx.previous = sentences[index - 1] if index else None
        ctx.following = sentences[index + 1 : index + 4]
        if not _overlaps(sentence.start_char, sentence.end_char, no_events):
            triggers = find_triggers(sentence, article_conflict)
            for trigger in triggers:
                events.extend(_events_for(trigger, sentence, triggers, ctx))
        if own_day is not None:
            ctx.current_day = own_day
    return merge_events(events, table)


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


def _same_event(first: ExtractedEvent, second: ExtractedEvent, table: EntityTable) -> bool:
    same_family = first.type == second.type or (first.type in GROUND_FAMILY and second.type in GROUND_FAMILY)
    if not same_family or (first.date_start, first.date_end) != (second.date_start, second.date_end):
        return False
    if first.location_key == second.location_key:
        return True
    if first.type != second.type:
        return False
    first_keys = {p.entity_key for p in first.participants}
    second_keys = {p.entity_key for p in second.participants}
    if first_keys and second_keys and not first_keys & second_keys:
        return False
    ranks = sorted([_place_rank(first, table), _place_rank(second, table)])
    return ranks[0] <= 1 and ranks[1] > ranks[0]  # no place or a whole country: the same, less precisely


def _absorb(kept: ExtractedEvent, other: ExtractedEvent, table: EntityTable) -> None:
    from ingest.events import EVENT_PRIORITY

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


def _reference(published: dt.date | dt.datetime | None) -> dt.date | None:
    return published.date() if isinstance(published, dt.datetime) else published


def build_extraction(doc: Doc, published: dt.date | None) -> ArticleExtraction:
    skipped, no_events = line_ranges(doc.text)
    table = extract_entities(doc, gazetteer(), skipped)
    events = extract_events(doc, table, _reference(published), no_events)
    return ArticleExtraction(entities=list(table.entities.values()), events=events)


def extract_articles(
    articles: Iterable[tuple[str, dt.date | None]], *, n_process: int = 1, batch_size: int = 32
) -> Iterator[ArticleExtraction]:
    """One ArticleExtraction per (text, publication date), in order; spaCy parses in batches."""
    dates: deque[dt.date | None] = deque()

    def texts() -> Iterator[str]:
        for text, published in articles:
            dates.append(published)
            yield text

    gazetteer()  # build the lookups before worker processes fork
    for doc in parse(texts(), n_process=n_process, batch_size=batch_size):
        yield build_extraction(doc, dates.popleft())


def extract_article(text: str, published: dt.date | None) -> ArticleExtraction:
    return next(extract_articles([(text, published)]))
