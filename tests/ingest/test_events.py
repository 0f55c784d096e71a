import datetime as dt

from ingest.article_extraction import ArticleExtraction, ExtractedEvent, Quantity
from ingest.extract import extract_article


def events_of(text: str, published: dt.date) -> list[ExtractedEvent]:
    return extract_article(text, published).events


def place_of(extraction: ArticleExtraction, event: ExtractedEvent) -> str | None:
    names = {entity.key: entity.name for entity in extraction.entities}
    return names.get(event.location_key) if event.location_key else None


def summary(text: str, published: dt.date) -> list[tuple[str, dt.date | None, dt.date | None, str | None]]:
    extraction = extract_article(text, published)
    return [(e.type, e.date_start, e.date_end, place_of(extraction, e)) for e in extraction.events]


def test_conjoined_districts_make_one_withdrawal_each_with_last_month() -> None:
    text = (
        "Late last month, Afghan army and police personnel pulled out of Helmand’s Musa Qala and Now Zad "
        "districts following months of deadly battles with the Taliban."
    )
    february = (dt.date(2016, 2, 1), dt.date(2016, 2, 29))
    assert summary(text, dt.date(2016, 3, 15)) == [
        ("withdrawal", *february, "Musa Qala"),
        ("withdrawal", *february, "Now Zad"),
    ]


def test_fell_but_was_recaptured_are_two_events_sharing_place_and_month() -> None:
    text = (
        "Khanashin briefly fell to Taliban insurgents in December but was swiftly recaptured by "
        "government forces."
    )
    december = (dt.date(2015, 12, 1), dt.date(2015, 12, 31))
    events = events_of(text, dt.date(2016, 3, 15))
    assert [(e.type, e.date_start, e.date_end, e.location_text) for e in events] == [
        ("territory_captured", *december, "Khanashin"),
        ("territory_regained", *december, "Khanashin"),
    ]
    assert [p.entity_key for p in events[0].participants if p.role == "actor"] == ["organization:taliban"]
    assert [p.entity_key for p in events[1].participants if p.role == "actor"] == ["group:government forces"]


def test_killed_in_an_attack_in_the_province_is_one_attack_with_one_death() -> None:
    text = (
        "Helmand has long been an insurgent hub. The United States has deployed hundreds of forces to assist "
        "Afghan forces there in recent months, and in January, Staff Sgt. Matthew McClintock was killed in "
        "a Taliban attack in the province."
    )
    events = events_of(text, dt.date(2016, 3, 15))
    assert [(e.type, e.date_start, e.precision, e.location_text) for e in events] == [
        ("attack", dt.date(2016, 1, 1), "month", "the province")
    ]
    assert events[0].fatalities == Quantity(1, "exact")
    assert events[0].location_key == "location:helmand"


def test_fighters_killed_in_operations_are_a_clash_dated_by_the_report_day() -> None:
    text = (
        "Afghanistan's Defence Ministry said on Saturday that 224 Taliban fighters were killed in operations "
        "in the last 24 hours."
    )
    (event,) = events_of(text, dt.date(2021, 7, 4))
    assert (event.type, event.date_start, event.date_end, event.fatalities) == (
        "armed_clash",
        dt.date(2021, 7, 2),  # the 24 hours before Saturday's report
        dt.date(2021, 7, 3),
        Quantity(224, "exact"),
    )


def test_days_after_counts_back_from_the_anchor_date() -> None:
    text = (
        "The fall of Panjwai district on Sunday in the southern province of Kandahar comes just two days "
        "after US and NATO forces vacated their main Bagram Air Base near Kabul."
    )
    assert summary(text, dt.date(2021, 7, 4)) == [
        ("territory_captured", dt.date(2021, 7, 4), dt.date(2021, 7, 4), "Panjwai"),
        ("withdrawal", dt.date(2021, 7, 2), dt.date(2021, 7, 2), "Bagram Air Base"),
    ]


def test_planned_drills_next_week_keep_a_range_and_the_host_country() -> None:
    text = (
        "Also on Tuesday Russia said around 1,000 of its soldiers would take part in joint military drills "
        "in Tajikistan next week near the Afghan border, the Interfax news agency reported."
    )
    assert summary(text, dt.date(2021, 7, 27)) == [
        ("military_exercise", dt.date(2021, 8, 2), dt.date(2021, 8, 8), "Tajikistan")
    ]


def test_a_warning_about_what_could_happen_is_a_statement() -> None:
    text = (
        "The United Nations warned on Monday that Afghanistan could see the highest number of civilian "
        "deaths in more than a decade if the Taliban's offensives across the country are not halted."
    )
    assert summary(text, dt.date(2021, 7, 27)) == [
        ("statement", dt.date(2021, 7, 26), dt.date(2021, 7, 26), None)
    ]


def test_retreat_and_flight_across_the_border_is_one_crossing_at_the_origin() -> None:
    text = (
        "The press office of the border units of Tajikistan said that more than 300 Afghan forces retreated "
        "from at least a dozen districts in northeastern Badakhshan and Takhar border provinces and fled to "
        "Tajikistan."
    )
    (event,) = events_of(text, dt.date(2021, 7, 4))
    assert (event.type, event.location_text, event.people) == (
        "border_crossing",
        "Badakhshan",
        Quantity(300, "at_least"),
    )


def test_headlines_read_more_lines_and_history_yield_no_events() -> None:
    text = (
        "More Afghan forces flee to Tajikistan as key districts fall to Taliban\n\n"
        "READ MORE: Afghan families flee their homes as fighting intensifies in Kandahar\n\n"
        "The US descended on Afghanistan in 2001 in the wake of the 9/11 attacks by al Qaeda."
    )
    assert events_of(text, dt.date(2021, 7, 4)) == []


