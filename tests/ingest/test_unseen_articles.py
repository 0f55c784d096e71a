"""The rules on short articles written for this test about other conflicts and politics.

Nobody tuned the rules on these texts before writing the expectations: each test states what a careful
coder would record (type, date, place and country, actors and targets, counts with their qualifier) and
that nothing violent is invented.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from ingest.article_extraction import Quantity
from ingest.clean import clean_text
from ingest.extract import extract_article

VIOLENT = {
    "attack",
    "armed_clash",
    "remote_violence",
    "territory_captured",
    "territory_regained",
    "casualties_reported",
    "violence_against_civilians",
}

ODESA = (
    "Russian missile strike kills five in Ukraine's Odesa\n\n"
    "KYIV, March 7 - A Russian missile struck a residential building in the southern Ukrainian "
    "city of Odesa on Wednesday, killing at least five people and wounding 12 others, regional "
    "governor Oleh Kiper said.\n\n"
    "Rescuers were still searching the rubble on Thursday morning. Among the dead was a 10-year-"
    "old child, Kiper said on Telegram.\n\n"
    "Ukraine's air force said Russia launched 14 drones and two ballistic missiles overnight, and"
    " that air defences shot down 11 of the drones over the Odesa and Mykolaiv regions.\n\n"
    "Russia's defence ministry did not comment on the strike. Moscow denies targeting civilians."
)

DARFUR = (
    "Sudan's RSF says it has seized army base in West Darfur\n\n"
    "The paramilitary Rapid Support Forces (RSF) said on Saturday it had taken control of the "
    "army's main base in El Geneina, the capital of West Darfur state, after two days of heavy "
    "fighting.\n\n"
    "The Sudanese army did not respond to requests for comment. Residents said on Sunday that RSF"
    " fighters had also captured the town of Ardamata on the city's outskirts, and that dozens of"
    " civilians were killed there.\n\n"
    "At least 4,000 people have crossed into neighbouring Chad over the past week, the United "
    "Nations refugee agency UNHCR said on Sunday.\n\n"
    "The war between the army and the RSF broke out in April and has displaced more than six "
    "million people."
)

LIMA = (
    "Peru police arrest dozens as thousands protest in Lima\n\n"
    "Thousands of protesters gathered in central Lima on Thursday to demand the resignation of "
    "President Dina Boluarte, and police arrested 37 people after clashes near Congress, Peru's "
    "interior ministry said.\n\n"
    "Demonstrators marched from Plaza San Martin toward the legislature, where riot police fired "
    "tear gas to disperse them. Eleven officers and several protesters were injured, the ministry"
    " said.\n\n"
    "Organisers said more protests were planned in Cusco and Arequipa next week."
)

CAIRO = (
    "Gaza truce talks in Cairo end without a deal\n\n"
    "CAIRO, Feb 14 - Negotiators from the United States, Egypt and Qatar held talks with an "
    "Israeli delegation in Cairo on Tuesday on a ceasefire in Gaza and the release of hostages "
    "held by Hamas, but the meeting ended without a breakthrough, two Egyptian security sources "
    "said.\n\n"
    "CIA Director William Burns met with Egyptian intelligence chief Abbas Kamel and Qatari Prime"
    " Minister Mohammed bin Abdulrahman Al Thani, the sources said. A Hamas delegation is "
    "expected to arrive in Cairo later this week.\n\n"
    "Israel's military said on Wednesday its aircraft struck more than 40 targets in Rafah "
    "overnight. Gaza health authorities said 67 Palestinians were killed in the past 24 hours."
)

DJIBO = (
    "Militants kill 17 soldiers in ambush in northern Burkina Faso\n\n"
    "OUAGADOUGOU, Sept 25 - Suspected jihadist fighters ambushed a military convoy near the town "
    "of Djibo in northern Burkina Faso on Saturday, killing 17 soldiers and 36 volunteer defence "
    "fighters, the army said in a statement late on Sunday.\n\n"
    "The army said its troops repelled the attack and killed dozens of the assailants. Air "
    "support was deployed to the area, it added.\n\n"
    "No group has claimed responsibility, but fighters linked to al Qaeda and Islamic State are "
    "active in the region. Violence has killed thousands of people in Burkina Faso since 2015."
)

BRUSSELS = (
    "Donors pledge billions for Turkey and Syria quake survivors\n\n"
    "BRUSSELS, March 20 - International donors pledged 7 billion euros ($7.5 billion) for "
    "survivors of last month's earthquakes in Turkey and Syria at a conference in Brussels on "
    "Monday, European Commission President Ursula von der Leyen said.\n\n"
    "The European Union pledged 1 billion euros for reconstruction in Turkey, and Germany said it"
    " would provide an additional 240 million euros in humanitarian aid to Syria.\n\n"
    "The Feb. 6 earthquakes killed more than 50,000 people in the two countries."
)

TAIWAN = (
    "China launches military drills around Taiwan\n\n"
    "BEIJING, May 23 - China's military began two days of large-scale exercises around Taiwan on "
    "Thursday, sending navy ships and fighter jets to surround the island in what it called a "
    "punishment for separatist acts, state media reported.\n\n"
    "The Eastern Theater Command said the drills were taking place in the Taiwan Strait and to "
    "the north, south and east of the island. Taiwan's defence ministry said it had deployed "
    "naval and air forces to monitor the Chinese activity.\n\n"
    "Separately, the Philippines and the United States will hold joint naval exercises in the "
    "South China Sea next week, the Philippine navy said."
)

SAKE = (
    "Fighting near Goma as M23 rebels advance\n\n"
    "GOMA, Democratic Republic of Congo, Feb 8 - M23 rebels clashed with Congolese troops and "
    "allied militias near the town of Sake, about 25 km west of Goma, on Wednesday, local "
    "officials said.\n\n"
    "Artillery shells fired by the rebels hit a market in Sake, killing six civilians and "
    "wounding 20, said the town's administrator, Jean-Paul Mbeke.\n\n"
    "The army shelled rebel positions in the surrounding hills overnight, a military spokesman "
    "said. Thousands of residents fled toward Goma."
)


@dataclass(frozen=True)
class Seen:
    type: str
    start: dt.date | None
    end: dt.date | None
    place: str | None
    country: str | None
    fatalities: Quantity | None
    people: Quantity | None
    actors: tuple[str, ...]
    targets: tuple[str, ...]


@cache
def events_of(text: str, published: dt.date) -> tuple[Seen, ...]:
    extraction = extract_article(clean_text(text), published)
    entities = {entity.key: entity for entity in extraction.entities}
    seen = []
    for event in extraction.events:
        place = entities[event.location_key] if event.location_key else None
        names = {
            role: tuple(entities[p.entity_key].name for p in event.participants if p.role == role)
            for role in ("actor", "target")
        }
        seen.append(
            Seen(
                event.type,
                event.date_start,
                event.date_end,
                place.name if place else None,
                place.place.country_code if place and place.place else None,
                event.fatalities,
                event.people,
                names["actor"],
                names["target"],
            )
        )
    return tuple(seen)


def only(events: tuple[Seen, ...], *types: str) -> Seen:
    """The one event of these types."""
    (found,) = [event for event in events if event.type in types]
    return found


def violent_types(events: tuple[Seen, ...]) -> list[str]:
    return sorted(event.type for event in events if event.type in VIOLENT)


def day(year: int, month: int, day_of_month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, day_of_month), dt.date(year, month, day_of_month)


def test_missile_strike_on_a_city_kills_at_least_five() -> None:
    events = events_of(ODESA, dt.date(2024, 3, 7))
    strike = only(events, "remote_violence", "violence_against_civilians")
    assert (strike.start, strike.end) == day(2024, 3, 6)
    assert (strike.place, strike.country) == ("Odesa", "UA")
    assert strike.fatalities == Quantity(5, "at_least")
    assert strike.actors == ("Russia",)
    assert violent_types(events) == [strike.type]


def test_paramilitary_seizes_a_base_and_a_town_and_civilians_flee_across_the_border() -> None:
    events = events_of(DARFUR, dt.date(2023, 11, 6))
    base, town = [event for event in events if event.type == "territory_captured"]
    assert ((base.start, base.end), base.place, base.country) == (day(2023, 11, 4), "El Geneina", "SD")
    assert base.actors == ("Rapid Support Forces",)
    assert ((town.start, town.end), town.place, town.country) == (day(2023, 11, 5), "Ardamata", "SD")
    assert town.actors == ("Rapid Support Forces",)
    killings = only(events, "violence_against_civilians")
    assert (killings.place, killings.fatalities) == ("Ardamata", Quantity(24, "range", 99))
    crossing = only(events, "border_crossing")
    assert (crossing.place, crossing.country) == ("Chad", "TD")
    assert crossing.people == Quantity(4000, "at_least")
    assert crossing.start is not None and dt.date(2023, 10, 29) <= crossing.start <= dt.date(2023, 11, 5)
    assert violent_types(events) == [
        "territory_captured",
        "territory_captured",
        "violence_against_civilians",
    ]


def test_protest_with_arrests_is_not_an_armed_clash() -> None:
    events = events_of(LIMA, dt.date(2024, 7, 19))
    protest = next(event for event in events if event.type == "protest" and event.place == "Lima")
    assert ((protest.start, protest.end), protest.country) == (day(2024, 7, 18), "PE")
    assert protest.people == Quantity(2000, "range", 9999)
    arrest = only(events, "arrest")
    assert ((arrest.start, arrest.end), arrest.place, arrest.country) == (day(2024, 7, 18), "Lima", "PE")
    assert (arrest.actors, arrest.people) == (("police",), Quantity(37, "exact"))
    assert violent_types(events) == []


def test_ceasefire_talks_meeting_and_strikes_reported_the_next_day() -> None:
    events = events_of(CAIRO, dt.date(2024, 2, 14))
    talks = only(events, "negotiation")
    assert ((talks.start, talks.end), talks.place, talks.country) == (day(2024, 2, 13), "Cairo", "EG")
    meeting = only(events, "diplomatic_meeting")
    assert ((meeting.start, meeting.end), meeting.place) == (day(2024, 2, 13), "Cairo")
    assert meeting.actors == ("William Burns",)
    assert "Abbas Kamel" in meeting.targets
    strikes = only(events, "remote_violence")
    the_night_before_wednesday = (dt.date(2024, 2, 13), dt.date(2024, 2, 14))
    assert ((strikes.start, strikes.end), strikes.place, strikes.country) == (
        the_night_before_wednesday,
        "Rafah",
        "PS",
    )
    assert any("Israel" in actor for actor in strikes.actors)
    deaths = only(events, "casualties_reported")
    past_24_hours = (dt.date(2024, 2, 13), dt.date(2024, 2, 14))
    assert ((deaths.start, deaths.end), deaths.fatalities) == (past_24_hours, Quantity(67, "exact"))
    assert violent_types(events) == ["casualties_reported", "remote_violence"]


def test_ambush_on_a_convoy_dated_by_its_weekday_not_by_the_dateline() -> None:
    events = events_of(DJIBO, dt.date(2023, 9, 25))
    ambush = only(events, "attack")
    assert ((ambush.start, ambush.end), ambush.place, ambush.country) == (day(2023, 9, 23), "Djibo", "BF")
    assert ambush.fatalities == Quantity(53, "exact")
    assert ambush.actors == ("Suspected jihadist fighters",)
    assert violent_types(events) == ["attack"]


def test_donor_conference_pledges_and_no_violence_from_an_earthquake() -> None:
    events = events_of(BRUSSELS, dt.date(2023, 3, 20))
    pledges = [event for event in events if event.type == "aid_pledge"]
    assert [(event.start, event.actors) for event in pledges] == [
        (dt.date(2023, 3, 20), ("International donors",)),
        (dt.date(2023, 3, 20), ("European Union",)),
        (dt.date(2023, 3, 20), ("Germany",)),
    ]
    assert (pledges[0].place, pledges[0].country) == ("Brussels", "BE")
    assert violent_types(events) == []


def test_drills_under_way_and_drills_announced_for_next_week() -> None:
    events = events_of(TAIWAN, dt.date(2024, 5, 23))
    drills, planned = [event for event in events if event.type == "military_exercise"]
    assert ((drills.start, drills.end), drills.place, drills.country) == (day(2024, 5, 23), "Taiwan", "TW")
    assert any("China" in actor for actor in drills.actors)
    assert (planned.start, planned.end, planned.place) == (
        dt.date(2024, 5, 27),
        dt.date(2024, 6, 2),
        "South China Sea",
    )
    assert planned.actors == ("Philippines", "United States")
    assert violent_types(events) == []


def test_rebels_clash_with_troops_and_shell_a_market() -> None:
    events = events_of(SAKE, dt.date(2024, 2, 8))
    # the clash near Sake and the rebels' shells on its market that day are one fight, told twice; as
    # ACLED codes it, shelling that kills civilians is remote violence, not violence against civilians
    (fight,) = [event for event in events if event.place == "Sake"]
    assert (fight.type, (fight.start, fight.end), fight.country) == ("remote_violence", day(2024, 2, 7), "CD")
    assert (fight.actors, fight.targets) == (("M23",), ("Congolese troops",))
    assert fight.fatalities == Quantity(6, "exact")
    # the army's shelling that night is an event of its own, not the rebels' shelling of the market
    (army,) = [event for event in events if event.place is None]
    assert ((army.start, army.end), army.actors, army.targets) == (
        (dt.date(2024, 2, 7), dt.date(2024, 2, 8)),
        ("army",),
        ("rebel",),
    )
    assert army.fatalities is None
    assert violent_types(events) == ["remote_violence", "remote_violence"]
