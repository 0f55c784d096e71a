"""Response shapes. One envelope for every list: {"items": [...], "next_cursor": ...}."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class Total(BaseModel):
    value: int = Field(examples=[1])
    relation: Literal["eq", "gte"] = Field(description="`gte` when counting stopped at the cap.")


class SearchHit(BaseModel):
    article_id: int = Field(examples=[3])
    title: str = Field(examples=["More Afghan forces flee to Tajikistan as key districts fall to Taliban"])
    source: str | None = Field(examples=["TRT World"])
    published_at: dt.datetime | None = Field(examples=["2021-07-04T00:00:00Z"])
    url: str | None = None
    external_id: str | None = Field(examples=["002_8c376fa589bd7352"])
    snippet: str = Field(
        description="HTML-escaped text with matches in <mark>…</mark>.",
        examples=[
            "The fall of <mark>Panjwai</mark> district on Sunday in the southern province of Kandahar …"
        ],
    )
    score: float | None = Field(
        description="Relevance (ts_rank_cd) when sorted by relevance.", examples=[0.23]
    )


class SearchPage(Page[SearchHit]):
    total: Total


class EntitySummary(BaseModel):
    """The same small entity object wherever an entity appears."""

    entity_id: int = Field(examples=[7])
    name: str = Field(examples=["Jens Stoltenberg"])
    type: Literal["person", "organization", "location", "group"] = Field(examples=["person"])


class Mention(BaseModel):
    entity: EntitySummary
    start: int = Field(description="Character offset into `text`.", examples=[412])
    end: int = Field(examples=[428])
    text: str = Field(examples=["Jens Stoltenberg"])


class EventSummary(BaseModel):
    event_id: int = Field(examples=[1])
    type: str = Field(examples=["territory_captured"])
    date_start: dt.date | None = Field(examples=["2021-07-04"])
    date_end: dt.date | None = Field(examples=["2021-07-04"])
    date_precision: str = Field(examples=["day"])
    location: EntitySummary | None
    location_text: str | None = Field(examples=["Panjwai district"])
    country_code: str | None = Field(examples=["AF"])
    fatalities: int | None = Field(examples=[None])
    summary: str = Field(examples=["Taliban captured Panjwai district"])
    status: str = Field(examples=["auto"])


class ArticleEvidence(BaseModel):
    event: EventSummary
    sentence_start: int
    sentence_end: int
    quote: str


class Article(BaseModel):
    article_id: int = Field(examples=[3])
    external_id: str | None = Field(examples=["002_8c376fa589bd7352"])
    url: str | None = None
    title: str = Field(examples=["More Afghan forces flee to Tajikistan as key districts fall to Taliban"])
    source: str | None = Field(examples=["TRT World"])
    published_at: dt.datetime | None = Field(examples=["2021-07-04T00:00:00Z"])
    language: str = Field(examples=["en"])
    text: str = Field(description="The cleaned text that offsets index.")
    pipeline_version: int = Field(examples=[1])
    ingested_at: dt.datetime
    mentions: list[Mention]
    events: list[ArticleEvidence]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Ready(BaseModel):
    status: Literal["ready"] = "ready"
    database: Literal["ok"] = "ok"
    migration: str = Field(
        description="The schema revision, equal to the code's head.", examples=["6250f10179ab"]
    )
