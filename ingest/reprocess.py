"""Re-running the pipeline on stored articles whose pipeline_version is older than the code's.

Each batch is one transaction: an interrupted run leaves every article either fully old or fully
new, and the next run picks up where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

from tqdm import tqdm

from db.articles import lock_outdated_articles, outdated_article_ids
from db.engine import SessionFactory
from db.writes import mark_reprocessed, replace_derived
from ingest.load import batched


@dataclass
class ReprocessReport:
    reprocessed: int = 0


def reprocess_articles(
    sessions: SessionFactory,
    *,
    everything: bool = False,
    batch_size: int = 50,
    n_process: int = 1,
    progress: bool = False,
) -> ReprocessReport:
    from ingest.extract import EXTRACTOR_VERSION, extract_articles

    with sessions() as session:
        ids = outdated_article_ids(session, EXTRACTOR_VERSION, everything=everything)
    report = ReprocessReport()
    bar = tqdm(total=len(ids), unit="article", disable=not progress, desc="reprocessing")
    for chunk in batched(ids, batch_size):
        with sessions.begin() as session:
            articles = lock_outdated_articles(session, chunk, EXTRACTOR_VERSION, everything=everything)
            inputs = ((a.text, a.published_at.date() if a.published_at else None) for a in articles)
            for article, extraction in zip(
                articles, extract_articles(inputs, n_process=n_process), strict=True
            ):
                replace_derived(session, article.article_id, article.text, extraction, EXTRACTOR_VERSION)
            mark_reprocessed(session, [a.article_id for a in articles], EXTRACTOR_VERSION)
            report.reprocessed += len(articles)
        bar.update(len(chunk))
    bar.close()
    return report
