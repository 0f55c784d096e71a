"""RFC 9457 problem details for every error, with a stable `type` per kind of error."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://annals.dev/problems/"


class Problem(BaseModel):
    type: str = Field(
        description="A stable URI naming the kind of error.", examples=[TYPE_BASE + "not-found"]
    )
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No article with id 42."])
    instance: str = Field(description="The request path.", examples=["/v1/articles/42"])
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="For 422: FastAPI's validation errors, `loc` naming the parameter."
    )


class ApiError(Exception):
    status = 500
    slug = "internal-error"
    title = "Internal server error"

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class NotFound(ApiError):
    status = 404
    slug = "not-found"
    title = "Not found"


class InvalidParameter(ApiError):
    """A parameter that parses but cannot be used (a cursor from another query, an inverted range)."""

    status = 422
    slug = "invalid-parameter"
    title = "Invalid parameter"

    def __init__(self, parameter: str, detail: str, location: str = "query") -> None:
        super().__init__(detail)
        self.loc = [location, *parameter.split(".")]


class Unauthorized(ApiError):
    status = 401
    slug = "unauthorized"
    title = "Missing or invalid API key"


class Forbidden(ApiError):
    status = 403
    slug = "forbidden"
    title = "API key lacks the scope"


class PreconditionFailed(ApiError):
    status = 412
    slug = "precondition-failed"
    title = "The resource changed since it was read"


class PreconditionRequired(ApiError):
    status = 428
    slug = "precondition-required"
    title = "If-Match required"


class NotReady(ApiError):
    status = 503
    slug = "not-ready"
    title = "Service not ready"


def problem(request: Request, status: int, slug: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(jsonable_encoder(body), status_code=status, media_type=PROBLEM_JSON)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting problem+json answers with their real schema."""
    descriptions = {
        400: "The body is not JSON",
        401: "Missing or invalid API key",
        403: "The key lacks the scope",
        404: "Not found",
        412: "If-Match does not match the current ETag",
        422: "A parameter is invalid; `errors[].loc` names it",
        413: "The body is larger than the limit",
        415: "The body is not JSON",
        428: "If-Match is required",
        429: "Too many requests; see Retry-After",
        500: "Unexpected error",
        503: "Database unavailable, a timeout, or not ready; see Retry-After",
    }
    return {
        status: {"model": Problem, "description": descriptions[status], "content": {PROBLEM_JSON: {}}}
        for status in statuses
    }


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path (an event's GET and PATCH are two routes)."""
    methods = [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.routes
        )
    ]
    return sorted([*methods, "HEAD"] if "GET" in methods else methods)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        extra: dict[str, Any] = {}
        if isinstance(error, InvalidParameter):
            # a list index is an int; any other part a name, even one of digits int() cannot read ('³')
            loc = [int(part) if part.isascii() and part.isdigit() else part for part in error.loc]
            extra["errors"] = [{"loc": loc, "msg": error.detail, "type": "value_error"}]
        response = problem(request, error.status, error.slug, error.title, error.detail, **extra)
        response.headers.update(error.headers or {})
        if error.status == 503:
            response.headers.setdefault("Retry-After", "5")
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in item.items() if k in {"loc", "msg", "type"}} for item in error.errors()]
        if any(item["type"] == "json_invalid" for item in errors):
            return problem(
                request, 400, "malformed-json", "Malformed JSON", "The body is not valid JSON.", errors=errors
            )
        names = ", ".join(".".join(str(part) for part in item["loc"]) for item in errors)
        return problem(
            request, 422, "validation-error", "Invalid request", f"Invalid: {names}", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        title = {404: "Not found", 405: "Method not allowed"}.get(error.status_code, "HTTP error")
        response = problem(request, error.status_code, slug, title, str(error.detail))
        response.headers.update(error.headers or {})
        if error.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(
            request, 500, "internal-error", "Internal server error", "An unexpected error occurred."
        )
