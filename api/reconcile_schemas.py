"""The reconciliation batch (Reconciliation Service API 0.2) as the service reads it: the models that
check a batch, and their JSON Schema for the docs of `queries` and of the posted body."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from api.entity_schemas import EntityType

MAX_QUERIES = 50
MAX_CANDIDATES = 25
DEFAULT_CANDIDATES = 5


class PropertyValue(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    pid: str = Field(description="`country`, `admin1` or `kind`; other properties are ignored.")
    v: Any = Field(description="A value, an entity `{id, name}`, or a list of them.")


class Query(BaseModel):
    """One query of a batch; null is the same as leaving a field out, other fields are ignored."""

    model_config = ConfigDict(extra="allow", strict=True)

    query: str | None = Field(default=None, description="The name; without one, no candidates.")
    type: EntityType | list[EntityType] | None = Field(default=None, description="Only these types.")
    limit: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description=f"How many candidates, 1 to {MAX_CANDIDATES}; default {DEFAULT_CANDIDATES}.",
    )
    properties: list[PropertyValue] | None = None


Batch = TypeAdapter(Annotated[dict[str, Query], Field(max_length=MAX_QUERIES)])


def inlined(schema: Any, definitions: dict[str, Any]) -> Any:
    """The schema with its `$defs` references replaced by what they name (it stands alone in a
    parameter or a body, outside `components`), and without `default: null` (the docs leave nulls out)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return inlined(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {
            key: inlined(value, definitions)
            for key, value in schema.items()
            if key != "$defs" and not (key == "default" and value is None)  # as the docs serve it
        }
    if isinstance(schema, list):
        return [inlined(value, definitions) for value in schema]
    return schema


def batch_schema() -> dict[str, Any]:
    schema = Batch.json_schema()
    batch: dict[str, Any] = inlined(schema, schema.get("$defs", {}))
    batch["examples"] = [
        {"q0": {"query": "Stoltenburg", "type": "person", "limit": 3}, "q1": {"query": "Panjwaii district"}}
    ]
    return batch


QUERIES = (
    'A JSON object of queries: `{"q0": {"query": "Stoltenburg", "type": "person", "limit": 3, '
    '"properties": [{"pid": "country", "v": "AF"}]}}`. Without it, the service manifest.'
)
QUERIES_PARAMETER = {
    "name": "queries",
    "in": "query",
    "required": False,
    "description": QUERIES
    + " At most 4,000 characters in a URL (each may take 12 bytes encoded): post larger "
    f"batches. At most {MAX_QUERIES} queries.",
    "content": {"application/json": {"schema": batch_schema()}},
}
POSTED_QUERIES = {
    "required": True,
    "description": "`queries=<the batch as JSON>` form-encoded (as OpenRefine sends it), or the batch as "
    "JSON.",
    "content": {
        "application/json": {"schema": batch_schema()},
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "required": ["queries"],
                "properties": {
                    "queries": {
                        "type": "string",
                        "pattern": r"^[ \t\n\r]*\{",  # a JSON object; its content is only annotated
                        "contentMediaType": "application/json",
                        "contentSchema": batch_schema(),
                    }
                },
            }
        },
    },
}
