"""Entity lookup (autocomplete) and entity pages.

Lookup runs without pg_trgm (the embedded server has no contrib extensions): aliases carry their
own character trigrams in a GIN-indexed array (as integers: db.names.trigram_code), so word-prefix
and typo-tolerant matches are index scans, and the ranking is done on a bounded candidate set.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    Integer,
    Select,
    Text,
    all_,
    and_,
    any_,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, selectinload

from db import rollups
from db.article_order import after_published, newest_first
from db.engine import SessionFactory
from db.entity_links import LinkedName, linked_names
from db.entity_rows import LISTED_ENTITIES, ListedEntity, entities_by_id, listed_entity
from db.models import Article, Entity, EntityAlias, Mention, Source
from db.names import name_key, trigram_code, trigram_codes
from db.pages import Page, keyset_page, published_keyset
from db.search_index import Appearances, SearchIndex, appearances, newest_mentioning

LOOKUP_CANDIDATES = 200
MIN_COVERAGE = 0.5  # share of the query's trigrams an alias must contain to count as a typo match
MIN_TRIGRAM_QUERY = 3  # shorter queries match by prefix only


@dataclass
class EntityMatch:
    entity: ListedEntity
    matched_alias: str
    match: str  # exact | prefix | word_prefix | fuzzy
    score: float


def closing_trigram(key: str) -> int:
    """The trigram that ends the key's last word ('ka ' of 'loka', as its code): an alias holding the
    key as a word prefix holds every other trigram of the key, and this one only if that word ends
    there."""
    last_word = key.split()[-1]
    return trigram_code(f"{(' ' + last_word)[-2:]} ")


def prefix_trigrams(key: str) -> list[int]:
    """Trigrams an alias must contain to have `key` as a word prefix: all but the one closing the key."""
    closing = closing_trigram(key)
    return [code for code in trigram_codes(key) if code != closing]


def trigrams_needed(count: int, share: float) -> int:
    """The fewest of `count` trigrams whose share (as SQL divides it, in doubles) reaches `share`."""
    return next(held for held in range(count + 1) if held / max(count, 1) >= share)


def entity_filters(
    entity_type: str | None, country: str | None, updated_since: dt.datetime | None = None
) -> list[object]:
    conditions: list[object] = []
    if updated_since:
        conditions.append(Entity.updated_at >= updated_since)
    if entity_type:
        conditions.append(Entity.entity_type == entity_type)
    if country:
        conditions.append(Entity.country_code == country.upper())
    return conditions


# Word matches (exact, prefix, word prefix): index scans on alias_key and on the trigram array. Their
# coverage (the share of the key's trigrams the alias holds) needs no count: a word match holds every
# trigram of the key but the closing one (closing_trigram), and that one where the alias has it.
WORD_MATCH_SQL = """
WITH candidate AS (
    SELECT a.entity_id, a.alias,
           CASE WHEN a.alias_key = :key THEN 0
                WHEN a.alias_key LIKE :key || '%' THEN 1
                WHEN ' ' || a.alias_key LIKE '% ' || :key || '%' THEN 2
                ELSE 3 END AS tier,
           (cardinality(CAST(:grams AS bigint[])) - 1
               + (CAST(:closing AS bigint) = ANY(a.trigrams))::int)::float
               / greatest(cardinality(CAST(:grams AS bigint[])), 1) AS coverage
    FROM entity_alias AS a
    WHERE a.alias_key LIKE :key || '%'
       OR (:by_trigram AND a.trigrams @> CAST(:prefix_grams AS bigint[]))
), best AS (
    SELECT DISTINCT ON (c.entity_id) c.entity_id, c.alias, c.tier, c.coverage
    FROM candidate AS c
    WHERE c.tier < 3
    ORDER BY c.entity_id, c.tier, c.coverage DESC
)
SELECT best.entity_id, best.alias, best.tier, best.coverage
FROM best JOIN entity AS e ON e.entity_id = best.entity_id
WHERE (CAST(:entity_type AS text) IS NULL OR e.entity_type = :entity_type)
  AND (CAST(:country AS text) IS NULL OR e.country_code = :country)
