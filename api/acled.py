"""ACLED's export columns, in ACLED's order, computed from what the pipeline knows about an event.

Column names, order and codes follow ACLED's export codebook: `inter1`/`inter2` are its numeric
actor codes (1 state forces, 2 rebel groups, 3 political militias, 4 identity militias, 5 rioters,
6 protesters, 7 civilians, 8 external/other forces; 0 no actor), `interaction` the two codes joined,
smaller first. What Annals cannot know it leaves empty (admin3) or derives as documented here; its
own columns follow ACLED's.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import pycountry

from db.events import EntityRef, EventDetail
from db.taxonomy import ARMED_GROUP_NAMES, CODINGS, DISORDER_TYPES, EventType, geo_precision

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
ANNALS_COLUMNS = (
    "annals_event_id",
    "annals_type",
    "cameo_root",
    "date_end",
    "date_precision",
    "country_code",
    "fatalities_reported",
    "fatalities_qualifier",
    "people_count",
    "confidence",
    "status",
    "source_article_ids",
    "created_at",
    "updated_at",
)
CSV_COLUMNS = ACLED_COLUMNS + ANNALS_COLUMNS

# ACLED's time_precision: 1 the day is known, 2 within a week or a range, 3 the month or less.
TIME_PRECISION = {"day": 1, "range": 2, "month": 3, "year": 3, "unknown": 3}

STATE_FORCES, REBELS, RIOTERS, PROTESTERS, CIVILIANS, OTHER_FORCES = 1, 2, 5, 6, 7, 8
STATE_WORDS = (
    "forces", "army", "military", "police", "troops", "soldiers", "government", "ministry",
    "security", "navy", "air force", "guard", "gendarmerie", "national",
)  # fmt: skip
CIVILIAN_WORDS = ("civilians", "villagers", "residents", "people", "children", "women", "farmers", "students")

# ACLED's regions by ISO 3166-1 alpha-2 code.
REGION_CODES = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Middle Africa": "AO CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW",
    "Southern Africa": "BW LS NA ZA SZ",
    "Northern Africa": "DZ EG LY MA SD TN EH",
    "Middle East": "BH CY IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "Europe": "AL AD AT BY BE BA BG HR CZ DK EE FI FR DE GR HU IS IE IT XK LV LI LT LU MT MD MC ME NL MK "
    "NO PL PT RO RU SM RS SK SI ES SE CH UA GB VA FO GI GG IM JE AX",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AI AG AW BS BB BM BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
    "North America": "CA US GL PM",
    "Oceania": "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF",
    "Antarctica": "AQ",
}
REGIONS = {code: region for region, codes in REGION_CODES.items() for code in codes.split()}

# Outlets with international reach; others count as "Other" (ACLED's scale for an unclassified source).
INTERNATIONAL_SOURCES = (
    "reuters", "associated press", "agence france", "afp", "bbc", "al jazeera", "cnn", "trt world",
    "washington post", "new york times", "the guardian", "deutsche welle", "voice of america", "bloomberg",
    "xinhua", "tass", "france 24", "euronews", "the independent", "financial times", "wall street journal",
)  # fmt: skip


@lru_cache(maxsize=4096)  # the same actors recur over a page: 6 µs of word tests each time otherwise
def inter_code(entity: EntityRef, role: str, event_type: str) -> int:
    """ACLED's actor code of an entity, from its kind and name (Annals does not store ACLED's actor types)."""
    name = entity.name.casefold()
    if role == "actor" and event_type == EventType.protest:
        return PROTESTERS
    if role == "actor" and event_type == EventType.riot:
        return RIOTERS  # the crowd, whatever its name: 'protesters', 'a mob', 'youths'
    if any(word in name for word in ("protesters", "demonstrators")):
        return PROTESTERS
    if role == "target" and (
        event_type == EventType.violence_against_civilians or any(word in name for word in CIVILIAN_WORDS)
    ):
        return CIVILIANS
    if ARMED_GROUP_NAMES.intersection(re.split(r"[^\w-]+", name)):
        return REBELS  # 'Taliban', 'Taliban forces', 'al-Shabaab militants'
    if any(word in name for word in STATE_WORDS):
        return STATE_FORCES  # before groups: the extractor names 'Afghan forces', 'riot police' as groups
    if entity.entity_type == "group":
        return REBELS
    return OTHER_FORCES


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction: the two actor codes, smaller first (12); one actor alone is its code then 0."""
    if inter1 and inter2:
        return min(inter1, inter2) * 10 + max(inter1, inter2)
    return (inter1 or inter2) * 10


