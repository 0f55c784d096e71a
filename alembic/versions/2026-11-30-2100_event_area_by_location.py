"""a province's area index has the event's place as a key: the province's own events are skipped

Revision ID: 8a3f5c7e9b14
Revises: 5f7b9d1c3e26
Create Date: 2026-11-30 21:00:00

A province's series adds the events inside it (its country and admin1) that did not happen at it, from
the covering index on (country_code, admin1). Those that did are in its own rollup rows, so they were
read from the index and filtered out: at a million articles the busiest province has 97,846 events in
its area, every one placed at the province itself, and reading them to keep none took 12.4 ms. With
location_entity_id as the third key, db/rollups.py reads three ranges (places before it, after it,
none) and skips the province's own: 0.1 ms.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "8a3f5c7e9b14"
down_revision: str | None = "5f7b9d1c3e26"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_event_country_code_admin1"
COVERED = ["event_type", "date_start", "date_end", "fatalities"]


def upgrade() -> None:
    op.drop_index(NAME, table_name="event")
    op.create_index(
        NAME,
        "event",
        ["country_code", "admin1", "location_entity_id"],
        postgresql_include=["status", "event_id", *COVERED],
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name="event")
    op.create_index(
        NAME,
        "event",
        ["country_code", "admin1"],
        postgresql_include=["status", "location_entity_id", "event_id", *COVERED],
    )