def test_economic_news_is_not_violence() -> None:
    text = (
        "Shares of the company fell 5 pct after it took over a rival, and prices were hit by the attack on "
        "the dollar. Oil exports rallied in the fourth week of February. The bank withdrew its offer."
    )
    assert events_of(text, dt.date(1987, 3, 2)) == []


def test_same_event_told_twice_comes_out_once() -> None:
    text = (
        "Also on Sunday, Bagram district governor Sheren Rufi said that security forces thwarted a Taliban "
        "attack on the Bagram airbase.\n\nA group of 20 Taliban fighters attacked the local police "
        "checkpoint near the airbase, with one policeman and one insurgent killed in the exchange of "
        "fire, Rufi added."
    )
    events = events_of(text, dt.date(2021, 7, 4))
    assert [(e.type, e.date_start, e.location_key) for e in events] == [
        ("attack", dt.date(2021, 7, 4), "location:bagram")
    ]


def test_evidence_quote_indexes_the_text() -> None:
    text = "Title line\n\nThe Khanashin district in Helmand fell to the Taliban on Tuesday."
    (event,) = events_of(text, dt.date(2016, 3, 15))
    assert text[event.sentence_start : event.sentence_end] == event.quote
    assert event.quote.startswith("The Khanashin district")


def one_event(text: str, published: dt.date) -> tuple[ArticleExtraction, ExtractedEvent]:
    extraction = extract_article(text, published)
    (event,) = extraction.events
    return extraction, event


def names(extraction: ArticleExtraction, event: ExtractedEvent, role: str) -> list[str]:
    by_key = {entity.key: entity.name for entity in extraction.entities}
    return [by_key[p.entity_key] for p in event.participants if p.role == role]


def test_a_weapon_that_struck_is_remote_violence_by_the_state_that_fired_it() -> None:
    text = (
        "Russia launched drones overnight. A Russian missile struck a residential building in Odesa on "
        "Wednesday, killing at least five people, the governor said."
    )
    extraction, event = one_event(text, dt.date(2024, 3, 7))
    assert (event.type, event.date_start, place_of(extraction, event)) == (
        "remote_violence",
        dt.date(2024, 3, 6),
        "Odesa",
    )
    assert event.fatalities == Quantity(5, "at_least")
    assert names(extraction, event, "actor") == ["Russia"]


def test_striking_a_deal_is_not_violence() -> None:
    text = "The two companies struck a deal in Houston on Monday to merge their pipelines."
    assert events_of(text, dt.date(2024, 3, 7)) == []


def test_crowd_that_gathered_is_a_protest_and_clashes_there_are_not_an_armed_clash() -> None:
    text = (
        "Thousands of protesters gathered in central Lima on Thursday, and police arrested 37 people after "
        "clashes near Congress, the ministry said."
    )
    extraction = extract_article(text, dt.date(2024, 7, 19))
    assert [(e.type, e.date_start, place_of(extraction, e)) for e in extraction.events] == [
        ("protest", dt.date(2024, 7, 18), "Lima"),
        ("arrest", dt.date(2024, 7, 18), "Lima"),
    ]
    assert [e.people for e in extraction.events] == [Quantity(2000, "range", 9999), Quantity(37, "exact")]


def test_crossing_into_a_country_with_the_report_day() -> None:
    text = (
        "Fighting between the army and the RSF went on. At least 4,000 people fleeing the war have "
        "crossed into neighbouring Chad over the past week, the UN refugee agency said on Sunday."
    )
    extraction, event = one_event(text, dt.date(2023, 11, 6))
    assert (event.type, event.date_start, place_of(extraction, event)) == (
        "border_crossing",
        dt.date(2023, 11, 5),
        "Chad",
    )
    assert event.people == Quantity(4000, "at_least")


def test_a_pronoun_subject_of_a_report_is_the_speaker() -> None:
    text = (
        "The paramilitary Rapid Support Forces (RSF) said on Saturday it had taken control of the army's "
        "main base in El Geneina after heavy fighting."
    )
    extraction, event = one_event(text, dt.date(2023, 11, 6))
    assert (event.type, place_of(extraction, event)) == ("territory_captured", "El Geneina")
    assert names(extraction, event, "actor") == ["Rapid Support Forces"]


def test_talks_on_a_ceasefire_are_held_where_the_delegations_met_not_in_the_topic_place() -> None:
    text = (
        "Negotiators held talks with an Israeli delegation in Cairo on Tuesday on a ceasefire in Gaza.\n\n"
        "CIA Director William Burns met with Egyptian intelligence chief Abbas Kamel, the sources said."
    )
    assert summary(text, dt.date(2024, 2, 14)) == [
        ("negotiation", dt.date(2024, 2, 13), dt.date(2024, 2, 13), "Cairo"),
        ("diplomatic_meeting", dt.date(2024, 2, 13), dt.date(2024, 2, 13), "Cairo"),
    ]


def test_a_date_that_qualifies_a_noun_does_not_date_the_event() -> None:
    text = (
        "International donors pledged 7 billion euros for survivors of last month's earthquakes at a "
        "conference in Brussels on Monday."
    )
    assert summary(text, dt.date(2023, 3, 20)) == [
        ("aid_pledge", dt.date(2023, 3, 20), dt.date(2023, 3, 20), "Brussels")
    ]


