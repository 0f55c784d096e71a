"""Article search on a tantivy index derived from PostgreSQL and kept in step by the change log.

PostgreSQL stays the source of truth. The index holds one document per article: title, lede and body
(BM25, title and lede weighted above the body), and the filter fields (publication time, source,
mentioned entities, event places, countries and types, event ids). One process at a time holds the
index's writer lock and follows `db.changes`; every process reads the index and reloads on commit.

The position of the last change applied is written to a file after the index commits, never before:
a crash between the two replays changes the index already has, which is harmless because applying a
change re-reads the article's current rows (delete, then add).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tantivy
from sqlalchemy import BigInteger, any_, bindparam, cast, func, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from db.changes import HORIZON, Change, Position, changes_after, latest_position
from db.entity_rows import ListedEntity, entities_by_id
from db.models import Article, ChangeLog, Entity, Event, EventEvidence, Mention, Source
from db.pages import published_keyset
from db.search import FACET_SIZE, FacetCount, Facets, SearchHit, SearchPage, SearchParams, SearchSort, resolve
from db.taxonomy import EVENT_TYPES
from db.timeline import MAX_BUCKETS, Interval, TooManyBuckets, bucket_count, next_bucket

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4  # its own directory (index-v4): a new schema is built beside the old index
LEDE_CHARS = 300
SNIPPET_CHARS = 240
TITLE_BOOST = 3.0
LEDE_BOOST = 2.0
UNDATED = -(2**63)  # the publication key of an undated article: the oldest of all, as in PostgreSQL
# event_key = type index * TYPE_STRIDE + confidence in millionths: one range per type and threshold.
TYPE_STRIDE = 10_000_000
CONFIDENCE_SCALE = 1_000_000
TEXT_FIELDS = (("title", TITLE_BOOST), ("lede", LEDE_BOOST), ("body", 1.0))
# The article's event types as a bit set (bit i: EVENT_TYPES[i]), split over single-valued fields of
# TYPE_BITS bits each: the facet counts each field's few hundred distinct values and adds them up per
# bit, four times faster than counting a multi-valued text field, and exact.
TYPE_BITS = 9
TYPE_SET_FIELDS = tuple(f"event_types_{n}" for n in range(-(-len(EVENT_TYPES) // TYPE_BITS)))
LAG_CAP = 10_000
# The writer flushes a segment whenever its memory reaches this cap. A rebuild adds every article before
# it commits: with a cap of 64 MB, a million articles became 5 segments once merged, and an exact
# aggregation merges every segment's every term (the most mentioned entity's companions: 32.5 ms on 5
# segments, 12.5 on one). A million articles take about 1.2 GB to index in one segment. It is a cap, not
# an allocation: following the change log commits a batch at a time and stays small.
WRITER_MEMORY_BYTES = 2_000_000_000
# Facet aggregations run here while their request ranks its page (search_with_facets), when nothing
# else runs: tantivy works without the GIL, so the two overlap.
AGGREGATING = ThreadPoolExecutor(thread_name_prefix="facets")
EPOCH = dt.date(1970, 1, 1)
EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("article_id", stored=True, indexed=True, fast=True)
    builder.add_text_field("title", stored=True, tokenizer_name="annals")
    builder.add_text_field("lede", tokenizer_name="annals")
    builder.add_text_field("body", stored=True, tokenizer_name="annals")
    builder.add_integer_field("published", indexed=True, fast=True)  # microseconds since 1970, or UNDATED
    builder.add_text_field("source", tokenizer_name="raw", fast=True)  # the name, for the facet
    builder.add_text_field("source_key", tokenizer_name="raw")  # lower-case, for the filter
    builder.add_unsigned_field("entity", indexed=True, fast=True)  # mentioned
    builder.add_unsigned_field("event", indexed=True)  # reported (not rejected)
    builder.add_unsigned_field("event_place", indexed=True)
    # the countries of the places it mentions and of the events it reports: the country filter's terms
    builder.add_text_field("country", tokenizer_name="raw")
    builder.add_text_field("event_type", tokenizer_name="raw")  # reported types: the type filter's terms
    for name in TYPE_SET_FIELDS:
        builder.add_unsigned_field(name, fast=True)
    builder.add_integer_field("event_key", indexed=True, fast=True)
    for interval in Interval:  # the date histogram's bucket of each interval, as a number
        builder.add_integer_field(interval.value, fast=True)
    return builder.build()


SCHEMA = build_schema()


def text_analyzer() -> tantivy.TextAnalyzer:
    """Words, lower-cased, accents folded, English stop words dropped (as PostgreSQL's `english`
    configuration does), English stems: the same for documents and queries."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword("english"))
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


ANALYZER = text_analyzer()


# --- the query language ----------------------------------------------------------------------------


Words = tuple[tuple[int, str], ...]  # analysed terms with their positions (a stop word leaves a gap)


@dataclass(frozen=True)
class Clause:
    """One AND-ed part of a web-search query: any of its alternatives (each a word or a phrase)."""

    alternatives: tuple[Words, ...]
    negated: bool = False


def analyzed(text: str) -> Words:
    tokens = ANALYZER.pre_tokenize(text).tokens
    first = tokens[0].position if tokens else 0
    return tuple((token.position - first, token.text) for token in tokens)


