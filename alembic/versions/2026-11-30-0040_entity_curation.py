"""entity curation: entity revisions, redirects of merged ids, name rules the pipeline obeys, audit

Revision ID: 7d3e5b9a1c20
Revises: c4922288b7f1
Create Date: 2026-11-30 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7d3e5b9a1c20"
down_revision: str | None = "c4922288b7f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("entity", sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "entity_redirect",
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("target_entity_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_entity_id"],
            ["entity.entity_id"],
            name=op.f("fk_entity_redirect_target_entity_id_entity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_entity_redirect")),
    )
    op.create_index("ix_entity_redirect_target_entity_id", "entity_redirect", ["target_entity_id"])
    op.create_table(
        "entity_name_rule",
        sa.Column("entity_name_rule_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("rule IN ('link', 'never_link')", name=op.f("ck_entity_name_rule_rule")),
        sa.CheckConstraint(
            "entity_type IN ('person', 'organization', 'location', 'group')",
            name=op.f("ck_entity_name_rule_entity_type"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entity.entity_id"],
            name=op.f("fk_entity_name_rule_entity_id_entity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_name_rule_id", name=op.f("pk_entity_name_rule")),
        sa.UniqueConstraint(
            "entity_type", "name_key", "entity_id", name=op.f("uq_entity_name_rule_entity_type_name_key_entity_id")
        ),
    )
    op.create_index("ix_entity_name_rule_entity_id", "entity_name_rule", ["entity_id"])
    op.create_table(
        "entity_audit",
        sa.Column("entity_audit_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("entity_audit_id", name=op.f("pk_entity_audit")),
    )
    op.create_index(
        "ix_entity_audit_entity_id_entity_audit_id", "entity_audit", ["entity_id", "entity_audit_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_entity_audit_entity_id_entity_audit_id", table_name="entity_audit")
    op.drop_table("entity_audit")
    op.drop_index("ix_entity_name_rule_entity_id", table_name="entity_name_rule")
    op.drop_table("entity_name_rule")
    op.drop_index("ix_entity_redirect_target_entity_id", table_name="entity_redirect")
    op.drop_table("entity_redirect")
    op.drop_column("entity", "revision")