def test_the_doer_of_a_noun_event_is_the_subject_of_its_light_verb() -> None:
    text = (
        "Separately, the Philippines and the United States will hold joint naval exercises in the South "
        "China Sea next week, the navy said."
    )
    extraction, event = one_event(text, dt.date(2024, 5, 23))
    assert (event.type, event.date_start, event.date_end) == (
        "military_exercise",
        dt.date(2024, 5, 27),
        dt.date(2024, 6, 2),
    )
    assert names(extraction, event, "actor") == ["Philippines", "United States"]


def test_two_tellings_keep_every_sentence_and_the_exact_count() -> None:
    text = (
        "Also on Tuesday, dozens of Afghan soldiers returned to Afghanistan after taking refuge in Pakistan, "
        "according to a statement from the Pakistan armed forces.\n\nThe 46 soldiers, including five "
        "officers, returned to Afghan government authorities at the Nawa Pass border crossing in Bajaur "
        "district, the statement said."
    )
    extraction, event = one_event(text, dt.date(2021, 7, 27))
    assert (event.type, event.location_text, event.people) == (
        "border_crossing",
        "Nawa Pass",
        Quantity(46, "exact"),
    )
    assert event.quote.startswith("The 46 soldiers")
    assert [quote[:40] for _, _, quote in event.more_evidence] == ["Also on Tuesday, dozens of Afghan soldie"]
    assert all(text[start:end] == quote for start, end, quote in event.more_evidence)
    assert names(extraction, event, "actor") == ["Afghan soldiers"]


def test_conjoined_victims_of_a_shared_participle_are_summed_and_the_post_names_the_target() -> None:
    text = (
        "US and NATO forces vacated their main Bagram Air Base near Kabul on Friday.\n\n"
        "Also on Sunday, Bagram district governor Sheren Rufi said that security forces thwarted a Taliban "
        "attack on the Bagram airbase.\n\nA group of 20 Taliban fighters attacked the local police "
        "checkpoint near the airbase, with one policeman and one insurgent killed in the exchange of "
        "fire, Rufi added."
    )
    extraction = extract_article(text, dt.date(2021, 7, 4))
    [event] = [e for e in extraction.events if e.type == "attack"]
    assert (event.type, event.fatalities, event.people) == (
        "attack",
        Quantity(2, "exact"),
        Quantity(20, "exact"),
    )
    assert names(extraction, event, "actor") == ["Taliban"]
    assert names(extraction, event, "target") == ["police"]
    assert event.quote.startswith("A group of 20 Taliban fighters")
    assert [quote[:30] for _, _, quote in event.more_evidence] == ["Also on Sunday, Bagram distric"]


def test_the_side_a_withdrawal_fought_is_a_participant() -> None:
    text = (
        "Late last month, Afghan army and police personnel pulled out of Helmand’s Musa Qala and Now Zad "
        "districts following months of deadly battles with the Taliban."
    )
    extraction = extract_article(text, dt.date(2016, 3, 15))
    for event in extraction.events:
        assert names(extraction, event, "actor") == ["Afghan army", "Afghan police"]
        assert names(extraction, event, "other") == ["Taliban"]


def test_a_town_that_fell_to_a_group_after_troops_withdrew_names_the_group_as_their_opponent() -> None:
    text = "Government troops withdrew from Kunduz on Monday after the city fell to the Taliban."
    extraction = extract_article(text, dt.date(2021, 8, 10))
    [withdrawal] = [e for e in extraction.events if e.type == "withdrawal"]
    assert names(extraction, withdrawal, "actor") == ["Government troops"]
    assert names(extraction, withdrawal, "other") == ["Taliban"]


def test_a_count_is_not_part_of_a_group_name() -> None:
    text = (
        "The border units of Tajikistan said on Saturday that more than 300 Afghan forces retreated from "
        "at least a dozen districts in Badakhshan and fled to Tajikistan."
    )
    extraction, event = one_event(text, dt.date(2021, 7, 4))
    assert names(extraction, event, "actor") == ["Afghan forces"]
    assert event.people == Quantity(300, "at_least")
    assert not any("300" in entity.name for entity in extraction.entities)


def test_who_held_a_news_conference_with_whom() -> None:
    text = (
        "KABUL, March 15 - The NATO chief, Jens Stoltenberg, praised Afghan security forces during a news "
        "conference with President Ashraf Ghani on Tuesday."
    )
    extraction, event = one_event(text, dt.date(2016, 3, 15))
    assert event.type == "diplomatic_meeting"
    assert names(extraction, event, "actor") == ["Jens Stoltenberg", "NATO"]
    assert names(extraction, event, "target") == ["Ashraf Ghani"]


def test_a_capture_of_many_districts_is_not_the_fall_of_one() -> None:
    text = (
        "The fall of Panjwai district on Sunday in the southern province of Kandahar comes just two days "
        "after US and NATO forces vacated their main Bagram Air Base near Kabul.\n\n"
        "In northern side of the country, Taliban captured some 11 districts in the latest fighting on "
        "Sunday, according to TOLO News."
    )
    events = events_of(text, dt.date(2021, 7, 4))
    assert [(e.type, e.location_text) for e in events][:1] == [("territory_captured", "Panjwai")]
    assert [e.type for e in events] == ["territory_captured", "withdrawal", "territory_captured"]
    assert not events[0].more_evidence


def test_protesters_who_marched_or_who_blocked_roads_to_protest_protested() -> None:
    text = "Police fired tear gas at hundreds of students who marched on the ministry in Accra on Tuesday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["protest"]
    text = "Hundreds of truckers blocked the motorway near Lyon on Tuesday to protest against fuel taxes."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["protest"]
    text = "Nurses have called a two-day strike from next Monday to protest against the pay offer."
    assert events_of(text, dt.date(2024, 3, 7)) == []  # the strike called is yet to come
    text = "The trade minister flew to Geneva on Tuesday to protest against the new tariffs."
    assert events_of(text, dt.date(2024, 3, 7)) == []
    text = "The company that marched into the Asian market last year reported higher profits on Tuesday."
    assert events_of(text, dt.date(2024, 3, 7)) == []


