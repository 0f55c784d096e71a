"""Entities of one parsed article: spaCy's named entities, corrected and completed with the gazetteers.

Every surface form becomes a candidate with a type; candidates are then merged into entities (short forms
join their full form) and each location gets its place attributes (kind, country, admin1, coordinates).
"""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from db.entity_links import acronym, initials
from db.taxonomy import ARMED_GROUP_NAMES
from ingest.article_extraction import Place
from ingest.entities.gazetteer import Gazetteer
from ingest.entities.place_names import (
    complete_places,
    country_hint,
    dateline_place_spans,
    is_locative,
    join_place_short_forms,
    kind_prefix,
    kind_suffix,
    pattern_place_spans,
    place_from_gazetteer,
    prefixed_place_spans,
    province_after_district_spans,
    state_spans,
    unlabelled_place_spans,
)
from ingest.entities.table import Candidate, EntityTable, clean_surface, entity_key, is_not_a_name
from ingest.lexicon import LEGAL_FORMS
from ingest.nlp import words

TITLE_WORDS = words(
    "president prime minister foreign defence defense interior secretary general gen gen. lt lt. col "
    "col. maj maj. sgt sgt. staff capt capt. prince king queen sheikh mr mr. mrs mrs. ms ms. dr dr. "
    "sen sen. senator rep rep. governor gov gov. chancellor ambassador envoy commander spokesman "
    "spokeswoman chief mullah emir vice deputy acting former late pope judge justice colonel major "
    "sergeant lieutenant admiral marshal brig"
)


ROLE_NOUNS = words(
    "president minister counterpart spokesman spokeswoman spokesperson governor commander official "
    "chief head leader member lawmaker envoy ambassador secretary general director elder analyst "
    "chairman prince king senator mayor officer reporter correspondent resident witness founder ceo "
    "executive"
)


NAMED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or _no_word(doc[start])):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or _no_word(doc[end - 1])):
        end -= 1
    return doc[start:end] if end > start else None


def _no_word(token: Token) -> bool:
    """Spaces, punctuation and the angle brackets Reuters puts around company names ('<Viacom Inc>')."""
    return not any(ch.isalnum() for ch in token.text)


def _split_possessives(span: Span) -> list[Span]:
    """'Helmand’s Musa Qala' → ['Helmand', 'Musa Qala']."""
    parts, start = [], span.start
    for token in span:
        if token.tag_ == "POS" and token.i > start:
            parts.append(span.doc[start : token.i])
            start = token.i + 1
    parts.append(span.doc[start : span.end])
    return [part for part in parts if len(part)]


def strip_titles(span: Span) -> Span:
    """'President Reagan' → 'Reagan'; 'However Reagan', 'Athough Reagan' at a sentence start → 'Reagan'."""
    start = span.start
    while start < span.end - 1 and (
        span.doc[start].lower_ in TITLE_WORDS
        or (span.doc[start].is_sent_start and is_function_word(span.doc[start].lower_))
    ):
        start += 1
    return span.doc[start : span.end]


_FIRST_NAMES_THAT_ARE_STOP_WORDS = {"will", "may"}
_LONG_STOP_WORDS = frozenset(word for word in STOP_WORDS if len(word) >= 6)


def is_function_word(word: str) -> bool:
    """A stop word, or a long one with a letter dropped ('athough'): capitalised only because it starts
    the sentence, the model takes it for a first name. (A changed letter is not enough: 'toward' and
    'Howard'.)"""
    if word in STOP_WORDS:
        return word not in _FIRST_NAMES_THAT_ARE_STOP_WORDS
    return len(word) >= 5 and any(_one_letter_dropped(word, stop) for stop in _LONG_STOP_WORDS)


def _one_letter_dropped(short: str, word: str) -> bool:
    return len(word) == len(short) + 1 and any(word[:i] + word[i + 1 :] == short for i in range(len(word)))


# Countries that no longer exist, by the names pycountry gives ('USSR, Union of Soviet Socialist
# Republics') and the common names the press used; one canonical name each.
_HISTORIC_COMMON_NAMES = {"SU": ["Soviet Union", "Soviets"], "DD": ["East Germany"]}


