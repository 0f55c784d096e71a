"""Deferred extraction: articles stored by `annals load --defer-extraction` (pipeline version 0) are
searchable at once; `annals extract --workers N` runs the NLP on them afterwards.

The queue is the article table itself: an article waits while its pipeline_version is older than the
code's. Each worker claims a batch with FOR UPDATE SKIP LOCKED, extracts it and marks it done in the
same transaction, so workers never claim the same articles, a crashed worker's batch returns to the
queue when its transaction rolls back, and a run stopped half-way resumes where it stopped. Workers
do meet on the rows they share when they write (an entity, the timeline rollups of a day): a batch
that loses a deadlock there is retried.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable

from tqdm import tqdm

from db.articles import claim_unextracted, extraction_status
from db.engine import DatabaseUnavailable, SessionFactory, fault_kind, make_engine, make_sessionmaker
from db.writes import mark_reprocessed, replace_derived


def extract_batch(sessions: SessionFactory, batch_size: int) -> int:
    """Claim, extract and store one batch in one transaction; the number of articles (0: queue empty)."""
    from ingest.extract import EXTRACTOR_VERSION, extract_articles

    with sessions.begin() as session:
        articles = claim_unextracted(session, EXTRACTOR_VERSION, batch_size)
        inputs = ((a.text, a.published_at.date() if a.published_at else None) for a in articles)
        for article, extraction in zip(articles, extract_articles(inputs, n_process=1), strict=True):
            replace_derived(session, article.article_id, article.text, extraction, EXTRACTOR_VERSION)
        mark_reprocessed(session, [a.article_id for a in articles], EXTRACTOR_VERSION)
        return len(articles)


CONFLICT_RETRIES = 5


def retrying_conflicts(batch: Callable[[], int], retries: int = CONFLICT_RETRIES) -> int:
    """Run one batch, again when it lost a deadlock or a serialization conflict to another worker (its
    transaction rolled back, so its articles are back in the queue); any other error is raised."""
    for attempt in range(retries + 1):
        try:
            return batch()
        except DatabaseUnavailable as error:
            if fault_kind(error) != "write-conflict" or attempt == retries:
                raise
            time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))
    raise AssertionError("unreachable")


def work(database_url: str, batch_size: int) -> None:
    """One worker process: batches until the queue is empty."""
    engine = make_engine(database_url, pool_size=1)
    sessions = make_sessionmaker(engine)
    while retrying_conflicts(lambda: extract_batch(sessions, batch_size)):
        pass
    engine.dispose()


def status(sessions: SessionFactory) -> tuple[int, int]:
    """(articles extracted, articles waiting)."""
    from ingest.extract import EXTRACTOR_VERSION

    with sessions() as session:
        return extraction_status(session, EXTRACTOR_VERSION)


def extract_queued(
    database_url: str, sessions: SessionFactory, *, workers: int, batch_size: int = 20, progress: bool = False
) -> int:
    """Run `workers` processes over the queue until it is empty; the number of articles extracted."""
    done_before, waiting = status(sessions)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=work, args=(database_url, batch_size)) for _ in range(workers)]
    for process in processes:
        process.start()
    bar = tqdm(total=waiting, unit="article", disable=not progress, desc="extracting")
    while any(process.is_alive() for process in processes):
        time.sleep(1)
        bar.n = status(sessions)[0] - done_before
        bar.refresh()
    bar.close()
    for process in processes:
        process.join()
    failed = [process.exitcode for process in processes if process.exitcode]
    if failed:
        raise RuntimeError(f"{len(failed)} extraction workers failed; run `annals extract` again to resume")
    return status(sessions)[0] - done_before
