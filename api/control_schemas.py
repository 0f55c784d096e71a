"""Response shapes of control timelines."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas import EntitySummary, Place


class ControlEvidence(BaseModel):
    article_id: int = Field(examples=[3])
    quote: str = Field(
        examples=["The fall of Panjwai district on Sunday in the southern province of Kandahar …"]
    )


class ControlReport(BaseModel):
    """An event read as a change of hands."""

    event_id: int = Field(examples=[15])
    type: str = Field(examples=["territory_captured"])
    date_start: dt.date = Field(examples=["2021-07-04"])
    date_end: dt.date = Field(examples=["2021-07-04"])
    date_precision: str = Field(examples=["day"])
    status: str = Field(description="auto or verified (rejected events are left out).", examples=["auto"])
    confidence: float = Field(examples=[0.85])
    controller: list[EntitySummary] = Field(description="Who holds the place after it, as reported.")
    lost_by: list[EntitySummary] = Field(description="Who lost or left it.")
    evidence: list[ControlEvidence]


class ControlPeriod(BaseModel):
    from_: dt.date = Field(
        alias="from", description="The opening report's first day.", examples=["2021-07-04"]
    )
    from_precision: str = Field(examples=["day"])
    to: dt.date | None = Field(description="The closing report's first day; null while it lasts.")
    controller: list[EntitySummary] = Field(description="Empty when the reports do not say who took over.")
    lost_by: list[EntitySummary]
    opened_by: ControlReport
    confirmed_by: list[ControlReport] = Field(description="Later reports of the same controller.")
    closed_by: ControlReport | None
    conflicting_reports: list[ControlReport] = Field(
        description="Reports from other articles, of overlapping dates, naming another controller."
    )

    model_config = {"populate_by_name": True}


class PlaceControl(BaseModel):
    place: EntitySummary
    location: Place | None
    periods: list[ControlPeriod] = Field(description="Oldest first.")


class PlaceControlOnDate(BaseModel):
    place: EntitySummary
    location: Place | None
    period: ControlPeriod


class ControlOnDate(BaseModel):
    country: str = Field(examples=["AF"])
    date: dt.date = Field(examples=["2021-07-31"])
    items: list[PlaceControlOnDate] = Field(
        description="Every place of the country with a period begun by then."
    )
