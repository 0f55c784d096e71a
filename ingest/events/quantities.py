"""Counts of people as the press writes them: "46", "more than 300", "around 1,000", "dozens", "five"."""

from __future__ import annotations

import re

from ingest.article_extraction import Quantity

UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Vague plurals: the range a reader would understand.
VAGUE_PLURALS = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
}
# Vague determiners read as the least they can mean, the way conflict coders count them.
VAGUE_COUNTS = {"several": 3, "multiple": 3, "numerous": 4, "many": 4, "few": 3}
# Nouns that count as vaguely, in 'a number of insurgents', 'a handful of protesters'.
VAGUE_COUNT_NOUNS = {"number": 3, "handful": 3}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_VAGUE = re.compile(rf"(?:a\s+)?({'|'.join([*VAGUE_COUNTS, *VAGUE_COUNT_NOUNS])})(?:\s+\w+)?")
QUALIFIERS: list[tuple[str, str]] = [
    (r"\b(more than|over|at least|upwards of|in excess of|no fewer than|no less than)\b", "at_least"),
    (r"\b(up to|fewer than|less than|under|at most|as many as|no more than)\b", "at_most"),
    (
        r"\b(around|about|some|roughly|nearly|almost|approximately|an estimated|estimated|close to|circa)\b",
        "approximately",
    ),
]
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def words_to_number(words: list[str]) -> int | None:
    """'twenty five' → 25, 'a dozen' → 12, 'two hundred' → 200, '1.5 million' → 1500000."""
    total, current, seen = 0.0, 0.0, False
    previous = ""
    for word in words:
        if _NUMBER.fullmatch(word):
            if _NUMBER.fullmatch(previous):
                return None  # '2 20' is no number: two figures side by side are never summed
            current += float(word.replace(",", ""))
            seen = True
        elif word in UNITS:
            current = current * UNITS[word] if word == "dozen" and current else current + UNITS[word]
            seen = True
        elif word in MULTIPLIERS:
            current = max(current, 1) * MULTIPLIERS[word]
            if MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0
            seen = True
        elif word not in {"and", "of"}:
            return None
        previous = word
    return round(total + current) if seen else None


_HYPHEN_RANGE = re.compile(r"(?:^|\s)(\d[\d,]*)\s*[-–]\s*(\d[\d,]*)\s*$")


def parse_quantity(text: str) -> Quantity | None:
    hyphen_range = _HYPHEN_RANGE.search(text)
    if hyphen_range:  # '3-21 militants', '4-5', 'at least 2-20': the range, whatever qualifies it
        low, high = (int(group.replace(",", "")) for group in hyphen_range.groups())
        if low < high:
            return Quantity(low, "range", high)
    lowered = " ".join(text.lower().replace("-", " ").split())
    for phrase, (low, high) in sorted(VAGUE_PLURALS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{phrase}\b", lowered):
            return Quantity(low, "range", high)
    range_match = re.search(r"(\d[\d,]*)\s*(?:to|and|–)\s*(\d[\d,]*)", lowered)
    if range_match and (re.search(r"\b(between|from)\b", lowered) or " to " in lowered):
        low, high = (int(group.replace(",", "")) for group in range_match.groups())
        if low < high:
            return Quantity(low, "range", high)
    vague = _VAGUE.fullmatch(lowered)
    if vague:
        word = vague.group(1)
        scale = next((SCALES[w] for w in lowered.split() if w in SCALES), 1)  # 'several thousand'
        return Quantity((VAGUE_COUNTS.get(word) or VAGUE_COUNT_NOUNS[word]) * scale, "at_least")
    qualifier = "exact"
    for pattern, name in QUALIFIERS:
        match = re.search(pattern, lowered)
        if match:
            qualifier = name
            lowered = lowered[: match.start()] + lowered[match.end() :]
            break
    words = [word.strip(",.") for word in re.findall(r"[\w.,]+", lowered)]
    number_words = [
        word
        for index, word in enumerate(words)
        if word in MULTIPLIERS
        or _NUMBER.fullmatch(word)
        or (
            word in UNITS
            and (
                word not in {"a", "an"}
                or words[index + 1 : index + 2] in (["dozen"], ["hundred"], ["thousand"])
            )
        )
    ]
    if not number_words:
        return None
    value = words_to_number(number_words)
    if value is None or value <= 0:
        return None
    return Quantity(value, qualifier)  # type: ignore[arg-type]


def add_quantities(first: Quantity | None, second: Quantity | None) -> Quantity | None:
    if first is None or second is None:
        return first or second
    qualifier = first.qualifier if first.qualifier == second.qualifier else "approximately"
    return Quantity(first.value + second.value, qualifier)


_SPLIT_NOTE = re.compile(
    r"(?:split|distributed|divided|spread)\s+(?:across|over|between|among|into)\s+(two|three|four|five|six|\d+)"
    r"\s+events?(?:[^.()]{0,60}?\((\d+)\))?(?:[^.]{0,30}?coded\s+(?:here\s+)?as\s+(\d+))?",
    re.I,
)
_UNKNOWN_CODED = re.compile(
    r"unknown\s+(?:number\s+of\s+)?fatalities\s+(?:are\s+|were\s+)?coded\s+as\s+(\d+)", re.I
)

# A coder's statement of the whole toll: 'Fatalities coded as 11 to include the bomber', 'Total
# fatalities coded is 7', '19 total fatalities coded', 'fatalities coded as half & rounded down = 4'.
_CODED_TOTAL = re.compile(
    r"(?<!unknown )(?<!number of )\b(?:total\s+)?fatalities\s+(?:are\s+|were\s+)?coded\s+(?:is|as|at)\s+"
    r"(?:half\b[^.\d]{0,30}?)?(\d+)"
    r"|\b(?:total\s+)?(\d+)\s+(?:total\s+)?fatalities\s+(?:were\s+)?coded\b(?!\s+(?:across|over|in))",
    re.I,
)


def coded_total(text: str) -> Quantity | None:
    """The toll a conflict coder's note gives the event as a whole; None without such a note."""
    match = _CODED_TOTAL.search(text)
    return Quantity(int(match.group(1) or match.group(2)), "exact") if match else None


def coded_toll(text: str, toll: Quantity | None) -> Quantity | None:
    """A conflict coder's note on the toll of one event: 'Fatalities split across 3 events' (a third
    of the toll each, or the share the note gives: '(9)', 'coded here as 7'), 'Unknown fatalities
    coded as 10'."""
    split = _SPLIT_NOTE.search(text)
    if split and toll is not None:
        share = split.group(2) or split.group(3)
        if share:
            return Quantity(int(share), "exact")
        parts = words_to_number([split.group(1).lower()]) or 1
        return Quantity(max(1, round(toll.value / parts)), "approximately")
    unknown = _UNKNOWN_CODED.search(text)
    if unknown and (toll is None or toll.qualifier != "exact"):
        return Quantity(int(unknown.group(1)), "approximately")
    return toll
