"""Which existing entity an article's entity is, when its name is not the stored name, and why.

The rules, first match wins (all within one entity type):
- the same name: the same entity (nothing to record);
- a country: the country entity with the same ISO code ("America" is the United States);
- one word naming a person ("Biden"): the one person whose full name ends in it or who is known by
  it; two such people, no link;
- an organisation's name with or without a legal form ("Trans World Airlines Inc."): the one
  organisation named so without or with one;
- an acronym ("OPEC"): the one organisation known by it (an article said what it stands for);
- a name that an article gives an acronym ("Trans World Airlines (TWA)"): the one organisation known
  by that acronym, if it spells out nothing yet or the same words; a name whose initials are such an
  acronym: the one organisation that spells it out with the same words ("Organisation" and
  "Organization of Petroleum Exporting Countries"). Initials alone link nothing: CBS Inc is not
  Central Bancshares of the South;
- a full name ("Joe Biden") takes over the one-word person ("Biden") when no other full name ends in
  that word: the entity is renamed;
- any other name: the one entity that has it as an alias.
Lower-case names ("police", "government forces") and groups join only an entity of exactly their
name: a generic noun is nobody in particular. Every link but the first kind is recorded in
`entity_link` with its reason and article, so that a curator can see and undo it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from db.models import Entity, EntityAlias, EntityLink
from db.names import name_key

LinkReason = Literal[
    "same_name", "alias", "surname", "full_name", "legal_form", "acronym", "expansion", "same_country"
]

# Legal-form words that an acronym leaves out: "Trans World Airlines Inc" is TWA.
CORPORATE_SUFFIXES = frozenset(
    [
        "inc",
        "corp",
        "co",
        "cos",
        "ltd",
        "plc",
        "llc",
        "lp",
        "corporation",
        "company",
        "incorporated",
        "limited",
        "sa",
        "ag",
        "nv",
        "bv",
        "spa",
    ]
)

_ACRONYM = re.compile(r"[A-Z]{2,6}")


@dataclass(frozen=True)
class LinkDecision:
    entity_id: int
    reason: LinkReason
    matched: str  # the stored name or alias that decided it
    rename: bool = False  # the entity takes the article's fuller name


def acronym(name: str) -> str | None:
    """'OPEC', 'U.N.' → the letters; anything else → None."""
    letters = name.replace(".", "").replace("&", "")
    return letters if _ACRONYM.fullmatch(letters) else None


def initials(name: str) -> str:
    """The capitalised words' first letters, legal forms left out: 'Trans World Airlines Inc' → 'TWA'."""
    words = [word for word in re.split(r"[\s\-/]+", name.replace(".", "")) if word]
    while words and words[-1].lower() in CORPORATE_SUFFIXES:
        words.pop()
    if words and words[0].lower() == "the":
        words = words[1:]
    return "".join(word[0] for word in words if word[0].isupper())


def without_legal_form(key: str) -> str:
    """A name key without its trailing legal forms: 'trans world airlines inc' → 'trans world airlines'."""
    words = key.split()
    while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
        words.pop()
    return " ".join(words)


def is_generic(name: str) -> bool:
    """A name with no capital letter is a common noun ('police', 'security forces'), not a name."""
    return not any(ch.isupper() for ch in name)


def decide_link(
    session: Session,
    name: str,
    entity_type: str,
    aliases: Iterable[str] = (),
    place_kind: str | None = None,
    country_code: str | None = None,
) -> LinkDecision | None:
    """The existing entity an article's entity (name, type, aliases, place) is, with the reason; None: a
    new one. A place links by alias only to a place of the same kind: 'Cairo' is no alias of Egypt."""
    key = name_key(name)
    same = session.scalar(
        select(Entity.entity_id).where(Entity.entity_type == entity_type, Entity.name_key == key)
    )
    if same is not None:
        return LinkDecision(same, "same_name", name)
    if entity_type == "group" or is_generic(name) or not key:
        return None
    if place_kind == "country" and country_code is not None:
        country = _one(
            session,
            select(Entity.entity_id, Entity.name).where(
                Entity.entity_type == "location",
                Entity.place_kind == "country",
                Entity.country_code == country_code,
            ),
        )
        if country is not None:
            return LinkDecision(country[0], "same_country", country[1])
    words = key.split()
    if entity_type == "person" and len(words) == 1:
        return _person_by_surname(session, key)
    if entity_type == "organization":
        decision = _organisation_by_legal_form(session, name, key) or _organisation_by_acronym(
            session, name, aliases
        )
        if decision is not None:
            return decision
    if entity_type == "person" and len(words) >= 2:
        decision = _claim_one_word_person(session, words[-1])
        if decision is not None:
            return decision
    known_as = _known_as(entity_type, key)
    if place_kind is not None:
        known_as = known_as.where(or_(Entity.place_kind.is_(None), Entity.place_kind == place_kind))
    by_alias = _one(session, known_as)
    return LinkDecision(by_alias[0], "alias", by_alias[1]) if by_alias is not None else None


def record_link(session: Session, article_id: int, name: str, decision: LinkDecision) -> None:
    """Write down a link that is not the same name, and rename the entity when it takes a fuller name."""
    if decision.reason == "same_name":
        return
    if decision.rename:
        session.execute(
            update(Entity)
            .where(Entity.entity_id == decision.entity_id)
            .values(name=name, name_key=name_key(name))
        )
    session.add(
        EntityLink(
            entity_id=decision.entity_id,
            article_id=article_id,
            name=name[:300],
            reason=decision.reason,
            matched=decision.matched[:300],
        )
    )
    session.flush()


