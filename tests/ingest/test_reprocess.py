import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

import ingest.reprocess
from db.models import Article, Event, EventEvidence, Mention
from ingest.extract import EXTRACTOR_VERSION
from ingest.reprocess import reprocess_articles
from tests.factories import TRT_2021, WAPO_2016, seed_article_id


def derived_rows(session: Session, article_id: int) -> tuple[int, list[tuple[str, str]]]:
    mentions = session.scalar(select(func.count()).where(Mention.article_id == article_id)) or 0
    events = session.execute(
        select(Event.event_type, EventEvidence.quote)
        .join(EventEvidence, EventEvidence.event_id == Event.event_id)
        .where(EventEvidence.article_id == article_id)
        .order_by(EventEvidence.sentence_start, Event.event_type)
    ).all()
    return mentions, [tuple(row) for row in events]


def test_reprocess_redoes_outdated_articles_only_and_reproduces_their_rows(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        article_id = seed_article_id(session, TRT_2021)
        before = derived_rows(session, article_id)
        session.execute(update(Article).where(Article.article_id == article_id).values(pipeline_version=0))
    report = reprocess_articles(sessions)
    assert report.reprocessed == 1
    with sessions() as session:
        assert session.get(Article, article_id).pipeline_version == EXTRACTOR_VERSION  # type: ignore[union-attr]
        assert derived_rows(session, article_id) == before
    assert reprocess_articles(sessions).reprocessed == 0


def test_reprocess_keeps_curated_events(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        article_id = seed_article_id(session, WAPO_2016)
        rejected_id, verified_id = session.scalars(
            select(EventEvidence.event_id)
            .distinct()
            .where(EventEvidence.article_id == article_id)
            .order_by(EventEvidence.event_id)
            .limit(2)
        ).all()
        session.execute(update(Event).where(Event.event_id == rejected_id).values(status="rejected"))
        session.execute(
            update(Event).where(Event.event_id == verified_id).values(status="verified", summary="checked")
        )
        events_before = session.scalar(select(func.count()).select_from(Event))
    reprocess_articles(sessions, everything=True)
    with sessions() as session:
        rejected = session.get(Event, rejected_id)
        verified = session.get(Event, verified_id)
        assert rejected is not None and rejected.status == "rejected"
        assert verified is not None and verified.summary == "checked"
        assert session.scalar(select(func.count()).select_from(Event)) == events_before
        for event_id in (rejected_id, verified_id):
            assert session.scalar(select(func.count()).where(EventEvidence.event_id == event_id)) >= 1


def test_an_interrupted_reprocess_leaves_each_article_fully_old(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with sessions.begin() as session:
        ids = [seed_article_id(session, WAPO_2016), seed_article_id(session, TRT_2021)]
        before = [derived_rows(session, article_id) for article_id in ids]
        session.execute(update(Article).where(Article.article_id.in_(ids)).values(pipeline_version=0))
    calls = 0
    real_save = ingest.reprocess.replace_derived

    def failing_save(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("killed mid-batch")
        real_save(*args, **kwargs)

    monkeypatch.setattr(ingest.reprocess, "replace_derived", failing_save)
    with pytest.raises(RuntimeError, match="killed mid-batch"):
        reprocess_articles(sessions)
    with sessions() as session:
        assert [derived_rows(session, article_id) for article_id in ids] == before
        versions = session.scalars(select(Article.pipeline_version).where(Article.article_id.in_(ids)))
        assert set(versions) == {0}


def test_reprocess_keeps_event_ids_and_a_curator_s_corrections(sessions: sessionmaker[Session]) -> None:
    from db.curation import EventChanges, update_event
    from db.models import EventAudit, EventParticipant

    with sessions.begin() as session:
        article_id = seed_article_id(session, TRT_2021)
        ids_before = set(session.scalars(select(Event.event_id)))
        corrected_id = session.scalars(
            select(EventEvidence.event_id)
            .join(EventParticipant, EventParticipant.event_id == EventEvidence.event_id)
            .where(EventEvidence.article_id == article_id)
            .order_by(EventEvidence.event_id)
            .limit(1)
        ).one()
        changes = EventChanges(summary="corrected by hand", actors=[], set_fields={"summary"})
        event = update_event(session, corrected_id, changes, actor="curator", expected_revision=1)
        assert event is not None and event.status == "auto"
    reprocess_articles(sessions, everything=True)
    with sessions() as session:
        assert set(session.scalars(select(Event.event_id))) == ids_before
        corrected = session.get(Event, corrected_id)
        assert corrected is not None and corrected.summary == "corrected by hand"
        roles = session.scalars(
            select(EventParticipant.role).where(EventParticipant.event_id == corrected_id)
        )
        assert "actor" not in set(roles)
        assert session.scalar(select(func.count()).where(EventAudit.event_id == corrected_id)) == 1
