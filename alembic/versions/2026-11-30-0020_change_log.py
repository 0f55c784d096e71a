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

# (table, record kind, id column): one statement-level trigger per operation, reading the transition
# table, so that a bulk insert or COPY logs its rows in one INSERT ... SELECT.
LOGGED = (("article", "article_id"), ("entity", "entity_id"), ("event", "event_id"))
OPERATIONS = (("INSERT", "new_rows", "upsert"), ("UPDATE", "new_rows", "upsert"), ("DELETE", "old_rows", "delete"))


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
    for table, id_column in LOGGED:
        for operation, transition, logged_as in OPERATIONS:
            reference = "NEW TABLE AS new_rows" if transition == "new_rows" else "OLD TABLE AS old_rows"
            op.execute(
                f"CREATE TRIGGER log_{table}_{operation.lower()} AFTER {operation} ON {table} "
                f"REFERENCING {reference} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION log_changes('{table}', '{id_column}', '{transition}', '{logged_as}')"
            )


def downgrade() -> None:
    for table, _ in LOGGED:
        for operation, _, _ in OPERATIONS:
            op.execute(f"DROP TRIGGER log_{table}_{operation.lower()} ON {table}")
    op.execute("DROP FUNCTION log_changes()")
    op.drop_index("ix_change_log_xact_id_change_id", table_name="change_log")
    op.drop_table("change_log")
