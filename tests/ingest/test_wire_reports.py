"""Wire reports from other conflicts and from everyday news, datelines and all: each test holds one rule
to sentences written the way agencies and local papers write, with what a careful coder would record."""

import datetime as dt

import pytest

from ingest.clean import clean_text
from ingest.extract import extract_article

PUBLISHED = dt.date(2015, 5, 11)  # a Monday


def read(text: str, published: dt.date = PUBLISHED) -> list[tuple[str, int | None]]:
    """(type, fatalities) of each event the text reports."""
    events = extract_article(clean_text(text), published).events
    return [(e.type, e.fatalities.value if e.fatalities else None) for e in events]


def participants(text: str, event_type: str) -> list[str]:
    extraction = extract_article(clean_text(text), PUBLISHED)
    names = {entity.key: entity.name for entity in extraction.entities}
    (event,) = [e for e in extraction.events if e.type == event_type]
    return [names[p.entity_key] for p in event.participants]


def test_a_killing_after_a_dateline_without_date_or_agency() -> None:
    text = (
        "CHILPANCINGO, Mexico - Gunmen burst into a family celebration in the town of Chilapa in Guerrero "
        "state late on Saturday and opened fire on the guests, killing nine people including two "
        "teenagers, the state prosecutor's office said."
    )
    assert read(text) == [("violence_against_civilians", 9)]


def test_militiamen_are_armed_men_after_a_dateline_too() -> None:
    text = (
        "BANGUI - Anti-balaka militiamen killed at least 12 Muslim civilians, including women and "
        "children, in a village near Bossangoa in Ouham province on Thursday, a local aid worker said."
    )
    assert read(text) == [("violence_against_civilians", 12)]
    assert read("BANGUI - Militiamen killed at least 12 civilians in a village on Thursday.") == [
        ("violence_against_civilians", 12)
    ]


def test_fighting_that_erupted_between_two_sides_is_a_clash() -> None:
    text = (
        "KHARTOUM (Reuters) - Heavy fighting erupted between the Sudanese army and the paramilitary Rapid "
        "Support Forces in Khartoum on Saturday, with both sides claiming control of the airport."
    )
    assert [event_type for event_type, _ in read(text)] == ["armed_clash"]


def test_fighting_as_background_is_no_clash() -> None:
    displaced = (
        "The European Union sent tents to families displaced by fighting in North Kivu province of the "
        "Democratic Republic of Congo on Thursday."
    )
    assert "armed_clash" not in [event_type for event_type, _ in read(displaced)]
    since = (
        "ADDIS ABABA - The foreign ministers of Sudan and South Sudan met in Addis Ababa on Monday for "
        "talks on the disputed Abyei region, their first face-to-face meeting since border fighting "
        "erupted in April."
    )
    assert "armed_clash" not in [event_type for event_type, _ in read(since, dt.date(2012, 6, 5))]


def test_ministers_of_two_states_meeting_is_the_states_meeting() -> None:
    text = (
        "NEW DELHI - The national security advisers of India and Pakistan met in Bangkok on Sunday and "
        "discussed terrorism and Kashmir, according to a joint statement."
    )
    assert participants(text, "diplomatic_meeting") == ["India", "Pakistan"]


def test_a_crowd_marching_with_slogans_or_in_a_general_strike_protests() -> None:
    slogans = (
        "SRINAGAR, India - Thousands of men marched through the old quarter of Srinagar after Friday "
        "prayers, chanting slogans against the detention of separatist leaders."
    )
    assert read(slogans, dt.date(2016, 7, 16)) == [("protest", None)]
    strike = (
        "MADRID - Hundreds of thousands of people marched through Madrid, Barcelona and other Spanish "
        "cities on Thursday at the end of a general strike called by the country's two largest unions."
    )
    assert {event_type for event_type, _ in read(strike, dt.date(2012, 3, 30))} == {"protest"}


def test_intelligence_agents_detaining_a_politician_is_an_arrest() -> None:
    text = (
        "CARACAS - Venezuelan intelligence agents detained National Assembly vice-president Ernesto Bravo "
        "late on Wednesday, his party said."
    )
    assert read(text) == [("arrest", None)]


def test_a_peace_agreement_signed_is_a_negotiation_and_a_supply_deal_is_not() -> None:
    peace = (
        "TRIPOLI, Libya - Chad's government and four rebel groups signed a peace agreement in the Libyan "
        "city of Sirte on Thursday, committing to an immediate ceasefire, state media reported."
    )
    assert read(peace) == [("negotiation", None)]
    supply = "Chad's government and a Chinese firm signed a supply deal in Sirte on Thursday."
    assert read(supply) == []


