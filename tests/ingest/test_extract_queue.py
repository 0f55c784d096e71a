"""Deferred extraction: stored and searchable first, the NLP afterwards from a queue in PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.engine import fault_kind, make_engine
from db.models import Article, EventEvidence, Mention
from ingest.extract import EXTRACTOR_VERSION
from ingest.extract_queue import extract_batch, retrying_conflicts, status
from ingest.load import NOT_EXTRACTED, load_records
from ingest.records import ArticleRecord

REPORT = (
    "Rebel fighters attacked a police post in Mopti on Tuesday, killing four officers, "
    "the regional governor said in a statement."
)


def derived_rows(session: Session, article_id: int) -> tuple[int, int]:
    mentions = session.scalar(select(func.count()).where(Mention.article_id == article_id))
    evidence = session.scalar(select(func.count()).where(EventEvidence.article_id == article_id))
    return int(mentions or 0), int(evidence or 0)


def test_a_deferred_load_stores_articles_and_extract_runs_the_pipeline_on_them_later(
    sessions: sessionmaker[Session], session: Session
) -> None:
    record = ArticleRecord(source="Sahel Wire", published_at="2023-05-02", text=REPORT)
    report = load_records(sessions, [record], defer_extraction=True)
    [article_id] = report.created
    assert session.get(Article, article_id).pipeline_version == NOT_EXTRACTED  # type: ignore[union-attr]
    assert derived_rows(session, article_id) == (0, 0)
    done, waiting = status(sessions)
    assert waiting == 1 and done >= 3  # the seed corpus was extracted when it was loaded

    assert extract_batch(sessions, batch_size=10) == 1
    session.expire_all()
    assert session.get(Article, article_id).pipeline_version == EXTRACTOR_VERSION  # type: ignore[union-attr]
    mentions, evidence = derived_rows(session, article_id)
    assert mentions >= 1 and evidence >= 1  # Mopti, and the attack
    assert status(sessions)[1] == 0
    assert extract_batch(sessions, batch_size=10) == 0  # the queue is empty


def test_a_deferred_load_is_idempotent_within_a_batch_and_across_loads(
    sessions: sessionmaker[Session], session: Session
) -> None:
    first = ArticleRecord(url="https://sahel.example/1", published_at="2023-05-02", text=REPORT)
    repeat = ArticleRecord(published_at="2023-05-02", text=REPORT)  # the same text, no URL
    same_url = ArticleRecord(url="https://sahel.example/1", text="A different text at the same address.")
    other = ArticleRecord(text="Flooding cut the road between Gao and Mopti for a third day.")
    report = load_records(sessions, [first, repeat, same_url, other], defer_extraction=True, batch_size=10)
    assert len(report.created) == 2
    stored = report.outcomes[0][1]
    assert report.outcomes[1] == ("already_present", stored)
    assert report.outcomes[2] == ("already_present", stored)
    again = load_records(sessions, [first, other], defer_extraction=True)
    assert again.created == [] and sorted(again.already_present) == sorted(report.created)


def a_real_deadlock(database_url: str) -> OperationalError:
    """Two connections that each lock what the other wants next: PostgreSQL aborts one of them."""
    engine = make_engine(database_url, pool_size=2)
    errors: list[OperationalError] = []
    with engine.connect() as first, engine.connect() as second:
        first.execute(text("SELECT pg_advisory_xact_lock(9001)"))
        second.execute(text("SELECT pg_advisory_xact_lock(9002)"))

        def first_wants_the_second_lock() -> None:
            try:
                first.execute(text("SELECT pg_advisory_xact_lock(9002)"))
            except OperationalError as error:
                errors.append(error)

        waiting = threading.Thread(target=first_wants_the_second_lock)
        waiting.start()
        time.sleep(0.3)
        try:
            second.execute(text("SELECT pg_advisory_xact_lock(9001)"))
        except OperationalError as error:
            errors.append(error)
        second.rollback()
        waiting.join()
        first.rollback()
    engine.dispose()
    return errors[0]


def test_a_worker_retries_a_batch_that_lost_a_deadlock_and_raises_anything_else(database_url: str) -> None:
    deadlock = a_real_deadlock(database_url)
    assert fault_kind(deadlock) == "write-conflict"
    attempts: list[int] = []

    def loses_once() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise deadlock
        return 7

    assert retrying_conflicts(loses_once) == 7 and len(attempts) == 2

    def always_loses() -> int:
        raise deadlock

    with pytest.raises(OperationalError):
        retrying_conflicts(always_loses, retries=2)

    nowhere = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none", connect_timeout_s=1)
    attempts.clear()

    def database_down() -> int:
        attempts.append(1)
        with nowhere.connect():
            return 1

    with pytest.raises(OperationalError):
        retrying_conflicts(database_down, retries=5)
    assert len(attempts) == 1  # not a conflict: no retry
