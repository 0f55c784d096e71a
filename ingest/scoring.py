"""Precision, recall and F1 of predicted entities and events against a hand-made gold annotation.

Plain data in (the gold JSON as a dict, predictions as PredictedArticle records that can be built from an
ArticleExtraction or from database rows), a ScoreResult out, and a text report.

Entities match on type and name, where any name or alias of the prediction may equal any name or alias
of the gold entity (compared accent-free and case-free, without a leading "the"). Only the entity types
the gold annotates are scored (groups are not annotated). Events match when the predicted type is among
the gold's acceptable types, the place is the gold place (or one of its aliases; a null gold place
accepts anything) and the date fits the gold precision (day: the same day; month: a date in that month;
range: overlapping; null or vague: not checked). Optional gold events count neither for recall nor
against precision; a second prediction of an already matched gold event is a false alarm.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from db.articles import ArticleDerived
from ingest.article_extraction import ArticleExtraction
from ingest.entities.name_forms import normalise

SCORED_ENTITY_TYPES = ("person", "organization", "location")


@dataclass(frozen=True)
class PredictedEntity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PredictedEvent:
    type: str
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str
    location: str | None
    location_aliases: tuple[str, ...] = ()
    quote: str = ""


@dataclass
class PredictedArticle:
    entities: list[PredictedEntity]
    events: list[PredictedEvent]


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class ScoreResult:
    entities: Counts = field(default_factory=Counts)
    events: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)  # "external_id: what was expected and not found"
    false_alarms: list[str] = field(default_factory=list)


def from_extraction(extraction: ArticleExtraction) -> PredictedArticle:
    by_key = {entity.key: entity for entity in extraction.entities}
    entities = [PredictedEntity(e.name, e.type, tuple(e.aliases)) for e in extraction.entities]
    events = []
    for event in extraction.events:
        place = by_key.get(event.location_key) if event.location_key else None
        events.append(
            PredictedEvent(
                type=event.type,
                date_start=event.date_start,
                date_end=event.date_end,
                precision=event.precision,
                location=place.name if place else event.location_text,
                location_aliases=tuple(place.aliases) if place else (),
                quote=event.quote,
            )
        )
    return PredictedArticle(entities, events)


def from_stored(article: ArticleDerived) -> PredictedArticle:
    """The same record from what the database holds for an article (`annals evaluate`)."""
    entities = [PredictedEntity(e.name, e.entity_type, tuple(aliases)) for e, aliases in article.entities]
    events = [
        PredictedEvent(
            type=event.event_type,
            date_start=event.date_start,
            date_end=event.date_end,
            precision=event.date_precision,
            location=place.name if place else event.location_text,
            location_aliases=tuple(alias.alias for alias in place.aliases) if place else (),
            quote=quote,
        )
        for event, place, quote in article.events
    ]
    return PredictedArticle(entities, events)


def _forms(names: Iterable[str | None]) -> set[str]:
    forms = set()
    for name in names:
        if name:
            form = normalise(name)
            forms.add(form[4:] if form.startswith("the ") else form)
    return forms


def _gold_interval(event: Mapping[str, Any]) -> tuple[dt.date, dt.date] | None:
    date, precision = event.get("date"), event.get("precision")
    if not date or precision in (None, "vague", "unknown"):
        return None
    if "/" in date:
        start, end = date.split("/")
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if precision == "month" or len(date) == 7:
        year, month = (int(part) for part in date[:7].split("-"))
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if precision == "year" or len(date) == 4:
        return dt.date(int(date[:4]), 1, 1), dt.date(int(date[:4]), 12, 31)
    day = dt.date.fromisoformat(date)
    return day, day


def date_matches(gold: Mapping[str, Any], predicted: PredictedEvent) -> bool:
    interval = _gold_interval(gold)
    if interval is None:
        return True
    if predicted.date_start is None:
        return False
    start, end = predicted.date_start, predicted.date_end or predicted.date_start
    precision = gold.get("precision")
    if precision == "day":
        return start <= interval[0] <= end and (end - start).days <= 7
    if precision == "month":
        return interval[0] <= start <= interval[1]
    return start <= interval[1] and end >= interval[0]


def _gold_place_forms(location: str | None, gold_entities: list[Mapping[str, Any]]) -> set[str] | None:
    if location is None:
        return None
    forms = _forms([location])
    for entity in gold_entities:
        names = _forms([entity["name"], *entity.get("aliases", [])])
        if forms & names:
            return names
    return forms


def event_matches(
    gold: Mapping[str, Any], predicted: PredictedEvent, gold_entities: list[Mapping[str, Any]]
) -> bool:
    if predicted.type not in gold["types"]:
        return False
    place = _gold_place_forms(gold.get("location"), gold_entities)
    if place is not None and not place & _forms([predicted.location, *predicted.location_aliases]):
        return False
    return date_matches(gold, predicted)


def _score_entities(
    article_id: str, gold: list[Mapping[str, Any]], predicted: list[PredictedEntity], result: ScoreResult
) -> None:
    gold_forms = [_forms([g["name"], *g.get("aliases", [])]) for g in gold]
    matched: set[int] = set()
    for entity in predicted:
        if entity.type not in SCORED_ENTITY_TYPES:
            continue
        forms = _forms([entity.name, *entity.aliases])
        hits = [i for i, g in enumerate(gold) if g["type"] == entity.type and gold_forms[i] & forms]
        fresh = [i for i in hits if i not in matched]
        if fresh:
            matched.add(fresh[0])
            result.entities.true_positives += 1
        else:
            result.entities.false_positives += 1
            note = " (duplicate)" if hits else ""
            result.false_alarms.append(f"{article_id}: entity {entity.type} {entity.name!r}{note}")
    for index, expected in enumerate(gold):
        if index not in matched:
            result.entities.false_negatives += 1
            result.misses.append(f"{article_id}: entity {expected['type']} {expected['name']!r}")


def _describe(event: PredictedEvent) -> str:
    when = (
        f"{event.date_start}..{event.date_end}"
        if event.date_end != event.date_start
        else str(event.date_start)
    )
    return f"{event.type} {when} ({event.precision}) at {event.location!r}: {event.quote[:90]!r}"


def _maximum_matching(candidates: list[list[int]]) -> dict[int, int]:
    """Gold index → prediction index, as many pairs as possible (augmenting paths)."""
    owner: dict[int, int] = {}

    def assign(gold: int, seen: set[int]) -> bool:
        for prediction in candidates[gold]:
            if prediction in seen:
                continue
            seen.add(prediction)
            if prediction not in owner or assign(owner[prediction], seen):
                owner[prediction] = gold
                return True
        return False

    for gold in range(len(candidates)):
        assign(gold, set())
    return {gold: prediction for prediction, gold in owner.items()}


def _score_events(
    article_id: str, article: Mapping[str, Any], predicted: list[PredictedEvent], result: ScoreResult
) -> None:
    gold_events, gold_entities = article["events"], article["entities"]
    required = [g for g in gold_events if not g.get("optional")]
    pairs = _maximum_matching(
        [[i for i, p in enumerate(predicted) if event_matches(g, p, gold_entities)] for g in required]
    )
    used = set(pairs.values())
    for index, gold in enumerate(required):
        if index in pairs:
            result.events.true_positives += 1
            continue
        result.events.false_negatives += 1
        types = "/".join(gold["types"])
        where = f"{gold.get('date')} at {gold.get('location')!r}"
        result.misses.append(f"{article_id}: event {types} {where}: {gold['quote'][:90]!r}")
    optional = [g for g in gold_events if g.get("optional")]
    for index, event in enumerate(predicted):
        if index in used or any(event_matches(g, event, gold_entities) for g in optional):
            continue
        result.events.false_positives += 1
        result.false_alarms.append(f"{article_id}: event {_describe(event)}")


def score(gold: Mapping[str, Any], predicted: Mapping[str, PredictedArticle]) -> ScoreResult:
    """Score predictions (by external_id) against the gold document's articles."""
    result = ScoreResult()
    for article in gold["articles"]:
        article_id = article["external_id"]
        prediction = predicted.get(article_id, PredictedArticle([], []))
        _score_entities(article_id, article["entities"], prediction.entities, result)
        _score_events(article_id, article, prediction.events, result)
    return result


def format_report(result: ScoreResult) -> str:
    lines = []
    for label, counts in (("entities", result.entities), ("events", result.events)):
        lines.append(
            f"{label:9} P={counts.precision:.3f} R={counts.recall:.3f} F1={counts.f1:.3f} "
            f"(tp={counts.true_positives} fp={counts.false_positives} fn={counts.false_negatives})"
        )
    lines += ["", f"misses ({len(result.misses)}):", *(f"  {m}" for m in result.misses)]
    lines += ["", f"false alarms ({len(result.false_alarms)}):", *(f"  {f}" for f in result.false_alarms)]
    return "\n".join(lines)
