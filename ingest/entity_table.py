"""The entities of one article as they are found, with the token → entity index the event rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ingest.extracted import EntityType, ExtractedEntity, Place
from ingest.gazetteer import normalise


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
