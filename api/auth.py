"""Bearer API keys with scopes read < write < admin. Writes always need a key; reads only when
ANNALS_REQUIRE_KEY_FOR_READS is set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.deps import SessionDep
from api.errors import Forbidden, Unauthorized
from db.api_keys import find_api_key, scope_allows

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer annals_…`.")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="annals"'}


def key_name(session: SessionDep, credentials: HTTPAuthorizationCredentials | None, needed: str) -> str:
    if credentials is None:
        raise Unauthorized("This operation needs an API key: `Authorization: Bearer …`.", CHALLENGE)
    key = find_api_key(session, credentials.credentials)
    if key is None:
        raise Unauthorized("Unknown or revoked API key.", CHALLENGE)
    if not scope_allows(key.scope, needed):
        raise Forbidden(f"The key '{key.name}' has scope '{key.scope}'; this operation needs '{needed}'.")
    return key.name


def require(needed: str) -> Callable[..., str]:
    def dependency(
        session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> str:
        return key_name(session, credentials, needed)

    return dependency


async def reads_allowed(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Async, so that a read needs no thread of its own for this check unless a key is required."""
    if request.state.settings.annals_require_key_for_reads:
        await run_in_threadpool(key_name, session, credentials, "read")


WriterDep = Annotated[str, Depends(require("write"))]