def parse_web_query(q: str) -> list[Clause]:
    """Web-search syntax as PostgreSQL's websearch_to_tsquery reads it: words are AND-ed, "quoted
    phrases", `OR` between two terms, `-` before a term excludes it. Terms are analysed words."""
    items: list[tuple[str, Words, bool]] = []  # (kind, words, negated); kind: term | or
    position = 0
    while position < len(q):
        char = q[position]
        if char.isspace():
            position += 1
            continue
        negated = char == "-"
        start = position + 1 if negated else position
        if start < len(q) and q[start] == '"':
            end = q.find('"', start + 1)
            end = len(q) if end == -1 else end
            words = analyzed(q[start + 1 : end])
            position = end + 1
        else:
            end = start
            while end < len(q) and not q[end].isspace() and q[end] != '"':
                end += 1
            word = q[start:end]
            position = end
            if word.upper() == "OR" and not negated:
                items.append(("or", (), False))
                continue
            words = analyzed(word)
        if words:
            items.append(("term", words, negated))
    clauses: list[Clause] = []
    join_next = False
    for kind, words, negated in items:
        if kind == "or":
            join_next = bool(clauses) and not clauses[-1].negated
            continue
        if join_next and not negated:
            last = clauses.pop()
            clauses.append(Clause((*last.alternatives, words)))
        else:
            clauses.append(Clause((words,), negated))
        join_next = False
    return clauses


def term_query(words: Words) -> tantivy.Query:
    """A word or phrase in the title, the lede or the body, each field with its weight."""
    per_field = []
    for name, boost in TEXT_FIELDS:
        query = (
            tantivy.Query.term_query(SCHEMA, name, words[0][1])
            if len(words) == 1
            else tantivy.Query.phrase_query(SCHEMA, name, list(words))
        )
        per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, boost)))
    return tantivy.Query.boolean_query(per_field)


def text_query(clauses: list[Clause]) -> tantivy.Query | None:
    """None when the query has no words (it then matches every article)."""
    if not clauses:
        return None
    parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
    for clause in clauses:
        alternatives = [term_query(words) for words in clause.alternatives]
        query = (
            alternatives[0]
            if len(alternatives) == 1
            else tantivy.Query.boolean_query([(tantivy.Occur.Should, alt) for alt in alternatives])
        )
        parts.append((tantivy.Occur.MustNot if clause.negated else tantivy.Occur.Must, query))
    if all(occur == tantivy.Occur.MustNot for occur, _ in parts):
        parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(parts)


# --- documents ---------------------------------------------------------------------------------------


@dataclass
class ReportedEvent:
    event_id: int
    event_type: str
    confidence: float
    location_entity_id: int | None
    country_code: str | None


@dataclass
class ArticleDocument:
    article_id: int
    title: str
    text: str
    published_at: dt.datetime | None
    source: str | None
    entity_ids: set[int] = field(default_factory=set)
    place_countries: set[str] = field(default_factory=set)  # of the mentioned entities with a country
    events: list[ReportedEvent] = field(default_factory=list)


def published_key(published_at: dt.datetime | None) -> int:
    if published_at is None:
        return UNDATED
    delta = published_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def bucket_key(day: dt.date, interval: Interval) -> int:
    """The histogram bucket of a day as a number (days or months since 1970, or the year)."""
    if interval is Interval.day:
        return (day - EPOCH).days
    if interval is Interval.week:
        return (day - EPOCH).days - day.weekday()
    if interval is Interval.month:
        return day.year * 12 + day.month - 1
    return day.year


