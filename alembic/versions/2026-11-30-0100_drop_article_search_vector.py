"""drop article.search_vector: article search runs on the derived tantivy index (db/search_index.py)

Revision ID: 7d2f5b9c1e43
Revises: 7c1e5a2b9d40
Create Date: 2026-11-30 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7d2f5b9c1e43"
down_revision: str | None = "7c1e5a2b9d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_article_search_vector", table_name="article", postgresql_using="gin")
    op.drop_column("article", "search_vector")


def downgrade() -> None:
    op.add_column(
        "article",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('english'::regconfig, text), 'B')",
                persisted=True,
            ),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_article_search_vector", "article", ["search_vector"], unique=False, postgresql_using="gin"
    )
