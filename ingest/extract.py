"""Article text + publication date → entities and events (the NLP extraction core)."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ingest.article_extraction import ArticleExtraction, ExtractedEvent, Participant, Quantity
from ingest.clean import is_boilerplate_line, looks_like_headline
from ingest.date_expressions import DateSpan, day
from ingest.datelines import text_date
from ingest.entities.gazetteer import gazetteer
from ingest.entities.recognise import extract_entities
from ingest.entities.table import EntityTable
from ingest.events.clauses import children_with, clause_subject, clause_tokens, inherited_tokens, prep_objects
from ingest.events.dates import (
    dates_in,
    is_background,
    night_of,
    opening_date,
    relative_offset,
    sentence_day,
    speech_date,
)
from ingest.events.merge import Telling, merge_events
from ingest.events.participants import (
    event_counts,
    is_company,
    is_state_force,
    opponents,
    protest_crowd,
    roles,
    summary,
)
from ingest.events.places import (
    TALK_TYPES,
    PlaceOption,
    antecedent_place,
    choose_places,
    continued_scene_place,
    ground_place,
    nearby_places,
    setting_place,
    several_places,
)
from ingest.events.quantities import coded_toll, coded_total
from ingest.events.trigger_types import head_noun
from ingest.events.triggers import Trigger, claimed_done, find_triggers, is_conflict_word
from ingest.lexicon import (
    COMPANY_NOUNS,
    CONFLICT_WORDS,
    FIGHTING_TYPES,
    KILLING_LEMMAS,
    POLITICAL_TALK_TYPES,
    UNHAPPENED_WHEN_PLANNED,
)
from ingest.nlp import parse

EXTRACTOR_VERSION = 22

_CREDIT = re.compile(r"\((?:Photo:\s*)?[^()\n]{1,60}/[^()\n]{1,30}\)|\((?:AP|AFP|Reuters|EPA|AA)\)")
_TOPIC_SHIFT = re.compile(r"^\s*(Meanwhile|Separately|Elsewhere|In other news)\b")


def line_ranges(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(ranges with no entities: boilerplate and credits, ranges with no events: those plus headlines).

    A text of one line is never a headline: it is the report itself, with or without its full stop."""
    skipped: list[tuple[int, int]] = []
    no_events: list[tuple[int, int]] = []
    one_line = sum(1 for line in text.split("\n") if line.strip()) == 1
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        if is_boilerplate_line(stripped):
            skipped.append((start, end))
        elif looks_like_headline(stripped) and not one_line:
            no_events.append((start, end))
        skipped.extend((start + m.start(), start + m.end()) for m in _CREDIT.finditer(line))
    return skipped, skipped + no_events


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < range_end and end > range_start for range_start, range_end in ranges)


@dataclass
class ArticleContext:
    """What a reader carries from sentence to sentence: the current day and the sentences around."""

    table: EntityTable
    published: dt.date | None
    current_day: DateSpan | None = None
    previous: Span | None = None
    earlier: list[Span] = field(default_factory=list)  # the few sentences before, nearest last
    following: list[Span] = field(default_factory=list)
    sentence_index: int = 0
    talks_place: tuple[int, PlaceOption] | None = None  # where the last talks were, and in which sentence

    def recent_talks_place(self) -> list[PlaceOption]:
        """'Negotiators held talks in Cairo. Burns met with Kamel': the next meeting is there too."""
        if self.talks_place is None or self.talks_place[0] < self.sentence_index - 1:
            return []
        return [self.talks_place[1]]

    def remember(self, events: list[ExtractedEvent]) -> None:
        for event in events:
            if event.type in TALK_TYPES and event.location_key and event.location_text:
                self.talks_place = (self.sentence_index, (event.location_key, event.location_text))


@dataclass(frozen=True)
class EventDate:
    span: DateSpan | None
    explicit: bool  # the text dates the event (or the report of it)


def _event_date(
    trigger: Trigger, tokens: list[Token], sentence: Span, ctx: ArticleContext
) -> EventDate | None:
    """The event's date, or None when the event is undated history or a vague, undated statement."""
    inherited = inherited_tokens(trigger.token)
    reported = speech_date(trigger.token, ctx.published)
    opening, opening_report = opening_date(sentence, ctx.published)
    reported = reported or opening_report
    reference = reported.start if reported and reported.precision == "day" else ctx.published
    date, vague = dates_in(tokens, reference, trigger.planned)
    if date is None and not vague:
        date = opening  # 'On 5 May, ...' frames the sentence, but not 'after months of battles'
    if date is None and inherited:
        date, vague_inherited = dates_in(inherited, reference, trigger.planned)
        vague = vague or vague_inherited
    offset = relative_offset(trigger.token)
    if offset is not None and date is None:
        anchor, _ = dates_in([t for t in sentence if t not in trigger.token.subtree], ctx.published, False)
        date = anchor.shifted(offset) if anchor is not None else None
    if date is None and not trigger.planned:
        report = reported if reported and reported.precision == "day" else None
        report = report or (day(ctx.published) if ctx.published else None)
        date = night_of(tokens + inherited, report, None if reported else ctx.current_day)
    if date is None and not vague and trigger.type not in TALK_TYPES:
        date = sentence_day(sentence, reference)  # '... during operations in Khost province yesterday.'
    date = date or reported
    if date is None and (vague or trigger.type == "statement"):
        return None
    fallback = ctx.current_day or (day(ctx.published) if ctx.published else None)
    return EventDate(date or fallback, explicit=date is not None)