def bucket_start(key: int, interval: Interval) -> dt.date:
    if interval in (Interval.day, Interval.week):
        return EPOCH + dt.timedelta(days=key)
    if interval is Interval.month:
        return dt.date(key // 12, key % 12 + 1, 1)
    return dt.date(key, 1, 1)


def event_key(event_type: str, confidence: float) -> int:
    return EVENT_TYPES.index(event_type) * TYPE_STRIDE + round(confidence * CONFIDENCE_SCALE)


def to_tantivy(document: ArticleDocument) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("article_id", document.article_id)
    doc.add_text("title", document.title)
    doc.add_text("lede", document.text[:LEDE_CHARS])
    doc.add_text("body", document.text)
    doc.add_integer("published", published_key(document.published_at))
    if document.published_at is not None:
        day = document.published_at.astimezone(dt.UTC).date()
        days = (day - EPOCH).days
        doc.add_integer("day", days)
        doc.add_integer("week", days - day.weekday())
        doc.add_integer("month", day.year * 12 + day.month - 1)
        doc.add_integer("year", day.year)
    if document.source is not None:
        doc.add_text("source", document.source)
        doc.add_text("source_key", document.source.lower())
    for entity_id in sorted(document.entity_ids):
        doc.add_unsigned("entity", entity_id)
    for event in document.events:
        doc.add_unsigned("event", event.event_id)
        doc.add_integer("event_key", event_key(event.event_type, event.confidence))
        if event.location_entity_id is not None:
            doc.add_unsigned("event_place", event.location_entity_id)
    for event_type in sorted({event.event_type for event in document.events}):
        doc.add_text("event_type", event_type)
    events_countries = {event.country_code for event in document.events if event.country_code}
    for country in sorted({code.upper() for code in document.place_countries | events_countries}):
        doc.add_text("country", country)
    for name, bits in zip(
        TYPE_SET_FIELDS, type_set(event.event_type for event in document.events), strict=True
    ):
        doc.add_unsigned(name, bits)
    return doc


def type_set(event_types: Iterable[str]) -> list[int]:
    """The event types as a bit set, TYPE_BITS bits for each of TYPE_SET_FIELDS."""
    bits = 0
    for event_type in event_types:
        bits |= 1 << EVENT_TYPES.index(event_type)
    mask = (1 << TYPE_BITS) - 1
    return [bits >> (n * TYPE_BITS) & mask for n in range(len(TYPE_SET_FIELDS))]


def type_counts(result: dict[str, Any]) -> dict[str, int]:
    """Articles per event type, from the counts of the type-set fields' values."""
    counts: dict[str, int] = {}
    for n, name in enumerate(TYPE_SET_FIELDS):
        for bits, count in buckets(result, name):
            for bit in range(TYPE_BITS):
                if int(bits) >> bit & 1:
                    event_type = EVENT_TYPES[n * TYPE_BITS + bit]
                    counts[event_type] = counts.get(event_type, 0) + count
    return counts


def article_documents(session: Session, article_ids: list[int]) -> list[ArticleDocument]:
    """The articles that still exist among these ids, with what the pipeline found in them."""
    if not article_ids:
        return []
    ids = cast(article_ids, ARRAY(BigInteger))  # one parameter, however many ids
    documents = {
        row.article_id: ArticleDocument(row.article_id, row.title, row.text, row.published_at, row.source)
        for row in session.execute(
            select(
                Article.article_id,
                Article.title,
                Article.text,
                Article.published_at,
                Source.name.label("source"),
            )
            .outerjoin(Source, Source.source_id == Article.source_id)
            .where(Article.article_id == any_(ids))
        )
    }
    for article_id, entity_id, country_code in session.execute(
        select(Mention.article_id, Mention.entity_id, Entity.country_code)
        .join(Entity, Entity.entity_id == Mention.entity_id)
        .where(Mention.article_id == any_(ids))
        .distinct()
    ):
        documents[article_id].entity_ids.add(entity_id)
        if country_code:
            documents[article_id].place_countries.add(country_code)
    for row in session.execute(
        select(
            EventEvidence.article_id,
            Event.event_id,
            Event.event_type,
            Event.confidence,
            Event.location_entity_id,
            Event.country_code,
        )
        .join(Event, Event.event_id == EventEvidence.event_id)
        .where(EventEvidence.article_id == any_(ids), Event.status != "rejected")
        .distinct()
    ):
        documents[row.article_id].events.append(
            ReportedEvent(
                row.event_id, row.event_type, row.confidence, row.location_entity_id, row.country_code
            )
        )
    return [documents[article_id] for article_id in sorted(documents)]


# --- the index on disk ----------------------------------------------------------------------------


class IndexBusy(RuntimeError):
    """Another process holds the index's writer lock (a running server follows the change log)."""


class SearchIndex:
    """The index in a directory: a reader for every process, a writer for the one holding the lock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        path = directory / f"index-v{SCHEMA_VERSION}"
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
        self.index.register_tokenizer("annals", ANALYZER)
        self.writer: tantivy.IndexWriter | None = None
        self.lock = threading.Lock()  # one writer use at a time within the process

    @property
    def state_file(self) -> Path:
        return self.directory / "position.json"

    def acquire_writer(self) -> bool:
        """Take the writer lock if no other process has it; True when this process holds it."""
        if self.writer is None:
            try:
                self.writer = self.index.writer(heap_size=WRITER_MEMORY_BYTES, num_threads=1)
            except ValueError as error:
                if "LockBusy" in str(error):
                    return False
                raise
        return True

    def release_writer(self) -> None:
        if self.writer is not None:
            self.writer.wait_merging_threads()  # consumes the writer and frees the lock
            self.writer = None

    def held_writer(self) -> tantivy.IndexWriter:
        if not self.acquire_writer():
            raise IndexBusy(f"another process is writing the search index in {self.directory}")
        assert self.writer is not None
        return self.writer

    def built(self) -> bool:
        return self.read_state() is not None

    def read_state(self) -> tuple[Position | None] | None:
        """(position,) after a complete build of this schema version; None when it must be rebuilt."""
        try:
            state = json.loads(self.state_file.read_text())
        except (FileNotFoundError, ValueError):
            return None
        if state.get("version") != SCHEMA_VERSION:
            return None
        position = state.get("position")
        return ((int(position[0]), int(position[1])) if position else None,)

    def position(self) -> Position | None:
        state = self.read_state()
        return state[0] if state else None

    def commit(self, position: Position | None) -> None:
        """Commit the index, then record the position it has reached (never the other way round)."""
        self.held_writer().commit()
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"version": SCHEMA_VERSION, "position": position}))
        os.replace(temporary, self.state_file)
        self.index.reload()

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def article_ids(self, query: tantivy.Query) -> list[int]:
        searcher = self.searcher()
        total = match_count(searcher, query)
        if total == 0:
            return []
        hits = searcher.search(query, total, count=False).hits
        return [
            int(value or 0)
            for value in searcher.fast_field_values("article_id", [address for _, address in hits])
        ]


def open_search_index(data_dir: Path) -> SearchIndex:
    """The index of a data directory (ANNALS_DATA_DIR), next to the embedded database's files."""
    return SearchIndex(data_dir / "search-index")


def replace_documents(
    index: SearchIndex, documents: Iterable[ArticleDocument], article_ids: Iterable[int]
) -> None:
    writer = index.held_writer()
    for article_id in article_ids:
        writer.delete_documents_by_term("article_id", article_id)
    for document in documents:
        writer.add_document(to_tantivy(document))


REBUILD_BATCH = 2000


def rebuild(session: Session, index: SearchIndex, progress: Callable[[int], None] | None = None) -> int:
    """Index every article from scratch; the position is read first, so later changes are replayed.

    Run it in a REPEATABLE READ transaction (as `reindex` does) for one consistent snapshot.
    """
    with index.lock:
        position = latest_position(session)
        writer = index.held_writer()
        writer.delete_all_documents()
        count = 0
        last = 0
        while True:
            ids = list(
                session.scalars(
                    select(Article.article_id)
                    .where(Article.article_id > last)
                    .order_by(Article.article_id)
                    .limit(REBUILD_BATCH)
                )
            )
            if not ids:
                break
            for document in article_documents(session, ids):
                writer.add_document(to_tantivy(document))
            count += len(ids)
            last = ids[-1]
            if progress:
                progress(count)
        index.commit(position)
        remove_older_versions(index.directory)
        return count


def remove_older_versions(directory: Path) -> None:
    """Delete the indexes of earlier schema versions (`index`, then `index-vN`) once this one is built."""
    current = f"index-v{SCHEMA_VERSION}"
    for path in directory.iterdir():
        if (
            path.is_dir()
            and path.name != current
            and (path.name == "index" or path.name.startswith("index-v"))
        ):
            log.info("removing the search index of an earlier schema: %s", path)
            shutil.rmtree(path, ignore_errors=True)


def reindex(
    sessions: Callable[[], Session], index: SearchIndex, progress: Callable[[int], None] | None = None
) -> int:
    """Rebuild the index from one REPEATABLE READ snapshot of the database; the articles indexed."""
    with sessions() as session, session.begin():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return rebuild(session, index, progress)


def affected_articles(session: Session, index: SearchIndex, changes: list[Change]) -> set[int]:
    """The articles whose documents a batch of changes may alter.

    An article change is its own; an event's are the articles with its evidence now, and those whose
    document says they reported it; an entity's only matter when it is deleted or merged (documents
    hold its id, never its name), and they are the documents that hold its id.
    """
    article_ids = {change.record_id for change in changes if change.record_kind == "article"}
    event_ids = [change.record_id for change in changes if change.record_kind == "event"]
    gone = [
        change.record_id
        for change in changes
        if change.record_kind == "entity" and change.operation in ("delete", "merge")
    ]
    if event_ids:
        article_ids.update(
            session.scalars(select(EventEvidence.article_id).where(EventEvidence.event_id.in_(event_ids)))
        )
        article_ids.update(index.article_ids(tantivy.Query.term_set_query(SCHEMA, "event", event_ids)))
    if gone:
        article_ids.update(index.article_ids(tantivy.Query.term_set_query(SCHEMA, "entity", gone)))
    return article_ids


FOLLOW_BATCH = 5000


def follow(session: Session, index: SearchIndex, batch: int = FOLLOW_BATCH) -> int:
    """Apply the changes committed since the index's position; the number of changes read."""
    with index.lock:
        state = index.read_state()
        if state is None:
            raise RuntimeError("the search index has not been built: run `annals reindex`")
        changes = changes_after(session, state[0], batch)
        if not changes:
            return 0
        article_ids = sorted(affected_articles(session, index, changes))
        for start in range(0, len(article_ids), REBUILD_BATCH):
            chunk = article_ids[start : start + REBUILD_BATCH]
            replace_documents(index, article_documents(session, chunk), chunk)
        index.commit(changes[-1].position)
        return len(changes)


@dataclass
class IndexLag:
    position: Position | None
    behind: int  # changes the database has committed that the index has not applied, up to LAG_CAP
    exact: bool


def index_lag(session: Session, index: SearchIndex) -> IndexLag:
    position = index.position()
    behind_query = select(ChangeLog.change_id).where(ChangeLog.xact_id < HORIZON)  # final ones
    if position is not None:
        behind_query = behind_query.where(tuple_(ChangeLog.xact_id, ChangeLog.change_id) > tuple_(*position))
    behind = int(
        session.scalar(select(func.count()).select_from(behind_query.limit(LAG_CAP + 1).subquery())) or 0
    )
    return IndexLag(position, min(behind, LAG_CAP), behind <= LAG_CAP)


def follow_in_background(
    sessions: Callable[[], Session], index: SearchIndex, interval: float = 0.5
) -> Callable[[], None]:
    """A thread that follows the change log while this process holds the writer lock (else it only
    reloads the reader, and takes over when the holder exits). Returns the function that stops it."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                if index.acquire_writer():
                    if not index.built():
                        log.info("search index built: %d articles", reindex(sessions, index))
                    with sessions() as session:
                        while follow(session, index) == FOLLOW_BATCH:
                            session.rollback()
                else:
                    index.index.reload()
            except Exception:
                log.exception("search index follower failed; retrying")
            stop.wait(interval)
        with index.lock:
            index.release_writer()

    thread = threading.Thread(target=run, name="search-index-follower", daemon=True)
    thread.start()

    def stop_following() -> None:
        stop.set()
        thread.join(timeout=10)

    return stop_following


# --- searching ---------------------------------------------------------------------------------------


def filter_queries(session: Session, params: SearchParams) -> list[tantivy.Query]:
    """The filters of the params as index queries (names resolved to ids in PostgreSQL)."""
    resolved = resolve(session, params)
    queries: list[tantivy.Query] = []
    bounded = params.date_to is not None and params.date_to < dt.date.max
    if params.date_from or bounded:  # one range for both ends: each range reads the whole column
        lowest = UNDATED + 1  # any date leaves the undated out
        if params.date_from:
            lowest = published_key(dt.datetime.combine(params.date_from, dt.time(), dt.UTC))
        highest = None
        if params.date_to and bounded:
            end = dt.datetime.combine(params.date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
            highest = published_key(end) - 1
        queries.append(range_query("published", lowest, highest))
    if params.sources:
        queries.append(
            tantivy.Query.term_set_query(SCHEMA, "source_key", [s.lower() for s in params.sources])
        )
    for ids in resolved.entity_ids:
        queries.append(tantivy.Query.term_set_query(SCHEMA, "entity", ids))
    if params.locations:
        queries.append(
            any_of(
                [
                    tantivy.Query.term_set_query(SCHEMA, "entity", resolved.location_ids),
                    tantivy.Query.term_set_query(SCHEMA, "event_place", resolved.location_ids),
                ]
            )
        )
    if params.countries:  # a posting list per country, not one per place in it
        codes = [code.upper() for code in params.countries]
        queries.append(tantivy.Query.term_set_query(SCHEMA, "country", codes))
    if params.event_types and params.min_confidence is None:  # a posting list per type, not a range
        queries.append(tantivy.Query.term_set_query(SCHEMA, "event_type", list(params.event_types)))
    elif params.event_types or params.min_confidence is not None:
        lowest = round((params.min_confidence or 0.0) * CONFIDENCE_SCALE)
        queries.append(
            any_of(
                [
                    range_query(
                        "event_key",
                        EVENT_TYPES.index(event_type) * TYPE_STRIDE + lowest,
                        EVENT_TYPES.index(event_type) * TYPE_STRIDE + CONFIDENCE_SCALE,
                    )
                    for event_type in (params.event_types or EVENT_TYPES)
                ]
            )
        )
    return queries


def range_query(field_name: str, lower: int | None, upper: int | None) -> tantivy.Query:
    return tantivy.Query.range_query(SCHEMA, field_name, tantivy.FieldType.Integer, lower, upper)


def filtering(query: tantivy.Query) -> tantivy.Query:
    """A condition that scores nothing, so that filters never change the ranking."""
    return tantivy.Query.const_score_query(query, 0.0)


def match_count(searcher: tantivy.Searcher, query: tantivy.Query) -> int:
    result = searcher.search(query, 1, count=True)
    return int(result.count or 0)  # type: ignore[attr-defined]  # missing from tantivy's stub


def any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in queries])


def full_query(session: Session, params: SearchParams) -> tuple[tantivy.Query, bool]:
    """The query of the params, and whether it has words to rank by. A query of stop words alone
    matches nothing, as in PostgreSQL; no query at all matches every article."""
    words = text_query(parse_web_query(params.q or ""))
    if words is None and params.q and params.q.strip():
        return tantivy.Query.empty_query(), False
    filters = filter_queries(session, params)
    parts = [(tantivy.Occur.Must, words)] if words is not None else []
    parts += [(tantivy.Occur.Must, filtering(query)) for query in filters]
    if not parts:
        return tantivy.Query.all_query(), False
    if words is None:
        parts.append((tantivy.Occur.Must, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(parts), words is not None


@dataclass
class Ranked:
    key: Any  # the score (float), or the publication key (int)
    article_id: int
    address: tantivy.DocAddress


def ranked_page(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    params: SearchParams,
    by_score: bool,
    skip: int,
    count_matches: bool = True,
) -> tuple[list[Ranked], int | None]:
    """Up to limit + 1 matches after the params' cursor, in (key, article_id) order, and the number of
    matches, counted in the same pass over them (None when not asked for, or when a date cursor
    narrowed the query).

    tantivy breaks ties in its own order, so only the hits strictly before the last key fetched are
    trusted; when they do not fill the page, it fetches more (every match at worst).
    """
    newest = params.sort is not SearchSort.oldest
    after: tuple[float | int, int] | None = None
    total: int | None = None
    counting = count_matches  # counting as it ranks: one pass over the matches instead of two
    if params.after:
        after_key = params.after[0] if by_score else cursor_published_key(params.after[0])
        after = (after_key, int(params.after[1]))
        if not by_score:  # nothing before the cursor's time can come after it
            key = int(after_key)
            bound = range_query("published", None, key) if newest else range_query("published", key, None)
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, query), (tantivy.Occur.Must, filtering(bound))]
            )
            counting = False
    wanted = params.limit + 1
    fetch = skip + wanted + 64
    while True:
        count = counting and total is None
        if by_score:
            result = searcher.search(query, fetch, count=count)
        else:
            order = tantivy.Order.Desc if newest else tantivy.Order.Asc
            result = searcher.search(query, fetch, count=count, order_by_field="published", order=order)
        if count:
            total = int(result.count or 0)  # type: ignore[attr-defined]  # missing from tantivy's stub
        addresses = [address for _, address in result.hits]
        ids = searcher.fast_field_values("article_id", addresses)
        hits = [
            Ranked(key, int(article_id or 0), address)
            for (key, address), article_id in zip(result.hits, ids, strict=True)
        ]
        complete = len(hits) < fetch
        descending = by_score or newest
        if not complete:
            boundary = hits[-1].key
            hits = [hit for hit in hits if (hit.key > boundary if descending else hit.key < boundary)]
        hits.sort(key=lambda hit: (hit.key, hit.article_id), reverse=descending)
        if after is not None:
            hits = [
                hit
                for hit in hits
                if ((hit.key, hit.article_id) < after if descending else (hit.key, hit.article_id) > after)
            ]
        if complete or len(hits) >= wanted:
            return hits[:wanted], total
        fetch *= 4


def cursor_published_key(value: str | None) -> int:
    return published_key(dt.datetime.fromisoformat(value)) if value is not None else UNDATED


def snippets(searcher: tantivy.Searcher, query: tantivy.Query | None, hits: list[Ranked]) -> dict[int, str]:
    """HTML-escaped passages of the body with the query's words in <mark>; the opening without words."""
    generator = None
    if query is not None:
        generator = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, "body")
        generator.set_max_num_chars(SNIPPET_CHARS)
    result = {}
    for hit in hits:
        doc = searcher.doc(hit.address)
        body = str(doc.get_first("body") or "")
        text = None
        if generator is not None:
            snippet = generator.snippet_from_doc(doc)
            if snippet.highlighted():
                text = marked(snippet.fragment(), [(r.start, r.end) for r in snippet.highlighted()])
        result[hit.article_id] = text if text is not None else html.escape(body[:SNIPPET_CHARS], quote=False)
    return result


