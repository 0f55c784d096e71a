from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from api import control_schemas, convert
from api.auth import reads_allowed
from api.deps import SessionDep
from api.errors import NotFound, problem_responses
from api.params import EntityId
from api.redirects import follow_merges
from api.routing import OneHopRoute
from db import control

router = APIRouter(
    route_class=OneHopRoute, tags=["control"], dependencies=[Depends(reads_allowed), Depends(follow_merges)]
)
GEOJSON = "application/geo+json"


class ControlFormat(StrEnum):
    json = "json"
    geojson = "geojson"


def report(item: control.ControlReport) -> control_schemas.ControlReport:
    event = item.event
    return control_schemas.ControlReport(
        event_id=event.event_id,
        type=event.event_type,
        date_start=item.start,
        date_end=item.end,
        date_precision=event.date_precision,
        status=event.status,
        confidence=event.confidence,
        controller=[convert.entity_summary(entity) for entity in item.controller],
        lost_by=[convert.entity_summary(entity) for entity in item.lost_by],
        evidence=[
            control_schemas.ControlEvidence(article_id=e.article_id, quote=e.quote) for e in item.evidence
        ],
    )


def period(item: control.ControlPeriod) -> control_schemas.ControlPeriod:
    return control_schemas.ControlPeriod(
        from_=item.opened_by.start,
        from_precision=item.opened_by.event.date_precision,
        to=item.closed_by.start if item.closed_by else None,
        controller=[convert.entity_summary(entity) for entity in item.controller],
        lost_by=[convert.entity_summary(entity) for entity in item.lost_by],
        opened_by=report(item.opened_by),
        confirmed_by=[report(other) for other in item.reports[1:]],
        closed_by=report(item.closed_by) if item.closed_by else None,
        conflicting_reports=[report(other) for other in item.conflicts],
    )


@router.get(
    "/v1/places/{entity_id}/control",
    summary="Who controlled a place, and when",
    response_model=control_schemas.PlaceControl,
    response_model_by_alias=True,
    responses=problem_responses(404, 422),
)
def place_control(session: SessionDep, entity_id: EntityId) -> control_schemas.PlaceControl:
    """The place's control periods, oldest first, from territory_captured, territory_regained and
    withdrawal events (rejected ones left out; curators' corrections as they stand): from, to, the
    controller as reported, the events and evidence sentences that open, confirm and close each
    period, and conflicting reports from other articles where they disagree."""
    place = control.place_entity(session, entity_id)
    if place is None:
        raise NotFound(f"No place with id {entity_id}.")
    return control_schemas.PlaceControl(
        place=convert.entity_summary(place),
        location=convert.place(place),
        periods=[period(item) for item in control.place_control(session, entity_id)],
    )


def control_geojson(body: control_schemas.ControlOnDate) -> dict[str, Any]:
    features = []
    for item in body.items:
        located = item.location and item.location.latitude is not None and item.location.longitude is not None
        geometry = (
            {"type": "Point", "coordinates": [item.location.longitude, item.location.latitude]}
            if located and item.location
            else None
        )
        features.append(
            {
                "type": "Feature",
                "id": item.place.entity_id,
                "geometry": geometry,
                "properties": {
                    "place_id": item.place.entity_id,
                    "place": item.place.name,
                    "controller": [entity.name for entity in item.period.controller],
                    "lost_by": [entity.name for entity in item.period.lost_by],
                    "since": item.period.from_.isoformat(),
                    "since_precision": item.period.from_precision,
                    "event_id": item.period.opened_by.event_id,
                    "conflicting_reports": len(item.period.conflicting_reports),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "country": body.country,
        "date": body.date.isoformat(),
    }


@router.get(
    "/v1/control",
    summary="Who controlled each place on a day",
    response_model=control_schemas.ControlOnDate,
    response_model_by_alias=True,
    responses={
        **problem_responses(422),
        200: {"content": {GEOJSON: {"schema": {"type": "object"}}}, "description": "JSON or GeoJSON."},
    },
)
def control_on_date(
    session: SessionDep,
    country: Annotated[
        str, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code.", examples=["AF"])
    ],
    date: Annotated[dt.date, Query(description="The day asked about.", examples=["2021-07-31"])],
    export: Annotated[
        ControlFormat, Query(alias="format", description="json, or geojson (RFC 7946) for a map.")
    ] = ControlFormat.json,
) -> Any:
    """Who was reported in control of each place of the country on that day: the latest control period
    begun by then, with the events and evidence behind it. Places at country or region level are left
    out. GeoJSON: one point per place (null geometry without coordinates)."""
    body = control_schemas.ControlOnDate(
        country=country.upper(),
        date=date,
        items=[
            control_schemas.PlaceControlOnDate(
                place=convert.entity_summary(found.place),
                location=convert.place(found.place),
                period=period(found.period),
            )
            for found in control.control_on(session, country, date)
        ],
    )
    if export is ControlFormat.geojson:
        return JSONResponse(control_geojson(body), media_type=GEOJSON)
    return body
