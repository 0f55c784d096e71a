from sqlalchemy.orm import Session

from db.entity_refs import entities_named
from db.models import EntityAlias
from db.names import name_key, trigram_codes
from tests.factories import add_entity


def add_alias(session: Session, entity_id: int, alias: str) -> None:
    key = name_key(alias)
    session.add(EntityAlias(entity_id=entity_id, alias=alias, alias_key=key, trigrams=trigram_codes(key)))
    session.flush()


def test_a_ref_is_an_id_or_a_name_in_any_case_and_accent(session: Session) -> None:
    front = add_entity(session, "Qeshlaq Front", "group")
    assert entities_named(session, [str(front.entity_id)]) == [front]
    assert entities_named(session, ["QESHLÁQ front"]) == [front]
    assert entities_named(session, ["no such thing"]) == []


def test_digits_that_are_no_id_mean_nothing(session: Session) -> None:
    add_entity(session, "99999999999999999999", "organization")
    assert entities_named(session, ["99999999999999999999"]) == []
    assert entities_named(session, ["²"]) == []


def test_a_shared_alias_means_every_entity_with_it_the_one_so_named_first(session: Session) -> None:
    brigade = add_entity(session, "Kessel Brigade", "organization", mention_count=9)
    front = add_entity(session, "Kessel Front", "group", mention_count=4)
    town = add_entity(session, "Kessel", "location", place_kind="city", mention_count=1)
    add_alias(session, brigade.entity_id, "Kessel")
    add_alias(session, front.entity_id, "Kessel")
    assert entities_named(session, ["kessel"]) == [town, brigade, front]
    assert entities_named(session, ["Kessel Front", str(town.entity_id)]) == [front, town]