def marked(fragment: str, ranges: list[tuple[int, int]]) -> str:
    """The fragment HTML-escaped with each (start, end) byte range in <mark>."""
    raw = fragment.encode()
    parts = []
    position = 0
    for start, end in sorted(ranges):
        parts.append(html.escape(raw[position:start].decode(errors="ignore"), quote=False))
        parts.append("<mark>" + html.escape(raw[start:end].decode(errors="ignore"), quote=False) + "</mark>")
        position = end
    parts.append(html.escape(raw[position:].decode(errors="ignore"), quote=False))
    return "".join(parts)


# The page's fields, hydrated by id; built once (a statement costs more CPU to build than to run).
PAGE_ARTICLES = (
    select(
        Article.article_id,
        Article.title,
        Article.published_at,
        Article.url,
        Article.external_id,
        Source.name.label("source"),
    )
    .outerjoin(Source, Source.source_id == Article.source_id)
    .where(Article.article_id.in_(bindparam("article_ids", expanding=True)))
)


def search_articles(session: Session, index: SearchIndex, params: SearchParams) -> SearchPage:
    """A page of matches ranked over every match (BM25, or by date), the exact total, and snippets from
    the index; the page's fields hydrated from PostgreSQL in one query."""
    query, has_words = full_query(session, params)
    return matches_page(session, index.searcher(), query, has_words, params)


