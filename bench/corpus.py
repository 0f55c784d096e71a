"""Build a realistic corpus of any size in a scratch database, reproducibly from a seed, with COPY.

Texts are Reuters-21578 stories and the seed articles (read from ../shared/corpus at run time, never
committed), varied per article: a random run of their sentences, numbers shifted, and two or three
sentences reporting events between named entities inserted after the lede, so that no two articles
are copies. Around them, the derived rows in realistic proportions: about five mentions and two to
three events per article, entity popularity long-tailed (Zipf), places with coordinates, publication
dates over ten years. Nothing goes through the NLP.

    python bench/corpus.py --articles 100000 --seed 7 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres --database annals_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.migrations import upgrade_to_head
from db.names import name_key, trigram_codes
from db.taxonomy import EVENT_TYPES

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
START = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
YEARS = 10
SOURCES = [
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "The Guardian",
    "Al Jazeera",
    "BBC News",
    "The Washington Post",
    "Kyiv Independent",
    "Dawn",
    "The Hindu",
    "Daily Nation",
    "Premium Times",
    "TRT World",
    "Deutsche Welle",
    "The Kathmandu Post",
    "Arab News",
    "El País",
    "Radio Free Asia",
    "The Straits Times",
    "Bangkok Post",
]
# ISO code, centre latitude, longitude: where the places are.
COUNTRIES = [
    ("AF", 34.5, 69.2),
    ("UA", 49.0, 32.0),
    ("SY", 35.0, 38.5),
    ("YE", 15.5, 48.0),
    ("NG", 9.1, 8.7),
    ("ML", 17.6, -4.0),
    ("SO", 5.2, 46.2),
    ("SD", 15.6, 32.5),
    ("IQ", 33.2, 43.7),
    ("MM", 21.9, 95.9),
    ("CD", -2.9, 23.7),
    ("ET", 9.1, 40.5),
    ("PK", 30.4, 69.3),
    ("LY", 26.3, 17.2),
    ("CO", 4.6, -74.1),
    ("MX", 23.6, -102.5),
    ("PH", 12.9, 121.8),
    ("IN", 22.0, 79.0),
    ("US", 39.8, -98.6),
    ("FR", 46.2, 2.2),
]
SYLLABLES = ("ka", "ro", "mi", "ta", "ne", "lo", "va", "shi", "du", "ar", "en", "ba", "zo", "ri")
VIOLENT = {
    "armed_clash",
    "attack",
    "remote_violence",
    "violence_against_civilians",
    "casualties_reported",
    "riot",
}
VERBS = {
    "armed_clash": "clashed with",
    "attack": "attacked",
    "remote_violence": "shelled positions of",
    "territory_captured": "seized territory from",
    "territory_regained": "retook ground from",
    "withdrawal": "withdrew from areas held by",
    "casualties_reported": "reported losses among",
    "deployment": "deployed troops alongside",
    "border_crossing": "crossed the border with",
    "military_exercise": "held drills with",
    "diplomatic_meeting": "met",
    "statement": "issued a statement on",
    "negotiation": "negotiated with",
    "aid_pledge": "pledged aid to",
    "protest": "protested against",
    "riot": "rioted outside the offices of",
    "arrest": "arrested members of",
    "violence_against_civilians": "targeted civilians near",
}

if missing := sorted(set(EVENT_TYPES) - VERBS.keys()):
    # A type added to the taxonomy needs a sentence here before the corpus can hold it.
    raise SystemExit(f"bench/corpus.py: no sentence verb for event types {missing}")


@dataclass
class Entity:
    entity_id: int
    name: str
    entity_type: str
    country: tuple[str, float, float] | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_kind: str | None = None
    admin1: str | None = None


def stories() -> list[tuple[str, str]]:
    """(title, text) of the Reuters stories with a body and of the seed articles."""
    found = []
    with gzip.open(SHARED / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            story = json.loads(line)
            body = " ".join((story.get("body") or "").split())
            if len(body) >= 200 and story.get("title"):
                found.append((story["title"].title(), body))
    for line in (SHARED / "seed.jsonl").read_text().splitlines():
        article = json.loads(line)
        found.append((article.get("title") or article["text"][:80], " ".join(article["text"].split())))
    return found


def made_up_name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize() for _ in range(words))


def entity_pool(rng: random.Random, size: int) -> list[Entity]:
    entities: list[Entity] = []
    seen: set[tuple[str, str]] = set()
    shapes = [("person", 2), ("organization", 1), ("location", 1), ("group", 1)]
    while len(entities) < size:
        entity_type, words = rng.choices(shapes, weights=[30, 25, 30, 15])[0]
        name = made_up_name(rng, words)
        if entity_type == "organization":
            name = f"{name} {rng.choice(['Council', 'Ministry', 'Alliance', 'Corporation', 'Authority'])}"
        elif entity_type == "group":
            name = f"{name} {rng.choice(['Front', 'Brigade', 'Movement', 'Militia'])}"
        if (entity_type, name_key(name)) in seen:
            continue
        seen.add((entity_type, name_key(name)))
        entity = Entity(len(entities) + 1, name, entity_type)
        if entity_type == "location":
            entity.country = rng.choice(COUNTRIES)
            entity.latitude = round(max(-90, min(90, entity.country[1] + rng.uniform(-4, 4))), 4)
            entity.longitude = round(max(-180, min(180, entity.country[2] + rng.uniform(-4, 4))), 4)
            entity.place_kind = rng.choices(
                ["city", "district", "province", "site"], weights=[50, 25, 15, 10]
            )[0]
            entity.admin1 = made_up_name(rng, 1)
        entities.append(entity)
    return entities


def zipf_weights(size: int, exponent: float = 0.9) -> list[float]:
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, size + 1)))


NUMBER = re.compile(r"\d+")


def varied(rng: random.Random, body: str) -> list[str]:
    """A random run of the story's sentences after its first, numbers shifted."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", body) if s]
    keep = max(1, round(len(sentences) * rng.uniform(0.6, 1.0)))
    start = rng.randint(1, max(1, len(sentences) - keep + 1)) if len(sentences) > 1 else 0
    chosen = sentences[:1] + sentences[start : start + keep - 1]
    return [NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-9, 9))), s) for s in chosen]


