"""When an event happened: time expressions in its clause, the day of the report that tells it, or an
offset from another event ('two days after')."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span, Token

from ingest.date_expressions import DateSpan, overnight, resolve_date_expression
from ingest.events.quantities import parse_quantity
from ingest.lexicon import SPEECH_VERBS

_VAGUE_TIME = re.compile(r"\b(recent|months|weeks|years|decades|for days|since|ongoing|past year)\b", re.I)
_HAS_YEAR = re.compile(r"\d{4}")
_FAR_FUTURE = dt.date(9999, 1, 1)
_LAST_DAY = re.compile(r"\b(past|last) (24|twenty-four) hours\b", re.I)


def _in_a_code(ent: Span) -> bool:
    """'2010-11-S-215', 'No. 2011-07-S-015': a year glued into a release number is not a date."""
    text = ent.doc.text
    before = text[ent.start_char - 1] if ent.start_char else " "
    after = text[ent.end_char] if ent.end_char < len(text) else " "
    return before in "-/" or (after in "-/" and not any(ch.isalpha() for ch in ent.text))


def resolve_entity(ent: Span, published: dt.date | None, future: bool) -> DateSpan | None:
    """A DATE or TIME entity against the reference day; without one, only expressions with a year."""
    if _in_a_code(ent):
        return None
    if published is None:
        return resolve_date_expression(ent.text, _FAR_FUTURE) if _HAS_YEAR.search(ent.text) else None
    return resolve_date_expression(ent.text, published, future=future)


def sentence_day(sentence: Span, published: dt.date | None) -> DateSpan | None:
    """The first day the sentence names: it dates the undated sentences that follow."""
    for ent in sentence.ents:
        if ent.label_ in {"DATE", "TIME"}:
            span = resolve_entity(ent, published, future=False)
            if span is not None and span.precision == "day":
                return span
    return None


def dates_in(tokens: list[Token], published: dt.date | None, future: bool) -> tuple[DateSpan | None, bool]:
    """The first resolvable time expression among the tokens, and whether a vague one was seen."""
    seen: set[int] = set()
    vague = False
    for token in tokens:
        if token.ent_type_ not in {"DATE", "TIME"} or token.i in seen:
            continue
        ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
        seen.update(range(ent.start, ent.end))
        if ent.root.dep_ == "poss":
            continue  # 'last month's earthquakes' dates the earthquakes, not the event
        governor = ent.root.head
        spanning = governor.lower_ in {"since", "for", "over", "throughout", "until"}
        if spanning and ent.root.dep_ == "pobj" and not _LAST_DAY.search(ent.text):
            vague = True
            continue
        span = resolve_entity(ent, published, future)
        if span is None:
            vague = vague or bool(_VAGUE_TIME.search(ent.text))
            continue
        return span, vague
    return None, vague


def night_of(tokens: list[Token], report: DateSpan | None, narrative: DateSpan | None) -> DateSpan | None:
    """'Overnight' when nothing else dates the event (the model tags the word as a time in some
    sentences and not in others, so it is read as a word): the night after the day the story last
    named ('On March 3, rebels attacked Bor. Overnight, soldiers clashed ...'), or else the night that
    ended on the day of the report."""
    if not any(token.lower_ == "overnight" for token in tokens):
        return None
    if narrative is not None and (report is None or narrative.start < report.start):
        return overnight(narrative.start, after=True)
    return overnight(report.start, after=False) if report is not None else None


def _opening_phrases(sentence: Span) -> list[list[Token]]:
    """The comma-separated phrases before the first clause with a verb of its own (speech verbs
    excepted): 'As reported on 30 July 2019', 'over the past 24 hours'. A coder's label ('Agreement:')
    is dropped."""
    phrases: list[list[Token]] = []
    current: list[Token] = []
    for token in sentence:
        if token.text == ":" and not phrases:
            current = []
        elif token.text == ",":
            if not current or len(current) > 12 or not _opens_adverbial(current[0]):
                break
            phrases.append(current)
            current = []
        elif token.pos_ == "VERB" and token.lemma_ not in SPEECH_VERBS:
            break
        else:
            current.append(token)
    return phrases


def _opens_adverbial(token: Token) -> bool:
    """'On ...', 'As reported on ...', 'Reported on ...', 'Late last month', not a subject's name."""
    return token.pos_ in {"ADP", "ADV", "SCONJ"} or token.ent_type_ == "DATE" or token.lemma_ in SPEECH_VERBS


def _phrase_date(tokens: list[Token], reference: dt.date | None) -> DateSpan | None:
    """A time phrase by its text, for the forms the model does not tag ('On 11-April-2019')."""
    text = tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text
    if tokens[0].lower_ in {"since", "for", "until", "throughout", "over"} and not _LAST_DAY.search(text):
        return None  # 'Since early May, ...': a stretch of time, not the day of the event
    if reference is None:
        return resolve_date_expression(text, _FAR_FUTURE) if _HAS_YEAR.search(text) else None
    return resolve_date_expression(text, reference)


def opening_date(sentence: Span, published: dt.date | None) -> tuple[DateSpan | None, DateSpan | None]:
    """(event date, report date) of the opening phrases that frame the whole sentence: 'On 12 May
    2019, ...' dates the event; 'As reported on May 3, over the past 24 hours, ...' dates the report,
    and the event by the report."""
    event: DateSpan | None = None
    report: DateSpan | None = None
    for phrase in _opening_phrases(sentence)[:2]:
        reference = report.start if report is not None and report.precision == "day" else published
        found = _phrase_date(phrase, reference)
        if found is None:
            break
        if any(t.lemma_ in SPEECH_VERBS for t in phrase):
            report = found
        else:
            event = found
    return event, report


def relative_offset(trigger: Token) -> int | None:
    """'X comes two days after Y happened': Y is two days before X's date (-2)."""
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
                return sign * quantity.value
    return None


def speech_date(trigger: Token, published: dt.date | None) -> DateSpan | None:
    """'The ministry said on Saturday that 224 fighters were killed': Saturday dates the report."""
    for ancestor in trigger.ancestors:
        if ancestor.lemma_ in SPEECH_VERBS:
            tokens = [
                t for c in ancestor.children if c.dep_ not in {"ccomp", "nsubj", "xcomp"} for t in c.subtree
            ]
            return dates_in(tokens, published, False)[0]
    return None


def is_background(date: DateSpan, published: dt.date | None) -> bool:
    """History, not news: more than 400 days old, or a whole year before the publication's."""
    if published is None:
        return False
    too_old = date.end < published - dt.timedelta(days=400)
    return too_old or (date.precision == "year" and date.end.year < published.year)
