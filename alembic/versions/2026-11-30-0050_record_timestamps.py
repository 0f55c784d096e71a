"""record timestamps: created_at and updated_at on article, entity and event, updated_at kept by a trigger

Revision ID: d7b3f2a61c08
Revises: 7d3e5b9a1c20
Create Date: 2026-11-30 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7b3f2a61c08"
down_revision: str | None = "7d3e5b9a1c20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None



def upgrade() -> None:
    for table in ("article", "entity"):
        op.add_column(
            table,
            sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        )
        op.add_column(
            table,
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        )
    op.execute("UPDATE article SET created_at = ingested_at, updated_at = ingested_at")
    op.create_index("ix_article_updated_at_article_id", "article", ["updated_at", "article_id"], unique=False)
    op.create_index("ix_entity_updated_at_entity_id", "entity", ["updated_at", "entity_id"], unique=False)
    op.create_index("ix_event_updated_at_event_id", "event", ["updated_at", "event_id"], unique=False)
    op.execute(
        """
        CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.updated_at := now();
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER touch_article_updated_at BEFORE UPDATE ON article "
        "FOR EACH ROW EXECUTE FUNCTION touch_updated_at()"
    )
    op.execute(
        "CREATE TRIGGER touch_entity_updated_at BEFORE UPDATE ON entity "
        "FOR EACH ROW EXECUTE FUNCTION touch_updated_at()"
    )
    op.execute(
        "CREATE TRIGGER touch_event_updated_at BEFORE UPDATE ON event "
        "FOR EACH ROW EXECUTE FUNCTION touch_updated_at()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER touch_article_updated_at ON article")
    op.execute("DROP TRIGGER touch_entity_updated_at ON entity")
    op.execute("DROP TRIGGER touch_event_updated_at ON event")
    op.execute("DROP FUNCTION touch_updated_at()")
    op.drop_index("ix_event_updated_at_event_id", table_name="event")
    op.drop_index("ix_entity_updated_at_entity_id", table_name="entity")
    op.drop_index("ix_article_updated_at_article_id", table_name="article")
    for table in ("entity", "article"):
        op.drop_column(table, "updated_at")
        op.drop_column(table, "created_at")
