"""The word lists the event rules read: trigger lemmas by event type and the nouns that qualify them."""

from __future__ import annotations

from db.taxonomy import ARMED_GROUP_NAMES, BY_PRIORITY
from ingest.nlp import words


def by_lemma(types: dict[str, str]) -> dict[str, str]:
    """{event type: "lemma lemma ..."} → {lemma: event type}."""
    return {lemma: event_type for event_type, lemmas in types.items() for lemma in lemmas.split()}


VERB_TRIGGERS = by_lemma(
    {
        "attack": "attack ambush raid storm assault shoot kidnap abduct behead torch loot target destroy set",
        "armed_clash": "clash fight battle skirmish repel repulse fend exchange",
        "remote_violence": "shell bomb bombard strike hit explode detonate fire blow launch throw pound "
        "defuse confiscate",
        "territory_captured": "capture seize overrun overtake take fall push drive expel oust",
        "territory_regained": "recapture retake regain reclaim liberate clear",
        "withdrawal": "withdraw pull retreat abandon vacate evacuate",
        "casualties_reported": "kill die wound injure massacre slaughter execute neutralise neutralize "
        "eliminate martyr",
        "deployment": "deploy send dispatch station",
        "border_crossing": "cross flee return enter",
        "diplomatic_meeting": "meet visit speak host",
        "statement": "warn announce declare condemn urge threaten vow",
        "negotiation": "negotiate sign",
        "aid_pledge": "pledge donate provide",
        "protest": "protest demonstrate rally march gather disperse break use lob beat charge",
        "arrest": "arrest detain apprehend",
        "riot": "riot lynch pelt hurl ransack vandalise vandalize",
        "violence_against_civilians": "rape",
    }
)


NOUN_TRIGGERS = by_lemma(
    {
        "attack": "attack ambush raid assault bombing",
        "armed_clash": "clash battle fight fighting firefight gunfight gunbattle shootout skirmish exchange "
        "operation encounter",
        "remote_violence": "airstrike strike shelling explosion blast bombardment ied landmine fire",
        "territory_captured": "fall capture seizure",
        "territory_regained": "recapture",
        "withdrawal": "withdrawal pullout retreat",
        "deployment": "deployment",
        "border_crossing": "passage",
        "military_exercise": "drill exercise manoeuvre maneuver wargame",
        "diplomatic_meeting": "meeting talk summit conference visit",
        "negotiation": "negotiation",
        "protest": "protest demonstration rally sit-in",
        "riot": "riot rioting",
        "arrest": "arrest",
        "casualties_reported": "death",
    }
)


VIOLENT_TYPES = words(
    "attack armed_clash remote_violence territory_captured territory_regained withdrawal "
    "casualties_reported violence_against_civilians arrest deployment border_crossing "
    "military_exercise"
)


# Violence done to people or ground, as opposed to movements of forces.
FIGHTING_TYPES = words(
    "attack armed_clash remote_violence territory_captured territory_regained casualties_reported "
    "violence_against_civilians arrest"
)


# A meeting or talks still to come are no event; a pledge to give, a deployment or drills announced are.
UNHAPPENED_WHEN_PLANNED = words("diplomatic_meeting negotiation")


PLANNABLE_TYPES = words(
    "military_exercise deployment diplomatic_meeting negotiation aid_pledge withdrawal protest"
)


