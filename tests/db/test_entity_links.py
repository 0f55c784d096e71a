"""Entities linked across articles, loaded through the real pipeline in both orders."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.entity_links import LinkDecision, acronym, decide_link, initials, same_words
from db.models import Entity, EntityAlias, EntityLink, Mention
from db.names import name_key
from ingest.load import load_records
from ingest.records import ArticleRecord
from tests.factories import add_entity


def load(sessions: sessionmaker[Session], *texts: str) -> None:
    """Each text an article of its own, loaded in the order given."""
    for day, text in enumerate(texts, start=1):
        record = ArticleRecord(
            text=text, source="Test Wire", published_at=dt.datetime(1987, 3, day, tzinfo=dt.UTC)
        )
        report = load_records(sessions, [record])
        assert len(report.created) == 1, text


def entities_named(session: Session, *names: str) -> dict[str, Entity]:
    """The entities known by any of these names or aliases, by entity name."""
    keys = [name_key(name) for name in names]
    rows = session.scalars(
        select(Entity)
        .join(EntityAlias, EntityAlias.entity_id == Entity.entity_id)
        .where(EntityAlias.alias_key.in_(keys))
    )
    return {entity.name: entity for entity in rows}


def aliases_of(session: Session, entity: Entity) -> set[str]:
    return set(session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == entity.entity_id)))


def links_of(session: Session, entity: Entity) -> list[tuple[str, str, str]]:
    rows = session.execute(
        select(EntityLink.name, EntityLink.reason, EntityLink.matched)
        .where(EntityLink.entity_id == entity.entity_id)
        .order_by(EntityLink.entity_link_id)
    )
    return [(name, reason, matched) for name, reason, matched in rows]


FULL_NAME = "Finance Minister Margaret Okonkwo said on Monday that the budget would be cut by a tenth."
SURNAME_ONLY = "Mrs Okonkwo told reporters in Lagos that the cuts would spare schools and hospitals."


def test_a_surname_loaded_after_the_full_name_joins_it(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(sessions, FULL_NAME, SURNAME_ONLY)
    found = entities_named(session, "Okonkwo", "Margaret Okonkwo")
    assert list(found) == ["Margaret Okonkwo"]
    okonkwo = found["Margaret Okonkwo"]
    assert aliases_of(session, okonkwo) == {"Margaret Okonkwo", "Okonkwo"}
    assert links_of(session, okonkwo) == [("Okonkwo", "surname", "Margaret Okonkwo")]
    assert session.scalar(select(Entity.mention_count).where(Entity.entity_id == okonkwo.entity_id)) == 2


def test_a_full_name_loaded_after_the_surname_takes_it_over(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(sessions, SURNAME_ONLY, FULL_NAME)
    found = entities_named(session, "Okonkwo", "Margaret Okonkwo")
    assert list(found) == ["Margaret Okonkwo"]
    okonkwo = found["Margaret Okonkwo"]
    assert okonkwo.name_key == "margaret okonkwo"
    assert links_of(session, okonkwo) == [("Margaret Okonkwo", "full_name", "Okonkwo")]


def test_a_surname_two_people_share_links_to_neither(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Opposition leader Tomas Lindqvist said on Tuesday he would vote against the bill.",
        "His cousin Erik Lindqvist, a banker, said the bill would hurt exporters.",
        "Mr Lindqvist said the vote would be close.",
        "Later, Tomas Lindqvist met union leaders.",
    )
    found = entities_named(session, "Lindqvist", "Tomas Lindqvist", "Erik Lindqvist")
    assert set(found) == {"Tomas Lindqvist", "Erik Lindqvist", "Lindqvist"}
    assert "Lindqvist" not in aliases_of(session, found["Tomas Lindqvist"])
    assert links_of(session, found["Lindqvist"]) == []
    assert links_of(session, found["Tomas Lindqvist"]) == []  # the later full name is its own name


def test_a_full_name_does_not_take_over_a_surname_another_full_name_has(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Mr Hartley told the committee the plan was sound.",
        "Treasury official Susan Hartley said rates would stay where they are.",
        "Trade envoy Colin Hartley arrived in Tokyo on Friday.",
    )
    found = entities_named(session, "Hartley", "Susan Hartley", "Colin Hartley")
    assert set(found) == {"Susan Hartley", "Colin Hartley"}  # the one-word entity became Susan Hartley
    assert links_of(session, found["Colin Hartley"]) == []


def test_an_acronym_joins_the_expansion_an_article_gave_it_in_either_order(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Trans World Airlines (TWA) said its March traffic rose 12 pct from a year earlier.",
        "TWA said it would add flights to Rome and Athens in the summer.",
        "Trans World Airlines Inc shares rose 1/4 to 28-1/2.",
    )
    found = entities_named(session, "TWA", "Trans World Airlines", "Trans World Airlines Inc")
    assert list(found) == ["Trans World Airlines"]
    assert [reason for _, reason, _ in links_of(session, found["Trans World Airlines"])] == [
        "alias",
        "legal_form",
    ]

    load(
        sessions,
        "PGH said on Tuesday that its grain terminal in Tacoma would close for a week.",
        "Pacific Grain Handlers (PGH) said on Monday that its profits doubled.",
        "Pacific Grain Handlers Ltd named a new chairman on Thursday.",
    )
    found = entities_named(session, "PGH", "Pacific Grain Handlers", "Pacific Grain Handlers Ltd")
    assert len({entity.entity_id for entity in found.values()}) == 1


def test_initials_alone_link_no_acronym(sessions: sessionmaker[Session], session: Session) -> None:
    load(
        sessions,
        "Central Bancshares of the South Inc said it completed its acquisition of a Florida bank.",
        "Writers struck the news staff of CBS on Monday after talks broke down.",
    )
    found = entities_named(session, "CBS", "Central Bancshares of the South Inc")
    assert len({entity.entity_id for entity in found.values()}) == 2


def test_spellings_of_one_expansion_join_through_its_acronym(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Ministers of the Organization of Petroleum Exporting Countries (OPEC) meet in Vienna on Monday.",
        "The Organisation of Petroleum Exporting Countries (OPEC) said its output ceiling would hold.",
        "OPEC oil ministers will review prices in June.",
        "Delegates said the Organisation of Petroleum Exporting Countries was united on prices.",
    )
    found = entities_named(
        session,
        "OPEC",
        "Organization of Petroleum Exporting Countries",
        "Organisation of Petroleum Exporting Countries",
    )
    assert len({entity.entity_id for entity in found.values()}) == 1
    opec = next(iter(found.values()))
    assert {reason for _, reason, _ in links_of(session, opec)} <= {"acronym", "alias", "expansion"}
    assert len(links_of(session, opec)) == 3


def test_two_letter_initials_link_only_as_a_stated_alias(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Shares of Brixton Aerospace fell after the company cut its forecast.",
        "BA said the strike had grounded half its fleet.",
    )
    found = entities_named(session, "BA", "Brixton Aerospace")
    assert set(found) == {"Brixton Aerospace", "BA"}


def test_a_generic_noun_is_no_alias_and_links_no_police_forces(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Taliban fighters attacked Afghan army and police personnel in Ghazni on Monday, killing four.",
        "In Madrid, police arrested three men suspected of robbing a bank on Tuesday.",
    )
    afghan = entities_named(session, "Afghan police")
    assert list(afghan) == ["Afghan police"]
    assert "police" not in aliases_of(session, afghan["Afghan police"])
    madrid_police = session.scalars(
        select(Entity)
        .join(Mention, Mention.entity_id == Entity.entity_id)
        .where(Mention.text == "police", Entity.entity_id != afghan["Afghan police"].entity_id)
    ).all()
    assert all(entity.name_key == "police" for entity in madrid_police)


def test_a_surname_inside_a_company_name_is_the_company(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Senate leader Howard Baker said on Monday the President would veto the bill.",
        "Baker International Corp said its first quarter net income rose. Baker said demand recovered.",
    )
    baker = entities_named(session, "Howard Baker")["Howard Baker"]
    assert session.scalar(select(Entity.mention_count).where(Entity.entity_id == baker.entity_id)) == 1
    company = entities_named(session, "Baker International Corp")["Baker International Corp"]
    assert "Baker" in aliases_of(session, company)


def test_the_soviet_union_by_any_of_its_names_is_one_country(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "The Soviet Union said on Monday it would cut grain imports.",
        "The USSR bought two million tonnes of wheat, traders said.",
        "The Soviets are expected to buy more maize this year.",
    )
    found = entities_named(session, "Soviet Union", "USSR", "Soviets")
    assert list(found) == ["Soviet Union"]
    assert found["Soviet Union"].entity_type == "location"


def test_reprocessing_replaces_an_articles_links(sessions: sessionmaker[Session], session: Session) -> None:
    from ingest.reprocess import reprocess_articles

    load(sessions, FULL_NAME, SURNAME_ONLY)
    okonkwo = entities_named(session, "Margaret Okonkwo")["Margaret Okonkwo"]
    assert len(links_of(session, okonkwo)) == 1
    reprocess_articles(sessions, everything=True)
    assert len(links_of(session, okonkwo)) == 1


def test_decide_link_names_the_reason(session: Session) -> None:
    decision = decide_link(session, "Stoltenberg", "person")  # the seed corpus knows Jens Stoltenberg
    assert decision is not None
    assert (decision.reason, decision.rename) in {("surname", False), ("alias", False)}
    stoltenberg = session.get(Entity, decision.entity_id)
    assert stoltenberg is not None and stoltenberg.name == "Jens Stoltenberg"
    assert decide_link(session, "police", "organization") is None
    assert decide_link(session, "Stoltenberg", "organization") is None


def test_biden_in_one_seed_article_is_joe_biden_of_the_other(client: TestClient) -> None:
    items = client.get("/v1/entities", params={"q": "biden"}).json()["items"]
    assert [item["name"] for item in items] == ["Joe Biden"]
    assert "Biden" in items[0]["aliases"]


def test_acronyms_and_initials() -> None:
    assert acronym("OPEC") == "OPEC"
    assert acronym("U.N.") == "UN"
    assert acronym("Opec") is None
    assert acronym("NATO-led") is None
    assert initials("Trans World Airlines Inc") == "TWA"
    assert initials("Organization of Petroleum Exporting Countries") == "OPEC"
    assert initials("The Inter-Services Public Relations") == "ISPR"


def test_companies_with_the_same_initials_stay_apart(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Shares of Kestrel Data Systems rose 2 dlrs after KDS said it had won a navy contract.",
        "KDS said it would cut 300 jobs at its Ohio plant.",
        "Kingsway Dairy Supplies Inc said it agreed to be acquired by a British group.",
        "Keystone Drilling Services (KDS) said rig use fell in the first quarter.",
    )
    found = entities_named(
        session, "Kestrel Data Systems", "Kingsway Dairy Supplies Inc", "Keystone Drilling Services", "KDS"
    )
    assert len({entity.entity_id for entity in found.values()}) == 3
    kestrel = found["Kestrel Data Systems"]
    assert {name for name, _, _ in links_of(session, kestrel)} == {"KDS"}


def test_a_city_is_no_alias_of_its_country(sessions: sessionmaker[Session], session: Session) -> None:
    load(
        sessions,
        "Talks in Nairobi ended on Monday without a deal. Kenya said Nairobi would host the next round.",
        "Flights to Nairobi were cancelled after the storm.",
    )
    kenya = session.scalar(select(Entity).where(Entity.name_key == "kenya"))
    assert kenya is not None
    nairobi = session.scalars(select(Entity).where(Entity.name_key == "nairobi")).all()
    assert [entity.place_kind for entity in nairobi] == ["city"]
    assert links_of(session, kenya) == []


def test_spellings_of_one_expansion() -> None:
    assert same_words(
        "Organisation of Petroleum Exporting Countries", "Organization of Petroleum Exporting Countries"
    )
    assert same_words("Pacific Grain Handlers Ltd", "Pacific Grain Handlers")
    assert not same_words("Securities Exchange Council", "Securities and Exchange Commission")
    assert not same_words("Kestrel Data Systems", "Keystone Drilling Services")
    assert same_words("Gulf Co-operation Council", "Gulf Cooperation Council")
    assert not same_words("Union National Corp", "United Nations")
    assert not same_words("European Commission", "European Community")


def test_the_entity_page_lists_linked_names_with_their_reason(
    sessions: sessionmaker[Session], session: Session, client: TestClient
) -> None:
    load(sessions, FULL_NAME, SURNAME_ONLY)
    okonkwo = entities_named(session, "Margaret Okonkwo")["Margaret Okonkwo"]
    body = client.get(f"/v1/entities/{okonkwo.entity_id}").json()
    assert body["linked_names"] == [
        {"name": "Okonkwo", "reason": "surname", "matched": "Margaret Okonkwo", "articles": 1}
    ]


def test_a_company_with_or_without_its_legal_form_is_one(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Trans World Airlines Inc. said its March traffic rose 12 pct from a year earlier.",
        "Trans World Airlines (TWA) said it would add flights to Rome and Athens in the summer.",
        "TWA said load factors improved on its Atlantic routes.",
    )
    found = entities_named(session, "TWA", "Trans World Airlines", "Trans World Airlines Inc.")
    assert list(found) == ["Trans World Airlines Inc."]
    assert [reason for _, reason, _ in links_of(session, found["Trans World Airlines Inc."])] == [
        "legal_form",
        "alias",
    ]


def test_a_one_word_name_is_no_short_form_of_a_company_by_itself(
    sessions: sessionmaker[Session], session: Session
) -> None:
    finance_corp = add_entity(session, "Finance Corp")
    tools = add_entity(session, "Zephyr Tools Corp")
    assert decide_link(session, "Finance", "organization") is None
    add_entity(session, "Boeing Co")
    assert decide_link(session, "Boeing", "organization") is None
    assert decide_link(session, "Finance Corp Ltd", "organization") is None  # 'Finance' again
    assert decide_link(session, "Zephyr Tools", "organization") == LinkDecision(
        tools.entity_id, "legal_form", "Zephyr Tools Corp"
    )
    assert decide_link(session, "Finance Corp.", "organization") == LinkDecision(
        finance_corp.entity_id, "same_name", "Finance Corp."
    )
    load(sessions, "CBS Inc said it would sell its records unit.", "Writers at CBS went on strike on Monday.")
    cbs = entities_named(session, "CBS Inc")["CBS Inc"]
    assert links_of(session, cbs) == [("CBS", "legal_form", "CBS Inc")]


def test_a_country_by_any_of_its_common_names_is_one(
    sessions: sessionmaker[Session], session: Session
) -> None:
    load(
        sessions,
        "Britain said on Monday it would lower its oil price.",
        "Exports from the U.K. rose 4 pct in March.",
        "The United Kingdom and America signed the accord in Geneva.",
        "Imports into the United States fell for a third month.",
    )
    found = entities_named(session, "Britain", "U.K.", "United Kingdom", "America", "United States")
    assert set(found) == {"United Kingdom", "United States"}
    assert {entity.country_code for entity in found.values()} == {"GB", "US"}


def test_an_event_keeps_the_province_its_own_article_names_for_a_namesake_district(
    sessions: sessionmaker[Session], session: Session
) -> None:
    """One place entity per name; each event records the province its article gives the district."""
    from db.models import Event

    load(
        sessions,
        "On 4 March 1987, an air strike killed 5 fighters in Chimtal district, Farah province.",
        "On 5 March 1987, an air strike killed 6 fighters in Chimtal district, Balkh province.",
    )
    rows = session.execute(select(Event.fatalities, Event.admin1).order_by(Event.fatalities)).all()
    assert [(fatalities, admin1) for fatalities, admin1 in rows if fatalities in (5, 6)] == [
        (5, "Farah"),
        (6, "Balkh"),
    ]


def test_a_later_report_gives_a_stored_event_the_toll_the_first_left_out(
    sessions: sessionmaker[Session], session: Session
) -> None:
    from db.models import Event

    load(
        sessions,
        "On 4 March 1987, Zorgan Front fighters attacked a checkpoint in Chimtal district, Farah province.",
        "On 4 March 1987, Zorgan Front fighters attacked a checkpoint in Chimtal district, Farah province, "
        "killing 3 policemen.",
    )
    [(fatalities, qualifier)] = session.execute(
        select(Event.fatalities, Event.fatalities_qualifier).where(Event.admin1 == "Farah")
    ).all()
    assert (fatalities, qualifier) == (3, "exact")


def test_a_never_link_name_is_not_linked_by_any_rule(
    sessions: sessionmaker[Session], session: Session
) -> None:
    """The surname rule would join 'Okonkwo' to the one Okonkwo it knows; a curator said no."""
    from db.entity_curation import EntityChanges, update_entity

    load(sessions, FULL_NAME)
    [margaret] = entities_named(session, "Margaret Okonkwo").values()
    with sessions.begin() as curating:
        changes = EntityChanges(never_link=["Okonkwo"])
        update_entity(curating, margaret.entity_id, changes, actor="curator", expected_revision=1)
    load(sessions, SURNAME_ONLY)
    session.expire_all()
    mentions = session.scalars(select(Mention.entity_id).where(Mention.text == "Okonkwo")).all()
    assert mentions and margaret.entity_id not in mentions
