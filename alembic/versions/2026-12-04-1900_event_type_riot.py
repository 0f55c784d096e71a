"""the event type riot: a crowd's own violence

Revision ID: 5d2b7e9c4a18
Revises: 3c8e1f6a2d95
Create Date: 2026-12-04 19:00:00

Conflict coders keep a crowd's violence apart from peaceful protest and from armed conflict (ACLED's
Riots: violent demonstrations, mob violence). The event table's CHECK lists every type, so it is
rebuilt with the new one; the downgrade refuses while riots are stored rather than drop them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5d2b7e9c4a18"
down_revision: str | None = "3c8e1f6a2d95"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "armed_clash", "attack", "remote_violence", "territory_captured", "territory_regained", "withdrawal",
    "casualties_reported", "deployment", "border_crossing", "military_exercise", "diplomatic_meeting",
    "statement", "negotiation", "aid_pledge", "protest", "arrest", "violence_against_civilians",
)  # fmt: skip
AFTER = (*BEFORE, "riot")


def _check(types: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_event_event_type"), "event", type_="check")
    listed = ", ".join(f"'{name}'" for name in types)
    op.create_check_constraint(op.f("ck_event_event_type"), "event", f"event_type IN ({listed})")


def upgrade() -> None:
    _check(AFTER)


def downgrade() -> None:
    _check(BEFORE)  # fails, and changes nothing, while any riot is stored