# Words of armed conflict. With them, the names of armed groups (db.taxonomy.ARMED_GROUP_NAMES), which
# the model or the gazetteer may take for places or people ('Hamas', a town in Germany).
CONFLICT_WORDS = (
    words(
        "force forces troop soldier militant fighter insurgent insurgency rebel police policeman army "
        "military gunman jihadist terrorist militia commando guard airstrike bomb bomber bombing rocket "
        "mortar missile weapon gun troops marine battalion checkpoint border offensive personnel refuge war "
        "peacekeeper peacekeeping "
        "paramilitary ceasefire truce hostage drone artillery shelling warplane ambush convoy frontline "
        "navy naval warship grenade explosives ied patrol ordnance militiaman guerrilla sniper kidnapper "
        "armed bandit assailant aggressor infiltrator"
    )
    | ARMED_GROUP_NAMES
)
# Who can force their way in or a bus off the road: the verb 'force' is a sign of conflict only with them.
PEOPLE_WHO_FORCE = words("man men gunman gunmen attacker attackers assailant assailants")
# Conflict words only in lower case outside any name: 'a shell hit the house', not Royal Dutch Shell.
LOWERCASE_CONFLICT_WORDS = words("shell shells")
# What an 'explosive' is conflict in: 'an improvised explosive device', not 'an explosive fire'.
EXPLOSIVE_THINGS = words("device devices vest vests charge charges belt belts")


GROUP_NOUNS = words(
    "force forces troop troops soldier militant fighter insurgent rebel police policeman army "
    "personnel guard militia commando official authority government civilian protester demonstrator "
    "refugee villager worker student gunman officer military marine jihadist people spokesman "
    "spokesmen delegation donor negotiator mediator"
)


# Deaths nobody inflicted: not violence.
ACCIDENT_NOUNS = words(
    "crash accident collision flood earthquake quake storm disease illness landslide avalanche "
    "heatwave cyclone hurricane typhoon blaze inferno"
)

# What a 'fight', 'battle' or 'war' is waged against when it is no armed conflict: 'the fight against
# AIDS', 'battling inflation', 'firefighters battled the blaze', 'the war on drugs'.
NON_MILITARY_FOES = words(
    "aids hiv cancer disease epidemic pandemic virus malaria polio tuberculosis cholera poverty hunger "
    "famine inflation unemployment deficit recession drug drugs narcotic narcotics crime corruption "
    "pollution illiteracy racism discrimination fire fires blaze flames wildfire flood floods locust "
    "locusts pest pests obesity addiction outbreak ebola floodwaters flooding"
)
# What grows fast, when an 'explosion' or a 'boom' is one of them: 'an explosion in rents'.
GROWING_AMOUNTS = words(
    "rent rents cost costs price prices demand supply population growth number numbers spending "
    "borrowing debt inflation popularity interest sale sales import imports export exports crime "
    "violence anger protest protests traffic use"
)


# Verbs of the same, when what crashed is a vehicle: 'a helicopter crashed during a training flight,
# killing two crewmen'; not 'a bomber crashed a car into the checkpoint', 'a missile crashed into'.
ACCIDENT_VERBS = words("crash collide capsize derail overturn sink career skid swerve plunge")
VEHICLE_NOUNS = words(
    "helicopter plane aircraft airliner jet ferry boat ship vessel bus minibus train truck lorry car "
    "vehicle van coach tanker freighter trawler dhow barge tug yacht steamer"
)


# The unarmed: killing them is violence against civilians, and so is lethal force against a crowd of
# protesters (conflict coders tag it civilian targeting), not a battle.
CIVILIAN_NOUNS = words(
    "civilian villager child woman worshipper student passenger refugee protester demonstrator marcher "
    "mourner guest customer shopper migrant pilgrim passer-by journalist reveller "
    "teacher doctor nurse farmer trader shopkeeper businessman tourist resident herder shepherd fisherman"
)


# A total of the dead that a report breaks down by who they were: '3 civilians, 1 woman and 2 men'.
BROKEN_DOWN_TOTALS = words("civilian people person victim villager passenger worshipper resident")
BREAKDOWN_PARTS = words("woman man child boy girl baby infant teenager elder student worker")
# Nouns that name one person even bare, as headlines write them: 'Policeman killed in blast'.
PERSON_NOUNS = (
    words(
        "soldier policeman policewoman officer militant fighter insurgent rebel guard commando gunman marine "
        "jihadist official civilian villager journalist commander driver passenger worshipper assailant "
        "attacker aggressor"
    )
    | BREAKDOWN_PARTS
)


