"""Entity revisions and merges: the entity ETag, and the 308 that every route of a merged entity answers."""

from __future__ import annotations

import hashlib

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api import schemas
from api.deps import SessionDep
from api.errors import ApiError
from db.entity_curation import redirect_target
from db.entity_refs import entity_id_of
from db.models import MAX_ID


class PermanentRedirect(ApiError):
    status = 308
    slug = "moved-permanently"
    title = "The entity was merged into another"


async def follow_merges(request: Request, session: SessionDep) -> None:
    """Raise a 308 to the same route of the surviving entity when the requested one was merged
    (any route whose path parameter is `entity_id`: entities, places)."""
    raw = request.path_params.get("entity_id")  # an int where the route says {entity_id:int}
    entity_id = raw if isinstance(raw, int) else entity_id_of(raw) if isinstance(raw, str) else None
    if entity_id is None or not 1 <= entity_id <= MAX_ID:  # out of range: the route's own 422
        return
    target = await run_in_threadpool(redirect_target, session, entity_id)
    if target is None:
        return
    segments = request.url.path.split("/")
    location = "/".join(str(target) if segment == str(raw) else segment for segment in segments)
    if request.url.query:
        location += f"?{request.url.query}"
    raise PermanentRedirect(f"Entity {entity_id} was merged into entity {target}.", {"Location": location})


def entity_etag(body: schemas.Entity, revision: int) -> str:
    """`"entity-{id}-r{revision}-{digest}"`: If-Match checks the revision, the digest If-None-Match."""
    digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:12]
    return f'"entity-{body.entity_id}-r{revision}-{digest}"'
