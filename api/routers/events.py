from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import StringConstraints

from api import convert, schemas
from api.auth import reads_allowed
from api.cursors import decode_event_cursor, event_cursor
from api.deps import SessionDep
from api.errors import InvalidParameter, NotFound, problem_responses
from api.schemas import MAX_COUNT, IsoDate, Ref
from db.events import DEFAULT_STATUSES, MAX_ID, EventFilters, EventSort
from db.events import get_event as fetch_event
from db.events import list_events as fetch_events
from db.models import EVENT_TYPES

router = APIRouter(prefix="/v1", tags=["events"], dependencies=[Depends(reads_allowed)])

MAX_LIMIT = 100
GEOJSON = "application/geo+json"
CSV = "text/csv; charset=utf-8"


class EventFormat(StrEnum):
    json = "json"
    geojson = "geojson"
    csv = "csv"


ENTITY_REF = "An entity id, or a name or alias (case- and accent-insensitive); repeat for any of several."
EntityRefs = Annotated[list[Ref] | None, Query(description=ENTITY_REF, examples=["Taliban"])]


def parse_bbox(bbox: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(part) for part in bbox.split(","))
    except ValueError as error:
        raise InvalidParameter("bbox", "bbox is min_lon,min_lat,max_lon,max_lat: four numbers.") from error
    if len(values) != 4 or not all(math.isfinite(value) for value in values):
        raise InvalidParameter("bbox", "bbox is min_lon,min_lat,max_lon,max_lat: four numbers.")
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InvalidParameter(
            "bbox", "Longitudes lie in [-180, 180], latitudes in [-90, 90], min_lat <= max_lat."
        )
    return min_lon, min_lat, max_lon, max_lat


def check_choices(parameter: str, values: list[str], allowed: tuple[str, ...]) -> None:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise InvalidParameter(
            parameter, f"Unknown {parameter} {unknown[0]!r}; one of: {', '.join(allowed)}."
        )


def event_filters(
    event_type: Annotated[
        list[Ref] | None,
        Query(alias="type", description=f"Event type; repeat for any of several: {', '.join(EVENT_TYPES)}."),
    ] = None,
    actor: EntityRefs = None,
    target: EntityRefs = None,
    participant: EntityRefs = None,
    location: Annotated[
        list[Ref] | None,
        Query(
            description="A place (entity id or name): events located there, and for a province or a country "
            "also the events inside it (admin1 or country code). Repeat for any of several.",
            examples=["Kandahar"],
        ),
    ] = None,
    country: Annotated[
        list[Annotated[str, StringConstraints(pattern="^[A-Za-z]{2}$")]] | None,
        Query(
            description="ISO 3166-1 alpha-2 code, case-insensitive; repeat for any of several.",
            examples=["AF"],
        ),
    ] = None,
    admin1: Annotated[
        str | None,
        Query(
            max_length=200,
            description="First-level subdivision (province), case-insensitive.",
            examples=["Kandahar"],
        ),
    ] = None,
    bbox: Annotated[
        str | None,
        Query(
            description="min_lon,min_lat,max_lon,max_lat (WGS 84); min_lon > max_lon crosses the "
            "antimeridian. Events without coordinates never match.",
            examples=["60.5,29.3,75.2,38.5"],
        ),
    ] = None,
    date_from: Annotated[
        IsoDate | None,
        Query(alias="from", description="Events whose date range ends on or after this date (ISO 8601)."),
    ] = None,
    date_to: Annotated[
        IsoDate | None,
        Query(alias="to", description="Events whose date range starts on or before this date."),
    ] = None,
    min_fatalities: Annotated[
        int | None, Query(ge=0, le=MAX_COUNT, description="At least this many reported fatalities.")
    ] = None,
    status: Annotated[
        list[Literal["auto", "verified", "rejected"]] | None,
        Query(description="Review status; repeat for several. Default: auto and verified (rejected hidden)."),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Web-search syntax over the evidence sentences.",
            examples=["Panjwai"],
        ),
    ] = None,
) -> EventFilters:
    """The event filters shared by /v1/events and /v1/timeline."""
    check_choices("type", event_type or [], EVENT_TYPES)
    if any(len(code) != 2 or not code.isascii() or not code.isalpha() for code in country or []):
        raise InvalidParameter("country", "country is an ISO 3166-1 alpha-2 code, e.g. AF.")
    if date_from and date_to and date_from > date_to:
        raise InvalidParameter("from", "`from` is after `to`.")
    return EventFilters(
        types=event_type or [],
        actors=actor or [],
        targets=target or [],
        participants=participant or [],
        locations=location or [],
        countries=country or [],
        admin1=admin1,
        bbox=parse_bbox(bbox) if bbox is not None else None,
        date_from=date_from,
        date_to=date_to,
        min_fatalities=min_fatalities,
        statuses=tuple(status) if status else DEFAULT_STATUSES,
        q=q,
    )


