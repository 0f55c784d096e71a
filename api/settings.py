"""Configuration from the environment (and a .env file), read once in create_app() or the CLI."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("annals"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="postgresql+psycopg://… of an existing server; unset: start the embedded one.",
    )
    annals_data_dir: Path = Field(default_factory=default_data_dir)
    annals_load_seed: bool = Field(default=True, description="Load the demo corpus into an empty database.")
    annals_cors_origins: list[str] = Field(default_factory=list)
    annals_require_key_for_reads: bool = False
    annals_db_pool_size: int = 10


def resolve_database_url(settings: Settings) -> str:
    """The configured server, or the embedded one started on demand."""
    if settings.database_url:
        return settings.database_url
    from db.embedded import start_embedded_postgres

    return start_embedded_postgres(settings.annals_data_dir)