def generate(
    rng: random.Random, count: int, entities: list[Entity]
) -> Iterator[dict[str, list[tuple[object, ...]]]]:
    """Rows per table for each article, in article id order."""
    texts = stories()
    cumulative = zipf_weights(len(entities))
    by_type: dict[str, list[Entity]] = {}
    for entity in entities:
        by_type.setdefault(entity.entity_type, []).append(entity)
    type_weights = {t: zipf_weights(len(pool)) for t, pool in by_type.items()}
    hashes: set[bytes] = set()
    event_id = 0
    seconds = YEARS * 365 * 86_400
    for article_id in range(1, count + 1):
        title, body = rng.choice(texts)
        published = START + dt.timedelta(seconds=rng.randrange(seconds))
        places = rng.choices(by_type["location"], cum_weights=type_weights["location"], k=2)
        actors = rng.choices(entities, cum_weights=cumulative, k=3)
        sentences = varied(rng, body)
        parts = [sentences[0]]
        mentions: list[tuple[object, ...]] = []
        events: list[tuple[object, ...]] = []
        participants: list[tuple[object, ...]] = []
        evidence: list[tuple[object, ...]] = []
        offset = len(parts[0]) + 1
        for n in range(rng.choice([2, 2, 3])):
            event_type = str(rng.choice(EVENT_TYPES))
            actor, target = actors[n % 3], actors[(n + 1) % 3]
            place = places[n % 2]
            killed = rng.randint(1, 40) if event_type in VIOLENT and rng.random() < 0.6 else None
            toll = f", killing {killed} people" if killed else ""
            sentence = f"{actor.name} {VERBS[event_type]} {target.name} near {place.name}{toll}."
            for entity in (actor, target, place):
                start = offset + sentence.index(entity.name)
                mentions.append((entity.entity_id, article_id, start, start + len(entity.name), entity.name))
            event_id += 1
            day = (published - dt.timedelta(days=rng.randint(0, 3))).date()
            assert place.country is not None
            status = rng.choices(["auto", "verified", "rejected"], weights=[95, 4, 1])[0]
            events.append(
                (
                    event_id,
                    event_type,
                    day,
                    day,
                    "day",
                    place.entity_id,
                    place.name,
                    place.country[0],
                    place.admin1,
                    place.latitude,
                    place.longitude,
                    killed,
                    "exact" if killed else None,
                    sentence,
                    round(rng.uniform(0.3, 0.95), 2),
                    status,
                    1,
                )
            )
            participants.append((event_id, actor.entity_id, "actor"))
            if target.entity_id != actor.entity_id:
                participants.append((event_id, target.entity_id, "target"))
            evidence.append((event_id, article_id, offset, offset + len(sentence), sentence))
            parts.append(sentence)
            offset += len(sentence) + 1
        parts.extend(sentences[1:])
        article_text = " ".join(parts)
        digest = hashlib.sha256(article_text.encode()).digest()
        if digest in hashes:  # the same run of sentences, numbers and names twice: make it differ
            article_text += f" ({article_id})"
            digest = hashlib.sha256(article_text.encode()).digest()
        hashes.add(digest)
        source = rng.choices(range(1, len(SOURCES) + 1), weights=[1 / r for r in range(1, len(SOURCES) + 1)])[
            0
        ]
        yield {
            "article": [
                (
                    article_id,
                    f"https://news.example/{article_id}",
                    f"gen-{article_id}",
                    title,
                    source,
                    published,
                    article_text,
                    digest.hex(),
                    1,
                )
            ],
            "mention": mentions,
            "event": events,
            "event_participant": participants,
            "event_evidence": evidence,
        }


