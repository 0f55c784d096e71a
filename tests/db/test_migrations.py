from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from alembic import command
from db.migrations import alembic_config, head_revision
from db.models import Base
from db.names import name_key, trigram_codes, trigrams
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


def test_alias_trigrams_become_codes_and_text_again(base_url: str) -> None:
    """Migration 2026-12-01-1140 turns each stored trigram into db.names.trigram_code's integer in SQL,
    and its downgrade back into the text, for names beyond Latin too."""
    url = recreate_database(base_url, "annals_migration_trigram_codes")
    config = alembic_config(url)
    command.upgrade(config, "8a3f5c7e9b14")
    scratch = create_engine(url)
    names = ["Loka Authority", "Київ", "𠀋ab Qarsk"]
    aliases = "SELECT alias, trigrams FROM entity_alias ORDER BY alias"
    try:
        with scratch.begin() as connection:
            for name in names:
                entity_id = connection.execute(
                    text(
                        "INSERT INTO entity (name, name_key, entity_type) "
                        "VALUES (:name, :key, 'organization') RETURNING entity_id"
                    ),
                    {"name": name, "key": name_key(name)},
                ).scalar_one()
                connection.execute(
                    text(
                        "INSERT INTO entity_alias (entity_id, alias, alias_key, trigrams) "
                        "VALUES (:entity_id, :name, :key, :grams)"
                    ),
                    {
                        "entity_id": entity_id,
                        "name": name,
                        "key": name_key(name),
                        "grams": trigrams(name_key(name)),
                    },
                )
        command.upgrade(config, "head")
        with scratch.connect() as connection:
            assert dict(connection.execute(text(aliases)).all()) == {
                name: trigram_codes(name_key(name)) for name in names
            }
        command.downgrade(config, "8a3f5c7e9b14")
        with scratch.connect() as connection:
            assert dict(connection.execute(text(aliases)).all()) == {
                name: trigrams(name_key(name)) for name in names
            }
    finally:
        scratch.dispose()
        drop_database(base_url, "annals_migration_trigram_codes")
