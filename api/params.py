"""The API's shared parameters: page size, cursor, ids, the event filters of /v1/events and /v1/timeline."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StringConstraints

from api.errors import InvalidParameter, PreconditionFailed, PreconditionRequired
from api.schemas import IsoDate, IsoDateTime, Ref
from db.events import DEFAULT_STATUSES, EventFilters
from db.models import MAX_COUNT, MAX_ID
from db.taxonomy import ACLED_EVENT_TYPES, ACLED_SUB_EVENT_TYPES, EVENT_TYPES, types_named

MAX_LIMIT = 100
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.", examples=[3])]
EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The entity's id.", examples=[1])]
EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="The event's id.", examples=[21])]

UPDATED_SINCE = (
    "Only records created or changed at or after this time (ISO 8601; UTC when no offset). "
    "For an exact mirror follow `GET /v1/changes`."
)
UpdatedSince = Annotated[
    IsoDateTime | None, Query(description=UPDATED_SINCE, examples=["2026-11-30T00:00:00Z"])
]


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without an offset is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def fields_query(item: type[BaseModel], example: str) -> Any:
    """`fields` of a list of `item`: the pattern names the item's fields, so that the docs say which
    values the list takes (an unknown or missing name is a 422)."""
    name = f"(?:{'|'.join(sorted(item.model_fields, key=len, reverse=True))})"
    return Query(
        max_length=1000,
        pattern=f"^[ ,]*{name}(?: *,[ ,]*{name})*[ ,]*$",
        description="Comma-separated top-level fields to keep in each item; the others are left out: "
        f"{', '.join(item.model_fields)}.",
        examples=[example],
    )


def with_fields(page: BaseModel, item: type[BaseModel], fields: str | None) -> Any:
    """The page, or with `fields` its JSON with each item cut to those fields (422 for an unknown one)."""
    if fields is None:
        return page
    wanted = {name.strip() for name in fields.split(",") if name.strip()}
    unknown = sorted(wanted - set(item.model_fields))
    if unknown or not wanted:
        raise InvalidParameter(
            "fields", f"Unknown field {unknown[0]!r}." if unknown else "Name at least one field."
        )
    include: dict[str, Any] = {name: True for name in type(page).model_fields if name != "items"}
    return JSONResponse(page.model_dump(mode="json", include={**include, "items": {"__all__": wanted}}))


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


def event_types_named(parameter: str, names: list[str]) -> list[str]:
    """The Annals types that event-type values mean: Annals names, or ACLED event and sub-event type
    names (case-insensitive, every type coded so); 422 naming `parameter` for an unknown one."""
    check_choices(
        parameter,
        [name for name in names if not types_named(name)],
        EVENT_TYPES + ACLED_EVENT_TYPES + ACLED_SUB_EVENT_TYPES,
    )
    return list(dict.fromkeys(kind for name in names for kind in types_named(name)))


async def event_filters(
    event_type: Annotated[
        list[Ref] | None,
        Query(
            alias="type",
            description=f"Event type; repeat for any of several: {', '.join(EVENT_TYPES)}; or an ACLED event "
            f"type ({', '.join(ACLED_EVENT_TYPES)}) or sub-event type ({', '.join(ACLED_SUB_EVENT_TYPES)}), "
            "case-insensitive, meaning every type coded so.",
        ),
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
    min_confidence: Annotated[
        float | None,
        Query(ge=0, le=1, description="Only events the pipeline gave at least this confidence (0–1)."),
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
    updated_since: UpdatedSince = None,
    article: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None,
        Query(description="Events reported by this article (its id); repeat for any of several."),
    ] = None,
) -> EventFilters:
    """The event filters shared by /v1/events and /v1/timeline."""
    types = event_types_named("type", event_type or [])
    if any(len(code) != 2 or not code.isascii() or not code.isalpha() for code in country or []):
        raise InvalidParameter("country", "country is an ISO 3166-1 alpha-2 code, e.g. AF.")
    if date_from and date_to and date_from > date_to:
        raise InvalidParameter("from", "`from` is after `to`.")
    return EventFilters(
        types=types,
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
        min_confidence=min_confidence,
        statuses=tuple(status) if status else DEFAULT_STATUSES,
        q=q,
        updated_since=as_utc(updated_since),
        articles=article or [],
    )


EventFiltersDep = Annotated[EventFilters, Depends(event_filters)]


def revision_in(if_match: str, kind: str, record_id: int) -> int | None:
    """The revision an ETag `"{kind}-{id}-r{revision}[-digest]"` names, or None when it names another."""
    pattern = rf'(?:W/)?"{kind}-{record_id}-r(\d{{1,9}})(?:-[0-9a-f]+)?"'
    match = re.fullmatch(pattern, if_match.strip())
    return int(match.group(1)) if match else None


def expected_revision(if_match: str | None, kind: str, record_id: int) -> int:
    """The revision a write's If-Match holds: 428 when it is missing, 422 when it is not an ETag at all,
    412 when it is not one of this record's."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(f"Send If-Match with the ETag of the {kind} as you read it.")
    if not re.fullmatch(r'(?:W/)?"[^"]+"', if_match.strip()):
        raise InvalidParameter("if-match", f'If-Match is an ETag in quotes, e.g. "{kind}-1-r1".', "header")
    revision = revision_in(if_match, kind, record_id)
    if revision is None:
        raise PreconditionFailed(f"If-Match is not an ETag of this {kind}.")
    return revision
