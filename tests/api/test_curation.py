from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.app import create_app
from api.deps import get_session
from api.settings import Settings
from db.api_keys import create_api_key
from db.models import Article, EventAudit
from tests.factories import add_article, add_entity, add_event


def bearer(session: Session, scope: str, name: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_api_key(session, name or f'test-{scope}', scope)}"}


def read_etag(client: TestClient, event_id: int) -> str:
    response = client.get(f"/v1/events/{event_id}")
    assert response.status_code == 200
    return response.headers["etag"]


def test_writes_need_a_key_and_the_write_scope(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    no_key = client.patch(f"/v1/events/{event.event_id}", json={"status": "verified"})
    assert no_key.status_code == 401
    assert no_key.headers["www-authenticate"].startswith("Bearer")
    assert no_key.headers["content-type"] == "application/problem+json"
    bad_key = client.patch(
        f"/v1/events/{event.event_id}", json={"status": "verified"}, headers={"Authorization": "Bearer nope"}
    )
    assert bad_key.status_code == 401
    read_only = client.patch(
        f"/v1/events/{event.event_id}", json={"status": "verified"}, headers=bearer(session, "read")
    )
    assert read_only.status_code == 403
    assert read_only.json()["type"] == "https://annals.dev/problems/forbidden"
    assert client.post("/v1/articles", json={"text": "x"}).status_code == 401
    assert client.post("/v1/events", json={}).status_code == 401


def test_verify_an_event_with_if_match_and_read_its_history(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    headers = bearer(session, "write", "curator-anna")
    etag = read_etag(client, event.event_id)
    response = client.patch(
        f"/v1/events/{event.event_id}", json={"status": "verified"}, headers={**headers, "If-Match": etag}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    assert response.headers["etag"] != etag
    assert response.headers["etag"] == read_etag(client, event.event_id)
    history = client.get(f"/v1/events/{event.event_id}/history").json()
    [entry] = history["items"]
    assert entry["actor"] == "curator-anna"
    assert entry["action"] == "verified"
    assert entry["before"]["status"] == "auto"
    assert entry["after"]["status"] == "verified"
    assert history["next_cursor"] is None


def test_a_stale_or_missing_if_match_writes_nothing(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    headers = bearer(session, "write")
    etag = read_etag(client, event.event_id)
    first = client.patch(
        f"/v1/events/{event.event_id}", json={"summary": "first"}, headers={**headers, "If-Match": etag}
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/v1/events/{event.event_id}", json={"summary": "second"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.json()["type"] == "https://annals.dev/problems/precondition-failed"
    missing = client.patch(f"/v1/events/{event.event_id}", json={"summary": "third"}, headers=headers)
    assert missing.status_code == 428
    assert client.get(f"/v1/events/{event.event_id}").json()["summary"] == "first"
    audits = session.scalar(select(func.count()).where(EventAudit.event_id == event.event_id))
    assert audits == 1


def test_correct_type_date_place_and_actors(client: TestClient, session: Session) -> None:
    article = add_article(session)
    event = add_event(session, article)
    place = add_entity(
        session,
        "Zarghun Shahr",
        "location",
        place_kind="city",
        country_code="AF",
        admin1="Paktika",
        latitude=32.85,
        longitude=68.44,
    )
    actor = add_entity(session, "Haqqani network", "organization")
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, event.event_id)}
    change = {
        "type": "attack",
        "date_start": "2020-01-03",
        "location_entity_id": place.entity_id,
        "actors": [actor.entity_id],
        "fatalities": 3,
        "fatalities_qualifier": "at_least",
    }
    body = client.patch(f"/v1/events/{event.event_id}", json=change, headers=headers).json()
    assert body["type"] == "attack"
    assert (body["date_start"], body["date_end"]) == ("2020-01-03", "2020-01-03")
    assert body["location"]["name"] == "Zarghun Shahr"
    assert (body["country_code"], body["admin1"]) == ("AF", "Paktika")
    assert [p["entity"]["name"] for p in body["participants"] if p["role"] == "actor"] == ["Haqqani network"]
    assert body["fatalities"] == 3


def test_bad_corrections_are_422_naming_the_field(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    person = add_entity(session, "Somebody Else", "person")
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, event.event_id)}
    cases = {
        "type": {"type": "picnic"},
        "location_entity_id": {"location_entity_id": person.entity_id},
        "actors": {"actors": [987654321]},
        "date_end": {"date_start": "2020-02-02", "date_end": "2020-01-01"},
        "colour": {"colour": "red"},
    }
    for field, change in cases.items():
        response = client.patch(f"/v1/events/{event.event_id}", json=change, headers=headers)
        assert response.status_code == 422, field
        assert field in response.json()["errors"][0]["loc"], field


def test_patch_unknown_event_is_404(client: TestClient, session: Session) -> None:
    headers = {**bearer(session, "write"), "If-Match": '"event-999999999-r1"'}
    assert (
        client.patch("/v1/events/999999999", json={"status": "verified"}, headers=headers).status_code == 404
    )


def test_rejected_events_leave_default_reads_but_are_kept(client: TestClient, session: Session) -> None:
    article = add_article(session, text="Gunmen attacked a checkpoint in Qalat on Monday.")
    place = add_entity(session, "Qalatberg", "location", country_code="ZZ")
    event = add_event(session, article, location=place)
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, event.event_id)}
    assert (
        client.patch(f"/v1/events/{event.event_id}", json={"status": "rejected"}, headers=headers).status_code
        == 200
    )
    assert client.get("/v1/events", params={"country": "ZZ"}).json()["items"] == []
    rejected = client.get("/v1/events", params={"country": "ZZ", "status": "rejected"}).json()["items"]
    assert [item["event_id"] for item in rejected] == [event.event_id]
    assert client.get(f"/v1/events/{event.event_id}").json()["status"] == "rejected"