def _historic_country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.historic_countries:
        code = str(country.alpha_2)
        forms = [
            *_HISTORIC_COMMON_NAMES.get(code, []),
            *(part.strip() for part in str(country.name).split(",")),
        ]
        for form in forms:
            if len(form) > 2 and not form.endswith(" of"):
                names.setdefault(form.lower(), forms[0])
    return names


HISTORIC_COUNTRIES = _historic_country_names()


ORGANISATION_WORDS = words(
    "ministry army council party news agency bank group office unit corp inc company committee forces "
    "police embassy"
)


@dataclass
class _Context:
    doc: Doc
    gazetteer: Gazetteer
    countries: frozenset[str]
    surnames: dict[str, str]  # lower-case last (or first) name → full name
    table: EntityTable
    organisations: frozenset[str]  # the names the model tags ORG, for 'Afghan Taliban' → 'Taliban'


def _person_context(span: Span) -> bool:
    root = span.root
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.pos_ in {"VERB", "AUX"}:
        return True
    if root.dep_ == "poss" and root.head.pos_ == "NOUN":  # "Reagan's aim"
        return True
    if any(child.dep_ == "appos" and child.lemma_.lower() in ROLE_NOUNS for child in root.children):
        return True
    if root.dep_ == "appos" and root.head.lemma_.lower() in ROLE_NOUNS:
        return True
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_ in ROLE_NOUNS | TITLE_WORDS


def _looks_like_organisation(span: Span) -> bool:
    return any(token.lower_ in ORGANISATION_WORDS for token in span)


def is_armed_group_name(span: Span) -> bool:
    return any(token.lower_ in ARMED_GROUP_NAMES for token in span)


def _classify_norp(ctx: _Context, span: Span, text: str) -> Candidate | None:
    if ctx.gazetteer.country(text):
        name, place = place_from_gazetteer(ctx.gazetteer, ctx.countries, text, span, None)
        return Candidate(span.start, span.end, name, "location", place)
    country = ctx.gazetteer.demonym(text)
    if country:
        for token in span:
            ctx.table.demonym_countries[token.i] = country.name
        return None
    if span.root.pos_ == "PROPN" and span.root.dep_ in {"nsubj", "dobj", "pobj", "compound", "poss"}:
        return Candidate(span.start, span.end, text, "organization")
    return None


def _classify_organisation(ctx: _Context, span: Span, text: str) -> Candidate:
    if (span.root.dep_ == "appos" and span.root.head.lemma_.lower() in ROLE_NOUNS) and all(
        t.is_title for t in span
    ):
        return Candidate(span.start, span.end, text, "person")
    rest = clean_surface(span[1:].text)
    if rest in ctx.organisations and ctx.gazetteer.demonym(span[0].text):
        return Candidate(span.start, span.end, rest, "organization")  # 'Afghan Taliban'
    return Candidate(span.start, span.end, text, "organization")


def _known_place(ctx: _Context, text: str) -> bool:
    gaz = ctx.gazetteer
    return bool(gaz.country(text) or gaz.subdivision(text, ctx.countries) or gaz.city(text, ctx.countries))


def _place_label(ctx: _Context, span: Span, text: str, label: str, kind: str | None) -> str:
    """The label after the gazetteer check: a person or organisation the gazetteer knows as a place,
    in a locative position, is a place ('fighting in Kunduz' tagged PERSON)."""
    if label not in {"PERSON", "ORG"} or is_armed_group_name(span):
        return label
    if not _known_place(ctx, text):
        return label
    if label == "PERSON":
        return "GPE" if (is_locative(span) or kind) and len(strip_titles(span)) == len(span) else label
    if kind or (len(span) <= 3 and (is_locative(span) or not _looks_like_organisation(span))):
        return "GPE"
    return label


def _classify_place(ctx: _Context, span: Span, text: str, label: str, kind: str | None) -> Candidate:
    if kind is None and not _known_place(ctx, text):
        kind = {"LOC": "region", "FAC": "site"}.get(label)
    name, place = place_from_gazetteer(ctx.gazetteer, ctx.countries, text, span, kind)
    return Candidate(span.start, span.end, name, "location", place)