def _event_places(
    trigger: Trigger, tokens: list[Token], sentence: Span, ctx: ArticleContext
) -> list[PlaceOption]:
    own = choose_places(trigger, tokens, ctx.table)
    inherited = own or choose_places(trigger, tokens + inherited_tokens(trigger.token), ctx.table)
    if trigger.type in TALK_TYPES:
        nearby = inherited or nearby_places(sentence, ctx.previous, ctx.following, ctx.table)
        return nearby or ctx.recent_talks_place()
    loose = inherited or setting_place(tokens + inherited_tokens(trigger.token), ctx.table)
    nearby = loose or nearby_places(sentence, ctx.previous, ctx.following, ctx.table)
    nearby = nearby or setting_place(list(sentence), ctx.table, lenient=True)
    nearby = nearby or ground_place(trigger, ctx.previous, ctx.table)
    nearby = nearby or antecedent_place(sentence, ctx.earlier, ctx.table)
    return nearby or continued_scene_place(sentence, ctx.earlier, ctx.table)


def event_confidence(trigger: Trigger, dated: bool, placed: bool, has_actor: bool, counted: bool) -> float:
    """How likely the event is right, from what the text says of it: its day, place, doer and toll
    each make it surer; a toll nobody is named as causing, political talk (the usual false alarm in
    general news), a plan and an event named only by a noun make it less sure."""
    confidence = 0.45 + 0.15 * dated + 0.1 * placed + 0.1 * has_actor
    confidence += 0.1 * (counted and trigger.type in FIGHTING_TYPES)
    confidence += 0.05 * (trigger.token.pos_ in {"VERB", "AUX"})
    confidence -= 0.15 * (trigger.type == "casualties_reported")
    confidence -= 0.1 * (trigger.type in POLITICAL_TALK_TYPES) + 0.15 * trigger.planned
    return round(min(max(confidence, 0.05), 0.95), 2)


def _taken_by_state_forces(
    trigger: Trigger, event: ExtractedEvent, places: list[PlaceOption], table: EntityTable
) -> bool:
    """Ground a state's forces took back on its own soil is ground regained: 'Afghan forces overtook 15
    villages from the Taliban in Argo district', 'the army seized the town from the rebels'. Not
    another state's ground ('Russian forces captured Avdiivka', 'Iranian forces captured several Iraqi
    defence posts'), nor forces of a people without a state ('Kurdish forces'), nor a taking that hangs
    on a noun ('overtook 13 Afghan military posts, thus taking control': its subject is not that noun)."""
    token = trigger.token
    actors = [p.entity_key for p in event.participants if p.role == "actor"]
    if trigger.type != "territory_captured" or token.dep_ in {"acl", "relcl"}:
        return False
    if not actors or not all(map(is_state_force, actors)):
        return False
    taken = children_with(token, "dobj", "nsubjpass") + prep_objects(token, {"from"})
    if any(word.ent_type_ == "NORP" and word.pos_ == "ADJ" for phrase in taken for word in phrase.subtree):
        return False  # a nationality, not 'from the jihadists'
    subject = clause_subject(token)
    nationals = [w for w in subject.subtree if w.ent_type_ == "NORP"] if subject is not None else []
    if not nationals:
        return True  # 'the army', 'government troops', 'security forces'
    states = {table.demonym_countries.get(w.i) for w in nationals}
    if None in states:
        return False  # 'Kurdish forces'
    codes = {country.code for name in states if name and (country := gazetteer().country(name))}
    grounds = {place.country_code for key, _ in places if (place := table.entities[key].place)}
    return bool(grounds) and grounds <= codes


def _regained(event: ExtractedEvent, table: EntityTable) -> ExtractedEvent:
    actors = [p.entity_key for p in event.participants if p.role == "actor"]
    targets = [p.entity_key for p in event.participants if p.role == "target"]
    kind = "territory_regained"
    return replace(event, type=kind, summary=summary(kind, actors, targets, None, table))


