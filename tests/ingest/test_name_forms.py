from ingest.entities.gazetteer import gazetteer
from ingest.entities.name_forms import lookup_form, normalise
from ingest.entities.table import entity_key


def test_normalise_transliterates_lowers_and_collapses_spaces() -> None:
    assert normalise("Kandahār") == "kandahar"
    assert normalise("  Łódź\u00a0 Voivodeship ") == "lodz voivodeship"
    assert normalise("al-Qaeda") == "al-qaeda"  # punctuation stays: keys tell 'al-Qaeda' from 'al Qaeda'


def test_lookup_form_also_drops_apostrophes_punctuation_and_a_leading_article() -> None:
    assert lookup_form("the Sar-e Pol’s") == "sar e pols"
    assert lookup_form("The U.S.") == "u s"
    assert lookup_form("Theodore") == "theodore"


def test_entity_keys_and_gazetteer_lookups_read_the_press_spelling_of_accented_names() -> None:
    assert entity_key("location", "Badakhshān") == entity_key("location", "BADAKHSHAN")
    assert entity_key("location", "Badakhshān") == "location:badakhshan"
    province = gazetteer().subdivision("Badakhshan", frozenset({"AF"}))
    assert province is not None and province.country_code == "AF"