def test_crowds_that_gathered_for_other_ends_or_held_meetings_did_not_protest() -> None:
    text = (
        "The mayor thanked hundreds of residents who gathered on the beach in Brighton on Sunday to pick "
        "up litter."
    )
    assert events_of(text, dt.date(2024, 3, 7)) == []
    text = "The minister thanked hundreds of residents who gathered outside the gas plant in Leeds on Sunday."
    assert events_of(text, dt.date(2024, 3, 7)) == []  # a gas plant is no tear gas
    text = "Workers held a meeting in Detroit on Monday to protest the planned layoffs."
    assert events_of(text, dt.date(2024, 3, 7)) == []


def protest_parties(text: str) -> list[tuple[str, list[str], list[str]]]:
    extraction = extract_article(text, dt.date(2024, 3, 7))
    names = {entity.key: entity.name for entity in extraction.entities}

    def named(event: ExtractedEvent, role: str) -> list[str]:
        return [names[p.entity_key] for p in event.participants if p.role == role]

    return [(e.type, named(e, "actor"), named(e, "target")) for e in extraction.events]


def test_a_crowd_met_by_police_protested_and_the_police_are_not_its_doers() -> None:
    text = "Police fired tear gas at demonstrators in central Nairobi on Tuesday."
    assert protest_parties(text) == [("protest", ["demonstrators"], ["Police"])]
    text = "Riot police used water cannon against demonstrators outside parliament in Tbilisi on Monday."
    assert protest_parties(text) == [("protest", ["demonstrators"], ["Riot police"])]
    text = "Police dispersed the crowd with tear gas and rubber bullets in Lagos on Saturday."
    assert protest_parties(text) == [("protest", ["crowd"], ["Police"])]
    text = "Demonstrators were dispersed by police with tear gas in Dakar on Saturday."
    assert protest_parties(text) == [("protest", ["Demonstrators"], ["police"])]
    text = "Officers threw stun grenades into the crowd outside the courthouse in Lagos on Tuesday."
    assert protest_parties(text) == [("protest", ["crowd"], ["Officers"])]
    text = "Police in Nairobi fired teargas at opposition supporters who had gathered near the city centre."
    assert protest_parties(text) == [("protest", ["opposition supporters"], ["Police"])]
    text = "Police fired tear gas shells at protesters in Srinagar on Friday."  # shells, yet no shelling
    assert protest_parties(text) == [("protest", ["protesters"], ["Police"])]
    text = (
        "Police used tear gas and water cannon to break up a demonstration by opposition supporters "
        "in Kinshasa."
    )
    assert protest_parties(text) == [("protest", ["opposition supporters"], ["Police"])]
    # what the police meant to do tells a crowd that was there, on the Tuesday before, not one to come
    text = "Police fired tear gas to disperse protesters in central Nairobi on Tuesday."
    assert summary(text, dt.date(2024, 3, 7)) == [
        ("protest", dt.date(2024, 3, 5), dt.date(2024, 3, 5), "Nairobi")
    ]
    assert protest_parties(text) == [("protest", ["protesters"], ["Police"])]


