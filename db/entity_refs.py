"""The entities a reference means, for every filter that takes an entity by id or by name.

One definition for search, events and timelines: "42" is the entity with that id (or the one it was
merged into); a name is every
entity that has it as an alias, compared with name_key (case- and accent-insensitive). Two entities
may share an alias (the city and the province of Kandahar): a name then means both.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from db.models import MAX_ID, Entity, EntityAlias, EntityRedirect
from db.names import name_key


def entity_id_of(ref: str) -> int | None:
    """The id that ref spells ("42"), if it spells one."""
    if ref.isascii() and ref.isdigit() and int(ref) <= MAX_ID:
        return int(ref)
    return None


def entities_named(session: Session, refs: list[str]) -> list[Entity]:
    """The entities the refs mean, the best match first: the one so named, then the most mentioned.

    A ref of digits is an id only (a number too large for an id, or "²", means nothing).
    """
    ids = [entity_id for entity_id in map(entity_id_of, refs) if entity_id is not None]
    keys = [name_key(ref) for ref in refs if not ref.isdigit()]
    # One set of ids from three index lookups: an OR of the three conditions scans every entity.
    meant = union_all(
        select(func.unnest(literal(ids, ARRAY(BigInteger)))),
        select(EntityAlias.entity_id).where(EntityAlias.alias_key.in_(keys)),
        select(EntityRedirect.target_entity_id).where(EntityRedirect.entity_id.in_(ids)),
    )
    statement = select(Entity).where(Entity.entity_id.in_(meant))
    best_first = (Entity.name_key.in_(keys).desc(), Entity.mention_count.desc(), Entity.entity_id)
    return list(session.scalars(statement.order_by(*best_first)))
