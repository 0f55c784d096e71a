"""The curators' decisions entity resolution obeys, so that loads and reprocessing keep them.

Two rules, kept in `entity_name_rule`: a name that `link`s to an entity (the names of an entity merged
into another keep resolving to the survivor), and an alias that must `never_link` to an entity
("police" is not "Afghan police"): it is never added to that entity again, so no later article links
through it. A name split off an entity is both: never linked to the old one, linked to the new one, and
its mentions follow it even when an article groups it with the old entity's name.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.models import EntityNameRule


def curated_link(session: Session, entity_type: str, key: str) -> int | None:
    """The entity a curator decided this name means, if any (the newest decision wins)."""
    return session.scalar(
        select(EntityNameRule.entity_id)
        .where(
            EntityNameRule.entity_type == entity_type,
            EntityNameRule.name_key == key,
            EntityNameRule.rule == "link",
        )
        .order_by(EntityNameRule.entity_name_rule_id.desc())
        .limit(1)
    )


def never_linked_keys(session: Session, entity_id: int) -> set[str]:
    """The name keys a curator removed from this entity for good."""
    return set(
        session.scalars(
            select(EntityNameRule.name_key).where(
                EntityNameRule.entity_id == entity_id, EntityNameRule.rule == "never_link"
            )
        )
    )


def split_off_names(session: Session, entity_id: int) -> dict[str, int]:
    """Names a curator split off this entity, and the entity each went to: their mentions go there."""
    moved = aliased(EntityNameRule)
    rows = session.execute(
        select(EntityNameRule.name_key, moved.entity_id)
        .join(
            moved,
            (moved.name_key == EntityNameRule.name_key)
            & (moved.rule == "link")
            & (moved.entity_id != entity_id),
        )
        .where(EntityNameRule.entity_id == entity_id, EntityNameRule.rule == "never_link")
        .order_by(moved.entity_name_rule_id)
    )
    return {str(row.name_key): int(row.entity_id) for row in rows}
