import datetime as dt

from ingest.extract import extract_article
from ingest.extracted import ArticleExtraction, ExtractedEvent, Quantity


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


def test_casualties_dated_by_the_report_day() -> None:
    text = (
        "Afghanistan's Defence Ministry said on Saturday that 224 Taliban fighters were killed in operations "
        "in the last 24 hours."
    )
    (event,) = events_of(text, dt.date(2021, 7, 4))
    assert (event.type, event.date_start, event.fatalities) == (
        "casualties_reported",
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