def search_with_facets(
    session: Session, index: SearchIndex, params: SearchParams, interval: Interval, overlap: bool = True
) -> tuple[SearchPage, Facets]:
    """The page of search_articles, and top sources, entities and event types and the date histogram over
    every match (facet_aggregations), from one query and one searcher.

    `overlap`: the facets' aggregation runs on a thread of its own while the page is ranked. tantivy
    releases the GIL for both, so the request takes the longer pass's time, not the sum (on a common
    word the aggregation is the longer by three times). That takes a second core: worth it when the
    cores are idle, and taken from other requests when they are not (the API overlaps only when no
    other request of its process is running)."""
    query, has_words = full_query(session, params)
    searcher = index.searcher()
    aggregations = facet_aggregations(interval)
    counting = AGGREGATING.submit(searcher.aggregate, query, aggregations) if overlap else None
    page = matches_page(session, searcher, query, has_words, params)
    result: dict[str, Any] = (
        counting.result() if counting is not None else searcher.aggregate(query, aggregations)
    )
    return page, facets_of(session, result, interval)


def matches_page(
    session: Session, searcher: tantivy.Searcher, query: tantivy.Query, has_words: bool, params: SearchParams
) -> SearchPage:
    by_score = has_words and params.sort is SearchSort.relevance
    skip = int(params.after[2]) if by_score and params.after and len(params.after) > 2 else 0
    hits, counted = ranked_page(searcher, query, params, by_score, skip)
    total = counted if counted is not None else match_count(searcher, query)
    page_hits = hits[: params.limit]
    passages = snippets(searcher, query if has_words else None, page_hits)
    ids = [hit.article_id for hit in page_hits]
    rows = {row.article_id: row for row in session.connection().execute(PAGE_ARTICLES, {"article_ids": ids})}
    items = [
        SearchHit(
            article_id=hit.article_id,
            title=rows[hit.article_id].title,
            source=rows[hit.article_id].source,
            published_at=rows[hit.article_id].published_at,
            url=rows[hit.article_id].url,
            external_id=rows[hit.article_id].external_id,
            snippet=passages[hit.article_id],
            score=float(hit.key) if by_score else None,
        )
        for hit in page_hits
        if hit.article_id in rows  # deleted since the index last caught up
    ]
    next_after = None
    if len(hits) > params.limit:
        last = hits[params.limit - 1]
        if by_score:
            next_after = [float(last.key), last.article_id, skip + params.limit]
        else:
            published_at = rows[last.article_id].published_at if last.article_id in rows else None
            next_after = published_keyset(published_at, last.article_id)
    return SearchPage(items, next_after, total, True)


