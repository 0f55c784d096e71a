"""change log: every write to article, entity and event, recorded by triggers in the same transaction

Revision ID: c4a9e1f0d2b7
Revises: 58484e2e9a18
Create Date: 2026-11-30 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4a9e1f0d2b7"
down_revision: str | None = "58484e2e9a18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One statement-level trigger per table and operation, reading the transition table, so that a bulk
# insert or COPY logs its rows in one INSERT ... SELECT. Arguments: kind, id column, transition table,
# what the change is logged as.
TRIGGERS = (
    "CREATE TRIGGER log_article_insert AFTER INSERT ON article REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('article', 'article_id', 'new_rows', 'upsert')",
    "CREATE TRIGGER log_article_update AFTER UPDATE ON article REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('article', 'article_id', 'new_rows', 'upsert')",
    "CREATE TRIGGER log_article_delete AFTER DELETE ON article REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('article', 'article_id', 'old_rows', 'delete')",
    "CREATE TRIGGER log_entity_insert AFTER INSERT ON entity REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('entity', 'entity_id', 'new_rows', 'upsert')",
    "CREATE TRIGGER log_entity_update AFTER UPDATE ON entity REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('entity', 'entity_id', 'new_rows', 'upsert')",
    "CREATE TRIGGER log_entity_delete AFTER DELETE ON entity REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('entity', 'entity_id', 'old_rows', 'delete')",
    "CREATE TRIGGER log_event_insert AFTER INSERT ON event REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('event', 'event_id', 'new_rows', 'upsert')",
    "CREATE TRIGGER log_event_update AFTER UPDATE ON event REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('event', 'event_id', 'new_rows', 'upsert')",
    "CREATE TRIGGER log_event_delete AFTER DELETE ON event REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION log_changes('event', 'event_id', 'old_rows', 'delete')",
)
DROPS = (
    "DROP TRIGGER log_article_insert ON article",
    "DROP TRIGGER log_article_update ON article",
    "DROP TRIGGER log_article_delete ON article",
    "DROP TRIGGER log_entity_insert ON entity",
    "DROP TRIGGER log_entity_update ON entity",
    "DROP TRIGGER log_entity_delete ON entity",
    "DROP TRIGGER log_event_insert ON event",
    "DROP TRIGGER log_event_update ON event",
    "DROP TRIGGER log_event_delete ON event",
)


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("change_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "xact_id",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("redirect_to", sa.BigInteger(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "operation IN ('upsert', 'delete', 'merge')", name=op.f("ck_change_log_operation")
        ),
        sa.CheckConstraint(
            "record_kind IN ('article', 'entity', 'event')", name=op.f("ck_change_log_record_kind")
        ),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_xact_id_change_id", "change_log", ["xact_id", "change_id"], unique=False)
    op.execute(
        """
        CREATE FUNCTION log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- TG_ARGV: record kind, id column, transition table, operation
            EXECUTE format(
                'INSERT INTO change_log (record_kind, record_id, operation) SELECT %L, %I, %L FROM %I',
                TG_ARGV[0], TG_ARGV[1], TG_ARGV[3], TG_ARGV[2]
            );
            RETURN NULL;
        END $$
        """
    )
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for drop in DROPS:
        op.execute(drop)
    op.execute("DROP FUNCTION log_changes()")
    op.drop_index("ix_change_log_xact_id_change_id", table_name="change_log")
    op.drop_table("change_log")