def test_a_shootout_in_a_raid_is_a_clash() -> None:
    text = (
        "RIO DE JANEIRO - Military police killed eight suspected drug traffickers in a shootout in the "
        "Mare favelas on Monday, the state police said."
    )
    assert ("armed_clash", 8) in read(text)


def test_the_raids_people_were_arrested_in_are_the_arrests() -> None:
    text = (
        "PESHAWAR, Pakistan - Police arrested 14 suspected militants and seized rocket launchers and "
        "grenades in overnight raids on the outskirts of Peshawar, police told reporters on Saturday."
    )
    assert [event_type for event_type, _ in read(text)] == ["arrest"]


def test_a_rocket_attack_is_remote_violence() -> None:
    text = (
        "NEW YORK - A rocket attack on the U.N. peacekeeping camp in Kidal, northern Mali, killed three "
        "Chadian peacekeepers on Thursday, the U.N. said."
    )
    assert read(text) == [("remote_violence", 3)]


def test_an_abducted_aid_worker_and_driver_are_civilians() -> None:
    text = (
        "PORT-AU-PRINCE - Armed men abducted a Canadian aid worker and his Haitian driver on the road "
        "between Port-au-Prince and Croix-des-Bouquets on Thursday, a police spokeswoman said."
    )
    assert [event_type for event_type, _ in read(text)] == ["violence_against_civilians"]


@pytest.mark.parametrize(
    "text",
    [
        "NAIROBI - Opposition MPs ambushed the Treasury Cabinet Secretary with questions over the "
        "spending of Eurobond proceeds during a stormy budget committee session on Tuesday.",
        "LOS ANGELES - 'Operation Hammerfall', the $150 million war epic about a commando raid on a "
        "Pacific island, bombed at the box office over the weekend.",
        "STOCKHOLM - Game studio Nordvind said its tactical shooter, in which players lead a special "
        "forces squad ambushing insurgent convoys, sold two million copies in its first week.",
        "Dozens of veterans gathered on the bluffs above Omaha Beach on Thursday to mark the 75th "
        "anniversary of the D-Day landings, when more than 150,000 Allied troops stormed the beaches of "
        "Normandy.",
        "BRUSSELS - The station was evacuated for two hours on Wednesday after a suspicious package was "
        "found. Bomb disposal experts determined it was a forgotten suitcase, and no one was arrested, "
        "police said.",
    ],
)
def test_words_stories_remembrances_and_nobody_arrested_are_no_events(text: str) -> None:
    assert read(text) == []


def test_a_killing_someone_is_accused_of_is_not_the_reported_event() -> None:
    text = (
        "ALEXANDRIA, Egypt - Hundreds of activists began a sit-in in front of the mosque on Friday, "
        "demanding speedy trials for police officers accused of killing protesters."
    )
    assert "violence_against_civilians" not in [event_type for event_type, _ in read(text)]


def test_massacred_executed_and_neutralised_are_killings_with_their_toll() -> None:
    massacre = (
        "SAN CRISTOBAL DE LAS CASAS, Mexico, Dec 23 (Reuters) - Gunmen massacred 45 Tzotzil Indians, most "
        "of them women and children, in the hamlet of Acteal in the state of Chiapas on Dec. 22, officials "
        "said."
    )
    assert read(massacre, dt.date(1997, 12, 23)) == [("violence_against_civilians", 45)]
    executed = (
        "Malian soldiers executed an estimated 300 civilian men in the central town of Moura in late "
        "March, Human Rights Watch said."
    )
    assert read(executed, dt.date(2022, 4, 5)) == [("violence_against_civilians", 300)]
    neutralised = (
        "Troops of Operation Hadin Kai on Tuesday neutralised 11 Boko Haram terrorists in an encounter "
        "at Sabon Gari, Damboa Local Government Area of Borno State."
    )
    assert [event_type for event_type, _ in read(neutralised, dt.date(2021, 9, 15))] == ["attack"]


@pytest.mark.parametrize(
    "text",
    [
        "The army executed the plan in Kandahar province on Monday, a spokesman said.",
        "MANILA, Sept 16 (Reuters) - The Philippine Senate on Monday killed a treaty that would have "
        "allowed the United States to keep its naval base at Subic Bay for another 10 years.",
        "NAIROBI - A fire that broke out at Gikomba market in the early hours of Thursday destroyed "
        "hundreds of stalls, killing 15 people, police said.",
        "Director Chinedu Okafor's war epic opens in Lagos cinemas this weekend. Its most gripping "
        "sequence shows a company of teenage soldiers storming a bridge at Onitsha under heavy shelling.",
    ],
)
def test_plans_executed_treaties_killed_fires_and_scenes_shown_are_no_killings(text: str) -> None:
    assert read(text) == []


