from __future__ import annotations

from fastapi import APIRouter, Request

from api import schemas
from api.errors import NotReady, problem_responses
from api.routing import OneHopRoute
from db.migrations import current_revision, head_revision
from db.search_index import index_lag

router = APIRouter(route_class=OneHopRoute, tags=["operations"])


@router.get("/health", summary="Liveness", response_model=schemas.Health)
async def health() -> schemas.Health:
    """The process is up. Does not touch the database."""
    return schemas.Health()


@router.get("/ready", summary="Readiness", response_model=schemas.Ready, responses=problem_responses(503))
def ready(request: Request) -> schemas.Ready:
    """The database answers, its schema is at the code's migration head and the search index has been
    built (it then reports how many changes it is behind); 503 otherwise."""
    engine = request.state.engine
    try:
        revision = current_revision(engine)  # connects: an unreachable server fails here
    except Exception as error:  # any driver error means "not ready", never a 500
        raise NotReady(f"Database unreachable: {type(error).__name__}.") from error
    head = head_revision()
    if revision != head:
        raise NotReady(f"Schema at {revision}, code expects {head}: run `annals migrate`.")
    index = request.state.search_index
    if not index.built():
        raise NotReady("The search index is being built.")
    with request.state.sessions() as session:
        lag = index_lag(session, index)
    status = schemas.SearchIndexStatus(behind=lag.behind, relation="eq" if lag.exact else "gte")
    return schemas.Ready(migration=revision or "", search_index=status)