ORDER BY best.tier, best.coverage DESC, e.mention_count DESC, e.entity_id
LIMIT :wanted
"""
# Typos: an alias holding at least a share of the query's n trigrams (k of them) holds at least one
# of any n - k + 1 of them, so the index is probed with the n - k + 1 rarest (by the planner's element
# statistics; unknown to them is rare) instead of all n, which common trigrams make slow. Which ones
# are probed changes the time taken, never the matches.
TRIGRAM_FREQUENCIES = text(
    """
    SELECT most_common_elems::text::bigint[] AS grams, most_common_elem_freqs AS frequencies
    FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'entity_alias' AND attname = 'trigrams'
    """
)
# The statistics change when the table is analysed; reading them costs 2-3 ms of planning (pg_stats is
# a view over four catalogs), more than the probe they choose saves on a short query, so each process
# reads them at most this often.
FREQUENCIES_MAX_AGE_S = 600.0
_frequencies: dict[URL, tuple[float, dict[int, float]]] = {}


def trigram_frequencies(session: Session) -> dict[int, float]:
    """The share of aliases holding each common trigram (by its code), as last analysed."""
    database = session.connection().engine.url
    now = time.monotonic()
    read = _frequencies.get(database)
    if read is None or now - read[0] > FREQUENCIES_MAX_AGE_S:
        row = session.execute(TRIGRAM_FREQUENCIES).first()
        # the frequencies end with three more: their minimum, maximum and the share of empty arrays
        found = dict(zip(row.grams, row.frequencies, strict=False)) if row and row.grams else {}
        read = _frequencies[database] = (now, found)
    return read[1]


def rarest(grams: list[int], frequencies: dict[int, float], count: int) -> list[int]:
    return sorted(grams, key=lambda gram: (frequencies.get(gram, 0.0), gram))[:count]


@functools.cache
def typo_matches(gram_count: int) -> Select[Any]:
    """Typo matches of a query of `gram_count` trigrams (bound as gram_0, gram_1, ...), best first.

    Each candidate's share is the sum of one `gram = ANY(trigrams)` test per trigram of the query,
    written out (a statement per count of trigrams, built once): 15 ms where counting them in a
    subquery, which PostgreSQL runs as a sub-plan for each candidate, took 43 (12,000 candidates at a
    million articles). The shares are counted once (a materialised step) and ranked by entity.
    """
    tests = [
        cast(bindparam(f"gram_{n}", type_=BigInteger) == any_(EntityAlias.trigrams), Integer)
        for n in range(max(gram_count, 1))
    ]
    held = functools.reduce(operator.add, tests)
    candidate = (
        select(
            EntityAlias.entity_id,
            EntityAlias.alias,
            (cast(held, Float) / cast(literal(max(gram_count, 1)), Float)).label("coverage"),
        )
        .where(
            EntityAlias.trigrams.overlap(cast(bindparam("probe"), ARRAY(BigInteger))),
            EntityAlias.entity_id != all_(cast(bindparam("word_matches"), ARRAY(BigInteger))),
        )
        .cte("candidate")
        .prefix_with("MATERIALIZED")
    )
    entity_type, country = bindparam("entity_type", type_=Text), bindparam("country", type_=Text)
    best = (
        select(candidate.c.entity_id, candidate.c.alias, candidate.c.coverage)
        .ext(distinct_on(candidate.c.entity_id))
        .where(candidate.c.coverage >= bindparam("min_coverage"))
        .order_by(candidate.c.entity_id, candidate.c.coverage.desc())
        .subquery("best")
    )
    return (
        select(best.c.entity_id, best.c.alias, literal(3).label("tier"), best.c.coverage)
        .join(Entity, Entity.entity_id == best.c.entity_id)
        .where(
            or_(entity_type.is_(None), Entity.entity_type == entity_type),
            or_(country.is_(None), Entity.country_code == country),
        )
        .order_by(best.c.coverage.desc(), Entity.mention_count.desc(), Entity.entity_id)
        .limit(bindparam("wanted"))
    )


MATCH_NAMES = ("exact", "prefix", "word_prefix", "fuzzy")
# Built once: a text() parses its SQL for parameters when made.
WORD_MATCHES = text(WORD_MATCH_SQL)


def lookup_entities(
    session: Session,
    q: str,
    *,
    entity_type: str | None = None,
    country: str | None = None,
    wanted: int = LOOKUP_CANDIDATES,
) -> list[EntityMatch]:
    """Entities whose name or an alias matches q: exact, prefix, word prefix, then typos; best first.

    Ranked by match quality, then by how often the entity is mentioned. At most `wanted` (a page asks
    for what it shows plus one): typos rank after every word match, so they are looked for only when
    the word matches are fewer than that.
    """
    key = name_key(q)
    if not key:
        return []
    grams = trigram_codes(key)
    parameters: dict[str, Any] = {
        "key": key,
        "grams": grams,
        "prefix_grams": prefix_trigrams(key),
        "closing": closing_trigram(key),
        # One or two letters say too little for word-prefix or typo matches, and would match most aliases.
        "by_trigram": len(key) >= MIN_TRIGRAM_QUERY,
        "entity_type": entity_type,
        "country": country.upper() if country else None,
        "wanted": min(wanted, LOOKUP_CANDIDATES),
    }
    rows = list(session.execute(WORD_MATCHES, parameters).all())
    if len(rows) < parameters["wanted"] and parameters["by_trigram"]:
        gram_parameters = {f"gram_{n}": gram for n, gram in enumerate(grams)}
        frequencies = trigram_frequencies(session)
        # One pass for every alias holding MIN_COVERAGE of the query's trigrams: each holds one of the
        # rarest (count - needed + 1), so those probe the index. A first pass for closer matches
        # (70%, a smaller probe) answered alone only when it filled the page, for 8-20% of one-letter
        # typos of the benchmark corpus's names; otherwise it cost a pass of its own (BENCHMARKS.md).
        parameters |= {
            "wanted": parameters["wanted"] - len(rows),
            "word_matches": [row.entity_id for row in rows],
            "probe": rarest(grams, frequencies, len(grams) - trigrams_needed(len(grams), MIN_COVERAGE) + 1),
            "min_coverage": MIN_COVERAGE,
        }
        rows += session.execute(typo_matches(len(grams)), parameters | gram_parameters).all()
    entities = entities_by_id(session, [row.entity_id for row in rows])
    return [
        EntityMatch(entities[row.entity_id], row.alias, MATCH_NAMES[row.tier], round(float(row.coverage), 3))
        for row in rows
    ]


def entity_exists(session: Session, entity_id: int) -> bool:
    return session.get(Entity, entity_id) is not None


def list_entities(
    session: Session,
    *,
    entity_type: str | None,
    country: str | None,
    limit: int,
    after: list[Any] | None,
    updated_since: dt.datetime | None = None,
    by_updated: bool = False,
) -> Page[ListedEntity]:
    """All entities, most mentioned first (keyset on mention_count, entity_id), or least recently
    changed first (keyset on updated_at, entity_id)."""
    statement = LISTED_ENTITIES.where(*entity_filters(entity_type, country, updated_since))  # type: ignore[arg-type]
    if by_updated:
        if after:
            bound = literal(dt.datetime.fromisoformat(after[0]), DateTime(timezone=True))
            statement = statement.where(tuple_(Entity.updated_at, Entity.entity_id) > tuple_(bound, after[1]))
        statement = statement.order_by(Entity.updated_at, Entity.entity_id).limit(limit + 1)
        found = [listed_entity(row) for row in session.execute(statement)]
        return keyset_page(found, limit, lambda entity: [entity.updated_at.isoformat(), entity.entity_id])
    if after:
        statement = statement.where(
            or_(
                Entity.mention_count < after[0],
                and_(Entity.mention_count == after[0], Entity.entity_id > after[1]),
            )
        )
    statement = statement.order_by(Entity.mention_count.desc(), Entity.entity_id).limit(limit + 1)
    rows = [listed_entity(row) for row in session.execute(statement)]
    return keyset_page(rows, limit, lambda entity: [entity.mention_count, entity.entity_id])


def iter_entities(
    sessions: SessionFactory,
    *,
    entity_type: str | None,
    country: str | None,
    updated_since: dt.datetime | None = None,
    batch: int = 1000,
) -> Iterator[list[ListedEntity]]:
    """Every matching entity with its aliases, in id order, `batch` at a time (constant memory), each
    page in a session of its own (no pooled connection held while the consumer works)."""
    conditions = entity_filters(entity_type, country, updated_since)
    last = 0
    while True:
        statement = (
            LISTED_ENTITIES.where(*conditions, Entity.entity_id > last)  # type: ignore[arg-type]
            .order_by(Entity.entity_id)
            .limit(batch)
        )
        with sessions() as session:
            rows = [listed_entity(row) for row in session.execute(statement)]
        if not rows:
            return
        yield rows
        last = rows[-1].entity_id


@dataclass
class EntityStats:
    mentions: int
    articles: int
    events: int
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None


@dataclass
class CoOccurrence:
    entity: ListedEntity
    articles: int


@dataclass
class EntityDetail:
    entity: Entity
    stats: EntityStats
    co_occurring: list[CoOccurrence]
    links: list[LinkedName]


def entity_stats(
    session: Session, entity_id: int, index: SearchIndex | None = None, found: Appearances | None = None
) -> EntityStats:
    """Mentions from the entity's own counter (kept by every write of its mentions); articles, first
    and last seen from the search index when one is built (`found`, or looked up; else by counting and
    joining every mention, which takes a quarter of a second for a popular entity at a million
    articles); events from the rollups (db.rollups.entity_event_count)."""
    entity = session.get(Entity, entity_id)
    if found is None and index is not None:
        found = appearances(session, index, entity_id, size=0)
    if entity is not None and found is not None:
        mentions, articles = entity.mention_count, found.articles
        first, last = found.first_seen, found.last_seen
    else:
        mentions, articles = session.execute(
            select(func.count(), func.count(func.distinct(Mention.article_id))).where(
                Mention.entity_id == entity_id
            )
        ).one()
        first, last = session.execute(
            select(func.min(Article.published_at), func.max(Article.published_at))
            .join(Mention, Mention.article_id == Article.article_id)
            .where(Mention.entity_id == entity_id)
        ).one()
    events = rollups.entity_event_count(session, entity) if entity else 0
    return EntityStats(mentions, articles, events, first, last)


CO_OCCURRING = 10


def co_occurring_entities(
    session: Session, entity_id: int, index: SearchIndex | None = None, limit: int = CO_OCCURRING
) -> list[CoOccurrence]:
    """The entities mentioned in the most articles that also mention this one (ties: the most
    mentioned first). From the search index's entity terms (milliseconds) when it is built; else
    counted over every mention of those articles (seconds for a popular entity at a million articles).
    """
    found = appearances(session, index, entity_id, limit) if index else None
    if found is not None:
        return [CoOccurrence(entity, articles) for entity, articles in found.co_occurring]
    own = select(Mention.article_id).where(Mention.entity_id == entity_id).distinct().subquery()
    counts = (
        select(Mention.entity_id, func.count(func.distinct(Mention.article_id)).label("articles"))
        .join(own, own.c.article_id == Mention.article_id)
        .where(Mention.entity_id != entity_id)
        .group_by(Mention.entity_id)
        .subquery()
    )
    rows = session.execute(
        select(Entity.entity_id, counts.c.articles)
        .join(counts, counts.c.entity_id == Entity.entity_id)
        .order_by(counts.c.articles.desc(), Entity.mention_count.desc(), Entity.entity_id)
        .limit(limit)
    ).all()
    listed = entities_by_id(session, [other for other, _ in rows])
    return [CoOccurrence(listed[other], articles) for other, articles in rows]


def get_entity(session: Session, entity_id: int, index: SearchIndex | None = None) -> EntityDetail | None:
    """The entity page; its articles, first and last seen and "appears with" from one aggregation of
    the search index when one is given and built."""
    entity = session.scalar(
        select(Entity).where(Entity.entity_id == entity_id).options(selectinload(Entity.aliases))
    )
    if entity is None:
        return None
    found = appearances(session, index, entity_id, CO_OCCURRING) if index else None
    co_occurring = (
        [CoOccurrence(other, articles) for other, articles in found.co_occurring]
        if found is not None
        else co_occurring_entities(session, entity_id)
    )
    return EntityDetail(
        entity, entity_stats(session, entity_id, index, found), co_occurring, linked_names(session, entity_id)
    )


@dataclass
class EntityArticle:
    article_id: int
    title: str
    source: str | None
    published_at: dt.datetime | None
    mentions: int


def entity_articles(
    session: Session, entity_id: int, *, limit: int, after: list[Any] | None, index: SearchIndex | None = None
) -> Page[EntityArticle]:
    """Articles that mention the entity, newest first (keyset on published_at, article_id).

    The page's ids come from the search index when one is built (its newest order over the entity's
    documents: milliseconds, where grouping every mention of a popular entity takes most of a second at
    a million articles); an article the index still lists but that no longer mentions the entity is
    left out until the index catches up.
    """
    ids = newest_mentioning(index, entity_id, limit, after) if index else None
    per_article = (
        select(Mention.article_id, func.count().label("mentions"))
        .where(Mention.entity_id == entity_id, *([Mention.article_id.in_(ids)] if ids is not None else []))
        .group_by(Mention.article_id)
        .subquery()
    )
    statement = (
        select(
            Article.article_id,
            Article.title,
            Source.name.label("source"),
            Article.published_at,
            per_article.c.mentions,
        )
        .join(per_article, per_article.c.article_id == Article.article_id)
        .outerjoin(Source, Source.source_id == Article.source_id)
    )
    if after:
        statement = statement.where(after_published(after, newest=True))
    rows = session.execute(statement.order_by(*newest_first()).limit(limit + 1)).all()
    articles = [EntityArticle(r.article_id, r.title, r.source, r.published_at, r.mentions) for r in rows]
    if ids is not None and len(ids) > limit and len(articles) <= limit:  # a stale id left out
        # the page is the index's first `limit` ids (those still mentioning the entity), and the next
        # one starts after the last of them, even if no article survived
        shown = set(ids[:limit])
        articles = [article for article in articles if article.article_id in shown]
        last = session.execute(
            select(Article.published_at, Article.article_id).where(Article.article_id == ids[limit - 1])
        ).first()
        if last is not None:
            return Page(articles, published_keyset(last.published_at, last.article_id))
    return keyset_page(articles, limit, lambda a: published_keyset(a.published_at, a.article_id))
