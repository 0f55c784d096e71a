"""The newest/oldest order of articles and its keyset, shared by search and entity pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, DateTime, func, literal, literal_column, tuple_

from db.models import Article

# Undated articles sort as the oldest: one row comparison then pages through them, and the
# (published_sort_key, article_id) index serves newest (backward) and oldest (forward) as a range.
UNDATED: ColumnElement[Any] = literal_column("'-infinity'::timestamptz")


def published_sort_key() -> ColumnElement[Any]:
    return func.coalesce(Article.published_at, UNDATED)


def after_published(after: list[Any], newest: bool) -> ColumnElement[bool]:
    """Rows after the cursor's (published_at, article_id) in newest-first order, or its reverse."""
    published = (
        literal(dt.datetime.fromisoformat(after[0]), DateTime(timezone=True))
        if after[0] is not None
        else UNDATED
    )
    row = tuple_(published_sort_key(), Article.article_id)
    bound = tuple_(published, int(after[1]))
    return row < bound if newest else row > bound


def newest_first() -> list[ColumnElement[Any]]:
    return [published_sort_key().desc(), Article.article_id.desc()]


def oldest_first() -> list[ColumnElement[Any]]:
    return [published_sort_key().asc(), Article.article_id.asc()]