def test_dispersing_and_firing_that_meet_no_protest_are_no_protest() -> None:
    for text in [
        "The fog dispersed by noon in London on Tuesday.",
        "The fund dispersed its assets among creditors in Zurich on Monday.",
        "The company used water cannon to clean the tanks at its plant in Leeds on Monday.",
        "Residents were dispersed to temporary shelters after the floods in Sindh on Tuesday.",
        "Police dispersed people gathered at a market in Lagos on Sunday in violation of the curfew.",
        "Police on Friday dispersed a wedding gathering of 200 people in Karachi for breaching the rules.",
        "Police used pepper spray on a driver who refused to leave his car in Denver on Tuesday.",
        "Police said they would use water cannon against any protesters who tried to enter the square.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text
    text = "Soldiers fired grenades at the rebel base near Goma on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["remote_violence"]


def test_a_crowd_beaten_gassed_or_scattered_by_police_protested() -> None:
    text = "Riot police beat demonstrators with batons outside parliament in Belgrade on Saturday."
    assert protest_parties(text) == [("protest", ["demonstrators"], ["Riot police"])]
    text = "Police lobbed tear gas canisters at stone-throwing youths in Srinagar on Friday."
    assert [kind for kind, _, _ in protest_parties(text)] == ["protest"]
    text = "The crowd dispersed after police fired tear gas in central Harare on Tuesday."
    assert protest_parties(text) == [("protest", ["crowd"], [])]


def test_beating_charging_or_dispersing_without_police_means_is_no_protest() -> None:
    for text in [
        "Liverpool beat Chelsea 2-1 at Anfield on Saturday.",
        "Prosecutors in Lagos on Monday charged 20 protesters with vandalism.",
        "The company charged customers a fee in London on Monday.",
        "Protesters dispersed peacefully in Colombo on Monday evening.",  # no one met them
        "The man beat his wife with a baton in Leeds on Monday, police said.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text


def crowd(text: str) -> list[tuple[str, list[str], Quantity | None]]:
    extraction = extract_article(text, dt.date(2024, 3, 7))
    names = {entity.key: entity.name for entity in extraction.entities}
    return [
        (e.type, [names[p.entity_key] for p in e.participants if p.role == "actor"], e.people)
        for e in extraction.events
    ]


def test_crowds_that_marched_gathered_or_took_to_the_streets_to_protest_protested() -> None:
    thousands = Quantity(2000, "range", 9999)
    text = "Thousands marched peacefully through Santiago on Friday to demand pension reform."
    assert crowd(text) == [("protest", [], thousands)]
    text = (
        "Thousands gathered in Liberation Square in Cairo on Friday to protest against the new constitution."
    )
    assert crowd(text) == [("protest", [], thousands)]
    text = "Tens of thousands of people marched through Lisbon on Saturday against austerity."
    assert crowd(text) == [("protest", ["people"], Quantity(20000, "range", 99999))]
    text = "Protesters took to the streets of Bogota on Thursday to denounce police violence."
    assert crowd(text) == [("protest", ["Protesters"], None)]
    text = "Supporters of the jailed leader took to the streets of Karachi on Sunday."
    assert crowd(text) == [("protest", ["Supporters"], None)]


def test_the_crowd_that_protested_is_its_doer_and_its_size_the_people_who_took_part() -> None:
    text = "Dozens of lawyers held a demonstration in Islamabad on Monday against the arrest of a colleague."
    assert crowd(text) == [("protest", ["lawyers"], Quantity(24, "range", 99))]
    text = "Hundreds of farmers blocked a highway near Amritsar on Monday to protest against new farm laws."
    assert crowd(text) == [("protest", ["farmers"], Quantity(200, "range", 999))]
    text = "Residents demonstrated in Tripoli on Saturday against power cuts."
    assert crowd(text) == [("protest", ["Residents"], None)]
    text = "Opposition supporters gathered in the central square of Minsk to protest the election results."
    assert crowd(text) == [("protest", ["Opposition supporters"], None)]
    text = "Police fired tear gas at about 300 protesters in central Nairobi on Tuesday."
    assert crowd(text) == [("protest", ["protesters"], Quantity(300, "approximately"))]


def test_crowds_out_for_other_ends_and_troops_on_the_march_did_not_protest() -> None:
    for text in [
        "Troops marched into the town of Bor on Monday.",
        "Thousands of fans marched to the stadium in Madrid on Sunday.",
        "Thousands gathered in the square in Rome on Sunday to celebrate the victory.",
        "Thousands gathered in Mecca on Friday for prayers.",
        "Troops took to the streets of the capital on Sunday after the coup.",
        "The agency bought sugar in Brussels on Tuesday from traders protesting that rebates were too low.",
        "Shares took to the streets of the market rally, traders joked on Monday.",
    ]:
        assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == [], text


def test_fire_opened_on_unarmed_people_is_violence_against_civilians_with_its_toll() -> None:
    text = (
        "Security forces opened fire on protesters in Khartoum on Tuesday, killing five people, medics said."
    )
    events = events_of(text, dt.date(2024, 3, 7))
    assert [(e.type, e.fatalities) for e in events] == [("violence_against_civilians", Quantity(5, "exact"))]
    assert protest_parties(text) == [("violence_against_civilians", ["Security forces"], ["protesters"])]
    text = "Gunmen opened fire on worshippers at a mosque in Kano on Friday, killing seven."
    assert protest_parties(text) == [("violence_against_civilians", ["Gunmen"], ["worshippers"])]
    text = "Soldiers opened fire on civilians in the village of Tula on Monday."
    assert protest_parties(text) == [("violence_against_civilians", ["Soldiers"], ["civilians"])]
    text = (
        "Troops fired live ammunition at thousands of protesters in Khartoum, "
        "killing at least 12, medics said."
    )
    events = events_of(text, dt.date(2024, 3, 7))
    assert [(e.type, e.fatalities) for e in events] == [
        ("violence_against_civilians", Quantity(12, "at_least"))
    ]


def test_protesters_shot_or_killed_by_forces_are_civilians_they_killed_not_a_battle() -> None:
    text = "Police shot dead three demonstrators in Lagos on Monday."
    assert protest_parties(text) == [("violence_against_civilians", ["Police"], ["demonstrators"])]
    text = "Two protesters were shot dead by police in Kinshasa on Sunday."
    events = events_of(text, dt.date(2024, 3, 7))
    assert [(e.type, e.fatalities, e.people) for e in events] == [
        ("violence_against_civilians", Quantity(2, "exact"), None)  # the shot are no crowd that did it
    ]
    text = "Security forces killed 15 protesters in Baghdad on Friday."
    assert protest_parties(text) == [("violence_against_civilians", ["Security forces"], ["protesters"])]


def test_fire_opened_on_forces_is_an_attack_and_on_nobody_or_policemen_no_massacre() -> None:
    text = "Insurgents opened fire on a police patrol in Kunar province on Tuesday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["attack"]
    text = "Militants shot dead two policemen and a civilian at a checkpoint in Quetta on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["attack"]
    text = "The shop opened on Tuesday in Lagos, and the fire brigade came later."
    assert events_of(text, dt.date(2024, 3, 7)) == []


def test_fire_opened_with_crowd_control_or_on_armed_men_or_in_a_fight_is_no_massacre() -> None:
    text = "Riot police opened fire with tear gas on demonstrators in Caracas on Saturday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == []
    text = "Police shot rubber bullets at demonstrators in Bogota on Wednesday."
    assert protest_parties(text) == [("protest", ["demonstrators"], ["Police"])]
    text = "Soldiers opened fire on armed supporters of the warlord in Mogadishu on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["attack"]
    text = "Troops opened fire on a crowd of Taliban fighters in Kandahar on Sunday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["attack"]
    for text in [
        "Fighters from the two militias opened fire on each other in Tripoli on Monday.",
        "Government troops opened fire on rebel positions near Bakhmut on "
        "Tuesday, and the rebels returned fire.",
        "Rebels opened fire on government troops near Goma on Thursday, sparking clashes.",
    ]:
        assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["armed_clash"], text
    text = "Soldiers opened fire on villagers who were fleeing the fighting in Rakhine on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["violence_against_civilians"]


def test_fire_opened_during_an_attack_on_civilians_is_that_one_attack() -> None:
    text = (
        "Gunmen attacked a church in Owo on Sunday, opening fire on "
        "worshippers and killing at least 40 people."
    )
    events = events_of(text, dt.date(2024, 3, 7))
    assert [(e.type, e.fatalities) for e in events] == [
        ("violence_against_civilians", Quantity(40, "at_least"))
    ]
    text = "Gunmen stormed a hotel in Mogadishu on Friday and opened fire on guests, killing 12 people."
    assert protest_parties(text) == [("violence_against_civilians", ["Gunmen"], [])]


def test_streets_taken_or_crowds_gathered_for_other_ends_are_no_protest() -> None:
    for text in [
        "Thousands took to the streets of Paris on Sunday to celebrate the Olympic victory.",
        "Hundreds of residents took to the streets of Tokyo on Sunday for the annual festival.",
        "Residents took to the streets of Valencia on Thursday to clear mud after the floods.",
        "Thousands gathered in Jerusalem on Thursday against the backdrop of rising tensions.",
        "The committee voted 7-2 in Brussels on Monday, and the two protested the decision.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text


def test_a_few_hundred_or_several_thousand_are_hundreds_and_thousands() -> None:
    text = "Several thousand workers gathered outside the factory in Dhaka on Sunday to demand unpaid wages."
    assert crowd(text) == [("protest", ["workers"], Quantity(3000, "at_least"))]
    text = (
        "A few hundred residents blocked the main road into Cochabamba on Friday to protest water shortages."
    )
    assert crowd(text) == [("protest", ["residents"], Quantity(300, "at_least"))]


def test_a_crowds_own_violence_is_a_riot_with_the_crowd_as_its_doer() -> None:
    text = "Rioters set fire to cars and looted shops in Marseille overnight."
    assert crowd(text) == [("riot", ["Rioters"], None)]
    text = "Angry youths threw stones at police and burned tyres in Conakry on Monday."
    assert crowd(text) == [("riot", ["Angry youths"], None)]
    text = "A mob lynched a man accused of theft in a village near Kano on Sunday."
    assert crowd(text) == [("riot", ["mob"], None)]
    text = "Hundreds of students pelted police with stones outside the university in Dhaka on Monday."
    assert protest_parties(text) == [("riot", ["students"], ["police"])]
    text = "Demonstrators hurled petrol bombs at the police station in Belfast on Tuesday night."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]
    text = "Riots broke out in several districts of Nairobi on Tuesday after the election results."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]


def test_protesters_who_clashed_with_police_rioted_and_the_arrests_stay_apart() -> None:
    text = "Protesters clashed with police in Paris on Saturday, and 30 people were arrested."
    assert protest_parties(text) == [("riot", ["Protesters"], ["police"]), ("arrest", [], ["people"])]
    text = "Demonstrators stormed the parliament building in Colombo on Wednesday."
    assert protest_parties(text) == [("riot", ["Demonstrators"], [])]


def test_the_dead_of_a_riot_are_its_toll() -> None:
    text = "Prisoners rioted at the jail in Manaus on Sunday, killing 12 inmates."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("riot", Quantity(12, "exact"))
    ]
    text = "Two people were killed when rioters set fire to a bus in Nairobi on Tuesday."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("riot", Quantity(2, "exact"))
    ]