def _place_kind(ctx: _Context, span: Span, text: str, kind: str | None) -> str | None:
    if kind:
        return kind
    suffix = kind_suffix(ctx.doc, span.end) if not ctx.gazetteer.country(text) else None
    return suffix[1] if suffix else kind_prefix(ctx.doc, span.start)


def _classify(ctx: _Context, span: Span, label: str, kind: str | None) -> Candidate | None:
    text = clean_surface(span.text)
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if is_not_a_name(text):
        return None
    common_noun = len(span) == 1 and span.root.pos_ == "NOUN"
    if common_noun and label in {"GPE", "LOC"} and not _known_place(ctx, text):
        return None  # 'Gunmen abducted 30 students': a common noun the model took for a place
    historic = HISTORIC_COUNTRIES.get(text.lower())
    if historic is not None and span.root.pos_ != "ADJ" and span.root.dep_ != "amod":
        return Candidate(span.start, span.end, historic, "location", Place(kind="country"))
    if label == "PLACE" and text.isupper() and len(text) > 3:
        text = text.title()  # a dateline: 'KYIV'
    if label == "NORP" or (
        label in {"GPE", "PLACE"} and span.root.pos_ == "ADJ" and ctx.gazetteer.demonym(text)
    ):
        return _classify_norp(ctx, span, text)
    surname_of = ctx.surnames.get(text.lower())
    if surname_of and label != "PLACE" and surname_of != text:
        return Candidate(span.start, span.end, surname_of, "person", alias=text)
    if label != "PLACE" and is_armed_group_name(span):
        return Candidate(span.start, span.end, text, "organization")
    kind = _place_kind(ctx, span, text, kind)
    label = _place_label(ctx, span, text, label, kind)
    if label == "PERSON":
        stripped = strip_titles(span)
        if len(stripped) == 1 and not _person_context(stripped):
            return None
        return Candidate(stripped.start, stripped.end, clean_surface(stripped.text), "person")
    if label == "ORG":
        return _classify_organisation(ctx, span, text)
    if label in {"GPE", "LOC", "FAC", "PLACE"}:
        return _classify_place(ctx, span, text, label, kind)
    return None


def _surnames(doc: Doc) -> dict[str, str]:
    surnames: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or "/" in ent.text:
            continue
        trimmed = _trim(ent)
        if trimmed is None:
            continue
        stripped = strip_titles(trimmed)
        if len(stripped) >= 2:
            full = clean_surface(stripped.text)
            surnames.setdefault(stripped[-1].text.lower(), full)
            surnames.setdefault(clean_surface(stripped[-1].text).lower(), full)
    return surnames


def _in_ranges(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < range_end and end > range_start for range_start, range_end in ranges)


def _labelled_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, str, str | None]]:
    """(span, label, place kind): places found by the rules first, then the model's entities they
    do not overlap."""
    named_by_kind: list[tuple[Span, str | None, bool]] = [
        *pattern_place_spans(doc),
        *prefixed_place_spans(doc),
        *dateline_place_spans(doc),
        *unlabelled_place_spans(doc, gazetteer),
        *province_after_district_spans(doc, gazetteer),
        *state_spans(doc, gazetteer),
    ]
    spans: list[tuple[Span, str, str | None]] = [(span, "PLACE", kind) for span, kind, _ in named_by_kind]
    covered = {index for span, _, _ in spans for index in range(span.start, span.end)}
    for ent in doc.ents:
        if ent.label_ not in NAMED_LABELS or "/" in ent.text:
            continue
        for part in _split_possessives(ent):
            trimmed = _trim(part)
            if trimmed is not None and not covered.intersection(range(trimmed.start, trimmed.end)):
                spans.append((trimmed, ent.label_, None))
    return spans


