"""No SQL is built by string formatting in the shipped code: every value reaches PostgreSQL as a bound
parameter. (The tests and bench scripts create throwaway databases by name, which DDL cannot bind.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("api", "db", "ingest", "alembic")
SQL_CALLS = r"\b(?:text|literal_column|exec_driver_sql|execute|executescript)\(\s*"
FORMATTED = re.compile(
    SQL_CALLS + r"(?:[rRbB]?[fF][rRbB]?[\"']"  # an f-string
    r"|(?:(?:\"[^\"\n]*\"|'[^'\n]*')\s*)+(?:%|\.format\(|\+))"  # "…" % x, "…".format(x), "…" + x
)


def formatted_sql(source: str) -> list[str]:
    return [match.group(0) for match in FORMATTED.finditer(source)]


def test_the_check_catches_each_kind_of_formatting() -> None:
    samples = [
        "session.execute(text(f\"SELECT * FROM article WHERE title = '{title}'\"))",
        'session.execute(text("SELECT * FROM article WHERE article_id = %s" % article_id))',
        "connection.exec_driver_sql('DELETE FROM event WHERE event_id = {}'.format(event_id))",
        'select(literal_column("interval \'1 " + unit + "\'"))',
        "session.execute(\n    text(\n        f'SELECT {column} FROM entity'\n    )\n)",
    ]
    assert [len(formatted_sql(sample)) for sample in samples] == [1] * len(samples)
    bound = 'session.execute(text("SELECT 1 WHERE :id = 1"), {"id": 3}); literal_column("1")'
    assert formatted_sql(bound) == []


def test_no_sql_is_built_by_string_formatting() -> None:
    found = {
        str(path.relative_to(ROOT)): hits
        for package in SHIPPED
        for path in sorted((ROOT / package).rglob("*.py"))
        if (hits := formatted_sql(path.read_text(encoding="utf-8")))
    }
    assert found == {}