DATED = -(2**62)  # a publication key below every real date and above UNDATED, exact as a float
FIRST_AND_LAST_SEEN = {
    "range": {"field": "published", "ranges": [{"from": DATED}]},
    "aggs": {"first": {"min": {"field": "published"}}, "last": {"max": {"field": "published"}}},
}


@dataclass(frozen=True)
class Appearances:
    """What the articles mentioning an entity say of it, from one pass over them in the index."""

    articles: int
    first_seen: dt.datetime | None  # the first and last publication time of the dated ones
    last_seen: dt.datetime | None
    co_occurring: list[tuple[ListedEntity, int]]  # the entities in most of them, with how many


def mentioning(entity_id: int) -> tantivy.Query:
    """The documents of the articles that mention the entity."""
    return tantivy.Query.term_set_query(SCHEMA, "entity", [entity_id])


def companions_kept(size: int) -> int:
    """How many of an entity's companions its aggregation keeps to show `size`: room for ties."""
    return (size + 1) * 5


def appearance_aggregations(size: int) -> dict[str, Any]:
    """appearances' pass over an entity's documents: their count, first and last publication, and with
    `size`, the companions_kept entities in the most of them (of those in FEW_ARTICLES), exactly."""
    aggregations: dict[str, Any] = {
        "articles": {"value_count": {"field": "article_id"}},
        "seen": FIRST_AND_LAST_SEEN,
    }
    if size:
        aggregations["entities"] = entity_terms(companions_kept(size), exact=True, min_articles=FEW_ARTICLES)
    return aggregations


