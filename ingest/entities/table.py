"""The entities of one article as they are found, with the token → entity index the event rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ingest.article_extraction import EntityType, ExtractedEntity, Place
from ingest.entities.name_forms import normalise
from ingest.lexicon import GROUP_NOUNS
from ingest.nlp import words


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
        if (
            surface != entity.name
            and surface not in entity.aliases
            and not is_generic_alias(surface, entity.name)
        ):
            entity.aliases.append(surface)
        mention = (span.start_char, span.end_char)
        if mention not in entity.mentions:
            entity.mentions.append(mention)
        for token in span:
            self.token_keys.setdefault(token.i, key)
        return key

    def place_kind(self, key: str) -> str | None:
        place = self.entities[key].place
        return place.kind if place else None


def entity_key(type_: str, name: str) -> str:
    return f"{type_}:{normalise(name)}"


_POSSESSIVE_END = re.compile(r"['’]s$")
_LEADING_THE = re.compile(r"^(the|The)\s+")


def clean_surface(text: str) -> str:
    text = " ".join(text.split())
    text = _POSSESSIVE_END.sub("", text)
    return _LEADING_THE.sub("", text)


# Reuters-style abbreviations of units, currencies and report lines ("Shr 1.20 dlrs vs 95 cts", "Revs
# 12.5 mln Stg", "150,000 bpd") and bare legal forms: the model tags them ORG, they name nothing.
NOT_NAMES = words(
    "ct cts dlr dlrs mln mlns bln blns pct stg bpd shr shrs rev revs qtr qtrs avg vs net oper mth mths "
    "yr yrs tonnes lbs bu cwt oz nil co cos corp inc ltd plc"
)


def is_not_a_name(text: str) -> bool:
    """'cts', 'Revs 1.2 mln', 'Corp': every word an abbreviation of a unit or a legal form."""
    parts = [part for part in text.replace(".", " ").lower().split() if any(ch.isalpha() for ch in part)]
    return bool(parts) and all(part in NOT_NAMES for part in parts)


def is_generic_alias(surface: str, name: str) -> bool:
    """'police' or 'the Army' for 'Afghan police': a common noun is no alias of a proper name; it would
    link every police force in the corpus to this one."""
    if not any(ch.isupper() for ch in name):
        return False
    if not any(ch.isupper() for ch in surface):
        return True
    parts = [part for part in surface.lower().split() if part not in {"the", "security"}]
    return all(part in GROUP_NOUNS or part.removesuffix("s") in GROUP_NOUNS for part in parts)
