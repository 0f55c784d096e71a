"""When an event happened: time expressions in its clause, the day of the report that tells it, or an
offset from another event ('two days after')."""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span, Token

from ingest.dates import DateSpan, resolve_date_expression
from ingest.lexicon import SPEECH_VERBS
from ingest.quantities import parse_quantity

_VAGUE_TIME = re.compile(r"\b(recent|months|weeks|years|decades|for days|since|ongoing|past year)\b", re.I)
_HAS_YEAR = re.compile(r"\d{4}")
_REPORT_WINDOW = re.compile(r"\b(past|last) (24|twenty-four) hours\b", re.I)  # the day of the report
_FAR_FUTURE = dt.date(9999, 1, 1)


def resolve_entity(ent: Span, published: dt.date | None, future: bool) -> DateSpan | None:
    """A DATE or TIME entity against the reference day; without one, only expressions with a year."""
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
        spanned = governor.lower_ in {"since", "for", "over", "throughout", "until"}
        if spanned and ent.root.dep_ == "pobj" and not _REPORT_WINDOW.search(ent.text):
            vague = True
            continue
        span = resolve_entity(ent, published, future)
        if span is None:
            vague = vague or bool(_VAGUE_TIME.search(ent.text))
            continue
        return span, vague
    return None, vague


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