def _event(
    trigger: Trigger, sentence: Span, date: EventDate, found_place: bool, table: EntityTable
) -> ExtractedEvent:
    """The event without its place."""
    actors, targets = roles(trigger, table)
    others = [k for k in opponents(trigger, actors, table) if k not in targets]
    subject = clause_subject(trigger.token) if trigger.token.pos_ in {"VERB", "AUX"} else None
    if trigger.type in {"protest", "riot"}:
        # the crowd's size: 'about 500 teachers', 'thousands'
        subject = protest_crowd(trigger.token, trigger.type)
    fatalities, people = event_counts(trigger, subject)
    confidence = event_confidence(trigger, date.explicit, found_place, bool(actors), fatalities is not None)
    span = date.span
    return ExtractedEvent(
        type=trigger.type,
        date_start=span.start if span else None,
        date_end=span.end if span else None,
        precision=span.precision if span else "unknown",
        location_key=None,
        location_text=None,
        fatalities=fatalities,
        people=people,
        participants=[Participant(k, "actor") for k in actors]
        + [Participant(k, "target") for k in targets]
        + [Participant(k, "other") for k in others],
        summary=summary(trigger.type, actors, targets, None, table),
        confidence=confidence,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
        quote=sentence.text,
    )


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")  # '1987', 'the 1980s'


def _after_publication(date: EventDate, published: dt.date | None) -> bool:
    return published is not None and date.span is not None and date.span.start > published


def _names_an_earlier_year(tokens: list[Token], published: dt.date | None) -> bool:
    years = [int(m) for t in tokens if t.ent_type_ in {"DATE", "EVENT"} for m in _YEAR.findall(t.text)]
    return published is not None and any(year < published.year for year in years)


def _of_a_time(trigger: Trigger) -> bool:
    """'A period when crowds stormed supermarkets', 'the years when troops held the city': told of a
    time, which the sentence may name."""
    token = trigger.token if trigger.token.pos_ in {"VERB", "AUX"} else trigger.token.head
    return token.dep_ == "relcl" and token.head.lemma_.lower() in TIME_NOUNS


TIME_NOUNS = {"period", "time", "era", "year", "day", "decade", "age", "month"}


def _concrete_violence(trigger: Trigger) -> bool:
    """Violence with its dead or a side named happened, even where and when the text leaves vague; a
    sum of many ('captured scores of districts') did not happen in one place."""
    if trigger.type not in FIGHTING_TYPES | {"riot"}:
        return False
    token = trigger.token
    subject = clause_subject(token) if token.pos_ in {"VERB", "AUX"} else None
    fatalities, _ = event_counts(trigger, subject)
    sides = subject is not None or any(
        c.dep_ in {"agent", "dobj", "nsubjpass"} for t in [token, *trigger.consumed] for c in t.children
    )
    return fatalities is not None or (sides and not several_places(trigger))


def _located(event: ExtractedEvent, place: PlaceOption, table: EntityTable) -> ExtractedEvent:
    key, text = place
    roles = {
        role: [p.entity_key for p in event.participants if p.role == role] for role in ("actor", "target")
    }
    return replace(
        event,
        location_key=key,
        location_text=text,
        participants=list(event.participants),
        summary=summary(event.type, roles["actor"], roles["target"], table.entities[key].name, table),
    )


def _business_talk(trigger: Trigger, event: ExtractedEvent, table: EntityTable, text: str) -> bool:
    """A company's statement, talks or meeting: 'Transco announced it would ...', 'the company said it
    was negotiating with ...', or, in a story that names a company, what 'it' announced ('It announced
    plans to merge')."""
    actors = [p.entity_key for p in event.participants if p.role == "actor"]
    if actors:
        return all(is_company(key, table, text) for key in actors)
    token = trigger.token
    subject = clause_subject(token) if token.pos_ in {"VERB", "AUX"} else None
    if subject is None:
        return False
    if head_noun(subject).lemma_.lower() in COMPANY_NOUNS:  # not 'the group of ministers met'
        return True
    return subject.lower_ == "it" and any(is_company(key, table, text) for key in table.entities)


