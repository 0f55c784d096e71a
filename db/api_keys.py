"""API keys: stored as SHA-256 hashes; the secret is shown once, when the key is created."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import API_KEY_SCOPES, ApiKey

SECRET_PREFIX = "annals_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyNameTaken(ValueError):
    pass


def create_api_key(session: Session, name: str, scope: str) -> str:
    """Store a new key and return its secret (never stored in clear). Raises KeyNameTaken."""
    if scope not in API_KEY_SCOPES:
        raise ValueError(f"scope must be one of {', '.join(API_KEY_SCOPES)}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    try:
        with session.begin_nested():  # a taken name rolls back this insert only
            session.add(ApiKey(name=name, key_hash=hash_secret(secret), scope=scope))
    except IntegrityError as error:
        raise KeyNameTaken(f"a key named {name!r} exists already") from error
    return secret


def find_api_key(session: Session, secret: str) -> ApiKey | None:
    return session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_secret(secret), ApiKey.revoked_at.is_(None))
    )


def revoke_api_key(session: Session, name: str) -> bool:
    result = session.execute(
        update(ApiKey)
        .where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def scope_allows(granted: str, needed: str) -> bool:
    """read < write < admin."""
    return API_KEY_SCOPES.index(granted) >= API_KEY_SCOPES.index(needed)
