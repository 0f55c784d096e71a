"""The reconciliation service, validated against the 0.2 specification's JSON Schemas."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator, Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.reconcile_schemas import batch_schema
from db.models import ENTITY_TYPES, Entity

SCHEMAS = Path(__file__).parent / "reconciliation_schemas"


def validate(instance: Any, schema_name: str) -> None:
    schemas = {path.name: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
    registry: Registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7))
        for schema in schemas.values()
    )
    Draft7Validator(schemas[schema_name], registry=registry).validate(instance)


def entity_id(session: Session, name: str) -> str:
    found = session.scalar(select(Entity.entity_id).where(Entity.name == name))
    assert found is not None, name
    return str(found)


def reconcile(client: TestClient, queries: dict[str, Any], method: str = "POST") -> dict[str, Any]:
    validate(queries, "reconciliation-query-batch.json")
    if method == "POST":  # as OpenRefine sends it: form-encoded
        response = client.post("/v1/reconcile", data={"queries": json.dumps(queries)})
    else:
        response = client.get("/v1/reconcile", params={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    validate(body, "reconciliation-result-batch.json")
    return body


def test_the_manifest_is_a_valid_0_2_manifest(client: TestClient) -> None:
    manifest = client.get("/v1/reconcile").json()
    validate(manifest, "manifest.json")
    assert manifest["versions"] == ["0.2"]
    assert manifest["view"]["url"] == "http://testserver/v1/entities/{{id}}"
    assert {t["id"] for t in manifest["defaultTypes"]} == {"person", "organization", "location", "group"}
    with pytest.raises(
        ValidationError, match="does not match"
    ):  # the schemas are strict enough to catch a broken manifest
        validate({**manifest, "preview": {"url": "no-id-template", "width": 1, "height": 1}}, "manifest.json")


def test_an_analysts_spellings_match_the_right_entities(client: TestClient, session: Session) -> None:
    queries = {
        "q0": {"query": "Stoltenburg"},
        "q1": {"query": "Jens Stoltenberg (NATO)", "type": "person"},
        "q2": {
            "query": "Panjwaii district",
            "type": "location",
            "properties": [{"pid": "country", "v": "AF"}],
        },
        "q3": {"query": "taliban", "type": ["organization", "group"], "limit": 1},
        "q4": {"query": "Khanashin District, Helmand"},
        "q5": {"query": "Ashraf Ghani"},
        "q6": {"query": "Zanzibar Liberation Brigade"},
    }
    results = reconcile(client, queries)
    expected = {
        "q0": "Jens Stoltenberg",
        "q1": "Jens Stoltenberg",
        "q2": "Panjwai",
        "q3": "Taliban",
        "q5": "Ashraf Ghani",
    }
    for key, name in expected.items():
        top = results[key]["result"][0]
        assert (top["id"], top["name"], top["match"]) == (entity_id(session, name), name, True), key
    assert results["q5"]["result"][0]["score"] == 100
    assert results["q0"]["result"][0]["score"] < 100
    assert len(results["q3"]["result"]) == 1
    assert results["q2"]["result"][0]["type"] == [{"id": "location", "name": "Location"}]
    assert {"id": "country", "value": True} in results["q2"]["result"][0]["features"]
    assert all(not candidate["match"] for candidate in results["q6"]["result"])


def test_types_and_properties_constrain_the_candidates(client: TestClient, session: Session) -> None:
    results = reconcile(
        client,
        {
            "as_person": {"query": "Taliban", "type": "person"},
            "wrong_country": {"query": "Kandahar", "properties": [{"pid": "country", "v": "Pakistan"}]},
            "right_country": {
                "query": "Kandahar",
                "properties": [{"pid": "country", "v": {"id": "AF", "name": "AF"}}],
            },
        },
        method="GET",
    )
    assert all(candidate["name"] != "Taliban" for candidate in results["as_person"]["result"])
    [wrong] = results["wrong_country"]["result"]
    [right] = results["right_country"]["result"]
    assert wrong["id"] == right["id"] == entity_id(session, "Kandahar")
    assert wrong["score"] < right["score"] and not wrong["match"] and right["match"]


def test_bad_batches_are_422s(client: TestClient) -> None:
    assert client.get("/v1/reconcile", params={"queries": "{not json"}).status_code == 422
    unknown_type = client.get("/v1/reconcile", params={"queries": '{"q0": {"query": "x", "type": "ship"}}'})
    assert unknown_type.status_code == 422
    assert unknown_type.json()["errors"][0]["loc"] == ["query", "queries"]
    assert unknown_type.json()["detail"].startswith("q0.type: ")


def test_the_docs_state_the_batch_the_service_reads(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for method in ("get", "head"):
        [queries] = [p for p in paths["/v1/reconcile"][method]["parameters"] if p["name"] == "queries"]
        assert queries["in"] == "query" and "schema" not in queries
        assert queries["content"]["application/json"]["schema"] == batch_schema()
    body = paths["/v1/reconcile"]["post"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == batch_schema()
    form = body["content"]["application/x-www-form-urlencoded"]["schema"]
    assert form["required"] == ["queries"]
    assert form["properties"]["queries"]["pattern"] == r"^[ \t\n\r]*\{"
    assert form["properties"]["queries"]["contentMediaType"] == "application/json"
    assert form["properties"]["queries"]["contentSchema"] == batch_schema()
    batch = batch_schema()
    assert batch["maxProperties"] == 50
    query = batch["additionalProperties"]
    assert query["properties"]["type"]["anyOf"][0]["enum"] == list(ENTITY_TYPES)
    assert query["properties"]["properties"]["anyOf"][0]["items"]["required"] == ["pid", "v"]


@pytest.mark.parametrize(
    "query",
    [
        {"query": "Taliban"},
        {"query": "Taliban", "type": ["organization", "group"], "limit": 2.5, "type_strict": "any"},
        {"query": "Kandahar", "properties": [{"pid": "country", "v": ["AF"]}, {"pid": "colour", "v": 1}]},
        {"query": None, "type": None, "limit": None, "properties": None},
        {"query": "Taliban", "type": "ship"},
        {"query": "Taliban", "type": 5},
        {"query": "Taliban", "type": ["organization", 3]},
        {"query": "Taliban", "limit": "3"},
        {"query": "Taliban", "limit": True},
        {"query": "Taliban", "properties": 5},
        {"query": "Taliban", "properties": [{"pid": "country"}]},
        {"query": 5},
    ],
)
def test_the_service_accepts_exactly_the_batches_the_docs_allow(
    client: TestClient, query: dict[str, Any]
) -> None:
    allowed = Draft202012Validator(batch_schema()).is_valid({"q0": query})
    raw = json.dumps({"q0": query})
    for response in (
        client.get("/v1/reconcile", params={"queries": raw}),
        client.post("/v1/reconcile", data={"queries": raw}),
        client.post("/v1/reconcile", content=raw, headers={"Content-Type": "application/json"}),
    ):
        assert response.status_code == (200 if allowed else 422), (query, response.text)


@pytest.mark.parametrize("queries", ["", "[]", " 5", "\ufeff{}", 'x{"q0": {"query": "Taliban"}}'])
def test_a_form_posts_a_json_object_as_the_docs_say(client: TestClient, queries: str) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    form = paths["/v1/reconcile"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert re.search(form["schema"]["properties"]["queries"]["pattern"], queries) is None
    assert client.post("/v1/reconcile", data={"queries": queries}).status_code == 422
    assert (
        client.post("/v1/reconcile", data={"queries": ' \n{"q0": {"query": "Taliban"}}'}).status_code == 200
    )


def test_a_batch_holds_at_most_50_queries_and_needs_a_body_when_posted(client: TestClient) -> None:
    batch = {f"q{i}": {"query": "Taliban"} for i in range(51)}
    assert not Draft202012Validator(batch_schema()).is_valid(batch)
    assert client.post("/v1/reconcile", json=batch).status_code == 422
    assert client.post("/v1/reconcile", json=dict(list(batch.items())[:50])).status_code == 200
    assert client.post("/v1/reconcile").status_code == 422
    infinite = client.get("/v1/reconcile", params={"queries": '{"q0": {"query": "x", "limit": 1e999}}'})
    assert infinite.status_code == 422


def test_suggest_and_preview(client: TestClient, session: Session) -> None:
    entities = client.get("/v1/reconcile/suggest/entity", params={"prefix": "stolt"}).json()
    validate(entities, "suggest-entities-response.json")
    assert entities["result"][0]["id"] == entity_id(session, "Jens Stoltenberg")
    types = client.get("/v1/reconcile/suggest/type", params={"prefix": "loc"}).json()
    validate(types, "suggest-types-response.json")
    assert types["result"] == [{"id": "location", "name": "Location"}]
    properties = client.get("/v1/reconcile/suggest/property", params={"prefix": "c"}).json()
    validate(properties, "suggest-properties-response.json")
    assert [p["id"] for p in properties["result"]] == ["country"]
    preview = client.get("/v1/reconcile/preview", params={"id": entity_id(session, "Panjwai")})
    assert preview.headers["content-type"].startswith("text/html")
    assert "<strong>Panjwai</strong>" in preview.text and "Kandahar" in preview.text
    assert client.get("/v1/reconcile/preview", params={"id": "999999"}).status_code == 404