def appearances(session: Session, index: SearchIndex, entity_id: int, size: int) -> Appearances | None:
    """How many articles mention the entity, when first and last, and the `size` entities mentioned in
    the most of them (ties: the most mentioned first): one aggregation over its documents, where
    counting its distinct articles, joining them for their dates and counting their entities in
    PostgreSQL take seconds for a popular entity at a million articles. None while never built."""
    if not index.built():
        return None
    query = mentioning(entity_id)
    searcher = index.searcher()
    kept = companions_kept(size)
    result: dict[str, Any] = searcher.aggregate(query, appearance_aggregations(size))
    [dated] = [bucket for bucket in result["seen"]["buckets"] if "from" in bucket]

    def moment(name: str) -> dt.datetime | None:
        value = dated.get(name, {}).get("value")  # a float: exact for microseconds until the year 2255
        return None if value is None else EPOCH_UTC + dt.timedelta(microseconds=int(value))

    found = Appearances(int(result["articles"]["value"] or 0), moment("first"), moment("last"), [])
    if not size:
        return found
    counts = dict(buckets(result, "entities"))
    if len(counts) <= size:
        # fewer than the entity and `size` companions are in FEW_ARTICLES of its articles: the others
        # may make the page. With more, those left out count less than the size-th, so no tie reaches them
        counts = dict(
            buckets(searcher.aggregate(query, {"entities": entity_terms(kept, exact=True)}), "entities")
        )
    ranked = sorted(counts.values(), reverse=True)
    cut = ranked[min(size, len(ranked) - 1)] if ranked else 0
    if len(counts) >= kept and cut == ranked[-1]:
        # the cut fell inside a tie that reaches the shown ones: the aggregation kept an arbitrary part
        # of it, so every entity counted as often as the tie is fetched and the tie is broken by
        # mentions, as the SQL ranks them. Only those: all of a popular entity's companions would
        # pass tantivy's limit of 65,000 buckets (75,000 for one entity of the million-article corpus)
        tie = entity_terms(ALL_TERMS, exact=True, min_articles=cut)
        counts = dict(buckets(searcher.aggregate(query, {"entities": tie}), "entities"))
    return replace(found, co_occurring=top_entities(session, counts, size, leave_out=entity_id))