def test_create_an_event_by_hand(client: TestClient, session: Session) -> None:
    article = add_article(session, text="Protesters marched in Bamyan on Friday. Police dispersed them.")
    place = add_entity(session, "Bamyanstan", "location", country_code="AF")
    new = {
        "type": "protest",
        "date_start": "2020-01-03",
        "location_entity_id": place.entity_id,
        "evidence": [{"article_id": article.article_id, "quote": "Protesters marched in Bamyan on Friday."}],
    }
    response = client.post("/v1/events", json=new, headers=bearer(session, "write", "curator-ben"))
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"/v1/events/{body['event_id']}"
    assert body["status"] == "verified"
    assert body["evidence"][0]["quote"] == "Protesters marched in Bamyan on Friday."
    assert body["evidence"][0]["sentence_start"] == 0
    history = client.get(f"/v1/events/{body['event_id']}/history").json()["items"]
    assert [(h["action"], h["actor"]) for h in history] == [("create", "curator-ben")]


def test_create_an_event_rejects_a_quote_not_in_the_article(client: TestClient, session: Session) -> None:
    article = add_article(session)
    new = {"type": "protest", "evidence": [{"article_id": article.article_id, "quote": "Never said."}]}
    response = client.post("/v1/events", json=new, headers=bearer(session, "write"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "evidence", 0, "quote"]
    missing_type = client.post(
        "/v1/events", json={"evidence": new["evidence"]}, headers=bearer(session, "admin")
    )
    assert missing_type.status_code == 422
    assert missing_type.json()["errors"][0]["loc"] == ["body", "type"]


def test_post_articles_runs_the_pipeline_and_is_idempotent(client: TestClient, session: Session) -> None:
    headers = bearer(session, "write")
    article = {
        "external_id": "wire-1",
        "source": "Test Wire",
        "published_at": "2022-03-01",
        "text": "Russian forces shelled Kharkiv on Monday, killing at least 11 civilians, officials said.",
    }
    first = client.post("/v1/articles", json=article, headers=headers)
    assert first.status_code == 201
    [item] = first.json()["items"]
    assert item["status"] == "created"
    stored = client.get(item["href"]).json()
    assert stored["external_id"] == "wire-1"
    assert stored["mentions"]
    again = client.post("/v1/articles", json=[article], headers=headers)
    assert again.status_code == 200
    assert again.json()["items"] == [{**item, "status": "already_present"}]
    assert again.json()["created"] == 0


def test_post_articles_validates_every_record(client: TestClient, session: Session) -> None:
    headers = bearer(session, "write")
    response = client.post("/v1/articles", json=[{"text": "fine"}, {"title": "no text"}], headers=headers)
    assert response.status_code == 422
    assert any(error["loc"][-1] == "text" for error in response.json()["errors"])
    assert session.scalar(select(func.count()).where(Article.title == "no text")) == 0


def test_reads_can_require_a_key(database_url: str, session: Session) -> None:
    settings = Settings(database_url=database_url, annals_require_key_for_reads=True, _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings)
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app) as keyed:
        for path in ("/v1/search?q=Taliban", "/v1/events", "/v1/entities?q=nato", "/v1/timeline"):
            assert keyed.get(path).status_code == 401, path
            assert keyed.get(path, headers=bearer(session, "read", f"reader {path}")).status_code == 200, path
        assert keyed.get("/health").status_code == 200


