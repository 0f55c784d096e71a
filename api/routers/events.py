from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

import pydantic_core
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from api import acled, convert, exports, schemas
from api.auth import reads_allowed
from api.cursors import decode_event_cursor, event_cursor
from api.deps import SessionDep, SessionsDep
from api.errors import InvalidParameter, NotFound, problem_responses
from api.exports import ExportFormat
from api.params import Cursor, EventFiltersDep, EventId, Limit, fields_query, with_fields
from api.routing import OneHopRoute
from db import aggregate, events
from db.aggregate import AggregateRequest, GroupBy
from db.events import EventDetail, EventSort
from db.timeline import Interval

router = APIRouter(
    route_class=OneHopRoute, prefix="/v1", tags=["events"], dependencies=[Depends(reads_allowed)]
)

GEOJSON = "application/geo+json"
CSV = "text/csv; charset=utf-8"


class EventFormat(StrEnum):
    json = "json"
    geojson = "geojson"
    csv = "csv"


def next_link(request: Request, next_cursor: str | None) -> dict[str, str]:
    if not next_cursor:
        return {}
    return {"Link": f'<{request.url.include_query_params(cursor=next_cursor)}>; rel="next"'}


def geojson_page(request: Request, page: schemas.EventPage) -> Response:
    """Serialised in one pass by pydantic, the events' models inside the FeatureCollection."""
    body = pydantic_core.to_json(convert.events_geojson(page))
    return Response(body, media_type=GEOJSON, headers=next_link(request, page.next_cursor))


def csv_page(request: Request, details: list[EventDetail], next_cursor: str | None) -> Response:
    text = exports.csv_lines(acled.CSV_COLUMNS, map(acled.acled_row, details), header=True)
    return Response(text, media_type=CSV, headers=next_link(request, next_cursor))


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
            "text/csv": {
                "schema": {
                    "type": "string",
                    "description": "CSV: ACLED's 31 export columns in ACLED's order, then Annals' own.",
                }
            },
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
    limit: Limit = 20,
    cursor: Cursor = None,
    export: Annotated[
        EventFormat,
        Query(alias="format", description="json, geojson (RFC 7946) or csv (ACLED's columns); a page each."),
    ] = EventFormat.json,
    fields: Annotated[str | None, fields_query(schemas.Event, "event_id,type,date_start")] = None,
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
    page = events.list_events(session, filters, sort, limit, decode_event_cursor(sort, cursor))
    next_cursor = event_cursor(sort, page.next_after)
    if export is EventFormat.csv:  # ACLED's columns, from the rows: no response models to build
        return csv_page(request, page.items, next_cursor)
    body = schemas.EventPage(items=[convert.event(detail) for detail in page.items], next_cursor=next_cursor)
    if export is EventFormat.json:
        return with_fields(body, schemas.Event, fields)  # type: ignore[no-any-return]
    return geojson_page(request, body)


def streamed(chunks: Iterator[str], kind: str, export: ExportFormat) -> StreamingResponse:
    disposition = f'attachment; filename="{exports.filename(kind, export)}"'
    return StreamingResponse(
        chunks, media_type=exports.MEDIA_TYPES[export], headers={"Content-Disposition": disposition}
    )


EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Every matching row, streamed.",
        "headers": {"Content-Disposition": {"description": 'attachment; filename="events.csv"'}},
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
            GEOJSON: {"schema": {"type": "object"}},
        },
    },
    **problem_responses(422),
}


@router.get(
    "/events/export", summary="Export events", response_class=StreamingResponse, responses=EXPORT_RESPONSES
)
def export_events(
    sessions: SessionsDep,
    filters: EventFiltersDep,
    export: Annotated[
        ExportFormat,
        Query(
            alias="format",
            description="csv (ACLED's columns, then Annals'), ndjson (Event objects) or geojson.",
        ),
    ] = ExportFormat.csv,
) -> StreamingResponse:
    """Every event matching the filters of `GET /v1/events` (not a page), oldest first, streamed as it
    is read, so that any number of rows costs the server the same memory. CSV has ACLED's 31 export
    columns in ACLED's order, then Annals' own; NDJSON has one Event object per line; GeoJSON is one
    FeatureCollection.

    `curl -OJ 'localhost:8000/v1/events/export?country=AF'`"""
    return streamed(exports.event_chunks(sessions, filters, export), "events", export)


MAX_GROUPS = 10_000


@router.get(
    "/events/aggregate",
    summary="Count events by group",
    response_model=schemas.EventAggregate,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string", "description": "keys, events, fatalities"}}}
        },
        **problem_responses(422),
    },
)
def aggregate_events(
    session: SessionDep,
    filters: EventFiltersDep,
    group_by: Annotated[
        list[GroupBy],
        Query(
            min_length=1,
            max_length=4,
            description="What to group by; repeat for up to 4 keys. actor, target and source put an event "
            "in one group per value; date buckets by `interval`.",
        ),
    ],
    interval: Annotated[Interval, Query(description="The bucket of group_by=date.")] = Interval.month,
    limit: Annotated[int, Query(ge=1, le=MAX_GROUPS, description="At most this many groups.")] = 1000,
    export: Annotated[
        Literal["json", "csv"], Query(alias="format", description="json, or csv (one row per group).")
    ] = "json",
) -> schemas.EventAggregate | Response:
    """Events counted and fatalities summed per group (type, ACLED type or sub-type, country, admin1,
    actor, target, source, date), for the filters of `GET /v1/events`.

    `total` counts each matching event once and equals what `GET /v1/events` lists; the groups of a
    single-valued key add up to it, those of actor, target or source may add up to more (an event
    with two actors is in both groups). CSV is one row per group with a column per key, then
    `events` and `fatalities`: ready for a spreadsheet's pivot table.

    `curl 'localhost:8000/v1/events/aggregate?group_by=type&group_by=admin1&country=AF'`"""
    if len(set(group_by)) < len(group_by):
        raise InvalidParameter("group_by", "Each group_by key once.")
    found = aggregate.aggregate_events(session, AggregateRequest(filters, tuple(group_by), interval, limit))
    names = [key.value for key in group_by]
    groups = [
        {**group.keys, "events": group.events, "fatalities": group.fatalities} for group in found.groups
    ]
    if export == "csv":
        text = exports.csv_lines((*names, "events", "fatalities"), groups, header=True)
        return Response(text, media_type=CSV)
    return schemas.EventAggregate(
        group_by=names,
        interval=interval if GroupBy.date in group_by else None,
        groups=groups,
        total=schemas.AggregateTotal(events=found.total_events, fatalities=found.total_fatalities),
        truncated=found.truncated,
    )


@router.get(
    "/events/{event_id:int}",  # digits only: /events/export and /events/aggregate answer every method
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
    event_id: EventId,
) -> schemas.Event:
    """The event with its participants and every sentence that reports it, with the article's title,
    source, date and path. Rejected events are still served here, with `status: rejected`.

    The `ETag` names the event's revision: send it as `If-Match` to curate the event."""
    detail = events.get_event(session, event_id)
    if detail is None:
        raise NotFound(f"No event with id {event_id}.")
    body = convert.event(detail)
    response.headers["ETag"] = convert.event_etag(body, detail.event.revision)
    return body
