import datetime as dt

from ingest.article_extraction import ExtractedEntity
from ingest.entities.gazetteer import gazetteer
from ingest.entities.recognise import is_function_word
from ingest.entities.table import is_generic_alias, is_not_a_name
from ingest.extract import extract_article

PUBLISHED = dt.date(2021, 7, 4)


def entities_of(text: str) -> dict[str, ExtractedEntity]:
    return {entity.name: entity for entity in extract_article(text, PUBLISHED).entities}


def test_short_forms_join_the_full_name() -> None:
    text = (
        "Also on Sunday, Bagram district governor Sheren Rufi said that security forces thwarted an "
        "attack.\n\n"
        "Two fighters were killed in the exchange of fire, Rufi added."
    )
    rufi = entities_of(text)["Sheren Rufi"]
    assert rufi.type == "person"
    assert rufi.key == "person:sheren rufi"
    assert "Rufi" in rufi.aliases
    assert [text[start:end] for start, end in rufi.mentions] == ["Sheren Rufi", "Rufi"]


def test_gazetteer_corrects_a_city_tagged_as_person() -> None:
    text = "The district is about 100 miles from Helmand’s provincial capital, Lashkar Gah."
    entities = entities_of(text)
    lashkar_gah = entities["Lashkar Gah"]
    assert lashkar_gah.type == "location"
    assert lashkar_gah.place is not None
    assert (lashkar_gah.place.kind, lashkar_gah.place.country_code) == ("city", "AF")
    assert lashkar_gah.place.latitude is not None


def test_district_in_province_inherits_admin1_and_country() -> None:
    text = "The Khanashin district in Helmand fell to the Taliban after insurgents had amassed in the area."
    place = entities_of(text)["Khanashin"].place
    assert place is not None
    assert (place.kind, place.admin1, place.country_code) == ("district", "Helmand", "AF")


def test_province_spelled_without_diacritics_matches_pycountry() -> None:
    text = "The gains in northeastern Badakhshan province in recent days came without a fight."
    place = entities_of(text)["Badakhshan"].place
    assert place is not None
    assert (place.kind, place.admin1, place.country_code) == ("province", "Badakhshan", "AF")


def test_demonyms_are_not_entities_and_countries_have_stable_names() -> None:
    text = "The US descended on Afghanistan in 2001. Afghan soldiers fled to Tajikistan, the U.S. said."
    entities = entities_of(text)
    assert "Afghan" not in entities
    assert entities["United States"].aliases == ["US", "U.S."]
    assert entities["Tajikistan"].place is not None
    assert entities["Tajikistan"].place.kind == "country"


def test_base_and_border_crossing_kinds() -> None:
    text = (
        "US and NATO forces vacated their main Bagram Air Base near Kabul.\n\n"
        "The soldiers returned at the Nawa Pass border crossing in Bajaur district, the statement said."
    )
    entities = entities_of(text)
    assert entities["Bagram Air Base"].place is not None
    assert entities["Bagram Air Base"].place.kind == "military_base"
    assert entities["Nawa Pass"].place is not None
    assert entities["Nawa Pass"].place.kind == "border_crossing"


def test_photo_credit_is_not_an_entity() -> None:
    text = "Afghan soldiers stand guard in Baghlan province, north of Kabul. (Massoud Hossaini/AP)"
    names = set(entities_of(text))
    assert names == {"Baghlan", "Kabul"}


def test_acronym_in_parentheses_is_an_alias() -> None:
    text = "The army said so in a statement from Inter-Services Public Relations (ISPR)."
    assert entities_of(text)["Inter-Services Public Relations"].aliases == ["ISPR"]


def test_demonym_lookup() -> None:
    lookups = gazetteer()
    assert [lookups.demonym(word).name for word in ("Afghan", "Saudi", "Uzbek", "Qatari")] == [  # type: ignore[union-attr]
        "Afghanistan",
        "Saudi Arabia",
        "Uzbekistan",
        "Qatar",
    ]


def test_dateline_city_and_a_town_named_after_its_kind_are_places() -> None:
    text = (
        "OUAGADOUGOU, Sept 25 - Fighters ambushed a convoy near the town of Djibo in northern "
        "Burkina Faso on Saturday."
    )
    entities = entities_of(text)
    for name in ("Ouagadougou", "Djibo"):
        place = entities[name].place
        assert place is not None
        assert (place.kind, place.country_code) == ("city", "BF")


def test_a_demonym_tagged_as_a_place_is_not_a_place() -> None:
    text = "A missile struck a building in the southern Ukrainian city of Odesa on Wednesday."
    entities = entities_of(text)
    assert "Ukrainian" not in entities
    assert entities["Odesa"].place is not None


def test_untagged_place_after_a_locative_preposition_is_found_through_the_gazetteer() -> None:
    text = "Israel's military said its aircraft struck more than 40 targets in Rafah overnight."
    place = entities_of(text)["Rafah"].place
    assert place is not None
    assert place.country_code == "PS"


def test_armed_group_names_are_organisations_and_a_repeated_name_is_a_mention() -> None:
    text = (
        "Hamas said the talks had stalled. Rebels clashed with troops near the town of Sake.\n\n"
        "Shells hit a market in Sake, killing six civilians."
    )
    entities = entities_of(text)
    assert entities["Hamas"].type == "organization"
    assert len(entities["Sake"].mentions) == 2


