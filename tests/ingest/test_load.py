import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Article, Entity, Event, EventEvidence, Mention
from ingest.load import load_records
from ingest.reader import read_articles
from tests.conftest import SEED_JSONL


def table_counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Article, Entity, Mention, Event, EventEvidence)
    }


def test_loading_the_seed_corpus_twice_changes_no_row(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        before = table_counts(session)
    report = load_records(sessions, read_articles(SEED_JSONL))
    assert report.created == []
    assert len(report.already_present) == 3
    assert report.bad == []
    with sessions() as session:
        assert table_counts(session) == before


def test_load_reports_bad_lines_and_loads_the_good_ones(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    path = tmp_path / "mixed.jsonl"
    good = {
        "text": "Police in Kunduz arrested two men on Monday.",
        "published_at": "2022-05-02",
        "source": "Test Wire",
    }
    path.write_text("\n".join([json.dumps(good), "{oops", json.dumps({"text": ""})]) + "\n", encoding="utf-8")
    report = load_records(sessions, read_articles(path))
    assert len(report.created) == 1
    assert [(bad.where, bad.reason.split(":")[0]) for bad in report.bad] == [
        ("mixed.jsonl:2", "bad JSON"),
        ("mixed.jsonl:3", "text"),
    ]
    with sessions() as session:
        article = session.get(Article, report.created[0])
        assert article is not None
        assert article.title == "Police in Kunduz arrested two men on Monday."
        assert article.pipeline_version >= 1


def test_same_text_twice_in_one_file_is_one_article(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    record = {"text": "Shelling hit Donetsk overnight, officials said.", "published_at": "2022-06-01"}
    path = tmp_path / "twice.jsonl"
    path.write_text(
        json.dumps(record) + "\n" + json.dumps({**record, "external_id": "copy"}) + "\n", encoding="utf-8"
    )
    report = load_records(sessions, read_articles(path))
    assert len(report.created) == 1
    assert report.already_present == report.created


def test_same_url_is_the_same_article(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    path = tmp_path / "url.jsonl"
    first = {"url": "https://example.org/a", "text": "Troops withdrew from the town on Friday."}
    path.write_text(json.dumps(first) + "\n", encoding="utf-8")
    assert len(load_records(sessions, read_articles(path)).created) == 1
    path.write_text(
        json.dumps({**first, "text": "Troops withdrew from the town on Friday (updated)."}) + "\n",
        encoding="utf-8",
    )
    again = load_records(sessions, read_articles(path))
    assert again.created == []
    assert len(again.already_present) == 1


def test_same_url_twice_in_one_file_is_one_article(tmp_path: Path, sessions: sessionmaker[Session]) -> None:
    path = tmp_path / "url-twice.jsonl"
    first = {"url": "https://example.org/b", "text": "Rebels seized the airport on Friday."}
    second = {**first, "text": "Rebels seized the airport on Friday, officials said."}
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    report = load_records(sessions, read_articles(path))
    assert len(report.created) == 1
    assert report.already_present == report.created
