"""What every connection of the project's engines carries, set at connect time."""

from __future__ import annotations

import json

from sqlalchemy import JSON, text

from db.engine import make_engine


def test_every_execution_is_planned_for_its_values_without_jit(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, statement_timeout_ms=1500, lock_timeout_ms=700)
    try:
        with engine.connect() as connection:
            settings = {
                name: connection.execute(text("SELECT current_setting(:name)"), {"name": name}).scalar_one()
                for name in ("plan_cache_mode", "jit", "statement_timeout", "lock_timeout")
            }
    finally:
        engine.dispose()
    assert settings == {
        "plan_cache_mode": "force_custom_plan",  # no generic plan for skewed parameters
        "jit": "off",
        "statement_timeout": "1500ms",
        "lock_timeout": "700ms",
    }


def test_json_values_read_back_as_the_standard_library_parses_them(database_url: str) -> None:
    """The engine parses JSON in Rust (pydantic_core): the values must be those json.loads gives,
    for what event and article pages carry (names with escapes and non-ASCII, floats, nulls, big ids)."""
    engine = make_engine(database_url, pool_size=1)
    document = (
        '[[9007199254740993, "Café \\"Le Nord\\"", 34.516666, -69.183333, null, true],'
        ' {"quote": "Kabul\\nAfghanistan", "confidence": 0.1, "deaths": 1e2, "tab": "\\t\\u00e9"}]'
    )
    try:
        with engine.connect() as connection:
            for statement in ("SELECT CAST(:document AS json)", "SELECT CAST(:document AS jsonb)"):
                value = connection.execute(
                    text(statement).columns(parsed=JSON), {"document": document}
                ).scalar_one()
                assert value == json.loads(document), statement
                assert type(value[0][2]) is float and type(value[0][0]) is int
    finally:
        engine.dispose()