TERRITORY_NOUNS = words(
    "territory district town city village base checkpoint area province post position control capital "
    "crossing airbase airport airfield airstrip outpost region valley centre center hill bridge headquarters "
    "island township peninsula"
)


AID_NOUNS = words("aid assistance funding support relief fund grant loan money vaccine")
# What makes money aid to people in need, whatever loans or banks are named: 'in humanitarian
# assistance', 'donors pledged ... in grants and loans to help Syrians'.
HUMANITARIAN_WORDS = words("humanitarian relief reconstruction refugee refugees donor donors")


SPEECH_VERBS = words(
    "say tell add state report claim write announce warn confirm accuse note insist believe expect "
    "hope fear predict"
)


# Verbs whose object did not happen: 'denies targeting civilians', 'trying to avoid an emergency meeting'.
DENIAL_VERBS = words("deny refute dismiss avoid prevent deter avert forestall postpone cancel")
# Verbs that keep harm away: attacks one is protected 'from' or 'against' are those feared in general.
PROTECTING_VERBS = words("protect shield defend guard safeguard secure insure")
# Verbs that end or suspend what they govern: 'suspending protests', 'stop attacking'.
HALTING_VERBS = words("stop cease halt end quit suspend")
# Verbs that put their complement in the future: 'is expected here on Friday for talks'.
EXPECTING_VERBS = words("expect plan schedule intend")


# What news of an event is called: 'there were no reports of fighting', 'no word on casualties'.
NEWS_NOUNS = words("word report news sign indication evidence confirmation")
NON_FACT_MODALS = words("could might may should must can ca")


# Nouns that make the event they govern an idea rather than a fact: 'a proposal for a withdrawal'.
PROPOSAL_NOUNS = words(
    "proposal plan call demand offer threat deal agreement request idea possibility prospect risk "
    "fear option timetable deadline moratorium ban halt suspension"
)


FUTURE_MARKERS = {"will", "would", "'ll", "shall"}


# Talk, meetings, statements and pledges about money, trade and companies are business news, not
# politics: 'declared a quarterly dividend', 'debt rescheduling talks with creditor banks'.
POLITICAL_TALK_TYPES = words("statement diplomatic_meeting negotiation aid_pledge")
BUSINESS_WORDS = words(
    "dividend split share shares stock stake shareholder stockholder cts dlrs dlr mln bln pct company "
    "firm corporation subsidiary board executive bank banks banker creditor lender loan loans "
    "credit debt bond bonds tender offer order acquisition merger takeover buyout sale earnings profit "
    "revenue sales quota quotas price prices contract wage wages union unions employer employers "
    "management market markets trading trader export exports import imports tariff commodity annual "
    "quarterly payable refinancing rescheduling interest rate rates currency investor investors purchase "
    "purchases concession concessions business services consultancy trade"
)

# The legal forms that end a company's name ('Transco Energy Co', 'Reuters Holdings PLC'), and the
# nouns a story calls a company by ('the company said'): statements and talks of companies are business.
LEGAL_FORMS = words("inc corp co cos ltd plc ag sa nv gmbh spa bhd llc lp pty")
COMPANY_NOUNS = words(
    "company firm corporation subsidiary carrier airline maker manufacturer producer "
    "retailer insurer utility brokerage bank lender refiner mill"
)

# Which type wins when one sentence or one merged event could be either: the first.
EVENT_PRIORITY = [event_type.value for event_type in BY_PRIORITY]


# Verbs whose objects are the dead: 'massacred 45 villagers', 'executed 300 men', military releases'
# 'neutralised 11 terrorists'.
KILLING_LEMMAS = words("kill die massacre slaughter execute neutralise neutralize eliminate martyr")
CASUALTY_LEMMAS = KILLING_LEMMAS | words("wound injure")


