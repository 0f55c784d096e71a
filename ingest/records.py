"""The shape of an article as a curator hands it over (JSON Lines, a .txt file, or POSTed JSON)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, field_validator

FIRST_YEAR, LAST_YEAR = 1000, 2999
MAX_TEXT_CHARS = 1_000_000  # spaCy's own limit on one document
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(value: str) -> str:
    """Drops terminal escape sequences and control characters (NUL, BEL, ESC, C1), keeping tabs and
    line breaks: they carry nothing in news text and PostgreSQL cannot store NUL."""
    return CONTROL_CHARACTERS.sub("", ANSI_ESCAPE.sub("", value))


# What parse_published_at takes: a date, a date-time, or blank or null for unknown.
PUBLISHED_AT_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": "^\\s*$"},
        {"type": "null"},
    ]
}
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class ArticleRecord(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "external_id": "002_8c376fa589bd7352",
                    "url": None,
                    "title": "More Afghan forces flee to Tajikistan as key districts fall to Taliban",
                    "source": "TRT World",
                    "published_at": "2021-07-04",
                    "language": "en",
                    "text": "The fall of Panjwai district on Sunday in the southern province of Kandahar …",
                }
            ]
        },
    )

    external_id: str | None = Field(default=None, max_length=200, description="The curator's own id.")
    url: str | None = Field(default=None, max_length=2000, description="Canonical URL; unique when present.")
    title: str | None = Field(default=None, max_length=1000, description="Inferred from the text if absent.")
    source: str | None = Field(default=None, max_length=200, description="Publisher name.")
    published_at: Annotated[dt.datetime | None, WithJsonSchema(PUBLISHED_AT_SCHEMA)] = Field(
        default=None, description="ISO 8601 date or date-time; relative dates in the text resolve against it."
    )
    language: str = Field(default="en", max_length=16)
    text: NonBlank = Field(
        max_length=MAX_TEXT_CHARS,
        description=f"The article body, plain text; at most {MAX_TEXT_CHARS:,} characters.",
    )

    @field_validator("external_id", "url", "title", "source", "language", "text", mode="before")
    @classmethod
    def without_controls(cls, value: object) -> object:
        return without_control_characters(value) if isinstance(value, str) else value

    @field_validator("external_id", "url", "title", "source", mode="after")
    @classmethod
    def blank_is_none(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        return value.strip() if value is not None else None

    @field_validator("url", mode="after")
    @classmethod
    def http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if (
            parts.scheme.lower() not in {"http", "https"}
            or not parts.netloc
            or any(c.isspace() for c in value)
        ):
            raise ValueError("an absolute http:// or https:// URL")
        return value

    @field_validator("published_at", mode="before")
    @classmethod
    def parse_published_at(cls, value: object) -> dt.datetime | None:
        """A date means midnight UTC that day; a date-time without zone is taken as UTC."""
        if value is None or isinstance(value, dt.datetime):
            parsed = value
        elif isinstance(value, dt.date):
            parsed = dt.datetime(value.year, value.month, value.day)
        elif isinstance(value, str) and value.strip():
            try:
                parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"not an ISO 8601 date or date-time: {value!r}") from None
        elif isinstance(value, str):
            return None
        else:
            raise ValueError("expected an ISO 8601 date or date-time string")
        if parsed is not None and not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            raise ValueError(f"out of range: years {FIRST_YEAR} to {LAST_YEAR}")
        if parsed is not None and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed

    def published_datetime(self) -> dt.datetime | None:
        return self.published_at
