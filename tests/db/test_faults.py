"""What a database error means for the client: which limit was hit, or a conflict worth retrying."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from db.engine import fault_kind


@pytest.mark.parametrize(
    ("cause", "kind"),
    [
        (psycopg.errors.DeadlockDetected("deadlock detected"), "write-conflict"),
        (psycopg.errors.SerializationFailure("could not serialize access"), "write-conflict"),
        (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), "lock-timeout"),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), "statement-timeout"),
        (psycopg.OperationalError("connection refused"), "unavailable"),
    ],
)
def test_fault_kind_names_what_happened(cause: Exception, kind: str) -> None:
    assert fault_kind(OperationalError("SELECT 1", {}, cause)) == kind
