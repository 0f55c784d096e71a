"""Entities of one parsed article: spaCy's named entities, corrected and completed with the gazetteers.

Every surface form becomes a candidate with a type; candidates are then merged into entities (short forms
join their full form) and each location gets its place attributes (kind, country, admin1, coordinates).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ingest.extracted import EntityType, ExtractedEntity, Place
from ingest.gazetteer import Gazetteer, normalise
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
LOCATIVE_PREPOSITIONS = words(
    "in at near from to into across around outside inside throughout of toward towards through within "
    "out off on"
)
PLACE_NOUNS = words(
    "capital city town village province district region area border country state county base airbase "
    "pass crossing valley outskirts"
)
# Words that, after a name, say what kind of place it is.
KIND_SUFFIXES: list[tuple[tuple[str, ...], str, bool]] = [
    (("border", "crossing"), "border_crossing", False),
    (("air", "base"), "military_base", True),
    (("airbase",), "military_base", True),
    (("air", "field"), "military_base", True),
    (("airfield",), "military_base", True),
    (("military", "base"), "military_base", True),
    (("base",), "military_base", True),
    (("pass",), "border_crossing", True),
    (("crossing",), "border_crossing", True),
    (("district",), "district", False),
    (("districts",), "district", False),
    (("province",), "province", False),
    (("provinces",), "province", False),
    (("governorate",), "province", False),
    (("region",), "region", False),
    (("county",), "district", False),
    (("village",), "city", False),
    (("town",), "city", False),
    (("city",), "city", False),
]
SPECIFICITY = {
    "site": 6,
    "military_base": 6,
    "border_crossing": 6,
    "city": 5,
    "district": 5,
    None: 4,
    "region": 3,
    "province": 2,
    "country": 1,
}
NAMED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}


@dataclass
class Candidate:
    start: int  # token indices, end exclusive
    end: int
    name: str
    type: EntityType
    place: Place | None = None
    alias: str | None = None  # the surface form, when it differs from name


@dataclass
class EntityTable:
    entities: dict[str, ExtractedEntity] = field(default_factory=dict)
    token_keys: dict[int, str] = field(default_factory=dict)
    demonym_countries: dict[int, str] = field(default_factory=dict)  # token index → country name

    def key_at(self, token: Token) -> str | None:
        return self.token_keys.get(token.i)

    def add(self, key: str, name: str, type_: EntityType, span: Span, place: Place | None = None) -> str:
        entity = self.entities.get(key)
        if entity is None:
            entity = ExtractedEntity(key=key, name=name, type=type_, place=place)
            self.entities[key] = entity
        surface = clean_surface(span.text)
        if surface != entity.name and surface not in entity.aliases:
            entity.aliases.append(surface)
        mention = (span.start_char, span.end_char)
        if mention not in entity.mentions:
            entity.mentions.append(mention)
        for token in span:
            self.token_keys.setdefault(token.i, key)
        return key


def entity_key(type_: str, name: str) -> str:
    return f"{type_}:{normalise(name)}"


def clean_surface(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"['’]s$", "", text)
    return re.sub(r"^(the|The)\s+", "", text)


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (
        doc[start].lower_ in {"the", "a", "an"} or doc[start].is_space or doc[start].is_punct
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


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
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in TITLE_WORDS:
        start += 1
    return span.doc[start : span.end]


def is_locative(span: Span) -> bool:
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPOSITIONS:
        return True
    if root.dep_ in {"appos", "poss", "compound", "nmod"} and head.lemma_.lower() in PLACE_NOUNS:
        return True
    if root.dep_ == "conj" and head.ent_type_ in {"GPE", "LOC"}:
        return True
    before = [token.lemma_.lower() for token in span.doc[max(span.start - 2, 0) : span.start]]
    if before and (before[-1] in PLACE_NOUNS or (before[-1] == "," and before[0] in PLACE_NOUNS)):
        return True  # 'the capital Islamabad', 'provincial capital, Lashkar Gah'
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.lower_ in {"province", "district", "provinces", "districts"}


def kind_suffix(doc: Doc, end: int) -> tuple[int, str, bool] | None:
    """If the tokens from `end` name a kind of place ('district', 'Air Base'), return (length, kind, keep)."""
    for suffix, kind, keep in KIND_SUFFIXES:
        tokens = doc[end : end + len(suffix)]
        if len(tokens) == len(suffix) and all(t.lower_ == w for t, w in zip(tokens, suffix, strict=True)):
            return len(suffix), kind, keep
    return None


def kind_prefix(doc: Doc, start: int) -> str | None:
    """'the province of Kandahar', 'the district of X'."""
    if start >= 2 and doc[start - 1].lower_ == "of":
        word = doc[start - 2].lower_
        for words, kind, _keep in KIND_SUFFIXES:
            if words == (word,):
                return kind
    return None


def _proper_run_before(doc: Doc, end: int) -> int:
    start = end
    while (
        start > 0 and doc[start - 1].is_title and doc[start - 1].pos_ not in {"DET", "PRON", "ADP", "CCONJ"}
    ):
        if doc[start - 1].is_sent_start and doc[start - 1].pos_ != "PROPN":
            break
        if doc[start - 1].ent_type_ in {"DATE", "TIME", "NORP"}:
            break
        start -= 1
    return start


def pattern_place_spans(doc: Doc) -> list[tuple[Span, str, bool]]:
    """Places named by a kind word the model may miss: 'Nawa Pass', 'Musa Qala and Now Zad districts'."""
    found: list[tuple[Span, str, bool]] = []
    for token in doc:
        suffix = kind_suffix(doc, token.i)
        if suffix is None or (token.i > 0 and kind_suffix(doc, token.i - 1)):
            continue
        length, kind, keep = suffix
        start = _proper_run_before(doc, token.i)
        if start == token.i or doc[start].lower_ in {"the"}:
            continue
        end = token.i + length if keep else token.i
        if keep and not doc[token.i].is_title:
            end = token.i  # 'Bagram airbase' → the place is 'Bagram'
        found.append((doc[start:end], kind, keep and end > token.i))
        # 'Musa Qala and Now Zad districts': the names conjoined before also take the kind
        cursor = start
        while cursor >= 2 and doc[cursor - 1].lower_ == "and" and doc[cursor - 2].is_title:
            previous_start = _proper_run_before(doc, cursor - 1)
            if previous_start == cursor - 1:
                break
            found.append((doc[previous_start : cursor - 1], kind, False))
            cursor = previous_start
    return found


def _country_hint(doc: Doc, gazetteer: Gazetteer) -> frozenset[str]:
    codes: Counter[str] = Counter()
    for ent in doc.ents:
        country = gazetteer.country(ent.text) if ent.label_ == "GPE" else None
        if country is None and ent.label_ == "NORP":
            country = gazetteer.demonym(ent.text)
        if country:
            codes[country.code] += 1
    return frozenset(codes)


@dataclass
class _Context:
    doc: Doc
    gazetteer: Gazetteer
    countries: frozenset[str]
    surnames: dict[str, str]  # lower-case last (or first) name → full name
    table: EntityTable


def _person_context(span: Span) -> bool:
    root = span.root
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.pos_ in {"VERB", "AUX"}:
        return True
    if any(child.dep_ == "appos" and child.lemma_.lower() in ROLE_NOUNS for child in root.children):
        return True
    if root.dep_ == "appos" and root.head.lemma_.lower() in ROLE_NOUNS:
        return True
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_ in ROLE_NOUNS | TITLE_WORDS


def _looks_like_organisation(span: Span) -> bool:
    words = {token.lower_ for token in span}
    return bool(
        words
        & {
            "ministry",
            "army",
            "council",
            "party",
            "news",
            "agency",
            "bank",
            "group",
            "office",
            "unit",
            "corp",
            "inc",
            "company",
            "committee",
            "forces",
            "police",
            "embassy",
        }
    )


def _place_from_gazetteer(ctx: _Context, text: str, span: Span, kind: str | None) -> tuple[str, Place]:
    gaz = ctx.gazetteer
    country = gaz.country(text)
    if country and kind in (None, "country"):
        return country.name, Place(kind="country", country_code=country.code)
    subdivision = gaz.subdivision(text, ctx.countries)
    capital_of = gaz.is_capital(text)
    city = gaz.city(text, ctx.countries)
    metonymy = span.root.dep_ == "poss" or (
        span.root.dep_ == "nsubj" and span.root.head.pos_ in {"VERB", "AUX"}
    )
    if capital_of and kind is None and metonymy:
        return capital_of.name, Place(kind="country", country_code=capital_of.code)  # 'Washington agreed'
    if (
        subdivision
        and kind in (None, "province")
        and not (capital_of and capital_of.code == subdivision.country_code)
    ):
        return subdivision.name, Place(
            kind="province", country_code=subdivision.country_code, admin1=subdivision.name
        )
    name = clean_surface(text)
    if city and kind in (None, "city"):
        return name, Place("city", city.country_code, None, city.latitude, city.longitude)
    if city:
        return name, Place(kind, city.country_code, None, city.latitude, city.longitude)
    if subdivision:
        return name, Place(kind, subdivision.country_code, subdivision.name)
    return name, Place(kind=kind)


def _classify(ctx: _Context, span: Span, label: str, kind: str | None) -> Candidate | None:
    doc, gaz = ctx.doc, ctx.gazetteer
    text = clean_surface(span.text)
    if not text or not any(ch.isalpha() for ch in text):
        return None
    if label == "NORP":
        if gaz.country(text):
            name, place = _place_from_gazetteer(ctx, text, span, None)
            return Candidate(span.start, span.end, name, "location", place)
        country = gaz.demonym(text)
        if country:
            for token in span:
                ctx.table.demonym_countries[token.i] = country.name
            return None
        if span.root.pos_ == "PROPN" and span.root.dep_ in {"nsubj", "dobj", "pobj", "compound", "poss"}:
            return Candidate(span.start, span.end, text, "organization")
        return None
    surname_of = ctx.surnames.get(text.lower())
    if surname_of and label != "PLACE" and surname_of != text:
        return Candidate(span.start, span.end, surname_of, "person", alias=text)
    suffix = kind_suffix(doc, span.end) if not gaz.country(text) else None
    kind = kind or (suffix[1] if suffix else None) or kind_prefix(doc, span.start)
    known_place = bool(
        gaz.country(text) or gaz.subdivision(text, ctx.countries) or gaz.city(text, ctx.countries)
    )
    locative = is_locative(span)
    if label == "PERSON":
        stripped = strip_titles(span)
        if known_place and (locative or kind) and len(stripped) == len(span):
            label = "GPE"
        else:
            name = clean_surface(stripped.text)
            if len(stripped) == 1 and not _person_context(stripped):
                return None
            return Candidate(stripped.start, stripped.end, name, "person")
    if label == "ORG" and not kind:
        if known_place and (locative or not _looks_like_organisation(span)) and len(span) <= 3:
            label = "GPE"
        elif (span.root.dep_ == "appos" and span.root.head.lemma_.lower() in ROLE_NOUNS) and all(
            t.is_title for t in span
        ):
            return Candidate(span.start, span.end, text, "person")
        else:
            known_orgs = {clean_surface(e.text) for e in doc.ents if e.label_ == "ORG"}
            first = gaz.demonym(span[0].text) if clean_surface(span[1:].text) in known_orgs else None
            name = clean_surface(span[1:].text) if first else text
            return Candidate(span.start, span.end, name, "organization")
    if label in {"GPE", "LOC", "FAC", "PLACE"}:
        if label == "LOC" and kind is None and not known_place:
            kind = "region"
        if label == "FAC" and kind is None and not known_place:
            kind = "site"
        name, place = _place_from_gazetteer(ctx, text, span, kind)
        return Candidate(span.start, span.end, name, "location", place)
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


def _join_place_short_forms(candidates: list[Candidate]) -> None:
    """'Bagram' joins 'Bagram Air Base' when the article names the base in full."""
    long_names = {
        c.name
        for c in candidates
        if c.type == "location" and c.place and c.place.kind in {"military_base", "border_crossing"}
    }
    for candidate in candidates:
        if candidate.type != "location":
            continue
        for long_name in long_names:
            if long_name != candidate.name and long_name.lower().startswith(candidate.name.lower() + " "):
                candidate.alias = candidate.alias or candidate.name
                candidate.name = long_name
                candidate.place = None


def _infer_parent(doc: Doc, table: EntityTable, start: int, end: int) -> ExtractedEntity | None:
    """'Khanashin district in Helmand', 'Helmand’s Musa Qala and Now Zad districts' → Helmand."""
    index = start - 1
    while index > 0 and start - index < 8 and (doc[index].is_title or doc[index].lower_ in {"and", ","}):
        index -= 1
    if index > 0 and doc[index].tag_ == "POS" and doc[index - 1].i in table.token_keys:
        return table.entities[table.token_keys[doc[index - 1].i]]
    after = end
    suffix = kind_suffix(doc, after)
    after += suffix[0] if suffix else 0
    if after < len(doc) and doc[after].lower_ == "in":
        for token in doc[after + 1 : after + 5]:
            if token.i in table.token_keys:
                return table.entities[table.token_keys[token.i]]
            if token.is_punct:
                break
    return None


def _complete_places(doc: Doc, table: EntityTable, gazetteer: Gazetteer) -> None:
    for entity in table.entities.values():
        if entity.type != "location":
            continue
        entity.place = entity.place or Place()
        place = entity.place
        for start_char, end_char in entity.mentions:
            span = doc.char_span(start_char, end_char, alignment_mode="expand")
            parent = _infer_parent(doc, table, span.start, span.end) if span is not None else None
            if parent is None or parent is entity or parent.place is None:
                continue
            if SPECIFICITY.get(parent.place.kind, 4) >= SPECIFICITY.get(place.kind, 4):
                continue
            place.country_code = place.country_code or parent.place.country_code
            if parent.place.kind == "province":
                place.admin1 = place.admin1 or parent.name
            break
        if place.kind == "province" and place.admin1 is None:
            place.admin1 = entity.name
        if place.country_code is None and place.admin1 and place.kind != "country":
            sub = gazetteer.subdivision(place.admin1)
            place.country_code = sub.country_code if sub else None


def extract_entities(doc: Doc, gazetteer: Gazetteer, skipped: list[tuple[int, int]]) -> EntityTable:
    table = EntityTable()
    ctx = _Context(doc, gazetteer, _country_hint(doc, gazetteer), _surnames(doc), table)
    spans: list[tuple[Span, str, str | None]] = []
    covered: set[int] = set()
    for span, place_kind, _keep in pattern_place_spans(doc):
        spans.append((span, "PLACE", place_kind))
        covered.update(range(span.start, span.end))
    for ent in doc.ents:
        if ent.label_ not in NAMED_LABELS or "/" in ent.text:
            continue
        for part in _split_possessives(ent):
            trimmed = _trim(part)
            if trimmed is not None and not covered.intersection(range(trimmed.start, trimmed.end)):
                spans.append((trimmed, ent.label_, None))
    candidates = []
    for span, label, kind in spans:
        if _in_ranges(span.start_char, span.end_char, skipped):
            continue
        candidate = _classify(ctx, span, label, kind)
        if candidate is not None:
            candidates.append(candidate)
    _join_place_short_forms(candidates)
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
    _join_acronyms(doc, table)
    _complete_places(doc, table, gazetteer)
    return table


def _join_acronyms(doc: Doc, table: EntityTable) -> None:
    """'Inter-Services Public Relations (ISPR)': the acronym becomes an alias of the full name."""
    organisations = [e for e in table.entities.values() if e.type == "organization"]
    for short in organisations:
        if not short.name.isupper() or " " in short.name:
            continue
        for full in organisations:
            initials = "".join(word[0] for word in re.split(r"[\s-]+", full.name) if word[:1].isupper())
            if full is not short and initials == short.name:
                full.aliases.append(short.name)
                full.mentions.extend(short.mentions)
                for index, key in list(table.token_keys.items()):
                    if key == short.key:
                        table.token_keys[index] = full.key
                del table.entities[short.key]
                break