def test_district_takes_the_province_named_after_a_time_phrase() -> None:
    text = "The fall of Panjwai district on Sunday in the southern province of Kandahar was swift."
    place = entities_of(text)["Panjwai"].place
    assert place is not None
    assert (place.kind, place.admin1, place.country_code) == ("district", "Kandahar", "AF")


def test_a_base_near_a_city_takes_the_city_country() -> None:
    text = "US and NATO forces vacated their main Bagram Air Base near Kabul on Friday."
    place = entities_of(text)["Bagram Air Base"].place
    assert place is not None and (place.kind, place.country_code) == ("military_base", "AF")


def test_the_provinces_of_a_country_leave_it_a_country() -> None:
    place = entities_of("Fighting has raged across several provinces of Afghanistan in recent weeks.")[
        "Afghanistan"
    ].place
    assert place is not None and (place.kind, place.country_code) == ("country", "AF")


def test_titles_and_sentence_openers_are_not_part_of_a_name() -> None:
    text = (
        "President Reagan said on Tuesday he would name a new budget director.\n\n"
        "Althogh Reagan's choice was not known, aides said a decision was near."
    )
    reagan = entities_of(text)["Reagan"]
    assert reagan.type == "person"
    assert [text[start:end] for start, end in reagan.mentions] == ["Reagan", "Reagan"]
    assert set(entities_of(text)) == {"Reagan"}


def test_function_words_and_their_misspellings_are_not_first_names() -> None:
    assert is_function_word("however")
    assert is_function_word("athough")  # 'although' missing a letter
    assert not is_function_word("will")  # Will Smith
    assert not is_function_word("ronald")
    assert not is_function_word("bob")
    assert not is_function_word("howard")  # 'toward' with one letter changed


def test_a_generic_noun_is_no_alias_of_a_named_group() -> None:
    text = "Taliban fighters attacked Afghan army and police personnel in Ghazni on Monday, killing four."
    police = entities_of(text)["Afghan police"]
    assert "police" not in police.aliases
    assert is_generic_alias("the Army", "Afghan National Army")
    assert is_generic_alias("security forces", "Afghan National Security Forces")
    assert not is_generic_alias("ANA", "Afghan National Army")
    assert not is_generic_alias("police", "police")


def test_units_and_currencies_are_not_organisations() -> None:
    text = (
        "Shr profit 1.20 dlrs vs 95 cts. Net 12.5 mln vs 10.1 mln. Revs 140 mln Stg vs 120 mln.\n\n"
        "The company, based in Houston, pumps 150,000 bpd and said profit rose 12 pct."
    )
    names = set(entities_of(text))
    assert names <= {"Houston"}
    assert is_not_a_name("Revs 1.2 mln") and is_not_a_name("Corp") and not is_not_a_name("Stg Holdings")


def test_an_acronym_joins_its_expansion_despite_a_legal_form() -> None:
    text = (
        "Trans World Airlines Inc said its March traffic rose 12 pct.\n\n"
        "TWA said load factors improved on routes to Europe."
    )
    twa = entities_of(text)["Trans World Airlines Inc"]
    assert twa.aliases == ["TWA"]
    assert [text[start:end] for start, end in twa.mentions] == ["Trans World Airlines Inc", "TWA"]


def test_a_lone_word_of_a_company_name_is_the_company() -> None:
    text = (
        "Baker International Corp said its net income rose. Baker said demand for drilling tools recovered."
    )
    entities = entities_of(text)
    assert "Baker" not in entities
    assert entities["Baker International Corp"].aliases == ["Baker"]


def test_a_company_named_by_its_first_words_is_the_company_and_not_another_organisation() -> None:
    text = (
        "Northgate Energy Co said it would sell its pipeline unit. Northgate announced the sale yesterday, "
        "and the Northgate Council approved it."
    )
    entities = entities_of(text)
    assert "Northgate" not in entities
    assert entities["Northgate Energy Co"].aliases == ["Northgate"]


def test_a_company_name_without_its_legal_form_is_no_person() -> None:
    text = "Baker Hughes Inc said it would cut 500 jobs. Baker Hughes said oil prices were too low to drill."
    entities = entities_of(text)
    assert set(entities) == {"Baker Hughes Inc"}
    assert entities["Baker Hughes Inc"].aliases == ["Baker Hughes"]


def test_a_full_name_opening_a_sentence_keeps_its_first_name() -> None:
    text = "Senator Howard Baker met the envoy on Monday. Howard Baker said the talks were useful."
    entities = entities_of(text)
    assert set(entities) == {"Howard Baker"}
    assert len(entities["Howard Baker"].mentions) == 2


def test_the_soviet_union_by_any_of_its_names() -> None:
    text = "The Soviets said the USSR would buy more wheat. Soviet traders said the Soviet Union needs maize."
    entities = entities_of(text)
    assert set(entities) == {"Soviet Union"}
    soviet_union = entities["Soviet Union"]
    assert sorted(soviet_union.aliases) == ["Soviets", "USSR"]
    assert soviet_union.place is not None and soviet_union.place.kind == "country"


def test_a_common_noun_the_model_tags_as_a_place_is_no_place() -> None:
    entities = entities_of("Gunmen abducted 30 pupils from a school in Kaduna on Friday, police said.")
    assert "Gunmen" not in entities or entities["Gunmen"].type != "location"
    assert entities["Kaduna"].type == "location"
