"""Bearer API keys with scopes read < write < admin. Writes always need a key; reads only when
ANNALS_REQUIRE_KEY_FOR_READS is set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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


def reads_allowed(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    if request.state.settings.annals_require_key_for_reads:
        key_name(session, credentials, "read")


WriterDep = Annotated[str, Depends(require("write"))]