def newest_mentioning(
    index: SearchIndex, entity_id: int, limit: int, after: list[Any] | None
) -> list[int] | None:
    """Up to limit + 1 ids of the articles mentioning the entity after the (published_at, article_id)
    cursor, newest first (undated last), as search's newest order walks them; None while the index has
    never been built."""
    if not index.built():
        return None
    query = mentioning(entity_id)
    params = SearchParams(sort=SearchSort.newest, limit=limit, after=after)
    hits, _ = ranked_page(index.searcher(), query, params, by_score=False, skip=0, count_matches=False)
    return [hit.article_id for hit in hits]


ALL_TERMS = 1_000_000  # as many buckets as an aggregation may be asked for: every entity there is
# Much of an exact count of a popular entity's companions goes to the tens of thousands named in one
# or two of its articles, which never make its top. Leaving out those in fewer than this many (after
# the segments' counts are added up, so the others' counts stay exact) cuts a fifth of the
# aggregation for the most mentioned entities at a million articles (44.1 -> 38.4 ms, 24.6 -> 19.9,
# 25.5 -> 20.3 in tantivy alone). It changes nothing whenever the entity and as many companions as
# shown reach it; appearances counts again without it when they do not.
FEW_ARTICLES = 5


def entity_terms(size: int, exact: bool = False, min_articles: int = 1) -> dict[str, Any]:
    """The terms aggregation over the mentioned entities. `exact`: every segment sends all its terms
    (tantivy's default keeps 10 × size per segment, so a count spread over segments may come short).
    `min_articles`: only the entities counted at least that often in all."""
    terms: dict[str, Any] = {"field": "entity", "size": size, "min_doc_count": min_articles}
    if exact:
        terms["segment_size"] = ALL_TERMS
    return {"terms": terms}


def top_entities(
    session: Session, counts: dict[int, int], size: int, leave_out: int | None = None
) -> list[tuple[ListedEntity, int]]:
    """The `size` entities with the highest counts (then the most mentioned, then the lowest id), with
    their counts; ids no longer in the database (merged since the index caught up) are left out. Only
    the entities that can make the cut are loaded: those counted at least as often as the size-th."""
    ids = [entity_id for entity_id in counts if entity_id != leave_out]
    by_count = sorted((counts[entity_id] for entity_id in ids), reverse=True)
    threshold = by_count[size - 1] if len(by_count) > size else 0
    entities = entities_by_id(session, [entity_id for entity_id in ids if counts[entity_id] >= threshold])
    if len(entities) < min(size, len(ids)):  # some were merged away: the next ones move up
        entities = entities_by_id(session, ids)
    ranked = sorted(
        entities,
        key=lambda entity_id: (-counts[entity_id], -entities[entity_id].mention_count, entity_id),
    )[:size]
    return [(entities[entity_id], counts[entity_id]) for entity_id in ranked]


def buckets(result: dict[str, Any], name: str) -> Iterator[tuple[Any, int]]:
    for bucket in result.get(name, {}).get("buckets", []):
        yield bucket["key"], int(bucket["doc_count"])


def facet_aggregations(interval: Interval) -> dict[str, Any]:
    """Top sources, entities and event-type sets, and the date buckets: one pass over the matches."""
    return {
        "sources": {"terms": {"field": "source", "size": FACET_SIZE}},
        "entities": entity_terms(FACET_SIZE * 5),
        **{name: {"terms": {"field": name, "size": 1 << TYPE_BITS}} for name in TYPE_SET_FIELDS},
        "dates": {"terms": {"field": interval.value, "size": 1_000_000}},
    }


def facets_of(session: Session, result: dict[str, Any], interval: Interval) -> Facets:
    """The facets of facet_aggregations' result, the entities loaded from PostgreSQL.

    Each segment of the index passes on only its most frequent sources and entities (ten times as many
    as asked for), so a count may fall short by what the others held of it; tantivy reports that bound,
    and `exact` says whether it is 0. Counting every term of every segment took twice as long."""
    sources = sorted(buckets(result, "sources"), key=lambda pair: (-pair[1], pair[0]))
    types = sorted(type_counts(result).items(), key=lambda pair: (-pair[1], pair[0]))
    return Facets(
        sources=[FacetCount(name, count) for name, count in sources],
        entities=[
            FacetCount(str(entity.entity_id), count, entity)
            for entity, count in top_entities(session, dict(buckets(result, "entities")), FACET_SIZE)
        ],
        event_types=[FacetCount(name, count) for name, count in types],
        dates=histogram(dict(buckets(result, "dates")), interval),
        exact=not any(result[name].get("doc_count_error_upper_bound") for name in ("sources", "entities")),
    )


def histogram(counts: dict[int, int], interval: Interval) -> list[FacetCount]:
    """Every bucket from the first to the last with a match, empty ones included; TooManyBuckets past
    MAX_BUCKETS (dates from 1285 to 2810 by day would be half a million)."""
    if not counts:
        return []
    day = bucket_start(min(counts), interval)
    last = bucket_start(max(counts), interval)
    count = bucket_count(interval, day, last)
    if count > MAX_BUCKETS:
        raise TooManyBuckets(count)
    result = []
    while day <= last:
        key = bucket_key(day, interval)
        result.append(FacetCount(day.isoformat(), counts.get(key, 0)))
        day = next_bucket(day, interval)
    return result
