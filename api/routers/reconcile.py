"""The Reconciliation Service API 0.2 (W3C Entity Reconciliation Community Group) over entities, so
that OpenRefine, or any client of the protocol, can reconcile a column of names against the corpus."""

from __future__ import annotations

import html
import json
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.auth import reads_allowed
from api.deps import SessionDep
from api.errors import InvalidParameter, NotFound, problem_responses
from api.reconcile_schemas import (
    DEFAULT_CANDIDATES,
    MAX_CANDIDATES,
    MAX_QUERIES,
    POSTED_QUERIES,
    QUERIES_PARAMETER,
    Batch,
)
from api.reconcile_schemas import Query as ReconcileQuery
from api.routing import OneHopRoute
from db import entities, entity_curation, reconcile
from db.entity_refs import entity_id_of
from db.models import ENTITY_TYPES

router = APIRouter(
    route_class=OneHopRoute,
    prefix="/v1/reconcile",
    tags=["reconciliation"],
    dependencies=[Depends(reads_allowed)],
)

TYPES = [{"id": entity_type, "name": entity_type.capitalize()} for entity_type in ENTITY_TYPES]


async def posted_queries(request: Request) -> str | None:
    """`queries` from a form-encoded POST body (as OpenRefine sends it), or the body itself when JSON."""
    body = (await request.body()).decode("utf-8", errors="replace")
    if request.headers.get("content-type", "").startswith("application/json"):
        return body
    return parse_qs(body).get("queries", [None])[0]


def manifest(request: Request) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    service = f"{base}/v1/reconcile"
    return {
        "versions": ["0.2"],
        "name": "Annals entities",
        "identifierSpace": "https://annals.dev/entities/",
        "schemaSpace": "https://annals.dev/schema/",
        "documentation": f"{base}/docs#/reconciliation",
        "view": {"url": f"{base}/v1/entities/{{{{id}}}}"},
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 420, "height": 120},
        "defaultTypes": TYPES,
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
    }


def string_values(value: Any) -> list[str]:
    """A property value, or list of them, as strings (an entity reference by its id, else its name)."""
    values = value if isinstance(value, list) else [value]
    strings = []
    for item in values:
        if isinstance(item, dict):
            item = item.get("name") or item.get("id")
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            strings.append(str(item))
    return strings


def parse_batch(raw: str) -> dict[str, ReconcileQuery]:
    try:
        batch = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidParameter("queries", "queries is not JSON.") from error
    if not isinstance(batch, dict) or not all(isinstance(q, dict) for q in batch.values()):
        raise InvalidParameter("queries", 'queries is a JSON object of queries: {"q0": {"query": …}}.')
    if len(batch) > MAX_QUERIES:
        raise InvalidParameter("queries", f"At most {MAX_QUERIES} queries in a batch.")
    try:
        return Batch.validate_python(batch)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"][:2])  # the query and its field
        raise InvalidParameter("queries", f"{where}: {first['msg']}.") from error


def description(entity: Any) -> str:
    if entity.entity_type == "location":
        where = ", ".join(part for part in (entity.admin1, entity.country_code) if part)
        kind = (entity.place_kind or "place").replace("_", " ")
        return f"{kind}, {where}" if where else kind
    return f"{entity.entity_type}, {entity.mention_count} mentions"


def run_query(session: SessionDep, query: ReconcileQuery) -> dict[str, Any]:
    text = query.query
    if text is None or not text.strip():
        return {"result": []}  # a query by properties alone finds nothing: entities are found by name
    types: list[str] = [query.type] if isinstance(query.type, str) else list(query.type or [])
    limit = min(max(int(query.limit), 1), MAX_CANDIDATES) if query.limit is not None else DEFAULT_CANDIDATES
    properties = [
        (item.pid, string_values(item.v))
        for item in query.properties or []
        if item.pid in reconcile.PROPERTIES
    ]
    candidates = reconcile.reconcile(session, text[:200], types=types, properties=properties, limit=limit)
    return {
        "result": [
            {
                "id": str(c.entity.entity_id),
                "name": c.entity.name,
                "description": description(c.entity),
                "type": [{"id": c.entity.entity_type, "name": c.entity.entity_type.capitalize()}],
                "score": c.score,
                "match": c.match,
                "features": [{"id": f.id, "value": f.value} for f in c.features],
            }
            for c in candidates
        ]
    }


