"""Loading articles: clean, deduplicate, extract, and write one transaction per batch.

Idempotent: an article whose cleaned text (content hash) or URL is already stored is skipped, so a
second load of the same file changes no row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from tqdm import tqdm

from db.articles import stored_article_ids
from db.engine import Session, SessionFactory
from db.writes import ensure_source, insert_article, insert_articles, save_extraction
from ingest.article_extraction import ArticleExtraction
from ingest.clean import clean_text, infer_title
from ingest.reader import BadRecord
from ingest.records import ArticleRecord

T = TypeVar("T")
NOT_EXTRACTED = 0  # the pipeline version of an article stored with its extraction deferred


@dataclass
class PreparedArticle:
    position: int  # index of the record in the input
    record: ArticleRecord
    text: str
    title: str
    content_hash: str


@dataclass
class LoadReport:
    read: int = 0
    created: list[int] = field(default_factory=list)
    already_present: list[int] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)
    # input position -> ("created" | "already_present", article_id), for callers that answer per record
    outcomes: dict[int, tuple[str, int]] = field(default_factory=dict)

    def add(self, prepared: PreparedArticle, status: str, article_id: int) -> None:
        (self.created if status == "created" else self.already_present).append(article_id)
        self.outcomes[prepared.position] = (status, article_id)


def prepare(record: ArticleRecord, position: int = 0) -> PreparedArticle | None:
    text = clean_text(record.text, record.title)
    if not text:
        return None
    title = record.title or infer_title(text)
    return PreparedArticle(position, record, text, title, hashlib.sha256(text.encode()).hexdigest())


def existing_ids(session: Session, batch: list[PreparedArticle]) -> dict[int, int]:
    """Position in batch -> article_id for the articles already stored (same hash or same URL)."""
    by_hash, by_url = stored_article_ids(
        session, {p.content_hash for p in batch}, {p.record.url for p in batch if p.record.url}
    )
    found = {}
    for position, prepared in enumerate(batch):
        article_id = by_hash.get(prepared.content_hash) or by_url.get(prepared.record.url or "")
        if article_id:
            found[position] = article_id
    return found


def source_id(session: Session, name: str | None, cache: dict[str, int]) -> int | None:
    if not name:
        return None
    if name not in cache:
        cache[name] = ensure_source(session, name)
    return cache[name]


def article_columns(prepared: PreparedArticle, source: int | None, version: int) -> dict[str, Any]:
    record = prepared.record
    return {
        "url": record.url,
        "external_id": record.external_id,
        "title": prepared.title,
        "source_id": source,
        "published_at": record.published_datetime(),
        "language": record.language,
        "text": prepared.text,
        "content_hash": prepared.content_hash,
        "pipeline_version": version,
    }


def store_article(
    session: Session, prepared: PreparedArticle, source: int | None, version: int
) -> int | None:
    """The new article's id, or None when a concurrent load stored it first."""
    return insert_article(session, **article_columns(prepared, source, version))


def store_unextracted(
    session: Session, batch: list[PreparedArticle], sources: dict[str, int], report: LoadReport
) -> None:
    """A batch whose NLP is deferred: nothing but the articles to write, so one INSERT for them all."""
    rows = [article_columns(p, source_id(session, p.record.source, sources), NOT_EXTRACTED) for p in batch]
    created = insert_articles(session, rows)
    skipped = []
    for prepared in batch:
        article_id = created.pop(prepared.content_hash, None)  # popped: a repeat in the batch is skipped
        if article_id is None:
            skipped.append(prepared)
        else:
            report.add(prepared, "created", article_id)
    stored = existing_ids(session, skipped) if skipped else {}
    for position, prepared in enumerate(skipped):
        report.add(prepared, "already_present", stored[position])


def extract_in_order(
    prepared: Iterable[PreparedArticle], n_process: int
) -> Iterator[tuple[PreparedArticle, ArticleExtraction]]:
    from ingest.extract import extract_articles

    pending: deque[PreparedArticle] = deque()

    def texts() -> Iterator[tuple[str, dt.date | None]]:
        for item in prepared:
            pending.append(item)
            published = item.record.published_datetime()
            yield item.text, published.date() if published else None

    for extraction in extract_articles(texts(), n_process=n_process):
        yield pending.popleft(), extraction


def load_records(
    sessions: SessionFactory,
    records: Iterable[ArticleRecord | BadRecord],
    *,
    batch_size: int = 50,
    n_process: int = 1,
    progress: bool = False,
    total: int | None = None,
    defer_extraction: bool = False,
) -> LoadReport:
    """Load records; bad ones are reported with where and why, good ones still load.

    With `defer_extraction` the articles are stored (and searchable) at pipeline version 0, without
    running the NLP: `annals extract` (ingest.extract_queue) does that afterwards.
    """
    from ingest.extract import EXTRACTOR_VERSION

    report = LoadReport()
    bar = tqdm(total=total, unit="article", disable=not progress, desc="loading")

    def new_articles() -> Iterator[PreparedArticle]:
        for chunk in batched(good_records(), 256):
            with sessions() as session:
                known = existing_ids(session, chunk)
            for position, prepared in enumerate(chunk):
                if position in known:
                    report.add(prepared, "already_present", known[position])
                    bar.update()
                    continue
                yield prepared  # a repeat within the file is caught by the insert's ON CONFLICT

    def good_records() -> Iterator[PreparedArticle]:
        for record in records:
            report.read += 1
            if isinstance(record, BadRecord):
                report.bad.append(record)
                bar.update()
                continue
            prepared = prepare(record, report.read - 1)
            if prepared is None:
                where = f"record {report.read}" + (f" ({record.external_id})" if record.external_id else "")
                report.bad.append(BadRecord(where, "text: nothing left after cleaning"))
                bar.update()
                continue
            yield prepared

    sources: dict[str, int] = {}
    if defer_extraction:
        for unextracted in batched(new_articles(), batch_size):
            with sessions.begin() as session:
                store_unextracted(session, unextracted, sources, report)
            bar.update(len(unextracted))
        bar.close()
        return report
    for batch in batched(extract_in_order(new_articles(), n_process), batch_size):
        with sessions.begin() as session:
            for prepared, extraction in batch:
                source = source_id(session, prepared.record.source, sources)
                article_id = store_article(session, prepared, source, EXTRACTOR_VERSION)
                if article_id is None:  # the same text twice in one file, or a concurrent load
                    report.add(prepared, "already_present", existing_ids(session, [prepared])[0])
                    continue
                save_extraction(session, article_id, prepared.text, extraction, EXTRACTOR_VERSION)
                report.add(prepared, "created", article_id)
        bar.update(len(batch))
    bar.close()
    return report


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