def test_riot_police_thieves_fighters_and_colour_are_no_riot() -> None:
    for text, kinds in [
        ("The stadium was a riot of colour on Saturday.", []),
        ("Thieves ransacked the office in Lagos on Monday.", []),
        ("Workers set up a picket line at the plant in Detroit on Monday.", []),
        ("Riot police fired tear gas at protesters in Santiago on Friday.", ["protest"]),
        ("Taliban fighters stormed a police checkpoint in Kunduz on Monday.", ["attack"]),
        ("The soldiers threw grenades at the rebel base near Goma on Monday.", ["remote_violence"]),
    ]:
        assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == kinds, text


def test_crowds_in_sport_debate_and_ceremony_and_riots_a_court_recalls_are_no_riot() -> None:
    for text in [
        "Students stormed to victory in the university quiz final on Saturday.",
        "The crowd stormed the pitch after the final whistle at Wembley on Sunday.",
        "Protesters stormed out of the meeting with the minister on Monday.",
        "Protesters attacked the government's record on inflation on television on Saturday.",
        "The crowd smashed the attendance record at Twickenham on Saturday.",
        "Demonstrators clashed over the wording of the petition at a meeting on Monday.",
        "The marchers fought off the rain to complete the route on Sunday.",
        "Demonstrators burned the national flag outside the embassy in Tehran on Friday.",
        "Manchester City ran riot against Luton on Saturday, winning 6-1.",
        "The comedy, which premiered in London on Friday, is an absolute riot.",
        "A man was charged on Monday with rioting in Tottenham in 2011.",
        "A man threw a brick through the window of a mosque in Leeds on Sunday.",
        "A severe hailstorm pelted the town with golf-ball-sized hail stones on Monday.",
        "Rumours that riots had broken out in Penang hit the stock market on Monday, brokers said.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text


def test_armed_youths_attack_and_the_dead_police_killed_are_not_the_riots_toll() -> None:
    text = "Militia youths attacked an army base in Ituri on Sunday, killing four soldiers."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("attack", Quantity(4, "exact"))
    ]
    text = "Security forces killed three protesters on Saturday who had stormed a police station in Zinder."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("violence_against_civilians", Quantity(3, "exact")),
        ("riot", None),
    ]
    text = "Hindu and Muslim mobs clashed in the town of Nuh on Monday, killing four people."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("riot", Quantity(4, "exact"))
    ]


