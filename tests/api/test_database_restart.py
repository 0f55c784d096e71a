"""The database stopped and restarted under load: 503s with Retry-After while it is down (never a
500), recovery by itself when it is back, and every acknowledged write still there.

Runs on a private embedded server in a temporary folder, never on the shared one."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pgserver
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from api.app import create_app
from api.settings import Settings
from db.api_keys import create_api_key
from db.embedded import start_embedded_postgres
from db.engine import make_engine
from db.migrations import upgrade_to_head
from ingest.load import load_records
from ingest.reader import read_articles
from tests.conftest import SEED_JSONL


def test_a_database_restart_under_load_gives_503s_then_recovers_with_nothing_lost(tmp_path: Path) -> None:
    url = start_embedded_postgres(tmp_path, keep_running=False)
    upgrade_to_head(url)
    engine = make_engine(url, pool_size=1)
    sessions = sessionmaker(bind=engine)
    load_records(sessions, read_articles(SEED_JSONL))
    with sessions.begin() as session:
        key = create_api_key(session, "restart-writer", "write")
    engine.dispose()
    pgdata = tmp_path / "pgdata"
    no_limits = {f"annals_rate_limit_{kind}": 0 for kind in ("reads", "writes", "auth_failures")}
    settings = Settings(
        database_url=url,
        annals_data_dir=tmp_path / "data",  # its own search index, not the machine's default folder
        annals_connect_timeout_s=1,
        _env_file=None,
        **no_limits,
    )  # type: ignore[arg-type]
    statuses: list[int] = []
    acknowledged: list[int] = []
    crashes: list[BaseException] = []  # an error raised after the response had started
    stop = threading.Event()

    def read_and_write(client: TestClient) -> None:
        try:
            requests(client)
        except BaseException as error:
            crashes.append(error)
            raise

    def requests(client: TestClient) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            statuses.append(client.get("/v1/search", params={"q": "Taliban"}).status_code)
            text = f"Militiamen shelled the village of Orvek {number} times on Monday, officials said."
            posted = client.post(
                "/v1/articles", json={"text": text}, headers={"Authorization": f"Bearer {key}"}
            )
            statuses.append(posted.status_code)
            if posted.status_code == 201:
                acknowledged.append(posted.json()["items"][0]["article_id"])
            time.sleep(0.05)

    server = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    with TestClient(create_app(settings)) as client:
        ready_by = time.monotonic() + 30  # the first start builds the search index
        while client.get("/ready").status_code != 200 and time.monotonic() < ready_by:
            time.sleep(0.2)
        assert client.get("/ready").status_code == 200
        load = threading.Thread(target=read_and_write, args=(client,))
        load.start()
        try:
            time.sleep(1.5)
            pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user)
            outage = time.monotonic() + 30  # until the load too has met the outage (a POST runs the NLP)
            while 503 not in statuses and time.monotonic() < outage:
                time.sleep(0.1)
            down = client.get("/v1/events")
            ready_down = client.get("/ready").status_code
            server.ensure_postgres_running()
            deadline = time.monotonic() + 15
            while client.get("/v1/events").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.5)
        finally:
            stop.set()
            load.join()
        assert not crashes, crashes
        assert down.status_code == 503
        assert down.json()["type"] == "https://annals.dev/problems/database-unavailable"
        assert down.headers["retry-after"]
        assert ready_down == 503
        assert client.get("/ready").status_code == 200
        assert set(statuses) <= {200, 201, 503}, sorted(set(statuses))
        assert 503 in statuses and statuses[-1] in {200, 201}
        assert acknowledged
        for article_id in acknowledged:
            assert client.get(f"/v1/articles/{article_id}").status_code == 200, article_id
