import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from db import entities
from db.entities import lookup_entities, prefix_trigrams, rarest, trigram_frequencies, trigrams_needed
from db.models import Entity, EntityAlias
from db.names import name_key, trigram_code, trigram_codes, trigrams
from tests.factories import add_entity


def names(matches: list) -> list[str]:  # type: ignore[type-arg]
    return [match.entity.name for match in matches]


def test_name_key_folds_case_accents_and_punctuation() -> None:
    assert name_key("Stöltenberg") == "stoltenberg"
    assert name_key("STOLTENBERG") == "stoltenberg"
    assert name_key("Helmand’s") == "helmands"
    assert name_key("al-Qaeda") == "al qaeda"
    assert name_key("snake_case") == "snake case"


def test_trigrams_pad_each_word_like_pg_trgm() -> None:
    assert trigrams("nato") == ["  n", " na", "ato", "nat", "to "]
    assert prefix_trigrams("stol") == [trigram_code(gram) for gram in ("  s", " st", "sto", "tol")]
    assert trigram_code("ns ") in prefix_trigrams("jens stol")


def test_a_trigram_code_is_its_code_points_side_by_side_and_sorts_as_the_trigram() -> None:
    assert trigram_code("nat") == ord("n") << 42 | ord("a") << 21 | ord("t")
    assert trigram_codes("nato") == [trigram_code(gram) for gram in trigrams("nato")]
    # beyond Latin: Cyrillic and a letter beyond the Basic Multilingual Plane keep their code points apart
    grams = [*trigrams(name_key("Київ 𠀋ab")), "zz ", " a\U0010ffff"]
    assert len({trigram_code(gram) for gram in grams}) == len(set(grams))
    assert sorted(grams, key=trigram_code) == sorted(grams)


def test_lookup_is_case_and_accent_insensitive_and_prefers_exact(session: Session) -> None:
    add_entity(session, "Zelimkhan Stoltz", "person")
    add_entity(session, "Zelimkhan Stöltzer", "person")
    for query in ("zelimkhan stoltz", "ZELIMKHAN STOLTZ", "Zelimkhan Stöltz"):
        matches = lookup_entities(session, query)
        assert matches[0].entity.name == "Zelimkhan Stoltz", query
        assert matches[0].match == "exact"


def test_lookup_matches_a_word_prefix_inside_a_name(session: Session) -> None:
    add_entity(session, "Quorvanth Delaridge", "person")
    matches = lookup_entities(session, "delar")
    assert names(matches) == ["Quorvanth Delaridge"]
    assert matches[0].match == "word_prefix"
    assert lookup_entities(session, "quorv")[0].match == "prefix"


def test_lookup_tolerates_typos(session: Session) -> None:
    add_entity(session, "Xandrapol", "location", place_kind="district")
    for typo in ("Xandrapoll", "Xandropol", "Xanrdapol"):
        assert "Xandrapol" in names(lookup_entities(session, typo)), typo
    assert "Xandrapol" not in names(lookup_entities(session, "Kandahar"))


def test_lookup_ranks_by_mentions_within_a_match_tier(session: Session) -> None:
    add_entity(session, "Vorlak Brigade", mention_count=2)
    add_entity(session, "Vorlak Front", mention_count=9)
    assert names(lookup_entities(session, "vorlak")) == ["Vorlak Front", "Vorlak Brigade"]


def test_lookup_filters_by_type_and_country(session: Session) -> None:
    add_entity(session, "Ostrava Zed", "location", country_code="CZ")
    add_entity(session, "Ostrava Zed", "organization")
    assert [
        m.entity.entity_type for m in lookup_entities(session, "ostrava zed", entity_type="organization")
    ] == ["organization"]
    assert [m.entity.country_code for m in lookup_entities(session, "ostrava zed", country="cz")] == ["CZ"]


def test_one_or_two_letters_match_by_prefix_only(session: Session) -> None:
    add_entity(session, "Qx Battalion")
    add_entity(session, "Battalion Qx")
    assert names(lookup_entities(session, "qx")) == ["Qx Battalion"]
    assert "Battalion Qx" in names(lookup_entities(session, "battalion q"))


