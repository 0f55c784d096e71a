"""Request and response shapes of the review queue."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import EntitySummary, EventSummary, Id


class ReviewEvent(EventSummary):
    confidence: float = Field(examples=[0.65])
    etag: str = Field(description="Send as `if_match` to decide on it.", examples=['"event-9-r1"'])


class ReviewEntity(EntitySummary):
    mention_count: int = Field(examples=[2])
    etag: str = Field(description="Send as If-Match to merge it.", examples=['"entity-58-r1"'])


class ReviewItem(BaseModel):
    kind: Literal["low_confidence", "disagreeing_evidence", "duplicate_entities"]
    reason: str = Field(examples=["Same surname: Biden."])
    articles: int = Field(description="Articles it touches: the queue's order.", examples=[2])
    events: list[ReviewEvent]
    entities: list[ReviewEntity]


class Decision(BaseModel):
    event_id: Id = Field(examples=[9])
    if_match: str = Field(
        max_length=100, description="The event's ETag as you read it.", examples=['"event-9-r1"']
    )
    status: Literal["verified", "rejected"]


class Decisions(BaseModel):
    decisions: list[Decision] = Field(min_length=1, max_length=100)


class DecisionResult(BaseModel):
    event_id: int = Field(examples=[9])
    status: int = Field(
        description="200 written; 404, 412 (stale If-Match) or 422: not written.", examples=[200]
    )
    etag: str | None = Field(description="The event's new ETag when written.", examples=['"event-9-r2"'])
    detail: str | None = Field(examples=[None])


class DecisionResults(BaseModel):
    results: list[DecisionResult] = Field(description="One per decision, in the order sent.")
