"""The `annals` command on first runs and expected failures: one line, no traceback, nothing half-done."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from cli.main import main
from db.models import ApiKey
from tests.conftest import drop_database, recreate_database

ARTICLE = {
    "external_id": "cli-1",
    "source": "Wire",
    "published_at": "2022-03-01",
    "text": "Russian forces shelled Kharkiv on Monday, killing at least 11 civilians.",
}


def test_create_key_defaults_to_read_scope(
    seeded: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    name = f"reader-{uuid.uuid4().hex[:8]}"
    assert main(["create-key", name]) == 0
    with Session(seeded) as session:
        assert session.scalar(select(ApiKey.scope).where(ApiKey.name == name)) == "read"
    assert "scope read" in capsys.readouterr().out


def test_load_into_an_unmigrated_database_says_so_in_one_line(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "one.jsonl"
    articles.write_text(json.dumps(ARTICLE) + "\n")
    name = f"annals_unmigrated_{os.getpid()}"
    monkeypatch.setenv("DATABASE_URL", recreate_database(base_url, name))
    try:
        assert main(["load", str(articles)]) == 2
    finally:
        drop_database(base_url, name)
    err = capsys.readouterr().err
    assert err == "annals load: the database is not at the latest migration: run `annals migrate` first\n"


def test_unreachable_database_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/annals?connect_timeout=2")
    assert main(["revoke-key", "anyone"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("annals revoke-key: cannot reach the database: ")
    assert "Traceback" not in err and err.count("\n") == 1


def test_first_load_on_a_fresh_data_dir_migrates_and_stops_the_server_it_started(tmp_path: Path) -> None:
    """`annals load` before any `serve`: the embedded server is started, migrated, used and stopped."""
    articles = tmp_path / "one.jsonl"
    articles.write_text(json.dumps(ARTICLE) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"ANNALS_DATA_DIR": str(tmp_path / "data"), "ANNALS_LOAD_SEED": "false"}
    command = [sys.executable, "-m", "cli", "load", str(articles)]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "1 articles created" in run.stdout
    assert not (tmp_path / "data" / "pgdata" / "postmaster.pid").exists()  # stopped with its last user


def test_export_writes_the_files_the_api_serves(
    seeded: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    events_csv, articles_json = tmp_path / "events.csv", tmp_path / "articles.ndjson"
    assert main(["export", "events", "--country", "AF", "-o", str(events_csv)]) == 0
    text = events_csv.read_text(encoding="utf-8")
    assert text.startswith("event_id_cnty,event_date,year,time_precision,disorder_type,")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(row["event_id_cnty"] == "AFG" + row["annals_event_id"] for row in rows)
    assert main(["export", "articles", "--format", "ndjson", "-o", str(articles_json)]) == 0
    titles = [json.loads(line)["title"] for line in articles_json.read_text(encoding="utf-8").splitlines()]
    assert "More Afghan forces flee to Tajikistan as key districts fall to Taliban" in titles
    assert main(["export", "entities", "--format", "geojson"]) == 2


def test_reindex_rebuilds_the_search_index_in_the_data_dir(
    seeded: Engine,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from db.search import SearchParams
    from db.search_index import open_search_index, search_articles

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ANNALS_DATA_DIR", str(tmp_path))
    assert main(["reindex"]) == 0
    assert "search index rebuilt: 3 articles" in capsys.readouterr().out
    index = open_search_index(tmp_path)
    with Session(seeded) as session:
        assert search_articles(session, index, SearchParams(q="Panjwai")).total == 1
    holder = open_search_index(tmp_path)
    assert holder.acquire_writer()  # as a running server does
    try:
        assert main(["reindex"]) == 1
        assert "stop it first" in capsys.readouterr().err
    finally:
        holder.release_writer()
