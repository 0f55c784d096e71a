"""event (country_code, admin1) index covers the dates, type and fatalities: a province's timeline by index

Revision ID: 7c4d2e9f0a18
Revises: 5e2a9c7d1b36
Create Date: 2026-11-30 01:30:00

No rollup holds admin1, so a province's timeline counted every event it names or that happened inside
it, joining each back to the events: 2.8 s for the busiest province at 2.3 million events. Its own
events now come from entity_day_count and the others inside it from this index alone
(db/rollups.py: province_area_rows), which needs their start and end days, type and fatalities too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c4d2e9f0a18"
down_revision: str | None = "5e2a9c7d1b36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["country_code", "admin1"]
BEFORE = ["status", "location_entity_id", "event_id"]
AFTER = [*BEFORE, "event_type", "date_start", "date_end", "fatalities"]


def upgrade() -> None:
    op.drop_index("ix_event_country_code_admin1", table_name="event")
    op.create_index("ix_event_country_code_admin1", "event", COLUMNS, postgresql_include=AFTER)


def downgrade() -> None:
    op.drop_index("ix_event_country_code_admin1", table_name="event")
    op.create_index("ix_event_country_code_admin1", "event", COLUMNS, postgresql_include=BEFORE)
