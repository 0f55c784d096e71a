"""Curating entities by hand: merge, split, rename, retype, place data, aliases; every write audited.

Optimistic concurrency as for events: a write names the revision it read. A merge leaves a redirect
(the old id answers 308 to the survivor), a tombstone in the change log, and `link` rules so that
the merged names keep resolving to the survivor when articles are loaded or reprocessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BigInteger, delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.changes import record_merge
from db.curation import CurationError, StaleRevision
from db.models import (
    ENTITY_TYPES,
    PLACE_KINDS,
    Article,
    Entity,
    EntityAlias,
    EntityAudit,
    EntityNameRule,
    EntityRedirect,
    Event,
    EventParticipant,
    Mention,
)
from db.names import name_key
from db.pages import Page, keyset_page
from db.writes import add_aliases, place_fields, refresh_mention_counts

PLACE_FIELDS = ("place_kind", "country_code", "admin1", "latitude", "longitude")


@dataclass
class EntityChanges:
    """Only the fields in `set_fields` change; alias lists apply in the order add, remove, never link."""

    name: str | None = None
    entity_type: str | None = None
    place_kind: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    add_aliases: list[str] = field(default_factory=list)
    remove_aliases: list[str] = field(default_factory=list)
    never_link: list[str] = field(default_factory=list)
    set_fields: set[str] = field(default_factory=set)


def aliases_of(session: Session, entity_id: int) -> list[EntityAlias]:
    return list(
        session.scalars(
            select(EntityAlias).where(EntityAlias.entity_id == entity_id).order_by(EntityAlias.alias_key)
        )
    )


def snapshot(session: Session, entity: Entity) -> dict[str, Any]:
    return {
        "name": entity.name,
        "type": entity.entity_type,
        "place_kind": entity.place_kind,
        "country_code": entity.country_code,
        "admin1": entity.admin1,
        "latitude": entity.latitude,
        "longitude": entity.longitude,
        "aliases": [alias.alias for alias in aliases_of(session, entity.entity_id)],
        "revision": entity.revision,
    }


def audit(session: Session, entity_id: int, actor: str, action: str, before: Any, after: Any) -> None:
    session.add(EntityAudit(entity_id=entity_id, actor=actor, action=action, before=before, after=after))


def locked_entity(session: Session, entity_id: int, expected_revision: int) -> Entity | None:
    entity = session.scalar(select(Entity).where(Entity.entity_id == entity_id).with_for_update())
    if entity is not None and entity.revision != expected_revision:
        raise StaleRevision(entity.revision)
    return entity


def add_link_rules(session: Session, entity_type: str, keys: set[str], entity_id: int) -> None:
    """These names of this type resolve to entity_id from now on (a newer rule replaces an older one)."""
    keys.discard("")
    if not keys:
        return
    session.execute(
        delete(EntityNameRule).where(
            EntityNameRule.entity_type == entity_type,
            EntityNameRule.name_key.in_(keys),
            EntityNameRule.rule == "link",
        )
    )
    rows = [
        {"entity_type": entity_type, "name_key": key, "entity_id": entity_id, "rule": "link"} for key in keys
    ]
    session.execute(insert(EntityNameRule).values(rows).on_conflict_do_nothing())


def redirect_target(session: Session, entity_id: int) -> int | None:
    """Where a merged entity's id now points (redirects are kept flat: always the live survivor)."""
    return session.scalar(
        select(EntityRedirect.target_entity_id).where(EntityRedirect.entity_id == entity_id)
    )


def merge_entities(
    session: Session, entity_id: int, into: int, *, actor: str, expected_revision: int
) -> Entity | None:
    """Merge entity_id into `into`: mentions, participations, aliases, places and rules move; the old id
    redirects. None when there is no such entity. Raises StaleRevision or CurationError."""
    if entity_id == into:
        raise CurationError("into", "An entity cannot be merged into itself.")
    merged = locked_entity(session, entity_id, expected_revision)
    if merged is None:
        return None
    target = session.scalar(select(Entity).where(Entity.entity_id == into).with_for_update())
    if target is None:
        raise CurationError("into", f"No entity with id {into}.")
    lock_events_of(session, [entity_id, into])
    merged_before, target_before = snapshot(session, merged), snapshot(session, target)
    merged_aliases = aliases_of(session, entity_id)
    add_aliases(session, into, [merged.name, *(alias.alias for alias in merged_aliases)])
    session.execute(update(Mention).where(Mention.entity_id == entity_id).values(entity_id=into))
    moved_participants = select(
        EventParticipant.event_id, EventParticipant.role, literal(into, BigInteger)
    ).where(EventParticipant.entity_id == entity_id)
    session.execute(
        insert(EventParticipant)
        .from_select(["event_id", "role", "entity_id"], moved_participants)
        .on_conflict_do_nothing()
    )
    for name in PLACE_FIELDS:  # the survivor keeps its own place data and takes what it lacked
        if getattr(target, name) is None:
            setattr(target, name, getattr(merged, name))
    session.flush()
    session.execute(
        update(Event)
        .where(Event.location_entity_id == entity_id)
        .values(location_entity_id=into, **place_fields(target))
    )
    move_name_rules(session, entity_id, into)
    add_link_rules(
        session, merged.entity_type, {merged.name_key, *(alias.alias_key for alias in merged_aliases)}, into
    )
    session.execute(
        update(EntityRedirect)
        .where(EntityRedirect.target_entity_id == entity_id)
        .values(target_entity_id=into)
    )
    session.add(EntityRedirect(entity_id=entity_id, target_entity_id=into))
    session.flush()
    session.execute(delete(Entity).where(Entity.entity_id == entity_id))
    record_merge(session, entity_id, into=into)
    refresh_mention_counts(session, {into})
    target.revision += 1
    session.flush()
    session.refresh(target)
    audit(session, entity_id, actor, "merged_into", merged_before, {"merged_into": into})
    audit(session, into, actor, "merge", target_before, {**snapshot(session, target), "merged": entity_id})
    session.flush()
    session.expire(target)
    return target


