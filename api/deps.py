"""Request dependencies: the database session from the lifespan's sessionmaker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from db.engine import Session, SessionFactory
from db.search_index import SearchIndex

READS = frozenset({"GET", "HEAD"})


def session_factory(request: Request) -> SessionFactory:
    """Reads (GET, HEAD) get autocommit sessions (db.engine.make_read_sessionmaker); the rest get
    sessions whose statements commit together."""
    sessions: SessionFactory = (
        request.state.read_sessions if request.method in READS else request.state.sessions
    )
    return sessions


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for the request, made on the event loop (it connects only when first used, in the
    handler's thread). A read's is closed there too: in autocommit there is nothing to roll back, so
    closing only returns the connection to the pool, without a round trip. A write's is closed on a
    worker thread, since its rollback goes over the network. Every hop to a thread waits for the GIL
    and the loop, which under load costs more than the hop itself."""
    session = session_factory(request)()
    try:
        yield session
    finally:
        if request.method in READS:
            session.close()
        else:
            with anyio.CancelScope(shield=True):  # a cancelled request still returns its connection
                await run_in_threadpool(session.close)


# Closed before the response is sent ("function" scope): closing rolls back, and if the database
# dies mid-request that rollback fails; it must fail as this request's 503, not after the 200 has
# started, where no handler can answer any more.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_sessions(request: Request) -> SessionFactory:
    """The session factory, for writes that commit batch by batch (loading articles) and for exports
    that read page by page."""
    return session_factory(request)


SessionsDep = Annotated[SessionFactory, Depends(get_sessions)]


async def get_search_index(request: Request) -> SearchIndex:
    """The article search index of this process (db.search_index), followed in the lifespan. Async:
    reading the app's state needs no worker thread."""
    index: SearchIndex = request.state.search_index
    return index


SearchIndexDep = Annotated[SearchIndex, Depends(get_search_index)]


async def reject_nul_characters(request: Request) -> None:
    """PostgreSQL text cannot hold NUL: a parameter carrying one is a 422, not a driver error."""
    from api.errors import InvalidParameter

    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            raise InvalidParameter(name, f"{name} contains a NUL character.")
