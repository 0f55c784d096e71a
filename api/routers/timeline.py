from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api import convert, schemas
from api.auth import reads_allowed
from api.deps import SessionDep
from api.errors import InvalidParameter, problem_responses
from api.params import EventFiltersDep
from api.routing import OneHopRoute
from api.schemas import Ref
from db.timeline import Interval, Metric, TimelineRequest, TooManyBuckets, UnknownEntity, event_timeline

router = APIRouter(
    route_class=OneHopRoute, prefix="/v1", tags=["events"], dependencies=[Depends(reads_allowed)]
)

MAX_SERIES = 10
MAX_TOP = 10


@router.get(
    "/timeline",
    summary="Events over time",
    response_model=schemas.Timeline,
    responses=problem_responses(422),
)
def get_timeline(
    session: SessionDep,
    filters: EventFiltersDep,
    entity: Annotated[
        list[Ref] | None,
        Query(
            description="One series per entity (id or name; a name means every entity with that alias, as "
            "in the filters): the events it takes part in or that happened at or inside it. Repeat for up "
            f"to {MAX_SERIES}; omit for one series of all matching events.",
            examples=["Taliban"],
        ),
    ] = None,
    interval: Annotated[Interval, Query(description="Bucket size; weeks start on Monday.")] = Interval.month,
    metric: Annotated[
        Metric,
        Query(
            description="events (count), fatalities (sum of reported fatalities), or articles (media "
            "attention: articles published in the bucket that mention the series' entity or report one of "
            "its events, match `q` as full text, and report an event matching the other event filters "
            "when any is given)."
        ),
    ] = Metric.events,
    normalize: Annotated[
        bool,
        Query(
            description="Divide each value by all the articles published in its bucket, so that a corpus "
            "growing over time does not look like a trend (GDELT's volume intensity)."
        ),
    ] = False,
    top: Annotated[
        int, Query(ge=0, le=MAX_TOP, description="Also list each bucket's N top events (by fatalities).")
    ] = 0,
) -> schemas.Timeline:
    """A value per day, week, month or year for the events matching the same filters as
    `GET /v1/events`, one series per `entity`, empty buckets included.

    An event counts in the bucket of its `date_start`: an event known only to the month counts on the
    1st, a range on its first day, and one that began before `from` in the first bucket, so the buckets
    of a series add up to what `GET /v1/events` lists for the same filters. Undated events are left
    out. The series run from `from` to `to`, by default from the first to the last matching event,
    with at most 5,000 buckets.

    `metric=articles` is media attention instead: articles counted in the bucket of their publication
    date, including those that mention the entity without reporting any event; `normalize=true`
    divides every value by the number of articles the corpus holds for that bucket.

    `curl 'localhost:8000/v1/timeline?entity=NATO&metric=articles&interval=year&normalize=true'`
    """
    if len(entity or []) > MAX_SERIES:
        raise InvalidParameter("entity", f"At most {MAX_SERIES} entities.")
    request = TimelineRequest(filters, interval, metric, tuple(entity or ()), top, normalize)
    try:
        series = event_timeline(session, request)
    except UnknownEntity as error:
        raise InvalidParameter("entity", str(error)) from error
    except TooManyBuckets as error:
        raise InvalidParameter("interval", str(error)) from error
    return convert.timeline(interval, metric, series)
