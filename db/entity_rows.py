"""Entities as rows, for lists, lookups, exports, and the companions and facets the search index counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from db.models import Entity, EntityAlias


class ListedAlias(NamedTuple):
    alias: str
    alias_key: str


@dataclass(frozen=True)
class ListedEntity:
    """An entity as lists and lookups show it: its columns and its aliases, read in one statement (the
    ORM's entity with its aliases loaded took two, and a millisecond more per autocomplete)."""

    entity_id: int
    name: str
    entity_type: str
    place_kind: str | None
    country_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    mention_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    aliases: tuple[ListedAlias, ...]


# A subquery in the select list, not a join: PostgreSQL evaluates it after the sort and limit, for
# the rows returned only (a lateral join read the aliases of all 10,000 entities to list the 11 most
# mentioned). Each alias comes as [alias, alias_key].
ALIASES = (
    select(func.array_agg(array([EntityAlias.alias, EntityAlias.alias_key])))
    .where(EntityAlias.entity_id == Entity.entity_id)
    .scalar_subquery()
)
LISTED_ENTITIES = select(
    Entity.entity_id,
    Entity.name,
    Entity.entity_type,
    Entity.place_kind,
    Entity.country_code,
    Entity.admin1,
    Entity.latitude,
    Entity.longitude,
    Entity.mention_count,
    Entity.created_at,
    Entity.updated_at,
    ALIASES.label("aliases"),
)


def listed_entity(row: Row[*tuple[Any, ...]]) -> ListedEntity:
    return ListedEntity(
        entity_id=row.entity_id,
        name=row.name,
        entity_type=row.entity_type,
        place_kind=row.place_kind,
        country_code=row.country_code,
        admin1=row.admin1,
        latitude=row.latitude,
        longitude=row.longitude,
        mention_count=row.mention_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
        aliases=tuple(ListedAlias(alias, key) for alias, key in row.aliases or ()),
    )


ENTITIES_BY_ID = LISTED_ENTITIES.where(
    Entity.entity_id == any_(bindparam("entity_ids", type_=ARRAY(BigInteger)))
)


def entities_by_id(session: Session, ids: list[int]) -> dict[int, ListedEntity]:
    """The entities with these ids, with their aliases."""
    found = map(listed_entity, session.execute(ENTITIES_BY_ID, {"entity_ids": ids}))
    return {entity.entity_id: entity for entity in found}
