from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from alembic import command
from db.migrations import alembic_config, head_revision
from db.models import Base
from tests.conftest import drop_database, recreate_database


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_round_trip(base_url: str) -> None:
    url = recreate_database(base_url, "annals_migration_round_trip")
    config = alembic_config(url)
    command.upgrade(config, "head")
    scratch = create_engine(url)
    try:
        tables = set(inspect(scratch).get_table_names())
        assert {
            "article",
            "entity",
            "entity_alias",
            "mention",
            "event",
            "event_participant",
            "event_evidence",
            "source",
        } <= tables
        command.downgrade(config, "base")
        assert set(inspect(scratch).get_table_names()) == {"alembic_version"}
        command.upgrade(config, "head")
        with scratch.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    finally:
        scratch.dispose()
        drop_database(base_url, "annals_migration_round_trip")
