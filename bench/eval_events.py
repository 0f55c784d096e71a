"""Score the extraction pipeline on the event development sets in-process (no database, no server).

Fast loop for extraction work: cleans each text as the loader does and runs
`ingest.extract.extract_articles` over the texts of
`../shared/eval/*.jsonl` and judges each text with the official scorer's own functions
(`../shared/eval/score_events.py`: `judge`, `has_province`), so the five shares mean exactly what
they mean there. The figures of record come from the scorer against a running API (README there);
this in-process view differs only where the database links a place to an earlier entity.

    .venv/bin/python bench/eval_events.py                 # both sets
    .venv/bin/python bench/eval_events.py --set acled --show type --limit 20
    .venv/bin/python bench/eval_events.py --reuters 3000 --sample 20   # events in everyday newswire

Run from the checkout's root with it on the path (PYTHONPATH=.), or the installed `ingest` is scored.
Each set also prints the calibration of `confidence`: the precision of the events at or above 0.5,
0.7 and 0.9 (an event is right when its type is one the gold accepts); Reuters prints how many
events stay above each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from reuters import DEFAULT_SOURCE, reuters_articles
from tqdm import tqdm

from ingest.article_extraction import ArticleExtraction, ExtractedEvent
from ingest.clean import clean_text
from ingest.extract import extract_articles

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
CHECKS = ("detected", "type", "admin1", "date", "fatalities")
THRESHOLDS = (0.5, 0.7, 0.9)


def calibration(judged: list[tuple[float, bool]]) -> str:
    """Precision of the events at or above each confidence threshold (right: a type the gold accepts)."""
    parts = []
    for threshold in THRESHOLDS:
        kept = [right for confidence, right in judged if confidence >= threshold]
        precision = sum(kept) / len(kept) if kept else 0.0
        parts.append(f"P@{threshold}={precision:.3f} (n={len(kept)})")
    return "  calibration: " + " ".join(parts)


def api_shape(event: ExtractedEvent, extraction: ArticleExtraction) -> dict[str, Any]:
    """The fields of a GET /v1/events item that the scorer reads."""
    places = {entity.key: entity for entity in extraction.entities}
    place = places.get(event.location_key) if event.location_key else None
    return {
        "type": event.type,
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": (event.date_end or event.date_start).isoformat() if event.date_start else None,
        "admin1": place.place.admin1 if place and place.place else None,
        "location_text": event.location_text,
        "location": {"name": place.name} if place else None,
        "fatalities": event.fatalities.value if event.fatalities else None,
        "confidence": event.confidence,
        "quote": event.quote,
    }


def published(record: dict[str, Any]) -> dt.date | None:
    value = record.get("published_at")
    return dt.date.fromisoformat(value[:10]) if value else None


def read_set(name: str, limit: int | None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    records = [json.loads(line) for line in (EVAL / f"{name}-dev.jsonl").open()]
    gold = json.loads((EVAL / f"{name}-dev.gold.json").read_text())
    return records[:limit] if limit else records, gold


def score_set(name: str, limit: int | None, show: list[str], shown: int) -> dict[str, float]:
    sys.path.insert(0, str(EVAL))
    import score_events  # type: ignore[import-not-found]

    records, gold = read_set(name, limit)
    inputs = [(clean_text(r["text"], r.get("title")), published(r)) for r in records]
    counts: Counter[str] = Counter()
    failures: dict[str, list[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]]] = {}
    judged: list[tuple[float, bool]] = []
    extractions = extract_articles(inputs, batch_size=64)
    for record, extraction in tqdm(zip(records, extractions, strict=True), total=len(records), desc=name):
        g = gold[record["external_id"]]
        events = [api_shape(e, extraction) for e in extraction.events]
        passed = score_events.judge(g, events)
        judged += [(e["confidence"], e["type"] in g["types"]) for e in events]
        counts["n"] += 1
        counts["fatal_n"] += bool(g.get("fatalities"))
        counts["admin1_n"] += bool(score_events.has_province(g))
        for check in CHECKS:
            applies = (check != "fatalities" or g.get("fatalities")) and (
                check != "admin1" or score_events.has_province(g)
            )
            if check in passed:
                counts[check] += 1
            elif applies:
                failures.setdefault(check, []).append((record, g, events))
    shares = {
        "detected": counts["detected"] / counts["n"],
        "type": counts["type"] / counts["n"],
        "admin1": counts["admin1"] / max(1, counts["admin1_n"]),
        "date": counts["date"] / counts["n"],
        "fatalities": counts["fatalities"] / max(1, counts["fatal_n"]),
    }
    print(f"{name}: n={counts['n']} " + " ".join(f"{k}={v:.3f}" for k, v in shares.items()))
    print(calibration(judged))
    for check in show:
        for record, g, events in failures.get(check, [])[:shown]:
            got = [
                (e["type"], e["date_start"], e["admin1"], e["location_text"], e["fatalities"]) for e in events
            ]
            print(
                f"\n[{check}] {record['external_id']} gold: {g.get('acled_sub_event_type', g['types'])} "
                f"{g['types']} {g.get('date')} {g.get('admin1')} fatalities={g.get('fatalities')}\n"
                f"   got {got}\n   {record['text'][:600]}"
            )
    return shares


def newswire_events(count: int, sample: int, seed: int = 1987) -> None:
    """Events derived from Reuters 1987 stories (mostly business news: nearly every one a false alarm)."""
    import itertools
    import random

    articles = list(itertools.islice(reuters_articles(DEFAULT_SOURCE), count))
    inputs = [
        (
            clean_text(str(a["text"]), str(a["title"] or "")),
            dt.date.fromisoformat(str(a["published_at"])[:10]) if a["published_at"] else None,
        )
        for a in articles
    ]
    found: list[tuple[str, dict[str, Any]]] = []
    for article, extraction in tqdm(
        zip(articles, extract_articles(inputs, batch_size=64), strict=True),
        total=len(articles),
        desc="reuters",
    ):
        found += [(str(article["external_id"]), api_shape(e, extraction)) for e in extraction.events]
    by_type = Counter(event["type"] for _, event in found)
    print(
        f"reuters: {len(articles)} stories, {len(found)} events, "
        f"{1000 * len(found) / max(1, len(articles)):.1f} per 1,000 stories; "
        f"by type: {dict(by_type.most_common())}"
    )
    above = [sum(event["confidence"] >= t for _, event in found) for t in THRESHOLDS]
    print("  above confidence: " + " ".join(f">={t}: {n}" for t, n in zip(THRESHOLDS, above, strict=True)))
    for external_id, event in random.Random(seed).sample(found, min(sample, len(found))):
        print(
            f"\n{external_id} {event['type']} {event['date_start']} {event['location_text']} "
            f"fatalities={event['fatalities']} confidence={event['confidence']}\n   {event['quote'][:300]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["acled", "isaf"], action="append", help="default: both")
    parser.add_argument("--limit", type=int, help="only the first N texts of each set")
    parser.add_argument("--show", action="append", default=[], choices=CHECKS, help="print failures")
    parser.add_argument("--shown", type=int, default=15, help="failures printed per check")
    parser.add_argument("--reuters", type=int, help="instead: events in the first N Reuters stories")
    parser.add_argument("--sample", type=int, default=20, help="with --reuters: events printed at random")
    args = parser.parse_args()
    if args.reuters:
        newswire_events(args.reuters, args.sample)
        return
    if not EVAL.is_dir():
        sys.exit(f"{EVAL} is not there: the development sets live beside the checkout, in ../shared/eval")
    for name in args.set or ["acled", "isaf"]:
        score_set(name, args.limit, args.show, args.shown)


if __name__ == "__main__":
    main()
