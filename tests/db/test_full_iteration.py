"""Full exports read page by page: between pages no pooled connection is held, so that slow
downloads cannot take the pool from everyone else."""

from __future__ import annotations

from sqlalchemy import Engine

from db.articles import ArticleFilters, iter_articles
from db.engine import make_engine, make_sessionmaker
from db.entities import iter_entities
from db.events import EventFilters, iter_events


def test_every_full_iteration_gives_its_connection_back_between_pages(
    database_url: str, seeded: Engine
) -> None:
    engine = make_engine(database_url, pool_size=1, pool_timeout_s=0.5)  # two connections at most
    sessions = make_sessionmaker(engine)
    iterations = {
        "events": iter_events(sessions, EventFilters(), batch=1),
        "articles": iter_articles(sessions, ArticleFilters(), batch=1),
        "entities": iter_entities(sessions, entity_type=None, country=None, batch=1),
    }
    for kind, pages in iterations.items():
        first = next(pages)
        assert len(first) == 1, kind
        with engine.connect(), engine.connect():  # the whole pool, while the iteration waits
            pass
        assert sum(len(page) for page in pages) >= 1, kind  # and it goes on reading afterwards
    engine.dispose()