COLUMNS = {
    "article": "article_id, url, external_id, title, source_id, published_at, text, content_hash, "
    "pipeline_version",
    "mention": "entity_id, article_id, start_char, end_char, text",
    "event": "event_id, event_type, date_start, date_end, date_precision, location_entity_id, location_text, "
    "country_code, admin1, latitude, longitude, fatalities, fatalities_qualifier, summary, confidence, "
    "status, extractor_version",
    "event_participant": "event_id, entity_id, role",
    "event_evidence": "event_id, article_id, sentence_start, sentence_end, quote",
}
BATCH = 5000


def load(url: str, count: int, seed: int) -> None:
    rng = random.Random(seed)
    entities = entity_pool(rng, max(2000, count // 10))
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        with connection.cursor() as cursor:
            with cursor.copy("COPY source (source_id, name) FROM STDIN") as copy:
                for source_id, name in enumerate(SOURCES, start=1):
                    copy.write_row((source_id, name))
            with cursor.copy(
                "COPY entity (entity_id, name, name_key, entity_type, place_kind, country_code, admin1, "
                "latitude, longitude) FROM STDIN"
            ) as copy:
                for e in entities:
                    code = e.country[0] if e.country else None
                    copy.write_row(
                        (
                            e.entity_id,
                            e.name,
                            name_key(e.name),
                            e.entity_type,
                            e.place_kind,
                            code,
                            e.admin1,
                            e.latitude,
                            e.longitude,
                        )
                    )
            with cursor.copy("COPY entity_alias (entity_id, alias, alias_key, trigrams) FROM STDIN") as copy:
                for e in entities:
                    copy.write_row((e.entity_id, e.name, name_key(e.name), trigram_codes(name_key(e.name))))
        connection.commit()
        rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in COLUMNS}
        started = time.monotonic()
        for n, article_rows in enumerate(generate(rng, count, entities), start=1):
            for table, table_rows in article_rows.items():
                rows[table].extend(table_rows)
            if n % BATCH == 0 or n == count:
                with connection.cursor() as cursor:
                    for table, table_rows in rows.items():
                        with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                            for row in table_rows:
                                copy.write_row(row)
                        table_rows.clear()
                connection.commit()
                rate = n / (time.monotonic() - started)
                print(f"\r{n} articles ({rate:.0f}/s)", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE entity SET mention_count = counted.n FROM "
                "(SELECT entity_id, count(*) AS n FROM mention GROUP BY entity_id) AS counted "
                "WHERE entity.entity_id = counted.entity_id"
            )
            for table, column in (
                ("source", "source_id"),
                ("article", "article_id"),
                ("entity", "entity_id"),
                ("event", "event_id"),
            ):
                sequence = f"pg_get_serial_sequence('{table}', '{column}')"
                cursor.execute(f"SELECT setval({sequence}, max({column})) FROM {table}")
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def fresh_database(server_url: str, name: str) -> str:
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    upgrade_to_head(url)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url", required=True, help="a server: postgresql+psycopg://user@host:port/db"
    )
    parser.add_argument(
        "--database", default="annals_bench", help="the scratch database (dropped and re-created)"
    )
    args = parser.parse_args()
    started = time.monotonic()
    url = fresh_database(args.database_url, args.database)
    load(url, args.articles, args.seed)
    print(f"{args.articles} articles in {time.monotonic() - started:.0f} s: {url}")


if __name__ == "__main__":
    main()
