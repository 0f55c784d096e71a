"""Engine and session factory; built by the caller (the app's lifespan, the CLI, the tests)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(
    database_url: str,
    *,
    pool_size: int = 10,
    pool_timeout_s: float = 30.0,
    connect_timeout_s: int | None = None,
    statement_timeout_ms: int = 0,
    lock_timeout_ms: int = 0,
    application_name: str | None = None,
) -> Engine:
    """An engine whose every connection carries the given timeouts (0: none), set at connect time."""
    options = f"-c statement_timeout={int(statement_timeout_ms)} -c lock_timeout={int(lock_timeout_ms)}"
    connect_args: dict[str, object] = {"options": options}
    if connect_timeout_s is not None:
        connect_args["connect_timeout"] = int(connect_timeout_s)
    if application_name is not None:
        connect_args["application_name"] = application_name
    return create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout_s,
        pool_pre_ping=True,
        connect_args=connect_args,
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
