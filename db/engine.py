"""Engine and session factory; built by the caller (the app's lifespan, the CLI, the tests).

`Session` and `SessionFactory` are the names the packages above db type their arguments with.
"""

from __future__ import annotations

import contextlib
import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import psycopg
import pydantic_core
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "DatabaseError",
    "DatabaseUnavailable",
    "Engine",
    "PoolTimeout",
    "Session",
    "SessionFactory",
    "fault_kind",
    "keyed_reads",
    "make_engine",
    "make_sessionmaker",
]

DatabaseError = SQLAlchemyError  # anything the database layer raises
DatabaseUnavailable = OperationalError  # unreachable, refused, or a statement/lock timeout (fault_kind)
# PoolTimeout: no pooled connection came free in time


def fault_kind(
    error: OperationalError,
) -> Literal["lock-timeout", "statement-timeout", "write-conflict", "unavailable"]:
    """What an operational error was: a lock or statement timeout, a write that conflicted with a
    concurrent one (deadlock, serialization failure: retrying works), or the database down."""
    if isinstance(error.orig, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure):
        return "write-conflict"
    if isinstance(error.orig, psycopg.errors.LockNotAvailable):
        return "lock-timeout"
    if isinstance(error.orig, psycopg.errors.QueryCanceled):
        return "statement-timeout"
    return "unavailable"


SessionFactory = sessionmaker[Session]


# psycopg prepares a statement after its fifth execution on a connection, and PostgreSQL may then plan
# it once for any parameters (a generic plan, costed for an average entity). The same statement serves
# an entity in 10 events and one in 32,000: at a million articles the generic plan of events by
# participant and dates (estimating 225 events for the popular one) took 220 ms on every other request
# where the plan for its own values takes 14 ms. So every execution is planned for its values (the
# parse is still saved); planning costs 0.5-1 ms per request. JIT compilation costs 10 ms or more to
# start, more than most of these statements take; the planner turned it on for an entity's timeline
# on a misestimate (33 ms, of which 10 JIT, against 17 ms without).
PLANNED_FOR_EACH_EXECUTION = {"plan_cache_mode": "force_custom_plan", "jit": "off"}


@contextmanager
def keyed_reads(connection: Connection) -> Iterator[Connection]:
    """The connection, for statements that read rows by their primary keys, whose best plan is the same
    for every key: PostgreSQL may keep one plan for them (plan_cache_mode=auto for this transaction
    only) instead of planning each execution for its values as every other statement is (see
    PLANNED_FOR_EACH_EXECUTION). Planning an article with its mentions and events took 1.2 ms of the
    backend's CPU and running it 0.3 (100,000 articles); with its plan kept the statement costs 0.3 in
    all, though BEGIN with the SET and COMMIT add two round trips.

    Inside a transaction already begun (a write's), the statements are planned as usual: a SET LOCAL
    would hold until that transaction ends."""
    driver = connection.connection.driver_connection
    if not isinstance(driver, psycopg.Connection) or not driver.autocommit:
        yield connection
        return
    # one message: without parameters psycopg sends the two statements in one simple query
    driver_command(connection, driver, "BEGIN; SET LOCAL plan_cache_mode = auto")
    try:
        yield connection
    except BaseException:
        with contextlib.suppress(psycopg.Error):  # a lost connection: the statement's error tells
            driver.rollback()
        raise
    driver_command(connection, driver, "COMMIT")


def driver_command(connection: Connection, driver: psycopg.Connection, command: str) -> None:
    """A command sent through the driver, failing as SQLAlchemy's statements do: its error wrapped
    (OperationalError for a lost or timed-out connection, which the API answers with a 503), and the
    connection invalidated when the server is gone."""
    try:
        driver.execute(command)
    except psycopg.Error as error:
        lost = driver.broken or driver.closed
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            command, None, error, psycopg.Error, connection_invalidated=lost, dialect=connection.dialect
        ) from error


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
    """An engine whose every connection carries the given timeouts (0: none) and the planner settings
    of PLANNED_FOR_EACH_EXECUTION, set at connect time."""
    options = f"-c statement_timeout={int(statement_timeout_ms)} -c lock_timeout={int(lock_timeout_ms)}"
    options += "".join(f" -c {name}={value}" for name, value in PLANNED_FOR_EACH_EXECUTION.items())
    connect_args: dict[str, object] = {"options": options}
    if connect_timeout_s is not None:
        connect_args["connect_timeout"] = int(connect_timeout_s)
    if application_name is not None:
        connect_args["application_name"] = application_name
    engine = create_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout_s,
        # The connection returned last is handed out first: a request finds the backend that ran the
        # last one, with its prepared statements, kept plans and caches warm, and those a burst opened
        # rest (SQLAlchemy's default queue handed out the one idle longest, so at one request at a time
        # after a burst each request met a colder backend: at a million articles, concurrency 1 after
        # concurrency 32, 134-140 -> 162-164 requests/s; BENCHMARKS.md).
        pool_use_lifo=True,
        connect_args=connect_args,
        # JSON values (the json_rows arrays of event and article pages) parsed in Rust: 3.2 µs for a
        # participant array where the standard library's json takes 7.1, two per event of a page
        json_deserializer=pydantic_core.from_json,
    )
    check_connections_at_checkout(engine)
    return engine


# A connection back in the pool for longer than this is pinged before it is handed out again.
PING_AFTER_IDLE_S = 1.0


def check_connections_at_checkout(engine: Engine) -> None:
    """Hand out only live connections, without a round trip per request.

    SQLAlchemy's pool_pre_ping sends a statement at every checkout: a third round trip for a request of
    two statements (11% of a worker's samples under load at 100k articles). A backend that was terminated
    or restarted has closed its end of the socket, so an idle connection with anything to read is dead:
    that check is one poll(2). A connection idle longer than PING_AFTER_IDLE_S is also pinged, as HikariCP
    does past its half-second window, for what the socket cannot tell. A dead connection raises
    DisconnectionError, on which the pool discards it and checks out another (up to three times)."""

    @event.listens_for(engine, "checkin")
    def note_idle_since(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def refuse_dead(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None:  # just connected
            return
        if dbapi_connection.closed or has_input(dbapi_connection.fileno()):
            raise DisconnectionError("the server closed the connection while it was idle")
        if time.monotonic() - idle_since > PING_AFTER_IDLE_S:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except psycopg.Error as error:
                raise DisconnectionError(str(error)) from error


def has_input(fd: int) -> bool:
    """Whether the socket has data or end-of-file to read right now (never blocks)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def make_sessionmaker(engine: Engine) -> SessionFactory:
    return sessionmaker(bind=engine, expire_on_commit=False)


def make_read_sessionmaker(engine: Engine) -> SessionFactory:
    """Sessions for reads, on the same pool, whose statements run in autocommit: no BEGIN before the
    first and no ROLLBACK when the session closes, two round trips fewer per request (a one-statement
    read: 1.1 -> 0.5 ms). Nothing is lost: at READ COMMITTED each statement of a transaction takes a
    snapshot of its own anyway. Not for writes, whose statements must commit together."""
    return sessionmaker(bind=engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
