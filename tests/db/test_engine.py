"""What every connection of the project's engines carries, set at connect time."""

from __future__ import annotations

from sqlalchemy import text

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