def test_peacekeepers_pulling_out_withdraw() -> None:
    text = (
        "MOGADISHU, March 3 (Reuters) - The last United Nations peacekeepers pulled out of Somalia on "
        "Friday, ending a two-year mission."
    )
    assert [event_type for event_type, _ in read(text, dt.date(1995, 3, 3))] == ["withdrawal"]


def test_crowds_marching_as_unions_strike_protest() -> None:
    text = (
        "BOGOTA - Tens of thousands of people marched in Bogota on Wednesday as unions and student groups "
        "staged a national strike against the government's proposed tax reform."
    )
    assert read(text, dt.date(2021, 4, 29)) == [("protest", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SÃO PAULO - Gunmen killed three people in a bar on Monday, police said.", [("attack", 3)]),
        ("Two soldiers were killed by militant fire near Kidal on Monday.", [("attack", 2)]),
        ("No one survived the attack on the convoy near Gao on Monday.", [("attack", None)]),
        (
            "Thousands of farmers marched on parliament in Nairobi on Monday with demands for higher "
            "maize prices.",
            [("protest", None)],
        ),
        (
            "Fighting raged in Bakhmut on Monday as Russian troops pushed into the city.",
            [("armed_clash", None)],
        ),
        ("Saudi Arabia executed 81 men on Saturday.", []),
        ("Thousands of fans marched to Wembley on Saturday chanting the club's name.", []),
        ("Thousands of commuters gathered at stations in London on Monday during a rail strike.", []),
    ],
)
def test_the_v19_rules_kept_to_what_they_are_for(text: str, expected: list[tuple[str, int | None]]) -> None:
    assert read(text, dt.date(2020, 3, 10)) == expected


def test_landmines_neutralised_kill_nobody_and_a_shooter_arrested_keeps_the_killing() -> None:
    landmines = "Troops neutralised 12 landmines and three roadside bombs near Kidal on Monday."
    assert all(fatalities is None for _, fatalities in read(landmines, dt.date(2020, 3, 10)))
    shooter = "Police arrested the shooter who killed five people at a school in Texas on Monday."
    assert ("attack", 5) in read(shooter, dt.date(2020, 3, 10))


# Extractor v22: tolls told apart from their violence, press-release idioms, aid in grants and loans.


def test_civilians_killed_are_violence_without_an_armed_man_named() -> None:
    text = "At least 56 civilians were killed in Zamfara state on Tuesday, local officials said."
    assert read(text) == [("violence_against_civilians", 56)]


def test_people_killed_in_the_attack_are_its_toll() -> None:
    assert read("Two people died in the attack on a hotel in Nairobi on Monday.") == [("attack", 2)]


def test_a_toll_in_the_next_sentence_is_the_toll_of_the_violence_before_it() -> None:
    villagers = (
        "Gunmen stormed a village in Zamfara state on Tuesday. At least 56 villagers were killed, "
        "officials said."
    )
    assert read(villagers) == [("violence_against_civilians", 56)]
    church = "Gunmen attacked a church in Owo on Sunday. Residents said 22 people died."
    assert read(church) == [("attack", 22)]


def test_the_event_named_again_to_be_ranked_is_no_second_event() -> None:
    text = (
        "KYIV, Ukraine (AP) - Two Russian ballistic missiles slammed into the city of Sumy on Sunday, "
        "killing at least 34 people, officials said. It was the deadliest attack by Russian forces on "
        "Ukrainian civilians this year."
    )
    assert read(text) == [("remote_violence", 34)]


def test_a_sit_in_is_a_protest() -> None:
    text = (
        "Hundreds of teachers staged a sit-in outside the education ministry in Nairobi on Thursday to "
        "demand unpaid wages."
    )
    assert read(text) == [("protest", None)]


def test_the_wounded_of_a_passive_toll_did_not_attack() -> None:
    text = (
        "On 17 June 2014, a roadside IED planted by Al Shabaab detonated against an SNA convoy between "
        "Afgooye and Lafoole. 4 soldiers were killed and several others injured."
    )
    assert read(text) == [("remote_violence", 4)]


