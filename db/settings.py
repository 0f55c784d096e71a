"""Where the database is: read from the environment (and a .env file) by the app, the CLI and Alembic."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("annals"))


class DatabaseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="postgresql+psycopg://… of an existing server; unset: start the embedded one.",
    )
    annals_data_dir: Path = Field(default_factory=default_data_dir)


def resolve_database_url(settings: DatabaseSettings) -> str:
    """The configured server, or the embedded one started on demand."""
    if settings.database_url:
        return settings.database_url
    from db.embedded import start_embedded_postgres

    return start_embedded_postgres(settings.annals_data_dir)
