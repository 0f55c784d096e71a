"""Response shapes. One envelope for every list: {"items": [...], "next_cursor": ...}."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from db.models import MAX_COUNT, MAX_ID
from db.taxonomy import EventType

ItemT = TypeVar("ItemT")
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
NoNul = Annotated[str, Field(pattern="^[^\x00]*$")]
Ref = Annotated[str, StringConstraints(min_length=1, max_length=500)]  # a filter value: never empty


def iso_only(pattern: str, expected: str) -> Callable[[object], object]:
    """A validator that lets only ISO text through: pydantic alone would read a number as a Unix time."""

    def check(value: object) -> object:
        if isinstance(value, int | float) or (
            isinstance(value, str) and not re.fullmatch(pattern, value.strip())
        ):
            raise ValueError(f"expected {expected}")
        return value

    return check


IsoDate = Annotated[dt.date, BeforeValidator(iso_only(r"\d{4}-\d{2}-\d{2}", "a date as YYYY-MM-DD"))]
IsoDateTime = Annotated[
    dt.datetime,
    BeforeValidator(iso_only(r"\d{4}-\d{2}-\d{2}([T ].*)?", "an ISO 8601 time, e.g. 2026-11-30T00:00:00Z")),
]


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
        description="Relevance (BM25, title and lede weighted) when sorted by relevance.", examples=[0.23]
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
    links: dict[str, str] = Field(
        default_factory=dict, description="Absolute URLs: `self`, `events` (the events it reports)."
    )


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class SearchIndexStatus(BaseModel):
    behind: int = Field(
        description="Changes committed to the database that the search index has not applied yet.",
        examples=[0],
    )
    relation: Literal["eq", "gte"] = Field(description="`gte` when counting stopped at 10,000.")


class Ready(BaseModel):
    status: Literal["ready"] = "ready"
    database: Literal["ok"] = "ok"
    migration: str = Field(
        description="The schema revision, equal to the code's head.", examples=["6250f10179ab"]
    )
    search_index: SearchIndexStatus


class EventParticipant(BaseModel):
    entity: EntitySummary
    role: Literal["actor", "target", "other"] = Field(examples=["actor"])


class EventEvidence(BaseModel):
    """A sentence that reports the event, in the article that says it."""

    article_id: int = Field(examples=[3])
    title: str = Field(examples=["More Afghan forces flee to Tajikistan as key districts fall to Taliban"])
    source: str | None = Field(examples=["TRT World"])
    published_at: dt.datetime | None = Field(examples=["2021-07-04T00:00:00Z"])
    link: str = Field(
        description="The article's URL in this API.", examples=["http://localhost:8000/v1/articles/3"]
    )
    sentence_start: int = Field(description="Character offset into the article's text.", examples=[0])
    sentence_end: int = Field(examples=[254])
    quote: str = Field(
        examples=[
            "The fall of Panjwai district on Sunday in the southern province of Kandahar comes just two "
            "days after US and NATO forces vacated their main Bagram Air Base near Kabul, from where they "
            "led operations for two decades against the Taliban and their al Qaeda allies."
        ]
    )


class Event(BaseModel):
    event_id: int = Field(examples=[21])
    type: str = Field(description="The Annals event type.", examples=["territory_captured"])
    acled_event_type: str = Field(examples=["Battles"])
    acled_sub_event_type: str = Field(examples=["Non-state actor overtakes territory"])
    cameo_root: str = Field(description="CAMEO root code (two digits).", examples=["19"])
    date_start: dt.date | None = Field(examples=["2021-07-04"])
    date_end: dt.date | None = Field(examples=["2021-07-04"])
    date_precision: Literal["day", "month", "year", "range", "unknown"] = Field(
        description="How precisely the text dates it: a `month` event spans its whole month.",
        examples=["day"],
    )
    location: EntitySummary | None = Field(
        examples=[{"entity_id": 52, "name": "Panjwai", "type": "location"}]
    )
    location_text: str | None = Field(examples=["Panjwai district"])
    country_code: str | None = Field(description="ISO 3166-1 alpha-2.", examples=["AF"])
    admin1: str | None = Field(description="First-level subdivision (province).", examples=["Kandahar"])
    latitude: float | None = Field(examples=[31.54])
    longitude: float | None = Field(examples=[65.47])
    geo_precision: int | None = Field(
        ge=1,
        le=3,
        examples=[2],
        description="ACLED's geo_precision: 1 the event's town, village or site; 2 a district; "
        "3 a province, region or country (coordinates are its centroid); null without a place.",
    )
    fatalities: int | None = Field(examples=[None])
    fatalities_qualifier: Literal["exact", "at_least", "at_most", "approximately", "range"] | None = Field(
        examples=[None]
    )
    people_count: int | None = Field(examples=[None])
    people_qualifier: Literal["exact", "at_least", "at_most", "approximately", "range"] | None = Field(
        examples=[None]
    )
    summary: str = Field(examples=["Taliban captured Panjwai district"])
    confidence: float = Field(ge=0, le=1, examples=[0.8])
    status: Literal["auto", "verified", "rejected"] = Field(examples=["auto"])
    participants: list[EventParticipant] = Field(
        examples=[[{"entity": {"entity_id": 1, "name": "Taliban", "type": "organization"}, "role": "actor"}]]
    )
    evidence: list[EventEvidence] = Field(description="Every sentence reporting it, earliest article first.")
    links: dict[str, str] = Field(
        default_factory=dict,
        description="Absolute URLs: `self`, `history`.",
        examples=[
            {
                "self": "http://localhost:8000/v1/events/21",
                "history": "http://localhost:8000/v1/events/21/history",
            }
        ],
    )
    created_at: dt.datetime | None = Field(default=None, description="When the event was stored.")
    updated_at: dt.datetime | None = Field(
        default=None, description="When it last changed (set by the database on every write)."
    )


class EventPage(Page[Event]):
    pass


class TimelineBucket(BaseModel):
    start: dt.date = Field(
        description="First day of the bucket (weeks start on Monday).", examples=["2021-07-01"]
    )
    value: int | float = Field(
        description="A count or a sum; with `normalize=true` a share of the bucket's articles.", examples=[4]
    )
    events: list[Event] | None = Field(
        description="The bucket's top events (by fatalities, then confidence) when `top` > 0; else null."
    )


class TimelineSeries(BaseModel):
    entity: EntitySummary | None = Field(description="The series' entity; null for all matching events.")
    buckets: list[TimelineBucket]


class Timeline(BaseModel):
    interval: Literal["day", "week", "month", "year"] = Field(examples=["month"])
    metric: Literal["events", "articles", "fatalities"] = Field(examples=["events"])
    series: list[TimelineSeries]


class Place(BaseModel):
    kind: str | None = Field(examples=["district"])
    country_code: str | None = Field(examples=["AF"])
    admin1: str | None = Field(examples=["Kandahar"])
    latitude: float | None = Field(examples=[31.55])
    longitude: float | None = Field(examples=[65.45])


class EntityMatch(EntitySummary):
    aliases: list[str] = Field(examples=[["Jens Stoltenberg", "Stoltenberg"]])
    place: Place | None
    mention_count: int = Field(examples=[9])
    updated_at: dt.datetime | None = Field(default=None, description="When the entity last changed.")
    links: dict[str, str] = Field(
        default_factory=dict, description="Absolute URLs: `self`, `articles`, `events`, `timeline`."
    )
    match: Literal["exact", "prefix", "word_prefix", "fuzzy"] | None = Field(
        description="How the query matched; null when listing without `q`.", examples=["fuzzy"]
    )
    matched_alias: str | None = Field(examples=["Jens Stoltenberg"])
    score: float | None = Field(
        description="Share of the query's character trigrams found in the alias (1.0 for exact and prefix).",
        examples=[0.667],
    )


class EntityCounts(BaseModel):
    mentions: int = Field(examples=[9])
    articles: int = Field(examples=[2])
    events: int = Field(examples=[3])


class CoOccurring(BaseModel):
    entity: EntitySummary
    articles: int = Field(description="Articles mentioning both.", examples=[2])


class LinkedName(BaseModel):
    name: str = Field(description="A name another article used.", examples=["Stoltenberg"])
    reason: Literal["alias", "surname", "full_name", "legal_form", "acronym", "expansion", "same_country"] = (
        Field(
            description="The rule that linked it: a known alias, the one full name ending in this surname, a "
            "full name taking over a lone surname, the same company name with or without Inc/Corp/Ltd, an "
            "acronym the article spelled out, a spelling of a known expansion, the same country code.",
            examples=["surname"],
        )
    )
    matched: str = Field(
        description="The known name or alias it was matched on.", examples=["Jens Stoltenberg"]
    )
    articles: int = Field(examples=[1])


class Entity(EntitySummary):
    aliases: list[str] = Field(examples=[["Jens Stoltenberg", "Stoltenberg"]])
    linked_names: list[LinkedName] = Field(
        description="Names from other articles linked to this entity by a rule other than the same name, "
        "with the rule: what a curator checks and can undo."
    )
    place: Place | None
    counts: EntityCounts
    first_seen: dt.datetime | None = Field(
        description="Earliest publication date of an article mentioning it."
    )
    last_seen: dt.datetime | None
    co_occurring: list[CoOccurring] = Field(description="The entities it most often appears with.")
    links: dict[str, str] = Field(
        default_factory=dict, description="Absolute URLs: `self`, `articles`, `events`, `timeline`."
    )


class EntityArticle(BaseModel):
    article_id: int = Field(examples=[1])
    title: str
    source: str | None = Field(examples=["The Washington Post"])
    published_at: dt.datetime | None
    mentions: int = Field(description="Mentions of the entity in the article.", examples=[4])


class FacetBucket(BaseModel):
    key: str = Field(examples=["TRT World"])
    count: int = Field(examples=[2])
    entity: EntitySummary | None = None


class SearchFacets(BaseModel):
    sources: list[FacetBucket]
    entities: list[FacetBucket]
    event_types: list[FacetBucket]
    dates: list[FacetBucket] = Field(description="Articles per bucket start date, empty buckets included.")
    exact: bool = Field(
        description="False when a source's or an entity's count may fall a little short: the search index "
        "counts in segments, and each passes on only its 100 most frequent sources and 500 entities."
    )


class SearchPageWithFacets(SearchPage):
    facets: SearchFacets | None = Field(default=None, description="With `facets=true`.")


class LoadedArticle(BaseModel):
    index: int = Field(description="Position in the request.", examples=[0])
    status: Literal["created", "already_present", "skipped"] = Field(examples=["created"])
    article_id: int | None = Field(default=None, examples=[4])
    href: str | None = Field(default=None, examples=["/v1/articles/4"])
    reason: str | None = None


class LoadResult(BaseModel):
    items: list[LoadedArticle]
    created: int = Field(examples=[1])
    already_present: int = Field(examples=[0])


class EventPatch(BaseModel):
    """Only the fields you send change. `actors`/`targets` replace the event's list for that role.

    null clears an optional field (`date_start`, `date_end`, `location_entity_id`, `fatalities`); for
    `status`, `type`, `date_precision` and `summary`, which cannot be empty, null leaves them as they are.
    """

    model_config = ConfigDict(extra="forbid")

    status: Literal["auto", "verified", "rejected"] | None = Field(default=None, examples=["verified"])
    type: EventType | None = Field(default=None, examples=["territory_captured"])
    date_start: IsoDate | None = Field(default=None, examples=["2021-07-04"])
    date_end: IsoDate | None = None
    date_precision: Literal["day", "month", "year", "range", "unknown"] | None = None
    location_entity_id: Id | None = Field(default=None, description="A place entity's id; null clears it.")
    actors: list[Id] | None = Field(default=None, max_length=50, description="Entity ids.")
    targets: list[Id] | None = Field(default=None, max_length=50, description="Entity ids.")
    fatalities: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    fatalities_qualifier: Literal["exact", "at_least", "at_most", "approximately", "range"] | None = None
    summary: NoNul | None = Field(default=None, max_length=2000)


class EvidenceIn(BaseModel):
    article_id: int = Field(ge=1, le=MAX_ID, examples=[3])
    quote: NoNul = Field(
        min_length=1,
        max_length=5000,
        description="An exact passage of the article's text.",
        examples=["The fall of Panjwai district on Sunday in the southern province of Kandahar"],
    )


class EventCreate(EventPatch):
    type: EventType = Field(examples=["territory_captured"])
    evidence: list[EvidenceIn] = Field(min_length=1, max_length=20)


class AuditEntry(BaseModel):
    event_audit_id: int = Field(examples=[1])
    actor: str = Field(description="The name of the API key that wrote.", examples=["curator-anna"])
    action: str = Field(examples=["verified"])
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: dt.datetime


class ArticleListItem(BaseModel):
    """An article in a list: its metadata, without the text and what was found in it."""

    article_id: int = Field(examples=[3])
    external_id: str | None = Field(examples=["002_8c376fa589bd7352"])
    url: str | None = None
    title: str = Field(examples=["More Afghan forces flee to Tajikistan as key districts fall to Taliban"])
    source: str | None = Field(examples=["TRT World"])
    published_at: dt.datetime | None = Field(examples=["2021-07-04T00:00:00Z"])
    language: str = Field(examples=["en"])
    pipeline_version: int = Field(examples=[1])
    created_at: dt.datetime
    updated_at: dt.datetime
    links: dict[str, str] = Field(
        default_factory=dict, description="Absolute URLs: `self`, `events` (the events it reports)."
    )


class Change(BaseModel):
    """A record's latest state: an upsert carries the record as its list shows it; a delete is a
    tombstone saying why the record left the lists."""

    kind: Literal["article", "entity", "event"] = Field(examples=["event"])
    id: int = Field(examples=[21])
    operation: Literal["upsert", "delete"] = Field(examples=["upsert"])
    reason: Literal["deleted", "merged", "rejected"] | None = Field(
        description="Why a delete: deleted, merged into `redirect_to`, or (an event) rejected.",
        examples=[None],
    )
    redirect_to: int | None = Field(description="merged: the entity that absorbed this one.", examples=[None])
    changed_at: dt.datetime
    record: ArticleListItem | EntityMatch | Event | None = Field(
        description="upsert: the article, entity or event as `GET /v1/{kind}s` lists it; null for a delete."
    )


class ChangePage(BaseModel):
    items: list[Change]
    next_cursor: str = Field(
        description="Where to resume: pass as `cursor` now when `has_more`, else at the next sync."
    )
    has_more: bool = Field(description="More changes are ready: read again at once.")


class AggregateTotal(BaseModel):
    events: int = Field(description="Matching events, each once: what `GET /v1/events` lists.", examples=[42])
    fatalities: int = Field(description="Their reported fatalities, summed.", examples=[97])


class EventAggregate(BaseModel):
    group_by: list[str] = Field(examples=[["type", "admin1"]])
    interval: Literal["day", "week", "month", "year"] | None = Field(
        description="The bucket of `date` when grouping by it.", examples=[None]
    )
    groups: list[dict[str, Any]] = Field(
        description="One object per group: its keys (null: the events have none), `events`, `fatalities`; "
        "most events first.",
        examples=[[{"type": "attack", "admin1": "Kandahar", "events": 12, "fatalities": 31}]],
    )
    total: AggregateTotal
    truncated: bool = Field(description="There were more groups than `limit`.")
