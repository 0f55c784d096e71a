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