def test_clashes_between_a_crowd_and_police_are_a_riot_between_them() -> None:
    text = "Clashes between protesters and police left two people dead in Lagos on Monday."
    assert protest_parties(text) == [("riot", ["protesters"], ["police"])]
    assert [e.fatalities for e in events_of(text, dt.date(2024, 3, 7))] == [Quantity(2, "exact")]
    text = "Two people were killed in clashes between students and police in Dhaka on Tuesday."
    assert protest_parties(text) == [("riot", ["students"], ["police"])]
    text = "Clashes broke out between rival supporters and police in Kisumu on Sunday."
    assert protest_parties(text) == [("riot", ["rival supporters"], ["police"])]
    text = "Clashes between rival supporters killed three people in Kisumu on Sunday."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("riot", Quantity(3, "exact"))
    ]


def test_clashes_with_armed_men_on_a_side_stay_armed_clashes_between_the_sides() -> None:
    text = "Clashes between militants and villagers killed four people in Zamfara on Monday."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("armed_clash", Quantity(4, "exact"))
    ]
    text = "Fighting between the army and rebels left 12 dead in Kivu on Saturday."
    assert protest_parties(text) == [("armed_clash", ["army"], ["rebels"])]
    assert [e.fatalities for e in events_of(text, dt.date(2024, 3, 7))] == [Quantity(12, "exact")]
    text = "Gunmen attacked a bus in Zamfara on Monday, leaving 7 dead."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("attack", Quantity(7, "exact"))
    ]


def test_a_crowds_violence_told_in_the_passive_is_a_riot_by_the_crowd() -> None:
    text = "Police were pelted with stones by youths in Srinagar on Friday."
    assert protest_parties(text) == [("riot", ["youths"], ["Police"])]
    text = "Shops were looted and cars set on fire by rioters in Durban on Sunday."
    assert protest_parties(text) == [("riot", ["rioters"], [])]
    text = "The parliament building was stormed by demonstrators in Colombo on Saturday."
    assert protest_parties(text) == [("riot", ["demonstrators"], [])]
    for text in [
        "Clashes between students and teachers over the new curriculum dominated the meeting on Monday.",
        "Verbal clashes between supporters of the two candidates marked the debate on Tuesday.",
        "The senator said on Monday the budget row was childish, similar to a pillow fight among students.",
        "The plan was attacked by students in Paris on Friday.",
        "The fight over the debt ceiling killed the bill on Sunday.",
        "The storm left 12 dead in Kerala on Saturday.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text


def test_fights_online_in_games_denied_feared_or_in_court_are_no_riot() -> None:
    for text in [
        "A fight between two fans on social media went viral on Tuesday.",
        "A journalist was attacked by fans on social media after her review on Monday.",
        "A snowball fight between students in Boston on Monday drew hundreds of people.",
        "There were no clashes between protesters and police in Paris on Saturday, officials said.",
        "There were no clashes between rebels and troops in Goma on Saturday, officials said.",
        "Police said on Monday they were prepared for possible clashes between rival fans on Saturday.",
        "A court in London on Monday jailed five men over clashes between rival fans in 2021.",
        "The students' battle against tuition fees won support in parliament on Tuesday.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text


def test_police_who_fought_a_crowd_met_its_riot_and_a_fights_sides_are_actor_and_target() -> None:
    text = "Police clashed with hundreds of protesters in Lima on Monday, leaving 7 dead."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("riot", Quantity(7, "exact"))
    ]
    assert protest_parties(text) == [("riot", ["protesters"], ["Police"])]  # the crowd's riot
    text = "Police fought running battles with youths in the streets of Belfast on Monday night."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]
    text = "Clashes between the army and rebels in North Kivu on Saturday killed 12 people."
    assert protest_parties(text) == [("armed_clash", ["army"], ["people", "rebels"])]
    text = "Incidents like Sunday's clashes between fans and police in Lyon are becoming more common."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]


def test_a_riot_keeps_its_toll_and_two_crowds_the_same_day_are_two_events() -> None:
    text = "Clashes broke out between protesters and police in Lahore on Monday and left two dead."
    assert [(e.type, e.fatalities) for e in events_of(text, dt.date(2024, 3, 7))] == [
        ("riot", Quantity(2, "exact"))
    ]
    text = (
        "Teachers marched in Nairobi on Monday to demand higher pay. "
        "Fans rioted after a football match in Nairobi on Monday."
    )
    assert protest_parties(text) == [("protest", ["Teachers"], []), ("riot", ["Fans"], [])]
    text = (
        "Demonstrators gathered in Tahrir Square on Friday. "
        "Later in the day some of them torched a police car in the square."
    )
    assert protest_parties(text) == [("riot", ["Demonstrators"], [])]


def test_a_march_some_of_whose_crowd_threw_stones_is_one_riot() -> None:
    text = (
        "Hundreds of students marched in Dhaka on Friday; some of them threw stones at police, "
        "who fired tear gas."
    )
    assert crowd(text) == [("riot", ["students"], Quantity(200, "range", 999))]
    text = "Hundreds of students marched in Dhaka on Friday. They threw stones at police, who fired tear gas."
    assert crowd(text) == [("riot", ["students"], Quantity(200, "range", 999))]
    text = "Some of the protesters threw stones at police in Dhaka on Friday."
    assert crowd(text) == [("riot", ["protesters"], None)]
    text = "Police arrested 20 militants in Kabul on Friday. They threw stones at police."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["arrest"]
    text = "Thousands marched in Lagos on Friday to demand jobs. On Saturday rioters looted shops in Lagos."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["protest", "riot"]