def test_military_strikes_that_kill_are_remote_violence() -> None:
    text = (
        "On 26 April 2015, FAMa air assets carried out a series of strikes on terrorist concentrations "
        "in the Tinzaouatene area. The strikes neutralised several terrorists."
    )
    assert [event_type for event_type, _ in read(text)] == ["remote_violence"]
    dockers = "Dockworkers' strikes on Monday shut the port of Durban. Ten strikers were arrested."
    assert "remote_violence" not in [event_type for event_type, _ in read(dockers)]


def test_what_a_strike_was_targeting_is_the_strike() -> None:
    text = "India struck nine sites in Pakistan early on Wednesday, saying it was targeting terrorist camps."
    assert [event_type for event_type, _ in read(text)] == ["remote_violence"]


def test_bandits_abducting_passengers_is_violence_against_civilians() -> None:
    text = "On 19 April 2015, bandits abducted 23 passengers from two buses near Kucheri (Tsafe, Zamfara)."
    assert [event_type for event_type, _ in read(text)] == ["violence_against_civilians"]


def test_the_neutralised_of_army_releases_are_counted() -> None:
    named = (
        "Troops of Operation HADIN KAI have neutralised seven Islamic State West Africa Province (ISWAP) "
        "terrorists in an ambush along the Bama-Banki road on Tuesday."
    )
    assert read(named) == [("attack", 7)]
    of_whom = (
        "Our defence forces reacted vigorously and repelled the assailants on Sunday, four of whom were "
        "neutralised."
    )
    assert read(of_whom) == [("armed_clash", 4)]
    aggressors = "The personnel repelled the aggression, neutralising 19 aggressors and detaining one more."
    assert ("attack", 19) in read(aggressors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two soldiers lost their lives when militants attacked a checkpoint in Bannu on Sunday.", 2),
        ("One soldier paid the supreme price when militants attacked a checkpoint in Bannu on Sunday.", 1),
        ("Two soldiers were martyred when terrorists attacked a checkpost in Bannu on Monday.", 2),
        ("Two terrorists were eliminated when the Army foiled an infiltration bid in Machil on Saturday.", 2),
    ],
)
def test_deaths_told_in_the_words_of_the_dead_mens_own_side(text: str, expected: int) -> None:
    assert [toll for _, toll in read(text)] == [expected]


def test_what_is_lost_or_eliminated_besides_lives_is_no_death() -> None:
    assert read("The militants' leaders lost their savings when the bank in Kabul collapsed.") == []
    assert read("The government eliminated tariffs on rice imports on Monday.") == []


def test_an_encounter_with_troops_and_fire_exchanged_are_clashes() -> None:
    encounter = (
        "Two members of the New People's Army were killed in an encounter with troops of the 58th "
        "Infantry Battalion in Claveria early Sunday morning."
    )
    assert read(encounter) == [("armed_clash", 2)]
    exchanged = (
        "On 9 May 2015, gunmen from two factions of the Sinaloa Cartel exchanged fire in Culiacan. "
        "5 gunmen were killed."
    )
    assert read(exchanged) == [("armed_clash", 5)]
    assert read("The two leaders exchanged letters on Monday.") == []


def test_aid_pledged_in_grants_and_loans_or_announced_as_assistance() -> None:
    donors = (
        "International donors on Monday pledged 7.5 billion euros ($8.1 billion) in grants and loans to "
        "help Syrians inside the war-ravaged country."
    )
    assert read(donors) == [("aid_pledge", None)]
    announced = (
        "The United States announced nearly $147 million in additional humanitarian assistance for the "
        "people of Sudan on Monday."
    )
    assert read(announced) == [("aid_pledge", None)]
    assert read("Japan pledged 500 million dollars in loans to Indonesia on Monday for a power plant.") == []
    assert read("The company announced a $2 billion share buyback on Monday.") == []


def test_an_obituary_and_a_gas_explosion_are_no_violence() -> None:
    obituary = (
        "ISLAMABAD, March 18 (Reuters) - Retired General Ali Haidar Khan, who commanded troops during the "
        "1999 Kargil conflict, died on Sunday at the age of 81 after a long illness, his family said."
    )
    assert read(obituary) == []
    gas = (
        "BANGKOK, Sept 30 (Reuters) - An explosion tore through a shophouse in Bangkok on Monday morning, "
        "wounding three people, but police said a leaking cooking-gas cylinder was to blame."
    )
    assert read(gas) == []


def test_rape_by_armed_men_is_violence_against_civilians() -> None:
    text = "On 20 April 2015, suspected Fulani militia members raped 2 women on their farm near Kwi (Riyom)."
    assert [event_type for event_type, _ in read(text)] == ["violence_against_civilians"]