def _add_candidates(doc: Doc, table: EntityTable, candidates: list[Candidate]) -> None:
    """Candidates become entities, in text order; a name's place is its most telling one."""
    places: dict[str, Place] = {}
    for candidate in candidates:
        key = entity_key(candidate.type, candidate.name)
        if candidate.place is not None and (
            key not in places or places[key].kind is None or candidate.place.kind == "province"
        ):
            places[key] = candidate.place
    for candidate in sorted(candidates, key=lambda c: c.start):
        key = entity_key(candidate.type, candidate.name)
        table.add(key, candidate.name, candidate.type, doc[candidate.start : candidate.end], places.get(key))


def extract_entities(doc: Doc, gazetteer: Gazetteer, skipped: list[tuple[int, int]]) -> EntityTable:
    table = EntityTable()
    organisations = frozenset(clean_surface(e.text) for e in doc.ents if e.label_ == "ORG")
    ctx = _Context(doc, gazetteer, country_hint(doc, gazetteer), _surnames(doc), table, organisations)
    candidates = []
    for span, label, kind in _labelled_spans(doc, gazetteer):
        if _in_ranges(span.start_char, span.end_char, skipped):
            continue
        candidate = _classify(ctx, span, label, kind)
        if candidate is not None:
            candidates.append(candidate)
    join_place_short_forms(candidates)
    _join_names_inside_organisations(candidates)
    _add_candidates(doc, table, candidates)
    _join_acronyms(doc, table)
    _add_repeated_mentions(doc, table)
    complete_places(doc, table, gazetteer)
    return table


def _join_names_inside_organisations(candidates: list[Candidate]) -> None:
    """'Baker International Corp said ... Baker said': a lone word of an organisation's name in the same
    article is that organisation, not a person of that surname (the article names no such person); so
    is a 'person' its name starts with ('Baker Hughes' beside 'Baker Hughes Inc'), and an organisation
    that a company's name starts with ('Transco' beside 'Transco Energy Co')."""
    organisations = [c.name for c in candidates if c.type == "organization" and " " in c.name]
    companies = [name for name in organisations if name.replace(".", "").split()[-1].lower() in LEGAL_FORMS]

    def part_of(person: str, organisation: str) -> bool:
        if " " in person:
            return organisation.startswith(person + " ")
        return person in organisation.split()

    for candidate in candidates:
        if candidate.alias is not None:
            continue
        if candidate.type == "person":
            owner = next((name for name in organisations if part_of(candidate.name, name)), None)
        elif candidate.type == "organization":
            owner = next((name for name in companies if name.startswith(candidate.name + " ")), None)
        else:
            continue
        if owner is not None:
            candidate.alias, candidate.name, candidate.type = candidate.name, owner, "organization"


def _add_repeated_mentions(doc: Doc, table: EntityTable) -> None:
    """'the town of Sake ... a market in Sake': the model may tag a name once and miss it later."""
    names: dict[str, list[tuple[list[str], str]]] = {}
    for entity in table.entities.values():
        if entity.type not in {"location", "organization"}:
            continue
        for name in [entity.name, *entity.aliases]:
            parts = name.split()
            if all(part[:1].isupper() for part in parts):
                names.setdefault(parts[0], []).append((parts, entity.key))
    for token in doc:
        if token.i in table.token_keys or token.text not in names:
            continue
        for parts, key in names[token.text]:
            span = doc[token.i : token.i + len(parts)]
            if [t.text for t in span] == parts and not any(t.i in table.token_keys for t in span):
                table.add(key, table.entities[key].name, table.entities[key].type, span)
                break


def _join_acronyms(doc: Doc, table: EntityTable) -> None:
    """'Inter-Services Public Relations (ISPR)': the acronym becomes an alias of the full name."""
    organisations = [e for e in table.entities.values() if e.type == "organization"]
    for short in organisations:
        letters = acronym(short.name)
        if letters is None:
            continue
        for full in organisations:
            if full is not short and initials(full.name) == letters:
                full.aliases.append(short.name)
                full.mentions.extend(short.mentions)
                for index, key in list(table.token_keys.items()):
                    if key == short.key:
                        table.token_keys[index] = full.key
                del table.entities[short.key]
                break