def lock_events_of(session: Session, entity_ids: list[int]) -> None:
    """The events the entities take part in or happened at, locked in id order before their
    participants move: the rollup triggers read an event's row to count its participants, so a
    concurrent writer of one of these events (a retelling's toll, a curator's date) must wait."""
    involved = select(EventParticipant.event_id).where(EventParticipant.entity_id.in_(entity_ids))
    session.execute(
        select(Event.event_id)
        .where(or_(Event.event_id.in_(involved), Event.location_entity_id.in_(entity_ids)))
        .order_by(Event.event_id)
        .with_for_update()
    )


def move_name_rules(session: Session, entity_id: int, into: int) -> None:
    """The merged entity's rules now speak of the survivor (a rule the survivor has already wins)."""
    own = select(EntityNameRule.entity_type, EntityNameRule.name_key).where(EntityNameRule.entity_id == into)
    rules = list(session.scalars(select(EntityNameRule).where(EntityNameRule.entity_id == entity_id)))
    taken = {(row.entity_type, row.name_key) for row in session.execute(own)}
    for rule in rules:
        if (rule.entity_type, rule.name_key) in taken:
            session.delete(rule)
        else:
            rule.entity_id = into
    session.flush()


def check_entity_changes(session: Session, entity: Entity, changes: EntityChanges) -> None:
    fields = changes.set_fields
    if "entity_type" in fields and changes.entity_type not in ENTITY_TYPES:
        raise CurationError("type", f"type must be one of: {', '.join(ENTITY_TYPES)}.")
    if "place_kind" in fields and changes.place_kind is not None and changes.place_kind not in PLACE_KINDS:
        raise CurationError("place.kind", f"kind must be one of: {', '.join(PLACE_KINDS)}.")
    if "name" in fields and not name_key(changes.name or ""):
        raise CurationError("name", "name must contain a letter or a digit.")
    new_type = changes.entity_type if "entity_type" in fields else entity.entity_type
    new_key = name_key(changes.name or "") if "name" in fields else entity.name_key
    if new_key in {name_key(alias) for alias in changes.never_link}:
        raise CurationError("never_link", "An entity's own name cannot be marked never to link.")
    clash = session.scalar(
        select(Entity.entity_id).where(
            Entity.entity_type == new_type, Entity.name_key == new_key, Entity.entity_id != entity.entity_id
        )
    )
    if clash is not None:
        raise CurationError("name", f"Entity {clash} already has this name and type: merge into it instead.")


def update_entity(
    session: Session, entity_id: int, changes: EntityChanges, *, actor: str, expected_revision: int
) -> Entity | None:
    """Rename, retype, set place data, add or remove aliases, mark aliases never to link again.

    The old name keeps resolving to this entity; events located here take its new place data.
    None when there is no such entity. Raises StaleRevision or CurationError.
    """
    entity = locked_entity(session, entity_id, expected_revision)
    if entity is None:
        return None
    check_entity_changes(session, entity, changes)
    before = snapshot(session, entity)
    old_type, old_key = entity.entity_type, entity.name_key
    if "name" in changes.set_fields and changes.name:
        entity.name, entity.name_key = changes.name, name_key(changes.name)
    if "entity_type" in changes.set_fields and changes.entity_type:
        entity.entity_type = changes.entity_type
    for name in PLACE_FIELDS:
        if name in changes.set_fields:
            setattr(entity, name, getattr(changes, name))
    session.flush()
    if (old_type, old_key) != (entity.entity_type, entity.name_key):
        add_link_rules(session, old_type, {old_key}, entity_id)
        add_aliases(session, entity_id, [entity.name])
    if set(PLACE_FIELDS) & changes.set_fields:
        session.execute(
            update(Event).where(Event.location_entity_id == entity_id).values(**place_fields(entity))
        )
    add_aliases(session, entity_id, changes.add_aliases)
    removed = {name_key(alias) for alias in [*changes.remove_aliases, *changes.never_link]} - {
        entity.name_key
    }
    if removed:
        session.execute(
            delete(EntityAlias).where(EntityAlias.entity_id == entity_id, EntityAlias.alias_key.in_(removed))
        )
    never = {name_key(alias) for alias in changes.never_link} - {""}
    if never:
        rows = [
            {"entity_type": entity.entity_type, "name_key": key, "entity_id": entity_id, "rule": "never_link"}
            for key in never
        ]
        session.execute(
            delete(EntityNameRule).where(
                EntityNameRule.entity_id == entity_id, EntityNameRule.name_key.in_(never)
            )
        )
        session.execute(insert(EntityNameRule).values(rows))
    entity.revision += 1
    session.flush()
    audit(session, entity_id, actor, "correct", before, snapshot(session, entity))
    session.flush()
    session.expire(entity)  # its aliases changed underneath the loaded relationship
    return entity


