"""Real PostgreSQL for every test: TEST_DATABASE_URL when set, else the embedded server.

Once per run: a fresh database, migrated with Alembic (as production is), the seed corpus loaded
through the real loader. Per test: an outer transaction rolled back at the end, with sessions that
join it through savepoints, so code under test may commit.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.deps import get_search_index, get_session, get_sessions
from api.settings import Settings
from db.migrations import upgrade_to_head
from db.search_index import SearchIndex, rebuild

# Apps built by tests keep their derived search index in a folder of this run, never in the user's
# (or another run's) data folder, whose index another process may hold.
os.environ["ANNALS_DATA_DIR"] = tempfile.mkdtemp(prefix="annals-tests-")

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED_JSONL = Path(__file__).resolve().parent.parent / "ingest" / "data" / "seed.jsonl"
SEED_GOLD = SHARED / "corpus" / "seed-gold.json"


def server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    from db.embedded import start_embedded_postgres

    data_dir = Path(os.environ.get("ANNALS_TEST_DATA_DIR", ".pytest-pgdata")).resolve()
    return start_embedded_postgres(data_dir, keep_running=False)


def recreate_database(base_url: str, name: str) -> str:
    drop_database(base_url, name)
    admin = create_engine(make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """ANNALS_DATA_DIR of every app the tests create (its search index): a temporary folder."""
    path = tmp_path_factory.mktemp("annals-data")
    previous = os.environ.get("ANNALS_DATA_DIR")
    os.environ["ANNALS_DATA_DIR"] = str(path)
    yield path
    if previous is None:
        del os.environ["ANNALS_DATA_DIR"]
    else:
        os.environ["ANNALS_DATA_DIR"] = previous


@pytest.fixture(scope="session")
def base_url() -> str:
    return server_url()


def drop_database(base_url: str, name: str) -> None:
    admin = create_engine(make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(base_url: str) -> Iterator[str]:
    name = f"annals_test_{os.getpid()}"
    url = recreate_database(base_url, name)
    upgrade_to_head(url)
    yield url
    drop_database(base_url, name)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded(engine: Engine) -> Engine:
    """The seed corpus loaded once, committed, through the real loader and pipeline."""
    from ingest.load import load_records
    from ingest.reader import read_articles

    report = load_records(sessionmaker(bind=engine), read_articles(SEED_JSONL))
    assert len(report.created) == 3
    assert not report.bad
    return engine


@pytest.fixture
def connection(seeded: Engine) -> Iterator[Connection]:
    with seeded.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def search_index(tmp_path: Path) -> Iterator[SearchIndex]:
    index = SearchIndex(tmp_path / "search-index")
    yield index
    index.release_writer()


@pytest.fixture
def client(
    database_url: str, session: Session, sessions: sessionmaker[Session], search_index: SearchIndex
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        annals_rate_limit_reads=0,  # the suite makes hundreds of requests a minute from one address;
        annals_rate_limit_writes=0,  # tests/api/test_rate_limits.py covers the limits
        annals_rate_limit_auth_failures=0,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    app.dependency_overrides[get_sessions] = lambda: sessions

    def index_as_the_test_sees_it() -> SearchIndex:
        """The test's rows are in a transaction no follower can see: index what its session sees."""
        session.flush()
        rebuild(session, search_index)
        return search_index

    app.dependency_overrides[get_search_index] = index_as_the_test_sees_it
    with TestClient(app) as client:
        yield client
