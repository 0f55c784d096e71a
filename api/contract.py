"""The OpenAPI document says what the middleware and the app-wide checks do, for every operation:
who needs a key, which headers are required, how many times a parameter may repeat, every status
it can answer with its problem type, and HEAD wherever GET works."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import PROBLEM_JSON
from api.query_guard import MAX_REPEATS
from api.settings import Settings

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
SECURITY: list[dict[str, list[str]]] = [{"HTTPBearer": []}]
RETRY_AFTER = {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {"description": "Requests allowed per window.", "schema": {"type": "integer"}},
    "RateLimit-Remaining": {"description": "Requests left in the window.", "schema": {"type": "integer"}},
    "RateLimit-Reset": {"description": "Seconds until the window ends.", "schema": {"type": "integer"}},
    "RateLimit-Policy": {"description": "`<limit>;w=60`.", "schema": {"type": "string"}},
}
ERRORS = {
    "400": "The body is not valid JSON (`malformed-json`)",
    "401": "Missing or invalid API key (`unauthorized`)",
    "403": "The key lacks the scope (`forbidden`)",
    "404": "Not found (`not-found`)",
    "412": "If-Match does not match the current ETag (`precondition-failed`)",
    "413": "The body is larger than ANNALS_MAX_BODY_BYTES (`payload-too-large`)",
    "415": "The body is not `application/json` (`unsupported-media-type`)",
    "422": "A parameter is invalid, unknown or repeated too often; `errors[].loc` names it "
    "(`validation-error`, `invalid-parameter`)",
    "428": "If-Match is required (`precondition-required`)",
    "429": "Too many requests or failed authentications from this key or address (`rate-limited`)",
    "500": "Unexpected error (`internal-error`)",
    "503": "The database is unreachable, a statement or lock timeout was hit, a concurrent write "
    "conflicted, no connection was free (`database-unavailable`, `statement-timeout`, `lock-timeout`, "
    "`write-conflict`, `pool-exhausted`), or not ready",
}
OPERATIONS_PATHS = ("/health", "/ready")


def problem_response(status: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": ERRORS[status],
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
    if headers:
        response["headers"] = headers
    return response


def without_null(parameter: dict[str, Any]) -> None:
    """A query string cannot carry null: an optional parameter is one that may be left out."""
    schema = parameter.get("schema", {})
    branches = [branch for branch in schema.get("anyOf", []) if branch != {"type": "null"}]
    if "anyOf" in schema and len(branches) == 1:
        del schema["anyOf"]
        schema.update(branches[0])
    elif "anyOf" in schema:
        schema["anyOf"] = branches


def cap_repeats(parameter: dict[str, Any]) -> None:
    schema = parameter.get("schema", {})
    arrays = [branch for branch in [schema, *schema.get("anyOf", [])] if branch.get("type") == "array"]
    for branch in arrays:
        branch["maxItems"] = MAX_REPEATS
    if arrays:
        parameter["description"] = f"{parameter.get('description', '')} At most {MAX_REPEATS} values.".strip()


# Reads sent as POST because their protocol says so (OpenRefine posts reconciliation queries as a form).
READS_BY_POST = {("post", "/v1/reconcile")}


def describe_operation(path: str, method: str, operation: dict[str, Any], settings: Settings) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, response in list(responses.items()):
        if status[0] in "45":
            responses[status] = problem_response(status, response.get("headers"))
    needs_key = bool(operation.get("security"))
    reads = method == "get" or (method, path) in READS_BY_POST
    if reads and needs_key and not settings.annals_require_key_for_reads:
        operation["security"] = [{}, *SECURITY]  # a key is accepted, not required
        needs_key = False
    elif needs_key:
        operation["security"] = SECURITY
    if needs_key:
        responses.setdefault("401", problem_response("401"))
        responses.setdefault("403", problem_response("403"))
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query":
            without_null(parameter)
        cap_repeats(parameter)
        if parameter.get("in") == "header" and parameter["name"].lower() == "if-match":
            parameter["required"] = True
            parameter["schema"] = {
                "type": "string",
                "pattern": '^(W/)?"[^"]+"$',
                "description": parameter["schema"].get("description"),
            }
    if "requestBody" in operation:
        for status in ("400", "413", "415"):
            responses.setdefault(status, problem_response(status))
    responses.setdefault("422", problem_response("422"))
    if path not in OPERATIONS_PATHS:
        responses.setdefault(
            "429", problem_response("429", {"Retry-After": RETRY_AFTER, **RATE_LIMIT_HEADERS})
        )
    responses.setdefault("500", problem_response("500"))
    if path != "/health":
        responses["503"] = problem_response("503", {"Retry-After": RETRY_AFTER})


def head_of(get: dict[str, Any]) -> dict[str, Any]:
    head = copy.deepcopy(get)
    head["operationId"] = get["operationId"].removesuffix("_get") + "_head"
    head["summary"] = get.get("summary", "") + " (headers only)"
    head["description"] = "The same as GET, without a body."
    for response in head["responses"].values():
        response.pop("content", None)
    return head


def allow_selected_fields(operation: dict[str, Any]) -> None:
    """A list with `fields=` answers items holding only the named fields: its 200 is the full page or
    such a page (anyOf), so that the required fields of the full item are not promised then."""
    if not any(parameter.get("name") == "fields" for parameter in operation.get("parameters", [])):
        return
    content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
    if content is None or "schema" not in content:
        return
    selected = {
        "type": "object",
        "description": "With `fields`: each item has only the fields named.",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"type": "object"}}},
    }
    content["schema"] = {"anyOf": [content["schema"], selected]}


def contract(app: FastAPI, settings: Settings) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            describe_operation(path, method, operation, settings)
            allow_selected_fields(operation)
        if "get" in item and "head" not in item:
            item["head"] = head_of(item["get"])
    schema["components"]["schemas"].pop("HTTPValidationError", None)
    schema["components"]["schemas"].pop("ValidationError", None)
    app.openapi_schema = schema
    return schema


def install_contract(app: FastAPI, settings: Settings) -> None:
    app.openapi = lambda: contract(app, settings)  # type: ignore[method-assign]