def test_a_crowd_named_by_its_trade_riots_but_not_in_a_fire_a_fight_over_pay_or_beside_herders() -> None:
    text = "Striking miners clashed with police outside the pit in Yorkshire on Monday."
    assert protest_parties(text) == [("riot", ["Striking miners"], ["police"])]
    text = (
        "More than 60 people were injured in pitched battles between police and steel foundry workers "
        "in Reinosa last month."
    )
    assert protest_parties(text) == [("riot", ["steel foundry workers"], ["police"])]  # the crowd's riot
    text = "Workers and residents clashed with police in Soweto on Tuesday over power cuts."
    assert protest_parties(text) == [("riot", ["Workers"], ["police"])]
    for text in [
        "Workers fought a fire at the refinery in Texas on Monday.",
        "Workers clashed with management over pay at the plant in Detroit on Monday.",
        "Farmers and herders clashed in Benue state on Sunday, leaving 12 dead.",
        "The striker fought for the ball with the defender at Anfield on Saturday.",
    ]:
        assert [e.type for e in events_of(text, dt.date(2024, 3, 7)) if e.type == "riot"] == [], text


def test_a_losing_legal_or_long_battle_and_a_war_of_words_are_no_fight() -> None:
    for text in [
        "Farmers fought a losing battle against rising salinity in the Mekong Delta on Tuesday.",
        "Miners fought a long battle for compensation in the courts in Pretoria, which ended on Thursday.",
        "Dockers fought a legal battle against the port authority in Rotterdam, which ended on Monday.",
        "Youths fought a losing battle against unemployment in Tunis, a report said on Monday.",
        "Farmers fought a war of words with the minister in Paris on Monday.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text
    text = "Rebels fought a war of attrition with the army in Kivu on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["armed_clash"]


def test_a_crowds_looting_arson_and_overturned_cars_and_a_fight_among_itself_are_riots() -> None:
    for text, doers in [
        ("Striking workers looted a company warehouse in Port Harcourt on Monday.", ["Striking workers"]),
        ("Workers set fire to the factory in Gazipur on Thursday after a colleague died.", ["Workers"]),
        ("Hundreds of peasants overturned police cars in Wukan on Monday.", ["peasants"]),
        ("Workers at a nickel smelter in Morowali clashed with each other on Saturday.", ["Workers"]),
    ]:
        assert [(kind, actors) for kind, actors, _ in protest_parties(text)] == [("riot", doers)], text
    text = "Police and strikers fought running battles at the gates of the plant in Uitenhage on Wednesday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]


def test_fighting_beside_others_or_a_fire_and_a_disputes_subject_are_no_event() -> None:
    for text in [
        "Police and workers fought side by side to contain the blaze at the factory in Kanpur on Friday.",
        "Firefighters fought to contain the fire at the warehouse in Durban on Monday.",
        "The court overturned the ruling on the merger in Delhi on Monday.",
        "Villagers marched in Wukan on Monday during a dispute over land seizures.",
    ]:
        assert [e.type for e in events_of(text, dt.date(2024, 3, 7)) if e.type != "protest"] == [], text
    text = "Peasants overturned police cars in Wukan on Monday during a dispute over land seizures."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]


def test_villagers_who_torch_a_police_station_riot_but_those_who_attack_a_taliban_checkpoint_fight() -> None:
    text = "Villagers torched a police station in Ondo State on Wednesday."
    assert protest_parties(text) == [("riot", ["Villagers"], ["police"])]
    text = "Villagers attacked a Taliban checkpoint in Ghazni on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["attack"]
    text = "Villagers clashed with militants in Zamfara on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["armed_clash"]


def test_a_riot_of_a_period_the_sentence_dates_to_an_earlier_decade_is_history() -> None:
    text = (
        "Funaro had memories of the IMF austerity program in Brazil in the early 1980s, a period when "
        "hungry crowds stormed supermarkets."
    )
    assert events_of(text, dt.date(1987, 4, 27)) == []
    text = "Riots broke out in Ferguson in the 2010s after police shootings."
    assert events_of(text, dt.date(2024, 3, 7)) == []
    text = "The vote came at a time when protesters stormed parliament in Colombo on Monday."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]


def test_events_banned_feared_called_for_prevented_or_on_trial_did_not_happen() -> None:
    for text in [
        "Authorities in Islamabad banned rallies on Friday, fearing clashes between rival parties.",
        "The opposition called for protests next week, its leader told reporters in Dakar on Thursday.",
        "Police prevented an attack on the embassy in Kabul on Monday.",
        "The union called off the strike in Lagos on Monday.",
        "Twelve people went on trial in Nanterre on Monday over the 2023 riots.",
        "Five men appeared in court in Leeds on Monday over the clashes between rival fans in March.",
        "The controversy over last year's riots dominated parliament in Dhaka on Monday.",
    ]:
        assert events_of(text, dt.date(2024, 3, 7)) == [], text
    text = "The force called for air strikes in Zurmat on Sunday, killing five insurgents."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["remote_violence"]
    text = "Looters stormed supermarkets in Port-au-Prince on Monday as gang violence paralysed the capital."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["riot"]


def test_a_present_tense_under_a_past_one_is_read_as_past_only_for_verbs_whose_past_is_the_same() -> None:
    text = "Soldiers said on Monday they withdrew from the post because militants attack it every night."
    assert [e.type for e in events_of(text, dt.date(2024, 3, 7))] == ["withdrawal"]
