"""What every connection of the project's engines carries, set at connect time, how the pool tells
a dead connection from a live one, and the reads by key that may keep a plan."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import JSON, Engine, text
from sqlalchemy.exc import DataError, OperationalError

import db.engine
from db.articles import ARTICLE_PAGE, get_article
from db.engine import keyed_reads, make_engine, make_read_sessionmaker, make_sessionmaker


def test_every_execution_is_planned_for_its_values_without_jit(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, statement_timeout_ms=1500, lock_timeout_ms=700)
    try:
        with engine.connect() as connection:
            settings = {
                name: connection.execute(text("SELECT current_setting(:name)"), {"name": name}).scalar_one()
                for name in ("plan_cache_mode", "jit", "statement_timeout", "lock_timeout")
            }
    finally:
        engine.dispose()
    assert settings == {
        "plan_cache_mode": "force_custom_plan",  # no generic plan for skewed parameters
        "jit": "off",
        "statement_timeout": "1500ms",
        "lock_timeout": "700ms",
    }


def test_json_values_read_back_as_the_standard_library_parses_them(database_url: str) -> None:
    """The engine parses JSON in Rust (pydantic_core): the values must be those json.loads gives,
    for what event and article pages carry (names with escapes and non-ASCII, floats, nulls, big ids)."""
    engine = make_engine(database_url, pool_size=1)
    document = (
        '[[9007199254740993, "Café \\"Le Nord\\"", 34.516666, -69.183333, null, true],'
        ' {"quote": "Kabul\\nAfghanistan", "confidence": 0.1, "deaths": 1e2, "tab": "\\t\\u00e9"}]'
    )
    try:
        with engine.connect() as connection:
            for statement in ("SELECT CAST(:document AS json)", "SELECT CAST(:document AS jsonb)"):
                value = connection.execute(
                    text(statement).columns(parsed=JSON), {"document": document}
                ).scalar_one()
                assert value == json.loads(document), statement
                assert type(value[0][2]) is float and type(value[0][0]) is int
    finally:
        engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_terminated_while_idle_is_replaced_at_checkout_without_a_ping(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backend is gone and the connection was used a moment ago: the closed socket tells."""
    monkeypatch.setattr(db.engine, "PING_AFTER_IDLE_S", 3600.0)
    engine = make_engine(database_url, pool_size=1)
    pings = count_pings(engine, monkeypatch)
    killer = make_engine(database_url, pool_size=1)
    try:
        first = backend_pid(engine)
        with killer.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one()
            for _ in range(100):  # terminating is asynchronous: wait for the backend to exit
                if not connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": first}
                ).scalar_one():
                    break
                time.sleep(0.05)
        assert backend_pid(engine) != first
        assert pings == []
    finally:
        engine.dispose()
        killer.dispose()


def test_the_connection_returned_last_is_handed_out_first(database_url: str) -> None:
    """After a burst, one request at a time keeps meeting the backend that ran the last one."""
    engine = make_engine(database_url, pool_size=3)
    try:
        with engine.connect() as first, engine.connect() as second, engine.connect() as third:
            pids = [
                connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
                for connection in (first, second, third)
            ]
        # closed in reverse order of opening: the first one went back to the pool last
        for _ in range(5):
            assert backend_pid(engine) == pids[0]
    finally:
        engine.dispose()


def test_a_connection_is_pinged_only_after_it_has_been_idle(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(database_url, pool_size=1)
    pings = count_pings(engine, monkeypatch)
    try:
        monkeypatch.setattr(db.engine, "PING_AFTER_IDLE_S", 3600.0)
        pid = backend_pid(engine)
        assert backend_pid(engine) == pid
        assert pings == []  # reused at once: no round trip
        monkeypatch.setattr(db.engine, "PING_AFTER_IDLE_S", 0.0)
        time.sleep(0.01)
        assert backend_pid(engine) == pid
        assert len(pings) == 1
    finally:
        engine.dispose()


def count_pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The dialect's pings of this engine, recorded as they go to the server."""
    pings: list[object] = []
    ping = engine.dialect.do_ping

    def recorded(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", recorded)
    return pings


ARTICLE_PLANS = text(
    "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
    " WHERE statement LIKE '%FROM mention JOIN entity%'"
)


def test_a_keyed_read_keeps_its_plan_and_only_for_its_own_transaction(
    seeded: Engine, database_url: str
) -> None:
    """psycopg prepares a statement at its sixth execution on a connection; PostgreSQL then plans it for
    five more values before it may keep one plan. The setting goes back when the transaction ends."""
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_read_sessionmaker(engine)() as session:
            article_id = session.execute(text("SELECT min(article_id) FROM article")).scalar_one()
            for _ in range(20):
                assert get_article(session, article_id) is not None
            with keyed_reads(session.connection()) as connection:
                inside = connection.execute(text("SHOW plan_cache_mode")).scalar_one()
            after = session.execute(text("SHOW plan_cache_mode")).scalar_one()
            generic, custom = session.execute(ARTICLE_PLANS).one()
    finally:
        engine.dispose()
    assert (inside, after) == ("auto", "force_custom_plan")
    assert custom == 5 and generic == 10


def test_outside_a_keyed_read_every_execution_is_planned(seeded: Engine, database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_read_sessionmaker(engine)() as session:
            article_id = session.execute(text("SELECT min(article_id) FROM article")).scalar_one()
            for _ in range(20):
                assert session.execute(ARTICLE_PAGE, {"article_id": article_id}).first() is not None
            generic, custom = session.execute(ARTICLE_PLANS).one()
    finally:
        engine.dispose()
    assert (generic, custom) == (0, 15)


def test_a_failed_keyed_read_leaves_the_connection_as_it_found_it(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_read_sessionmaker(engine)() as session:
            with pytest.raises(DataError), keyed_reads(session.connection()) as connection:
                connection.execute(text("SELECT 1 / 0"))
            assert session.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
            assert session.execute(
                text("SELECT now() = statement_timestamp()")
            ).scalar_one()  # no transaction open
    finally:
        engine.dispose()


def test_inside_a_write_transaction_a_keyed_read_is_planned_as_usual(database_url: str) -> None:
    """A SET LOCAL there would last until the write commits, over its other statements."""
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            session.execute(text("SELECT 1"))
            with keyed_reads(session.connection()) as connection:
                inside = connection.execute(text("SHOW plan_cache_mode")).scalar_one()
    finally:
        engine.dispose()
    assert inside == "force_custom_plan"


def test_a_keyed_read_on_a_lost_connection_fails_as_any_statement_does(database_url: str) -> None:
    """The backend is gone when the keyed read begins: SQLAlchemy's OperationalError (which the API
    answers with a 503), the connection invalidated, and the next session works."""
    engine = make_engine(database_url, pool_size=1)
    killer = make_engine(database_url, pool_size=1)
    sessions = make_read_sessionmaker(engine)
    try:
        with sessions() as session:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with killer.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
            with pytest.raises(OperationalError) as raised, keyed_reads(session.connection()):
                pytest.fail("the block ran on a lost connection")
            assert raised.value.connection_invalidated
        with sessions() as session, keyed_reads(session.connection()) as connection:
            assert connection.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        engine.dispose()
        killer.dispose()