def test_explicit_nulls_for_required_fields_leave_them_unchanged(
    client: TestClient, session: Session
) -> None:
    article = add_article(session, text="Troops entered Kunduz on Friday.")
    evidence = [{"article_id": article.article_id, "quote": "Troops entered Kunduz on Friday."}]
    new = {
        "type": "deployment",
        "status": None,
        "date_precision": None,
        "summary": None,
        "evidence": evidence,
    }
    response = client.post("/v1/events", json=new, headers=bearer(session, "write"))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["date_precision"]) == ("verified", "unknown")
    assert body["summary"] == "Troops entered Kunduz on Friday."


def test_a_body_that_is_not_json_is_a_problem(client: TestClient, session: Session) -> None:
    response = client.post(
        "/v1/events",
        content=b"AV\xffh",
        headers={**bearer(session, "write"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_out_of_range_numbers_are_422(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, event.event_id)}
    for change, field in (
        ({"fatalities": 2**40}, "fatalities"),
        ({"actors": [2**63]}, "actors"),
        ({"location_entity_id": 2**63}, "location_entity_id"),
    ):
        response = client.patch(f"/v1/events/{event.event_id}", json=change, headers=headers)
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["loc"][1] == field


def test_new_evidence_changes_the_etag_but_not_the_revision(client: TestClient, session: Session) -> None:
    from db.models import EventEvidence

    event = add_event(session, add_article(session))
    etag = read_etag(client, event.event_id)
    later = add_article(session, text="A second report of the convoy being stopped.")
    session.add(EventEvidence(event_id=event.event_id, article_id=later.article_id, sentence_start=0,
                              sentence_end=len(later.text), quote=later.text))  # fmt: skip
    session.flush()
    fresh = client.get(f"/v1/events/{event.event_id}", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] != etag
    headers = {**bearer(session, "write"), "If-Match": etag}
    assert (
        client.patch(f"/v1/events/{event.event_id}", json={"status": "verified"}, headers=headers).status_code
        == 200
    )


def test_dates_must_stay_consistent(client: TestClient, session: Session) -> None:
    event = add_event(session, add_article(session))
    headers = {**bearer(session, "write"), "If-Match": read_etag(client, event.event_id)}
    for change in ({"date_start": None}, {"date_start": None, "date_precision": "month"}):
        response = client.patch(f"/v1/events/{event.event_id}", json=change, headers=headers)
        assert response.status_code == 422, change
        assert response.json()["errors"][0]["loc"] == ["body", "date_start"]
    undated = {"date_start": None, "date_end": None, "date_precision": "unknown"}
    assert client.patch(f"/v1/events/{event.event_id}", json=undated, headers=headers).status_code == 200
