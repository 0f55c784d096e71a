"""Places as the text names them: kind words ('district', 'Air Base', 'the province of'), gazetteer
attributes (kind, country, admin1, coordinates) and the parent place a mention sits in."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span

from ingest.article_extraction import ExtractedEntity, Place
from ingest.datelines import datelines
from ingest.entities.gazetteer import Gazetteer, Subdivision
from ingest.entities.table import Candidate, EntityTable, clean_surface
from ingest.nlp import words

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


SUFFIXES_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
for _suffix in KIND_SUFFIXES:
    SUFFIXES_BY_FIRST_WORD.setdefault(_suffix[0][0], []).append(_suffix)
# 'the town of X': one-word kinds that may come before the name ('the provinces of X' contain provinces)
PREFIX_KINDS = {
    words[0]: kind for words, kind, _keep in KIND_SUFFIXES if len(words) == 1 and not words[0].endswith("s")
}
KIND_WORDS = {words[0] for words, _kind, _keep in KIND_SUFFIXES if len(words) == 1}
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
    if end >= len(doc):
        return None
    for suffix, kind, keep in SUFFIXES_BY_FIRST_WORD.get(doc[end].lower_, ()):
        following = [token.lower_ for token in doc[end + 1 : end + len(suffix)]]
        if following == list(suffix[1:]):
            return len(suffix), kind, keep
    return None


def kind_prefix(doc: Doc, start: int) -> str | None:
    """'the province of Kandahar', 'the district of X'."""
    if start >= 2 and doc[start - 1].lower_ == "of":
        return PREFIX_KINDS.get(doc[start - 2].lower_)
    return None


NAME_LINKS = words("e i ye")


def _proper_run_before(doc: Doc, end: int) -> int:
    start = end
    while start > 0:
        linked = start < end and doc[start - 1].lower_ in NAME_LINKS and doc[start - 2].text == "-"
        if start > 3 and linked and doc[start - 3].is_title:
            start -= 2  # 'Sar-e Pol', 'Pul-i Alam': a linking vowel joins the parts of one name
            continue
        if not doc[start - 1].is_title or doc[start - 1].pos_ in {"DET", "PRON", "ADP", "CCONJ"}:
            break
        if doc[start - 1].is_sent_start and doc[start - 1].pos_ != "PROPN":
            break
        if doc[start - 1].ent_type_ in {"DATE", "TIME"}:
            break
        if doc[start - 1].ent_type_ == "NORP" and doc[start - 1].pos_ != "PROPN":
            break  # 'Afghan district chief', but not 'Andar district' tagged NORP
        start -= 1
    return start


def _before_parenthesis(doc: Doc, end: int) -> int:
    """Where a name ends when a short parenthesised alias stands between it and end."""
    if end < 3 or doc[end - 1].text != ")":
        return end
    for index in range(end - 2, max(end - 8, 0), -1):
        if doc[index].text == "(":
            return index
    return end


def pattern_place_spans(doc: Doc) -> list[tuple[Span, str, bool]]:
    """Places named by a kind word the model may miss: 'Nawa Pass', 'Musa Qala and Now Zad districts'."""
    found: list[tuple[Span, str, bool]] = []
    for token in doc:
        suffix = kind_suffix(doc, token.i)
        if suffix is None or (token.i > 0 and kind_suffix(doc, token.i - 1)):
            continue
        length, kind, keep = suffix
        name_end = _before_parenthesis(doc, token.i)  # 'Nahri Saraj (Girishk) district'
        start = _proper_run_before(doc, name_end)
        if name_end != token.i and start < name_end:
            found.append((doc[start:name_end], kind, False))
            continue
        if start == token.i or doc[start].lower_ in {"the"}:
            continue
        end = token.i + length if keep else token.i
        if keep and not doc[token.i].is_title:
            end = token.i  # 'Bagram airbase' → the place is 'Bagram'
        found.append((doc[start:end], kind, keep and end > token.i))
        # 'Musa Qala and Now Zad districts', 'Ghazni, Andar, and Giro districts': the names listed
        # before also take the kind; only a list closed by ', and' goes on past commas ('Bagram,
        # Parwan province' is no list, nor 'In Helmand, Musa Qala and Now Zad districts')
        cursor, commas = start, False
        while cursor >= 2:
            gap = cursor - 1
            separator = doc[gap].lower_
            if separator == "and" and gap >= 2 and doc[gap - 1].text == "," and cursor == start:
                gap, commas = gap - 1, True  # the list's last comma
            if not (separator == "and" or (commas and separator == ",")) or not doc[gap - 1].is_title:
                break
            previous_start = _proper_run_before(doc, gap)
            if previous_start == gap:
                break
            found.append((doc[previous_start:gap], kind, False))
            cursor = previous_start
    return found


def _proper_run_after(doc: Doc, start: int) -> int:
    end = start
    while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and doc[end].ent_type_ != "DATE":
        end += 1
    return end


def prefixed_place_spans(doc: Doc) -> list[tuple[Span, str, bool]]:
    """Places named after a kind word the model may miss: 'the town of Djibo', 'the city of Odesa'."""
    found: list[tuple[Span, str, bool]] = []
    for token in doc[:-2]:
        kind = PREFIX_KINDS.get(token.lower_)
        if kind is None or doc[token.i + 1].lower_ != "of":
            continue
        end = _proper_run_after(doc, token.i + 2)
        if end > token.i + 2:
            found.append((doc[token.i + 2 : end], kind, False))
    return found


def province_after_district_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, str, bool]]:
    """'in Khash Rod district, Nimruz.': the name closing a district's phrase after a comma is its
    province when the gazetteer knows a province so named or so sounding (the model may tag it a
    person). With 'province' after it, pattern_place_spans finds it."""
    found: list[tuple[Span, str, bool]] = []
    for token in doc[:-2]:
        if token.lower_ not in {"district", "districts"} or doc[token.i + 1].text != ",":
            continue
        start = token.i + 2
        end = _proper_run_after(doc, start)
        if not 0 < end - start <= 3 or (end < len(doc) and not doc[end].is_punct):
            continue
        name = doc[start:end]
        if gazetteer.subdivision(name.text) or gazetteer.subdivision_by_sound(name.text):
            found.append((name, "province", False))
    return found


def state_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, str, bool]]:
    """'in Borno State', 'Kaduna state': a province where the gazetteer knows the name before 'state'
    as one; not 'Islamic State', 'the Gulf states', 'a tiny Gulf state' or 'the Gulf state of
    Bahrain' (a kind of country, after an article or before 'of')."""
    found: list[tuple[Span, str, bool]] = []
    for token in doc[1:]:
        if token.lower_ != "state" or (token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of"):
            continue
        start = _proper_run_before(doc, token.i)
        if start > 0 and doc[start - 1].pos_ in {"DET", "ADJ"}:
            continue
        if 0 < token.i - start <= 3 and gazetteer.subdivision(doc[start : token.i].text, by_sound=False):
            found.append((doc[start : token.i], "province", False))
    return found


# Prepositions the parser takes for part of a name when they open a sentence: 'Near Raqqa, ...'.
OPENERS = words("near outside")
LOCATIVE_HEADS = words("in near at into from outside around toward towards across")
# Labels the small model gives to place names it does not know: 'in Rafah' as LANGUAGE.
UNPLACED_LABELS = frozenset({"", "LANGUAGE", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})


def unlabelled_place_spans(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, str | None, bool]]:
    """'struck targets in Rafah', 'Near Raqqa, strikes ...': a capitalised object of a locative
    preposition that the model left untagged, when the gazetteer knows the name."""
    found: list[tuple[Span, str | None, bool]] = []
    for token in doc:
        if token.ent_type_ not in UNPLACED_LABELS or not token.is_title:
            continue
        before = doc[token.i - 1] if token.i else None
        comma_after = token.i + 1 < len(doc) and doc[token.i + 1].text == ","
        opener = before is not None and before.is_sent_start and before.lower_ in OPENERS and comma_after
        located = token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_HEADS
        if not (located or opener) or token.pos_ not in {"PROPN", "NOUN"}:
            continue  # 'in Rafah'; 'Near Raqqa, three strikes ...', where the parser takes 'Near' for a name
        start = token.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].is_title:
            if doc[start - 1].lower_ in LOCATIVE_HEADS:
                break
            start -= 1
        text = doc[start : token.i + 1].text
        if gazetteer.country(text) or gazetteer.subdivision(text) or gazetteer.city(text):
            found.append((doc[start : token.i + 1], None, False))
    return found


