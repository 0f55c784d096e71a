"""Re-running the pipeline on stored articles whose pipeline_version is older than the code's.

Each batch is one transaction: an interrupted run leaves every article either fully old or fully
new, and the next run picks up where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from db.models import Article
from ingest.load import batched
from ingest.persist import replace_derived


@dataclass
class ReprocessReport:
    reprocessed: int = 0


def outdated_ids(session: Session, version: int, *, everything: bool) -> list[int]:
    statement = select(Article.article_id).order_by(Article.article_id)
    if not everything:
        statement = statement.where(Article.pipeline_version < version)
    return list(session.scalars(statement))


def reprocess_articles(
    sessions: sessionmaker[Session],
    *,
    everything: bool = False,
    batch_size: int = 50,
    n_process: int = 1,
    progress: bool = False,
) -> ReprocessReport:
    from ingest.extract import EXTRACTOR_VERSION, extract_articles

    with sessions() as session:
        ids = outdated_ids(session, EXTRACTOR_VERSION, everything=everything)
    report = ReprocessReport()
    bar = tqdm(total=len(ids), unit="article", disable=not progress, desc="reprocessing")
    for chunk in batched(ids, batch_size):
        with sessions.begin() as session:
            articles = locked_articles(session, chunk, EXTRACTOR_VERSION, everything)
            inputs = ((a.text, a.published_at.date() if a.published_at else None) for a in articles)
            for article, extraction in zip(
                articles, extract_articles(inputs, n_process=n_process), strict=True
            ):
                replace_derived(session, article.article_id, article.text, extraction, EXTRACTOR_VERSION)
            session.execute(
                update(Article)
                .where(Article.article_id.in_([a.article_id for a in articles]))
                .values(pipeline_version=EXTRACTOR_VERSION)
            )
            report.reprocessed += len(articles)
        bar.update(len(chunk))
    bar.close()
    return report


def locked_articles(session: Session, ids: list[int], version: int, everything: bool) -> list[Article]:
    """The batch's articles, row-locked; those a concurrent run already brought up to date are left out."""
    statement = (
        select(Article).where(Article.article_id.in_(ids)).order_by(Article.article_id).with_for_update()
    )
    if not everything:
        statement = statement.where(Article.pipeline_version < version)
    return list(session.scalars(statement))
