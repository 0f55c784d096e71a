"""The API's configuration: the database's (DatabaseSettings) and the web app's own, read in create_app()."""

from __future__ import annotations

from pydantic import Field

from db.settings import DatabaseSettings


class Settings(DatabaseSettings):
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
    annals_keepalive_requests: int = Field(
        default=100,
        ge=0,
        description="Close a kept-alive connection after about this many requests, at random (0: never), so "
        "that clients holding connections open spread over the workers again.",
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