def dateline_place_spans(doc: Doc) -> list[tuple[Span, str, bool]]:
    """The city of a dateline, 'KYIV, March 7 -', which the model rarely tags in capitals."""
    found: list[tuple[Span, str, bool]] = []
    for start, end, _dateline_end in datelines(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            found.append((span, "city", False))
    return found


def country_hint(doc: Doc, gazetteer: Gazetteer) -> frozenset[str]:
    """The countries the article names (or names the people of); failing any, the country of the
    provinces it names that only one country has, however spelt ('in Deh Rahwod district, Urozgan')."""
    codes: Counter[str] = Counter()
    for ent in doc.ents:
        country = gazetteer.country(ent.text) if ent.label_ == "GPE" else None
        if country is None and ent.label_ == "NORP":
            country = gazetteer.demonym(ent.text)
        if country:
            codes[country.code] += 1
    if codes:
        return frozenset(codes)
    places = [span.text for span, _kind, _keep in pattern_place_spans(doc)]
    places += [span.text for span, _kind, _keep in province_after_district_spans(doc, gazetteer)]
    places += [span.text for span, _kind, _keep in state_spans(doc, gazetteer)]
    places += [ent.text for ent in doc.ents if ent.label_ in {"GPE", "LOC"}]
    names = places + [ent.text for ent in doc.ents if ent.label_ in {"ORG", "PERSON", "FAC"}]  # 'Ghor' as ORG
    passes = (
        (gazetteer.subdivision, names),
        (lambda name: _sounding_subdivision(gazetteer, name, frozenset()), places),
    )  # exact names first
    for lookup, candidates in passes:
        for name in candidates:
            subdivision = lookup(name)
            if subdivision:
                codes[subdivision.country_code] += 1
        if codes:
            return frozenset(code for code, _count in codes.most_common(1))
    return frozenset()


def _sounding_subdivision(gaz: Gazetteer, name: str, countries: frozenset[str]) -> Subdivision | None:
    """The province so named, or the one a name spells another way ('Urozgan' → Uruzgan) unless the
    name is a city of another country: Mosul is no misspelt Umm Salal."""
    exact = gaz.subdivision(name, countries, by_sound=False)
    if exact is not None:
        return exact
    found = gaz.subdivision(name, countries) if countries else gaz.subdivision_by_sound(name)
    city = gaz.city(name, countries)
    return None if found and city and city.country_code != found.country_code else found


def place_from_gazetteer(
    gaz: Gazetteer, countries: frozenset[str], text: str, span: Span, kind: str | None
) -> tuple[str, Place]:
    country = gaz.country(text)
    if country and kind in (None, "country"):
        latitude, longitude = gaz.country_centroid(country.code) or (None, None)
        return country.name, Place("country", country.code, None, latitude, longitude)
    city = gaz.city(text, countries)
    subdivision = _sounding_subdivision(gaz, text, countries)
    capital_of = gaz.is_capital(text)
    if subdivision and city and countries and subdivision.country_code not in countries:
        subdivision = None if city.country_code in countries else subdivision  # Hanover in Germany
    metonymy = span.root.dep_ == "poss" or (
        span.root.dep_ == "nsubj" and span.root.head.pos_ in {"VERB", "AUX"}
    )
    if capital_of and kind is None and metonymy:
        return capital_of.name, Place(kind="country", country_code=capital_of.code)  # 'Washington agreed'
    if (
        subdivision
        and kind in (None, "province", "region")  # 'the Zaporizhzhia region' is the oblast
        and not (capital_of and capital_of.code == subdivision.country_code)
    ):
        return subdivision.name, Place(
            kind="province", country_code=subdivision.country_code, admin1=subdivision.name
        )
    name = clean_surface(text)
    if city and kind in (None, "city"):
        return name, Place("city", city.country_code, city.admin1, city.latitude, city.longitude)
    if city:
        return name, Place(kind, city.country_code, city.admin1, city.latitude, city.longitude)
    if subdivision:
        return name, Place(kind, subdivision.country_code, subdivision.name)
    return name, Place(kind=kind)


def join_place_short_forms(candidates: list[Candidate]) -> None:
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


def _entity_after(doc: Doc, table: EntityTable, start: int) -> tuple[ExtractedEntity, int] | None:
    """The entity named in the few tokens from start, before any punctuation, and where it ends."""
    for token in doc[start : start + 6]:
        key = table.token_keys.get(token.i)
        if key is not None:
            end = token.i
            while end < len(doc) and table.token_keys.get(end) == key:
                end += 1
            return table.entities[key], end
        if token.is_punct:
            break
    return None


def _ends_a_list(doc: Doc, end: int) -> bool:
    """'X district, Helmand.' or 'X district, Helmand province, killing': the name after the comma is
    not the next item of a list ('Kabul, Kandahar and Herat')."""
    suffix = kind_suffix(doc, end)
    end += suffix[0] if suffix else 0
    if end >= len(doc):
        return True
    if doc[end].lower_ in {"and", "or", "&"}:
        return False
    return not (doc[end].text == "," and end + 1 < len(doc) and doc[end + 1].lower_ in {"and", "or"})


def _past_conjoined_names(doc: Doc, end: int) -> int:
    """'Khakrez[, Nawa] and Maywand districts': where the kind word of a list of names begins, or end
    when no kind word closes the list. Parenthesised aliases ('Nad Ali (Marja)') are passed over."""
    index = end
    passed: set[str] = set()
    while index < min(end + 14, len(doc)):
        plural_kind = kind_suffix(doc, index) and doc[index].lower_.endswith("s")
        alias_only = kind_suffix(doc, index) and "," not in passed
        closes_list = doc[index].lower_ in {"of", "in"} and "and" in passed
        if index > end and (plural_kind or alias_only or closes_list):
            return index
        token = doc[index]
        passed.add(token.lower_)
        if not (token.is_title or token.lower_ in {",", "and", "(", ")", "-", "e", "i"}):
            break
        index += 1
    return end


def _infer_parent(doc: Doc, table: EntityTable, start: int, end: int) -> tuple[ExtractedEntity, str] | None:
    """'Khanashin district in Helmand', 'Helmand’s Musa Qala and Now Zad districts', 'the Qarabagh
    district of Ghazni province', 'Shinkay district, Zabul' → (the province, 'in'); 'Bagram Air Base
    near Kabul' → (Kabul, 'near'). See complete_places for what each gives."""
    index = start - 1
    while index > 0 and start - index < 8 and (doc[index].is_title or doc[index].lower_ in {"and", ","}):
        index -= 1
    if index > 1 and doc[index].tag_ == "POS":
        owner = index - 2 if doc[index - 1].lower_ in KIND_WORDS else index - 1  # 'Ghazni province's'
        if owner in table.token_keys:
            return table.entities[table.token_keys[owner]], "in"
    after = _past_conjoined_names(doc, end)
    suffix = kind_suffix(doc, after)
    after += suffix[0] if suffix else 0
    while after < min(end + 6, len(doc)) and (
        doc[after].lower_ in {"on", "area", "areas", "center", "centre"} or doc[after].ent_type_ == "DATE"
    ):
        after += 1  # 'Panjwai district on Sunday in the southern province of Kandahar'
    relation = doc[after].lower_ if after < len(doc) else ""
    if relation in {"in", "near", "outside", "of"}:
        found = _entity_after(doc, table, after + 1)
        if found is not None:
            return found[0], "near" if relation in {"near", "outside"} else "in"
    if relation == "," and (suffix or doc[after - 1].ent_type_):
        found = _entity_after(doc, table, after + 1)
        starts_after_comma = after + 1 < len(doc) and (after + 1) in table.token_keys
        if found is not None and starts_after_comma and found[1] <= after + 4 and _ends_a_list(doc, found[1]):
            return found[0], "in"
        if found is not None and kind_suffix(doc, found[1]) and _ends_a_list(doc, found[1]):
            return found[0], "in"  # 'Nad Ali district, Helmand province'
    return None


def _takes_from(place: Place, parent: Place, relation: str) -> bool:
    """A place inside a wider one takes its country; one near another (not near a country, which may
    be across a border) takes it when no gazetteer gave one."""
    if relation == "near":
        return parent.kind != "country" and place.country_code is None
    if parent.kind == "district" and place.kind in {"city", "site", None}:
        return True  # 'the Regi village of Jawand district'
    return SPECIFICITY.get(parent.kind, 4) < SPECIFICITY.get(place.kind, 4)


def _parent_admin1(parent: ExtractedEntity) -> str | None:
    if parent.place is None:
        return None
    return parent.place.admin1 or (parent.name if parent.place.kind == "province" else None)


def _complete_one(doc: Doc, table: EntityTable, entity: ExtractedEntity) -> None:
    """The province and country of a place from the wider place the text puts it in; the text wins
    over the gazetteer ('Muqur district, Badghis' is not the Muqur of Ghazni)."""
    assert entity.place is not None
    place = entity.place
    for start_char, end_char in entity.mentions:
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        found = _infer_parent(doc, table, span.start, span.end) if span is not None else None
        if found is None or found[0] is entity or found[0].place is None:
            continue
        parent, relation = found[0].place, found[1]
        admin1 = _parent_admin1(found[0]) if relation == "in" else None
        if not _takes_from(place, parent, relation):
            if admin1 and place.admin1 is None and place.kind != "province":
                place.admin1 = admin1  # 'Mussahi district, Kabul', where Kabul is read as the city
                place.country_code = place.country_code or parent.country_code
            continue
        namesake = place.country_code not in {None, parent.country_code} or (
            admin1 is not None and place.admin1 not in {None, admin1}
        )
        if namesake:  # the gazetteer's namesake elsewhere: the text wins
            place.latitude = place.longitude = None
            place.country_code = parent.country_code
        place.country_code = place.country_code or parent.country_code
        place.admin1 = admin1 or place.admin1
        return


def _province_around(doc: Doc, entity: ExtractedEntity, provinces: list[ExtractedEntity]) -> str | None:
    """'In Zabul province, forces detained ... in the Shah Joy district': the one province named in
    the sentence of the place's first mention, or else the one province the whole text names."""
    start, end = entity.mentions[0]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        sentence = span.sent
        named = {
            p.name
            for p in provinces
            if any(sentence.start_char <= s < sentence.end_char for s, _e in p.mentions)
        }
        if len(named) == 1:
            return named.pop()
    return provinces[0].name if len(provinces) == 1 else None


def complete_places(doc: Doc, table: EntityTable, gazetteer: Gazetteer) -> None:
    locations = [e for e in table.entities.values() if e.type == "location"]
    for entity in locations:
        entity.place = entity.place or Place()
    for _ in range(2):  # 'the X area of Y district, Z': Y takes Z's province first, then X takes it
        for entity in locations:
            _complete_one(doc, table, entity)
    provinces = [e for e in locations if e.place is not None and e.place.kind == "province"]
    for entity in locations:
        place = entity.place
        assert place is not None
        if place.kind == "province" and place.admin1 is None:
            place.admin1 = entity.name
        if place.admin1 is None and place.kind not in {"country", "region", "province"} and entity.mentions:
            province = _province_around(doc, entity, provinces)
            country = next((p.place.country_code for p in provinces if p.name == province and p.place), None)
            if province and place.country_code in {None, country}:
                place.admin1, place.country_code = province, country
        sub = (
            gazetteer.subdivision(place.admin1, frozenset([place.country_code] if place.country_code else []))
            if place.admin1
            else None
        )
        if place.country_code is None and place.kind != "country":
            place.country_code = sub.country_code if sub else None
        if sub is not None and place.latitude is None:
            centroid = gazetteer.centroid(sub)  # a point for a province or a district the table lacks
            place.latitude, place.longitude = centroid if centroid else (None, None)
