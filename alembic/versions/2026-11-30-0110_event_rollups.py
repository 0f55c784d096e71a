"""event rollups: events and fatalities per day (and per entity and day), kept by triggers

Revision ID: 3b8e6f1a2c90
Revises: 7d2f5b9c1e43
Create Date: 2026-11-30 01:10:00

Timelines aggregate these rows instead of the events (db/rollups.py). Statement-level triggers read
the transition tables, so a bulk insert or a COPY rolls its rows up in one INSERT ... SELECT per
table, in the writer's transaction; each adds what its statement changed (-1 for an old row, +1 for
a new one) and drops the rows that fall to zero. An entity counts an event once, whether it takes
part in it (in one role or several) or is its place: the participant trigger counts an (event,
entity) pair only when its statement makes the entity involved or uninvolved. Deleting an event
first deletes its participants (a BEFORE ROW trigger), so that the participant trigger still sees
the event it subtracts from.

Upserts lock the rollup rows they touch until commit: writers of events of the same day (or entity
and day) wait for each other, and may deadlock (PostgreSQL then fails one; db.engine.fault_kind
calls it a write conflict, safe to retry).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b8e6f1a2c90"
down_revision: str | None = "7d2f5b9c1e43"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "grain, day, last_day, status, event_type, country_code"
# Every event row is counted at three grains (GROUPING SETS): 0, by day and status; 1, also by type;
# 2, also by type and country. A timeline sums the coarsest grain that holds its filters: a few
# thousand rows for all the events, or for an entity, over ten years. Per entity, grain 1 is left
# out (a type filter sums grain 2 over the countries): it would be as large as grain 2, since an
# entity's events of one type on one day are rarely in two countries. '' for a column the grain
# leaves out, or for an event with no country.
GRAINS = (
    "GROUPING SETS ((), (k.event_type), (k.event_type, k.country_code))",
    "CASE GROUPING(k.event_type, k.country_code) WHEN 3 THEN 0 WHEN 1 THEN 1 ELSE 2 END, "
    "k.day, k.last_day, k.status, coalesce(k.event_type, ''), coalesce(k.country_code, '')",
)
ENTITY_GRAINS = ("GROUPING SETS ((), (k.event_type, k.country_code))", GRAINS[1])
# The key columns of event rows `e`, as the subquery k that GRAINS groups.
# Undated events are kept under day '-infinity' (timelines leave them out; an entity's event count
# reads them).
DAY = "coalesce(e.date_start, '-infinity')"
LAST_DAY = "coalesce(e.date_end, e.date_start, '-infinity')"
KEYED = (
    f"SELECT {{sign}} AS sign, {{entity}} {DAY} AS day, {LAST_DAY} AS last_day, "
    "e.status, e.event_type, coalesce(e.country_code, '') AS country_code, "
    "coalesce(e.fatalities, 0) AS fatalities FROM {source}"
)


def grouped(keyed: str, entity: bool = False) -> str:
    """(entity_id,) grain, key, events, fatalities of the keyed rows, at every grain."""
    first = "k.entity_id, " if entity else ""
    sets, columns = ENTITY_GRAINS if entity else GRAINS
    return (
        f"SELECT {first}{columns}, sum(k.sign), sum(k.sign * k.fatalities) FROM ({keyed}) AS k "
        f"GROUP BY {first}k.day, k.last_day, k.status, {sets} "
        "HAVING sum(k.sign) <> 0 OR sum(k.sign * k.fatalities) <> 0 ORDER BY 1, 2, 3, 4, 5, 6"
        + (", 7" if entity else "")
    )


UPSERT = (
    "ON CONFLICT ({key}) DO UPDATE "
    "SET events = c.events + excluded.events, fatalities = c.fatalities + excluded.fatalities"
)
EVENT_ROWS = KEYED.format(sign="e.sign", entity="", source="e")
ENTITY_ROWS = KEYED.format(
    sign="e.sign", entity="i.entity_id,", source="involved AS i JOIN e ON e.event_id = i.event_id AND e.sign = i.sign"
)
ALL_EVENTS = KEYED.format(sign="1", entity="", source="event AS e")
ALL_INVOLVED = KEYED.format(
    sign="1",
    entity="i.entity_id,",
    source="""(
        SELECT event_id, location_entity_id AS entity_id FROM event WHERE location_entity_id IS NOT NULL
        UNION
        SELECT event_id, entity_id FROM event_participant
    ) AS i JOIN event AS e ON e.event_id = i.event_id""",
)
# rows of a statement's changes that fell to zero: every grain of the (entity,) day and status touched
ZEROS = "WHERE c.events = 0 AND c.grain IN (0, 1, 2) AND ({columns}) IN (SELECT {values} FROM {source})"

FUNCTIONS = (
    f"""
    CREATE FUNCTION rebuild_event_rollups() RETURNS void LANGUAGE sql AS $$
        LOCK TABLE event, event_participant IN SHARE MODE;  -- no writer between the count and the rows
        DELETE FROM event_day_count;
        DELETE FROM entity_day_count;
        INSERT INTO event_day_count ({KEY}, events, fatalities) {grouped(ALL_EVENTS)};
        INSERT INTO entity_day_count (entity_id, {KEY}, events, fatalities) {grouped(ALL_INVOLVED, True)};
    $$
    """,
    f"""
    CREATE FUNCTION roll_up_events() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed text := CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
            WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
            ELSE 'SELECT -1 AS sign, * FROM old_rows UNION ALL SELECT 1 AS sign, * FROM new_rows'
        END;
        involved text := $sql$, involved AS (
            SELECT e.sign, e.event_id, e.location_entity_id AS entity_id
            FROM e WHERE e.location_entity_id IS NOT NULL
            UNION
            SELECT e.sign, e.event_id, p.entity_id FROM e JOIN event_participant AS p USING (event_id)
        )$sql$;
    BEGIN
        EXECUTE format($sql$
            WITH e AS (%s)
            INSERT INTO event_day_count AS c ({KEY}, events, fatalities) {grouped(EVENT_ROWS)}
            {UPSERT.format(key=KEY)}
        $sql$, changed);
        EXECUTE format($sql$
            WITH e AS (%s)
            DELETE FROM event_day_count AS c
            {ZEROS.format(columns="c.day, c.last_day, c.status", values="k.day, k.last_day, k.status",
                          source=f"({EVENT_ROWS}) AS k")}
        $sql$, changed);
        EXECUTE format($sql$
            WITH e AS (%s) %s
            INSERT INTO entity_day_count AS c (entity_id, {KEY}, events, fatalities)
            {grouped(ENTITY_ROWS, True)}
            {UPSERT.format(key="entity_id, " + KEY)}
        $sql$, changed, involved);
        EXECUTE format($sql$
            WITH e AS (%s) %s
            DELETE FROM entity_day_count AS c
            {ZEROS.format(columns="c.entity_id, c.day, c.last_day, c.status",
                          values="k.entity_id, k.day, k.last_day, k.status", source=f"({ENTITY_ROWS}) AS k")}
        $sql$, changed, involved);
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION roll_up_participants() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        changed text := CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT 1 AS n, event_id, entity_id FROM new_rows'
            WHEN 'DELETE' THEN 'SELECT -1 AS n, event_id, entity_id FROM old_rows'
            ELSE 'SELECT -1 AS n, event_id, entity_id FROM old_rows '
                 'UNION ALL SELECT 1 AS n, event_id, entity_id FROM new_rows'
        END;
        -- per (event, entity): involved after the statement (a participant row left, or the place)
        -- minus involved before it (as many rows as now, less those the statement added)
        turned text := $sql$
            WITH changed AS (%s), pairs AS (
                SELECT event_id, entity_id, sum(n) AS added FROM changed GROUP BY event_id, entity_id
            ), e AS (
                SELECT e.*, p.entity_id,
                       (now_rows.n > 0 OR e.location_entity_id IS NOT DISTINCT FROM p.entity_id)::int
                       - (now_rows.n - p.added > 0
                          OR e.location_entity_id IS NOT DISTINCT FROM p.entity_id)::int AS sign
                FROM pairs AS p
                JOIN event AS e ON e.event_id = p.event_id
                CROSS JOIN LATERAL (
                    SELECT count(*) AS n FROM event_participant AS x
                    WHERE x.event_id = p.event_id AND x.entity_id = p.entity_id
                ) AS now_rows
            )
        $sql$;
    BEGIN
        EXECUTE format(turned || $sql$
            INSERT INTO entity_day_count AS c (entity_id, {KEY}, events, fatalities)
            {grouped(KEYED.format(sign="e.sign", entity="e.entity_id,", source="e"), True)}
            {UPSERT.format(key="entity_id, " + KEY)}
        $sql$, changed);
        EXECUTE format(turned || $sql$
            DELETE FROM entity_day_count AS c
            {ZEROS.format(columns="c.entity_id, c.day, c.last_day, c.status",
                          values=f"e.entity_id, {DAY}, {LAST_DAY}, e.status",
                          source="e")}
        $sql$, changed);
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION recount_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM rebuild_event_rollups();
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION participants_out_first() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM event_participant WHERE event_id = OLD.event_id;
        RETURN OLD;
    END $$
    """,
)
TRIGGERS = (
    "CREATE TRIGGER roll_up_event_insert AFTER INSERT ON event REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION roll_up_events()",
    "CREATE TRIGGER roll_up_event_update AFTER UPDATE ON event "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION roll_up_events()",
    "CREATE TRIGGER roll_up_event_delete AFTER DELETE ON event REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION roll_up_events()",
    "CREATE TRIGGER participants_out_first BEFORE DELETE ON event "
    "FOR EACH ROW EXECUTE FUNCTION participants_out_first()",
    "CREATE TRIGGER roll_up_participant_insert AFTER INSERT ON event_participant "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION roll_up_participants()",
    "CREATE TRIGGER roll_up_participant_update AFTER UPDATE ON event_participant "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION roll_up_participants()",
    "CREATE TRIGGER roll_up_participant_delete AFTER DELETE ON event_participant "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION roll_up_participants()",
    "CREATE TRIGGER recount_after_event_truncate AFTER TRUNCATE ON event "
    "FOR EACH STATEMENT EXECUTE FUNCTION recount_after_truncate()",
    "CREATE TRIGGER recount_after_participant_truncate AFTER TRUNCATE ON event_participant "
    "FOR EACH STATEMENT EXECUTE FUNCTION recount_after_truncate()",
)
DROPS = (
    "DROP TRIGGER roll_up_event_insert ON event",
    "DROP TRIGGER roll_up_event_update ON event",
    "DROP TRIGGER roll_up_event_delete ON event",
    "DROP TRIGGER participants_out_first ON event",
    "DROP TRIGGER roll_up_participant_insert ON event_participant",
    "DROP TRIGGER roll_up_participant_update ON event_participant",
    "DROP TRIGGER roll_up_participant_delete ON event_participant",
    "DROP TRIGGER recount_after_event_truncate ON event",
    "DROP TRIGGER recount_after_participant_truncate ON event_participant",
    "DROP FUNCTION recount_after_truncate()",
    "DROP FUNCTION participants_out_first()",
    "DROP FUNCTION roll_up_participants()",
    "DROP FUNCTION roll_up_events()",
    "DROP FUNCTION rebuild_event_rollups()",
)


def key_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("grain", sa.SmallInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("event_type", sa.String(length=32), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("fatalities", sa.BigInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "event_day_count",
        *key_columns(),
        sa.PrimaryKeyConstraint(*KEY.split(", "), name=op.f("pk_event_day_count")),
    )
    op.create_index(
        "ix_event_day_count_grain_country_code_event_type",
        "event_day_count",
        ["grain", "country_code", "event_type"],
        unique=False,
    )
    op.create_table(
        "entity_day_count",
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        *key_columns(),
        sa.PrimaryKeyConstraint("entity_id", *KEY.split(", "), name=op.f("pk_entity_day_count")),
    )
    for function in FUNCTIONS:
        op.execute(function)
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("SELECT rebuild_event_rollups()")


def downgrade() -> None:
    for drop in DROPS:
        op.execute(drop)
    op.drop_table("entity_day_count")
    op.drop_index("ix_event_day_count_grain_country_code_event_type", table_name="event_day_count")
    op.drop_table("event_day_count")