def split_entity(
    session: Session,
    entity_id: int,
    aliases: list[str],
    *,
    name: str | None,
    entity_type: str | None,
    actor: str,
    expected_revision: int,
) -> Entity | None:
    """Move the chosen aliases, and the mentions spelt like them, to a new entity (a wrong merge undone).

    The moved names link to the new entity from now on and never to the old one again. Participations
    stay with the old entity: a curator corrects the events that were about the other one.
    """
    entity = locked_entity(session, entity_id, expected_revision)
    if entity is None:
        return None
    keys = {name_key(alias) for alias in aliases} - {""}
    if not keys:
        raise CurationError("aliases", "Name at least one alias to move.")
    if entity.name_key in keys:
        raise CurationError("aliases", "The entity's own name stays with it; rename it first.")
    own = {alias.alias_key: alias.alias for alias in aliases_of(session, entity_id)}
    missing = sorted(keys - own.keys())
    if missing:
        raise CurationError("aliases", f"Not aliases of entity {entity_id}: {', '.join(missing)}.")
    new_name = name or own[sorted(keys)[0]]
    new_type = entity_type or entity.entity_type
    if new_type not in ENTITY_TYPES:
        raise CurationError("type", f"type must be one of: {', '.join(ENTITY_TYPES)}.")
    if session.scalar(
        select(Entity.entity_id).where(Entity.entity_type == new_type, Entity.name_key == name_key(new_name))
    ):
        raise CurationError("name", "An entity with this name and type exists: merge the aliases into it.")
    before = snapshot(session, entity)
    new = Entity(name=new_name, name_key=name_key(new_name), entity_type=new_type)  # place data: by PATCH
    session.add(new)
    session.flush()
    session.execute(
        delete(EntityAlias).where(EntityAlias.entity_id == entity_id, EntityAlias.alias_key.in_(keys))
    )
    add_aliases(session, new.entity_id, [new_name, *(own[key] for key in keys)])
    moved = [
        mention.mention_id
        for mention in session.scalars(select(Mention).where(Mention.entity_id == entity_id))
        if name_key(mention.text) in keys
    ]
    session.execute(update(Mention).where(Mention.mention_id.in_(moved)).values(entity_id=new.entity_id))
    # their articles changed (which entities they mention): the change log tells the index and the feed
    touched = select(Mention.article_id).where(Mention.mention_id.in_(moved))
    session.execute(update(Article).where(Article.article_id.in_(touched)).values(updated_at=func.now()))
    add_link_rules(session, new_type, set(keys), new.entity_id)
    session.execute(
        insert(EntityNameRule)
        .values(
            [
                {
                    "entity_type": entity.entity_type,
                    "name_key": key,
                    "entity_id": entity_id,
                    "rule": "never_link",
                }
                for key in keys
            ]
        )
        .on_conflict_do_nothing()
    )
    refresh_mention_counts(session, {entity_id, new.entity_id})
    entity.revision += 1
    session.flush()
    session.refresh(entity)
    session.refresh(new)
    audit(
        session, entity_id, actor, "split", before, {**snapshot(session, entity), "split_into": new.entity_id}
    )
    audit(
        session, new.entity_id, actor, "split_from", None, {**snapshot(session, new), "split_from": entity_id}
    )
    session.flush()
    session.expire(entity)
    return new


def entity_history(session: Session, entity_id: int, *, limit: int, after: int | None) -> Page[EntityAudit]:
    """Audit entries oldest first (keyset on entity_audit_id). A merged id redirects (308) to the
    survivor, whose history records the merge with the merged entity's state before it."""
    statement = select(EntityAudit).where(EntityAudit.entity_id == entity_id)
    if after is not None:
        statement = statement.where(EntityAudit.entity_audit_id > after)
    rows = list(session.scalars(statement.order_by(EntityAudit.entity_audit_id).limit(limit + 1)))
    return keyset_page(rows, limit, lambda entry: [entry.entity_audit_id])


def entity_revision(session: Session, entity_id: int) -> int | None:
    return session.scalar(select(Entity.revision).where(Entity.entity_id == entity_id))
