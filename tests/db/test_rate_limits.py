"""The rate limiter's counts: one statement checks the failed authentications and counts the request."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine

from db.rate_limits import count_hit, count_hit_unless_blocked, current_hits


def test_a_request_is_counted_until_its_address_has_failed_too_often(engine: Engine) -> None:
    address = uuid.uuid4().hex  # buckets of their own: the table is shared by the whole session's tests
    bucket, failures = f"read:address:{address}", f"auth-failures:{address}"
    with engine.connect() as connection:
        first_failures, first = count_hit_unless_blocked(connection, bucket, failures, failure_limit=2)
        _, second = count_hit_unless_blocked(connection, bucket, failures, failure_limit=2)
        assert first_failures.hits == 0 and first is not None and second is not None
        assert (first.hits, second.hits) == (1, 2)
        assert 1 <= second.reset_s <= 60

        count_hit(connection, failures)
        seen, counted = count_hit_unless_blocked(connection, bucket, failures, failure_limit=2)
        assert seen.hits == 1 and counted is not None and counted.hits == 3  # below the limit: counted

        count_hit(connection, failures)
        seen, counted = count_hit_unless_blocked(connection, bucket, failures, failure_limit=2)
        assert seen.hits == 2 and counted is None  # at the limit: blocked
        assert current_hits(connection, bucket).hits == 3  # and the blocked request was not counted
        connection.commit()
