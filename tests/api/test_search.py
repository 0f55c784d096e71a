import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import TRT_2021, TRT_AFP_2021, WAPO_2016, add_article


def external_ids(body: dict) -> list[str]:
    return [item["external_id"] for item in body["items"]]


def test_search_finds_panjwai_in_the_third_seed_with_a_highlighted_snippet(client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "Panjwai"})
    assert response.status_code == 200
    body = response.json()
    assert external_ids(body) == [TRT_2021]
    assert "<mark>Panjwai</mark>" in body["items"][0]["snippet"]
    assert body["total"] == {"value": 1, "relation": "eq"}
    assert body["next_cursor"] is None


def test_search_exclusion_leaves_only_the_first_seed(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "Taliban -Tajikistan"}).json()
    assert external_ids(body) == [WAPO_2016]


def test_search_phrase_and_or(client: TestClient) -> None:
    assert external_ids(client.get("/v1/search", params={"q": '"Bagram Air Base"'}).json()) == [TRT_2021]
    both = client.get("/v1/search", params={"q": "Khanashin OR Nawa", "sort": "oldest"}).json()
    assert external_ids(both) == [WAPO_2016, TRT_AFP_2021]


def test_search_filters_by_date_and_source(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "Taliban", "from": "2021-07-05", "to": "2021-12-31"}).json()
    assert external_ids(body) == [TRT_AFP_2021]
    body = client.get("/v1/search", params={"q": "Taliban", "source": "the washington post"}).json()
    assert external_ids(body) == [WAPO_2016]


def test_search_sorts_newest_and_oldest(client: TestClient) -> None:
    newest = client.get("/v1/search", params={"q": "Taliban", "sort": "newest"}).json()
    assert external_ids(newest) == [TRT_AFP_2021, TRT_2021, WAPO_2016]
    oldest = client.get("/v1/search", params={"q": "Taliban", "sort": "oldest"}).json()
    assert external_ids(oldest) == [WAPO_2016, TRT_2021, TRT_AFP_2021]


def test_search_relevance_puts_the_title_match_first(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "Tajikistan"}).json()
    assert external_ids(body)[0] == TRT_2021
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_search_cursor_pages_through_every_match_once(client: TestClient, session: Session) -> None:
    for n in range(5):
        add_article(
            session,
            text=f"Curfew declared in Kandahar city, report number {n}.",
            title=f"Curfew {n}",
            published_at=dt.datetime(2020, 1, 1 + n, tzinfo=dt.UTC),
        )
    for sort in ("relevance", "newest", "oldest"):
        seen: list[int] = []
        cursor = None
        while True:
            params = {"q": "curfew", "limit": 2, "sort": sort}
            if cursor:
                params["cursor"] = cursor
            body = client.get("/v1/search", params=params).json()
            seen.extend(item["article_id"] for item in body["items"])
            # counted with the page on the first, without the cursor's narrowing on the later ones
            assert body["total"] == {"value": 5, "relation": "eq"}, (sort, cursor)
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 5 and len(set(seen)) == 5, sort


def test_search_undated_articles_come_last_when_newest_first(client: TestClient, session: Session) -> None:
    undated = add_article(session, text="Curfew lifted in Herat.", published_at=None)
    dated = add_article(session, text="Curfew imposed in Herat.")
    body = client.get("/v1/search", params={"q": "curfew Herat", "sort": "newest", "limit": 1}).json()
    assert [item["article_id"] for item in body["items"]] == [dated.article_id]
    body = client.get(
        "/v1/search", params={"q": "curfew Herat", "sort": "newest", "cursor": body["next_cursor"]}
    ).json()
    assert [item["article_id"] for item in body["items"]] == [undated.article_id]


def test_search_without_q_browses_newest_first(client: TestClient) -> None:
    body = client.get("/v1/search").json()
    assert external_ids(body) == [TRT_AFP_2021, TRT_2021, WAPO_2016]


def test_search_escapes_html_in_snippets(client: TestClient, session: Session) -> None:
    add_article(session, text="Protesters carried <script>alert(1)</script> banners & flags in Kabul.")
    snippet = client.get("/v1/search", params={"q": "banners"}).json()["items"][0]["snippet"]
    assert "<script>" not in snippet
    assert "<mark>banners</mark> &amp; flags" in snippet


def test_search_rejects_bad_parameters_naming_them(client: TestClient) -> None:
    cases = {
        "limit": {"limit": 0},
        "sort": {"q": "x", "sort": "random"},
        "from": {"from": "yesterday"},
        "cursor": {"cursor": "not-a-cursor"},
    }
    for name, params in cases.items():
        response = client.get("/v1/search", params=params)
        assert response.status_code == 422, name
        assert response.headers["content-type"] == "application/problem+json"
        assert ["query", name] in [error["loc"] for error in response.json()["errors"]], name


def test_search_rejects_an_inverted_range_and_a_cursor_from_another_sort(client: TestClient) -> None:
    response = client.get("/v1/search", params={"from": "2021-01-02", "to": "2021-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "from"]
    first = client.get("/v1/search", params={"q": "Taliban", "limit": 1}).json()
    response = client.get(
        "/v1/search", params={"q": "Taliban", "sort": "oldest", "cursor": first["next_cursor"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_search_relevance_without_q_is_rejected(client: TestClient) -> None:
    response = client.get("/v1/search", params={"sort": "relevance"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "sort"]


def test_search_stopword_only_query_matches_nothing(client: TestClient) -> None:
    body = client.get("/v1/search", params={"q": "the"}).json()
    assert body["items"] == []
    assert body["total"] == {"value": 0, "relation": "eq"}


def test_extreme_dates_and_nul_characters_are_answered_not_crashed(client: TestClient) -> None:
    assert client.get("/v1/search", params={"q": "Taliban", "to": "9999-12-31"}).status_code == 200
    assert client.get("/v1/search", params={"from": "0001-01-01"}).status_code == 200
    for name in ("q", "source", "entity"):
        response = client.get("/v1/search", params={name: "Tali\x00ban"})
        assert response.status_code == 422, name
        assert response.json()["errors"][0]["loc"] == ["query", name]