EventFiltersDep = Annotated[EventFilters, Depends(event_filters)]


def exported(request: Request, page: schemas.EventPage, export: EventFormat) -> Response:
    headers = {}
    if page.next_cursor:
        headers["Link"] = f'<{request.url.include_query_params(cursor=page.next_cursor)}>; rel="next"'
    if export is EventFormat.geojson:
        return JSONResponse(convert.events_geojson(page), media_type=GEOJSON, headers=headers)
    return Response(convert.events_csv(page), media_type=CSV, headers=headers)


EXPORTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A page of events as JSON, GeoJSON or CSV (`format`).",
        "headers": {
            "Link": {"description": 'With format=geojson|csv: `<url>; rel="next"` when there is more.'}
        },
        "content": {
            GEOJSON: {
                "schema": {
                    "type": "object",
                    "description": "RFC 7946 FeatureCollection; feature properties are Event objects.",
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {"type": "array", "items": {"type": "object"}},
                        "next_cursor": {"type": ["string", "null"]},
                    },
                }
            },
            "text/csv": {"schema": {"type": "string", "description": "CSV with ACLED-aligned columns."}},
        },
    }
}


@router.get(
    "/events",
    summary="List events",
    response_model=schemas.EventPage,
    responses={**EXPORTS, **problem_responses(422)},
)
def list_events(
    request: Request,
    session: SessionDep,
    filters: EventFiltersDep,
    sort: Annotated[
        EventSort,
        Query(description="date (newest first), date_asc (oldest first) or fatalities (most first)."),
    ] = EventSort.date,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = 20,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
    export: Annotated[
        EventFormat, Query(alias="format", description="json, geojson (RFC 7946) or csv (ACLED-aligned).")
    ] = EventFormat.json,
) -> schemas.EventPage | Response:
    """Events the pipeline found in the articles (or curators made), with who took part and the
    sentences that report them.

    Filters combine with AND; a repeated parameter matches any of its values. Entities are given by
    id or by name: a name matches every entity with that alias. `location` also covers the events
    inside a province or country. `from`/`to` match every event whose date range overlaps the window
    (see `date_precision`: a month-precision event spans its month). Rejected events are hidden
    unless `status=rejected` is asked for.

    Sorted by date (undated events last when newest first, first when oldest first) or by fatalities
    (unknown last), ties broken by `event_id`. Keyset-paginated: follow `next_cursor` (in GeoJSON a
    foreign member, in GeoJSON and CSV also a `Link: <…>; rel="next"` header) until it is null.
    `acled_event_type`, `acled_sub_event_type` and `cameo_root` place each type in ACLED and CAMEO.
    """
    page = fetch_events(session, filters, sort, limit, decode_event_cursor(sort, cursor))
    body = schemas.EventPage(
        items=[convert.event(detail) for detail in page.events],
        next_cursor=event_cursor(sort, page.next_after),
    )
    return body if export is EventFormat.json else exported(request, body, export)


@router.get(
    "/events/{event_id}",
    summary="Get an event",
    response_model=schemas.Event,
    responses={
        200: {
            "headers": {
                "ETag": {
                    "description": 'Revision and digest (`"event-21-r1-3f2a9c0b1d4e"`); use as If-Match.'
                }
            }
        },
        **problem_responses(404, 422),
    },
)
def get_event(
    session: SessionDep,
    response: Response,
    event_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The event's id.", examples=[21])],
) -> schemas.Event:
    """The event with its participants and every sentence that reports it, with the article's title,
    source, date and path. Rejected events are still served here, with `status: rejected`.

    The `ETag` names the event's revision: send it as `If-Match` to curate the event."""
    detail = fetch_event(session, event_id)
    if detail is None:
        raise NotFound(f"No event with id {event_id}.")
    body = convert.event(detail)
    response.headers["ETag"] = convert.event_etag(body, detail.event.revision)
    return body
