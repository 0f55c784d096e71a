"""The API's configuration: the database's (DatabaseSettings) and the web app's own, read in create_app()."""

from __future__ import annotations

from pydantic import Field

from db.settings import DatabaseSettings


class Settings(DatabaseSettings):
    annals_load_seed: bool = Field(default=True, description="Load the demo corpus into an empty database.")
    annals_cors_origins: list[str] = Field(default_factory=list)
    annals_require_key_for_reads: bool = False
    annals_db_pool_size: int = 10