def _events_for(
    trigger: Trigger, sentence: Span, triggers: list[Trigger], ctx: ArticleContext
) -> list[ExtractedEvent]:
    tokens = clause_tokens(trigger.token, trigger.consumed, {t.token.i for t in triggers})
    date = _event_date(trigger, tokens, sentence, ctx)
    if date is None or (date.span is not None and is_background(date.span, ctx.published)):
        return []
    if trigger.type in UNHAPPENED_WHEN_PLANNED and _after_publication(date, ctx.published):
        return []  # 'is sending Shultz to Moscow for talks next month'
    if not date.explicit and _names_an_earlier_year(tokens, ctx.published):
        return []  # history: 'the Gaza Strip was captured by Israel in the 1967 war'
    if _of_a_time(trigger) and _names_an_earlier_year(list(sentence), ctx.published):
        return []  # 'in the early 1980s, a period when hungry crowds stormed supermarkets'
    places = _event_places(trigger, tokens, sentence, ctx)
    if not places and not date.explicit and not _concrete_violence(trigger):
        return []
    event = _event(trigger, sentence, date, bool(places), ctx.table)
    if _taken_by_state_forces(trigger, event, places, ctx.table):
        event = _regained(event, ctx.table)  # 'Afghan forces overtook 15 villages from the Taliban'
    if trigger.type == "diplomatic_meeting" and not event.participants:
        return []
    if trigger.type in POLITICAL_TALK_TYPES and _business_talk(trigger, event, ctx.table, sentence.doc.text):
        return []
    return [_located(event, place, ctx.table) for place in places] if places else [event]


def is_conflict_article(doc: Doc, threshold: int = 5) -> bool:
    """Five words of armed conflict make every sentence of the article a candidate for violence."""
    seen = 0
    for token in doc:
        seen += token.lemma_.lower() in CONFLICT_WORDS and is_conflict_word(token)
        if seen >= threshold:
            return True
    return False


def _trimmed(sentence: Span) -> Span:
    end = sentence.start_char + len(sentence.text.rstrip())
    trimmed = sentence.doc.char_span(sentence.start_char, end, alignment_mode="contract")
    return trimmed if trimmed is not None and len(trimmed) else sentence


def extract_events(
    doc: Doc, table: EntityTable, published: dt.date | None, no_events: list[tuple[int, int]]
) -> list[ExtractedEvent]:
    ctx = ArticleContext(table, published)
    sentences = list(doc.sents)
    article_conflict = is_conflict_article(doc)
    violence_told_at = -10  # the last sentence that told violence on its own
    tellings: list[Telling] = []
    for index, sentence in enumerate(sentences):
        sentence = _trimmed(sentence)
        own_day = sentence_day(sentence, published)
        if _TOPIC_SHIFT.match(sentence.text) and own_day is None:
            following_day = (
                sentence_day(sentences[index + 1], published) if index + 1 < len(sentences) else None
            )
            ctx.current_day = following_day
        ctx.previous = sentences[index - 1] if index else None
        ctx.earlier = sentences[max(0, index - 4) : index]
        ctx.sentence_index = index
        ctx.following = sentences[index + 1 : index + 4]
        if not _overlaps(sentence.start_char, sentence.end_char, no_events):
            triggers = find_triggers(sentence, article_conflict)
            if any(t.type in FIGHTING_TYPES for t in triggers):
                violence_told_at = index
            elif not triggers and index - violence_told_at <= 2:
                # 'Gunmen stormed a village. At least 56 people were killed': read in the light of the
                # violence just told, a sentence adds its dead only (not 'raided bases in the past')
                triggers = [t for t in find_triggers(sentence, True) if t.token.lemma_ in KILLING_LEMMAS]
            for trigger in triggers:
                found = _events_for(trigger, sentence, triggers, ctx)
                ctx.remember(found)
                several, claimed = several_places(trigger), claimed_done(trigger.token)
                tellings += [Telling(event, several, claimed) for event in found]
        if own_day is not None:
            ctx.current_day = own_day
    events = _with_coded_total(merge_events(tellings, table), coded_total(doc.text))
    return [
        replace(event, fatalities=coded_toll(doc.text, event.fatalities))
        if event.type in FIGHTING_TYPES
        else event
        for event in events
    ]


def _with_coded_total(events: list[ExtractedEvent], total: Quantity | None) -> list[ExtractedEvent]:
    """A coder's note of the whole toll ('19 total fatalities coded') is the toll of the note's event:
    the fighting event that counts the most dead (the first when none does); the others keep theirs."""
    fighting = [event for event in events if event.type in FIGHTING_TYPES]
    if total is None or not fighting:
        return events
    main = max(fighting, key=lambda event: event.fatalities.value if event.fatalities else -1)
    return [replace(event, fatalities=total) if event is main else event for event in events]


def _reference(published: dt.date | dt.datetime | None) -> dt.date | None:
    return published.date() if isinstance(published, dt.datetime) else published


def build_extraction(doc: Doc, published: dt.date | None) -> ArticleExtraction:
    skipped, no_events = line_ranges(doc.text)
    table = extract_entities(doc, gazetteer(), skipped)
    reference = _reference(published) or text_date(doc.text)  # the dateline's day when unpublished
    events = extract_events(doc, table, reference, no_events)
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
