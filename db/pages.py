"""Keyset pages: a list query fetches limit + 1 rows; the extra row only says that there is more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_after: list[Any] | None  # the keyset values of the last item when there is another page


def keyset_page(rows: Sequence[T], limit: int, keyset: Callable[[T], list[Any]]) -> Page[T]:
    """The first `limit` of the limit + 1 rows fetched, and where the next page starts."""
    if len(rows) <= limit:
        return Page(list(rows), None)
    return Page(list(rows[:limit]), keyset(rows[limit - 1]))


def published_keyset(published_at: dt.datetime | None, article_id: int) -> list[Any]:
    """The (published_at, article_id) keyset of the newest/oldest article orders, as JSON values."""
    return [published_at.isoformat() if published_at else None, article_id]
