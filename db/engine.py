"""Engine and session factory; built by the caller (the app's lifespan, the CLI, the tests).

`Session` and `SessionFactory` are the names the packages above db type their arguments with.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["DatabaseUnavailable", "Engine", "Session", "SessionFactory", "make_engine", "make_sessionmaker"]

DatabaseUnavailable = OperationalError  # the server cannot be reached, or refused the connection

SessionFactory = sessionmaker[Session]


def make_engine(database_url: str, *, pool_size: int = 10) -> Engine:
    return create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
    )


def make_sessionmaker(engine: Engine) -> SessionFactory:
    return sessionmaker(bind=engine, expire_on_commit=False)
