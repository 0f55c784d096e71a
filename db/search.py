"""What a search asks and answers: its parameters, hits, pages and facets, and the entity references of
its filters resolved to ids. The index that answers it is db.search_index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from db.entity_refs import entities_named
from db.entity_rows import ListedEntity


class SearchSort(StrEnum):
    relevance = "relevance"
    newest = "newest"
    oldest = "oldest"


@dataclass
class SearchParams:
    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sources: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # ids or names: every one mentioned
    locations: list[str] = field(default_factory=list)  # ids or names: any one mentioned, or an event there
    countries: list[str] = field(default_factory=list)  # ISO alpha-2: a place there mentioned, or an event
    event_types: list[str] = field(default_factory=list)  # reports an event of any of these types
    min_confidence: float | None = None  # reports an event (of those types) with at least this confidence
    sort: SearchSort = SearchSort.relevance
    limit: int = 20
    after: list[Any] | None = None  # keyset values of the last row of the previous page


@dataclass
class SearchHit:
    article_id: int
    title: str
    source: str | None
    published_at: dt.datetime | None
    url: str | None
    external_id: str | None
    snippet: str
    score: float | None


@dataclass
class SearchPage:
    hits: list[SearchHit]
    next_after: list[Any] | None
    total: int
    total_is_exact: bool


@dataclass
class Resolved:
    """Entity and place references of the params, as ids (a name stands for every entity with that alias)."""

    entity_ids: list[list[int]]
    location_ids: list[int]


def resolve(session: Session, params: SearchParams) -> Resolved:
    entity_ids = [[e.entity_id for e in entities_named(session, [ref])] for ref in params.entities]
    location_ids = (
        [e.entity_id for e in entities_named(session, params.locations)] if params.locations else []
    )
    return Resolved(entity_ids, location_ids)


@dataclass
class FacetCount:
    key: str
    count: int
    entity: ListedEntity | None = None


@dataclass
class Facets:
    sources: list[FacetCount]
    entities: list[FacetCount]
    event_types: list[FacetCount]
    dates: list[FacetCount]
    exact: bool


FACET_SIZE = 10