@router.get(
    "",
    summary="Reconcile names with entities (OpenRefine)",
    responses=problem_responses(422),
    openapi_extra={"parameters": [QUERIES_PARAMETER]},  # a JSON value, which Query() cannot say
)
def reconcile_get(
    request: Request,
    session: SessionDep,
    queries: Annotated[str | None, Query(max_length=4_000, include_in_schema=False)] = None,
) -> dict[str, Any]:
    """Without `queries`, the service manifest (add `<base>/v1/reconcile` as a reconciliation service in
    OpenRefine). With `queries`, a result batch: for each query, candidates with a score (0-100),
    `match` when the service is confident, the entity's type and a short description. Types: person,
    organization, location, group. Properties: `country`, `admin1`, `kind`. Names are matched as the
    entity lookup does (case, accents, prefixes, typos), also without a parenthetical qualifier
    ("Jens Stoltenberg (NATO)"), what follows a comma, or a place word ("Panjwaii district")."""
    if queries is None:
        return manifest(request)
    return {key: run_query(session, query) for key, query in parse_batch(queries).items()}


@router.post(
    "",
    summary="Reconcile a batch of names posted as a form",
    responses=problem_responses(422),
    openapi_extra={"requestBody": POSTED_QUERIES},  # read by posted_queries: a form or JSON
)
def reconcile_post(
    session: SessionDep, posted: Annotated[str | None, Depends(posted_queries)]
) -> dict[str, Any]:
    """The same result batch as the GET, for `queries` sent form-encoded (as OpenRefine does) or a JSON
    body of queries."""
    if posted is None:
        raise InvalidParameter("queries", "Send queries form-encoded or as a JSON body.", location="body")
    return {key: run_query(session, query) for key, query in parse_batch(posted).items()}


@router.get(
    "/preview",
    summary="Preview an entity (HTML)",
    response_class=HTMLResponse,
    responses=problem_responses(404, 422),
)
def preview(
    session: SessionDep, id: Annotated[str, Query(max_length=20, description="An entity id.", examples=["6"])]
) -> HTMLResponse:
    """A small HTML card of the entity, for OpenRefine's preview pop-up."""
    entity_id = entity_id_of(id)
    if entity_id is not None:  # an id from before a merge previews the entity that absorbed it
        entity_id = entity_curation.redirect_target(session, entity_id) or entity_id
    detail = entities.get_entity(session, entity_id) if entity_id is not None else None
    if detail is None:
        raise NotFound(f"No entity with id {id}.")
    entity = detail.entity
    aliases = ", ".join(sorted({alias.alias for alias in entity.aliases}))
    card = (
        '<html><body style="font-family: sans-serif; font-size: 13px; margin: 6px">'
        f"<strong>{html.escape(entity.name)}</strong> <em>{html.escape(description(entity))}</em><br>"
        f"Also: {html.escape(aliases)}<br>"
        f"{detail.stats.mentions} mentions in {detail.stats.articles} articles, {detail.stats.events} events"
        "</body></html>"
    )
    return HTMLResponse(card)


Prefix = Annotated[str, Query(min_length=1, max_length=200, description="What the user has typed.")]


@router.get("/suggest/entity", summary="Suggest entities", responses=problem_responses(422))
def suggest_entity(
    session: SessionDep,
    prefix: Prefix,
    type: Annotated[str | None, Query(description="Only entities of this type.")] = None,
    cursor: Annotated[int, Query(ge=0, le=200, description="How many suggestions to skip.")] = 0,
) -> dict[str, Any]:
    """Entities whose name or alias starts with (or nearly spells) the prefix, best first."""
    found = entities.lookup_entities(session, prefix, entity_type=type if type in ENTITY_TYPES else None)
    return {
        "result": [
            {
                "id": str(m.entity.entity_id),
                "name": m.entity.name,
                "description": description(m.entity),
                "notable": [{"id": m.entity.entity_type, "name": m.entity.entity_type.capitalize()}],
            }
            for m in found[cursor : cursor + 10]
        ]
    }


@router.get("/suggest/type", summary="Suggest entity types", responses=problem_responses(422))
def suggest_type(prefix: Prefix) -> dict[str, Any]:
    """The entity types whose name starts with the prefix."""
    return {"result": [t for t in TYPES if t["id"].startswith(prefix.strip().lower())]}


@router.get("/suggest/property", summary="Suggest properties", responses=problem_responses(422))
def suggest_property(prefix: Prefix) -> dict[str, Any]:
    """The properties a query can constrain (country, admin1, kind) whose name starts with the prefix."""
    return {
        "result": [
            {"id": pid, "name": pid, "description": text}
            for pid, text in reconcile.PROPERTIES.items()
            if pid.startswith(prefix.strip().lower())
        ]
    }
