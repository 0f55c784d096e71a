"""an entity's new country re-indexes the articles that mention it

Revision ID: 4e6a8c0b2d15
Revises: 9a1b3c5d7e20
Create Date: 2026-11-30 01:50:00

Search documents carry the countries of the places an article mentions (the country filter is one
posting list per country instead of one per place in it, db/search_index.py). A document holds the
entity's id, not its country, so when a curator (or a merge) changes an entity's country, the articles
mentioning it are logged as changed, in the same transaction, and the search index follower rewrites
their documents. An update that leaves the country as it was (every new mention bumps its entity's
counter) logs nothing.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4e6a8c0b2d15"
down_revision: str | None = "9a1b3c5d7e20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION log_country_moves() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO change_log (record_kind, record_id, operation)
            SELECT DISTINCT 'article', m.article_id, 'upsert'
            FROM new_rows AS n
            JOIN old_rows AS o ON o.entity_id = n.entity_id
            JOIN mention AS m ON m.entity_id = n.entity_id
            WHERE n.country_code IS DISTINCT FROM o.country_code;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER log_entity_country_moves AFTER UPDATE ON entity "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION log_country_moves()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER log_entity_country_moves ON entity")
    op.execute("DROP FUNCTION log_country_moves()")