def test_a_short_page_is_the_head_of_the_full_ranking_with_typos_after_every_word_match(
    session: Session,
) -> None:
    for name, mentions in (("Morvek Front", 5), ("Morvek Brigade", 3), ("Morvekan Council", 1)):
        add_entity(session, name, mention_count=mentions)
    for name in ("Morvak", "Morvik"):
        add_entity(session, name, "location", place_kind="district", mention_count=50)
    full = lookup_entities(session, "morvek")
    assert [m.match for m in full[:3]] == ["prefix", "prefix", "prefix"]
    assert {m.entity.name for m in full[3:] if m.match == "fuzzy"} >= {"Morvak", "Morvik"}
    for wanted in (1, 2, 3, 4, 5):
        assert names(lookup_entities(session, "morvek", wanted=wanted)) == names(full[:wanted]), wanted


def test_typos_are_found_when_the_statistics_know_which_trigrams_are_common(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The typo search probes the index with n - k + 1 of the query's n trigrams, the rarest first;
    with statistics that name the common ones, every alias holding k of them must still be found."""
    add_entity(session, "Xandrapol", "location", place_kind="district")
    for n in range(60):
        add_entity(session, f"Xandra Unit {n}", mention_count=n)
    session.flush()
    session.execute(text("ANALYZE entity_alias"))
    common = session.scalar(
        text(
            "SELECT most_common_elems::text::bigint[] FROM pg_stats "
            "WHERE tablename = 'entity_alias' AND attname = 'trigrams'"
        )
    )
    assert common and trigram_code("xan") in common  # the statistics know the shared trigrams
    monkeypatch.setattr(entities, "_frequencies", {})  # read afresh, not as an earlier test left them
    assert trigram_frequencies(session)[trigram_code("xan")] > 0.4  # the 61 Xandra names among every alias
    for typo in ("Xandrapoll", "Xandropol", "Xanrdapol"):
        assert "Xandrapol" in names(lookup_entities(session, typo)), typo


def test_which_trigrams_probe_for_typos_never_changes_the_matches(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Statistics that call the rare trigrams common and the common ones rare (stale, or of another
    table) send the probe to the wrong posting lists: slower, with the same matches and scores."""
    add_entity(session, "Xandrapol", "location", place_kind="district")
    for n in range(30):
        add_entity(session, f"Xandra Unit {n}", mention_count=n)
    add_entity(session, "Pollwick Xan", mention_count=3)
    typos = ("Xandrapoll", "Xanrdapol", "Xandra Unitx", "Pollwik")
    monkeypatch.setattr(entities, "_frequencies", {})
    found = {typo: lookup_entities(session, typo) for typo in typos}
    assert "Xandrapol" in names(found["Xandrapoll"]) and "Pollwick Xan" in names(found["Pollwik"])
    for typo, matches in found.items():
        grams = trigrams(name_key(typo))
        for match in matches:
            held = set(grams) & set(trigrams(name_key(match.matched_alias)))
            assert match.score == round(len(held) / len(grams), 3), (typo, match.entity.name)
    every_gram = {gram for typo in typos for gram in trigrams(name_key(typo))}
    for frequencies in (
        {trigram_code(gram): 0.9 for gram in every_gram if gram[0] != " "},
        {trigram_code(" xa"): 0.99, trigram_code("pol"): 0.01},
    ):
        monkeypatch.setattr(entities, "trigram_frequencies", lambda session, f=frequencies: f)
        for typo in typos:
            again = lookup_entities(session, typo)
            assert [(m.entity.entity_id, m.matched_alias, m.score) for m in again] == [
                (m.entity.entity_id, m.matched_alias, m.score) for m in found[typo]
            ], typo


def test_the_probe_is_the_rarest_trigrams_unknown_ones_first() -> None:
    frequencies = {
        trigram_code(gram): share for gram, share in {"xan": 0.9, "and": 0.4, "ndr": 0.4, " xa": 0.2}.items()
    }
    grams = trigram_codes("xandr")  # ['  x', ' xa', 'and', 'ndr', 'dr ', 'xan'] in some order
    expected = ["  x", "dr ", " xa", "and", "ndr"]
    assert rarest(grams, frequencies, 3) == [trigram_code(gram) for gram in expected[:3]]
    assert rarest(grams, frequencies, 5) == [trigram_code(gram) for gram in expected]


def test_a_word_match_scores_the_share_of_the_keys_trigrams_the_alias_holds(session: Session) -> None:
    """Within a tier, an alias holding every trigram of the key ranks above one that lacks the closing
    trigram (a longer word the key begins), before mentions count: the score is the share of the key's
    trigrams the alias holds, whichever word holds the closing one."""
    add_entity(session, "Quelka Brand", mention_count=1)  # "quelk": a prefix; its word goes on
    add_entity(session, "Quelkab Council", mention_count=50)
    add_entity(session, "Quelk Authority", mention_count=3)  # the whole word
    add_entity(session, "Doma Quelk", mention_count=2)  # the whole word, second
    add_entity(session, "Dorn Quelkovar", mention_count=90)  # a prefix of the second word
    add_entity(session, "Quelkary Velk", mention_count=7)  # a prefix, and "lk " closes another word
    key = name_key("quelk")
    matches = lookup_entities(session, "Quelk")
    assert [(m.entity.name, m.match) for m in matches] == [
        ("Quelkary Velk", "prefix"),  # holds every trigram of "quelk" ("lk " in "velk"), more mentions
        ("Quelk Authority", "prefix"),
        ("Quelkab Council", "prefix"),
        ("Quelka Brand", "prefix"),
        ("Doma Quelk", "word_prefix"),
        ("Dorn Quelkovar", "word_prefix"),
    ]
    for match in matches:
        held = set(trigrams(key)) & set(trigrams(name_key(match.matched_alias)))
        assert match.score == round(len(held) / len(trigrams(key)), 3), match.entity.name


def test_trigrams_needed_is_the_least_count_whose_share_reaches_it() -> None:
    assert [trigrams_needed(n, 0.5) for n in (1, 3, 5, 10, 15)] == [1, 2, 3, 5, 8]
    # 0.7 * 10 is 7.000000000000001 in doubles: math.ceil would say 8 and miss the aliases holding 7
    assert [trigrams_needed(n, 0.7) for n in (3, 10, 15, 18)] == [3, 7, 11, 13]


def test_close_typos_rank_ahead_of_looser_ones_however_often_those_are_mentioned(session: Session) -> None:
    """Typo matches holding 70% of the query's trigrams come first, ahead of those holding 50%, even
    when those are mentioned far more often; a page too short for both holds only the close ones."""
    close = [add_entity(session, f"Vrelkandor Sq{n}", mention_count=n) for n in range(3)]
    loose = [add_entity(session, f"Vrelkand Bay{n}", mention_count=100 + n) for n in range(3)]
    query = "Vrelkandor Sqx"
    grams = trigrams(name_key(query))
    for entity in close:
        held = set(grams) & set(trigrams(name_key(entity.name)))
        assert len(held) / len(grams) >= 0.7, entity.name
    for entity in loose:
        held = set(grams) & set(trigrams(name_key(entity.name)))
        assert 0.5 <= len(held) / len(grams) < 0.7, entity.name
    short = lookup_entities(session, query, wanted=3)
    assert [m.entity.name for m in short] == [e.name for e in reversed(close)]
    assert {m.match for m in short} == {"fuzzy"}
    full = lookup_entities(session, query, wanted=10)
    assert [m.entity.name for m in full] == [e.name for e in reversed(close)] + [
        e.name for e in reversed(loose)
    ]
    assert names(lookup_entities(session, query, wanted=4)) == names(full[:4])


def test_listed_entities_carry_each_alias_with_its_key_and_none_when_there_is_none(session: Session) -> None:
    vorn = add_entity(session, "Vornholt Legion", mention_count=7)
    for alias in ("VL", "Légion de Vornholt"):
        key = name_key(alias)
        session.add(
            EntityAlias(entity_id=vorn.entity_id, alias=alias, alias_key=key, trigrams=trigram_codes(key))
        )
    bare = Entity(name="Qarsk", name_key="qarsk", entity_type="location", mention_count=3)
    session.add(bare)
    session.flush()

    found = entities.entities_by_id(session, [vorn.entity_id, bare.entity_id, 10**12])
    assert set(found) == {vorn.entity_id, bare.entity_id}
    assert sorted(found[vorn.entity_id].aliases) == [
        ("Légion de Vornholt", "legion de vornholt"),
        ("VL", "vl"),
        ("Vornholt Legion", "vornholt legion"),
    ]
    assert found[bare.entity_id].aliases == ()
    assert found[vorn.entity_id].mention_count == 7 and found[bare.entity_id].entity_type == "location"

    listed = entities.list_entities(session, entity_type=None, country=None, limit=100, after=None)
    assert {entity.entity_id: entity for entity in listed.items}[vorn.entity_id] == found[vorn.entity_id]
