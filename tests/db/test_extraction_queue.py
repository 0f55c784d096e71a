"""The extraction queue: workers claim articles with FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from db.articles import claim_unextracted
from db.migrations import upgrade_to_head
from tests.conftest import drop_database, recreate_database
from tests.factories import add_article


@pytest.fixture
def scratch(base_url: str) -> Iterator[Engine]:
    """A database of its own: the workers are separate connections."""
    name = f"annals_queue_{os.getpid()}"
    url = recreate_database(base_url, name)
    upgrade_to_head(url)
    engine = create_engine(url)
    yield engine
    engine.dispose()
    drop_database(base_url, name)


def test_two_workers_never_claim_the_same_article_and_never_wait(scratch: Engine) -> None:
    with Session(scratch) as setup:
        waiting = [
            add_article(
                setup, text=f"Dockworkers in Durres walked out over pay, day {n}.", pipeline_version=0
            )
            for n in range(3)
        ]
        add_article(setup, text="Dockworkers in Durres returned to work.", pipeline_version=5)
        setup.commit()
        ids = [article.article_id for article in waiting]
    with Session(scratch) as first, Session(scratch) as second:
        claimed_first = [a.article_id for a in claim_unextracted(first, 5, limit=2)]
        claimed_second = [a.article_id for a in claim_unextracted(second, 5, limit=10)]  # does not block
        assert claimed_first == ids[:2]
        assert claimed_second == ids[2:]
        first.rollback()  # a crashed worker: its batch goes back to the queue
        assert [a.article_id for a in claim_unextracted(first, 5, limit=10)] == ids[:2]
