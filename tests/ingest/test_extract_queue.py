"""Deferred extraction: stored and searchable first, the NLP afterwards from a queue in PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Article, EventEvidence, Mention
from ingest.extract import EXTRACTOR_VERSION
from ingest.extract_queue import extract_batch, status
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