PROTESTER_NOUNS = words(
    "protester demonstrator supporter opponent crowd people resident student worker activist farmer "
    "teacher doctor driver trucker miner nurse"
)
# Who else turns out to protest, when what they do says so ('lawyers protested', 'relatives of the
# victims took to the streets'); not enough alone to make a gathering a protest.
CROWD_MEMBERS = PROTESTER_NOUNS | words(
    "lawyer journalist trader shopkeeper merchant vendor pensioner retiree employee youth woman mother "
    "relative family villager citizen union unionist opponent"
)
# Crowds whose violence is a riot, not armed conflict: 'rioters looted shops', 'youths threw stones
# at police', 'protesters clashed with police', 'a mob lynched a man'.
RIOTING_CROWDS = words(
    "protester demonstrator rioter mob youth crowd student marcher looter fan hooligan inmate prisoner "
    "supporter worker striker miner docker farmer peasant villager"
)
# What a crowd's violence is done to: people, police, buildings, vehicles, barricades; not 'stormed the
# stage', 'attacked the plan', 'burned the national flag' or 'smashed the record'.
RIOT_TARGETS = words(
    "police policeman officer station office shop store bank building parliament car vehicle bus truck "
    "lorry home house church mosque temple synagogue headquarters embassy court courthouse market school "
    "hospital property palace compound checkpoint prison jail tyre tire barricade man woman people "
    "resident villager worker supporter fan protester demonstrator journalist motorist window convoy "
    "factory warehouse plant mill mine equipment machinery supermarket mall"
)
# What a crowd throws: 'threw stones at police', 'pelted the convoy with rocks'.
THROWN_BY_CROWDS = words("stone rock brick bottle molotov firebomb petrol")
# What a crowd does to protest ('blocked roads to protest', 'staged a sit-in to protest').
PROTEST_ACTIONS = words("block march rally occupy barricade blockade down walk picket chant")
# What a crowd holds or stages to protest: 'held rallies', 'staged a sit-in'.
PROTEST_GATHERINGS = words("rally protest demonstration march sit sit-in strike vigil picket")
PROTEST_WORDS = words("protest protester demonstration demonstrator rally march marcher")
QUANTITY_NOUNS = words(
    "dozen dozens hundred hundreds thousand thousands score scores crowd group tens number handful"
)
WEAPON_NOUNS = words(
    "missile rocket drone shell bomb aircraft warplane jet artillery mortar airstrike plane helicopter "
    "munition ied mine landmine explosive grenade rpg ordnance uxo"
)
# What kills from afar or by a hidden charge: its dead are remote violence, not a fight.
REMOTE_WEAPONS = WEAPON_NOUNS | words("bombing explosion blast shelling bombardment device airstrike")
# People taken by force: 'captured a Taliban facilitator' is an arrest, not territory taken.
CAPTIVE_NOUNS = words(
    "commander leader facilitator member suspect militant insurgent fighter operative financier "
    "bomber maker smuggler official soldier policeman man men person people individual"
)
STRIKE_OBJECTS = words("target position depot base site facility")
# A state's armed forces as reporters name them ('Afghan forces', 'government troops', 'the army',
# 'police'), unless a word says they are not ('rebel forces', 'militia fighters').
STATE_FORCE_NOUNS = words(
    "force forces troop troops army military police policeman policemen soldier soldiers commando "
    "commandos marine marines government personnel"
)
NON_STATE_WORDS = (
    words(
        "rebel rebels militant militants insurgent insurgents militia militias jihadist jihadists fighter "
        "fighters guerrilla guerrillas separatist separatists gunman gunmen opposition paramilitary "
        "paramilitaries tribal islamist islamists jihadi jihadis terrorist terrorists militiaman militiamen "
        "bandit bandits"
    )
    | ARMED_GROUP_NAMES
)
MILITARY_NOUNS = words("soldier troops forces military navy army warship jet marine")
TRUCE_WORDS = words("peace ceasefire truce hostage prisoner deal agreement")
# What likens one thing to another: 'similar to an eraser fight', 'compared the talks to a battle'.
LIKENING_WORDS = words("similar akin comparable compare liken equivalent reminiscent")
