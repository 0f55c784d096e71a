"""The embedded PostgreSQL used when no DATABASE_URL is given.

pgserver bundles the server binaries; its build has no contrib extensions, so nothing in Annals
may rely on pg_trgm or unaccent. This module is the only one that knows pgserver exists.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pgserver

log = logging.getLogger(__name__)

DATABASE_NAME = "annals"


def start_embedded_postgres(data_dir: Path, *, keep_running: bool = False) -> str:
    """Start (or reuse) the private server whose data lives in data_dir; return its SQLAlchemy URL.

    pgserver counts the processes that use one data folder: by default the server stops when the
    last of them exits (`annals serve` with an `annals load` beside it keeps it up until both are
    done); keep_running=True leaves it running. The data folder is never deleted.
    """
    pgdata = data_dir / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(  # type: ignore[attr-defined]
        pgdata, cleanup_mode=None if keep_running else "stop"
    )
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        log.info("created database %s in %s", DATABASE_NAME, pgdata)
    uri: str = server.get_uri(DATABASE_NAME)
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)
