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
    annals_statement_timeout_ms: int = Field(
        default=5000, ge=0, description="Longest statement an API request may run; 0: no limit."
    )
    annals_lock_timeout_ms: int = Field(
        default=2000, ge=0, description="Longest wait for a row or table lock; 0: no limit."
    )
    annals_pool_timeout_s: float = Field(
        default=2.0, gt=0, description="Longest wait for a free database connection before a 503."
    )
    annals_connect_timeout_s: int = Field(default=3, ge=1, description="Longest wait to open a connection.")
    annals_max_body_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, description="Largest request body; larger is a 413."
    )
    annals_rate_limit_reads: int = Field(
        default=600, ge=0, description="Reads per minute per key or client address; 0: no limit."
    )
    annals_rate_limit_writes: int = Field(
        default=120, ge=0, description="Writes per minute per key or client address; 0: no limit."
    )
    annals_rate_limit_auth_failures: int = Field(
        default=10, ge=0, description="Failed authentications per minute per client address; 0: no limit."
    )


def resolve_database_url(settings: Settings) -> str:
    """The configured server, or the embedded one started on demand."""
    if settings.database_url:
        return settings.database_url
    from db.embedded import start_embedded_postgres

    return start_embedded_postgres(settings.annals_data_dir)
