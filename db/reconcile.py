"""Reconciliation: match an analyst's names (a spreadsheet column) to entities, with scores.

Built on the entity lookup (db.entities.lookup_entities). A name is tried as written, without a
parenthetical qualifier ("Jens Stoltenberg (NATO)"), and without a generic place word ("Panjwaii
district"); a candidate's score (0-100) comes from its best try: 100 for an exact name or alias, less
for a prefix, and the trigram similarity for a misspelling. Properties (country, admin1, kind) refine
the score: a value that agrees adds, one that disagrees takes away. `match` means confident: a high
score well ahead of the next candidate, or the only plausible candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pycountry
from sqlalchemy.orm import Session

from db.entities import EntityMatch, lookup_entities
from db.entity_rows import ListedEntity
from db.models import PLACE_KINDS
from db.names import name_key, trigrams

PLACE_WORDS = {
    *(kind.replace("_", " ") for kind in PLACE_KINDS),
    "air base", "airbase", "base", "town", "village", "valley", "county", "state", "governorate",
    "oblast", "area", "mountains", "pass",
}  # fmt: skip
PARENTHETICAL = re.compile(r"\s*[(\[]([^)\]]*)[)\]]\s*")
VARIANT_PENALTY = 0.95  # a match on the name without its qualifier or place word is a little less sure
PROPERTY_AGREES, PROPERTY_DISAGREES = 5.0, 25.0
PROPERTIES = {
    "country": "ISO 3166-1 alpha-2 code (or English name) of a place's country",
    "admin1": "First-level administrative division of a place (province, state)",
    "kind": f"Kind of place: {', '.join(PLACE_KINDS)}",
}
CONFIDENT, MARGIN, PLAUSIBLE = 90.0, 10.0, 50.0


@dataclass
class Feature:
    id: str
    value: float | bool


@dataclass
class Candidate:
    entity: ListedEntity
    score: float
    matched_alias: str
    features: list[Feature] = field(default_factory=list)
    match: bool = False


@dataclass
class Variant:
    text: str
    penalty: float
    place_word: str | None  # the generic place word taken off, if any


def name_variants(query: str) -> list[Variant]:
    """The query as written; without parenthetical qualifiers and what follows a comma ("Khanashin,
    Helmand"); and that without a trailing place word ("Panjwaii district")."""
    variants = [Variant(query, 1.0, None)]
    bare = PARENTHETICAL.sub(" ", query).split(",")[0].strip()
    if bare and bare != query.strip():
        variants.append(Variant(bare, VARIANT_PENALTY, None))
    words = name_key(bare).split()
    for size in (2, 1):
        if len(words) > size and " ".join(words[-size:]) in PLACE_WORDS:
            variants.append(Variant(" ".join(words[:-size]), VARIANT_PENALTY, " ".join(words[-size:])))
            break
    return variants


def alias_score(query_key: str, alias_key: str) -> float:
    """0-100: how well the (key of the) query names the alias."""
    if query_key == alias_key:
        return 100.0
    if (" " + alias_key).startswith(" " + query_key) or f" {query_key}" in f" {alias_key}":
        return 60.0 + 30.0 * len(query_key) / max(len(alias_key), 1)
    query_grams, alias_grams = set(trigrams(query_key)), set(trigrams(alias_key))
    shared = len(query_grams & alias_grams)
    return 100.0 * 2 * shared / max(len(query_grams) + len(alias_grams), 1)  # Dice similarity


def name_score(query_key: str, found: EntityMatch) -> tuple[float, str]:
    """The best score over the entity's aliases, and that alias."""
    scored = [(alias_score(query_key, alias.alias_key), alias.alias) for alias in found.entity.aliases]
    return max(scored, default=(alias_score(query_key, name_key(found.matched_alias)), found.matched_alias))


def country_code(value: str) -> str | None:
    if len(value) == 2 and value.isalpha():
        return value.upper()
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return None


def property_agrees(entity: ListedEntity, pid: str, values: list[str]) -> bool | None:
    """Whether the entity's value of the property is one of the values; None when it has none."""
    if pid == "country":
        wanted = {country_code(value) for value in values}
        return entity.country_code in wanted if entity.country_code else None
    if pid == "admin1":
        return name_key(entity.admin1) in {name_key(v) for v in values} if entity.admin1 else None
    if pid == "kind":
        return (
            entity.place_kind in {name_key(v).replace(" ", "_") for v in values}
            if entity.place_kind
            else None
        )
    return None


def reconcile(
    session: Session,
    query: str,
    *,
    types: list[str],
    properties: list[tuple[str, list[str]]],
    limit: int,
) -> list[Candidate]:
    """The best `limit` entities for the name, of one of `types` (any type when empty), best first."""
    best: dict[int, Candidate] = {}
    for variant in name_variants(query):
        key = name_key(variant.text)
        if not key:
            continue
        for found in lookup_entities(session, variant.text):
            if types and found.entity.entity_type not in types:
                continue
            score, alias = name_score(key, found)
            score *= variant.penalty
            if variant.place_word and found.entity.place_kind == variant.place_word.replace(" ", "_"):
                score += PROPERTY_AGREES
            current = best.get(found.entity.entity_id)
            if current is None or score > current.score:
                best[found.entity.entity_id] = Candidate(found.entity, score, alias)
    for candidate in best.values():
        candidate.features.append(Feature("name", round(min(candidate.score, 100.0), 1)))
        for pid, values in properties:
            agrees = property_agrees(candidate.entity, pid, values)
            if agrees is not None:
                candidate.features.append(Feature(pid, agrees))
                candidate.score += PROPERTY_AGREES if agrees else -PROPERTY_DISAGREES
        candidate.score = round(max(0.0, min(candidate.score, 100.0)), 1)
    ranked = sorted(best.values(), key=lambda c: (-c.score, -c.entity.mention_count, c.entity.entity_id))
    if ranked:
        top, rest = ranked[0], ranked[1:]
        runner_up = rest[0].score if rest else 0.0
        clear_lead = top.score >= CONFIDENT and top.score - runner_up >= MARGIN
        only_plausible = top.score >= PLAUSIBLE + 20 and runner_up < PLAUSIBLE
        disagrees = any(feature.value is False for feature in top.features)
        top.match = (clear_lead or only_plausible) and not disagrees
    return ranked[:limit]
