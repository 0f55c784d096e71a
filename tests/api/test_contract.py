"""The OpenAPI document says what the service does: which operations need a key, which headers are
required, every status an operation can answer, HEAD where GET works, the cap on repeats."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.query_guard import MAX_REPEATS
from api.settings import Settings


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_reads_accept_a_key_and_writes_require_one(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, method, op in operations(spec):
        if path in ("/health", "/ready"):
            assert "security" not in op, (method, path)
        elif method in ("get", "head") or (method, path) == ("post", "/v1/reconcile"):
            assert op["security"] == [{}, {"HTTPBearer": []}], (method, path)
            assert "401" not in op["responses"], (method, path)
        else:
            assert op["security"] == [{"HTTPBearer": []}], (method, path)
            assert {"401", "403"} <= set(op["responses"]), (method, path)
            assert client.request(method.upper(), re.sub(r"\{\w+\}", "1", path)).status_code == 401


def test_with_keys_required_for_reads_the_reads_say_so(database_url: str) -> None:
    settings = Settings(database_url=database_url, annals_require_key_for_reads=True, _env_file=None)  # type: ignore[call-arg]
    spec = create_app(settings).openapi()
    assert spec["paths"]["/v1/events"]["get"]["security"] == [{"HTTPBearer": []}]
    assert {"401", "403"} <= set(spec["paths"]["/v1/events"]["get"]["responses"])


def test_every_status_the_middleware_can_answer_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, method, op in operations(spec):
        statuses = set(op["responses"])
        assert {"422", "500"} <= statuses, (method, path)
        if path != "/health":
            assert "503" in statuses and "Retry-After" in op["responses"]["503"]["headers"], (method, path)
        if path not in ("/health", "/ready"):
            assert "Retry-After" in op["responses"]["429"]["headers"], (method, path)
        if "requestBody" in op:
            assert {"400", "413", "415"} <= statuses, (method, path)
        for status, response in op["responses"].items():
            if status[0] in "45" and method != "head":
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, status)


def test_if_match_is_a_required_header(client: TestClient) -> None:
    patch = client.get("/openapi.json").json()["paths"]["/v1/events/{event_id}"]["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"].lower() == "if-match")
    assert if_match["required"] is True
    assert "428" in patch["responses"] and "412" in patch["responses"]


def test_repeatable_parameters_document_their_cap(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    arrays = [
        parameter
        for _, _, op in operations(spec)
        for parameter in op.get("parameters", [])
        if parameter.get("schema", {}).get("type") == "array"
    ]
    assert arrays
    assert all(parameter["schema"]["maxItems"] == MAX_REPEATS for parameter in arrays)


def test_a_405_lists_every_method_of_the_path(client: TestClient) -> None:
    response = client.delete("/v1/events/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, PATCH"


def test_the_examples_of_a_list_make_a_request_it_accepts(client: TestClient) -> None:
    """Each example of a parameter, with the first example of every other one (what a reader or a
    tool fills in from the docs), is a request the operation answers: examples that contradict each
    other, or an example of another list's fields, would document a 422."""
    spec = client.get("/openapi.json").json()
    for path, method, op in operations(spec):
        if method != "get" or "{" in path:
            continue
        examples = {
            p["name"]: p["schema"]["examples"]
            for p in op.get("parameters", [])
            if p["in"] == "query" and p.get("schema", {}).get("examples")
        }
        if any(p["required"] and p["name"] not in examples for p in op.get("parameters", [])):
            continue  # a tool makes up the required value; the docs do not give one
        first = {name: values[0] for name, values in examples.items()}
        for name, values in examples.items():
            for value in values:
                response = client.get(path, params={**first, name: value})
                assert response.status_code == 200, (path, name, value, response.text)