@lru_cache(maxsize=1024)  # pycountry's lookup takes 5.6 µs, for every row of a page
def country_fields(code: str | None) -> tuple[str, str, str, str]:
    """(ISO alpha-3, ISO numeric, country name, ACLED region) of an alpha-2 code; empty when unknown."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return (code or "", "", "", REGIONS.get(code or "", ""))
    name = getattr(country, "common_name", None) or country.name
    return country.alpha_3, str(int(country.numeric)), name, REGIONS.get(code or "", "")


@lru_cache(maxsize=1024)  # a few sources report most events: 21 substring tests each otherwise
def scale_of(source: str) -> str:
    folded = source.casefold()
    return "International" if any(outlet in folded for outlet in INTERNATIONAL_SOURCES) else "Other"


def tags(detail: EventDetail) -> str:
    event = detail.event
    found = []
    if event.event_type == EventType.protest:
        found.append(f"crowd size={event.people_count if event.people_count is not None else 'no report'}")
    if event.fatalities_qualifier in ("at_least", "approximately", "range"):
        found.append(f"fatalities {event.fatalities_qualifier.replace('_', ' ')}")
    return "; ".join(found)


def joined(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(value for value in values if value))


def timestamp(moment: dt.datetime | None) -> int | str:
    return int(moment.timestamp()) if moment else ""


def acled_row(detail: EventDetail) -> dict[str, Any]:
    """One CSV row: ACLED's 31 columns, then Annals' own; an empty cell for an unknown value."""
    event, place = detail.event, detail.location
    coding = CODINGS[EventType(event.event_type)]
    actors = [entity for entity, role in detail.participants if role == "actor"]
    targets = [entity for entity, role in detail.participants if role == "target"]
    inter1 = inter_code(actors[0], "actor", event.event_type) if actors else 0
    inter2 = inter_code(targets[0], "target", event.event_type) if targets else 0
    iso3, iso_numeric, country, region = country_fields(event.country_code)
    sources = list(dict.fromkeys(item.source for item in detail.evidence if item.source))
    civilian = inter2 == CIVILIANS or event.event_type == EventType.violence_against_civilians
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}{event.event_id}",
        "event_date": event.date_start.isoformat() if event.date_start else "",
        "year": event.date_start.year if event.date_start else "",
        "time_precision": TIME_PRECISION[event.date_precision],
        "disorder_type": DISORDER_TYPES[coding.acled_event_type],
        "event_type": coding.acled_event_type,
        "sub_event_type": coding.acled_sub_event_type,
        "actor1": actors[0].name if actors else "",
        "assoc_actor_1": joined([entity.name for entity in actors[1:]]) if len(actors) > 1 else "",
        "inter1": inter1,
        "actor2": targets[0].name if targets else "",
        "assoc_actor_2": joined([entity.name for entity in targets[1:]]) if len(targets) > 1 else "",
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": iso_numeric,
        "region": region,
        "country": country,
        "admin1": event.admin1 or "",
        "admin2": place.name if place and place.place_kind == "district" else "",
        "admin3": "",
        "location": place.name if place else (event.location_text or ""),
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": geo_precision(
            place.place_kind if place else None, event.location_entity_id is not None
        ),
        "source": "; ".join(sources),
        "source_scale": "-".join(dict.fromkeys(map(scale_of, sources))),
        "notes": " ".join(dict.fromkeys(item.quote for item in detail.evidence)) or event.summary,
        "fatalities": event.fatalities or 0,
        "tags": tags(detail),
        "timestamp": timestamp(event.updated_at),
        "annals_event_id": event.event_id,
        "annals_type": event.event_type,
        "cameo_root": coding.cameo_root,
        "date_end": event.date_end.isoformat() if event.date_end else "",
        "date_precision": event.date_precision,
        "country_code": event.country_code or "",
        "fatalities_reported": event.fatalities,
        "fatalities_qualifier": event.fatalities_qualifier or "",
        "people_count": event.people_count,
        "confidence": event.confidence,
        "status": event.status,
        "source_article_ids": "; ".join(dict.fromkeys(str(item.article_id) for item in detail.evidence)),
        "created_at": event.created_at.isoformat() if event.created_at else "",
        "updated_at": event.updated_at.isoformat() if event.updated_at else "",
    }