@dataclass
class LinkedName:
    name: str  # as the articles wrote it
    reason: str  # one of ENTITY_LINK_REASONS
    matched: str
    articles: int


def linked_names(session: Session, entity_id: int, limit: int = 50) -> list[LinkedName]:
    """The other names linked to an entity, with why, in the most articles first: what a curator checks."""
    articles = func.count(func.distinct(EntityLink.article_id))
    rows = session.execute(
        select(EntityLink.name, EntityLink.reason, EntityLink.matched, articles)
        .where(EntityLink.entity_id == entity_id)
        .group_by(EntityLink.name, EntityLink.reason, EntityLink.matched)
        .order_by(articles.desc(), EntityLink.name)
        .limit(limit)
    ).all()
    return [LinkedName(name, reason, matched, count) for name, reason, matched, count in rows]


def _known_as(entity_type: str, key: str) -> Select[int, str]:
    return (
        select(Entity.entity_id, EntityAlias.alias)
        .join(EntityAlias, EntityAlias.entity_id == Entity.entity_id)
        .where(Entity.entity_type == entity_type, EntityAlias.alias_key == key)
    )


def _one(session: Session, statement: Select[int, str]) -> tuple[int, str] | None:
    """The one entity the rows name (entity_id, matched name); None when there are none or several."""
    rows = session.execute(statement).all()
    if len({row[0] for row in rows}) != 1:
        return None
    return rows[0][0], rows[0][1]


def _person_by_surname(session: Session, key: str) -> LinkDecision | None:
    full_names = select(Entity.entity_id, Entity.name).where(
        Entity.entity_type == "person", Entity.name_key.like(f"% {key}")
    )
    rows = session.execute(full_names.union(_known_as("person", key))).all()
    if len({row[0] for row in rows}) != 1:
        return None
    entity_id = rows[0][0]
    by_surname = [matched for _, matched in rows if name_key(matched).endswith(f" {key}")]
    if by_surname:
        return LinkDecision(entity_id, "surname", by_surname[0])
    return LinkDecision(entity_id, "alias", rows[0][1])


def _organisation_by_legal_form(session: Session, name: str, key: str) -> LinkDecision | None:
    """'Trans World Airlines Inc.' and 'Trans World Airlines': one company with or without its legal form."""
    core = without_legal_form(key)
    if " " not in core and acronym(name.split()[0]) is None:
        return None  # 'Finance' is no short form of 'Finance Corp' by itself: an article must say so (alias)
    one_form = [f"{core} {suffix}" for suffix in sorted(CORPORATE_SUFFIXES)]
    two_forms = [
        f"{core} {first} {suffix}" for first in ("co", "corp") for suffix in sorted(CORPORATE_SUFFIXES)
    ]
    same_core = select(Entity.entity_id, Entity.name).where(
        Entity.entity_type == "organization", Entity.name_key.in_([core, *one_form, *two_forms])
    )  # equality on the (entity_type, name_key) index rather than a pattern over every organisation
    known = _one(session, same_core)
    return LinkDecision(known[0], "legal_form", known[1]) if known is not None else None


def _organisation_by_acronym(session: Session, name: str, aliases: Iterable[str]) -> LinkDecision | None:
    letters = acronym(name)
    if letters is not None:
        known = _one(session, _known_as("organization", letters.lower()))
        if known is not None:
            return LinkDecision(known[0], "alias", known[1])
        return None
    stated = [short for alias in aliases if (short := acronym(alias))]
    own = initials(name)
    unstated = [own] if len(own) >= 2 and own not in stated else []
    for short in [*stated, *unstated]:
        known = _one(session, _known_as("organization", short.lower()))
        if known is None:
            continue
        spelt_out = [
            alias
            for alias in session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == known[0]))
            if acronym(alias) is None and initials(alias) == short
        ]
        similar = [expansion for expansion in spelt_out if same_words(name, expansion)]
        if similar:
            return LinkDecision(known[0], "acronym" if short in stated else "expansion", similar[0])
        if short in stated and not spelt_out:
            return LinkDecision(known[0], "acronym", known[1])
    return None


def same_words(name: str, other: str) -> bool:
    """Two spellings of one expansion: the same capitalised words, each at most one letter apart
    ('Organisation'/'Organization of Petroleum ...', 'Co-operation'/'Cooperation'); not 'Union National'
    and 'United Nations', nor 'European Commission' and 'European Community'."""
    words, others = _capitalised_words(name), _capitalised_words(other)
    return len(words) == len(others) and all(
        _one_letter_apart(a, b) for a, b in zip(words, others, strict=True)
    )


def _one_letter_apart(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _capitalised_words(name: str) -> list[str]:
    words = [word for word in re.split(r"[\s/]+", name.replace(".", "").replace("-", "")) if word]
    while words and words[-1].lower() in CORPORATE_SUFFIXES:
        words.pop()
    return [word.lower() for word in words if word[0].isupper() and word.lower() != "the"]


def _claim_one_word_person(session: Session, surname_key: str) -> LinkDecision | None:
    one_word = session.execute(
        select(Entity.entity_id, Entity.name).where(
            Entity.entity_type == "person", Entity.name_key == surname_key
        )
    ).first()
    if one_word is None:
        return None
    other_full_names = session.scalar(
        select(Entity.entity_id)
        .where(Entity.entity_type == "person", Entity.name_key.like(f"% {surname_key}"))
        .limit(1)
    )
    if other_full_names is not None:
        return None
    return LinkDecision(one_word[0], "full_name", one_word[1], rename=True)
