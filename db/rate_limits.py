"""Fixed one-minute windows of request counts, one row per client, shared by every API worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    ScalarSelect,
    String,
    bindparam,
    case,
    extract,
    func,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import INTERVAL, insert

from db.models import ApiKey, RateLimitWindow

WINDOW = literal_column("interval '1 minute'", INTERVAL)


@dataclass(frozen=True)
class WindowCount:
    hits: int
    reset_s: int  # seconds until the window ends


def seconds_left(window_start: Any) -> ColumnElement[Any]:
    return func.ceil(extract("epoch", window_start + WINDOW - func.now()))


# Built once: building a statement costs more CPU than running it, and one runs on every request.
CURRENT_WINDOW = func.date_trunc("minute", func.now())
_NEW_WINDOW = insert(RateLimitWindow).values(bucket=bindparam("bucket"), window_start=CURRENT_WINDOW, hits=1)
# a bucket's row after one more hit: counted on in its window, or from 1 in a new one
ONE_MORE_HIT = {
    "hits": case(
        (RateLimitWindow.window_start == _NEW_WINDOW.excluded.window_start, RateLimitWindow.hits + 1),
        else_=1,
    ),
    "window_start": _NEW_WINDOW.excluded.window_start,
}
COUNT_HIT = _NEW_WINDOW.on_conflict_do_update(
    index_elements=[RateLimitWindow.bucket], set_=ONE_MORE_HIT
).returning(RateLimitWindow.hits, seconds_left(RateLimitWindow.window_start))


def hits_now(bucket_parameter: str) -> ScalarSelect[int]:
    """The count of the bucket named by the parameter in the current window (NULL: none yet)."""
    return (
        select(RateLimitWindow.hits)
        .where(
            RateLimitWindow.bucket == bindparam(bucket_parameter),
            RateLimitWindow.window_start == CURRENT_WINDOW,
        )
        .scalar_subquery()
    )


CURRENT_HITS = select(hits_now("bucket"), seconds_left(CURRENT_WINDOW))
ACTIVE_KEY = (
    select(ApiKey.api_key_id)
    .where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None))
    .limit(1)
)


_FAILURES = hits_now("failure_bucket")
_COUNTED = (
    insert(RateLimitWindow)
    .from_select(
        ["bucket", "window_start", "hits"],
        select(bindparam("bucket", type_=String), CURRENT_WINDOW, literal(1)).where(
            func.coalesce(_FAILURES, 0) < bindparam("failure_limit")
        ),
    )
    .on_conflict_do_update(index_elements=[RateLimitWindow.bucket], set_=ONE_MORE_HIT)
    .returning(RateLimitWindow.hits, seconds_left(RateLimitWindow.window_start).label("reset_s"))
    .cte("counted")
)
COUNT_HIT_UNLESS_BLOCKED = select(
    func.coalesce(_FAILURES, 0), seconds_left(CURRENT_WINDOW), _COUNTED.c.hits, _COUNTED.c.reset_s
).select_from(select(literal(1)).subquery().outerjoin(_COUNTED, true()))


def count_hit_unless_blocked(
    connection: Connection, bucket: str, failure_bucket: str, failure_limit: int
) -> tuple[WindowCount, WindowCount | None]:
    """The failure bucket's count in the current window, and the bucket's count after counting one
    request in it, unless the failures have reached their limit (then None, and nothing counted): one
    statement, where a check and then a count took two."""
    failures, failures_reset_s, hits, reset_s = connection.execute(
        COUNT_HIT_UNLESS_BLOCKED,
        {"bucket": bucket, "failure_bucket": failure_bucket, "failure_limit": failure_limit},
    ).one()
    counted = None if hits is None else WindowCount(int(hits), max(1, int(reset_s)))
    return WindowCount(int(failures), max(1, int(failures_reset_s))), counted


def count_hit(connection: Connection, bucket: str) -> WindowCount:
    """Count one request in the bucket's current window (a new window starts again at 1)."""
    hits, reset_s = connection.execute(COUNT_HIT, {"bucket": bucket}).one()
    return WindowCount(int(hits), max(1, int(reset_s)))


def current_hits(connection: Connection, bucket: str) -> WindowCount:
    """The bucket's count in the current window, without counting."""
    found, reset_s = connection.execute(CURRENT_HITS, {"bucket": bucket}).one()
    return WindowCount(int(found or 0), max(1, int(reset_s)))


def key_is_active(connection: Connection, key_hash: str) -> bool:
    """Whether an unrevoked API key has this SHA-256 (the rate limiter's own connection, no session)."""
    return connection.execute(ACTIVE_KEY, {"key_hash": key_hash}).first() is not None
