"""Fixed one-minute windows of request counts, one row per client, shared by every API worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, extract, func, literal_column, select
from sqlalchemy.dialects.postgresql import INTERVAL, insert

from db.models import ApiKey, RateLimitWindow

WINDOW = literal_column("interval '1 minute'", INTERVAL)


@dataclass(frozen=True)
class WindowCount:
    hits: int
    reset_s: int  # seconds until the window ends


def seconds_left(window_start: Any) -> ColumnElement[Any]:
    return func.ceil(extract("epoch", window_start + WINDOW - func.now()))


def count_hit(connection: Connection, bucket: str) -> WindowCount:
    """Count one request in the bucket's current window (a new window starts again at 1)."""
    window = func.date_trunc("minute", func.now())
    values = insert(RateLimitWindow).values(bucket=bucket, window_start=window, hits=1)
    statement = values.on_conflict_do_update(
        index_elements=[RateLimitWindow.bucket],
        set_={
            "hits": case(
                (RateLimitWindow.window_start == values.excluded.window_start, RateLimitWindow.hits + 1),
                else_=1,
            ),
            "window_start": values.excluded.window_start,
        },
    ).returning(RateLimitWindow.hits, seconds_left(RateLimitWindow.window_start))
    hits, reset_s = connection.execute(statement).one()
    return WindowCount(int(hits), max(1, int(reset_s)))


def current_hits(connection: Connection, bucket: str) -> WindowCount:
    """The bucket's count in the current window, without counting."""
    window = func.date_trunc("minute", func.now())
    hits = select(RateLimitWindow.hits).where(
        RateLimitWindow.bucket == bucket, RateLimitWindow.window_start == window
    )
    found, reset_s = connection.execute(select(hits.scalar_subquery(), seconds_left(window))).one()
    return WindowCount(int(found or 0), max(1, int(reset_s)))


def key_is_active(connection: Connection, key_hash: str) -> bool:
    """Whether an unrevoked API key has this SHA-256 (the rate limiter's own connection, no session)."""
    found = connection.execute(
        select(ApiKey.api_key_id).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None)).limit(1)
    ).first()
    return found is not None
