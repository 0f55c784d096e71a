"""SQLAlchemy 2 typed models: the whole Annals data model.

The migrations in alembic/versions are what production runs; a test checks that autogenerate
finds no difference between these models and the migrated schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.taxonomy import EVENT_TYPES

# The largest id (BIGINT) and count (INTEGER) the columns hold: a larger one in a request is no row.
MAX_ID = 2**63 - 1
MAX_COUNT = 2**31 - 1
ENTITY_TYPES = ("person", "organization", "location", "group")
ENTITY_LINK_REASONS = ("alias", "surname", "full_name", "legal_form", "acronym", "expansion", "same_country")
PLACE_KINDS = (
    "country",
    "province",
    "district",
    "city",
    "site",
    "military_base",
    "border_crossing",
    "region",
)
DATE_PRECISIONS = ("day", "month", "year", "range", "unknown")
QUANTITY_QUALIFIERS = ("exact", "at_least", "at_most", "approximately", "range")
REVIEW_STATUSES = ("auto", "verified", "rejected")
PARTICIPANT_ROLES = ("actor", "target", "other")
API_KEY_SCOPES = ("read", "write", "admin")
RECORD_KINDS = ("article", "entity", "event")
CHANGE_OPERATIONS = ("upsert", "delete", "merge")
NAME_RULES = ("link", "never_link")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Source(Base):
    __tablename__ = "source"

    source_id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    domain: Mapped[str | None] = mapped_column(String(253))


class Article(Base):
    __tablename__ = "article"
    __table_args__ = (
        # The sort key of newest/oldest (db.article_order.published_sort_key): keyset pages are range scans.
        Index(
            "ix_article_published_sort",
            sql_text("coalesce(published_at, '-infinity'::timestamp with time zone)"),
            sql_text("article_id"),
        ),
        Index("ix_article_source_id_published_at", "source_id", "published_at"),
        Index("ix_article_pipeline_version", "pipeline_version"),
        Index("ix_article_updated_at_article_id", "updated_at", "article_id"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
    )

    article_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    url: Mapped[str | None] = mapped_column(Text, unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.source_id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(16), server_default="en")
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pipeline_version: Mapped[int] = mapped_column(Integer, server_default="0")
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # updated_at is set by a trigger on every UPDATE (migration 2026-11-30-0030), whoever writes.
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    source: Mapped[Source | None] = relationship(lazy="raise")


class Entity(Base):
    __tablename__ = "entity"
    __table_args__ = (
        UniqueConstraint("entity_type", "name_key"),
        CheckConstraint(_in("entity_type", ENTITY_TYPES), name="entity_type"),
        CheckConstraint(f"place_kind IS NULL OR {_in('place_kind', PLACE_KINDS)}", name="place_kind"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude"),
        Index("ix_entity_country_code", "country_code"),
        Index("ix_entity_updated_at_entity_id", "updated_at", "entity_id"),
        Index("ix_entity_mention_count_entity_id", sql_text("mention_count DESC"), "entity_id"),
    )

    entity_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # Normalised canonical name (lower-case, accent-free): one row per (type, name_key).
    name_key: Mapped[str] = mapped_column(String(300))
    entity_type: Mapped[str] = mapped_column(String(16))
    place_kind: Mapped[str | None] = mapped_column(String(32))
    country_code: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    mention_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # Bumped on every curation write; the ETag that If-Match is checked against.
    revision: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    aliases: Mapped[list[EntityAlias]] = relationship(lazy="raise", back_populates="entity")


class EntityAlias(Base):
    __tablename__ = "entity_alias"
    __table_args__ = (
        UniqueConstraint("entity_id", "alias_key"),
        Index("ix_entity_alias_alias_key", "alias_key", postgresql_ops={"alias_key": "text_pattern_ops"}),
        Index("ix_entity_alias_trigrams", "trigrams", postgresql_using="gin"),
    )

    entity_alias_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.entity_id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300))
    # Character trigrams of alias_key as integers (db.names.trigram_codes): typo-tolerant lookup
    # without the pg_trgm extension.
    trigrams: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")

    entity: Mapped[Entity] = relationship(lazy="raise", back_populates="aliases")


class EntityLink(Base):
    """Why an article's entity was linked to an existing entity of another name: a curator's undo list."""

    __tablename__ = "entity_link"
    __table_args__ = (
        CheckConstraint(_in("reason", ENTITY_LINK_REASONS), name="reason"),
        Index("ix_entity_link_entity_id", "entity_id"),
        Index("ix_entity_link_article_id", "article_id"),
    )

    entity_link_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.entity_id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.article_id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))  # the name the article used
    reason: Mapped[str] = mapped_column(String(16))
    matched: Mapped[str] = mapped_column(String(300))  # the known name or alias it was matched on
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Mention(Base):
    __tablename__ = "mention"
    __table_args__ = (
        CheckConstraint("start_char >= 0 AND end_char > start_char", name="offsets"),
        Index("ix_mention_entity_id_article_id", "entity_id", "article_id"),
        Index("ix_mention_article_id", "article_id"),
    )

    mention_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.entity_id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.article_id", ondelete="CASCADE"))
    start_char: Mapped[int] = mapped_column(Integer)
    end_char: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))


class Event(Base):
    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint(_in("event_type", EVENT_TYPES), name="event_type"),
        CheckConstraint(_in("date_precision", DATE_PRECISIONS), name="date_precision"),
        CheckConstraint("date_end IS NULL OR date_start <= date_end", name="date_order"),
        CheckConstraint(_in("status", REVIEW_STATUSES), name="status"),
        CheckConstraint(
            f"fatalities_qualifier IS NULL OR {_in('fatalities_qualifier', QUANTITY_QUALIFIERS)}",
            name="fatalities_qualifier",
        ),
        CheckConstraint(
            f"people_qualifier IS NULL OR {_in('people_qualifier', QUANTITY_QUALIFIERS)}",
            name="people_qualifier",
        ),
        CheckConstraint("fatalities IS NULL OR fatalities >= 0", name="fatalities"),
        CheckConstraint("people_count IS NULL OR people_count >= 0", name="people_count"),
        CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude"),
        Index("ix_event_date_start_event_id", "date_start", "event_id"),
        Index("ix_event_event_type_date_start", "event_type", "date_start"),
        Index("ix_event_country_code_date_start", "country_code", "date_start"),
        Index("ix_event_location_entity_id", "location_entity_id"),
        # The list's sort keys (NULL mapped below every value), so a page is an index range scan.
        Index(
            "ix_event_date_sort", sql_text("coalesce(date_start, '-infinity'::date)"), sql_text("event_id")
        ),
        Index("ix_event_fatalities_sort", sql_text("coalesce(fatalities, -1)"), sql_text("event_id")),
        Index("ix_event_latitude_longitude", "latitude", "longitude"),
        Index("ix_event_lower_admin1", sql_text("lower(admin1)")),
        # a province's area: its events counted and bucketed from the index alone, those placed at the
        # province itself skipped by the third key (db/rollups.py)
        Index(
            "ix_event_country_code_admin1",
            "country_code",
            "admin1",
            "location_entity_id",
            postgresql_include=[
                "status",
                "event_id",
                "event_type",
                "date_start",
                "date_end",
                "fatalities",
            ],
        ),
        Index("ix_event_updated_at_event_id", "updated_at", "event_id"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    date_start: Mapped[dt.date | None] = mapped_column(Date)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16))
    location_entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.entity_id", ondelete="SET NULL")
    )
    location_text: Mapped[str | None] = mapped_column(String(300))
    country_code: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    fatalities_qualifier: Mapped[str | None] = mapped_column(String(16))
    people_count: Mapped[int | None] = mapped_column(Integer)
    people_qualifier: Mapped[str | None] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), server_default="auto")
    extractor_version: Mapped[int] = mapped_column(Integer)
    # type + place + date + actors: the same happening reported twice is one event.
    dedup_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Bumped on every write; the ETag that PATCH's If-Match is checked against.
    revision: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    location: Mapped[Entity | None] = relationship(lazy="raise")
    participants: Mapped[list[EventParticipant]] = relationship(lazy="raise", back_populates="event")
    evidence: Mapped[list[EventEvidence]] = relationship(lazy="raise", back_populates="event")


class EventParticipant(Base):
    __tablename__ = "event_participant"
    __table_args__ = (
        CheckConstraint(_in("role", PARTICIPANT_ROLES), name="role"),
        Index("ix_event_participant_entity_id_role", "entity_id", "role", postgresql_include=["event_id"]),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("event.event_id", ondelete="CASCADE"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.entity_id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    event: Mapped[Event] = relationship(lazy="raise", back_populates="participants")
    entity: Mapped[Entity] = relationship(lazy="raise")


class EventEvidence(Base):
    __tablename__ = "event_evidence"
    __table_args__ = (
        UniqueConstraint("event_id", "article_id", "sentence_start"),
        CheckConstraint("sentence_start >= 0 AND sentence_end > sentence_start", name="offsets"),
        Index("ix_event_evidence_article_id", "article_id"),
        Index(
            "ix_event_evidence_quote_tsv",
            sql_text("to_tsvector('english'::regconfig, quote)"),
            postgresql_using="gin",
        ),
    )

    event_evidence_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.event_id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("article.article_id", ondelete="CASCADE"))
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)

    event: Mapped[Event] = relationship(lazy="raise", back_populates="evidence")
    article: Mapped[Article] = relationship(lazy="raise")


class EventAudit(Base):
    """Every curation write: who, when, what the event was before and after."""

    __tablename__ = "event_audit"
    __table_args__ = (Index("ix_event_audit_event_id_event_audit_id", "event_id", "event_audit_id"),)

    event_audit_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.event_id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ApiKey(Base):
    __tablename__ = "api_key"
    __table_args__ = (CheckConstraint(_in("scope", API_KEY_SCOPES), name="scope"),)

    api_key_id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # SHA-256 of the secret; the secret itself is shown once, at creation.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ChangeLog(Base):
    """Every insert, update and delete of an article, entity or event, in the writer's transaction.

    Written by triggers (migration 2026-11-30-0020), so no write path can forget it; `merge` rows
    (with `redirect_to`) are written by entity merges. Readers go through db.changes, which orders by
    (xact_id, change_id) and stops at the oldest running transaction, so no commit is skipped.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        CheckConstraint(_in("record_kind", RECORD_KINDS), name="record_kind"),
        CheckConstraint(_in("operation", CHANGE_OPERATIONS), name="operation"),
        Index("ix_change_log_xact_id_change_id", "xact_id", "change_id"),
    )

    change_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    xact_id: Mapped[int] = mapped_column(
        BigInteger, server_default=sql_text("(pg_current_xact_id()::text)::bigint")
    )
    record_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(BigInteger)
    operation: Mapped[str] = mapped_column(String(16))
    redirect_to: Mapped[int | None] = mapped_column(BigInteger)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EntityRedirect(Base):
    """A merged entity's id and the entity that absorbed it: its routes answer 308 to the target."""

    __tablename__ = "entity_redirect"
    __table_args__ = (Index("ix_entity_redirect_target_entity_id", "target_entity_id"),)

    entity_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    target_entity_id: Mapped[int] = mapped_column(ForeignKey("entity.entity_id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EntityNameRule(Base):
    """A curator's decision the pipeline obeys: a name `link`s to an entity, or `never_link`s to it."""

    __tablename__ = "entity_name_rule"
    __table_args__ = (
        UniqueConstraint("entity_type", "name_key", "entity_id"),
        CheckConstraint(_in("rule", NAME_RULES), name="rule"),
        CheckConstraint(_in("entity_type", ENTITY_TYPES), name="entity_type"),
        Index("ix_entity_name_rule_entity_id", "entity_id"),
    )

    entity_name_rule_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(16))
    name_key: Mapped[str] = mapped_column(String(300))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.entity_id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EntityAudit(Base):
    """Every entity curation write; entity_id is kept (no foreign key) when the entity is merged away."""

    __tablename__ = "entity_audit"
    __table_args__ = (Index("ix_entity_audit_entity_id_entity_audit_id", "entity_id", "entity_audit_id"),)

    entity_audit_id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity_id: Mapped[int] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RateLimitWindow(Base):
    """Requests counted per client (a key's hash or an address) in the current minute, shared by every
    API worker. UNLOGGED: counters need no crash safety and skip the WAL."""

    __tablename__ = "rate_limit_window"
    __table_args__ = {"prefixes": ["UNLOGGED"]}  # noqa: RUF012

    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    hits: Mapped[int] = mapped_column(Integer)


class EventDayCount(Base):
    """How many events, and how many fatalities, by start day (undated ones under -infinity) and status
    (grain 0), also by event
    type (grain 1), also by country (grain 2): a rollup of `event` kept by triggers in the writer's
    transaction (migration 2026-11-30-0110, db/rollups.py). '' for a column the grain leaves out or an
    event without a country. Rejected events are counted under their status, like every other, so
    that any status filter is answered exactly."""

    __tablename__ = "event_day_count"
    __table_args__ = (
        Index("ix_event_day_count_grain_country_code_event_type", "grain", "country_code", "event_type"),
    )

    grain: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # date_start
    last_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # date_end, else date_start
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    events: Mapped[int] = mapped_column(BigInteger)
    fatalities: Mapped[int] = mapped_column(BigInteger)


class EntityDayCount(Base):
    """event_day_count per entity (grains 0 and 2), for the events the entity takes part in (any role)
    or that happened at it (location_entity_id), each event counted once per entity. Events inside a
    country without naming it come from event_day_count at query time. No foreign key: the rows of a
    deleted entity are counted down to nothing by the same triggers."""

    __tablename__ = "entity_day_count"

    entity_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    grain: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    events: Mapped[int] = mapped_column(BigInteger)
    fatalities: Mapped[int] = mapped_column(BigInteger)
