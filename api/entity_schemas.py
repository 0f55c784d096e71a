"""Request and response shapes of entity curation."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas import Id, NoNul

EntityType = Literal["person", "organization", "location", "group"]
PlaceKind = Literal[
    "country", "province", "district", "city", "site", "military_base", "border_crossing", "region"
]
AliasList = list[NoNul]


class PlacePatch(BaseModel):
    kind: PlaceKind | None = None
    country_code: str | None = Field(default=None, pattern="^[A-Z]{2}$", examples=["AF"])
    admin1: NoNul | None = Field(default=None, max_length=200, examples=["Helmand"])
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class EntityPatch(BaseModel):
    name: NoNul | None = Field(default=None, min_length=1, max_length=300, examples=["Soviet Union"])
    type: EntityType | None = None
    place: PlacePatch | None = Field(
        default=None, description="The fields sent replace the place's; null clears."
    )
    add_aliases: AliasList = Field(default=[], max_length=100, examples=[["USSR"]])
    remove_aliases: AliasList = Field(default=[], max_length=100)
    never_link: AliasList = Field(
        default=[],
        max_length=100,
        description="Aliases removed for good: loads and reprocessing never link them to this entity again.",
        examples=[["police"]],
    )


class MergeRequest(BaseModel):
    into: Id = Field(description="The entity that absorbs this one.", examples=[4])


class SplitRequest(BaseModel):
    aliases: AliasList = Field(
        min_length=1, max_length=100, description="The aliases that move, with their mentions."
    )
    name: NoNul | None = Field(
        default=None, min_length=1, max_length=300, description="Default: the first alias."
    )
    type: EntityType | None = Field(default=None, description="Default: the type of the split entity.")


class EntityAuditEntry(BaseModel):
    entity_audit_id: int = Field(examples=[1])
    entity_id: int = Field(examples=[4])
    actor: str = Field(description="The name of the API key that wrote.", examples=["curator-anna"])
    action: str = Field(examples=["merge"])
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: dt.datetime
