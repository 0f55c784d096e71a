"""Opaque cursors: base64url JSON of the keyset values of a page's last row, bound to its query."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from typing import Any

from api.errors import InvalidParameter
from db.events import EventSort
from db.models import MAX_COUNT, MAX_ID

# What a cursor pages through: a cursor of one kind is refused by every other list.
ENTITIES = "entities:all"
ENTITY_ARTICLES = "entity-articles"
EVENT_HISTORY = "history"
ENTITY_HISTORY = "entity-history"
ENTITIES_UPDATED = "entities:updated"
CHANGES = "changes"


def entity_lookup_kind(q: str) -> str:
    """A lookup's cursor pages the query it came from."""
    return f"entities:q:{q.strip().casefold()}"


def search_kind(sort: str) -> str:
    return f"search:{sort}"


def events_kind(sort: EventSort) -> str:
    return f"events:{sort}"


def encode_cursor(kind: str, values: list[Any]) -> str:
    raw = json.dumps({"k": kind, "v": values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def next_cursor(kind: str, next_after: list[Any] | None) -> str | None:
    """The cursor of the next page of a keyset page (db.pages.Page), None on the last page."""
    return encode_cursor(kind, next_after) if next_after is not None else None


def decode_cursor(
    cursor: str | None, kind: str, shape: tuple[type | tuple[type, ...], ...]
) -> list[Any] | None:
    """The keyset values, or None for the first page; 422 naming `cursor` when it is not ours.

    shape gives the accepted JSON type(s) of each value, so a forged cursor cannot reach SQL.
    """
    if not cursor:  # absent, or empty as some clients send it: the first page
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidParameter("cursor", "Not a cursor returned by this endpoint.") from error
    if not isinstance(data, dict) or data.get("k") != kind or not isinstance(data.get("v"), list):
        raise InvalidParameter("cursor", "This cursor belongs to another query or sort order.")
    values: list[Any] = data["v"]
    if len(values) != len(shape) or not all(
        isinstance(value, accepted) and not (isinstance(value, bool)) and fits_in_sql(value)
        for value, accepted in zip(values, shape, strict=True)
    ):
        raise InvalidParameter("cursor", "This cursor is malformed.")
    return values


def fits_in_sql(value: Any) -> bool:
    """A forged integer beyond bigint or a NaN float is refused before it reaches SQL."""
    if isinstance(value, int):
        return -MAX_ID - 1 <= value <= MAX_ID
    if isinstance(value, float):
        return math.isfinite(value)
    return True


def decode_published_cursor(cursor: str | None, kind: str) -> list[Any] | None:
    """A (published_at ISO string or null, article_id) cursor, the date checked before it reaches SQL."""
    values = decode_cursor(cursor, kind, ((str, type(None)), int))
    if values and values[0] is not None:
        try:
            dt.datetime.fromisoformat(values[0])
        except ValueError as error:
            raise InvalidParameter("cursor", "This cursor is malformed.") from error
    return values


def decode_event_cursor(sort: EventSort, cursor: str | None) -> tuple[Any, int] | None:
    """The cursor's (sort value, event_id), checked so that a forged one cannot reach SQL."""
    numeric = sort is EventSort.fatalities
    after = decode_cursor(cursor, events_kind(sort), ((int if numeric else str, type(None)), int))
    if after is None:
        return None
    value, event_id = after
    try:
        if isinstance(value, str) and sort is EventSort.updated:
            value = dt.datetime.fromisoformat(value)
        elif isinstance(value, str):
            value = dt.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidParameter("cursor", "This cursor is malformed.") from error
    if not 0 < event_id <= MAX_ID or (isinstance(value, int) and not 0 <= value <= MAX_COUNT):
        raise InvalidParameter("cursor", "This cursor is malformed.")
    return value, event_id


def event_cursor(sort: EventSort, after: list[Any] | None) -> str | None:
    if after is None:
        return None
    value, event_id = after
    return encode_cursor(
        events_kind(sort), [value.isoformat() if isinstance(value, dt.date) else value, event_id]
    )


def changes_cursor(position: tuple[int, int] | None) -> str:
    """A change feed position; (0, 0), before every change, when nothing has been read yet."""
    return encode_cursor(CHANGES, list(position or (0, 0)))


def decode_changes_cursor(cursor: str | None) -> tuple[int, int] | None:
    values = decode_cursor(cursor, CHANGES, (int, int))
    if values is None:
        return None
    if not all(0 <= value <= MAX_ID for value in values):
        raise InvalidParameter("cursor", "This cursor is malformed.")
    return values[0], values[1]
