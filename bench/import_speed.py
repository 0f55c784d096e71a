"""How fast a large import becomes searchable: `annals load --defer-extraction`, then `annals reindex`.

Writes N articles as JSON Lines to a temporary file (Reuters-21578 and seed stories, varied per
article by bench/corpus.py's `varied`, so that no two are copies; publication dates over ten years),
loads them through the real CLI into a fresh database, builds the search index with the real CLI,
and prints the seconds and articles per second of each step, with the time a million would take at
that rate. Generating the file is not timed. Nothing is written into the repository.

    python bench/import_speed.py --articles 100000 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import SOURCES, fresh_database, stories, varied

ROOT = Path(__file__).resolve().parent.parent
ANNALS = str(Path(sys.executable).parent / "annals")
FIRST_DAY = dt.date(2014, 1, 1)


def write_articles(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    texts = stories()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            title, body = rng.choice(texts)
            day = FIRST_DAY + dt.timedelta(days=rng.randrange(3650))
            record = {
                "external_id": f"import-{n}",
                "source": rng.choice(SOURCES),
                "title": title,
                "published_at": day.isoformat(),
                "text": " ".join(varied(rng, body)) + f" (Ref. {n}.)",
            }
            out.write(json.dumps(record) + "\n")


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", required=True, help="the PostgreSQL server (any database on it)")
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="annals-import-") as scratch:
        source = Path(scratch) / "articles.jsonl"
        write_articles(source, args.articles, args.seed)
        url = fresh_database(args.database_url, f"annals_import_{args.articles}")
        env = os.environ | {"DATABASE_URL": url, "ANNALS_DATA_DIR": scratch, "ANNALS_LOAD_SEED": "false"}
        load = [ANNALS, "load", str(source), "--defer-extraction", "--batch-size", str(args.batch_size)]
        load_s = timed(load, env)
        index_s = timed([ANNALS, "reindex"], env)
    total = load_s + index_s
    print("| articles | load s | articles/s | reindex s | articles/s | searchable s | 1M at that rate |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {args.articles:,} | {load_s:.1f} | {args.articles / load_s:,.0f} | {index_s:.1f} | "
        f"{args.articles / index_s:,.0f} | {total:.1f} | {total * 1_000_000 / args.articles / 60:.1f} min |"
    )


if __name__ == "__main__":
    main()
